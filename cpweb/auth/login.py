"""Logging in: the password, then (for those who have one or must) the second factor.

Between the two steps the member is not logged in at all: the browser's session only holds who
typed the right password, for a few minutes (`Pending`). So no page can be opened halfway.
"""
import time
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, session

from ..extensions import db
from . import sessions, throttle
from .models import User
from .passwords import password_matches

PENDING_KEY = "pending_login"
CONFIRMED_KEY = "password_confirmed"
# Long enough to find the phone and open the app; after that the password is asked again.
PENDING_SECONDS = 10 * 60


def find_member(email: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(email=email.strip().lower()))


@dataclass(frozen=True)
class PasswordCheck:
    user: User | None  # the member, when the password was right
    wait: int = 0  # seconds to wait: this try was not even checked


def check_password(email: str, password: str, now: datetime) -> PasswordCheck:
    """Check a typed address and password, at the same cost whether or not the address is known."""
    if wait := throttle.seconds_to_wait(email):
        return PasswordCheck(None, wait)
    user = find_member(email)
    if not password_matches(user.password_hash if user else None, password):
        throttle.failed(email, user, now)
        return PasswordCheck(None)
    return PasswordCheck(user)


def mark_password_confirmed(user: User) -> None:
    """The password was just typed: changing the second factor needs no new proof for a while."""
    session[CONFIRMED_KEY] = {"user": user.id, "at": int(time.time())}


def recently_confirmed(user: User) -> bool:
    data = session.get(CONFIRMED_KEY)
    max_age = current_app.config["REAUTHENTICATION_MAX_AGE"].total_seconds()
    return isinstance(data, dict) and data.get("user") == user.id and time.time() - data.get("at", 0) <= max_age


def second_factor_required(user: User) -> bool:
    return user.role in current_app.config["TWO_FACTOR_ROLES"]


def has_second_factor(user: User) -> bool:
    """The app is set up (passkeys come on top of it, never instead: they need JavaScript)."""
    return user.totp_secret is not None


def needs_second_step(user: User) -> bool:
    return has_second_factor(user) or second_factor_required(user)


@dataclass(frozen=True)
class Pending:
    """A member who typed the right password and still has to pass (or set up) the second factor."""

    user: User
    permanent: bool
    next_url: str

    @property
    def must_set_up(self) -> bool:
        return not has_second_factor(self.user)


def begin(user: User, permanent: bool, next_url: str) -> None:
    """Remember in this browser that the password was right. Nothing is logged in yet."""
    session[PENDING_KEY] = {"user": user.id, "token": user.session_token, "permanent": permanent,
                            "next": next_url, "at": int(time.time())}


def pending() -> Pending | None:
    """The half-finished login of this browser, while it is fresh and still valid (no new password since)."""
    data = session.get(PENDING_KEY)
    if not isinstance(data, dict) or time.time() - data.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, data.get("user"))
    if user is None or not user.is_active or user.session_token != data.get("token"):
        return None
    return Pending(user=user, permanent=bool(data.get("permanent")), next_url=data.get("next") or "/")


def cancel() -> None:
    session.pop(PENDING_KEY, None)


def complete(user: User, permanent: bool, now: datetime) -> None:
    """Log this browser in and save it, with whatever the caller changed before; then earlier
    wrong tries stop counting (their storage is written after the commit, never while it waits)."""
    cancel()
    sessions.start(user, permanent=permanent)
    user.last_login_at = now
    db.session.commit()
    throttle.succeeded(user.email)
