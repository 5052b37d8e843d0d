"""Retention periods for personal data: each feature registers what it purges (hooks.purger).

`flask --app app cpweb purge [--dry-run]` runs every registered purger; safe to run daily.
"""
from collections.abc import Callable
from datetime import datetime

from .extensions import db
from .hooks import hooks

# fn(now, dry_run) -> how many records were (or, in a dry run, would be) removed.
Purger = Callable[[datetime, bool], int]


def delete_rows(model, condition, dry_run: bool) -> int:
    """A purger's usual work: delete the rows of model that match condition, or count them in a dry run."""
    if dry_run:
        return db.session.scalar(db.select(db.func.count()).select_from(model).where(condition))
    return db.session.execute(db.delete(model).where(condition)).rowcount


def run_purge(now: datetime, dry_run: bool = False) -> dict[str, int]:
    return {name: fn(now, dry_run) for name, fn in hooks().purgers.items()}
