"""The contact form: a visitor's question, mailed to the secretariat through the outbox; the site
keeps nothing else of it."""
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.extensions import db
from ..core.i18n import lazy_gettext_markup as _lm
from ..core.privacy import Processing
from ..mail import send_mail

PROCESSING = Processing(
    name=_l("Vragen via het contactformulier"),
    purpose=_l("Vragen van bezoekers beantwoorden."),
    people=_l("Bezoekers van de website die een vraag stellen"),
    data=_l("Naam (niet verplicht), e-mailadres en de vraag. Geen IP-adres."),
    recipients=_l("Het secretariaat, in zijn eigen mailbox."),
    retention=lambda config: _lm("Op de website alleen als verstuurde e-mail: %(days)s dagen. In de mailbox van het "
                                 "secretariaat tot de vraag beantwoord is.", days=config["MAIL_RETENTION_DAYS"]),
)


def ask(values: dict) -> None:
    """Put the question in the outbox for the secretariat; an answer goes to the visitor's address."""
    name = values.get("name") or _("(geen naam)")
    send_mail(current_app.config["CONTACT_EMAIL"], _("Vraag via de website van %(name)s", name=name),
              _("Een bezoeker stelde een vraag via het contactformulier.\n\nNaam: %(name)s\nE-mailadres: %(email)s\n\n"
                "%(question)s\n\nAntwoord met ‘Beantwoorden’: dan gaat uw antwoord naar dit e-mailadres. "
                "Wis deze e-mail als de vraag beantwoord is.",
                name=name, email=values["email"], question=values["question"]),
              reply_to=values["email"])
    db.session.commit()
