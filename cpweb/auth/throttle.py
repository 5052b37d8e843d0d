"""Wrong passwords and codes per account: a few cost nothing, then each next try waits longer,
then the account waits a while and its owner is told.

The waits are per account and client address together: someone guessing from one address makes
that address wait, never the owner elsewhere, whose right password (and code) gets in at once.
The account's own count (all addresses) brings the lock and the owner's mail: after
LOGIN_LOCK_AFTER failures each address that fails for it waits LOGIN_LOCK_TIME, so guessing from
many addresses gets one try per address; an address that never failed is never locked out.

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
from flask_limiter.util import get_remote_address

from ..core.extensions import db, limiter
from . import notices


def _keys(email: str) -> tuple[str, str, str]:
    """The account's count, and this client's count and wait for the account."""
    account = email.strip().lower()
    # The limiter's own key: the client's address (ProxyFix puts the real one there, TRUSTED_PROXIES).
    client = get_remote_address()
    # The client first: it has no "/", so no typed address can name another client's key.
    return f"login-failures/{account}", f"login-client-failures/{client}/{account}", f"login-wait/{client}/{account}"


def _counting() -> bool:
    # RATELIMIT_ENABLED = False switches every limit off (e.g. for a load test), this one too.
    return current_app.config.get("RATELIMIT_ENABLED", True)


def seconds_to_wait(email: str) -> int:
    """How long this account must wait before its next try from this client; 0 when it may try now."""
    wait_key = _keys(email)[2]
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
    """Count a wrong password or code typed for this address from this client; returns the seconds
    until this client's next try for it.

    user: the member with this address, or None. When this failure locks the account, its owner
    gets a mail (committed here: nothing else is saved after a wrong try).
    """
    config = current_app.config
    if not _counting():
        return 0
    account_key, client_key, wait_key = _keys(email)
    storage = limiter.storage
    window = int(config["LOGIN_FAILURE_WINDOW"].total_seconds())
    failures = storage.incr(account_key, window)
    wait = _wait_after(storage.incr(client_key, window), config)
    if failures >= config["LOGIN_LOCK_AFTER"]:
        wait = int(config["LOGIN_LOCK_TIME"].total_seconds())
    if wait:
        storage.clear(wait_key)
        storage.incr(wait_key, wait)
    if failures == config["LOGIN_LOCK_AFTER"] and user is not None:
        notices.account_locked(user, wait // 60, now)
        db.session.commit()
    return wait


def succeeded(email: str) -> None:
    """The member is in: earlier wrong tries no longer count, except another client's own (someone
    guessing elsewhere still waits)."""
    for key in _keys(email) if _counting() else ():
        limiter.storage.clear(key)


def wait_message(seconds: int) -> str:
    return _("U heeft te vaak een verkeerd wachtwoord of een verkeerde code getypt. Wacht %(time)s. "
             "Probeer het daarna opnieuw.",
             time=format_timedelta(timedelta(seconds=seconds), granularity="second", threshold=1.5))
