"""Documents added to an activity (slides, a handout), kept in the library and linked to it."""
from flask import url_for
from flask_babel import lazy_gettext as _l

from ..documents import places
from ..extensions import db
from . import logic, rules
from .models import Activity


def _describe(activity_ids: list[int]) -> dict[int, tuple[str, str]]:
    rows = db.session.execute(db.select(Activity.id, Activity.title).filter(Activity.id.in_(activity_ids)))
    return {activity_id: (title, url_for("activities.show", activity_id=activity_id)) for activity_id, title in rows}


def _visible_activities(user):
    return db.select(Activity.id).filter(logic.visible_filter(user))


PLACE_KIND = places.PlaceKind("activity", _describe, _visible_activities)
KIND = PLACE_KIND.kind


def place_of(activity: Activity) -> places.Place:
    """A paper starts at the activity's own audience, but never public: one body's members for an
    activity of one body, otherwise all members (who see it only while they may see the activity)."""
    body = activity.bodies[0] if activity.audience == rules.BODIES and len(activity.bodies) == 1 else None
    return places.Place(KIND, activity.id, body=body, default=places.BODY if body else places.MEMBERS,
                        noun=_l("de activiteit"))


def papers_of(activity: Activity, user) -> list:
    return places.documents_for(KIND, [activity.id], user)[activity.id]


def attach(activity_id: int, user, choice: dict) -> places.Attached:
    """Slides or a handout on an activity, with the audience chosen (see `places.attach`); kept
    only when it is attached."""
    attached = places.attach(place_of(db.session.get(Activity, activity_id)), user, **choice)
    if attached.document is not None:
        db.session.commit()
    return attached
