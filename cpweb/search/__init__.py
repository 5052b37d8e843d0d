"""One search box over everything a person may open: meetings, agenda items, minutes and decisions,
action items, documents, the handbook, advice, activities, proposals, signals (for who triages)
and the followed councils' items. Each kind has its own full-text index; who finds what is each
page's own rule, in the query (see kinds)."""
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..core.hooks import hooks


def init_app(app) -> None:
    from . import commands, kinds, logic, views

    hook = hooks(app)
    app.register_blueprint(views.bp)
    hook.command(commands.reindex_command)
    for kind in kinds.OWN:
        hook.fulltext_index(kind.index)
    # Every session's flush keeps the indexes with the rows: the features write their rows as
    # always, and no write can forget its index.
    if not event.contains(Session, "after_flush", logic.keep_indexes):
        event.listen(Session, "after_flush", logic.keep_indexes)
