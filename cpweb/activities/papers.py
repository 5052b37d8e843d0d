"""Documents added after an activity (slides, a handout), kept in the library and linked to it."""
from flask import url_for

from ..documents import logic as documents
from ..documents.models import MEMBERS, PUBLIC
from ..extensions import db
from .models import Activity

LINK_KIND = "activity"


def _describe(activity_ids: list[int]) -> dict[int, tuple[str, str]]:
    rows = db.session.execute(db.select(Activity.id, Activity.title).filter(Activity.id.in_(activity_ids)))
    return {activity_id: (title, url_for("activities.show", activity_id=activity_id)) for activity_id, title in rows}


documents.register_link_kind(LINK_KIND, _describe)


def papers_of(activity: Activity, user) -> list:
    return documents.documents_for(LINK_KIND, [activity.id], user)[activity.id]


def attach(activity: Activity, file_storage, user):
    """Visible as the activity is (everyone, or members). Raises documents.UploadError."""
    return documents.attach_upload(file_storage, LINK_KIND, activity.id, uploaded_by=user, body=None,
                                   visibility=PUBLIC if activity.is_public else MEMBERS)
