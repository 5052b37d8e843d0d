"""Rules for managing members; views and the command line both use these."""
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..audit import record
from ..auth import sessions, tokens
from ..auth.models import User
from ..bodies.logic import body_names, set_memberships
from ..database import utcnow
from ..extensions import db
from ..privacy import Processing


class MemberError(ValueError):
    """A change that cannot be made; `field` names the form field the message belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _email_taken_error() -> MemberError:
    return MemberError("email", _("Dit e-mailadres hoort al bij een ander lid. Zoek het lid op in de lijst."))


def email_taken(email: str, except_user: User | None = None) -> bool:
    query = db.select(User.id).filter(User.email == email)
    if except_user is not None:
        query = query.filter(User.id != except_user.id)
    return db.session.scalar(query) is not None


def create_member(email: str, name: str, role: str, body_ids=(), password: str | None = None) -> User:
    """A new member; without a password they get an invitation by e-mail. Caller commits."""
    if email_taken(email):
        raise _email_taken_error()
    user = User(email=email, name=name, role=role)
    set_memberships(user, body_ids)
    db.session.add(user)
    if password:
        user.set_password(password)
        record("created", subject=user, detail=role)
    else:
        invite(user)
        record("invited", subject=user, detail=f"{role}; {body_names(body_ids)}")
    return user


def invite(user: User) -> None:
    user.invited_at = utcnow()
    db.session.flush()  # the link needs the id
    tokens.send_password_link(user, tokens.INVITATION)


def resend_invitation(user: User) -> None:
    invite(user)
    record("invitation_resent", subject=user)


def send_reset_link(user: User) -> None:
    """For a member who cannot log in: a link to choose a new password, by mail."""
    tokens.send_password_link(user, tokens.PASSWORD_RESET)
    record("password_link_sent", subject=user)


def link_to_copy(user: User) -> tuple[str, str]:
    """A new invitation link (or, for a member with a password, a password link) that the admin
    passes on by hand, e.g. when mail does not arrive; (purpose, link). The audit log notes who saw one."""
    purpose = tokens.PASSWORD_RESET if user.has_accepted_invitation else tokens.INVITATION
    if purpose == tokens.INVITATION:
        user.invited_at = utcnow()
    record("link_shown", subject=user, detail=purpose)
    return purpose, tokens.password_link(user, purpose)


def update_member(actor: User, user: User, name: str, email: str, role: str, body_ids) -> None:
    """Apply the admin's changes and log each kind of change once."""
    if email_taken(email, except_user=user):
        raise _email_taken_error()
    if user.id == actor.id and role != user.role:
        # An admin who demotes themselves could leave the site without any admin.
        raise MemberError("role", _("U kunt uw eigen rol niet veranderen. Vraag dat een andere beheerder."))
    if (name, email) != (user.name, user.email):
        record("details_changed", subject=user, detail=f"{user.name} <{user.email}> → {name} <{email}>")
        user.name, user.email = name, email
    if role != user.role:
        record("role_changed", subject=user, detail=f"{user.role} → {role}")
        user.role = role
    before = user.body_ids
    if set_memberships(user, body_ids):
        record("bodies_changed", subject=user, detail=f"{body_names(before)} → {body_names(body_ids)}")


def set_active(user: User, active: bool) -> None:
    """Deactivating keeps everything the member wrote; they can no longer log in."""
    if user.is_active_member == active:
        return
    user.is_active_member = active
    if not active:
        sessions.end_all(user)  # switched on again later, it starts without the old logins
    record("reactivated" if active else "deactivated", subject=user)


def can_deactivate(actor: User, user: User) -> str | None:
    """Why this admin may not deactivate this member, or None."""
    if actor.id == user.id:
        return _("U kunt uw eigen account niet uitzetten.")
    return None


PROCESSING = Processing(
    name=_l("Leden en hun accounts"),
    purpose=_l("Leden uitnodigen, laten inloggen, en e-mails sturen over vergaderingen en stukken."),
    people=_l("Leden van de organen"),
    data=_l("Naam, e-mailadres, rol, organen, taal, e-mailkeuzes, laatste keer ingelogd"),
    recipients=_l("Andere leden van hetzelfde orgaan zien de naam; beheerders zien alles"),
    retention=lambda config: _l("Zolang iemand lid is. Een uitnodiging die niemand gebruikt: %(days)s dagen.",
                                days=config["UNUSED_INVITATION_RETENTION"].days),
)


def purge_unused_invitations(now: datetime, dry_run: bool) -> int:
    """Invited people who never chose a password wrote nothing: remove them after the retention period."""
    cutoff = now - current_app.config["UNUSED_INVITATION_RETENTION"]
    stale = db.session.scalars(
        db.select(User).filter(User.password_hash.is_(None), User.invited_at < cutoff)
    ).all()
    if not dry_run:
        for user in stale:
            db.session.delete(user)
    return len(stale)
