"""Wrong passwords and codes per account: a few cost nothing, then each next try waits longer,
then the account waits a while and its owner is told.

Counted per e-mail address as typed, also for addresses nobody has: an unknown address then
answers exactly like a known one, so the limit tells nobody which addresses exist. The counts
live in the rate limiter's storage (the site's database, or Redis), shared by every worker.
"""
import math
import time
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import format_timedelta
from flask_babel import gettext as _

from ..extensions import db, limiter
from . import notices


def _keys(email: str) -> tuple[str, str]:
    address = email.strip().lower()
    return f"login-failures/{address}", f"login-wait/{address}"


def _counting() -> bool:
    # RATELIMIT_ENABLED = False switches every limit off (e.g. for a load test), this one too.
    return current_app.config.get("RATELIMIT_ENABLED", True)


def seconds_to_wait(email: str) -> int:
    """How long this account must wait before its next try; 0 when it may try now."""
    wait_key = _keys(email)[1]
    if not _counting() or limiter.storage.get(wait_key) == 0:
        return 0
    return max(1, math.ceil(limiter.storage.get_expiry(wait_key) - time.time()))


def _wait_after(failures: int, config) -> int:
    if failures >= config["LOGIN_LOCK_AFTER"]:
        return int(config["LOGIN_LOCK_TIME"].total_seconds())
    if failures >= config["LOGIN_FREE_FAILURES"]:
        first = config["LOGIN_FIRST_WAIT"].total_seconds()
        return int(first * 2 ** (failures - config["LOGIN_FREE_FAILURES"]))
    return 0


def failed(email: str, user, now: datetime) -> int:
    """Count a wrong password or code typed for this address; returns the seconds until the next try.

    user: the member with this address, or None. When this failure locks the account, its owner
    gets a mail (committed here: nothing else is saved after a wrong try).
    """
    config = current_app.config
    if not _counting():
        return 0
    failures_key, wait_key = _keys(email)
    storage = limiter.storage
    failures = storage.incr(failures_key, int(config["LOGIN_FAILURE_WINDOW"].total_seconds()))
    wait = _wait_after(failures, config)
    if wait:
        storage.clear(wait_key)
        storage.incr(wait_key, wait)
    if failures == config["LOGIN_LOCK_AFTER"] and user is not None:
        notices.account_locked(user, wait // 60, now)
        db.session.commit()
    return wait


def succeeded(email: str) -> None:
    """The member is in: earlier wrong tries no longer count."""
    for key in _keys(email) if _counting() else ():
        limiter.storage.clear(key)


def wait_message(seconds: int) -> str:
    return _("U heeft te vaak een verkeerd wachtwoord of een verkeerde code getypt. Wacht %(time)s. "
             "Probeer het daarna opnieuw.",
             time=format_timedelta(timedelta(seconds=seconds), granularity="second", threshold=1.5))
