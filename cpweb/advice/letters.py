"""The advice letter, the response and other papers of a dossier: documents in the library."""
from flask import url_for

from ..documents import logic as documents
from ..documents.models import BODY
from ..extensions import db
from .models import Advice

LINK_KIND = "advice"


def _describe(advice_ids: list[int]) -> dict[int, tuple[str, str]]:
    rows = db.session.execute(db.select(Advice.id, Advice.title).filter(Advice.id.in_(advice_ids)))
    return {advice_id: (title, url_for("advice.show", advice_id=advice_id)) for advice_id, title in rows}


documents.register_link_kind(LINK_KIND, _describe)


def papers_of(advice: Advice, user) -> list:
    return documents.documents_for(LINK_KIND, [advice.id], user)[advice.id]


def attach(advice: Advice, file_storage, user):
    """Raises documents.UploadError with a Dutch message for a file the library does not take."""
    return documents.attach_upload(file_storage, LINK_KIND, advice.id, uploaded_by=user, body=advice.body,
                                   visibility=BODY)
