"""E-mail. A mail waits in the outbox table, written with the change that causes it, and is sent
after the commit (see dispatch); `cpweb send-mail` and `cpweb cron` send what is still waiting.

Other features use: send_mail (put a mail in the outbox, before their own commit), with_note (a
personal message on top of a mail's text), the mail choices (OPTIONAL_MAIL_KINDS, chosen_kinds,
choose_kinds, wants_mail, will_get: also to name beforehand who will get a mail), last_mail_to,
oldest_waiting and longest_retrying; tests use outbox (the "memory" backend's mails) and wait_for_sending.
"""
from flask import Flask, current_app

from ..core.extensions import db
from ..core.hooks import hooks
from .compose import send_mail, with_note
from .dispatch import SendAfterResponse, uncommitted_mails, wait_for_sending
from .preferences import OFF_BY_DEFAULT, OPTIONAL_MAIL_KINDS, choose_kinds, chosen_kinds, wants_mail, will_get
from .sending import last_mail_to, longest_retrying, mail_warnings, oldest_waiting, send_waiting
from .transport import Mail, outbox

__all__ = ["OFF_BY_DEFAULT", "OPTIONAL_MAIL_KINDS", "Mail", "choose_kinds", "chosen_kinds", "init_app",
           "last_mail_to", "longest_retrying", "oldest_waiting", "outbox", "send_mail", "send_waiting", "wait_for_sending", "wants_mail",
           "will_get", "with_note"]


def _check_committed(error) -> None:
    """A mail put in the outbox and then forgotten is a mail nobody gets: say so loudly."""
    if error is not None or not db.session.registry.has() or not uncommitted_mails(db.session()):
        return
    message = "send_mail() was called but the transaction was never committed; the mail is lost"
    if current_app.testing:
        raise RuntimeError(message)
    current_app.logger.error(message)


def init_app(app: Flask) -> None:
    from . import commands, sending, views

    hook = hooks(app)
    # Registered after the database's own teardown (create_app sets up the extensions before the
    # features), so it runs before the session is removed.
    app.teardown_appcontext(_check_committed)
    app.wsgi_app = SendAfterResponse(app)
    app.jinja_env.globals["mail_warnings"] = mail_warnings
    app.register_blueprint(views.bp)
    hook.command(commands.send_mail_command)
    hook.cron_job("send-mail", commands.send_due_mail)
    hook.processing(sending.SENT_MAILS)
    hook.processing(sending.OPT_OUTS)
    hook.purger("sent mails", sending.purge_sent_mails)
