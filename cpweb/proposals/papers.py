"""Documents added to a proposal (the concept advice, a letter), kept in the library and linked to it."""
from flask_babel import lazy_gettext as _l

from ..advice import letters
from ..advice import logic as advice_logic
from ..core.extensions import db
from ..documents import places
from . import logic
from .models import Proposal

PLACE_KIND = places.titled_kind("proposal", Proposal, "proposals.show", "proposal_id", logic.visible_filter)
KIND = PLACE_KIND.kind


def place_of(proposal: Proposal) -> places.Place:
    """A paper starts at the body's members: the proposal's own audience."""
    return places.Place(KIND, proposal.id, body=proposal.body, default=places.BODY, noun=_l("het voorstel"))


def papers_of(proposal: Proposal, user) -> list:
    return places.documents_at(KIND, proposal.id, user)


def dossier_papers_of(proposal: Proposal, user, shown: list) -> tuple[object | None, list]:
    """The linked dossier and its papers this person may see (those not already in `shown`), so a
    proposal about a concept advice shows the concept kept in the dossier; (None, []) when there is
    no dossier or it is not theirs to open."""
    advice = advice_logic.advices_by_id([proposal.advice_id]).get(proposal.advice_id) if proposal.advice_id else None
    if advice is None or not advice_logic.can_see(user, advice):
        return None, []
    own = {document.id for document in shown}
    return advice, [document for document in letters.papers_of(advice, user) if document.id not in own]


def attach(proposal: Proposal, user, choice: dict) -> places.Attached:
    """A paper on the proposal, with the audience chosen (see `places.attach`); kept only when it is attached."""
    attached = places.attach(place_of(proposal), user, **choice)
    if attached.document is not None:
        db.session.commit()
    return attached
