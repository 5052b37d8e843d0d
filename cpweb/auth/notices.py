"""Mails about the account itself: a new password, address or second factor, and a lock after wrong tries.

Always sent (members cannot switch them off): whoever took over an account would want the owner
not to know. Each says what happened and when, and what to do if it was not the owner.
"""
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from ..core.i18n import datetime_long
from ..mail import send_mail


def _notice(address: str, name: str, subject: str, what: str, now: datetime, advice: str | None = None) -> None:
    config = current_app.config
    body = _("Beste %(name)s,\n\n%(what)s Dat gebeurde op %(when)s, op %(site)s.",
             name=name, what=what, when=datetime_long(now), site=config["SITE_NAME"])
    body += "\n\n" + (advice or _(
        "Deed u dit zelf? Dan hoeft u niets te doen.\n\n"
        "Deed u dit niet? Dan gebruikt misschien iemand anders uw account. Neem dan meteen contact op via "
        "%(contact)s.", contact=config["CONTACT_EMAIL"]))
    send_mail(address, subject, body)


def email_changed(user, old_email: str, now: datetime) -> None:
    """To the old address: the new one gets every mail from now on, so the owner may not see it there."""
    _notice(old_email, user.name, _("Uw e-mailadres is gewijzigd"), _(
        "Het e-mailadres van uw account is gewijzigd. Het nieuwe adres is %(email)s. E-mails van de website gaan vanaf "
        "nu naar dat adres, niet meer naar dit adres.", email=user.email), now)


def password_changed(user, now: datetime) -> None:
    _notice(user.email, user.name, _("Uw wachtwoord is gewijzigd"),
            _("Het wachtwoord van uw account is gewijzigd."), now)


def second_factor_changed(user, what: str, now: datetime) -> None:
    """what: one sentence, e.g. that an app was set up or a passkey removed."""
    _notice(user.email, user.name, _("De tweede stap van uw account is gewijzigd"), what, now)


def second_factor_reset(user, now: datetime) -> None:
    _notice(user.email, user.name, _("De beheerder heeft uw tweede stap gewist"), _(
        "De beheerder heeft de tweede stap van uw account gewist: de app, de herstelcodes en de passkeys werken niet "
        "meer. U bent op alle apparaten uitgelogd."), now, advice=_(
        "Log opnieuw in. Daarna stelt u de tweede stap opnieuw in met uw telefoon.\n\n"
        "Vroeg u hier niet om? Neem dan meteen contact op via %(contact)s.",
        contact=current_app.config["CONTACT_EMAIL"]))


def account_locked(user, minutes: int, now: datetime) -> None:
    _notice(user.email, user.name, _("Uw account staat even op slot"), _(
        "Iemand typte vaak een verkeerd wachtwoord of een verkeerde code voor uw account. Daarom kan niemand de "
        "komende %(minutes)s minuten inloggen met uw account.", minutes=minutes), now, advice=_(
        "Was u dit zelf? Wacht dan %(minutes)s minuten en probeer het opnieuw. Wachtwoord vergeten? Vraag een nieuw "
        "wachtwoord aan op de pagina om in te loggen. Met de link in die e-mail kunt u meteen weer inloggen.\n\n"
        "Was u dit niet? Dan probeert iemand anders in te loggen met uw account. Kies voor de zekerheid een nieuw "
        "wachtwoord. Neem contact op via %(contact)s als u hulp nodig heeft.",
        minutes=minutes, contact=current_app.config["CONTACT_EMAIL"]))
