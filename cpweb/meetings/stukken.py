"""Stukken: documents from the library attached to agenda items (through cpweb.documents' public API)."""
from flask import url_for

from ..documents import logic as documents
from ..documents.models import BODY, PUBLIC, Document
from ..extensions import db
from ..i18n import date_short
from . import rules
from .models import AgendaItem, Meeting

LINK_KIND = "agenda_item"


def _describe(item_ids: list[int]) -> dict[int, tuple[str, str]]:
    rows = db.session.execute(db.select(AgendaItem, Meeting).join(Meeting, AgendaItem.meeting_id == Meeting.id)
                              .filter(AgendaItem.id.in_(item_ids)))
    return {item.id: (f"{meeting.title}, {date_short(meeting.starts_at)}: {item.title}",
                      url_for("meetings.show", meeting_id=meeting.id, _anchor=f"item-{item.id}"))
            for item, meeting in rows}


documents.register_link_kind(LINK_KIND, _describe)


def stukken_of(meeting: Meeting, user) -> dict[int, list]:
    """The documents per agenda item that this visitor may see (one query for the whole agenda)."""
    return documents.documents_for(LINK_KIND, [item.id for item in meeting.items], user)


def late_documents(stukken: dict[int, list], deadline) -> set[int]:
    """Documents added to the library after the stukken deadline: marked as late additions."""
    return {document.id for documents_ in stukken.values() for document in documents_
            if rules.is_late(document.created_at, deadline)}


def attach_upload(meeting: Meeting, item: AgendaItem, file_storage, user):
    """Store the file in the library, visible as the meeting is, and attach it. Raises documents.UploadError."""
    visibility = PUBLIC if meeting.visibility == rules.PUBLIC else BODY
    return documents.attach_upload(file_storage, LINK_KIND, item.id, uploaded_by=user, body=meeting.body,
                                   visibility=visibility)


def attach_existing(item: AgendaItem, document_id: int, user):
    document = db.session.get(Document, document_id) if document_id else None
    if document is None or not documents.can_view(user, document):
        return None
    documents.link_document(document, LINK_KIND, item.id)
    return document


def detach(item: AgendaItem, document_id: int) -> None:
    document = db.session.get(Document, document_id)
    if document is not None:
        documents.unlink_document(document, LINK_KIND, item.id)


def choosable(user, limit: int = 50):
    """Recent documents this member may see, to attach without uploading again."""
    return list(db.session.scalars(documents.visible_documents_query(user)
                                   .order_by(Document.updated_at.desc()).limit(limit)))
