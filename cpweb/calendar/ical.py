"""iCalendar files for calendar apps: one VTIMEZONE for Amsterdam, times written in it."""
from datetime import datetime, timedelta

from flask import current_app, url_for
from icalendar import Alarm, Calendar, Event, Timezone

from ..database import utcnow
from ..i18n import AMSTERDAM
from .sources import CalendarEvent

ALARM_CHOICES = {None: None, 60: timedelta(hours=1), 1440: timedelta(days=1)}


# The EU rule (since 1996) written as RRULEs. A VTIMEZONE generated as lists of dates (RDATE) was
# read wrongly by at least one independent parser (python-dateutil, behind vobject) after its first
# year: times in the summer came out an hour off.
AMSTERDAM_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Amsterdam
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


def calendar_file(events: list[CalendarEvent], name: str, alarm_minutes: int | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//cpweb//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    calendar.add_component(Timezone.from_ical(AMSTERDAM_VTIMEZONE))
    stamp = utcnow()
    for event in events:
        calendar.add_component(_vevent(event, stamp, alarm_minutes))
    return calendar.to_ical()


def _vevent(event: CalendarEvent, stamp: datetime, alarm_minutes: int | None) -> Event:
    vevent = Event()
    vevent.add("uid", f"{event.uid}@{current_app.config['CALENDAR_UID_DOMAIN']}")
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.starts_at.astimezone(AMSTERDAM))
    vevent.add("dtend", event.ends_at.astimezone(AMSTERDAM))
    vevent.add("summary", event.title)
    vevent.add("sequence", event.sequence)
    if event.changed_at:
        vevent.add("last-modified", event.changed_at)
    url = url_for("pages.home", _external=True).rstrip("/") + event.url
    vevent.add("url", url)
    vevent.add("description", f"{event.body_name}\n{url}".strip())
    if event.location:
        vevent.add("location", event.location)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    delay = ALARM_CHOICES.get(alarm_minutes)
    if delay and not event.cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.title)
        alarm.add("trigger", -delay)
        vevent.add_component(alarm)
    return vevent
