from flask import Blueprint, url_for
from flask_babel import gettext as _

from ..auth.access import role_required
from ..auth.roles import ADMIN
from ..core.database import paginate
from ..core.extensions import db
from ..web.rendering import done, render
from . import logic
from .forms import SourceForm
from .models import Source

bp = Blueprint("following", __name__)


def _admin_page(form: SourceForm, status: int = 200, problem: str | None = None):
    return render("following/admin.html", status=status, form=form, problem=problem, sources=logic.sources(),
                  counts=logic.counts(), error_text=logic.error_text)


@bp.route("/beheer/bronnen", methods=["GET", "POST"])
@role_required(ADMIN)
def admin():
    """The other councils' feeds this site follows, with their state; and a form to add one."""
    form = SourceForm()
    if not form.validate_on_submit():
        return _admin_page(form, status=422 if form.errors else 200)
    added = logic.add_source(form.name.data, form.url.data)
    if isinstance(added, str):
        return _admin_page(form, status=422, problem=added)
    return done(_("De bron is toegevoegd. Wij halen haar binnen vijf minuten op."), url_for("following.admin"))


@bp.route("/beheer/bronnen/<int:source_id>/verversen", methods=["POST"])
@role_required(ADMIN)
def refresh(source_id: int):
    source = db.get_or_404(Source, source_id)
    ok = logic.refresh(source.id)
    return done(_("De bron is opgehaald.") if ok else _("Ophalen lukte niet. Hieronder staat waarom."),
                url_for("following.admin", _anchor=f"bron-{source_id}"))


@bp.route("/beheer/bronnen/<int:source_id>/aanzetten", methods=["POST"])
@role_required(ADMIN)
def restart(source_id: int):
    logic.restart_source(db.get_or_404(Source, source_id).id)
    return done(_("De bron staat weer aan. Wij halen haar binnen vijf minuten op."), url_for("following.admin"))


@bp.route("/beheer/bronnen/<int:source_id>/weghalen", methods=["POST"])
@role_required(ADMIN)
def remove(source_id: int):
    logic.remove_source(db.get_or_404(Source, source_id).id)
    return done(_("De bron is weggehaald, met alles wat wij ervan hadden."), url_for("following.admin"))


@bp.route("/van-andere-raden")
def entries():
    """What the councils this site follows published (advice, documents, news): read-only, each
    labelled with its source and linking back."""
    return render("following/entries.html", block="entries", page=paginate(logic.entries_query()))
