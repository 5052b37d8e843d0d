"""Admin pages: invite members, change their role and bodies, deactivate; bodies; audit log."""
from ..core.hooks import hooks


def init_app(app) -> None:
    from . import members, views

    hook = hooks(app)
    app.register_blueprint(views.bp)
    hook.processing(members.PROCESSING)
    hook.purger("unused invitations", members.purge_unused_invitations)
