"""Demo meetings: a year of the sounding-board group, the ambassadors and the Dongen council."""
from datetime import date, time, timedelta

from ..database import utcnow
from ..demo import DemoRegion
from ..extensions import db
from ..i18n import local_today
from . import logic, rules
from .models import ActionItem, AgendaItem, Attendance, Commitment, Decision, Minutes

TOPICS = ["Bereikbaarheid van het Werkplein", "Brieven in eenvoudige taal", "Signalen van het afgelopen kwartaal",
          "Ketenjaarplan: onze reactie", "Klanttevredenheidsonderzoek", "Schuldhulp en vroegsignalering"]


def _series(region: DemoRegion, slug: str, title: str, kind: str, days: list[date], visibility: str):
    body = region.bodies[slug]
    meetings = logic.create_meetings(body.id, days, {"title": title, "kind": kind, "location": "Werkplein, zaal 2",
                                                     "online_url": "", "visibility": visibility,
                                                     "start": time(19, 30), "end": time(21, 30)},
                                     publish_at=utcnow() - timedelta(days=60))
    return body, meetings


def demo_meetings(region: DemoRegion) -> None:
    today = local_today()
    year_start = date(today.year, 1, 1)
    kbg_days = [year_start + timedelta(days=20 + 45 * n) for n in range(8)]
    body, meetings = _series(region, "klankbordgroep-werkplein", "Vergadering klankbordgroep", rules.REGULAR,
                             kbg_days, rules.PUBLIC)
    db.session.add(Commitment(body_id=body.id, kind=rules.REGULAR, times_per_year=8,
                              label="Komt minstens 8 keer per jaar bijeen"))
    members = logic.members_of(body.id)
    secretary = region.users["secretaris@example.org"]
    for n, meeting in enumerate(meetings):
        meeting.items.insert(2, AgendaItem(title=TOPICS[n % len(TOPICS)], presenter=secretary.name,
                                           duration_minutes=30,
                                           description="Wat horen wij van klanten? Wat willen we **adviseren**?"))
        for position, item in enumerate(meeting.items):
            item.position = position
        if meeting.starts_at < utcnow():
            latest = n + 1 == len(meetings) or meetings[n + 1].starts_at >= utcnow()
            _held(meeting, members, n, latest)
    _ambassadors(region, today)
    _dongen(region, today)


def _held(meeting, members, n: int, latest: bool) -> None:
    """A meeting that took place; the minutes of the latest are shared, to be approved next time."""
    meeting.status = rules.HELD
    for index, member in enumerate(members):
        db.session.add(Attendance(meeting_id=meeting.id, user_id=member.id, answer=rules.YES if index % 4 else rules.NO,
                                  message="" if index % 4 else "Ik ben op vakantie.", present=bool(index % 4)))
    db.session.add(Minutes(meeting_id=meeting.id, status=rules.SHARED if latest else rules.APPROVED,
                           approved_on=None if latest else meeting.starts_at.date() + timedelta(days=45),
                           text=f"## {TOPICS[n % len(TOPICS)]}\n\nDe leden bespraken de signalen. Er komt een advies.",
                           version=1))
    db.session.add(Decision(meeting_id=meeting.id, text="De klankbordgroep stuurt een ongevraagd advies."))
    owner = members[n % len(members)]
    db.session.add(ActionItem(body_id=meeting.body_id, meeting_id=meeting.id, owner_id=owner.id,
                              description=f"Conceptadvies schrijven over: {TOPICS[n % len(TOPICS)].lower()}",
                              due_on=meeting.starts_at.date() + timedelta(days=30),
                              done_at=meeting.starts_at + timedelta(days=20) if n % 3 else None))


def _ambassadors(region: DemoRegion, today: date) -> None:
    days = [date(today.year, 3, 12), date(today.year, 7, 2), date(today.year, 11, 26)]
    body, _meetings = _series(region, "ambassadeurs", "Overleg met het management", rules.MANAGEMENT, days, rules.MEMBERS)
    db.session.add(Commitment(body_id=body.id, kind=rules.MANAGEMENT, times_per_year=3,
                              label="3 keer per jaar overleg met het management"))


def _dongen(region: DemoRegion, today: date) -> None:
    days = [today + timedelta(days=14), today + timedelta(days=56)]
    _series(region, "clientenraad-dongen", "Vergadering cliëntenraad", rules.REGULAR, days, rules.MEMBERS)
