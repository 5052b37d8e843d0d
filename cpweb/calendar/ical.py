"""iCalendar files (RFC 5545) for calendar apps: one VTIMEZONE for Amsterdam, times written in it.

Written here rather than with the icalendar package: that one took 0.4 ms an event and its import
a tenth of a second of every worker's start, for the few properties a feed has. Tests read the
files back with an independent parser (vobject).
"""
from datetime import UTC, datetime, timedelta

from flask import current_app

from ..i18n import AMSTERDAM
from ..urls import site_url
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
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//cpweb//NL", "CALSCALE:GREGORIAN",
            _line("X-WR-CALNAME", _text(name)), "X-WR-TIMEZONE:Europe/Amsterdam", *AMSTERDAM_VTIMEZONE.splitlines()]
    site = site_url("pages.home").rstrip("/")
    domain = current_app.config["CALENDAR_UID_DOMAIN"]
    lines = head + [line for event in events for line in _vevent(event, alarm_minutes, site, domain)]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def _vevent(event: CalendarEvent, alarm_minutes: int | None, site: str, domain: str) -> list[str]:
    url = site + event.url
    lines = ["BEGIN:VEVENT", _line("SUMMARY", _text(event.title)),
             f"DTSTART;TZID=Europe/Amsterdam:{_local(event.starts_at)}",
             f"DTEND;TZID=Europe/Amsterdam:{_local(event.ends_at)}",
             # Without METHOD, DTSTAMP is when the event was last revised (RFC 5545, 3.8.7.2).
             f"DTSTAMP:{_utc(event.changed_at or event.starts_at)}",
             _line("UID", _text(f"{event.uid}@{domain}")), f"SEQUENCE:{event.sequence}",
             _line("DESCRIPTION", _text(f"{event.body_name}\n{url}".strip()))]
    if event.changed_at:
        lines.append(f"LAST-MODIFIED:{_utc(event.changed_at)}")
    if event.location:
        lines.append(_line("LOCATION", _text(event.location)))
    lines += [f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}", _line("URL", url)]
    delay = ALARM_CHOICES.get(alarm_minutes)
    if delay and not event.cancelled:
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", _line("DESCRIPTION", _text(event.title)),
                  f"TRIGGER:-{_duration(delay)}", "END:VALARM"]
    lines.append("END:VEVENT")
    return lines


def _text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545, 3.3.11)."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _line(name: str, value: str) -> str:
    """A content line folded after 75 octets, never inside a character (RFC 5545, 3.1)."""
    line = f"{name}:{value}"
    if len(line.encode()) <= 75:
        return line
    parts, part, size = [], "", 0
    for character in line:
        width = len(character.encode())
        if size + width > (75 if not parts else 74):  # a continuation starts with a space
            parts.append(part)
            part, size = "", 0
        part += character
        size += width
    parts.append(part)
    return "\r\n ".join(parts)


def _local(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%Y%m%dT%H%M%S")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _duration(delta: timedelta) -> str:
    if delta.seconds == 0:
        return f"P{delta.days}D"
    hours, minutes = divmod(delta.seconds // 60, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
