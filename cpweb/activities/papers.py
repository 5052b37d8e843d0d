"""Documents added to an activity (slides, a handout), kept in the library and linked to it."""
from flask_babel import lazy_gettext as _l

from ..core.extensions import db
from ..documents import places
from . import logic, rules
from .models import Activity

PLACE_KIND = places.titled_kind("activity", Activity, "activities.show", "activity_id", logic.visible_filter)
KIND = PLACE_KIND.kind


def place_of(activity: Activity) -> places.Place:
    """A paper starts at the activity's own audience, but never public: one body's members for an
    activity of one body, otherwise all members (who see it only while they may see the activity)."""
    body = activity.bodies[0] if activity.audience == rules.BODIES and len(activity.bodies) == 1 else None
    return places.Place(KIND, activity.id, body=body, default=places.BODY if body else places.MEMBERS,
                        noun=_l("de activiteit"))


def papers_of(activity: Activity, user) -> list:
    return places.documents_at(KIND, activity.id, user)


def attach(activity_id: int, user, choice: dict) -> places.Attached:
    """Slides or a handout on an activity, with the audience chosen (see `places.attach`); kept
    only when it is attached."""
    attached = places.attach(place_of(db.session.get(Activity, activity_id)), user, **choice)
    if attached.document is not None:
        db.session.commit()
    return attached
