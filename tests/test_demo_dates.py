"""The demo on any day of the year: loaded with the clock frozen at a dozen awkward moments, it
still has what a newcomer looks for first (a coming public meeting, a recent one, an open proposal,
coming activities, last year's annual report) and nothing in the past that still says "gepland"."""
from datetime import datetime, timedelta

import pytest
import time_machine
from flask_login import AnonymousUserMixin

from cpweb.auth.models import User
from cpweb.bodies.models import Body
from cpweb.calendar.sources import events_between
from cpweb.core.annual import sections_for
from cpweb.core.database import utcnow
from cpweb.core.extensions import db
from cpweb.core.i18n import AMSTERDAM, local_today
from cpweb.demo import load_demo
from cpweb.meetings import rules as meeting_rules
from cpweb.meetings.annual import year_numbers
from cpweb.meetings.models import ActionItem, Decision, Meeting, Minutes
from cpweb.proposals.logic import open_proposals
from cpweb.proposals.models import ProposalAnswer
from cpweb.signals.models import Signal

# Wall-clock times in Amsterdam. Late on 31 December and just after midnight on 1 January the
# date in UTC differs from the local one; the DST days are at the hour that is skipped or doubled.
MOMENTS = [
    datetime(2026, 11, 30, 10, 0),
    datetime(2026, 12, 1, 10, 0),
    datetime(2026, 12, 20, 10, 0),
    datetime(2026, 12, 24, 18, 0),
    datetime(2026, 12, 31, 23, 45),
    datetime(2027, 1, 1, 0, 15),
    datetime(2027, 3, 28, 3, 30),  # summer time began at 2:00 that night
    datetime(2027, 6, 21, 12, 0),  # midsummer
    datetime(2027, 10, 31, 2, 30),  # winter time: 2:00-3:00 happens twice (this is the first)
    datetime(2027, 12, 31, 20, 0),
    datetime(2028, 1, 1, 9, 0),
    datetime(2028, 2, 29, 9, 0),
]


@pytest.mark.parametrize("moment", MOMENTS, ids=[moment.strftime("%Y-%m-%d-%H%M") for moment in MOMENTS])
def test_the_demo_loaded_then_has_what_a_newcomer_relies_on(app, moment):
    """One demo per moment (the clock frozen there while it loads and while it is checked); every
    check says what is missing, so one run shows all that is wrong on that day."""
    with time_machine.travel(moment.replace(tzinfo=AMSTERDAM), tick=False):
        load_demo()
        assert local_today() == moment.date()
        now = utcnow()
        problems = [*_public_meetings(now), *_meetings_of_each_body(now), *_for_a_member(now),
                    *_last_years_report(local_today().year - 1), *_nothing_after(now)]
    assert problems == []


def _public_meetings(now: datetime) -> list[str]:
    guest = AnonymousUserMixin()
    ahead = [e for e in events_between(guest, now, now + timedelta(days=60)) if e.kind == "meeting" and not e.cancelled]
    behind = [e for e in events_between(guest, now - timedelta(days=120), now) if e.kind == "meeting"]
    return (["no public meeting in the coming 60 days"] * (not ahead)
            + ["no public meeting in the last 120 days"] * (not behind))


def _meetings_of_each_body(now: datetime) -> list[str]:
    problems = [f"{m.body.slug} on {m.starts_at:%Y-%m-%d} is in the past and still planned"
                for m in db.session.scalars(db.select(Meeting).filter(Meeting.status == meeting_rules.PLANNED,
                                                                      Meeting.starts_at < now))]
    for body in db.session.scalars(db.select(Body)):
        meetings = db.session.scalars(db.select(Meeting).filter_by(body_id=body.id).order_by(Meeting.starts_at)).all()
        held = [m for m in meetings if m.status == meeting_rules.HELD]
        if not held:
            problems.append(f"{body.slug} held no meeting")
            continue
        if not any(m.status == meeting_rules.PLANNED and m.starts_at > now for m in meetings):
            problems.append(f"{body.slug} plans no meeting")
        for table in (Minutes, Decision, ActionItem):
            ids = {m.id for m in held}
            if set(db.session.scalars(db.select(table.meeting_id).filter(table.meeting_id.in_(ids)))) != ids:
                problems.append(f"{body.slug}: a held meeting without {table.__name__}")
        # The minutes of the latest meeting wait for approval at the next; the ones before were approved.
        waiting = [m for m in held if db.session.get(Minutes, m.id).status != meeting_rules.APPROVED]
        if waiting != held[-1:]:
            problems.append(f"{body.slug}: minutes not approved of {[f'{m.starts_at:%Y-%m-%d}' for m in waiting]}")
    return problems


def _for_a_member(now: datetime) -> list[str]:
    member = db.session.scalar(db.select(User).filter_by(email="lid@example.org"))
    activities = [e for e in events_between(member, now, now + timedelta(days=60)) if e.kind == "activity"]
    return (["no open proposal for the demo member"] * (not open_proposals(member, now))
            + [f"{len(activities)} activities in the coming 60 days"] * (len(activities) < 3)
            + ["no activity open to everyone in the coming 60 days"] * (not any(e.public for e in activities)))


def _nothing_after(now: datetime) -> list[str]:
    """What the demo says has happened happened before the clock: "U heeft geantwoord op ... 23:16" at
    21:25 tells a newcomer the site cannot count."""
    return [f"a {column.class_.__name__}.{column.key} after now" for column in (ProposalAnswer.answered_at, Signal.created_at)
            if db.session.scalar(db.select(db.func.count()).filter(column > now))]


def _last_years_report(year: int) -> list[str]:
    admin = db.session.scalar(db.select(User).filter_by(email="beheerder@example.org"))
    if not any(section.has_facts for section in sections_for(year, admin)):
        return [f"the annual report of {year} is empty"]
    # A whole year of the sounding-board group: as often as it promised, and nothing left planned.
    row = next(row for row in year_numbers(year) if row["body"] == "Klankbordgroep Werkplein Hart van Brabant")
    return [f"the annual report of {year}: {row}"] * (row["held"] < row["target"] or row["planned"] > 0)
