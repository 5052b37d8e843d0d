"""Documents added to a proposal (the concept advice, a letter), kept in the library and linked to it."""
from flask_babel import lazy_gettext as _l

from ..documents import places
from ..extensions import db
from . import logic
from .models import Proposal


PLACE_KIND = places.titled_kind("proposal", Proposal, "proposals.show", "proposal_id", logic.visible_filter)
KIND = PLACE_KIND.kind


def place_of(proposal: Proposal) -> places.Place:
    """A paper starts at the body's members: the proposal's own audience."""
    return places.Place(KIND, proposal.id, body=proposal.body, default=places.BODY, noun=_l("het voorstel"))


def papers_of(proposal: Proposal, user) -> list:
    return places.documents_at(KIND, proposal.id, user)


def attach(proposal: Proposal, user, choice: dict) -> places.Attached:
    """A paper on the proposal, with the audience chosen (see `places.attach`); kept only when it is attached."""
    attached = places.attach(place_of(proposal), user, **choice)
    if attached.document is not None:
        db.session.commit()
    return attached
