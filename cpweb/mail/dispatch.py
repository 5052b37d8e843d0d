"""Sending right after the commit, without making anyone wait for the mail server.

When a transaction that put mails in the outbox commits, the site tries to send those mails at
once. With the "smtp" backend that happens in a background thread of this process: gunicorn's
sync workers would otherwise stay busy until a slow server answers (also when sending "after the
response", which still holds the worker), and with two workers the whole site would wait. The
thread is short-lived: one per process at most, it sends what was committed meanwhile and ends;
each SMTP step times out after MAIL_TIMEOUT_SECONDS, and whatever it did not send stays in the
outbox for `cpweb cron`. A request's mails go to that thread once its answer has gone out (the
server closes the answer, SendAfterResponse), so the thread never takes the CPU from the answer: how
long an answer takes never tells whether it made a mail (the password-reset form answers an unknown
address as fast as a known one). A process that exits (a command, a restarted worker) first gives
the thread a moment to finish. The "console" and "memory" backends are instant, so they send in the
committing thread itself: a test sees the mails as soon as the request returns.
"""
import atexit
import threading
import weakref
from contextvars import ContextVar

from flask import Flask, current_app
from sqlalchemy import event
from werkzeug.wsgi import ClosingIterator

from ..core.extensions import db
from .models import NEW_MAILS, OutboxMail
from .sending import send_waiting

# While a request runs (SendAfterResponse): the ids of its committed mails, for the sending thread.
_after_response: ContextVar[set[int] | None] = ContextVar("cpweb_mails_after_response", default=None)


@event.listens_for(db.session, "after_flush")
def _remember_new_mails(session, flush_context):
    ids = {obj.id for obj in session.new if isinstance(obj, OutboxMail)}
    if ids:
        session.info.setdefault(NEW_MAILS, set()).update(ids)


@event.listens_for(db.session, "after_rollback")
def _forget_new_mails(session):
    session.info.pop(NEW_MAILS, None)


@event.listens_for(db.session, "after_commit")
def _send_new_mails(session):
    ids = session.info.pop(NEW_MAILS, None)
    if ids and current_app.config["MAIL_SEND_AT_ONCE"]:
        app = current_app._get_current_object()
        if app.config["MAIL_BACKEND"] != "smtp":
            _send(app, ids)
        elif (waiting := _after_response.get()) is not None:
            waiting.update(ids)
        else:
            _sender(app).add(ids)


class SendAfterResponse:
    """WSGI middleware: the mails a request committed go to the sending thread when the server
    closes the request's answer, after writing it."""

    def __init__(self, app: Flask):
        self.app, self.wsgi_app = app, app.wsgi_app

    def __call__(self, environ, start_response):
        ids: set[int] = set()
        request_running = _after_response.set(ids)
        try:
            answer = self.wsgi_app(environ, start_response)
        finally:
            _after_response.reset(request_running)
        return ClosingIterator(answer, lambda: self._hand_over(ids))

    def _hand_over(self, ids: set[int]) -> None:
        if ids:
            _sender(self.app).add(ids)


def _send(app: Flask, ids) -> None:
    """In a context (and database session) of its own; a failure leaves the mails for cron."""
    with app.app_context():
        try:
            send_waiting(ids=ids)
        except Exception:
            db.session.rollback()
            app.logger.exception("sending mail at once failed; the mails wait for cpweb cron")


class _Sender:
    """At most one sending thread per app and process; mails committed meanwhile join it."""

    def __init__(self, app: Flask):
        self.app = app
        self.lock = threading.Lock()
        self.pending: set[int] = set()
        self.thread: threading.Thread | None = None

    def add(self, ids) -> None:
        with self.lock:
            self.pending.update(ids)
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="cpweb-mail", daemon=True)
                self.thread.start()

    def _run(self) -> None:
        try:
            while True:
                with self.lock:
                    ids, self.pending = self.pending, set()
                    if not ids:
                        self.thread = None  # in the same locked step, so add() starts a new one
                        return
                _send(self.app, ids)
        except BaseException:
            with self.lock:
                self.thread = None
            raise

    def wait(self, timeout: float | None = None) -> None:
        while (thread := self.thread) is not None:
            thread.join(timeout)
            if thread.is_alive():
                return


_senders: "weakref.WeakSet[_Sender]" = weakref.WeakSet()
_senders_lock = threading.Lock()


def _sender(app: Flask) -> _Sender:
    with _senders_lock:
        if "cpweb_mail_sender" not in app.extensions:
            app.extensions["cpweb_mail_sender"] = sender = _Sender(app)
            _senders.add(sender)
        return app.extensions["cpweb_mail_sender"]


def wait_for_sending(app: Flask | None = None, timeout: float | None = None) -> None:
    """Wait until the background thread has tried every mail committed so far."""
    _sender(app or current_app._get_current_object()).wait(timeout)


@atexit.register
def _finish_before_exit() -> None:
    for sender in list(_senders):
        sender.wait(timeout=3 * int(sender.app.config["MAIL_TIMEOUT_SECONDS"]))


def uncommitted_mails(session) -> bool:
    """True when mails were put in the outbox but neither committed nor rolled back."""
    return bool(session.info.get(NEW_MAILS)) or any(isinstance(obj, OutboxMail) for obj in session.new)
