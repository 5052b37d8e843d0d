"""The "add a paper" form on other features' pages (stukken, activity papers, dossier letters) and its
answer, written once: the form asks who may see the file, and a file already in the library gets
one question before its audience changes. For views only; the deciding is in `places`.
"""
from dataclasses import dataclass

from flask import flash, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import escape

from ..core.database import row_id
from ..core.extensions import db
from ..core.i18n import gettext_markup as _m
from ..web.rendering import done as said
from ..web.rendering import redirect_to, render
from . import places
from .forms import ReuseForm
from .models import Document, audience_label


@dataclass(frozen=True)
class AttachForm:
    """What the macro in documents/_attach.html shows for one place."""

    choices: list[tuple[str, str]]
    default: str
    noun: str
    body_id: int | None
    choosable: list[Document]
    chosen_document: int | None = None


def form_for(place: places.Place, user, library: bool = True, sent: dict | None = None) -> AttachForm:
    """Without the library, only what changing an attached file's audience needs; with what the
    form `sent` (see `choice`), its audience and document chosen again."""
    choices = places.audience_choices(place)
    sent = sent or {}
    audience = sent.get("audience") if sent.get("audience") in dict(choices) else place.default
    return AttachForm(choices, audience, place.noun, getattr(place.body, "id", None),
                      places.choosable(user) if library else [], sent.get("document_id"))


def choice() -> dict:
    """What the form sent, as plain values for `places.attach` (through the feature's own logic)."""
    return {"upload": request.files.get("bestand"), "document_id": row_id(request.form.get("document")),
            "audience": request.form.get("wie"), "reuse": request.form.get("hergebruik") or None}


def answer(place: places.Place, outcome: places.Attached, *, back: str, done, retry=None):
    """The question when the file is already in the library with another audience; a problem,
    said on the form again (`retry()`, its page with what was chosen) or else on `back`; or done,
    with `done(document)` said on `back`."""
    if outcome.existing is not None:
        return _reuse_question(place, outcome.existing, outcome.audience, back)
    if outcome.problem:
        db.session.rollback()
        flash(escape(outcome.problem), "error")
        return retry() if retry else redirect_to(back)
    return said(done(outcome.document), back)


def _reuse_question(place: places.Place, existing: Document, audience: str, back: str):
    asked = "vraag" in request.form  # the question was already on the page: an answer is missing
    form = ReuseForm(formdata=None, document=existing.id, wie=audience)
    body = place.body if audience == places.BODY else existing.body
    keep = _m("Zo laten: %(audience)s. %(who)s", audience=existing.audience_label,
              who=places.who_sees(existing.visibility, existing.body, existing.placed))
    change = _m("Veranderen in: %(audience)s. %(who)s", audience=audience_label(audience, body),
                who=places.who_sees(audience, body, existing.placed))
    can_change = places.may_change(current_user, existing)
    form.hergebruik.choices = [("keep", keep), ("change", change)] if can_change else [("keep", keep)]
    if asked:
        form.hergebruik.errors = [_("Kies of het zo blijft of verandert.")]
    return render("documents/reuse.html", form=form, existing=existing, can_change=can_change, action=request.path,
                  back=back, status=422 if asked else 200)
