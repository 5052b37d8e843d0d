"""The activities part of the annual report: what took place and how many members went."""
from datetime import date, time

from flask_babel import gettext as _
from sqlalchemy import func

from ..annual import AnnualSection
from ..database import utcnow
from ..extensions import db
from ..i18n import from_local
from . import rules
from .models import Activity, Signup


def year_numbers(year: int) -> list[list]:
    """Per kind: activities that took place in the year, and members' confirmed places."""
    begin, end = from_local(date(year, 1, 1), time()), from_local(date(year + 1, 1, 1), time())
    held = (Activity.status == rules.PUBLISHED, Activity.starts_at >= begin, Activity.starts_at < end,
            Activity.starts_at < utcnow())
    activities = dict(db.session.execute(db.select(Activity.kind, func.count()).filter(*held)
                                         .group_by(Activity.kind)).all())
    places = dict(db.session.execute(
        db.select(Activity.kind, func.count()).join(Signup, Signup.activity_id == Activity.id)
        .filter(*held, Signup.status == rules.CONFIRMED, Signup.user_id.is_not(None)).group_by(Activity.kind)).all())
    return [[rules.KINDS.get(kind, kind), activities[kind], places.get(kind, 0)] for kind in sorted(activities)]


def activities_section(year: int) -> AnnualSection:
    header = [_("Soort"), _("Activiteiten"), _("Aanmeldingen van leden")]
    table = [[str(row[0]), row[1], row[2]] for row in year_numbers(year)]
    return AnnualSection(_("Activiteiten"), header, table)
