"""Members' accounts: login, invitations, password reset, profile and roles."""
from ..hooks import hooks


def init_app(app) -> None:
    from . import sessions, views

    hook = hooks(app)
    app.register_blueprint(views.bp)
    hook.processing(sessions.PROCESSING)
    hook.purger("logins", sessions.purge_logins)
