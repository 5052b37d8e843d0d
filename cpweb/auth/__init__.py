"""Members' accounts: login with a second step, invitations, password reset, profile and roles."""
from ..core.hooks import hooks


def init_app(app) -> None:
    from . import sessions, twofactor, twofactor_views, views

    hook = hooks(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(twofactor_views.bp)
    hook.processing(sessions.PROCESSING)
    hook.processing(twofactor.PROCESSING)
    hook.purger("logins", sessions.purge_logins)
    hook.purger("unused app keys", twofactor.purge_unused_setup_keys)
