"""What makes a password strong enough: long, and not one everybody tries first."""
from flask_babel import lazy_gettext as _l

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
        return _l("Kies een wachtwoord van minstens %(n)s tekens.", n=MIN_LENGTH)
    lowered = password.lower()
    if lowered in COMMON or len(set(lowered)) < 4:
        return _l("Dit wachtwoord is te makkelijk te raden. Kies een ander wachtwoord, "
                  "bijvoorbeeld drie of vier losse woorden.")
    local_part = email.lower().partition("@")[0]
    if len(local_part) >= 4 and local_part in lowered:
        return _l("Gebruik uw e-mailadres niet in uw wachtwoord.")
    return None
