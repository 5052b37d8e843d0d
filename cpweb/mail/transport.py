"""Handing a finished message over: to the mail server ("smtp"), the log ("console") or a list
the tests read ("memory"). The outbox decides what a failure means for the mail."""
import smtplib
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from flask import current_app


class TemporaryFailure(Exception):
    """Try this mail again later (a 4xx answer)."""


class ConnectionLost(TemporaryFailure):
    """No server to talk to: every mail of this run waits for the next."""


class PermanentFailure(Exception):
    """The server refused this mail for good (a 5xx answer for its address or content)."""


def failure_kind(error: Exception) -> str:
    """What went wrong, for the words people read (sending.FAILURES): the server could not be
    reached, it refused our settings (login, sender), it was busy, it refused this mail, or a bug."""
    if isinstance(error, PermanentFailure):
        return "refused"
    if isinstance(error, ConnectionLost):
        return "settings" if isinstance(error.__cause__, smtplib.SMTPResponseException) else "unreachable"
    if isinstance(error, TemporaryFailure):
        return "busy"
    return "unknown"


@dataclass
class Mail:
    """A delivered mail as the tests read it."""

    to: str
    subject: str
    body: str
    # (file name, MIME type, content), e.g. an invitation's .ics file.
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)
    message: EmailMessage | None = None

    @classmethod
    def parse(cls, to: str, raw: bytes) -> "Mail":
        message = message_from_bytes(raw, policy=policy.default)
        body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
        attachments = [(part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
                       for part in message.iter_attachments()]
        return cls(to=to, subject=str(message["Subject"]), body=body, attachments=attachments, message=message)


def outbox() -> list[Mail]:
    """The mails kept by the "memory" backend (for tests)."""
    return current_app.extensions.setdefault("cpweb_outbox", [])


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return f"{type(error).__name__}: {error}"


def _refusal(code: int, text: str) -> Exception:
    return (PermanentFailure if code >= 500 else TemporaryFailure)(f"{code} {text}")


class SmtpSender:
    def __init__(self, smtp: smtplib.SMTP, sender: str):
        self.smtp, self.sender = smtp, sender

    def send(self, to: str, raw: bytes) -> None:
        try:
            self.smtp.sendmail(self.sender, [to], raw, mail_options=() if to.isascii() else ("SMTPUTF8",))
        except smtplib.SMTPNotSupportedError as error:
            raise PermanentFailure(f"{error} (nodig voor het adres {to})") from error
        except smtplib.SMTPRecipientsRefused as error:
            code, text = error.recipients[to]
            raise _refusal(code, _text(text)) from error
        except smtplib.SMTPDataError as error:  # the server read the mail and refused it
            raise _refusal(error.smtp_code, _text(error.smtp_error)) from error
        except (OSError, smtplib.SMTPException) as error:  # also a refused sender: the settings, not this mail
            raise ConnectionLost(_describe(error)) from error


class MemorySender:
    def send(self, to: str, raw: bytes) -> None:
        outbox().append(Mail.parse(to, raw))


class ConsoleSender:
    def send(self, to: str, raw: bytes) -> None:
        mail = Mail.parse(to, raw)
        current_app.logger.info("E-mail to %s: %s\n%s", mail.to, mail.subject, mail.body)


@contextmanager
def connect(sender: str):
    """A sender for the configured backend; one SMTP connection for all mails of a run."""
    config = current_app.config
    if config["MAIL_BACKEND"] == "memory":
        yield MemorySender()
        return
    if config["MAIL_BACKEND"] != "smtp":
        yield ConsoleSender()
        return
    try:
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT_SECONDS"])
    except (OSError, smtplib.SMTPException) as error:
        raise ConnectionLost(_describe(error)) from error
    try:
        try:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        except (OSError, smtplib.SMTPException) as error:
            raise ConnectionLost(_describe(error)) from error
        yield SmtpSender(smtp, sender)
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
