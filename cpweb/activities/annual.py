"""The activities part of the annual report: what took place, and how many members and how many
guests signed up."""
from datetime import date, time

from flask_babel import gettext as _
from sqlalchemy import case, func

from ..core.annual import AnnualSection, AnnualTable, year_list
from ..core.database import utcnow
from ..core.extensions import db
from ..core.i18n import date_in_text, from_local
from . import logic, rules
from .models import Activity, Signup

# A confirmed place, and whose: a member's sign-up has an account, a guest's only a name and address.
_MEMBER = func.sum(case((Signup.user_id.is_not(None), 1), else_=0))
_GUEST = func.sum(case((Signup.user_id.is_(None), 1), else_=0))


def year_numbers(year: int) -> list[list]:
    """Per kind: activities that took place in the year, members' confirmed places, guests'."""
    begin, end = from_local(date(year, 1, 1), time()), from_local(date(year + 1, 1, 1), time())
    held = (Activity.status == rules.PUBLISHED, Activity.starts_at >= begin, Activity.starts_at < end,
            Activity.starts_at < utcnow())
    activities = dict(db.session.execute(db.select(Activity.kind, func.count()).filter(*held)
                                         .group_by(Activity.kind)).all())
    places = {kind: (members, guests) for kind, members, guests in db.session.execute(
        db.select(Activity.kind, _MEMBER, _GUEST).join(Signup, Signup.activity_id == Activity.id)
        .filter(*held, Signup.status == rules.CONFIRMED).group_by(Activity.kind))}
    return [[rules.KINDS.get(kind, kind), activities[kind], *places.get(kind, (0, 0))] for kind in sorted(activities)]


def held_activities(year: int, reader, longest: int | None = None) -> tuple[list[list], bool]:
    """Each activity of the year that took place and the reader may see, with members' and guests'
    confirmed places (see year_list for `longest`)."""
    begin, end = from_local(date(year, 1, 1), time()), from_local(date(year + 1, 1, 1), time())
    # Counted per listed activity, so the first rows cost the same in a busy year as in a quiet one.
    confirmed = (Signup.activity_id == Activity.id, Signup.status == rules.CONFIRMED)
    members = db.select(func.count()).where(*confirmed, Signup.user_id.is_not(None)).scalar_subquery()
    guests = db.select(func.count()).where(*confirmed, Signup.user_id.is_(None)).scalar_subquery()
    rows, cut = year_list(
        db.select(Activity.starts_at, Activity.title, Activity.kind, members, guests)
        .filter(Activity.status == rules.PUBLISHED, Activity.starts_at >= begin, Activity.starts_at < end,
                Activity.starts_at < utcnow(), logic.visible_filter(reader))
        .order_by(Activity.starts_at, Activity.id), longest)
    return [[date_in_text(starts_at), title, str(rules.KINDS.get(kind, kind)), member_places, guest_places]
            for starts_at, title, kind, member_places, guest_places in rows], cut


def activities_section(year: int, reader, longest: int | None) -> AnnualSection:
    header = [_("Soort"), _("Activiteiten"), _("Aanmeldingen van leden"), _("Aanmeldingen van gasten")]
    table = [[str(row[0]), *row[1:]] for row in year_numbers(year)]
    rows, cut = held_activities(year, reader, longest)
    held = AnnualTable([_("Datum"), _("Activiteit"), _("Soort"), _("Leden"), _("Gasten")], rows,
                       _("De activiteiten die zijn gehouden."), cut)
    return AnnualSection(_("Activiteiten"), [AnnualTable(header, table), held])
