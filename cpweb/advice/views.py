from flask import Blueprint, abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from ..auth.access import login_required
from ..bodies.logic import active_organisations, bodies_of, members_of_bodies
from ..core.database import paginate
from ..core.extensions import db
from ..core.i18n import local_today
from ..documents import attaching
from ..meetings.logic import recent_meetings_of
from ..web.forms import choice_list
from ..web.rendering import done, render
from . import letters, logic, rules
from .forms import AdviceForm, FilterForm, LinkForm, NoteForm, PublishForm, StepForm
from .models import Advice

bp = Blueprint("advice", __name__, url_prefix="/advies")


def _get_advice_or_404(advice_id: int) -> Advice:
    """A dossier of one of the member's bodies. Another body's dossier is a 404."""
    # The body and addressee joined rather than loaded apart: each query is a round trip on PostgreSQL.
    # The drafters (a collection) in a query of their own: joined in, SQLite built the join of every
    # dossier's drafters first.
    advice = db.session.get(Advice, advice_id, options=[selectinload(Advice.drafters), joinedload(Advice.body),
                                                        joinedload(Advice.addressee)])
    if advice is None or not logic.can_see(current_user, advice):
        abort(404)
    return advice


def _get_editable_advice_or_404(advice_id: int) -> Advice:
    advice = _get_advice_or_404(advice_id)
    if not logic.can_edit(current_user, advice):
        abort(403)
    return advice


@bp.route("/")
@login_required
def index():
    """The dossiers of the member's bodies, what needs attention first."""
    filters = FilterForm(formdata=request.args if request.args else None)
    if not filters.validate():
        abort(404)
    body_ids = logic.body_ids_of(current_user)
    page = paginate(logic.advice_query(body_ids, filters.status.data, filters.jaar.data, filters.q.data))
    today = local_today()
    filter_args = {k: v for k, v in request.args.items() if k != "pagina" and v}
    return render("advice/index.html", block="advice_list", filters=filters, page=page, filter_args=filter_args,
                  flags={a.id: logic.attention_of(a, today) for a in page.items})


def _form(advice: Advice | None = None, **kwargs) -> AdviceForm:
    form = AdviceForm(obj=advice, **kwargs) if advice else AdviceForm(**kwargs)
    if advice and request.method == "GET":
        form.body.data = str(advice.body_id)
        form.addressee.data = str(advice.addressee_id or "")
        form.drafters.data = [d.id for d in advice.drafters]
        form.version.data = advice.version
    bodies = bodies_of(current_user)
    form.body.choices = choice_list([(str(b.id), b.name) for b in bodies])
    form.addressee.choices = choice_list([("", _("Kies een organisatie"))] +
                                         [(str(o.id), o.name) for o in active_organisations()])
    form.drafters.choices = choice_list((u.id, u.name) for u in members_of_bodies([b.id for b in bodies]))
    return form


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def new():
    """Start a dossier for a request or an idea; any member of the body may."""
    form = _form()
    if form.validate_on_submit():
        advice = logic.start_dossier(form.advice_fields(), form.drafters.data, current_user)
        return done(_("Het dossier is aangemaakt."), url_for("advice.show", advice_id=advice.id))
    return render("advice/form.html", form=form, advice=None, error=None, status=422 if form.errors else 200)


@bp.route("/<int:advice_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(advice_id: int):
    """Change the dossier's details: its secretaries and drafting members."""
    advice = _get_editable_advice_or_404(advice_id)
    form = _form(advice)
    stale = None
    if form.validate_on_submit():
        stale = logic.change_dossier(advice.id, form.advice_fields(), form.drafters.data, current_user,
                                     seen_version=int(form.version.data or -1))
        if stale is None:
            return done(_("Het dossier is opgeslagen."), url_for("advice.show", advice_id=advice.id))
        form.version.data = advice.version
    return render("advice/form.html", form=form, advice=advice, error=stale,
                  status=409 if stale else 422 if form.errors else 200)


def _show(advice: Advice, status: int = 200, problem: str | None = None, **forms):
    editable = logic.can_edit(current_user, advice)
    # The outcome kept from an earlier step is what the select shows, so it is not lost at the next one.
    step_form = forms.setdefault("step_form", StepForm(formdata=None, outcome=advice.outcome or ""))
    step_form.target.choices = choice_list((s, rules.STATUSES[s]) for s in rules.next_statuses(advice.status))
    forms.setdefault("note_form", NoteForm(formdata=None))
    forms.setdefault("publish_form", PublishForm(formdata=None, public_summary=advice.public_summary))
    link_form = forms.setdefault("link_form", LinkForm(formdata=None))
    if editable:  # only editors see the link form; its choices cost a query
        link_form.meeting.choices = choice_list([("", _("Kies een vergadering"))] + [
            (str(m.id), f"{m.title}, {m.starts_at:%d-%m-%Y}") for m in recent_meetings_of(advice.body_id, current_user)])
    return render("advice/show.html", status=status, has_errors=status >= 400, advice=advice, editable=editable,
                  problem=problem, events=logic.events_of(advice), links=logic.links_of(advice, current_user),
                  papers=letters.papers_of(advice, current_user),
                  attach_form=attaching.form_for(letters.place_of(advice), current_user) if editable else None,
                  attention=logic.attention_of(advice), may_publish=rules.publish_problem(advice.status) is None,
                  **forms)


@bp.route("/<int:advice_id>")
@login_required
def show(advice_id: int):
    """The dossier with its timeline, links and the next step; members of the body."""
    return _show(_get_advice_or_404(advice_id))


@bp.route("/<int:advice_id>/stap", methods=["POST"])
@login_required
def step(advice_id: int):
    """Take the next step (sent, response, follow-up, done) with its details."""
    advice = _get_editable_advice_or_404(advice_id)
    form = StepForm()
    # The current status too: a step sent twice (a double click) hears that it is already taken.
    form.target.choices = choice_list((s, rules.STATUSES[s]) for s in [advice.status, *rules.next_statuses(advice.status)])
    if not form.validate():
        return _show(advice, status=422, step_form=form)
    problem = logic.advance(advice.id, form.data, current_user)
    if problem:
        return _show(advice, status=422, problem=problem, step_form=form)
    return done(_("De stap is opgeslagen: %(status)s.", status=advice.status_label),
                url_for("advice.show", advice_id=advice.id, _anchor="tijdlijn"))


@bp.route("/<int:advice_id>/notitie", methods=["POST"])
@login_required
def note(advice_id: int):
    """A note on the timeline."""
    advice = _get_editable_advice_or_404(advice_id)
    form = NoteForm()
    if not form.validate():
        return _show(advice, status=422, note_form=form)
    logic.write_note(advice.id, current_user, form.note.data)
    return done(_("De notitie is opgeslagen."), url_for("advice.show", advice_id=advice.id, _anchor="tijdlijn"))


@bp.route("/<int:advice_id>/openbaar", methods=["POST"])
@login_required
def publish(advice_id: int):
    """Put the sent advice on the public page 'Onze adviezen', with a text for the public."""
    advice = _get_editable_advice_or_404(advice_id)
    form = PublishForm()
    problem = logic.publish(advice.id, form.public_summary.data, current_user) if form.validate() else None
    if problem or form.errors:
        return _show(advice, status=422, problem=problem, publish_form=form)
    return done(_("Het advies staat op de website, op de pagina ‘Onze adviezen’."),
                url_for("advice.show", advice_id=advice.id, _anchor="website"))


@bp.route("/<int:advice_id>/niet-openbaar", methods=["POST"])
@login_required
def unpublish(advice_id: int):
    advice = _get_editable_advice_or_404(advice_id)
    logic.unpublish(advice.id, current_user)
    return done(_("Het advies staat niet meer op de website."),
                url_for("advice.show", advice_id=advice.id, _anchor="website"))


@bp.route("/<int:advice_id>/koppelen", methods=["POST"])
@login_required
def link(advice_id: int):
    """Link a signal (by its reference) or a meeting of the body that the advice draws on."""
    advice = _get_editable_advice_or_404(advice_id)
    form = LinkForm()
    form.meeting.choices = choice_list([("", "")] + [(str(m.id), m.title)
                                                     for m in recent_meetings_of(advice.body_id, current_user)])
    problem = logic.link(advice.id, form.data, current_user) if form.validate() else _("Kijk de koppeling na.")
    if problem:
        form.reference.errors = [*form.reference.errors, problem]
        return _show(advice, status=422, link_form=form)
    return done(_("De koppeling is opgeslagen."), url_for("advice.show", advice_id=advice.id, _anchor="koppelingen"))


@bp.route("/<int:advice_id>/stukken", methods=["POST"])
@login_required
def attach(advice_id: int):
    """Add the advice letter, the response or another paper; it is kept in the document library."""
    advice = _get_editable_advice_or_404(advice_id)
    return attaching.answer(letters.place_of(advice), letters.attach(advice.id, current_user, attaching.choice()),
                            back=url_for("advice.show", advice_id=advice.id, _anchor="stukken"),
                            done=lambda document: _("Het stuk is toegevoegd."))


@bp.route("/overzicht")
@login_required
def overview():
    """Per body and year: advice given, asked and unasked, outcomes, days to a response."""
    year_text = request.args.get("jaar", str(local_today().year))
    if not year_text.isdigit() or not 1990 <= int(year_text) <= 2200:
        abort(404)
    year = int(year_text)
    bodies = bodies_of(current_user)
    body_ids = [b.id for b in bodies]
    numbers = logic.overview(body_ids, year)
    largest = max([n["total"] for n in numbers.values()] + [1])
    return render("advice/overview.html", year=year, bodies=bodies, numbers=numbers, largest=largest,
                  years=sorted(set(logic.years_with_advice(body_ids)) | {local_today().year}, reverse=True),
                  outcomes=rules.OUTCOMES)


def attention_section(user):
    if not user.is_authenticated:
        return None
    flagged = logic.first_needing_attention(logic.body_ids_of(user))
    return ("advice/_home.html", {"flagged": flagged}) if flagged.items else None
