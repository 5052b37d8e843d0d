"""`flask --app app cpweb sweep-uploads`: tidy the upload folder after a crash (for cron)."""
from datetime import timedelta

import click
from flask_babel import ngettext

from ..cli import cpweb_cli
from ..jobs import cron_job
from . import logic


@cron_job("sweep-uploads", every=timedelta(hours=1))
@cpweb_cli.command("sweep-uploads")
def sweep_uploads_command():
    """Remove upload files left behind by a worker that was killed halfway (older than an hour)."""
    removed = logic.sweep_uploads()
    click.echo(ngettext("%(num)d achtergebleven bestand opgeruimd.", "%(num)d achtergebleven bestanden opgeruimd.",
                        removed))
