"""Retention periods for personal data: each feature registers what it purges.

`flask --app app cpweb purge` runs every registered purger; it is safe to run daily.
"""
from collections.abc import Callable
from datetime import datetime

Purger = Callable[[datetime], int]
_purgers: dict[str, Purger] = {}


def purger(name: str):
    """Register fn(now) -> number of records removed, under a name shown in the command output."""

    def register(fn: Purger) -> Purger:
        _purgers[name] = fn
        return fn

    return register


def run_purge(now: datetime) -> dict[str, int]:
    return {name: fn(now) for name, fn in _purgers.items()}
