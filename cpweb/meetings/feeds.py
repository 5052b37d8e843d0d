"""Meetings in the shared calendar and as .ics files."""
from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..calendar.ical import calendar_file
from ..calendar.sources import CalendarEvent
from ..core.database import utcnow
from ..core.extensions import db
from . import logic
from .models import Meeting


def meeting_event(meeting: Meeting) -> CalendarEvent:
    return CalendarEvent(
        uid=f"meeting-{meeting.id}", title=f"{meeting.title} ({meeting.body.name})",
        starts_at=meeting.starts_at, ends_at=meeting.ends_at,
        url=url_for("meetings.show", meeting_id=meeting.id), kind="meeting", kind_label=meeting.kind_label,
        body_id=meeting.body_id, body_name=meeting.body.name,
        location=" · ".join(part for part in (meeting.location, meeting.online_url) if part),
        cancelled=meeting.is_cancelled, sequence=meeting.sequence, changed_at=meeting.updated_at,
        public=meeting.is_public)


def meetings_in_calendar(user, start: datetime, end: datetime, body_id: int | None,
                         first: int | None = None) -> list[CalendarEvent]:
    query = (db.select(Meeting).filter(logic.visible_filter(user, utcnow()), logic.overlapping(start, end))
             .options(selectinload(Meeting.body)))
    if body_id:
        query = query.filter(Meeting.body_id == body_id)
    return [meeting_event(m) for m in db.session.scalars(query.order_by(Meeting.starts_at, Meeting.id).limit(first))]


def meeting_ics(meeting: Meeting, alarm_minutes: int | None = None) -> bytes:
    return calendar_file([meeting_event(meeting)], _("Vergadering"), alarm_minutes)
