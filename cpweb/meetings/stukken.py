"""Stukken: documents from the library attached to agenda items (through cpweb.documents' places)."""
from flask import url_for
from flask_babel import lazy_gettext as _l

from ..database import utcnow
from ..documents import places
from ..extensions import db
from ..i18n import date_short
from . import logic, rules
from .models import AgendaItem, Meeting


def _describe(item_ids: list[int]) -> dict[int, tuple[str, str]]:
    rows = db.session.execute(db.select(AgendaItem, Meeting).join(Meeting, AgendaItem.meeting_id == Meeting.id)
                              .filter(AgendaItem.id.in_(item_ids)))
    return {item.id: (f"{meeting.title}, {date_short(meeting.starts_at)}: {item.title}",
                      url_for("meetings.show", meeting_id=meeting.id, _anchor=f"item-{item.id}"))
            for item, meeting in rows}


def _visible_items(user):
    """Agenda items of the meetings this person may see: drafts and later publications not yet."""
    return (db.select(AgendaItem.id).join(Meeting, AgendaItem.meeting_id == Meeting.id)
            .filter(logic.visible_filter(user, utcnow())))


PLACE_KIND = places.PlaceKind("agenda_item", _describe, _visible_items)
KIND = PLACE_KIND.kind


def place_of(item: AgendaItem) -> places.Place:
    """A stuk is for the body's members unless the secretary chooses otherwise."""
    return places.Place(KIND, item.id, body=item.meeting.body, default=places.BODY, noun=_l("de vergadering"))


def stukken_of(meeting: Meeting, user) -> dict[int, list]:
    """The documents per agenda item that this visitor may see (one query for the whole agenda)."""
    return places.documents_for(KIND, [item.id for item in meeting.items], user)


def late_documents(stukken: dict[int, list], deadline) -> set[int]:
    """Documents added to the library after the stukken deadline: marked as late additions."""
    return {document.id for documents_ in stukken.values() for document in documents_
            if rules.is_late(document.created_at, deadline)}
