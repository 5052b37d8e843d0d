"""The meetings part of the annual report: held against the commitment, and attendance."""
from collections import defaultdict
from datetime import date, time

from flask_babel import gettext as _
from sqlalchemy import case, func

from ..bodies.logic import active_bodies
from ..bodies.models import Body
from ..core.annual import AnnualSection, AnnualTable, year_list
from ..core.database import utcnow
from ..core.extensions import db
from ..core.i18n import date_in_text, from_local
from . import logic, rules
from .models import Attendance, Commitment, Meeting


def year_numbers(year: int) -> list[dict]:
    """Per active body: meetings held, still planned and cancelled in the year, its largest yearly
    commitment, and attendance (present among those recorded)."""
    begin, end = from_local(date(year, 1, 1), time()), from_local(date(year + 1, 1, 1), time())
    now = utcnow()
    in_year = (Meeting.starts_at >= begin, Meeting.starts_at < end)
    counts = defaultdict(lambda: {"held": 0, "planned": 0, "cancelled": 0})
    state = case((Meeting.status == rules.CANCELLED, "cancelled"), (Meeting.starts_at < now, "held"), else_="planned")
    for body_id, key, number in db.session.execute(
            db.select(Meeting.body_id, state, func.count()).filter(*in_year).group_by(Meeting.body_id, state)):
        counts[body_id][key] = number
    present = dict(db.session.execute(
        db.select(Meeting.body_id, func.sum(case((Attendance.present.is_(True), 1), else_=0)))
        .join(Attendance, Attendance.meeting_id == Meeting.id)
        .filter(*in_year, Attendance.present.is_not(None)).group_by(Meeting.body_id)).all())
    recorded = dict(db.session.execute(
        db.select(Meeting.body_id, func.count()).join(Attendance, Attendance.meeting_id == Meeting.id)
        .filter(*in_year, Attendance.present.is_not(None)).group_by(Meeting.body_id)).all())
    targets = dict(db.session.execute(db.select(Commitment.body_id, func.max(Commitment.times_per_year))
                                      .group_by(Commitment.body_id)).all())
    rows = []
    for body in active_bodies():
        numbers = counts[body.id]
        rate = round(100 * present.get(body.id, 0) / recorded[body.id]) if recorded.get(body.id) else None
        rows.append({"body": body.name, **numbers, "target": targets.get(body.id), "attendance": rate})
    return rows


def held_meetings(year: int, reader, longest: int | None = None) -> tuple[list[list], bool]:
    """The meetings of the year that took place and the reader may see: date, body, title, and how
    many of those recorded were there (see year_list for `longest`)."""
    begin, end = from_local(date(year, 1, 1), time()), from_local(date(year + 1, 1, 1), time())
    now = utcnow()

    def attendance(*condition):  # counted per listed meeting: the first rows cost the same in any year
        return (db.select(func.count()).where(Attendance.meeting_id == Meeting.id, *condition)
                .scalar_subquery())

    rows, cut = year_list(
        db.select(Meeting.starts_at, Body.name, Meeting.title, attendance(Attendance.present.is_(True)),
                  attendance(Attendance.present.is_not(None)))
        .join(Body, Body.id == Meeting.body_id)
        .filter(Meeting.starts_at >= begin, Meeting.starts_at < end, Meeting.starts_at < now,
                Meeting.status != rules.CANCELLED, logic.visible_filter(reader, now))
        .order_by(Meeting.starts_at, Meeting.id), longest)
    return [[date_in_text(starts_at), body, title, _("%(present)s van %(recorded)s", present=there or 0, recorded=counted)
             if counted else "-"] for starts_at, body, title, there, counted in rows], cut


def meetings_section(year: int, reader, longest: int | None) -> AnnualSection:
    rows = year_numbers(year)
    header = [_("Orgaan"), _("Gehouden"), _("Nog gepland"), _("Afgelast"), _("Afspraak per jaar"), _("Aanwezig")]
    table = [[r["body"], r["held"], r["planned"], r["cancelled"], r["target"] or "-",
              f"{r['attendance']}%" if r["attendance"] is not None else "-"] for r in rows]
    rows, cut = held_meetings(year, reader, longest)
    held = AnnualTable([_("Datum"), _("Orgaan"), _("Vergadering"), _("Aanwezig")], rows,
                       _("De vergaderingen die zijn gehouden, met het aantal aanwezige leden."), cut)
    return AnnualSection(_("Vergaderingen"), [AnnualTable(header, table), held])
