"""The month grid and the feeds' time windows, in Amsterdam days; a member's private feed address
and alarm (renew_feed and choose_alarm each commit what the member chose)."""
import calendar as stdlib_calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..core.extensions import db
from ..core.hooks import hooks
from ..core.i18n import AMSTERDAM, from_local
from .models import CalendarFeed, new_feed_token
from .sources import CalendarEvent, events_between

FEED_PAST = timedelta(days=92)
FEED_FUTURE = timedelta(days=2 * 366)
COMING_DAYS = 92  # "binnenkort": three months ahead, whatever month today is in
DAY_SHOWS = 3  # events in a day of the month grid; "Nog 2 meer" leads to the month's list, which has all
COMING_EVENTS = 20  # at most, so a busy region's phone page stays short ("Per maand bekijken" shows the rest)


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str | None, today: date) -> "Month | None":
        """"2026-05" from the address, today's month without one; None for nonsense (a 404, not a crash)."""
        if not text:
            return cls(today.year, today.month)
        try:
            year, month = (int(part) for part in text.split("-"))
        except ValueError:
            return None
        return cls(year, month) if 1900 <= year <= 2200 and 1 <= month <= 12 else None

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def shifted(self, months: int) -> "Month":
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def grid_days(self) -> list[date]:
        """Monday to Sunday weeks that cover the month."""
        start = self.first - timedelta(days=self.first.weekday())
        last = date(self.year, self.month, stdlib_calendar.monthrange(self.year, self.month)[1])
        end = last + timedelta(days=6 - last.weekday())
        return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def local_days(event: CalendarEvent) -> list[date]:
    """The Amsterdam days an event touches (a multi-day activity shows on each)."""
    first = event.starts_at.astimezone(AMSTERDAM).date()
    last = (event.ends_at - timedelta(seconds=1)).astimezone(AMSTERDAM).date()
    return [first + timedelta(days=n) for n in range(max(0, (last - first).days) + 1)]


def month_view(user, month: Month, body_id: int | None,
               followed: bool = False) -> tuple[list[list[date]], dict[date, list[CalendarEvent]]]:
    days = month.grid_days()
    start, end = from_local(days[0], time()), from_local(days[-1] + timedelta(days=1), time())
    by_day: dict[date, list[CalendarEvent]] = defaultdict(list)
    for event in events_between(user, start, end, body_id, followed=followed):
        for day in local_days(event):
            if days[0] <= day <= days[-1]:
                by_day[day].append(event)
    weeks = [days[n:n + 7] for n in range(0, len(days), 7)]
    return weeks, by_day


def coming_days(user, today: date, body_id: int | None, followed: bool = False) -> list[tuple[date, list[CalendarEvent]]]:
    """The days from today on that have something, across month boundaries: what a phone shows first
    (the first COMING_EVENTS events)."""
    last = today + timedelta(days=COMING_DAYS)
    by_day: dict[date, list[CalendarEvent]] = defaultdict(list)
    for event in events_between(user, from_local(today, time()), from_local(last, time()), body_id, COMING_EVENTS,
                                followed):
        for day in local_days(event):
            if today <= day < last:
                by_day[day].append(event)
    return sorted(by_day.items())


def follows_others() -> bool:
    """Whether the agenda may offer the events of other councils (a feature that follows them is here)."""
    return bool(hooks().followed_calendar_sources)


def feed_events(user, now: datetime) -> list[CalendarEvent]:
    return events_between(user, now - FEED_PAST, now + FEED_FUTURE)


def feed_of(user) -> CalendarFeed | None:
    return db.session.get(CalendarFeed, user.id)


def _with_new_token(user) -> CalendarFeed:
    feed = feed_of(user) or CalendarFeed(user_id=user.id)
    feed.token = new_feed_token()
    db.session.add(feed)
    return feed


def renew_feed(user) -> CalendarFeed:
    """A new private address; the old one stops working at once."""
    feed = _with_new_token(user)
    db.session.commit()
    return feed


def choose_alarm(user, minutes: int | None) -> CalendarFeed:
    """How long before each item the member's calendar warns them (None: no alarm); the first
    choice also makes their private address."""
    feed = feed_of(user) or _with_new_token(user)
    feed.alarm_minutes = minutes
    db.session.commit()
    return feed


def webcal(address: str) -> str:
    """The same address for a calendar app: webcal:// makes a phone or computer subscribe to it
    (and keep it up to date) instead of downloading the file once."""
    return "webcal://" + address.split("://", 1)[1]


def feed_by_token(token: str) -> CalendarFeed | None:
    return db.session.scalar(db.select(CalendarFeed).filter_by(token=token)) if len(token) <= 64 else None
