"""What the calendar shows comes from sources that features register; the calendar knows none of them."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ..core.hooks import hooks


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable for the life of the thing, so calendar apps update rather than duplicate
    title: str
    starts_at: datetime  # aware UTC
    ends_at: datetime
    url: str  # path of the page about it
    kind: str  # "meeting", "activity", …: for a label and a colour
    kind_label: str
    body_id: int | None = None
    body_name: str = ""
    location: str = ""
    cancelled: bool = False
    sequence: int = 0
    changed_at: datetime | None = None
    public: bool = False


# fn(user or None, start, end, body_id or None, first) -> events that user may see, overlapping
# [start, end); with first (a number), only the first that many by start time.
Source = Callable[[object, datetime, datetime, int | None, int | None], list[CalendarEvent]]


def events_between(user, start: datetime, end: datetime, body_id: int | None = None,
                   first: int | None = None, followed: bool = False) -> list[CalendarEvent]:
    """Everything with a date in [start, end) that this member (or a guest, None) may see, by start
    time; with `first`, only the first that many (each source reads no more than that). With
    `followed`, also the events of the other councils this site follows."""
    registered = hooks()
    sources = registered.calendar_sources + (registered.followed_calendar_sources if followed else [])
    events = [event for source in sources for event in source(user, start, end, body_id, first)]
    return sorted(events, key=lambda event: (event.starts_at, event.title))[:first]
