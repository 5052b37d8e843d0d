from flask import Blueprint, abort, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ..auth.access import login_required
from ..core.extensions import db
from ..web.forms import choice_list
from ..web.rendering import done, render
from .forms import VotingForm
from .logic import active_bodies, body_by_slug, body_sections_for, memberships_of, set_voting
from .models import Membership

bp = Blueprint("bodies", __name__, url_prefix="/organen")


def _body_or_404(slug: str):
    body = body_by_slug(slug)
    if body is None:
        abort(404)
    return body


@bp.route("/")
def index():
    """The bodies of this region, for everyone."""
    return render("bodies/index.html", bodies=active_bodies())


@bp.route("/<slug>")
def show(slug: str):
    """A body's page for everyone; its members are listed for its own members only."""
    body = _body_or_404(slug)
    memberships = []
    if current_user.is_authenticated and current_user.is_member_of(body):
        # Joined, not a second query: each query is a round trip on PostgreSQL.
        memberships = db.session.scalars(
            db.select(Membership).filter_by(body_id=body.id).options(joinedload(Membership.user))
        ).all()
        memberships = sorted((m for m in memberships if m.user.is_active), key=lambda m: m.user.name)
    return render("bodies/show.html", body=body, memberships=memberships,
                  sections=body_sections_for(body, current_user))


@bp.route("/<slug>/stemrecht", methods=["GET", "POST"])
@login_required
def voting(slug: str):
    """Who of the members has a vote; for the body's secretaries and admins."""
    body = _body_or_404(slug)
    if not current_user.can_manage(body):
        abort(403 if current_user.is_member_of(body) else 404)
    memberships = memberships_of(body.id)
    form = VotingForm(voting=[m.user_id for m in memberships if m.votes])
    form.voting.choices = choice_list((m.user_id, m.user.name) for m in memberships)
    if form.validate_on_submit():
        set_voting(body.id, form.voting.data)
        return done(_("Het stemrecht is opgeslagen."), url_for("bodies.show", slug=body.slug, _anchor="leden"))
    return render("bodies/voting.html", body=body, form=form, status=422 if form.errors else 200)
