"""Activities members (and sometimes guests) can attend: sign-up, waiting list, one calendar with the meetings."""


def init_app(app) -> None:
    from . import views

    app.register_blueprint(views.bp)
