"""`flask --app app cpweb bronnen …`: follow another council's feed, refresh, and list the sources."""
import click
from flask.cli import with_appcontext

from . import logic


@click.group("bronnen")
def sources_command():
    """Bronnen van andere raden: agenda's en nieuwsfeeds die deze website volgt."""


@sources_command.command("toevoegen")
@click.argument("url")
@click.option("--naam", required=True, help="Hoe de bron op de website heet, bijvoorbeeld ‘Cliëntenraad Leeuwarden’.")
@with_appcontext
def add_command(url: str, naam: str):
    """Volg een agenda (iCalendar) of nieuwsfeed (Atom of RSS) van een andere raad."""
    source = logic.add_source(naam, url)
    if isinstance(source, str):
        raise click.ClickException(source)
    click.echo(f"Bron {source.id} toegevoegd: {source.name} ({source.url}). Ververs met: cpweb bronnen verversen")


@sources_command.command("verversen")
@with_appcontext
def refresh_command():
    """Haal de bronnen op waarvan het tijd is (ook: cpweb cron)."""
    outcome = logic.refresh_due()
    click.echo(f"bronnen: {outcome['ok']} ververst, {outcome['failed']} mislukt")


@sources_command.command("lijst")
@with_appcontext
def list_command():
    """Elke bron met zijn status en de laatste fout."""
    counts = logic.counts()
    for source in logic.sources():
        events, entries = counts.get(source.id, (0, 0))
        error = f" · fout: {logic.error_text(source.last_error)}" if source.last_error else ""
        click.echo(f"{source.id}\t{source.name}\t{source.status}\t{events} afspraken, {entries} berichten\t"
                   f"laatst: {source.last_checked_at or '-'}{error}\t{source.url}")


def refresh_job() -> None:
    logic.refresh_due()
