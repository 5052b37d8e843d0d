"""Signed links for invitations and password resets, valid for a while and used once.

The link carries the member's session token; setting a password renews that token, so a
used link stops working and an older link is void once a newer password is set.
"""
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..core.extensions import db
from ..mail import send_mail
from ..mail.models import OutboxMail
from ..web.urls import site_url
from .login import find_member
from .models import User

INVITATION = "invitation"
PASSWORD_RESET = "password-reset"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"cpweb-{purpose}")


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps([user.id, user.session_token])


def load_token(token: str, purpose: str, max_age: timedelta) -> User | None:
    """The member a valid, unused, unexpired token belongs to; None otherwise."""
    try:
        user_id, session_token = _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
    except (BadSignature, ValueError, TypeError):
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_token != session_token or not user.is_active:
        return None
    return user


def password_link(user: User, purpose: str) -> str:
    """A new invitation or password-reset link for the member."""
    return site_url("auth.set_password", purpose=purpose, token=make_token(user, purpose))


def _invitation_lines(site: str, invited_by: str, bodies: str) -> str:
    """Who invites and for which bodies: a mail from a stranger with a link is not clicked."""
    who = (_("%(inviter)s nodigt u uit voor de website van %(site)s.", inviter=invited_by, site=site) if invited_by
           else _("U bent uitgenodigd voor de website van %(site)s.", site=site))
    return who + (" " + _("U bent daar lid van: %(bodies)s.", bodies=bodies) if bodies else "")


def _password_link_mail(user: User, purpose: str, invited_by: str = "", bodies: str = "") -> tuple[str, str]:
    link = password_link(user, purpose)
    site = current_app.config["SITE_NAME"]
    if purpose == INVITATION:
        return _("Uitnodiging voor %(site)s", site=site), _(
            "Beste %(name)s,\n\n%(invitation)s\n\n"
            "Kies met deze link een wachtwoord. De link werkt 7 dagen.\n\n%(link)s",
            name=user.name, invitation=_invitation_lines(site, invited_by, bodies), link=link)
    return _("Nieuw wachtwoord voor %(site)s", site=site), _(
        "Beste %(name)s,\n\nU vroeg om een nieuw wachtwoord. Kies het met deze link. "
        "De link werkt 24 uur.\n\n%(link)s\n\nVroeg u hier niet om? Dan hoeft u niets te doen.",
        name=user.name, link=link)


def send_password_link(user: User, purpose: str, invited_by: str = "", bodies: str = "") -> None:
    """Put an invitation (saying who invites, for which bodies) or a password-reset link for the
    member in the outbox; the caller commits."""
    send_mail(user, *_password_link_mail(user, purpose, invited_by, bodies))


def request_password_reset(email: str) -> None:
    """Mail a reset link to the member with this address, if there is one. Commits.

    The same work either way, so the answer takes as long for an unknown address as for a known
    one: when nobody has the address, the link and the mail (with the same lines as a member's: a
    name and a password) are made for a stand-in and written to the outbox, then deleted again in
    the same transaction. So the commit writes as much, and nobody else ever sees that row. (Not a
    savepoint: its release counts as a commit for the mail's sending, before the real one.)
    """
    user = find_member(email)
    known = user is not None and user.is_active
    recipient = user if known else User(id=0, email=email, name=email.partition("@")[0], password_hash="")
    send_mail(recipient, *_password_link_mail(recipient, PASSWORD_RESET))
    written = [row for row in db.session.new if isinstance(row, OutboxMail)]
    db.session.flush()
    for row in written if not known else ():
        db.session.delete(row)
    db.session.commit()
