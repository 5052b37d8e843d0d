"""Demo meetings of every body, around today: held ones since the start of last year (with attendance,
minutes, a decision and an action item) and planned ones ahead, whatever the day the demo is loaded."""
from datetime import date, time, timedelta
from typing import NamedTuple

from ..core.database import utcnow
from ..core.extensions import db
from ..core.i18n import as_local, local_today
from ..demo import DemoRegion
from . import logic, rules
from .models import ActionItem, AgendaItem, Attendance, Commitment, Decision, Minutes

TOPICS = ["Bereikbaarheid van het Werkplein", "Brieven in eenvoudige taal", "Signalen van het afgelopen kwartaal",
          "Ketenjaarplan: onze reactie", "Klanttevredenheidsonderzoek", "Schuldhulp en vroegsignalering"]


class Series(NamedTuple):
    slug: str
    title: str
    kind: str
    visibility: str
    weekday: int  # 0 is Monday
    weeks: int  # between two meetings
    first_ahead: int  # the first one ahead is at least so many days from today
    ahead: int  # how many are planned
    start: time
    end: time
    decision: str  # what each held meeting decided


SERIES = [
    Series("klankbordgroep-werkplein", "Vergadering klankbordgroep", rules.REGULAR, rules.PUBLIC, 1, 6, 8, 2,
           time(19, 30), time(21, 30), "De klankbordgroep stuurt een ongevraagd advies."),
    Series("ambassadeurs", "Overleg met het management", rules.MANAGEMENT, rules.MEMBERS, 3, 17, 22, 1,
           time(10, 0), time(11, 30), "De ambassadeurs nemen de signalen mee naar het volgende overleg."),
    Series("clientenraad-dongen", "Vergadering cliëntenraad", rules.REGULAR, rules.MEMBERS, 2, 8, 11, 2,
           time(19, 30), time(21, 30), "De cliëntenraad vraagt de gemeente om een reactie."),
    Series("werkgroep-communicatie", "Werkgroep brieven", rules.OTHER, rules.MEMBERS, 0, 8, 18, 1,
           time(14, 0), time(15, 30), "De werkgroep stuurt haar opmerkingen over de brief naar de gemeente."),
]
COMMITMENTS = {"klankbordgroep-werkplein": (rules.REGULAR, 8, "Komt minstens 8 keer per jaar bijeen"),
               "ambassadeurs": (rules.MANAGEMENT, 3, "3 keer per jaar overleg met het management")}


def meeting_days(today: date, weekday: int, weeks: int, first_ahead: int, ahead: int) -> list[date]:
    """Every `weeks` weeks on one weekday: `ahead` days from the first that weekday at least
    `first_ahead` days after today, and every such day before it back to the first of January
    of last year (so last year's annual report has a whole year of meetings)."""
    first = today + timedelta(days=first_ahead)
    first += timedelta(days=(weekday - first.weekday()) % 7)
    step = timedelta(weeks=weeks)
    days = [first + n * step for n in range(ahead)]
    day = first - step
    while day >= date(today.year - 1, 1, 1):
        days.insert(0, day)
        day -= step
    return days


def demo_meetings(region: DemoRegion) -> None:
    today, now = local_today(), utcnow()
    secretary = region.users["secretaris@example.org"]
    for series in SERIES:
        body = region.bodies[series.slug]
        meetings = logic.create_meetings(
            body.id, meeting_days(today, series.weekday, series.weeks, series.first_ahead, series.ahead),
            {"title": series.title, "kind": series.kind, "location": "Werkplein, zaal 2", "online_url": "",
             "visibility": series.visibility, "start": series.start, "end": series.end}, publish_at=None)
        if series.slug in COMMITMENTS:
            kind, times, label = COMMITMENTS[series.slug]
            db.session.add(Commitment(body_id=body.id, kind=kind, times_per_year=times, label=label))
        members = logic.members_of(body.id)
        for n, meeting in enumerate(meetings):
            # Published four weeks ahead, as a secretary would; the coming ones are all out already.
            meeting.published_at = min(meeting.starts_at - timedelta(weeks=4), now - timedelta(days=1))
            meeting.items.insert(2, AgendaItem(title=TOPICS[n % len(TOPICS)], presenter=secretary.name,
                                               duration_minutes=30,
                                               description="Wat horen wij van klanten? Wat willen we **adviseren**?"))
            for position, item in enumerate(meeting.items):
                item.position = position
            if meeting.starts_at < now:
                following = meetings[n + 1]  # the series always has one ahead
                approved_on = as_local(following.starts_at).date() if following.starts_at < now else None
                _held(meeting, members, n, series.decision, approved_on)


def _held(meeting, members, n: int, decision: str, approved_on: date | None) -> None:
    """A meeting that took place; its minutes were approved at the next one, or (the latest) are
    shared, to be approved next time."""
    meeting.status = rules.HELD
    for index, member in enumerate(members):
        db.session.add(Attendance(meeting_id=meeting.id, user_id=member.id, answer=rules.YES if index % 4 else rules.NO,
                                  message="" if index % 4 else "Ik ben op vakantie.", present=bool(index % 4)))
    db.session.add(Minutes(meeting_id=meeting.id, status=rules.APPROVED if approved_on else rules.SHARED,
                           approved_on=approved_on,
                           text=f"## {TOPICS[n % len(TOPICS)]}\n\nDe leden bespraken de signalen. Er komt een advies.",
                           version=1))
    db.session.add(Decision(meeting_id=meeting.id, text=decision))
    owner = members[n % len(members)]
    db.session.add(ActionItem(body_id=meeting.body_id, meeting_id=meeting.id, owner_id=owner.id,
                              description=f"Conceptadvies schrijven over: {TOPICS[n % len(TOPICS)].lower()}",
                              due_on=meeting.starts_at.date() + timedelta(days=30),
                              done_at=meeting.starts_at + timedelta(days=20) if n % 3 else None))
