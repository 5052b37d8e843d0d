"""Documents added to a proposal (the concept advice, a letter), kept in the library and linked to it."""
from flask import url_for
from flask_babel import lazy_gettext as _l

from ..documents import places
from ..extensions import db
from . import logic
from .models import Proposal


def _describe(proposal_ids: list[int]) -> dict[int, tuple[str, str]]:
    rows = db.session.execute(db.select(Proposal.id, Proposal.title).filter(Proposal.id.in_(proposal_ids)))
    return {proposal_id: (title, url_for("proposals.show", proposal_id=proposal_id)) for proposal_id, title in rows}


def _visible_proposals(user):
    return db.select(Proposal.id).filter(logic.visible_filter(user))


PLACE_KIND = places.PlaceKind("proposal", _describe, _visible_proposals)
KIND = PLACE_KIND.kind


def place_of(proposal: Proposal) -> places.Place:
    """A paper starts at the body's members: the proposal's own audience."""
    return places.Place(KIND, proposal.id, body=proposal.body, default=places.BODY, noun=_l("het voorstel"))


def papers_of(proposal: Proposal, user) -> list:
    return places.documents_for(KIND, [proposal.id], user)[proposal.id]


def attach(proposal: Proposal, user, choice: dict) -> places.Attached:
    """A paper on the proposal, with the audience chosen (see `places.attach`); kept only when it is attached."""
    attached = places.attach(place_of(proposal), user, **choice)
    if attached.document is not None:
        db.session.commit()
    return attached
