"""Rules for managing members; views and the command line both use these."""
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth import sessions, tokens
from ..auth.models import User
from ..bodies.logic import body_names, set_memberships
from ..core.audit import record
from ..core.database import utcnow
from ..core.extensions import db
from ..core.i18n import lazy_gettext_markup as _lm
from ..core.privacy import Processing


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


def create_member(email: str, name: str, role: str, body_ids=(), password: str | None = None,
                  inviter: User | None = None) -> User:
    """A new member; without a password they get an invitation by e-mail (from `inviter`, when a
    person invites). Caller commits."""
    if email_taken(email):
        raise _email_taken_error()
    user = User(email=email, name=name, role=role)
    set_memberships(user, body_ids)
    db.session.add(user)
    if password:
        user.set_password(password)
        record("created", subject=user, detail=role)
    else:
        invite(user, inviter)
        record("invited", subject=user, detail=f"{role}; {body_names(body_ids)}")
    return user


def invite(user: User, inviter: User | None) -> None:
    user.invited_at = utcnow()
    db.session.flush()  # the link needs the id
    tokens.send_password_link(user, tokens.INVITATION, invited_by=inviter.name if inviter else "",
                              bodies=body_names(user.body_ids) if user.body_ids else "")


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


def _switch(user: User, active: bool) -> None:
    """Deactivating keeps everything the member wrote; they can no longer log in."""
    if user.is_active_member == active:
        return
    user.is_active_member = active
    if not active:
        sessions.end_all(user)  # switched on again later, it starts without the old logins
    record("reactivated" if active else "deactivated", subject=user)


# --- what admins do: one call each, committed once -----------------------------------------------

def invite_member(actor: User, values: dict) -> MemberError | None:
    """A new member from the form (`values`: email, name, role, bodies), invited by mail in the
    actor's name. Returns what is wrong (with the form field it belongs to), or None once saved."""
    try:
        create_member(values["email"], values["name"], values["role"], values["bodies"], inviter=actor)
    except MemberError as error:
        return error
    db.session.commit()
    return None


def change_member(actor: User, user_id: int, values: dict) -> MemberError | None:
    """The admin's changes to a member (`values`: name, email, role, bodies), each kind logged once."""
    try:
        update_member(actor, db.session.get(User, user_id), values["name"], values["email"], values["role"],
                      values["bodies"])
    except MemberError as error:
        return error
    db.session.commit()
    return None


def set_active(actor: User, user_id: int, active: bool) -> str | None:
    """Turn a member's account off (what they wrote stays) or on again; returns why not."""
    if not active and actor.id == user_id:
        return _("U kunt uw eigen account niet uitzetten.")
    _switch(db.session.get(User, user_id), active)
    db.session.commit()
    return None


def resend_invitation(actor: User, user_id: int) -> str | None:
    """The invitation again (in the actor's name), for a member who has not chosen a password yet;
    returns why not."""
    user = db.session.get(User, user_id)
    if user.has_accepted_invitation or not user.is_active:
        return _("%(name)s heeft al een wachtwoord gekozen of het account staat uit.", name=user.name)
    invite(user, actor)
    record("invitation_resent", subject=user)
    db.session.commit()
    return None


def send_reset_link(user_id: int) -> str | None:
    """For a member who cannot log in: a link to choose a new password, by mail; returns why not."""
    user = db.session.get(User, user_id)
    if not user.has_accepted_invitation or not user.is_active:
        return _("%(name)s heeft nog geen wachtwoord of het account staat uit.", name=user.name)
    tokens.send_password_link(user, tokens.PASSWORD_RESET)
    record("password_link_sent", subject=user)
    db.session.commit()
    return None


@dataclass(frozen=True)
class CopyLink:
    """A link for the admin to pass on by hand: its purpose and the link; or why not."""

    purpose: str | None = None
    link: str | None = None
    problem: str | None = None


def link_to_copy(user_id: int) -> CopyLink:
    """A new invitation link (or, for a member with a password, a password link) that the admin
    passes on by hand, e.g. when mail does not arrive. The audit log notes who saw one."""
    user = db.session.get(User, user_id)
    if not user.is_active:
        return CopyLink(problem=_("Het account van %(name)s staat uit.", name=user.name))
    purpose = tokens.PASSWORD_RESET if user.has_accepted_invitation else tokens.INVITATION
    if purpose == tokens.INVITATION:
        user.invited_at = utcnow()
    record("link_shown", subject=user, detail=purpose)
    link = tokens.password_link(user, purpose)
    db.session.commit()
    return CopyLink(purpose, link)


PROCESSING = Processing(
    name=_l("Leden en hun accounts"),
    purpose=_l("Leden uitnodigen, laten inloggen, en e-mails sturen over vergaderingen en stukken."),
    people=_l("Leden van de organen"),
    data=_l("Naam, e-mailadres, rol, organen, taal, e-mailkeuzes, laatste keer ingelogd"),
    recipients=_l("Andere leden van hetzelfde orgaan zien de naam; beheerders zien alles"),
    retention=lambda config: _lm("Zolang iemand lid is. Een uitnodiging die niemand gebruikt: %(days)s dagen.",
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
