"""The shared calendar: every feature with dated things feeds /agenda and the iCal feeds."""


def init_app(app) -> None:
    from . import views

    app.register_blueprint(views.bp)
