"""Members' accounts: login, invitations, password reset, profile and roles."""


def init_app(app) -> None:
    from . import views

    app.register_blueprint(views.bp)
