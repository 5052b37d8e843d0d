"""Retention periods for personal data: each feature registers what it purges.

`flask --app app cpweb purge [--dry-run]` runs every registered purger; safe to run daily.
"""
from collections.abc import Callable
from datetime import datetime

from .extensions import db

# fn(now, dry_run) -> how many records were (or, in a dry run, would be) removed.
Purger = Callable[[datetime, bool], int]
_purgers: dict[str, Purger] = {}


def purger(name: str):
    """Register a purger under a name shown in the command's output."""

    def register(fn: Purger) -> Purger:
        _purgers[name] = fn
        return fn

    return register


def delete_rows(model, condition, dry_run: bool) -> int:
    """A purger's usual work: delete the rows of model that match condition, or count them in a dry run."""
    if dry_run:
        return db.session.scalar(db.select(db.func.count()).select_from(model).where(condition))
    return db.session.execute(db.delete(model).where(condition)).rowcount


def run_purge(now: datetime, dry_run: bool = False) -> dict[str, int]:
    return {name: fn(now, dry_run) for name, fn in _purgers.items()}
