"""Who may see a document: one rule, as a WHERE clause for lists and search and as a check for one
document, so the library, a download, the document page and "Gebruikt bij" always agree.

A document has an audience (everyone, all members, or one body's members). A document added
through a place (an agenda item, an activity, a dossier) is also never seen by someone who may not
open one of its places: attaching never makes a file more visible than the place it was added to.
Each feature says who may open its places through the adapter it registers (`PlaceKind`).
"""
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select, and_, false, or_, true

from ..auth.roles import SECRETARY
from ..core.extensions import db
from ..core.hooks import hooks
from .models import BODY, MEMBERS, PUBLIC, Document, DocumentLink


@dataclass(frozen=True)
class PlaceKind:
    """How the library meets one feature's places; the feature registers one (hooks.place_kind)."""

    kind: str  # DocumentLink.target_kind
    # target ids -> {target id: (label, url)}: what "Gebruikt bij" says and where it links.
    describe: Callable[[list[int]], dict[int, tuple[str, str]]]
    # A person -> a select of the target ids they may open: the feature's own access check.
    visible_ids: Callable[[object], Select]


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False)


def _is_admin(user) -> bool:
    return _signed_in(user) and user.is_admin


# --- the audience ---------------------------------------------------------------------------------

def audience_clause(user):
    """The documents whose audience includes this person (places not counted)."""
    if not _signed_in(user):
        return Document.visibility == PUBLIC
    if user.is_admin:
        return true()
    body_ids = list(user.body_ids)
    return or_(Document.visibility.in_((PUBLIC, MEMBERS)),
               (Document.visibility == BODY) & Document.body_id.in_(body_ids) if body_ids else false())


def in_audience(user, document: Document) -> bool:
    if document.visibility == PUBLIC:
        return True
    if not _signed_in(user):
        return False
    if user.is_admin or document.visibility == MEMBERS:
        return True
    return document.visibility == BODY and document.body_id in user.body_ids


# --- who looks after a document -------------------------------------------------------------------
# The same rule twice, side by side: as a check and as a WHERE clause.

def is_editor(user, document: Document) -> bool:
    """The one who added it, the secretaries of its body (any secretary without a body), admins."""
    if not _signed_in(user):
        return False
    if user.is_admin or document.created_by_id == user.id:
        return True
    return user.role == SECRETARY and (document.body_id is None or document.body_id in user.body_ids)


def _editor_clause(user):
    if not _signed_in(user):
        return false()
    own = Document.created_by_id == user.id
    if user.role != SECRETARY:
        return own
    return or_(own, Document.body_id.is_(None), Document.body_id.in_(list(user.body_ids)))


# --- places ---------------------------------------------------------------------------------------

def open_links_clause(user):
    """Links to places this person may open, each by its own feature's check."""
    clauses = [and_(DocumentLink.target_kind == kind.kind, DocumentLink.target_id.in_(kind.visible_ids(user)))
               for kind in hooks().place_kinds.values()]
    return or_(*clauses) if clauses else false()


def _through_a_place(user):
    """A placed document: one of its places is open to this person, or they look after it (so a
    stuk taken off its last agenda item is not lost to them)."""
    # Correlated to the document only: a list of links (documents_for) has its own DocumentLink.
    reachable = (db.select(DocumentLink.id).filter(DocumentLink.document_id == Document.id, open_links_clause(user))
                 .correlate(Document).exists())
    return or_(Document.standalone.is_not(False), _editor_clause(user), reachable)


# --- the rule -------------------------------------------------------------------------------------

def visible_clause(user):
    """The WHERE clause of every list of documents: not in the bin, in the audience, and for a
    placed document one of its places open to this person."""
    if _is_admin(user):
        return Document.deleted_at.is_(None)
    return and_(Document.deleted_at.is_(None), audience_clause(user), _through_a_place(user))


def visible_documents_query(user):
    """A select of the Documents this person may see (not in the bin), newest first."""
    return (db.select(Document).filter(visible_clause(user))
            .order_by(Document.updated_at.desc(), Document.id.desc()))


def can_view(user, document: Document) -> bool:
    """May this person see this document? The check for one document of `visible_clause`."""
    if document.deleted_at is not None or not in_audience(user, document):
        return False
    if not document.placed or is_editor(user, document):
        return True
    return db.session.scalar(db.select(DocumentLink.id).filter(DocumentLink.document_id == document.id,
                                                               open_links_clause(user)).limit(1)) is not None


def can_edit(user, document: Document) -> bool:
    """Change its details and who may see it, add a version, move it to the bin."""
    return can_view(user, document) and is_editor(user, document)


def usages(document: Document, user) -> list[tuple[str, str]]:
    """(label, url) of the places this document is used that this person may open ("Gebruikt bij")."""
    by_kind: dict[str, list[int]] = {}
    for kind, target_id in db.session.execute(
            db.select(DocumentLink.target_kind, DocumentLink.target_id)
            .filter(DocumentLink.document_id == document.id, open_links_clause(user)).order_by(DocumentLink.id)):
        by_kind.setdefault(kind, []).append(target_id)
    found = []
    for kind, ids in sorted(by_kind.items()):
        described = hooks().place_kinds[kind].describe(ids)
        found += [described[i] for i in ids if i in described]
    return found
