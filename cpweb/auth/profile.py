"""A member's own details. The e-mail address is the key to the account (reset links go there),
so changing it asks for the password and tells the old address."""
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from ..audit import record
from ..extensions import db
from ..i18n import datetime_long
from ..mail import send_mail
from .models import User


def _email_change_problem(user: User, email: str, password: str) -> tuple[str, str] | None:
    if db.session.scalar(db.select(User.id).filter(User.email == email, User.id != user.id)) is not None:
        return "email", _("Dit e-mailadres hoort al bij een ander lid. Kies een ander adres.")
    if not password:
        return "email_password", _("Vul uw huidige wachtwoord in. Dat is nodig om uw e-mailadres te wijzigen.")
    if not user.check_password(password):
        return "email_password", _("Uw huidige wachtwoord klopt niet.")
    return None


def update_profile(user: User, values: dict, now: datetime) -> tuple[str, str] | None:
    """Save name, address and language; a new address needs the password and is told to the old one.

    Returns (field, message) for a change that cannot be made, and then saves nothing.
    """
    old_email = user.email
    if values["email"] != old_email:
        if problem := _email_change_problem(user, values["email"], values["email_password"] or ""):
            return problem
        record("email_changed", subject=user, actor=user, detail=f"{old_email} → {values['email']}")
    user.name, user.email, user.language = values["name"], values["email"], values["language"]
    if user.email != old_email:
        _tell_old_address(user, old_email, now)
    db.session.commit()  # the change and the mail to the old address together
    return None


def _tell_old_address(user: User, old_email: str, now: datetime) -> None:
    send_mail(old_email, _("Uw e-mailadres is gewijzigd"), _(
        "Beste %(name)s,\n\n"
        "Op %(when)s is het e-mailadres van uw account op %(site)s gewijzigd. Het nieuwe adres is %(email)s. "
        "E-mails van de website gaan vanaf nu naar dat adres, niet meer naar dit adres.\n\n"
        "Deed u dit zelf? Dan hoeft u niets te doen.\n\n"
        "Deed u dit niet? Dan gebruikt misschien iemand anders uw account. Neem dan meteen contact op via "
        "%(contact)s. Schrijf erbij dat uw e-mailadres is gewijzigd zonder dat u dat wilde.",
        name=user.name, when=datetime_long(now), site=current_app.config["SITE_NAME"], email=user.email,
        contact=current_app.config["CONTACT_EMAIL"]))
