"""Writing a mail: plain text from the site's name, with a footer that says where it comes from,
where to ask questions and how to stop it; put in the outbox with the caller's change."""
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from ..core.database import utcnow
from ..core.extensions import db
from ..web.urls import site_url
from .models import OutboxMail
from .preferences import OPTIONAL_MAIL_KINDS, unsubscribe_url, will_get


def send_mail(user_or_address, subject: str, body: str, kind: str | None = None, attachments=(),
              reply_to: str | None = None, body_id: int | None = None) -> bool:
    """Put one mail in the outbox; it goes out once the caller commits its change, or not at all.

    A member (a User) may get a link to their mail choices; a bare address never gets a link to a
    members-only page. `reply_to` is the contact address the text names (default CONTACT_EMAIL).
    `body_id`: the body whose business the mail is about; its secretaries see whether it went out.
    Returns False when the person chose not to get this kind of mail.
    """
    if not will_get(user_or_address, kind):
        return False
    user = None if isinstance(user_or_address, str) else user_or_address
    address = user.email if user else user_or_address
    reply_to = reply_to or current_app.config["CONTACT_EMAIL"]
    unsubscribe = unsubscribe_url(user, address, kind) if kind in OPTIONAL_MAIL_KINDS else None
    text = f"{body.rstrip()}\n\n-- \n{_footer(user, reply_to, unsubscribe)}\n"
    to = Address(user.name, addr_spec=address) if user else address
    message = _message(to, subject, text, reply_to, attachments)
    if unsubscribe:
        # RFC 8058: mail programs offer a button that posts to the link, without opening a page.
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # An address with letters like ö needs a server that speaks SMTPUTF8 (see transport).
    raw = message.as_bytes(policy=policy.SMTP if address.isascii() else policy.SMTPUTF8)
    db.session.add(OutboxMail(to_address=address, subject=subject[:255], kind=kind, body_id=body_id,
                              message_id=message["Message-ID"], message=raw))
    return True


def with_note(body: str, note: str) -> str:
    """The body with the short personal message its sender added when confirming, on top."""
    if not note.strip():
        return body
    return _("Persoonlijk bericht:\n%(note)s\n\n%(body)s", note=note.strip(), body=body)


def _footer(user, reply_to: str, unsubscribe: str | None) -> str:
    lines = [_("Deze e-mail komt van %(site)s.", site=current_app.config["SITE_NAME"]),
             _("Vragen? Stuur een e-mail naar %(email)s.", email=reply_to)]
    if unsubscribe:
        lines.append(_("Wilt u deze e-mails niet meer krijgen? Meld u af: %(url)s", url=unsubscribe))
    if user is not None and user.has_accepted_invitation:  # only a member who can log in reaches the profile
        lines.append(_("Kies welke e-mails u krijgt: %(url)s", url=site_url("auth.profile", _anchor="emails")))
    return "\n".join(lines)


def sender_address() -> str:
    """The address in MAIL_FROM (a name written there is replaced by the site's name)."""
    return parseaddr(current_app.config["MAIL_FROM"])[1]


def _message(to, subject: str, text: str, reply_to: str, attachments) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = Address(config["SITE_NAME"], addr_spec=sender_address())
    message["To"] = to
    message["Reply-To"] = reply_to
    message["Subject"] = " ".join(subject.split())  # a line break in a title must not end the header
    message["Date"] = format_datetime(utcnow())
    domain = sender_address().partition("@")[2] or urlsplit(config["SITE_URL"]).hostname
    message["Message-ID"] = make_msgid(domain=domain)
    # Quoted-printable: readable in any client, and safe through servers without 8-bit support.
    message.set_content(text, cte="quoted-printable")
    for filename, mimetype, content in attachments:
        maintype, _slash, subtype = mimetype.partition("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message
