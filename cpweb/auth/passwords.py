"""What makes a password strong enough, and checking one at the same cost whoever it is for."""
import secrets
from functools import cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.i18n import lazy_gettext_markup as _lm

MIN_LENGTH = 10
# The passwords tried first in every attack, in Dutch and English.
COMMON = {
    "wachtwoord", "wachtwoord1", "wachtwoord123", "welkom123", "welkom01", "password",
    "password1", "password123", "qwertyuiop", "1234567890", "0123456789", "abcdefghij",
    "iloveyou12", "voetbal123", "geheim1234", "letmein123", "admin12345", "hallo12345",
}


def password_problem(password: str, email: str = "") -> str | None:
    """A Dutch instruction when the password is too weak, else None."""
    if len(password) < MIN_LENGTH:
        return _lm("Kies een wachtwoord van minstens %(n)s tekens.", n=MIN_LENGTH)
    lowered = password.lower()
    if lowered in COMMON or len(set(lowered)) < 4:
        return _l("Dit wachtwoord is te makkelijk te raden. Kies een ander wachtwoord, "
                  "bijvoorbeeld drie of vier losse woorden.")
    local_part = email.lower().partition("@")[0]
    if len(local_part) >= 4 and local_part in lowered:
        return _l("Gebruik uw e-mailadres niet in uw wachtwoord.")
    return None


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def password_matches(password_hash: str | None, password: str) -> bool:
    """Checks the password. Without a hash (no such member, or one who never chose a password) it
    checks against a made-up hash of the same kind: the answer takes as long as for a real member,
    so the time tells nobody which addresses have an account."""
    if password_hash is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return False
    return check_password_hash(password_hash, password)
