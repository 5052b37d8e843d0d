"""Passkeys (WebAuthn) as a second factor, next to the app: quicker where the browser has them.

They need JavaScript (static/js/passkeys.js), so they never replace the app's code, which works
in every browser. The site is the relying party named by SITE_URL: a passkey made for it only
works on that address (a look-alike site gets nothing it can use).

The webauthn package (with its cryptography) is imported by the functions that speak the protocol:
a worker loads it when someone makes or uses a passkey, not for every page.
"""
import hashlib
import hmac
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from ..core.audit import record
from ..core.extensions import db
from . import login, notices, throttle
from .models import Passkey, User

MAX_NAME = 60


def _site() -> tuple[str, str]:
    """(relying party id, origin) from SITE_URL: the host name, and scheme://host[:port]."""
    parts = urlsplit(current_app.config["SITE_URL"])
    return parts.hostname or "localhost", f"{parts.scheme}://{parts.netloc}"


def _user_handle(user: User) -> bytes:
    # Stable per member (an authenticator keeps one entry per account), and not their id or address.
    return hmac.new(current_app.config["SECRET_KEY"].encode(), f"passkey-user:{user.id}".encode(),
                    hashlib.sha256).digest()


def passkeys_of(user: User) -> list[Passkey]:
    return list(db.session.scalars(db.select(Passkey).filter_by(user_id=user.id).order_by(Passkey.created_at)))


def _descriptors(user: User) -> list:
    from webauthn.helpers.structs import PublicKeyCredentialDescriptor

    return [PublicKeyCredentialDescriptor(id=passkey.credential_id) for passkey in passkeys_of(user)]


def registration_options(user: User) -> tuple[str, bytes]:
    """(options as JSON for navigator.credentials.create, the challenge to keep until the answer)."""
    from webauthn import generate_registration_options, options_to_json
    from webauthn.helpers.structs import (AuthenticatorSelectionCriteria, ResidentKeyRequirement,
                                          UserVerificationRequirement)

    rp_id, _origin = _site()
    options = generate_registration_options(
        rp_id=rp_id, rp_name=current_app.config["SITE_NAME"], user_name=user.email, user_display_name=user.name,
        user_id=_user_handle(user), exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.DISCOURAGED))
    return options_to_json(options), options.challenge


def register(user: User, name: str, credential_json: str, challenge: bytes, now: datetime) -> str | None:
    """Keep a new passkey under the name the member chose; returns why not. Commits."""
    from webauthn import verify_registration_response
    from webauthn.helpers import parse_registration_credential_json
    from webauthn.helpers.exceptions import WebAuthnException

    name = " ".join(name.split())
    if not name:
        return _("Geef de passkey een naam, bijvoorbeeld ‘Mijn telefoon’.")
    if len(name) > MAX_NAME:
        return _("Gebruik hoogstens %(n)s tekens voor de naam.", n=MAX_NAME)
    rp_id, origin = _site()
    try:
        verified = verify_registration_response(credential=parse_registration_credential_json(credential_json),
                                                 expected_challenge=challenge, expected_rp_id=rp_id,
                                                 expected_origin=origin)
    except (WebAuthnException, ValueError, KeyError, TypeError):
        return _("Het maken van de passkey lukte niet. Probeer het opnieuw, of gebruik de app.")
    if db.session.scalar(db.select(Passkey.id).filter_by(credential_id=verified.credential_id)) is not None:
        return _("Deze passkey is al bewaard.")
    db.session.add(Passkey(user_id=user.id, name=name, credential_id=verified.credential_id,
                           public_key=verified.credential_public_key, sign_count=verified.sign_count, created_at=now))
    record("passkey_added", subject=user, actor=user, detail=name)
    notices.second_factor_changed(user, _("Er is een passkey bewaard voor uw account, met de naam ‘%(name)s’.",
                                          name=name), now)
    db.session.commit()
    return None


def authentication_options(user: User) -> tuple[str, bytes]:
    """(options as JSON for navigator.credentials.get, the challenge), for the member's own passkeys only."""
    from webauthn import generate_authentication_options, options_to_json
    from webauthn.helpers.structs import UserVerificationRequirement

    rp_id, _origin = _site()
    options = generate_authentication_options(rp_id=rp_id, allow_credentials=_descriptors(user),
                                              user_verification=UserVerificationRequirement.DISCOURAGED)
    return options_to_json(options), options.challenge


def verify(user: User, credential_json: str, challenge: bytes, now: datetime) -> bool:
    """True when one of the member's passkeys signed this challenge. The caller commits."""
    from webauthn import verify_authentication_response
    from webauthn.helpers import parse_authentication_credential_json
    from webauthn.helpers.exceptions import WebAuthnException

    try:
        credential = parse_authentication_credential_json(credential_json)
    except (WebAuthnException, ValueError, KeyError, TypeError):
        return False
    passkey = db.session.scalar(db.select(Passkey).filter_by(user_id=user.id, credential_id=credential.raw_id))
    if passkey is None:
        return False
    rp_id, origin = _site()
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id, expected_origin=origin,
            credential_public_key=passkey.public_key, credential_current_sign_count=passkey.sign_count)
    except (WebAuthnException, ValueError, KeyError, TypeError):
        return False
    passkey.sign_count, passkey.last_used_at = verified.new_sign_count, now
    return True


def log_in(pending: login.Pending, credential_json: str, challenge: bytes | None, now: datetime) -> login.Check:
    """The second step of logging in with a passkey that signed this browser's challenge; a wrong
    one counts as a wrong password."""
    user = pending.user
    if wait := throttle.seconds_to_wait(user.email):
        return login.Check(None, wait)
    if challenge is None or not verify(user, credential_json, challenge, now):
        throttle.failed(user.email, user, now)
        return login.Check(None)
    login.complete(user, pending.permanent, now)  # commits
    return login.Check(user)


def remove(user: User, passkey_id: int, now: datetime) -> bool:
    """Remove one of the member's own passkeys; False when it is not theirs (or gone). Commits."""
    passkey = db.session.scalar(db.select(Passkey).filter_by(id=passkey_id, user_id=user.id))
    if passkey is None:
        return False
    db.session.delete(passkey)
    record("passkey_removed", subject=user, actor=user, detail=passkey.name)
    notices.second_factor_changed(user, _("De passkey ‘%(name)s’ is verwijderd van uw account.", name=passkey.name), now)
    db.session.commit()
    return True
