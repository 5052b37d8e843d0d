"""`flask --app app cpweb sweep-uploads`: tidy the upload folder after a crash (for cron);
`cpweb storage check` and `cpweb storage migrate --to s3://…`: the store and the rows agree, and
an existing site's files go to an object store."""

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from ..core import filestore
from ..core.filestore import store
from . import logic


@click.command("sweep-uploads")
@with_appcontext
def sweep_uploads_command():
    """Remove upload files left behind by a worker that was killed halfway, and files kept for a form
    nobody came back to (older than an hour)."""
    removed = logic.sweep_uploads()
    click.echo(ngettext("%(num)d achtergebleven bestand opgeruimd.", "%(num)d achtergebleven bestanden opgeruimd.",
                        removed))


@click.group("storage")
def storage_command():
    """De opgeslagen bestanden: controleren, en naar een S3-opslag kopiëren."""


@storage_command.command("check")
@with_appcontext
def check_command():
    """Bestanden zonder rij en rijen zonder bestand; stopt met code 1 als er een is."""
    orphans, missing = logic.orphans()
    for name in sorted(orphans):
        click.echo(_("zonder rij: %(name)s", name=name))
    for name in sorted(missing):
        click.echo(_("ontbreekt: %(name)s", name=name))
    click.echo(_("%(store)s: %(orphans)d bestanden zonder rij, %(missing)d rijen zonder bestand.",
                 store=store(), orphans=len(orphans), missing=len(missing)))
    if orphans:
        click.echo(_("Een bestand zonder rij van minder dan een uur oud kan bij een upload horen die nog bezig is; "
                     "sweep-uploads ruimt de oudere op."))
    if orphans or missing:
        raise SystemExit(1)


@storage_command.command("migrate")
@click.option("--to", "url", required=True, help="s3://bucket/map; met S3_ENDPOINT_URL en de andere S3_-instellingen.")
@with_appcontext
def migrate_command(url: str):
    """Kopieer de bestanden van alle documenten naar een S3-opslag en controleer elk daar met zijn
    sha256. Ze blijven ook waar ze waren; zet daarna STORAGE_URL."""
    if not url.startswith("s3://"):
        raise click.BadParameter(_("Geef een adres als s3://bucket/map."), param_hint="--to")
    target = filestore.from_url(url, current_app.config)
    copied, problems = logic.copy_files(target)
    for name, problem in problems:
        click.echo(f"{name}: {problem}", err=True)
    click.echo(_("%(num)d bestanden staan in %(store)s en kloppen (sha256); %(failed)d niet.",
                 num=copied, store=target, failed=len(problems)))
    if problems:
        raise SystemExit(1)
    click.echo(_("Zet nu STORAGE_URL=%(url)s en start de website opnieuw.", url=url))
