"""Running the site: /healthz for uptime monitors, request logging, backups (`cpweb backup`)."""
from flask import Blueprint

from ..core.hooks import hooks

bp = Blueprint("ops", __name__)


def init_app(app) -> None:
    from . import commands, views

    hook = hooks(app)
    app.register_blueprint(views.bp)
    app.before_request(views.warn_about_an_untrusted_proxy)
    hook.command(commands.backup_command)
    hook.command(commands.restore_command)
    hook.command(commands.migrate_to_postgres_command)
