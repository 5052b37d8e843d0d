from flask import Blueprint, abort, flash, make_response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ..auth.access import login_required, permission_required
from ..bodies.logic import active_bodies
from ..core.database import paginate, utcnow
from ..core.extensions import db, limiter
from ..core.guards import Refused
from ..core.i18n import as_local, datetime_long, local_today
from ..documents import attaching
from ..web.confirming import Confirmation, ConfirmForm, confirm_page, note_of
from ..web.forms import choice_list
from ..web.rendering import done, redirect_to, refused, render
from ..web.spreadsheet import csv_response
from . import logic, papers, rules
from .forms import ActivityForm, DeclineForm, FilterForm, GuestSignupForm, ReportForm
from .models import Activity, Signup

bp = Blueprint("activities", __name__, url_prefix="/activiteiten")
secretary_required = permission_required(logic.can_manage)


def get_activity_or_404(activity_id: int) -> Activity:
    """An activity this visitor may see; otherwise 404, so a guessed id tells nothing."""
    activity = db.session.get(Activity, activity_id, options=[selectinload(Activity.bodies)])
    if activity is None or not logic.can_see(current_user, activity):
        abort(404)
    return activity


def guest_signup_or_404(token: str) -> Signup:
    signup = logic.guest_signup_by_token(token)
    if signup is None:
        abort(404)
    return signup


@bp.route("/")
def index():
    """Upcoming activities (or the archive), with filters; guests see those open to everyone."""
    filters = FilterForm(formdata=request.args, today=local_today())
    archive = request.args.get("archief") == "1"
    if not filters.validate():
        return render("activities/index.html", block="activity_list", filters=filters, page=None, archive=archive,
                      taken={}, mine={}, status=422, has_errors=True)
    query = logic.activities_query(current_user, archive=archive, kind=filters.soort.data, scope=filters.bereik.data,
                                   organiser=filters.organisator.data, month=filters.month())
    page = paginate(query)
    ids = [a.id for a in page.items]
    filter_args = {k: v for k, v in request.args.items() if k != "pagina" and v}
    return render("activities/index.html", block="activity_list", filters=filters, page=page, archive=archive,
                  taken=logic.taken_counts(ids), mine=logic.my_signups(current_user, ids), filter_args=filter_args,
                  proposals=logic.proposals() if logic.can_manage(current_user) else [],
                  my_proposals=logic.proposals_of(current_user) if current_user.is_authenticated else [])


def _form(activity: Activity | None = None) -> ActivityForm:
    if activity is None:
        form = ActivityForm()
    else:
        starts, ends = as_local(activity.starts_at), as_local(activity.ends_at)
        form = ActivityForm(obj=activity, day=starts.date(), start=starts.time(), end=ends.time(),
                            end_day=ends.date() if ends.date() != starts.date() else None,
                            signup_deadline=as_local(activity.signup_deadline).date() if activity.signup_deadline else None,
                            bodies=[b.id for b in activity.bodies])
    form.bodies.choices = choice_list((b.id, b.name) for b in active_bodies())
    return form


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def new():
    """Secretaries publish an activity; any other member proposes one for a secretary to publish."""
    form = _form()
    if form.validate_on_submit():
        activity = logic.add_activity(form.activity_fields(), form.bodies.data, current_user)
        return done(_("De activiteit staat in de agenda.") if activity.status == rules.PUBLISHED
                    else _("Dank u. Een secretaris kijkt naar uw voorstel."),
                    url_for("activities.show", activity_id=activity.id))
    return render("activities/form.html", form=form, activity=None, proposing=not logic.can_manage(current_user),
                  status=422 if form.errors else 200)


@bp.route("/<int:activity_id>/bewerken", methods=["GET", "POST"])
@secretary_required
def edit(activity_id: int):
    """Change an activity; people who signed up hear of a new time or place."""
    activity = get_activity_or_404(activity_id)
    form = _form(activity)
    if form.validate_on_submit():
        logic.change_activity(activity.id, form.activity_fields(), form.bodies.data)
        return done(_("De activiteit is opgeslagen."), url_for("activities.show", activity_id=activity.id))
    return render("activities/form.html", form=form, activity=activity, proposing=False,
                  status=422 if form.errors else 200)


@bp.route("/<int:activity_id>")
def show(activity_id: int):
    """One activity with sign-up; secretaries also see who comes."""
    return _show(get_activity_or_404(activity_id))


def _show(activity: Activity, status: int = 200, **forms):
    manage = logic.can_manage(current_user)
    taken = logic.taken_counts([activity.id]).get(activity.id, 0)
    forms.setdefault("guest_form", GuestSignupForm(formdata=None))
    forms.setdefault("decline_form", DeclineForm(formdata=None))
    now = utcnow()
    closed = rules.why_no_signup(activity.status, activity.signup_deadline, activity.starts_at, now)
    return render("activities/show.html", block="signup", status=status, has_errors=status >= 400, activity=activity,
                  manage=manage, taken=taken, places_left=rules.places_left(activity.capacity, taken),
                  closed=closed, cancel_refusal=rules.why_no_cancelling(activity.status, activity.ends_at, now),
                  signup=logic.my_signup(activity, current_user),
                  participants=logic.participants(activity) if manage else [],
                  papers=papers.papers_of(activity, current_user),
                  attach_form=attaching.form_for(papers.place_of(activity), current_user) if manage else None, **forms)


def _after_signup_change(activity: Activity, message: str):
    flash(message, "success")
    if request.htmx:
        return _show(activity)
    return redirect_to(url_for("activities.show", activity_id=activity.id, _anchor="signup"))


@bp.route("/<int:activity_id>/aanmelden", methods=["POST"])
@login_required
def sign_up(activity_id: int):
    """A member signs up in one click: a place, or the waiting list when it is full."""
    activity = get_activity_or_404(activity_id)
    try:
        signup = logic.sign_up(activity.id, current_user)
    except logic.SignupRefused as refused:
        return _show(activity, status=409, refusal=str(refused))
    return _after_signup_change(activity, _("U bent aangemeld.") if signup.status == rules.CONFIRMED
                                else _("De activiteit is vol. U staat op de wachtlijst."))


@bp.route("/<int:activity_id>/afmelden", methods=["POST"])
@login_required
def withdraw(activity_id: int):
    """A member gives up their place; the first on the waiting list gets it."""
    activity = get_activity_or_404(activity_id)
    logic.withdraw(activity.id, current_user)
    return _after_signup_change(activity, _("U bent afgemeld."))


@bp.route("/<int:activity_id>/gast", methods=["POST"])
@limiter.limit("10 per hour")
def guest_sign_up(activity_id: int):
    """A guest signs up for an activity open to everyone; the place waits for the e-mail link."""
    activity = get_activity_or_404(activity_id)
    if not activity.is_public:
        abort(404)
    form = GuestSignupForm()
    if not form.validate():
        return _show(activity, status=422, guest_form=form)
    try:
        logic.guest_sign_up(activity.id, form.name.data, form.email.data)
    except logic.SignupRefused as refused:
        return _show(activity, status=409, refusal=str(refused), guest_form=form)
    return render("activities/guest_sent.html", activity=activity, email=form.email.data)


@bp.route("/aanmelding/<token>", methods=["GET", "POST"])
def guest_confirm(token: str):
    """The link in a guest's e-mail. Confirming takes a click, so a mail scanner opening the link does nothing."""
    signup = guest_signup_or_404(token)
    refusal = None
    if request.method == "POST":  # CSRF is checked for every POST by Flask-WTF
        try:
            logic.confirm_guest(signup.id)
        except logic.SignupRefused as refused:
            refusal = str(refused)
        else:  # the page with what, when and where: a reload does not post again
            return redirect_to(url_for("activities.guest_confirm", token=token))
    return render("activities/guest_confirm.html", signup=signup, activity=signup.activity, refusal=refusal,
                  status=409 if refusal else 200)


@bp.route("/aanmelding/<token>/afmelden", methods=["GET", "POST"])
def guest_withdraw(token: str):
    """A guest cancels with the link from the confirmation."""
    signup = guest_signup_or_404(token)
    if request.method == "POST":
        logic.withdraw_guest(signup.id)
    return render("activities/guest_withdraw.html", signup=signup, activity=signup.activity)


@bp.route("/<int:activity_id>/afgelasten", methods=["GET", "POST"])
@secretary_required
def cancel(activity_id: int):
    """Ask first, then cancel: it stays in the list as cancelled, and whoever signed up hears of it."""
    activity = get_activity_or_404(activity_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            logic.cancel_activity(activity.id, note_of(form))
        except Refused as refusal:
            return refused(refusal.reason, url_for("activities.show", activity_id=activity.id))
        return done(_("De activiteit is afgelast."), url_for("activities.show", activity_id=activity.id))
    return confirm_page(Confirmation(
        title=_("Activiteit afgelasten?"), subject=f"{activity.title}, {datetime_long(activity.starts_at)}",
        happens=[_("De activiteit gaat niet door. Ze blijft wel in de lijst staan, met ‘afgelast’ erbij.")],
        recipients=logic.change_recipients(activity), final=True,
        button=_("Ja, activiteit afgelasten"), back=url_for("activities.show", activity_id=activity.id)), form)


@bp.route("/<int:activity_id>/beoordelen", methods=["POST"])
@secretary_required
def review(activity_id: int):
    """Publish a member's proposal, or decline it with a reason the proposer reads."""
    activity = get_activity_or_404(activity_id)
    publish = request.form.get("besluit") == "publiceren"
    form = DeclineForm()
    if not publish and not form.validate():
        return _show(activity, status=422, decline_form=form)
    try:
        logic.review(activity.id, publish, reason="" if publish else form.reason.data)
    except logic.AlreadyReviewed:
        abort(409)
    return done(_("Het voorstel staat nu in de agenda.") if publish
                else _("Het voorstel is afgewezen. De indiener ziet de reden."),
                url_for("activities.show", activity_id=activity.id))


@bp.route("/<int:activity_id>/verslag", methods=["GET", "POST"])
@secretary_required
def report(activity_id: int):
    """After the activity: a short report, so members who were not there can read back what was said."""
    activity = get_activity_or_404(activity_id)
    form = ReportForm(obj=activity)
    if form.validate_on_submit():
        logic.save_report(activity.id, form.report.data or "")
        return done(_("Het verslag is opgeslagen."),
                    url_for("activities.show", activity_id=activity.id, _anchor="verslag"))
    return render("activities/report.html", form=form, activity=activity, status=422 if form.errors else 200)


@bp.route("/<int:activity_id>/stukken", methods=["POST"])
@secretary_required
def attach(activity_id: int):
    """Add slides or a handout, with who may see it; kept in the document library."""
    activity = get_activity_or_404(activity_id)
    return attaching.answer(papers.place_of(activity), papers.attach(activity.id, current_user, attaching.choice()),
                            back=url_for("activities.show", activity_id=activity.id, _anchor="stukken"),
                            done=lambda document: _("Het stuk is toegevoegd."))


@bp.route("/<int:activity_id>/deelnemers.csv")
@secretary_required
def participants_csv(activity_id: int):
    """The list of participants for the organiser, as a spreadsheet."""
    activity = get_activity_or_404(activity_id)
    rows = ([signup.name, signup.email, signup.status_label, as_local(signup.created_at).strftime("%d-%m-%Y %H:%M")]
            for signup in logic.participants(activity))
    return csv_response(f"deelnemers-{activity.id}.csv",
                        [_("Naam"), _("E-mailadres"), _("Status"), _("Aangemeld op")], rows)


@bp.route("/<int:activity_id>/agenda.ics")
def ics(activity_id: int):
    """This activity as an .ics download; a proposal's only for those who decide on it."""
    activity = get_activity_or_404(activity_id)
    if activity.status in (rules.PROPOSED, rules.DECLINED) and not logic.can_manage(current_user):
        abort(404)
    response = make_response(logic.activity_ics(activity))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="activiteit-{activity.id}.ics"'
    return response


def my_activities_section(user):
    if not user.is_authenticated:
        return None
    return "activities/_home.html", {"rows": logic.upcoming_for(user)}
