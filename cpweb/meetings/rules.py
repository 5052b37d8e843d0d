"""The rules of meetings, as plain functions that need neither a request nor a database."""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from ..core.i18n import AMSTERDAM, date_long, from_local
from ..core.i18n import lazy_gettext_markup as _lm

MAX_TITLE = 200
MAX_TEXT = 2000
MAX_MESSAGE = 300
MAX_SERIES = 52

PLANNED, CANCELLED, HELD = "planned", "cancelled", "held"
STATUSES = {PLANNED: _l("Gepland"), CANCELLED: _l("Afgelast"), HELD: _l("Gehouden")}

PUBLIC, MEMBERS = "public", "members"
VISIBILITIES = {MEMBERS: _l("Alleen leden van het orgaan"), PUBLIC: _l("Openbaar: iedereen ziet datum en agenda")}

REGULAR, MANAGEMENT, OTHER = "regular", "management", "other"
KINDS = {REGULAR: _l("Vergadering"), MANAGEMENT: _l("Overleg met het management"), OTHER: _l("Ander overleg")}

YES, NO = "yes", "no"
ANSWERS = {YES: _l("Ik ben er"), NO: _l("Ik ben er niet")}
# The same answers once the meeting has begun, said of the past.
ANSWERS_AFTERWARDS = {YES: _l("zou komen"), NO: _l("had zich afgemeld")}

DRAFT, SHARED, APPROVED = "draft", "shared", "approved"
# Shared minutes go to all the body's members (`logic.minutes_readers`), present or not: the status says so too.
MINUTES_STATUSES = {DRAFT: _l("Concept"), SHARED: _l("Gedeeld met de leden"), APPROVED: _l("Vastgesteld")}
# The secretary moves the minutes on; approved minutes are frozen.
MINUTES_NEXT = {DRAFT: SHARED, SHARED: APPROVED}

OPEN, ACCEPTED, DECLINED = "open", "accepted", "declined"
CORRECTION_STATUSES = {OPEN: _l("Voorstel"), ACCEPTED: _l("Overgenomen"), DECLINED: _l("Niet overgenomen")}

STANDARD_ITEMS = ["Opening en mededelingen", "Vaststellen verslag vorige vergadering", "Actiepunten",
                  "Rondvraag", "Sluiting"]

PUBLISH_NOW, PUBLISH_LATER, PUBLISH_NOT_YET = "now", "later", "draft"
MAX_GUESTS_TEXT = 2000


def refers_to_previous_minutes(title: str) -> bool:
    """"Vaststellen verslag vorige vergadering", "Notulen": an item where the last minutes are read."""
    return re.search(r"\b(verslag|notulen)\b", title, re.IGNORECASE) is not None


# An agenda ends with these: "Rondvraag", "Sluiting", "Rondvraag en sluiting", "Sluiting van de vergadering".
CLOSING_ITEM = re.compile(r"^\s*(rondvraag|sluiting)\b", re.IGNORECASE)


def new_item_position(titles: list[str]) -> int:
    """Where a new item goes: before the items that close the agenda (the last ones whose title
    begins with "Rondvraag" or "Sluiting"), else at the end."""
    position = len(titles)
    while position and CLOSING_ITEM.match(titles[position - 1]):
        position -= 1
    return position


def guest_names(text: str) -> list[str]:
    """Names typed one per line: blank lines and repeats left out, the order kept."""
    return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


def documents_deadline(starts_at: datetime, days: int) -> date:
    """The last day the stukken should be out: that many Amsterdam days before the meeting day."""
    return starts_at.astimezone(AMSTERDAM).date() - timedelta(days=days)


def planning_warning(day: date, today: date, documents_days: int):
    """What a secretary should know about a meeting just saved on this day, or None: the day has
    passed, or the stukken deadline before it has. Saved all the same (minutes of a meeting
    held are entered afterwards, and a meeting called at short notice is real)."""
    if day < today:
        return _lm("Let op: de datum %(day)s is al geweest. De vergadering is wel opgeslagen.", day=date_long(day))
    deadline = day - timedelta(days=documents_days)
    if deadline < today:
        return _lm("Let op: de stukken hadden er al op %(deadline)s moeten zijn. De vergadering is wel opgeslagen. "
                   "Stuur de stukken zo snel mogelijk.", deadline=date_long(deadline))
    return None


def is_late(now: datetime, deadline: date) -> bool:
    return now.astimezone(AMSTERDAM).date() > deadline


def every_n_weeks(first: date, weeks: int, count: int) -> list[date]:
    return [first + timedelta(weeks=weeks * n) for n in range(count)]


DATE_IN_LIST = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")


def parse_date_list(text: str) -> tuple[list[date], list[str]]:
    """Dates written as 19-05-2026, one per line or separated by commas. Returns (dates, what could not be read)."""
    dates, unreadable = [], []
    for part in re.split(r"[\n,;]+", text):
        part = part.strip()
        if not part:
            continue
        match = DATE_IN_LIST.match(part)
        try:
            day = date(int(match[3]), int(match[2]), int(match[1])) if match else None
        except ValueError:
            day = None
        if day is None:
            unreadable.append(part)
        elif day not in dates:
            dates.append(day)
    return sorted(dates), unreadable


def meeting_times(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    return from_local(day, start), from_local(day, end)


# A meeting starts and ends on one day (with room for a day of 25 hours): a bound on the start lets
# the database walk the start-time index from there instead of from the first meeting ever held.
LONGEST = timedelta(days=2)


@dataclass(frozen=True)
class Progress:
    """How far a body is with one yearly commitment."""

    label: str
    target: int
    held: int
    planned: int

    @property
    def reachable(self) -> bool:
        return self.held + self.planned >= self.target

    @property
    def short_by(self) -> int:
        return max(0, self.target - self.held - self.planned)


def reorder(ids: list[int], moving: int, direction: str) -> list[int]:
    """The list with one id moved a place up or down; unchanged at either end."""
    order = list(ids)
    index = order.index(moving)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    return order
