"""What another site's feed says, read defensively into plain values: an iCalendar file (events,
recurrences expanded within a window and a count) or an Atom or RSS feed (entries, and which were
withdrawn). Remote text stays text; a link is kept only when it is http(s)."""
import html
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import nh3

from ..core.i18n import AMSTERDAM

WINDOW_PAST = timedelta(days=7)
WINDOW_FUTURE = timedelta(days=400)
MAX_OCCURRENCES = 500  # of one recurring event inside the window
MAX_STEPS = 5000  # occurrences one recurring event may take to reach and fill the window
MAX_EVENTS = 2000  # of one source
MAX_ENTRIES = 500
REFUSED_FREQUENCIES = {"SECONDLY", "MINUTELY", "HOURLY"}
TEXT_LIMITS = {"title": 300, "location": 300, "description": 2000, "summary": 2000}


class ParseError(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class RemoteEventData:
    uid: str
    recurrence: str  # "" for a single event, else the occurrence's start (UTC, ISO)
    title: str
    starts_at: datetime  # aware UTC
    ends_at: datetime
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False


@dataclass(frozen=True)
class RemoteEntryData:
    entry_id: str
    title: str
    updated: datetime
    url: str = ""
    summary: str = ""


@dataclass(frozen=True)
class ParsedFeed:
    kind: str  # "calendar" or "entries"
    events: list
    entries: list
    withdrawn: list  # entry ids a feed says were deleted
    complete: bool  # the feed holds every entry: one missing is gone
    refresh_seconds: int | None  # the feed's own hint, unclamped
    skipped: int  # events or entries left out as unusable


def plain(value, limit: int) -> str:
    """Remote text as plain text: no markup, no control characters, not too long."""
    text = html.unescape(nh3.clean(str(value or ""), tags=set()))
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text).strip()
    return text[:limit]


def web_link(value) -> str:
    url = str(value or "").strip()
    return url[:1000] if re.match(r"^https?://[^\s<>\"']+$", url, re.IGNORECASE) else ""


def parse(body: bytes, today: date) -> ParsedFeed:
    start = body.lstrip()[:200].upper()
    if start.startswith(b"BEGIN:VCALENDAR"):
        return parse_calendar(body, today)
    if start.startswith((b"<!DOCTYPE HTML", b"<HTML")):
        raise ParseError("not_a_feed")  # a web page, often where a feed used to be
    if start.startswith(b"<"):
        return parse_entries(body)
    raise ParseError("not_a_feed")


# --- iCalendar --------------------------------------------------------------------------------------

def _aware(value) -> datetime:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=AMSTERDAM)).astimezone(UTC)
    return datetime.combine(value, time(), tzinfo=AMSTERDAM).astimezone(UTC)


def _duration_hint(value) -> int | None:
    try:
        return int(value.dt.total_seconds())
    except AttributeError:
        return None


def _occurrences(component, start: datetime, length: timedelta, window: tuple[datetime, datetime]):
    """The starts of an event inside the window: itself, or its recurrences within the limits."""
    from dateutil.rrule import rrulestr

    rule = component.get("RRULE")
    if rule is None:
        return [start] if start < window[1] and start + length > window[0] else []
    if str(rule.get("FREQ", [""])[0]).upper() in REFUSED_FREQUENCIES:
        raise ParseError("frequency")
    local_start = start.astimezone(AMSTERDAM).replace(tzinfo=None)
    try:
        rules = rrulestr(rule.to_ical().decode(), dtstart=local_start)
    except (ValueError, TypeError) as error:
        raise ParseError("rule", str(error)) from error
    excluded = set()
    for exdate in _as_list(component.get("EXDATE")):
        excluded |= {_aware(d.dt) for d in exdate.dts}
    found = []
    for step, local in enumerate(rules):
        occurrence = local.replace(tzinfo=AMSTERDAM).astimezone(UTC)
        if step >= MAX_STEPS or occurrence >= window[1] or len(found) >= MAX_OCCURRENCES:
            break
        if occurrence + length > window[0] and occurrence not in excluded:
            found.append(occurrence)
    return found


def _as_list(value) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


def parse_calendar(body: bytes, today: date) -> ParsedFeed:
    import icalendar

    try:
        calendar = icalendar.Calendar.from_ical(body)
    except (ValueError, IndexError, KeyError) as error:
        raise ParseError("calendar", str(error)) from error
    now = datetime.combine(today, time(), tzinfo=AMSTERDAM).astimezone(UTC)
    window = (now - WINDOW_PAST, now + WINDOW_FUTURE)
    refresh = _duration_hint(calendar.get("REFRESH-INTERVAL")) or _duration_hint(calendar.get("X-PUBLISHED-TTL"))
    events: dict[tuple[str, str], RemoteEventData] = {}
    overrides: list[tuple[str, str, RemoteEventData]] = []
    skipped = 0
    for component in calendar.walk("VEVENT"):
        try:
            found = _events_of(component, window)
        except ParseError:
            skipped += 1
            continue
        for event in found:
            if event.recurrence and component.get("RECURRENCE-ID") is not None:
                overrides.append((event.uid, event.recurrence, event))
            else:
                events.setdefault((event.uid, event.recurrence), event)
    for uid, recurrence, event in overrides:  # a changed occurrence replaces the one its rule made
        events[(uid, recurrence)] = event
    ordered = sorted(events.values(), key=lambda e: (e.starts_at, e.uid))
    return ParsedFeed("calendar", ordered[:MAX_EVENTS], [], [], True, refresh, skipped + max(0, len(ordered) - MAX_EVENTS))


def _events_of(component, window) -> list[RemoteEventData]:
    uid, start_value = component.get("UID"), component.get("DTSTART")
    if uid is None or start_value is None:
        raise ParseError("incomplete")
    start = _aware(start_value.dt)
    if component.get("DTEND") is not None:
        end = _aware(component.get("DTEND").dt)
    elif component.get("DURATION") is not None:
        end = start + component.get("DURATION").dt
    else:
        end = start + (timedelta(days=1) if not isinstance(start_value.dt, datetime) else timedelta(0))
    if end < start:
        raise ParseError("ends_before_start")
    length = end - start
    fields = {"uid": plain(uid, 255), "title": plain(component.get("SUMMARY"), TEXT_LIMITS["title"]) or "—",
              "location": plain(component.get("LOCATION"), TEXT_LIMITS["location"]),
              "description": plain(component.get("DESCRIPTION"), TEXT_LIMITS["description"]),
              "url": web_link(component.get("URL")),
              "cancelled": str(component.get("STATUS", "")).upper() == "CANCELLED"}
    if component.get("RECURRENCE-ID") is not None:
        original = _aware(component.get("RECURRENCE-ID").dt)
        if not (start < window[1] and end > window[0]):
            return []
        return [RemoteEventData(recurrence=original.isoformat(), starts_at=start, ends_at=end, **fields)]
    recurring = component.get("RRULE") is not None
    return [RemoteEventData(recurrence=occurrence.isoformat() if recurring else "", starts_at=occurrence,
                            ends_at=occurrence + length, **fields)
            for occurrence in _occurrences(component, start, length, window)]


# --- Atom and RSS -------------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
HISTORY = "{http://purl.org/syndication/history/1.0}"
TOMBSTONES = "{http://purl.org/atompub/tombstones/1.0}"


def _when(text: str | None) -> datetime | None:
    from email.utils import parsedate_to_datetime

    if not text:
        return None
    text = text.strip()
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def parse_entries(body: bytes) -> ParsedFeed:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError as XmlError
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(body, forbid_dtd=True)
    except (DefusedXmlException, XmlError, ValueError) as error:
        raise ParseError("xml", str(error)) from error
    if root.tag == f"{ATOM}feed":
        return _atom(root)
    if root.tag == "rss" and root.find("channel") is not None:
        return _rss(root.find("channel"))
    raise ParseError("not_a_feed")


def _atom(root) -> ParsedFeed:
    entries, skipped = [], 0
    for item in root.findall(f"{ATOM}entry")[:MAX_ENTRIES]:
        entry_id, updated = item.findtext(f"{ATOM}id"), _when(item.findtext(f"{ATOM}updated"))
        if not entry_id or updated is None:
            skipped += 1
            continue
        link = next((l.get("href") for l in item.findall(f"{ATOM}link") if l.get("rel", "alternate") == "alternate"), "")
        summary = item.findtext(f"{ATOM}summary") or item.findtext(f"{ATOM}content") or ""
        entries.append(RemoteEntryData(plain(entry_id, 255), plain(item.findtext(f"{ATOM}title"), 300) or "—",
                                       updated, web_link(link), plain(summary, TEXT_LIMITS["summary"])))
    withdrawn = [plain(d.get("ref"), 255) for d in root.findall(f"{TOMBSTONES}deleted-entry") if d.get("ref")]
    complete = root.find(f"{HISTORY}complete") is not None
    return ParsedFeed("entries", [], _unique(entries), withdrawn, complete, None, skipped)


def _rss(channel) -> ParsedFeed:
    entries, skipped = [], 0
    for item in channel.findall("item")[:MAX_ENTRIES]:
        link = item.findtext("link") or ""
        entry_id = item.findtext("guid") or link
        updated = _when(item.findtext("pubDate"))
        if not entry_id or updated is None:
            skipped += 1
            continue
        entries.append(RemoteEntryData(plain(entry_id, 255), plain(item.findtext("title"), 300) or "—", updated,
                                       web_link(link), plain(item.findtext("description"), TEXT_LIMITS["summary"])))
    ttl = channel.findtext("ttl")
    refresh = int(ttl) * 60 if ttl and ttl.strip().isdigit() else None
    return ParsedFeed("entries", [], _unique(entries), [], False, refresh, skipped)


def _unique(entries: list[RemoteEntryData]) -> list[RemoteEntryData]:
    seen, kept = set(), []
    for entry in entries:
        if entry.entry_id not in seen:
            seen.add(entry.entry_id)
            kept.append(entry)
    return kept
