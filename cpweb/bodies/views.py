from flask import Blueprint, abort
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..rendering import render
from .logic import active_bodies, body_by_slug, body_sections_for
from .models import Membership

bp = Blueprint("bodies", __name__, url_prefix="/organen")


@bp.route("/")
def index():
    """The bodies of this region, for everyone."""
    return render("bodies/index.html", bodies=active_bodies())


@bp.route("/<slug>")
def show(slug: str):
    """A body's page for everyone; its members are listed for its own members only."""
    body = body_by_slug(slug)
    if body is None:
        abort(404)
    memberships = []
    if current_user.is_authenticated and current_user.is_member_of(body):
        # Joined, not a second query: each query is a round trip on PostgreSQL.
        memberships = db.session.scalars(
            db.select(Membership).filter_by(body_id=body.id).options(joinedload(Membership.user))
        ).all()
        memberships = sorted((m for m in memberships if m.user.is_active), key=lambda m: m.user.name)
    return render("bodies/show.html", body=body, memberships=memberships,
                  sections=body_sections_for(body, current_user))
