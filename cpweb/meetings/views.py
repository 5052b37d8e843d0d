"""The meetings' pages, one blueprint: here the list, planning, a body's meeting settings and the
loaders of a meeting; the meeting page with its agenda and attendance in views_agenda, the
minutes in views_minutes, action items in views_action_items."""
from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ..auth.access import login_required, permission_required
from ..bodies.logic import bodies_of
from ..core.database import StaleEdit, paginate, utcnow
from ..core.extensions import db
from ..core.guards import Refused
from ..core.i18n import as_local, datetime_long, local_today
from ..web.confirming import Confirmation, ConfirmForm, confirm_page, note_of
from ..web.forms import choice_list
from ..web.rendering import done, redirect_to, refused, render
from . import actions, logic, notices, rules
from .forms import CommitmentForm, DraftMeetingForm, FilterForm, MeetingForm, NewMeetingForm, SettingsForm
from .models import Commitment, Meeting

bp = Blueprint("meetings", __name__, url_prefix="/vergaderingen")
secretary_required = permission_required(lambda user: bool(logic.managed_bodies(user)))


# --- loading: what this visitor may not see is a 404, so a guessed id tells nothing ---------------

def get_meeting_or_404(meeting_id: int) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id, options=[selectinload(Meeting.body)])
    if meeting is None or not logic.can_see(current_user, meeting):
        abort(404)
    return meeting


def get_managed_meeting_or_404(meeting_id: int) -> Meeting:
    """A meeting the visitor runs; a member of its body who does not gets a 403."""
    meeting = get_meeting_or_404(meeting_id)
    if not logic.can_manage(current_user, meeting.body_id):
        abort(404 if not logic.is_member(current_user, meeting) else 403)
    return meeting


def get_member_meeting_or_404(meeting_id: int) -> Meeting:
    meeting = get_meeting_or_404(meeting_id)
    if not logic.is_member(current_user, meeting):
        abort(404)
    return meeting


def body_filter(bodies) -> tuple[FilterForm, int | None]:
    form = FilterForm(formdata=request.args)
    form.orgaan.choices = choice_list([("", _("Alle organen"))] + [(str(b.id), b.name) for b in bodies])
    if not form.validate():
        abort(404)
    return form, int(form.orgaan.data) if form.orgaan.data else None


@bp.route("/")
def index():
    """Upcoming meetings, and the past ones below; guests see the public ones."""
    bodies = bodies_of(current_user) if current_user.is_authenticated else []
    filters, body_id = body_filter(bodies)
    upcoming = db.session.scalars(logic.meetings_query(current_user, upcoming=True, body_id=body_id).limit(50)).all()
    past = paginate(logic.meetings_query(current_user, upcoming=False, body_id=body_id))
    return render("meetings/index.html", upcoming=upcoming, past=past, filters=filters, body_id=body_id,
                  can_plan=bool(current_user.is_authenticated and logic.managed_bodies(current_user)))


# --- planning ----------------------------------------------------------------------------------

@bp.route("/nieuw", methods=["GET", "POST"])
@secretary_required
def new():
    """Plan a meeting or a series, for secretaries and admins."""
    bodies = logic.managed_bodies(current_user)
    form = NewMeetingForm()
    form.body.choices = choice_list([(str(b.id), b.name) for b in bodies])
    if form.validate_on_submit():
        days = form.days()
        try:
            meetings = actions.plan_meetings(int(form.body.data), days, form.meeting_fields(), form.publish_at())
        except Refused as refusal:
            return render("meetings/new.html", form=form, error=refusal.reason, status=409)
        _warn_if_late(int(form.body.data), days[0])
        flash(_("%(n)s vergaderingen gepland.", n=len(meetings)) if len(meetings) > 1
              else _("De vergadering is gepland."), "success")
        return redirect_to(url_for("meetings.show", meeting_id=meetings[0].id))
    return render("meetings/new.html", form=form, error=None, status=422 if form.errors else 200)


def _warn_if_late(body_id: int, day) -> None:
    warning = rules.planning_warning(day, local_today(), logic.settings_for(body_id).documents_days)
    if warning:
        flash(warning, "warning")


def _edit_form(meeting: Meeting) -> MeetingForm:
    """The members' view of a meeting they already see stays; before that, its publication may change too."""
    starts, ends = as_local(meeting.starts_at), as_local(meeting.ends_at)
    shown = {"obj": meeting, "day": starts.date(), "start": starts.time(), "end": ends.time(), "sequence": meeting.sequence}
    if meeting.is_published(utcnow()):
        return MeetingForm(**shown)
    if meeting.published_at is None:
        return DraftMeetingForm(**shown, publish=rules.PUBLISH_NOT_YET)
    return DraftMeetingForm(**shown, publish=rules.PUBLISH_LATER, publish_on=as_local(meeting.published_at).date())


@bp.route("/<int:meeting_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    """Change date, time, place or visibility; invitees hear of a move. Secretaries of the body."""
    meeting = get_managed_meeting_or_404(meeting_id)
    form = _edit_form(meeting)
    stale = False
    if form.validate_on_submit():
        fields = form.meeting_fields()
        if isinstance(form, DraftMeetingForm):
            fields["published_at"] = form.publish_at()
        try:
            actions.edit_meeting(meeting.id, fields, int(form.sequence.data or -1))
        except StaleEdit:
            stale = True
            form.sequence.data = meeting.sequence  # a second save is a deliberate choice
        else:
            _warn_if_late(meeting.body_id, form.day.data)
            return done(_("De vergadering is opgeslagen."), url_for("meetings.show", meeting_id=meeting.id))
    message = _("Iemand anders heeft deze vergadering veranderd nadat u dit formulier opende. Uw tekst staat er nog. "
                "Kijk de vergadering na in een ander tabblad en klik dan nog een keer op ‘Opslaan’.") if stale else None
    return render("meetings/edit.html", meeting=meeting, form=form, stale_message=message, error=message,
                  status=409 if stale else 422 if form.errors else 200)


def meeting_label(meeting: Meeting) -> str:
    """Which meeting a confirmation is about: its title and when."""
    return f"{meeting.title}, {datetime_long(meeting.starts_at)}"


@bp.route("/<int:meeting_id>/afgelasten", methods=["GET", "POST"])
@login_required
def cancel(meeting_id: int):
    """Ask first, then cancel: the meeting stays, marked as cancelled, and the members are told."""
    meeting = get_managed_meeting_or_404(meeting_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            actions.cancel_meeting(meeting.id, note_of(form))
        except Refused as refusal:
            return refused(refusal.reason, url_for("meetings.show", meeting_id=meeting.id))
        return done(_("De vergadering is afgelast."), url_for("meetings.show", meeting_id=meeting.id))
    return confirm_page(Confirmation(
        title=_("Vergadering afgelasten?"), subject=meeting_label(meeting),
        happens=[_("De vergadering gaat niet door. Ze blijft wel op de site staan, met ‘Afgelast’ erbij.")],
        recipients=notices.change_recipients(meeting, utcnow()),
        undo=_("Gaat de vergadering toch door? Dan kunt u dat later nog aangeven."),
        button=_("Ja, vergadering afgelasten"), back=url_for("meetings.show", meeting_id=meeting.id)), form)


@bp.route("/<int:meeting_id>/gaat-toch-door", methods=["GET", "POST"])
@login_required
def reinstate(meeting_id: int):
    """Ask first, then let a cancelled meeting go ahead after all; the members are told."""
    meeting = get_managed_meeting_or_404(meeting_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        actions.reinstate_meeting(meeting.id, note_of(form))
        return done(_("De vergadering gaat toch door."), url_for("meetings.show", meeting_id=meeting.id))
    return confirm_page(Confirmation(
        title=_("Gaat de vergadering toch door?"), subject=meeting_label(meeting),
        happens=[_("De vergadering is dan niet meer afgelast. De leden kunnen weer laten weten of ze komen.")],
        recipients=notices.change_recipients(meeting, utcnow()),
        button=_("Ja, de vergadering gaat door"), back=url_for("meetings.show", meeting_id=meeting.id)), form)


@bp.route("/<int:meeting_id>/publiceren", methods=["POST"])
@login_required
def publish(meeting_id: int):
    """Show a draft meeting to the members now."""
    meeting = get_managed_meeting_or_404(meeting_id)
    actions.publish_meeting(meeting.id)
    return done(_("De leden zien de vergadering nu."), url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/uitnodigen", methods=["GET", "POST"])
@login_required
def invite(meeting_id: int):
    """Ask first, then mail the invitation with the agenda and an .ics file to the body's members."""
    meeting = get_managed_meeting_or_404(meeting_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            sent = actions.invite(meeting.id, note_of(form))
        except Refused as refusal:
            return refused(refusal.reason, url_for("meetings.show", meeting_id=meeting.id))
        # The mails go out after the commit, in the background: say where they go, not that they went.
        return done(ngettext("De uitnodiging gaat naar %(num)d persoon.",
                             "De uitnodiging gaat naar %(num)d mensen.", sent),
                    url_for("meetings.show", meeting_id=meeting.id))
    again = meeting.invitations_sent_at is not None
    happens = [_("Iedereen krijgt de agenda en een bestand voor de eigen agenda.")]
    if again:
        happens.insert(0, _("De uitnodiging ging al eerder weg, op %(date)s. Iedereen krijgt haar nog een keer.",
                            date=datetime_long(meeting.invitations_sent_at)))
    if not meeting.is_published(utcnow()):
        happens.append(_("De leden zien de vergadering dan ook op de site."))
    return confirm_page(Confirmation(
        title=_("Uitnodiging opnieuw versturen?") if again else _("Uitnodiging versturen?"), subject=meeting_label(meeting),
        happens=happens, recipients=notices.recipients(meeting, notices.INVITATIONS),
        button=_("Ja, uitnodiging versturen"), back=url_for("meetings.show", meeting_id=meeting.id)), form)


@bp.route("/<int:meeting_id>/gehouden", methods=["POST"])
@login_required
def mark_held(meeting_id: int):
    """Say that the meeting took place; from its start on."""
    meeting = get_managed_meeting_or_404(meeting_id)
    try:
        actions.mark_held(meeting.id)
    except Refused as refusal:
        return refused(refusal.reason, url_for("meetings.show", meeting_id=meeting.id))
    return done(_("De vergadering staat op ‘Gehouden’."), url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/stukken-compleet", methods=["GET", "POST"])
@login_required
def documents_complete(meeting_id: int):
    """Ask first, then tell the members that the stukken are complete."""
    meeting = get_managed_meeting_or_404(meeting_id)
    back = url_for("meetings.show", meeting_id=meeting.id)
    # The same rule refuses the POST in `actions.mark_documents_complete`; here it also keeps the question away.
    reason = actions.documents_complete_refusal(meeting, current_user, utcnow())
    if reason and request.method == "GET":
        return refused(str(reason), back)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            sent = actions.mark_documents_complete(meeting.id, current_user, note_of(form))
        except Refused as refusal:
            return refused(refusal.reason, back)
        return done(_("Het bericht dat de stukken compleet zijn, staat klaar om te verzenden (%(n)s e-mails).", n=sent),
                    url_for("meetings.show", meeting_id=meeting.id))
    return confirm_page(Confirmation(
        title=_("Laten weten dat de stukken compleet zijn?"), subject=meeting_label(meeting),
        happens=[_("De leden krijgen een bericht met een link naar de vergadering en de stukken.")],
        recipients=notices.recipients(meeting, notices.DOCUMENTS),
        button=_("Ja, leden laten weten"), back=url_for("meetings.show", meeting_id=meeting.id)), form)


# --- a body's meeting settings and commitments -------------------------------------------------

def _managed_body_or_404(body_id: int):
    body = next((b for b in logic.managed_bodies(current_user) if b.id == body_id), None)
    if body is None:
        abort(404)
    return body


@bp.route("/instellingen/<int:body_id>", methods=["GET", "POST"])
@login_required
def settings(body_id: int):
    """Stukken deadline, reminders, standard agenda items and yearly commitments of one body."""
    body = _managed_body_or_404(body_id)
    form = SettingsForm(obj=logic.settings_for(body.id))
    if form.validate_on_submit():
        actions.save_settings(body.id, form.data)
        return done(_("De instellingen zijn opgeslagen."), url_for("meetings.settings", body_id=body.id))
    return _settings_page(body, form, CommitmentForm(formdata=None), status=422 if form.errors else 200)


def _settings_page(body, form, commitment_form, status=200):
    return render("meetings/settings.html", body=body, form=form, commitment_form=commitment_form,
                  commitments=logic.commitments_of(body.id), status=status, has_errors=status >= 400)


@bp.route("/instellingen/<int:body_id>/afspraken", methods=["POST"])
@login_required
def add_commitment(body_id: int):
    """Add a yearly commitment ("3 keer per jaar overleg met het management")."""
    body = _managed_body_or_404(body_id)
    form = CommitmentForm()
    if form.validate():
        actions.add_commitment(body.id, form.label.data, form.kind.data, form.times_per_year.data)
        return done(_("De afspraak is opgeslagen."),
                    url_for("meetings.settings", body_id=body.id, _anchor="commitments"))
    return _settings_page(body, SettingsForm(obj=logic.settings_for(body.id)), form, status=422)


@bp.route("/instellingen/<int:body_id>/afspraken/<int:commitment_id>/verwijderen", methods=["POST"])
@login_required
def remove_commitment(body_id: int, commitment_id: int):
    """Remove a yearly commitment."""
    body = _managed_body_or_404(body_id)
    commitment = db.session.get(Commitment, commitment_id)
    if commitment is None or commitment.body_id != body.id:
        abort(404)
    actions.remove_commitment(commitment.id)
    return done(_("De afspraak is verwijderd."), url_for("meetings.settings", body_id=body.id, _anchor="commitments"))


def next_meetings_section(user):
    if not user.is_authenticated:
        return None
    return "meetings/_home.html", {"next_meetings": logic.next_meetings(user),
                                   "my_action_items": logic.own_open_action_items(user)}


def commitments_section(body, user):
    """Members see how far the body is with its yearly commitments."""
    if not (user.is_authenticated and user.is_member_of(body)):
        return None
    year = local_today().year
    return "meetings/_body.html", {"year": year, "progress": logic.commitment_progress(body.id, year),
                                   "manage": logic.can_manage(user, body.id), "body": body}
