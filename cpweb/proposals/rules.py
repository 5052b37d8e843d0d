"""The rules of a proposal between meetings, as plain functions: kinds, answers, counting, timing."""
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..core.i18n import lazy_gettext_markup as _lm

MAX_TITLE = 200
MAX_TEXT = 10000
MAX_REMARK = 2000
MAX_OUTCOME = 2000
MAX_OPTIONS = 20
MAX_OPTION = 200
LONGEST_OPEN = timedelta(days=366)
DEFAULT_HOURS = 2  # a date in a date poll without an end time: a meeting of two hours

CONSENT, VOTE, CHOICE, DATE = "consent", "vote", "choice", "date"
KINDS = {CONSENT: _l("Instemmen"), VOTE: _l("Voor of tegen"), CHOICE: _l("Keuze"), DATE: _l("Datum prikken")}
# How the form offers each kind: what members will do.
KIND_CHOICES = {CONSENT: _l("Instemmen: leden stemmen in, of hebben een bezwaar"),
                VOTE: _l("Voor of tegen: leden stemmen voor, tegen, of doen niet mee (onthouding)"),
                CHOICE: _l("Keuze: leden kiezen uit mogelijkheden die u opschrijft"),
                DATE: _l("Datum prikken: leden zeggen per datum of zij kunnen")}
WITH_OPTIONS = (CHOICE, DATE)

AGREE, OBJECT = "agree", "object"
FOR, AGAINST, ABSTAIN = "for", "against", "abstain"
YES, MAYBE, NO = "yes", "maybe", "no"
# The answers of a kind without options, in the order the form shows them.
ANSWERS = {CONSENT: {AGREE: _l("Ik stem in"), OBJECT: _l("Ik heb een bezwaar")},
           VOTE: {FOR: _l("Voor"), AGAINST: _l("Tegen"), ABSTAIN: _l("Onthouding")}}
DATE_ANSWERS = {YES: _l("Ja, ik kan"), MAYBE: _l("Misschien"), NO: _l("Nee, ik kan niet")}

ALL, VOTING = "all", "voting"
VOTERS = {ALL: _l("Alle leden van het orgaan"),
          VOTING: _l("Alleen leden met stemrecht (niet bijvoorbeeld een adviseur)")}
WHILE_OPEN, AFTER_CLOSING = "while_open", "after_closing"
RESULTS = {WHILE_OPEN: _l("Meteen, terwijl het voorstel open is"), AFTER_CLOSING: _l("Pas als het voorstel gesloten is")}
NAMED, ANONYMOUS = "named", "anonymous"
NAMES = {NAMED: _l("Ja: de leden zien wie wat antwoordde"),
         ANONYMOUS: _l("Nee, anoniem: niemand ziet wie wat antwoordde, ook de secretaris niet")}

OPEN, CLOSED = "open", "closed"

DECIDED, REJECTED, NO_DECISION = "decided", "rejected", "no_decision"
OUTCOMES = {DECIDED: _l("Besloten"), REJECTED: _l("Niet aangenomen"), NO_DECISION: _l("Geen besluit")}


def answer_labels(kind: str) -> dict:
    return ANSWERS.get(kind, {})


# --- timing ---------------------------------------------------------------------------------------

def is_closed(status: str, closes_at: datetime, now: datetime) -> bool:
    """Closed by the secretary or the cron job, or past its closing time (the job may not have run yet)."""
    return status == CLOSED or now >= closes_at


def closing_problem(closes_at: datetime, now: datetime):
    if closes_at <= now:
        return _l("Kies een sluittijd in de toekomst.")
    if closes_at > now + LONGEST_OPEN:
        return _l("Kies een sluittijd binnen een jaar.")
    return None


def reminder_due(now: datetime, closes_at: datetime, created_at: datetime, before: timedelta) -> bool:
    """Time for the one reminder: within `before` of closing. A proposal that opened that close to its
    closing time gets none: its members just had the mail that it opened."""
    remind_at = closes_at - before
    return created_at < remind_at <= now < closes_at


# --- who may answer, who sees what ----------------------------------------------------------------

def may_answer(voters: str, votes: bool) -> bool:
    """An active member of the body; with VOTING only those with voting rights."""
    return voters == ALL or votes


def results_visible(results: str, closed: bool) -> bool:
    return closed or results == WHILE_OPEN


# --- the answer -----------------------------------------------------------------------------------

def remark_problem(kind: str, choice: str | None, remark: str):
    if kind == CONSENT and choice == OBJECT and not remark.strip():
        return _l("Schrijf op wat uw bezwaar is. Dan kan de secretaris erop reageren.")
    return None


def picks_problem(kind: str, picks: dict, option_ids: list[int], max_choices: int):
    """picks: option id -> YES/MAYBE/NO (a date poll) or YES for each chosen option (a choice)."""
    if any(option_id not in option_ids for option_id in picks):
        return _l("Kies een van de mogelijkheden in de lijst.")
    if kind == DATE:
        if set(picks) != set(option_ids) or any(value not in DATE_ANSWERS for value in picks.values()):
            return _l("Kies bij elke datum ja, misschien of nee.")
        return None
    chosen = [option_id for option_id, value in picks.items() if value == YES]
    if not chosen:
        return _l("Kies een mogelijkheid.")
    if len(chosen) > max_choices:
        return _lm("Kies hoogstens %(n)s mogelijkheden.", n=max_choices)
    return None


# --- counting -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Count:
    """The count of one answer (a kind without options) or of one option."""

    key: object  # the answer ("for") or the option id
    label: str
    yes: int = 0  # the answer's count, or the option's ja / chosen
    maybe: int = 0
    no: int = 0


def count_answers(kind: str, choices: list[str | None]) -> list[Count]:
    counted = Counter(choices)
    return [Count(key, str(label), yes=counted[key]) for key, label in answer_labels(kind).items()]


def count_options(options: list[tuple[int, str]], picks: list[tuple[int, str]]) -> list[Count]:
    """options: (id, label) in order; picks: (option id, value) of every answer."""
    counted = Counter(picks)
    return [Count(option_id, label, yes=counted[(option_id, YES)], maybe=counted[(option_id, MAYBE)],
                  no=counted[(option_id, NO)]) for option_id, label in options]


def best_option(counts: list[Count]) -> Count | None:
    """The date (or choice) most can make: most ja, then most misschien; the earliest on a tie."""
    best = max(counts, key=lambda count: (count.yes, count.maybe), default=None)
    return best if best is not None and (best.yes or best.maybe) else None


def summary(kind: str, counts: list[Count]) -> str:
    """One line: "7 voor, 1 onthouding"; for a date poll the best date."""
    if kind == DATE:
        best = best_option(counts)
        if best is None:
            return str(_l("Geen datum waarop iemand kan."))
        return _("Beste datum: %(date)s (%(yes)s ja, %(maybe)s misschien)", date=best.label, yes=best.yes,
                 maybe=best.maybe)
    parts = [_count_text(kind, count) for count in counts if count.yes]
    return ", ".join(parts) if parts else str(_l("Geen antwoorden."))


def _count_text(kind: str, count: Count) -> str:
    n = count.yes
    if kind == CONSENT:
        return (ngettext("%(num)s stemt in", "%(num)s stemmen in", n) if count.key == AGREE
                else ngettext("%(num)s bezwaar", "%(num)s bezwaren", n))
    if kind == VOTE:
        if count.key == ABSTAIN:
            return ngettext("%(num)s onthouding", "%(num)s onthoudingen", n)
        return _("%(num)s voor", num=n) if count.key == FOR else _("%(num)s tegen", num=n)
    return f"{count.label}: {n}"


def suggested_outcome(kind: str, counts: list[Count]) -> str:
    """What the outcome form starts at; the secretary decides."""
    by_key = {count.key: count.yes for count in counts}
    if not any(count.yes or count.maybe for count in counts):
        return NO_DECISION
    if kind == CONSENT:
        return DECIDED if not by_key.get(OBJECT) else REJECTED
    if kind == VOTE:
        return DECIDED if by_key.get(FOR, 0) > by_key.get(AGAINST, 0) else REJECTED
    return DECIDED


# --- options as typed ----------------------------------------------------------------------------

def parse_choices(text: str) -> list[str]:
    """One option per line; empty lines and doubles left out."""
    seen, options = set(), []
    for line in text.splitlines():
        option = " ".join(line.split())
        if option and option.lower() not in seen:
            seen.add(option.lower())
            options.append(option)
    return options


DATE_LINE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})\s+(\d{1,2})[:.](\d{2})(?:\s*(?:-|–|tot)\s*(\d{1,2})[:.](\d{2}))?$")


def parse_dates(text: str) -> tuple[list[tuple[datetime, datetime]], list[str]]:
    """Lines like "19-05-2026 19:30-21:30" (the end is optional): (local start, local end) per readable
    line in the order typed, doubles left out, and the lines that could not be read."""
    slots, unreadable = [], []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        slot = _slot(line)
        if slot is None:
            unreadable.append(line)
        elif slot not in slots:
            slots.append(slot)
    return slots, unreadable


def _slot(line: str) -> tuple[datetime, datetime] | None:
    match = DATE_LINE.match(line)
    if match is None:
        return None
    day, month, year, hour, minute, end_hour, end_minute = match.groups()
    try:
        start = datetime(int(year), int(month), int(day), int(hour), int(minute))
        end = (datetime.combine(start.date(), time(int(end_hour), int(end_minute))) if end_hour
               else start + timedelta(hours=DEFAULT_HOURS))
    except ValueError:
        return None
    return (start, end) if end > start else None
