from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import login_required
from ..bodies.logic import memberships_of
from ..core.database import paginate, row_id, utcnow
from ..core.extensions import db
from ..core.i18n import date_short, datetime_long
from ..documents import attaching
from ..web.confirming import Confirmation, ConfirmForm, confirm_page
from ..web.forms import choice_list
from ..web.rendering import done, redirect_to, render, saved
from ..web.spreadsheet import csv_response
from . import logic, papers, rules
from .forms import OutcomeForm, ProposalForm, answer_form, answer_values, check_answer
from .models import Proposal

bp = Blueprint("proposals", __name__, url_prefix="/voorstellen")


def get_proposal_or_404(proposal_id: int) -> Proposal:
    """A proposal of one of the member's bodies. Guests and other bodies' members get the 404 page."""
    proposal = logic.load(proposal_id)
    if proposal is None or not logic.can_see(current_user, proposal):
        abort(404)
    return proposal


def get_managed_proposal_or_404(proposal_id: int) -> Proposal:
    proposal = get_proposal_or_404(proposal_id)
    if not logic.can_manage(current_user, proposal):
        abort(403)
    return proposal


@bp.route("/")
@login_required
def index():
    """Open and closed proposals of the member's bodies, those waiting for their answer marked."""
    now = utcnow()
    open_ones = logic.open_proposals(current_user, now)
    page = paginate(logic.closed_query(current_user, now))
    shown = open_ones + list(page.items)
    return render("proposals/index.html", open_ones=open_ones, page=page, now=now,
                  counts=logic.answer_counts(p.id for p in shown),
                  answered=logic.answered_by(current_user, (p.id for p in open_ones)),
                  may_answer=logic.may_answer_ids(current_user, open_ones),
                  can_propose=bool(logic.proposing_bodies(current_user)))


def _proposal_form(**kwargs) -> ProposalForm:
    bodies = logic.proposing_bodies(current_user)
    if not bodies:
        abort(403)
    form = ProposalForm(**kwargs)
    form.body.choices = choice_list([(str(b.id), b.name) for b in bodies])
    names = {b.id: b.name for b in bodies}
    form.advice.choices = choice_list([("", _("Geen dossier"))] + [
        (str(a.id), f"{a.title} ({names[a.body_id]})") for a in logic.dossiers_to_link(bodies, _chosen_dossier())])
    form.meeting.choices = choice_list([("", _("Geen vergadering"))] + [
        (str(m.id), f"{m.title}, {date_short(m.starts_at)} ({names[m.body_id]})")
        for m in logic.meetings_to_link(bodies, current_user)])
    return form


def _chosen_dossier() -> int | None:
    return row_id(request.form.get("advice") or request.args.get("dossier"))


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def new():
    """Put a proposal to a body: its secretaries, and its members where the body allows it."""
    form = _proposal_form(advice=request.args.get("dossier"), body=request.args.get("orgaan"))
    problem = None
    if form.validate_on_submit():
        try:
            proposal = logic.create_proposal(form.proposal_fields(), current_user)
        except logic.Refused as refused:
            db.session.rollback()
            problem = str(refused)
        else:
            return saved(_("Het voorstel staat open. De leden die mogen antwoorden, krijgen een e-mail."),
                         url_for("proposals.show", proposal_id=proposal.id))
    return render("proposals/new.html", form=form, problem=problem,
                  status=422 if form.errors or problem else 200)


def _show(proposal: Proposal, status: int = 200, block: str | None = None, problem: str | None = None, **forms):
    now = utcnow()
    manage = logic.can_manage(current_user, proposal)
    voters = logic.voters_of(proposal)
    answers = logic.answers_of(proposal)
    mine = next((a for a in answers if current_user.is_authenticated and a.user_id == current_user.id), None)
    results = logic.results_of(proposal, answers, voters, now)
    closed = proposal.is_closed(now)
    if "answer_form" not in forms:
        forms["answer_form"] = answer_form(proposal, mine, formdata=None)
    if "outcome_form" not in forms and manage and closed and not proposal.outcome:
        forms["outcome_form"] = OutcomeForm(formdata=None, outcome=rules.suggested_outcome(
            proposal.kind, logic.counts_of(proposal, answers)), text=logic.outcome_text_for(proposal, answers))
    forms.setdefault("outcome_form", None)
    editable = logic.can_add_papers(current_user, proposal)
    own_papers = papers.papers_of(proposal, current_user)
    dossier, dossier_papers = papers.dossier_papers_of(proposal, current_user, own_papers)
    return render("proposals/show.html", block=block, status=status, has_errors=status >= 400, proposal=proposal,
                  manage=manage, closed=closed, now=now, mine=mine, problem=problem, results=results,
                  may_answer=any(m.user_id == current_user.id for m in voters),
                  mine_text=logic.answer_text(proposal, mine) if mine else "",
                  links=logic.links_of(proposal, current_user), papers=own_papers, dossier=dossier,
                  dossier_papers=dossier_papers,
                  attach_form=attaching.form_for(papers.place_of(proposal), current_user) if editable else None,
                  plan_option=logic.best_option(proposal, results.best) if manage else None, **forms)


@bp.route("/<int:proposal_id>")
def show(proposal_id: int):
    """The proposal, its answers as far as they are shown, and the member's own answer; members of its body."""
    return _show(get_proposal_or_404(proposal_id))


@bp.route("/<int:proposal_id>/antwoord", methods=["POST"])
def answer(proposal_id: int):
    """Answer, or change the answer, until the closing time. With htmx the answers are redrawn in place."""
    proposal = get_proposal_or_404(proposal_id)
    form = answer_form(proposal)
    if not check_answer(form):
        return _show(proposal, status=422, block="answers", answer_form=form)
    choice, picks, remark = answer_values(form)
    try:
        logic.answer(proposal, current_user, choice, picks, remark)
    except logic.Refused as refused:
        return _show(get_proposal_or_404(proposal_id), status=409, block="answers", problem=str(refused),
                     answer_form=form)
    flash(_("Uw antwoord is opgeslagen. U kunt het veranderen tot het voorstel sluit."), "success")
    if request.htmx:
        return _show(get_proposal_or_404(proposal_id), block="answers")
    return redirect_to(url_for("proposals.show", proposal_id=proposal.id, _anchor="answers"))


@bp.route("/<int:proposal_id>/sluiten", methods=["GET", "POST"])
def close(proposal_id: int):
    """Close before the closing time, after a question; for the body's secretaries."""
    proposal = get_managed_proposal_or_404(proposal_id)
    if proposal.is_closed(utcnow()):
        flash(_("Dit voorstel is al gesloten."), "info")
        return redirect_to(url_for("proposals.show", proposal_id=proposal.id))
    if request.method == "GET":
        return render("proposals/close.html", proposal=proposal)
    logic.close(proposal)
    return saved(_("Het voorstel is gesloten. Schrijf nu de uitkomst op."),
                 url_for("proposals.show", proposal_id=proposal.id, _anchor="uitkomst"))


@bp.route("/<int:proposal_id>/uitkomst", methods=["POST"])
def outcome(proposal_id: int):
    """Write the outcome: read it back on a page of its own first, as it is mailed and cannot change."""
    proposal = get_managed_proposal_or_404(proposal_id)
    form = OutcomeForm()
    if not form.validate():
        return _show(proposal, status=422, outcome_form=form)
    if not form.confirmed.data:
        form.confirmed.data = "1"
        return render("proposals/outcome.html", proposal=proposal, form=form, members=len(memberships_of(proposal.body_id)))
    try:
        logic.write_outcome(proposal, form.outcome.data, form.text.data, current_user)
    except logic.Refused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect_to(url_for("proposals.show", proposal_id=proposal_id))
    return saved(_("De uitkomst is vastgelegd. De leden krijgen een e-mail."),
                 url_for("proposals.show", proposal_id=proposal.id, _anchor="uitkomst"))


@bp.route("/<int:proposal_id>/plannen/<int:option_id>", methods=["GET", "POST"])
def plan_meeting(proposal_id: int, option_id: int):
    """Ask first, then plan the meeting on a date of a date poll; the poll closes. For the body's secretaries."""
    proposal = get_managed_proposal_or_404(proposal_id)
    option = next((o for o in proposal.options if o.id == option_id), None)
    if proposal.kind != rules.DATE or option is None:
        abort(404)
    back = url_for("proposals.show", proposal_id=proposal.id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            meeting = logic.plan_meeting(proposal, option.id)
        except logic.Refused as refused:
            flash(str(refused), "error")
            return redirect_to(back)
        return done(_("De vergadering op %(when)s is gepland. Het voorstel is gesloten. Vul nog de plaats in.",
                      when=datetime_long(meeting.starts_at)), url_for("meetings.show", meeting_id=meeting.id))
    return confirm_page(Confirmation(
        title=_("Vergadering plannen?"), subject=f"{proposal.body.name}, {option.text}",
        happens=[_("De vergadering komt in de agenda, met de vaste agendapunten. De leden zien haar meteen."),
                 _("Het voorstel sluit. Antwoorden kan dan niet meer."),
                 _("Plaats en tijd kunt u daarna nog veranderen. De uitnodiging verstuurt u zelf.")],
        button=_("Ja, vergadering plannen"), back=back), form)


@bp.route("/<int:proposal_id>/stukken", methods=["POST"])
def attach(proposal_id: int):
    """Add a paper (the concept advice, a letter); it is kept in the document library."""
    proposal = get_proposal_or_404(proposal_id)
    if not logic.can_add_papers(current_user, proposal):
        abort(403)
    return attaching.answer(papers.place_of(proposal), papers.attach(proposal, current_user, attaching.choice()),
                            back=url_for("proposals.show", proposal_id=proposal.id, _anchor="stukken"),
                            done=lambda document: _("Het stuk is toegevoegd."))


@bp.route("/<int:proposal_id>/antwoorden.csv")
def answers_csv(proposal_id: int):
    """The answers as a spreadsheet, once the page shows them; without names for an anonymous proposal."""
    proposal = get_proposal_or_404(proposal_id)
    if not rules.results_visible(proposal.results, proposal.is_closed(utcnow())):
        abort(404)
    header, rows = logic.export_rows(proposal, logic.answers_of(proposal))
    return csv_response(f"voorstel-{proposal.id}.csv", header, rows)


def waiting_section(user):
    """On the home page: proposals waiting for this member's answer, and outcomes still to write."""
    if not user.is_authenticated:
        return None
    now = utcnow()
    waiting, outcomes = logic.waiting_for(user, now), logic.needing_outcome(user, now)
    return ("proposals/_home.html", {"waiting": waiting, "outcomes": outcomes}) if waiting or outcomes else None
