"""Logging in: the password, then (for those who have one or must) the second factor.

Between the two steps the member is not logged in at all: the browser's session only holds who
typed the right password, for a few minutes (`Pending`). So no page can be opened halfway.
"""
import time
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, session
from flask_babel import gettext as _

from ..core.extensions import db
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
class Check:
    """A try that counts against guessing (a password, a code, a passkey)."""

    user: User | None  # the member, when it was right
    wait: int = 0  # seconds to wait: this try was not even checked


def check_password(email: str, password: str, now: datetime) -> Check:
    """Check a typed address and password, at the same cost whether or not the address is known."""
    if wait := throttle.seconds_to_wait(email):
        return Check(None, wait)
    user = find_member(email)
    if not password_matches(user.password_hash if user else None, password):
        throttle.failed(email, user, now)
        return Check(None)
    return Check(user)


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


# --- what a person does: one call each, committed once -------------------------------------------
# These keep the login in this browser's session (Flask's session and Flask-Login), so they belong
# with it here rather than in the views.

CODE_STEP, SETUP_STEP = "code", "setup"


@dataclass(frozen=True)
class PasswordStep:
    """What typing the address and password did: logged in when none of these is set."""

    wait: int = 0  # too many wrong tries: this one was not even checked
    problem: str | None = None  # why not, in Dutch
    second_step: str | None = None  # CODE_STEP or SETUP_STEP: logged in only after that


def log_in(email: str, password: str, permanent: bool, next_url: str, now: datetime) -> PasswordStep:
    """The first step of logging in; a member who has (or needs) a second factor goes on to it."""
    check = check_password(email, password, now)
    user = check.user
    if check.wait:
        return PasswordStep(wait=check.wait)
    if user is None:
        return PasswordStep(problem=_("Het e-mailadres of het wachtwoord klopt niet. Let op hoofdletters. "
                                      "Wachtwoord vergeten? Vraag een nieuw wachtwoord aan."))
    if not user.is_active:
        return PasswordStep(problem=_("Uw account staat uit. Vraag de beheerder om het weer aan te zetten."))
    if needs_second_step(user):
        begin(user, permanent, next_url)
        mark_password_confirmed(user)
        return PasswordStep(second_step=CODE_STEP if has_second_factor(user) else SETUP_STEP)
    complete(user, permanent, now)
    mark_password_confirmed(user)
    return PasswordStep()


def confirm_password(user: User, password: str, now: datetime) -> Check:
    """The password typed again before the second factor changes; wrong ones count as for logging in."""
    if wait := throttle.seconds_to_wait(user.email):
        return Check(None, wait)
    if not user.check_password(password):
        throttle.failed(user.email, user, now)
        return Check(None)
    mark_password_confirmed(user)
    return Check(user)


def log_out() -> None:
    """Log this browser out, also a login halfway: the password typed there counts no more."""
    cancel()
    sessions.end()
    db.session.commit()
