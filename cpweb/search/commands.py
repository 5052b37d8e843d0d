"""`flask --app app cpweb reindex`: build the search indexes again from the rows."""
import click
from flask.cli import with_appcontext

from . import logic


@click.command("reindex")
@with_appcontext
def reindex_command():
    """Index every meeting, agenda item, minutes, action item, advice, activity, proposal, signal,
    followed council's item, handbook page and document again (after a restore, or when in doubt)."""
    for table, number in logic.reindex().items():
        click.echo(f"{table}: {number}")
