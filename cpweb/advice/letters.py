"""The advice letter, the response and other papers of a dossier: documents in the library."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..documents import places
from ..extensions import db
from . import logic
from .models import Advice


def _describe(advice_ids: list[int]) -> dict[int, tuple[str, str]]:
    rows = db.session.execute(db.select(Advice.id, Advice.title).filter(Advice.id.in_(advice_ids)))
    return {advice_id: (title, url_for("advice.show", advice_id=advice_id)) for advice_id, title in rows}


def _visible_dossiers(user):
    return db.select(Advice.id).filter(logic.visible_filter(user))


PLACE_KIND = places.PlaceKind("advice", _describe, _visible_dossiers)
KIND = PLACE_KIND.kind


def place_of(advice: Advice) -> places.Place:
    return places.Place(KIND, advice.id, body=advice.body, default=places.BODY, noun=_l("het dossier"))


def papers_of(advice: Advice, user) -> list:
    return places.documents_for(KIND, [advice.id], user)[advice.id]


def attach(advice_id: int, user, choice: dict) -> places.Attached:
    """Attach with the audience chosen, and note it on the dossier's timeline; committed once attached."""
    advice = db.session.get(Advice, advice_id)
    attached = places.attach(place_of(advice), user, **choice)
    if attached.document is not None:
        logic.add_note(advice, user, _("Stuk toegevoegd: %(title)s", title=attached.document.title))
        db.session.commit()
    return attached
