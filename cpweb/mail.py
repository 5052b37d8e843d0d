"""Sending e-mail: to the log by default, through SMTP when configured.

Every mail ends with a link to the profile page, where a member chooses which mails to get.
"""
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .urls import site_url

# Kinds of mail a member may switch off. Account mails (invitation, password) are always sent.
# Features add their kinds here so the profile page can offer them.
OPTIONAL_MAIL_KINDS: dict[str, object] = {
    "invitations": _l("Uitnodigingen voor vergaderingen, met de agenda"),
    "reminders": _l("Herinneringen voor vergaderingen en activiteiten"),
    "documents": _l("Bericht als de stukken voor een vergadering compleet zijn"),
    "minutes": _l("Bericht als er een verslag is om te lezen"),
    "updates": _l("Wijzigingen: een verplaatste of afgelaste vergadering"),
    "digest": _l("Wekelijks overzicht van wat aandacht nodig heeft"),
    "signals": _l("Een e-mail bij elk nieuw signaal (voor secretarissen)"),
    "signals_digest": _l("Elke ochtend een overzicht van de nieuwe signalen (voor secretarissen)"),
}


@dataclass
class Mail:
    to: str
    subject: str
    body: str
    # (file name, MIME type, content), e.g. an invitation's .ics file.
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)


def outbox() -> list[Mail]:
    """The mails kept by the "memory" backend (for tests)."""
    return current_app.extensions.setdefault("cpweb_outbox", [])


# Off until a member switches them on.
OFF_BY_DEFAULT = {"signals_digest"}


def chosen_kinds(user) -> set[str]:
    """The optional kinds this member gets. Stored as changes from the default: "kind" switched
    off, "+kind" switched on (for a kind that is off by default)."""
    changes = (user.muted_mail_kinds or "").split()
    return {kind for kind in OPTIONAL_MAIL_KINDS
            if (f"+{kind}" in changes if kind in OFF_BY_DEFAULT else kind not in changes)}


def choose_kinds(user, kinds) -> None:
    changes = [kind for kind in OPTIONAL_MAIL_KINDS if kind not in kinds and kind not in OFF_BY_DEFAULT]
    changes += [f"+{kind}" for kind in OPTIONAL_MAIL_KINDS if kind in kinds and kind in OFF_BY_DEFAULT]
    user.muted_mail_kinds = " ".join(changes)


def wants_mail(user, kind: str | None) -> bool:
    return kind is None or kind in chosen_kinds(user)


def send_mail(user_or_address, subject: str, body: str, kind: str | None = None, attachments=()) -> bool:
    """Send one mail. Returns False when the member switched this kind of mail off."""
    if isinstance(user_or_address, str):
        address = user_or_address
    else:
        if not wants_mail(user_or_address, kind):
            return False
        address = user_or_address.email
    footer = _("U krijgt deze e-mail van %(site)s. Kies welke e-mails u krijgt: %(url)s",
               site=current_app.config["SITE_NAME"],
               url=site_url("auth.profile", _anchor="emails"))
    mail = Mail(to=address, subject=subject, body=f"{body.rstrip()}\n\n-- \n{footer}\n", attachments=list(attachments))
    _deliver(mail)
    return True


def _deliver(mail: Mail) -> None:
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "memory":
        outbox().append(mail)
    elif backend == "smtp":
        _send_smtp(mail)
    else:
        current_app.logger.info("E-mail to %s: %s\n%s", mail.to, mail.subject, mail.body)


def _send_smtp(mail: Mail) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message.set_content(mail.body)
    for filename, mimetype, content in mail.attachments:
        maintype, _slash, subtype = mimetype.partition("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
