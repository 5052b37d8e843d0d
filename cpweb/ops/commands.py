"""`flask --app app cpweb backup PATH`, `cpweb restore PATH [--force]` and `cpweb migrate-to-postgres URL`."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from .backup import BackupError, backup_name, make_backup, prune, restore_backup


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path())
@click.option("--keep", type=click.IntRange(min=1), help="Bij een map: bewaar alleen de nieuwste N archieven.")
def backup_command(path, keep):
    """Write a backup (database, uploads, instance config) to PATH, a .tar.gz file or a folder."""
    if path.endswith("/") or Path(path).is_dir():
        folder = Path(path)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = folder / backup_name()
    elif keep:
        raise click.UsageError(_("--keep werkt alleen als PATH een map is."))
    else:
        folder, target = None, Path(path)
    if target.exists():
        raise click.ClickException(_("%(path)s bestaat al.", path=target))
    try:
        manifest = make_backup(target)
    except (BackupError, OSError) as error:
        raise click.ClickException(_("Back-up mislukt: %(error)s", error=error)) from None
    rows = sum(manifest["database"]["tables"].values())
    uploads = sum(1 for name in manifest["files"] if name.startswith("uploads/"))
    click.echo(_("Back-up geschreven: %(path)s (%(kb)s kB; %(rows)s rijen, %(files)s bestanden)",
                 path=target, kb=target.stat().st_size // 1024, rows=rows, files=uploads))
    for name in manifest["skipped"]:
        click.echo(_("Overgeslagen (verdwenen tijdens de back-up): %(name)s", name=name))
    if current_app.config.get("STORAGE_URL"):
        click.echo(_("De bestanden in %(url)s zitten niet in deze back-up: bewaar ze met de opslag zelf "
                     "(versies of replicatie).", url=current_app.config["STORAGE_URL"]))
    if folder is not None and keep:
        for old in prune(folder, keep):
            click.echo(_("Oude back-up verwijderd: %(name)s", name=old.name))


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Ook als er al gegevens zijn: die worden overschreven.")
def restore_command(path, force):
    """Put a backup back into this (empty) instance; stop the site first."""
    try:
        manifest = restore_backup(path, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    rows = sum(manifest["database"]["tables"].values())
    click.echo(_("Teruggezet uit %(name)s (gemaakt %(made)s): %(rows)s rijen, %(files)s bestanden.",
                 name=path.name, made=manifest["created_at"], rows=rows,
                 files=sum(1 for n in manifest["files"] if n.startswith("uploads/"))))
    click.echo(_("Draai nu `flask --app app cpweb init` (werkt het schema bij als de code nieuwer is) "
                 "en start de site."))


@click.command("migrate-to-postgres")
@with_appcontext
@click.argument("url", required=False)
def migrate_to_postgres_command(url):
    """Copy this site's SQLite database into an empty PostgreSQL database (stop the site first).

    Without URL it asks for the address, unseen: a password on the command line would stay in the
    shell's history and show in `ps` to everyone on the server."""
    from .postgres import CopyError, migrate_to_postgres  # with Alembic: loaded by this command, not by every worker

    if not url:
        url = click.prompt(_("Adres van de PostgreSQL-database (u ziet niet wat u typt)"), hide_input=True)
    try:
        counts = migrate_to_postgres(url, echo=click.echo)
    except CopyError as error:
        raise click.ClickException(str(error)) from None
    for name, rows in counts.items():
        click.echo(f"  {name}: {rows}")
    click.echo(_("Alle %(tables)s tabellen gekopieerd, %(rows)s rijen; de aantallen kloppen.",
                 tables=len(counts), rows=sum(counts.values())))
    click.echo(_("Zet nu CPWEB_DATABASE_URL op dit adres en start de site opnieuw (zie docs/deploy.md)."))
