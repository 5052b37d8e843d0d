"""Logins kept on the server, one row per browser, so that logging out really ends one.

The session cookie is signed, but whoever copies it holds a valid signature. So the cookie also
carries a random key, and only a key with a row here opens anything: logging out deletes the
row (a copied cookie stops working), a new password deletes the member's other rows, and
deactivating an account deletes them all.
"""
import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from flask import current_app, g, session
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from ..core.database import utcnow
from ..core.extensions import db
from ..core.i18n import lazy_gettext_markup as _lm
from ..core.privacy import Processing
from ..core.retention import delete_rows
from .models import LoginSession, User

log = logging.getLogger(__name__)

COOKIE_KEY = "login"
# How often a session's last use is written: once an hour is enough for a limit of days, and
# spares the database a write on every click.
TOUCH_EVERY = timedelta(hours=1)


def _hash(key: str) -> str:
    # Only the hash is stored: a copy of the database opens no browser's session.
    return hashlib.sha256(key.encode()).hexdigest()


def _idle_limit(config) -> timedelta:
    # The cookie's own lifetime: a login unused this long has ended on both sides.
    return config["PERMANENT_SESSION_LIFETIME"]


def _this_browsers_key_hash() -> str | None:
    key = session.get(COOKIE_KEY)
    return _hash(key) if isinstance(key, str) else None


def _end_this_browsers_session() -> None:
    if (key_hash := _this_browsers_key_hash()) is not None:
        db.session.execute(db.delete(LoginSession).where(LoginSession.key_hash == key_hash))
    session.pop(COOKIE_KEY, None)


def start(user: User, permanent: bool) -> None:
    """Log this browser in as user, with a new key. The caller commits."""
    _end_this_browsers_session()  # someone else logged in here before: that login ends
    key = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user=user, key_hash=_hash(key)))
    login_user(user)
    session[COOKIE_KEY] = key
    # Otherwise the login ends when the browser closes (shared computers at the Werkplein).
    session.permanent = permanent


def end() -> None:
    """Log this browser out, on the server too. The caller commits."""
    _end_this_browsers_session()
    logout_user()
    # Nothing of this login (messages waiting to be shown, choices) is left for the next person
    # at a shared computer.
    session.clear()


def end_all(user: User, except_this_browser: bool = False) -> None:
    """End the member's logins everywhere (or everywhere else). The caller commits."""
    query = db.delete(LoginSession).where(LoginSession.user_id == user.id)
    if except_this_browser and (key_hash := _this_browsers_key_hash()) is not None:
        query = query.where(LoginSession.key_hash != key_hash)
    db.session.execute(query)


def user_of_this_browser(user_id: str) -> User | None:
    """The member logged in here, while their login runs on the server and the account is on."""
    key_hash = _this_browsers_key_hash()
    if key_hash is None or not user_id.isdigit():
        return None
    login = db.session.scalar(db.select(LoginSession).filter_by(key_hash=key_hash)
                              .options(joinedload(LoginSession.user)))
    now = utcnow()
    if (login is None or login.user_id != int(user_id) or not login.user.is_active
            or login.last_seen_at < now - _idle_limit(current_app.config)):
        return None
    if login.last_seen_at < now - TOUCH_EVERY:
        g.login_seen = login.id
    return login.user


def note_last_use(_error=None) -> None:
    """After the request, write when this login was last used (see TOUCH_EVERY).

    Written after the view, in a transaction of its own: the view has committed what it meant
    to keep, and what it left uncommitted is dropped at the end of the request anyway.
    """
    login_id = g.pop("login_seen", None)
    if login_id is None:
        return
    try:
        db.session.rollback()
        db.session.execute(db.update(LoginSession).where(LoginSession.id == login_id).values(last_seen_at=utcnow()))
        db.session.commit()
    except SQLAlchemyError:  # a busy database: the next request tries again
        db.session.rollback()
        log.warning("could not note the last use of a login", exc_info=True)


PROCESSING = Processing(
    name=_l("Ingelogd zijn"),
    purpose=_l("Weten op welke apparaten een lid is ingelogd. Zo stopt uitloggen echt, en stopt een nieuw "
               "wachtwoord de andere apparaten."),
    people=_l("Leden"),
    data=_l("Per apparaat: een willekeurige sleutel (alleen versleuteld bewaard), wanneer het lid inlogde en wanneer "
            "het lid de website het laatst gebruikte. Geen IP-adres, geen soort browser."),
    recipients=_l("Niemand: alleen de website zelf gebruikt dit"),
    retention=lambda config: _lm("Tot het lid uitlogt of een nieuw wachtwoord kiest, en hoogstens %(days)s dagen na "
                                 "het laatste gebruik.", days=_idle_limit(config).days),
)


def purge_logins(now: datetime, dry_run: bool) -> int:
    """Logins unused for longer than the limit opened nothing any more; their rows go."""
    return delete_rows(LoginSession, LoginSession.last_seen_at < now - _idle_limit(current_app.config), dry_run)
