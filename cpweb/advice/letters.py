"""The advice letter, the response and other papers of a dossier: documents in the library."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.extensions import db
from ..documents import places
from . import logic
from .models import Advice

PLACE_KIND = places.titled_kind("advice", Advice, "advice.show", "advice_id", logic.place_filter)
KIND = PLACE_KIND.kind


def place_of(advice: Advice) -> places.Place:
    return places.Place(KIND, advice.id, body=advice.body, default=places.BODY, noun=_l("het dossier"))


def papers_of(advice: Advice, user) -> list:
    return places.documents_at(KIND, advice.id, user)


def attach(advice_id: int, user, choice: dict) -> places.Attached:
    """Attach with the audience chosen, and note it on the dossier's timeline; committed once attached."""
    advice = db.session.get(Advice, advice_id)
    attached = places.attach(place_of(advice), user, **choice)
    if attached.document is not None:
        logic.add_note(advice, user, _("Stuk toegevoegd: %(title)s", title=attached.document.title))
        db.session.commit()
    return attached
