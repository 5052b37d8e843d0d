"""The second factor: a code from an authenticator app (TOTP, RFC 6238) and recovery codes.

A code is accepted once: the time step of the last code used is kept, and only a later step
passes (one step of slack either way, for a phone clock that is a little off). Recovery codes
are for when the phone is gone: ten, shown once, kept as hashes, each usable once. Passkeys
(cpweb.auth.passkeys) come on top of the app, never instead of it.
"""
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..core.audit import record
from ..core.extensions import db
from ..core.i18n import lazy_gettext_markup as _lm
from ..core.privacy import Processing
from . import login, notices, sessions, throttle
from .models import Passkey, RecoveryCode, User

RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: easy to copy from paper. 12 of these 31 are about 59 bits, plenty for a hash.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_GROUPS, RECOVERY_GROUP_LENGTH = 3, 4
# How long after they were made the new recovery codes can still be saved as a file or printed.
HANDOFF_SECONDS = 15 * 60


# --- the app ------------------------------------------------------------------------------------

def new_secret() -> str:
    return pyotp.random_base32()


@dataclass(frozen=True)
class SetupKey:
    """The key being set up, and whether it was made just now (there was none, or it expired)."""

    secret: str
    made_now: bool = False
    expired: bool = False  # an earlier one was there but is too old


def key_being_set_up(user: User, now: datetime) -> SetupKey:
    """The key the app is being given: the same one after a reload or a wrong code while it is
    fresh (the app has scanned it), otherwise a new one. Kept with the member on the server, never
    in the browser's cookie; commits when it makes one."""
    if user.totp_pending_secret is not None and user.totp_pending_until > now:
        return SetupKey(user.totp_pending_secret)
    expired = user.totp_pending_secret is not None
    user.totp_pending_secret = new_secret()
    user.totp_pending_until = now + current_app.config["TWO_FACTOR_SETUP_TIME"]
    db.session.commit()
    return SetupKey(user.totp_pending_secret, made_now=True, expired=expired)


def app_uri(secret: str, email: str) -> str:
    """The otpauth:// address in the QR code: the app shows the site's name and the member's address."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=current_app.config["SITE_NAME"])


def readable_secret(secret: str) -> str:
    """The key in groups of four, for those who type it into the app."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _digits(code: str) -> str:
    return "".join(c for c in code if not c.isspace() and c != "-")


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step (now, or one before or after) whose code this is; None for a wrong code."""
    code = _digits(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def use_app_code(user: User, code: str, now: datetime) -> bool:
    """True once for a right code; the same code (or an older one) a second time is refused."""
    if user.totp_secret is None:
        return False
    step = matching_step(user.totp_secret, code, now)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    # Conditional, so that two workers given the same code at once accept it only once.
    used = db.session.execute(db.update(User).where(
        User.id == user.id, db.or_(User.totp_last_step.is_(None), User.totp_last_step < step),
    ).values(totp_last_step=step).execution_options(synchronize_session=False)).rowcount
    if used != 1:
        db.session.rollback()
        return False
    user.totp_last_step = step
    return True


# --- recovery codes -----------------------------------------------------------------------------

def _normalised(code: str) -> str:
    return _digits(code).lower()


def _code_hash(user_id: int, code: str) -> str:
    return hashlib.sha256(f"{user_id}:{_normalised(code)}".encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _n in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _i in range(RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH))
        codes.append("-".join(raw[i:i + RECOVERY_GROUP_LENGTH] for i in range(0, len(raw), RECOVERY_GROUP_LENGTH)))
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_code_hash(user.id, raw)))
    return codes


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(db.select(db.func.count(RecoveryCode.id)).filter_by(user_id=user.id, used_at=None))


def use_recovery_code(user: User, code: str, now: datetime) -> bool:
    """True once per code; the member is told by mail, with how many are left."""
    if user.totp_secret is None:
        return False
    code_id = db.session.scalar(db.select(RecoveryCode.id).filter_by(
        user_id=user.id, code_hash=_code_hash(user.id, code), used_at=None))
    if code_id is None:
        return False
    used = db.session.execute(db.update(RecoveryCode).where(RecoveryCode.id == code_id, RecoveryCode.used_at.is_(None))
                              .values(used_at=now)).rowcount
    if used != 1:
        db.session.rollback()
        return False
    left = recovery_codes_left(user)
    notices.second_factor_changed(user, _(
        "U bent ingelogd met een herstelcode. Die code werkt nu niet meer. U heeft nog %(n)s herstelcodes.", n=left)
        + " " + _("Is uw telefoon kwijt? Stel dan de app opnieuw in op een nieuwe telefoon, via Mijn profiel."), now)
    return True


# --- saving new recovery codes: nothing kept on the server ----------------------------------------
# The page that shows new codes signs which codes they are, for whom and when; the file and the
# print page get the codes back from that page and check them against the signature and the
# member's unused codes, so they can only return what the member was just shown.

def _handoff_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="cpweb-recovery-codes")


def _codes_digest(user_id: int, codes: list[str]) -> str:
    return hashlib.sha256("\n".join([str(user_id), *map(_normalised, codes)]).encode()).hexdigest()


def handoff_token(user: User, codes: list[str]) -> str:
    return _handoff_serializer().dumps([user.id, _codes_digest(user.id, codes)])


def handed_off_codes(user: User, codes: list[str], token: str) -> tuple[list[str], datetime] | None:
    """The codes, and when they were made, if they are the member's new codes from the page signed
    less than HANDOFF_SECONDS ago and none is used yet; None otherwise."""
    try:
        (user_id, digest), made = _handoff_serializer().loads(token, max_age=HANDOFF_SECONDS, return_timestamp=True)
    except (BadSignature, ValueError, TypeError):
        return None
    if user_id != user.id or len(codes) != RECOVERY_CODE_COUNT or not hmac.compare_digest(
            str(digest), _codes_digest(user.id, codes)):
        return None
    unused = set(db.session.scalars(db.select(RecoveryCode.code_hash).filter_by(user_id=user.id, used_at=None)))
    if {_code_hash(user.id, code) for code in codes} != unused:
        return None  # replaced by newer codes, or one used already
    return codes, made


# --- what a member does: one call each, committed once -------------------------------------------

def log_in_with_code(pending: "login.Pending", code: str, now: datetime, recovery: bool = False) -> "login.Check":
    """The second step of logging in, with the app's code or (`recovery`) a recovery code; a right
    one logs this browser in, a wrong one counts as a wrong password."""
    user = pending.user
    if wait := throttle.seconds_to_wait(user.email):
        return login.Check(None, wait)
    if (use_recovery_code if recovery else use_app_code)(user, code, now):
        login.complete(user, pending.permanent, now)  # commits
        return login.Check(user)
    throttle.failed(user.email, user, now)
    return login.Check(None)


# --- changes ------------------------------------------------------------------------------------

def enable_app(user: User, code: str, now: datetime, pending: "login.Pending | None" = None) -> list[str] | None:
    """Switch the app on with the key being set up (key_being_set_up), once it shows a right code.

    Returns the new recovery codes (to show once), or None for a wrong code or no fresh key
    (nothing saved). Other browsers logged in with only the password are logged out. For a member
    in the middle of logging in (pending), this browser is logged in. Commits.
    """
    secret = user.totp_pending_secret
    if secret is None or user.totp_pending_until <= now:
        return None
    step = matching_step(secret, code, now)
    if step is None:
        return None
    user.totp_secret, user.totp_last_step = secret, step
    user.totp_pending_secret = user.totp_pending_until = None
    codes = _new_recovery_codes(user)
    record("two_factor_on", subject=user, actor=user)
    notices.second_factor_changed(user, _("Er is een app voor de tweede stap ingesteld voor uw account."), now)
    if pending is not None:
        login.complete(user, pending.permanent, now)  # commits
    else:
        sessions.end_all(user, except_this_browser=True)
        db.session.commit()
    return codes


def renew_recovery_codes(user: User, now: datetime) -> list[str]:
    codes = _new_recovery_codes(user)
    notices.second_factor_changed(user, _("Er zijn nieuwe herstelcodes gemaakt. De oude herstelcodes werken niet meer."),
                                  now)
    db.session.commit()
    return codes


def _remove_all(user: User) -> None:
    user.totp_secret = user.totp_last_step = user.totp_pending_secret = user.totp_pending_until = None
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(db.delete(Passkey).where(Passkey.user_id == user.id))


def disable(user: User, now: datetime) -> str | None:
    """The member switches their second factor off (app, recovery codes and passkeys).

    Returns why not, for a member whose role needs it.
    """
    if login.second_factor_required(user):
        return _("Voor uw rol is de tweede stap verplicht. U kunt hem niet uitzetten. Een nieuwe telefoon? "
                 "Stel de app dan opnieuw in.")
    _remove_all(user)
    record("two_factor_off", subject=user, actor=user)
    notices.second_factor_changed(user, _("De tweede stap voor uw account staat uit. Inloggen kan nu met alleen uw "
                                          "wachtwoord."), now)
    db.session.commit()
    return None


def reset_by_admin(admin: User, user: User, now: datetime) -> None:
    """An admin wipes a member's second factor (a lost phone); the member is logged out everywhere
    and sets it up again at the next login."""
    _remove_all(user)
    sessions.end_all(user)
    record("two_factor_reset", subject=user, actor=admin)
    notices.second_factor_reset(user, now)
    db.session.commit()


def purge_unused_setup_keys(now: datetime, dry_run: bool) -> int:
    """Keys shown for setting up the app that never got their right code: of no use once expired."""
    expired = User.totp_pending_until <= now
    if dry_run:
        return db.session.scalar(db.select(db.func.count(User.id)).where(expired))
    return db.session.execute(db.update(User).where(expired).values(totp_pending_secret=None, totp_pending_until=None)
                              .execution_options(synchronize_session=False)).rowcount


PROCESSING = Processing(
    name=_l("Tweede stap bij inloggen"),
    purpose=_l("Zeker weten dat wie inlogt echt het lid is, ook als iemand anders het wachtwoord kent."),
    people=_l("Leden die de tweede stap gebruiken (verplicht voor de rollen die persoonsgegevens zien)"),
    data=_l("De sleutel van de app (en een sleutel die nog wordt ingesteld), de laatste gebruikte code, "
            "herstelcodes (alleen versleuteld), en per passkey: "
            "de naam die het lid koos, de openbare sleutel en wanneer hij is gemaakt en het laatst gebruikt."),
    recipients=_l("Niemand: alleen de website zelf gebruikt dit"),
    retention=lambda config: _lm("Tot het lid de tweede stap uitzet, de beheerder hem wist of het account wordt "
                                 "verwijderd. Een sleutel die nog wordt ingesteld: %(minutes)s minuten, en dan tot de "
                                 "dagelijkse opruiming.",
                                 minutes=int(config["TWO_FACTOR_SETUP_TIME"].total_seconds() // 60)),
)
