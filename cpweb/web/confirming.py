"""Asking first: what mails people or cannot be undone is confirmed on a page of its own.

A view shows `confirm_page(Confirmation(...))` on GET (htmx gets only its block, opened in place
of the page's content), and acts on the POST from that page with the personal message of
`ConfirmForm` handed to its logic as a plain string. The page names who gets a mail: the caller
passes the people the mail will actually go to (asked of the feature that sends it), so the names
shown and the mails sent follow one rule.
"""
from dataclasses import dataclass

from flask import current_app, flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from .forms import strip
from .rendering import render

MAX_NOTE = 1000
UNDO_SECONDS = 60 * 60  # how long "Terugzetten" works after a removal


class ConfirmForm(FlaskForm):
    note = TextAreaField(_l("Persoonlijk bericht (mag leeg blijven)"), filters=[strip],
                         description=_l("Dit bericht komt bovenaan in de e-mail."),
                         validators=[Optional(), Length(max=MAX_NOTE, message=_l("Gebruik hoogstens 1.000 tekens."))])


@dataclass
class Confirmation:
    """What the page says: a question as its heading, what will happen, and the button."""

    title: str  # "Vergadering afgelasten?"
    happens: list[str]  # short sentences: what will happen
    button: str  # says what happens: "Ja, vergadering afgelasten"
    back: str  # where "Terug" goes, without effect
    recipients: list | None = None  # the people who get a mail; None: nobody is mailed
    final: bool = False  # it cannot be undone: said plainly, and the button is red
    undo: str | None = None  # how it can be undone, when it can
    subject: str = ""  # what the confirmation is about, under the heading
    asks_note: bool = False  # the note is what is confirmed (a message): asked also when nobody is mailed


def confirm_page(confirmation: Confirmation, form: ConfirmForm | None = None):
    form = form or ConfirmForm(formdata=None)
    return render("confirm.html", block="confirm", c=confirmation, form=form, status=422 if form.errors else 200)


def note_of(form: ConfirmForm) -> str:
    return form.note.data or ""


# --- undo: what was removed, signed, so "Terugzetten" can bring it back for a while --------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="cpweb-undo")


def undo_token(kind: str, data) -> str:
    return _serializer().dumps([kind, data])


def read_undo_token(token: str, kind: str):
    """What `undo_token` put in, or None when it is forged, for something else or too old."""
    try:
        token_kind, data = _serializer().loads(token or "", max_age=UNDO_SECONDS)
    except (BadSignature, ValueError, TypeError):
        return None
    return data if token_kind == kind else None


def flash_undo(message: str, action: str, token: str) -> None:
    """Say what was removed, with a "Terugzetten" button that posts the token to `action`."""
    flash({"text": str(message), "action": action, "token": token}, "undo")
