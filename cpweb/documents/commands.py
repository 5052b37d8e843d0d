"""`flask --app app cpweb sweep-uploads`: tidy the upload folder after a crash (for cron)."""

import click
from flask.cli import with_appcontext
from flask_babel import ngettext

from . import logic


@click.command("sweep-uploads")
@with_appcontext
def sweep_uploads_command():
    """Remove upload files left behind by a worker that was killed halfway, and files kept for a form
    nobody came back to (older than an hour)."""
    removed = logic.sweep_uploads()
    click.echo(ngettext("%(num)d achtergebleven bestand opgeruimd.", "%(num)d achtergebleven bestanden opgeruimd.",
                        removed))
