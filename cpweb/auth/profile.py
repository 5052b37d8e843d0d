"""A member's own details and password. The e-mail address is the key to the account (reset links
go there), so changing it asks for the password and tells the old address."""
from datetime import datetime

from flask_babel import gettext as _

from ..core.audit import record
from ..core.extensions import db
from ..mail import choose_kinds
from . import login, notices, sessions, throttle, tokens
from .models import User


def _wrong_password(user: User, password: str, now: datetime) -> str | None:
    """Why the typed current password does not do; wrong ones count as for logging in."""
    if wait := throttle.seconds_to_wait(user.email):
        return throttle.wait_message(wait)
    if not user.check_password(password):
        throttle.failed(user.email, user, now)
        return _("Uw huidige wachtwoord klopt niet.")
    return None


def _email_change_problem(user: User, email: str, password: str, now: datetime) -> tuple[str, str] | None:
    if db.session.scalar(db.select(User.id).filter(User.email == email, User.id != user.id)) is not None:
        return "email", _("Dit e-mailadres hoort al bij een ander lid. Kies een ander adres.")
    if not password:
        return "email_password", _("Vul uw huidige wachtwoord in. Dat is nodig om uw e-mailadres te wijzigen.")
    if problem := _wrong_password(user, password, now):
        return "email_password", problem
    return None


def update_profile(user: User, values: dict, now: datetime) -> tuple[str, str] | None:
    """Save name, address and language; a new address needs the password and is told to the old one.

    Returns (field, message) for a change that cannot be made, and then saves nothing.
    """
    old_email = user.email
    if values["email"] != old_email:
        if problem := _email_change_problem(user, values["email"], values["email_password"] or "", now):
            return problem
        record("email_changed", subject=user, actor=user, detail=f"{old_email} → {values['email']}")
    user.name, user.email, user.language = values["name"], values["email"], values["language"]
    if user.email != old_email:
        notices.email_changed(user, old_email, now)
    db.session.commit()
    return None


def change_password(user: User, current: str, new: str, now: datetime) -> str | None:
    """A new password, after the current one; the member's other browsers are logged out and the
    member gets a mail. Returns why not."""
    if problem := _wrong_password(user, current, now):
        return problem
    user.set_password(new)
    sessions.end_all(user, except_this_browser=True)
    notices.password_changed(user, now)
    db.session.commit()
    return None


def set_password_from_link(user: User, password: str, purpose: str, next_url: str, now: datetime) -> bool:
    """The password chosen with an invitation or reset link. Whoever else was logged in as this
    member is out. Logs this browser in, or returns True when the second step must follow first."""
    user.set_password(password)
    sessions.end_all(user)
    if purpose == tokens.PASSWORD_RESET:
        notices.password_changed(user, now)
    if login.needs_second_step(user):
        login.begin(user, False, next_url)
        db.session.commit()
        return True
    login.complete(user, False, now)
    return False


def choose_mails(user: User, kinds) -> None:
    """The optional mails the member wants (the kinds in mail's list)."""
    choose_kinds(user, kinds)
    db.session.commit()


def choose_language(user: User, language: str) -> None:
    """The language the site speaks to the member, also in mails."""
    user.language = language
    db.session.commit()


def hide_first_steps(user: User, now: datetime) -> None:
    """The member knows the way: their home page no longer starts with the first steps."""
    user.first_steps_hidden_at = user.first_steps_hidden_at or now
    db.session.commit()
