"""Stukken: documents from the library attached to agenda items (through cpweb.documents' places)."""
from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.database import utcnow
from ..core.extensions import db
from ..core.i18n import date_in_text, date_short, datetime_long
from ..core.keys import slugify
from ..documents import bundle, places
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


def overdue(meeting: Meeting, stukken: dict[int, list], deadline, now: datetime) -> bool:
    """The stukken deadline has passed before the meeting and none are there (nor said complete)."""
    return (meeting.status == rules.PLANNED and now < meeting.starts_at and not meeting.documents_complete_at
            and rules.is_late(now, deadline) and not any(stukken.values()))


@dataclass(frozen=True)
class Package:
    """"Alle stukken (zip)": what goes in, ready to stream, and the zip's own name."""

    entries: list[bundle.Entry]
    filename: str


def package(meeting: Meeting, user, now: datetime) -> Package | None:
    """The stukken this person may see (as on the meeting page), named by agenda item number and
    title, after a contents file; None when there are none."""
    attached = stukken_of(meeting, user)
    late = late_documents(attached, rules.documents_deadline(meeting.starts_at,
                                                             logic.settings_for(meeting.body_id).documents_days))
    rows = [(number, item, [(document, bundle.entry_for(document, f"{number:02d} {item.title} - {document.title}"))
                            for document in attached[item.id]])
            for number, item in enumerate(meeting.items, 1)]
    files = bundle.numbered(entry for _number, _item, found in rows for _document, entry in found if entry)
    if not files:
        return None
    names = iter(entry.name for entry in files)
    lines = [_("Stukken voor de vergadering"), meeting.title, f"{meeting.body.name}, {datetime_long(meeting.starts_at)}",
             ""]
    for number, item, found in rows:
        lines.append(f"{number}. {item.title}")
        for document, entry in found:
            if entry is None:
                lines.append("   - " + _("%(title)s: dit bestand zit er niet in. Download het los op de website.",
                                        title=document.title))
                continue
            lines.append(f"   - {document.title}" + (f" ({_('later toegevoegd')})" if document.id in late else ""))
            lines.append(f"     {_('Bestand')}: {next(names)}")
        if not found:
            lines.append("   " + _("Geen stukken."))
    lines += ["", _("Hier staan alleen de stukken die u mag zien, zoals ze waren op %(moment)s.",
                    moment=datetime_long(now))]
    contents = bundle.Entry(_("inhoud") + ".txt", text="\r\n".join(lines) + "\r\n")  # \r\n: also for Notepad
    name = slugify(f"{meeting.title} {date_in_text(meeting.starts_at)}", "vergadering", 80)
    return Package([contents, *files], f"stukken-{name}.zip")
