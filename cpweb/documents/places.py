"""What other features use of the library: files added on their own pages (stukken on an agenda
item, papers of an activity, letters in a dossier) and shown there.

Each feature registers one `PlaceKind` (how to describe and link its places, who may open them)
in its init_app, and describes each place it attaches to with a `Place` (its body and the
audience its form starts at). A file's audience is the choice of the person who adds it; it is
never wider than its place (see `access`), and reusing a file that is already in the library
never changes its audience without asking.
"""
from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..core.extensions import db
from ..core.i18n import lazy_gettext_markup as _lm
from . import logic
from .access import PlaceKind, can_view, is_editor, visible_clause, visible_documents_query
from .logic import UploadError
from .models import BODY, MEMBERS, PUBLIC, Document, DocumentLink, audience_label

__all__ = ["BODY", "MEMBERS", "PUBLIC", "Attached", "Place", "PlaceKind", "UploadError", "attach", "audience_choices",
           "can_view", "choosable", "detach", "detach_all", "documents_for", "may_change", "who_sees"]


@dataclass(frozen=True)
class Place:
    """One place a file is added to: an agenda item, an activity, a dossier."""

    kind: str  # the PlaceKind's kind
    target_id: int
    body: object | None  # the Body whose members "the body's members" means here; None offers no such choice
    default: str  # the audience the form starts at: the narrowest that makes sense, never PUBLIC
    # How the form names the place: "Wie de vergadering niet mag zien, ziet het stuk ook niet."
    noun: str


@dataclass(frozen=True)
class Attached:
    """What attaching did: the document attached; or the same file already in the library with
    another audience (`existing`), so the person is asked first; or a problem to say in Dutch."""

    document: Document | None = None
    existing: Document | None = None
    audience: str | None = None  # the audience asked for, when `existing` is asked about
    problem: str | None = None


def audience_choices(place: Place) -> list[tuple[str, str]]:
    """Who may see a file added here, narrowest first: (value, label)."""
    choices = [(BODY, audience_label(BODY, place.body))] if place.body is not None else []
    return choices + [(MEMBERS, _l("Alle leden")), (PUBLIC, _l("Openbaar: iedereen, ook mensen zonder account"))]


def who_sees(visibility: str, body, placed: bool) -> str:
    """One sentence: who will see a document with this audience."""
    sentence = {PUBLIC: _l("Iedereen kan het zien, ook mensen zonder account."),
                MEMBERS: _l("Alle leden kunnen het zien."),
                BODY: _lm("Alleen de leden van %(body)s kunnen het zien.", body=getattr(body, "name", ""))}[visibility]
    if placed:
        return _lm("%(sentence)s Maar alleen als zij ook de vergadering, de activiteit of het dossier mogen zien "
                   "waar het bij hoort.", sentence=sentence)
    return _lm("%(sentence)s Ook in de bibliotheek.", sentence=sentence)


def may_change(user, document: Document) -> bool:
    """May this person (who sees the document) change who may see it?"""
    return is_editor(user, document)


def _same_audience(document: Document, visibility: str, body) -> bool:
    return document.visibility == visibility and (visibility != BODY or document.body_id == getattr(body, "id", None))


def _link(document: Document, place: Place) -> None:
    linked = db.session.scalar(db.select(DocumentLink.id).filter_by(document_id=document.id, target_kind=place.kind,
                                                                    target_id=place.target_id))
    if linked is None:
        db.session.add(DocumentLink(document=document, target_kind=place.kind, target_id=place.target_id))


def attach(place: Place, user, *, upload=None, document_id: int | None = None, audience: str | None = None,
           reuse: str | None = None) -> Attached:
    """Attach a new file (`upload`) or a document already in the library (`document_id`) with the
    audience chosen. The same file already there, or a chosen document, keeps its audience unless
    the person said `reuse="change"`; when its audience differs and they said nothing
    (`reuse="keep"` keeps it), nothing is attached and `existing` asks them. Without an audience,
    the place's default. The caller commits."""
    audience = audience or place.default
    if audience not in dict(audience_choices(place)):
        return Attached(problem=_l("Kies wie het stuk mag zien."))
    body = place.body if audience == BODY else None
    if upload is not None and upload.filename:
        try:
            document = logic.store_upload(upload, title="", uploaded_by=user, body=place.body, visibility=audience,
                                          standalone=False)
        except logic.DuplicateUpload as duplicate:
            existing = duplicate.existing
        except UploadError as problem:
            return Attached(problem=problem.message)
        else:
            _link(document, place)
            return Attached(document=document)
    else:
        existing = db.session.get(Document, document_id) if document_id else None
        if existing is None or not can_view(user, existing):
            return Attached(problem=_l("Kies een bestand of een document uit de bibliotheek."))
    if reuse == "change" and may_change(user, existing):
        logic.set_audience(existing, audience, body)
    elif reuse != "keep" and not _same_audience(existing, audience, body):
        return Attached(existing=existing, audience=audience)
    _link(existing, place)
    return Attached(document=existing)


def detach(place: Place, document_id: int) -> None:
    """Take a document off a place; it stays in the library. The caller commits."""
    db.session.execute(db.delete(DocumentLink).filter_by(document_id=document_id, target_kind=place.kind,
                                                         target_id=place.target_id))


def detach_all(place: Place) -> list[int]:
    """Take every document off a place that goes away; they stay in the library. Returns their
    ids (to put them back). The caller commits."""
    ids = list(db.session.scalars(db.select(DocumentLink.document_id).filter_by(target_kind=place.kind,
                                                                                target_id=place.target_id)))
    db.session.execute(db.delete(DocumentLink).filter_by(target_kind=place.kind, target_id=place.target_id))
    return ids


def titled_kind(kind: str, model, endpoint: str, id_arg: str, visible_filter) -> PlaceKind:
    """The place kind of a feature whose places are rows with a title and a page of their own
    (`url_for(endpoint, **{id_arg: id})`), open to those `visible_filter(user)` lets in."""
    def describe(target_ids: list[int]) -> dict[int, tuple[str, str]]:
        rows = db.session.execute(db.select(model.id, model.title).filter(model.id.in_(target_ids)))
        return {target_id: (title, url_for(endpoint, **{id_arg: target_id})) for target_id, title in rows}

    def visible_ids(user):
        return db.select(model.id).filter(visible_filter(user))

    return PlaceKind(kind, describe, visible_ids)


def documents_at(kind: str, target_id: int, user) -> list[Document]:
    """The documents of one place that this person may see."""
    return documents_for(kind, [target_id], user)[target_id]


def documents_for(kind: str, target_ids, user) -> dict[int, list[Document]]:
    """The documents attached to each place that this person may see, in one query."""
    ids = list(target_ids)
    result: dict[int, list[Document]] = {target_id: [] for target_id in ids}
    if not ids:
        return result
    query = (db.select(DocumentLink.target_id, Document).join(Document, DocumentLink.document_id == Document.id)
             .filter(DocumentLink.target_kind == kind, DocumentLink.target_id.in_(ids), visible_clause(user))
             .options(selectinload(Document.body)).order_by(Document.title))
    for target_id, document in db.session.execute(query):
        result[target_id].append(document)
    return result


def choosable(user, limit: int = 50) -> list[Document]:
    """Recent documents this person may see, to attach without uploading again."""
    return list(db.session.scalars(visible_documents_query(user).options(selectinload(Document.body)).limit(limit)))
