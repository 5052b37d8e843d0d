"""The minutes of a meeting: the secretary writes, shares and approves them, members propose
corrections; and the decisions taken."""
from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import login_required
from ..core.database import StaleEdit
from ..core.extensions import db
from ..core.guards import Refused
from ..signals.logic import closable_on_agenda
from ..web.confirming import Confirmation, ConfirmForm, confirm_page, note_of
from ..web.forms import choice_list
from ..web.rendering import done, refused, render
from . import actions, guards, logic, notices, rules
from .forms import ActionItemForm, CorrectionForm, DecisionForm, MinutesForm
from .models import Meeting, MinutesCorrection
from .views import bp, get_managed_meeting_or_404, get_member_meeting_or_404, meeting_label


def with_agenda_items(form, meeting: Meeting):
    """A decision or action item form offering this meeting's agenda items."""
    form.agenda_item.choices = choice_list([("", _("Geen agendapunt"))] +
                                           [(str(item.id), item.title) for item in meeting.items])
    return form


def chosen_item(form) -> int | None:
    return int(form.agenda_item.data) if form.agenda_item.data else None


def minutes_page(meeting: Meeting, status: int = 200, **forms):
    """The minutes with their forms; a form given (with its errors) replaces the empty one. A draft
    nobody saved yet starts from the meeting: its attendance and agenda items."""
    minutes = logic.minutes_of(meeting)
    manage = logic.can_manage(current_user, meeting.body_id)
    if "minutes_form" not in forms:
        first = manage and minutes.version == 0 and not minutes.text
        forms["minutes_form"] = MinutesForm(formdata=None, text=logic.minutes_draft(meeting) if first else minutes.text,
                                            version=minutes.version)
    forms.setdefault("correction_form", CorrectionForm(formdata=None))
    decision_form = with_agenda_items(forms.setdefault("decision_form", DecisionForm(formdata=None)), meeting)
    decision_form.close_signals.choices = closable_signals(meeting)
    action_form = with_agenda_items(forms.setdefault("action_form", ActionItemForm(formdata=None)), meeting)
    action_form.owner.choices = choice_list([("", _("Nog niemand"))] +
                                            [(str(u.id), u.name) for u in logic.members_of(meeting.body_id)])
    return render("meetings/minutes.html", status=status, has_errors=status >= 400, meeting=meeting, minutes=minutes,
                  manage=manage, can_correct=logic.can_propose_correction(current_user, meeting, minutes),
                  share_refusal=guards.why_no_sharing(minutes.status, minutes.text),
                  corrections=logic.corrections_of(meeting), decisions=logic.decisions_of(meeting),
                  presence=logic.presence_summary(logic.attendance_list(meeting), meeting.guests),
                  action_items=logic.open_action_items(meeting.body_id), **forms)


@bp.route("/<int:meeting_id>/verslag", methods=["GET", "POST"])
@login_required
def minutes(meeting_id: int):
    """The minutes: the secretary writes them, members read and propose corrections once shared."""
    meeting = get_member_meeting_or_404(meeting_id)
    if request.method == "GET":
        minutes_ = logic.minutes_of(meeting)
        if minutes_.status == rules.DRAFT and not logic.can_manage(current_user, meeting.body_id):
            return render("meetings/minutes.html", meeting=meeting, minutes=None, manage=False, can_correct=False)
        return minutes_page(meeting)
    meeting = get_managed_meeting_or_404(meeting_id)
    form = MinutesForm()
    if form.validate():
        try:
            actions.save_minutes(meeting.id, form.text.data or "", int(form.version.data or -1))
        except actions.NotNow:
            abort(409)
        except StaleEdit:
            form.version.data = logic.minutes_of(meeting).version
            return minutes_page(meeting, status=409, minutes_form=form, stale=True)
        return done(_("Het verslag is opgeslagen."), url_for("meetings.minutes", meeting_id=meeting.id))
    return minutes_page(meeting, status=422, minutes_form=form)


@bp.route("/<int:meeting_id>/verslag/verder", methods=["GET", "POST"])
@login_required
def advance_minutes(meeting_id: int):
    """Ask first, then share the draft with the members, or approve the shared minutes (then they are frozen)."""
    meeting = get_managed_meeting_or_404(meeting_id)
    minutes_ = logic.minutes_of(meeting)
    if minutes_.is_frozen:
        abort(409)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            shared = actions.advance_minutes(meeting.id, note=note_of(form)).status == rules.SHARED
        except actions.NotNow:
            abort(409)
        except Refused as refusal:
            return refused(refusal.reason, url_for("meetings.minutes", meeting_id=meeting.id))
        return done(_("Het verslag is gedeeld. De leden kunnen nu correcties voorstellen.") if shared
                    else _("Het verslag is vastgesteld. Het kan niet meer veranderen."),
                    url_for("meetings.minutes", meeting_id=meeting.id))
    back = url_for("meetings.minutes", meeting_id=meeting.id)
    subject = meeting_label(meeting)
    if minutes_.status == rules.DRAFT and (reason := guards.why_no_sharing(minutes_.status, minutes_.text)):
        return refused(str(reason), back)
    if minutes_.status == rules.DRAFT:
        confirmation = Confirmation(
            title=_("Verslag delen met de leden?"), subject=subject,
            happens=[_("De leden kunnen het conceptverslag dan lezen en correcties voorstellen.")],
            recipients=notices.recipients(meeting, notices.MINUTES),
            button=_("Ja, verslag delen"), back=back)
    else:
        confirmation = Confirmation(
            title=_("Verslag vaststellen?"), subject=subject,
            happens=[_("Het verslag is dan klaar. Niemand kan het daarna nog veranderen.")],
            recipients=None, final=True, button=_("Ja, verslag vaststellen"), back=back)
    return confirm_page(confirmation, form)


@bp.route("/<int:meeting_id>/verslag/correcties", methods=["POST"])
@login_required
def propose_correction(meeting_id: int):
    """A member proposes a correction to shared minutes."""
    meeting = get_member_meeting_or_404(meeting_id)
    if not logic.can_propose_correction(current_user, meeting, logic.minutes_of(meeting)):
        abort(409)
    form = CorrectionForm()
    if form.validate():
        actions.propose_correction(meeting.id, current_user, form.correction.data)
        return done(_("Dank u. De secretaris leest uw correctie."),
                    url_for("meetings.minutes", meeting_id=meeting.id, _anchor="corrections"))
    return minutes_page(meeting, status=422, correction_form=form)


@bp.route("/<int:meeting_id>/verslag/correcties/<int:correction_id>", methods=["POST"])
@login_required
def decide_correction(meeting_id: int, correction_id: int):
    """The secretary accepts or declines a proposed correction."""
    meeting = get_managed_meeting_or_404(meeting_id)
    decision = request.form.get("besluit")
    if decision not in ("overnemen", "afwijzen"):
        abort(400)
    correction = db.session.get(MinutesCorrection, correction_id)
    if correction is None or correction.meeting_id != meeting.id:
        abort(404)
    try:
        actions.decide_correction(meeting.id, correction.id, decision == "overnemen")
    except actions.NotNow:
        abort(409)
    return done(_("De correctie is overgenomen. Pas de tekst van het verslag aan.") if decision == "overnemen"
                else _("De correctie is niet overgenomen."),
                url_for("meetings.minutes", meeting_id=meeting.id, _anchor="corrections"))


def closable_signals(meeting: Meeting):
    return choice_list(closable_on_agenda([item.id for item in meeting.items], current_user))


@bp.route("/<int:meeting_id>/besluiten", methods=["POST"])
@login_required
def add_decision(meeting_id: int):
    """Write down a decision taken in this meeting."""
    meeting = get_managed_meeting_or_404(meeting_id)
    form = with_agenda_items(DecisionForm(), meeting)
    form.close_signals.choices = closable_signals(meeting)
    if form.validate():
        actions.add_decision(meeting.id, form.decision.data, chosen_item(form), current_user,
                             form.close_signals.data or [])
        return done(_("Het besluit is opgeslagen."),
                    url_for("meetings.minutes", meeting_id=meeting.id, _anchor="decisions"))
    return minutes_page(meeting, status=422, decision_form=form)
