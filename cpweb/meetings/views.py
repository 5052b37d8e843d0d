from flask import Blueprint, abort, flash, make_response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import login_required, permission_required
from ..bodies.logic import bodies_of
from ..database import StaleEdit, paginate, utcnow
from ..documents import attaching
from ..extensions import db
from ..forms import choice_list
from ..i18n import as_local, local_today
from ..rendering import redirect_to, render, saved
from ..security import safe_next
from . import feeds, logic, notices, rules, stukken
from .forms import (ActionItemForm, AgendaItemForm, AttendanceForm, CommitmentForm, CorrectionForm, DecisionForm,
                    DraftMeetingForm, FilterForm, MeetingForm, MinutesForm, NewMeetingForm, PresenceForm,
                    SettingsForm)
from .models import Commitment, Meeting

bp = Blueprint("meetings", __name__, url_prefix="/vergaderingen")
secretary_required = permission_required(lambda user: bool(logic.managed_bodies(user)))


def _body_filter(bodies) -> tuple[FilterForm, int | None]:
    form = FilterForm(formdata=request.args)
    form.orgaan.choices = choice_list([("", _("Alle organen"))] + [(str(b.id), b.name) for b in bodies])
    if not form.validate():
        abort(404)
    return form, int(form.orgaan.data) if form.orgaan.data else None


@bp.route("/")
def index():
    """Upcoming meetings, and the past ones below; guests see the public ones."""
    bodies = bodies_of(current_user) if current_user.is_authenticated else []
    filters, body_id = _body_filter(bodies)
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
    form = NewMeetingForm(body=request.args.get("orgaan"))
    form.body.choices = choice_list([(str(b.id), b.name) for b in bodies])
    if form.validate_on_submit():
        fields = form.meeting_fields()
        days = form.days()
        fields.pop("day")
        meetings = logic.create_meetings(int(form.body.data), days, fields, form.publish_at())
        db.session.commit()
        _warn_if_past(days[0])
        flash(_("%(n)s vergaderingen gepland.", n=len(meetings)) if len(meetings) > 1
              else _("De vergadering is gepland."), "success")
        return redirect_to(url_for("meetings.show", meeting_id=meetings[0].id))
    return render("meetings/new.html", form=form, status=422 if form.errors else 200)


def _warn_if_past(day) -> None:
    if day < local_today():
        flash(_("Let op: de datum %(day)s is al geweest. De vergadering is wel opgeslagen.",
                day=day.strftime("%d-%m-%Y")), "warning")


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
    meeting = logic.get_managed_meeting_or_404(meeting_id)
    form = _edit_form(meeting)
    stale = False
    if form.validate_on_submit():
        try:
            fields = form.meeting_fields()
            if isinstance(form, DraftMeetingForm):
                fields["published_at"] = form.publish_at()
            moved = logic.update_meeting(meeting, fields, int(form.sequence.data or -1))
        except StaleEdit:
            db.session.rollback()
            stale = True
            form.sequence.data = meeting.sequence  # a second save is a deliberate choice
        else:
            if moved and meeting.invitations_sent_at:
                notices.send_change(meeting)
            db.session.commit()
            _warn_if_past(form.day.data)
            flash(_("De vergadering is opgeslagen."), "success")
            return redirect_to(url_for("meetings.show", meeting_id=meeting.id))
    message = _("Iemand anders heeft deze vergadering veranderd nadat u dit formulier opende. Uw tekst staat er nog. "
                "Kijk de vergadering na in een ander tabblad en klik dan nog een keer op ‘Opslaan’.") if stale else None
    return render("meetings/edit.html", meeting=meeting, form=form, stale_message=message, error=message,
                  status=409 if stale else 422 if form.errors else 200)


@bp.route("/<int:meeting_id>/afgelasten", methods=["POST"])
@login_required
def cancel(meeting_id: int):
    """Cancel: the meeting stays, marked as cancelled, and the members are told."""
    meeting = logic.get_managed_meeting_or_404(meeting_id)
    if not meeting.is_cancelled:
        logic.cancel_meeting(meeting)
        if meeting.is_published(utcnow()):
            notices.send_change(meeting)
        db.session.commit()
    flash(_("De vergadering is afgelast. Het bericht aan de leden staat klaar om te verzenden."), "success")
    return redirect_to(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/publiceren", methods=["POST"])
@login_required
def publish(meeting_id: int):
    """Show a draft meeting to the members now."""
    meeting = logic.get_managed_meeting_or_404(meeting_id)
    logic.publish(meeting)
    return saved(_("De leden zien de vergadering nu."), url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/uitnodigen", methods=["POST"])
@login_required
def invite(meeting_id: int):
    """Mail the invitation with the agenda and an .ics file to the body's members."""
    meeting = logic.get_managed_meeting_or_404(meeting_id)
    if not meeting.is_published(utcnow()):  # the invitees must be able to open what they are invited to
        logic.publish(meeting)
    meeting.invitations_sent_at = utcnow()
    sent = notices.send_invitations(meeting)
    db.session.commit()
    flash(_("De uitnodiging staat klaar om te verzenden naar %(n)s leden.", n=sent), "success")
    return redirect_to(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/stukken-compleet", methods=["POST"])
@login_required
def documents_complete(meeting_id: int):
    """Tell the members that the stukken are complete."""
    meeting = logic.get_managed_meeting_or_404(meeting_id)
    logic.mark_documents_complete(meeting)
    sent = notices.send_documents_complete(meeting)
    db.session.commit()
    flash(_("Het bericht dat de stukken compleet zijn, staat klaar om te verzenden (%(n)s e-mails).", n=sent),
          "success")
    return redirect_to(url_for("meetings.show", meeting_id=meeting.id))


# --- the meeting page, its agenda and attendance -------------------------------------------------

def _show(meeting: Meeting, status: int = 200, block: str | None = None, **forms):
    manage = logic.can_manage(current_user, meeting.body_id)
    member = logic.is_member(current_user, meeting)
    settings = logic.settings_for(meeting.body_id)
    forms.setdefault("item_form", AgendaItemForm(formdata=None))
    attendance = logic.attendance_of(meeting, current_user)
    forms.setdefault("attendance_form", AttendanceForm(formdata=None, obj=attendance))
    deadline = rules.documents_deadline(meeting.starts_at, settings.documents_days)
    attached = stukken.stukken_of(meeting, current_user)
    # Every item's form offers the same: the first item stands for all of them.
    attach_form = attaching.form_for(stukken.place_of(meeting.items[0]), current_user) if manage and meeting.items else None
    return render(
        "meetings/show.html", block=block, status=status, has_errors=status >= 400, meeting=meeting, manage=manage, member=member,
        stukken=attached, late_documents=stukken.late_documents(attached, deadline), attach_form=attach_form,
        deadline=deadline,
        now=utcnow(), attendance=attendance,
        attendance_list=logic.attendance_list(meeting) if member else [],
        action_items=logic.open_action_items(meeting.body_id) if member else None,
        decisions=logic.decisions_of(meeting) if member else [],
        minutes=logic.minutes_of(meeting) if member else None, **forms)


@bp.route("/<int:meeting_id>")
def show(meeting_id: int):
    """The meeting with its agenda; members also see attendance and open action items."""
    return _show(logic.get_meeting_or_404(meeting_id))


@bp.route("/<int:meeting_id>/agenda.ics")
def ics(meeting_id: int):
    """"Zet in mijn agenda": this one meeting as an .ics download."""
    meeting = logic.get_meeting_or_404(meeting_id)
    response = make_response(feeds.meeting_ics(meeting))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="vergadering-{meeting.id}.ics"'
    return response


def _after_agenda_change(meeting: Meeting, message: str):
    flash(message, "success")
    if request.htmx:
        return _show(meeting, block="agenda")
    return redirect_to(url_for("meetings.show", meeting_id=meeting.id, _anchor="agenda"))


@bp.route("/<int:meeting_id>/agendapunten", methods=["POST"])
@login_required
def add_item(meeting_id: int):
    """Add an agenda item at the end."""
    meeting = logic.get_managed_meeting_or_404(meeting_id)
    form = AgendaItemForm()
    if form.validate():
        logic.add_item(meeting, form.item_fields())
        db.session.commit()
        return _after_agenda_change(meeting, _("Het agendapunt is toegevoegd."))
    return _show(meeting, status=422, block="agenda", item_form=form)


@bp.route("/<int:meeting_id>/agendapunten/<int:item_id>", methods=["GET", "POST"])
@login_required
def edit_item(meeting_id: int, item_id: int):
    """Change an agenda item."""
    meeting = logic.get_managed_meeting_or_404(meeting_id)
    item = logic.get_item_or_404(meeting, item_id)
    form = AgendaItemForm(obj=item)
    if form.validate_on_submit():
        for name, value in form.item_fields().items():
            setattr(item, name, value)
        meeting.sequence += 1
        return saved(_("Het agendapunt is opgeslagen."),
                     url_for("meetings.show", meeting_id=meeting.id, _anchor=f"item-{item.id}"))
    return render("meetings/item.html", meeting=meeting, item=item, form=form, status=422 if form.errors else 200)


@bp.route("/<int:meeting_id>/agendapunten/<int:item_id>/verplaatsen", methods=["POST"])
@login_required
def move_item(meeting_id: int, item_id: int):
    """Move an item one place up or down; htmx redraws the agenda, a plain form reloads the page."""
    meeting = logic.get_managed_meeting_or_404(meeting_id)
    item = logic.get_item_or_404(meeting, item_id)
    direction = request.form.get("richting")
    if direction not in ("up", "down"):
        abort(400)
    logic.move_item(meeting, item, direction)
    db.session.commit()
    return _after_agenda_change(meeting, _("‘%(title)s’ staat nu op plaats %(n)s.", title=item.title, n=item.position + 1))


@bp.route("/<int:meeting_id>/agendapunten/<int:item_id>/verwijderen", methods=["POST"])
@login_required
def remove_item(meeting_id: int, item_id: int):
    """Take an item off the agenda."""
    meeting = logic.get_managed_meeting_or_404(meeting_id)
    item = logic.get_item_or_404(meeting, item_id)
    logic.remove_item(meeting, item)
    db.session.commit()
    return _after_agenda_change(meeting, _("‘%(title)s’ staat niet meer op de agenda.", title=item.title))


@bp.route("/<int:meeting_id>/agendapunten/<int:item_id>/stukken", methods=["POST"])
@login_required
def attach(meeting_id: int, item_id: int):
    """Attach a stuk to an agenda item, with who may see it: a new file (stored in the library) or a
    document already there."""
    meeting = logic.get_managed_meeting_or_404(meeting_id)
    item = logic.get_item_or_404(meeting, item_id)
    attached = stukken.attach(item, current_user, attaching.choice())
    return attaching.answer(stukken.place_of(item), attached,
                            back=url_for("meetings.show", meeting_id=meeting.id, _anchor=f"item-{item.id}"),
                            done=lambda document: _("‘%(title)s’ hoort nu bij ‘%(item)s’.", title=document.title,
                                                    item=item.title))


@bp.route("/<int:meeting_id>/agendapunten/<int:item_id>/stukken/<int:document_id>/weghalen", methods=["POST"])
@login_required
def detach(meeting_id: int, item_id: int, document_id: int):
    """Take a stuk off an agenda item; the document stays in the library."""
    meeting = logic.get_managed_meeting_or_404(meeting_id)
    item = logic.get_item_or_404(meeting, item_id)
    stukken.detach(item, document_id)
    return saved(_("Het stuk hoort niet meer bij dit agendapunt. Het staat nog in de bibliotheek."),
                 url_for("meetings.show", meeting_id=meeting.id, _anchor=f"item-{item.id}"))


@bp.route("/<int:meeting_id>/aanwezigheid", methods=["POST"])
@login_required
def answer(meeting_id: int):
    """A member says whether they come; one click with htmx, a plain form without."""
    meeting = logic.get_meeting_or_404(meeting_id)
    if not logic.is_member(current_user, meeting):
        abort(403)
    form = AttendanceForm()
    if not form.validate():
        return _show(meeting, status=422, block="attendance", attendance_form=form)
    logic.answer(meeting, current_user, form.answer.data, form.message.data or "")
    db.session.commit()
    flash(_("Dank u. Wij weten nu dat u er bent.") if form.answer.data == rules.YES
          else _("Dank u. Wij weten nu dat u er niet bent."), "success")
    if request.htmx:
        return _show(meeting, block="attendance")
    return redirect_to(url_for("meetings.show", meeting_id=meeting.id, _anchor="attendance"))


@bp.route("/<int:meeting_id>/presentie", methods=["GET", "POST"])
@login_required
def presence(meeting_id: int):
    """The secretary ticks who was actually there; this also marks the meeting as held."""
    meeting = logic.get_managed_meeting_or_404(meeting_id)
    rows = logic.attendance_list(meeting)
    form = PresenceForm(present=[user.id for user, a in rows if a and (a.present or (a.present is None and a.answer == rules.YES))])
    form.present.choices = choice_list((user.id, user.name) for user, _a in rows)
    if form.validate_on_submit():
        logic.record_presence(meeting, set(form.present.data))
        return saved(_("De presentielijst is opgeslagen."),
                     url_for("meetings.show", meeting_id=meeting.id, _anchor="attendance"))
    return render("meetings/presence.html", meeting=meeting, form=form, rows=rows, status=422 if form.errors else 200)


# --- minutes, decisions, action items ----------------------------------------------------------

def _minutes_page(meeting: Meeting, status: int = 200, **forms):
    minutes = logic.minutes_of(meeting)
    forms.setdefault("minutes_form", MinutesForm(formdata=None, text=minutes.text, version=minutes.version))
    forms.setdefault("correction_form", CorrectionForm(formdata=None))
    forms.setdefault("decision_form", DecisionForm(formdata=None))
    action_form = forms.setdefault("action_form", ActionItemForm(formdata=None))
    action_form.owner.choices = choice_list([("", _("Nog niemand"))] +
                                            [(str(u.id), u.name) for u in logic.members_of(meeting.body_id)])
    return render("meetings/minutes.html", status=status, has_errors=status >= 400, meeting=meeting, minutes=minutes,
                  manage=logic.can_manage(current_user, meeting.body_id),
                  can_correct=logic.can_propose_correction(current_user, meeting, minutes),
                  corrections=logic.corrections_of(meeting), decisions=logic.decisions_of(meeting),
                  presence=logic.presence_summary(logic.attendance_list(meeting)),
                  action_items=logic.open_action_items(meeting.body_id), **forms)


def _member_meeting_or_404(meeting_id: int) -> Meeting:
    meeting = logic.get_meeting_or_404(meeting_id)
    if not logic.is_member(current_user, meeting):
        abort(404)
    return meeting


@bp.route("/<int:meeting_id>/verslag", methods=["GET", "POST"])
@login_required
def minutes(meeting_id: int):
    """The minutes: the secretary writes them, members read and propose corrections once shared."""
    meeting = _member_meeting_or_404(meeting_id)
    if request.method == "GET":
        minutes_ = logic.minutes_of(meeting)
        if minutes_.status == rules.DRAFT and not logic.can_manage(current_user, meeting.body_id):
            return render("meetings/minutes.html", meeting=meeting, minutes=None, manage=False, can_correct=False)
        return _minutes_page(meeting)
    meeting = logic.get_managed_meeting_or_404(meeting_id)
    form = MinutesForm()
    if form.validate():
        try:
            logic.save_minutes(meeting, form.text.data or "", int(form.version.data or -1))
        except StaleEdit:
            db.session.rollback()
            form.version.data = logic.minutes_of(meeting).version
            return _minutes_page(meeting, status=409, minutes_form=form, stale=True)
        return saved(_("Het verslag is opgeslagen."), url_for("meetings.minutes", meeting_id=meeting.id))
    return _minutes_page(meeting, status=422, minutes_form=form)


@bp.route("/<int:meeting_id>/verslag/verder", methods=["POST"])
@login_required
def advance_minutes(meeting_id: int):
    """Share the draft with the attendees, or approve the shared minutes (then they are frozen)."""
    meeting = logic.get_managed_meeting_or_404(meeting_id)
    shared = logic.advance_minutes(meeting).status == rules.SHARED
    if shared:
        notices.send_minutes_shared(meeting)
    db.session.commit()
    flash(_("Het verslag is gedeeld. De leden kunnen nu correcties voorstellen.") if shared
          else _("Het verslag is vastgesteld. Het kan niet meer veranderen."), "success")
    return redirect_to(url_for("meetings.minutes", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/verslag/correcties", methods=["POST"])
@login_required
def propose_correction(meeting_id: int):
    """A member proposes a correction to shared minutes."""
    meeting = _member_meeting_or_404(meeting_id)
    if not logic.can_propose_correction(current_user, meeting, logic.minutes_of(meeting)):
        abort(409)
    form = CorrectionForm()
    if form.validate():
        logic.propose_correction(meeting, current_user, form.correction.data)
        return saved(_("Dank u. De secretaris leest uw correctie."),
                     url_for("meetings.minutes", meeting_id=meeting.id, _anchor="corrections"))
    return _minutes_page(meeting, status=422, correction_form=form)


@bp.route("/<int:meeting_id>/verslag/correcties/<int:correction_id>", methods=["POST"])
@login_required
def decide_correction(meeting_id: int, correction_id: int):
    """The secretary accepts or declines a proposed correction."""
    meeting = logic.get_managed_meeting_or_404(meeting_id)
    decision = request.form.get("besluit")
    if decision not in ("overnemen", "afwijzen"):
        abort(400)
    logic.decide_correction(meeting, correction_id, decision == "overnemen")
    return saved(_("De correctie is overgenomen. Pas de tekst van het verslag aan.") if decision == "overnemen"
                 else _("De correctie is niet overgenomen."),
                 url_for("meetings.minutes", meeting_id=meeting.id, _anchor="corrections"))


@bp.route("/<int:meeting_id>/besluiten", methods=["POST"])
@login_required
def add_decision(meeting_id: int):
    """Write down a decision taken in this meeting."""
    meeting = logic.get_managed_meeting_or_404(meeting_id)
    form = DecisionForm()
    if form.validate():
        logic.add_decision(meeting, form.decision.data)
        return saved(_("Het besluit is opgeslagen."),
                     url_for("meetings.minutes", meeting_id=meeting.id, _anchor="decisions"))
    return _minutes_page(meeting, status=422, decision_form=form)


@bp.route("/<int:meeting_id>/actiepunten", methods=["POST"])
@login_required
def add_action_item(meeting_id: int):
    """Add an action item: what, who, and by when."""
    meeting = logic.get_managed_meeting_or_404(meeting_id)
    form = ActionItemForm()
    form.owner.choices = choice_list([("", "")] + [(str(u.id), u.name) for u in logic.members_of(meeting.body_id)])
    if form.validate():
        logic.add_action_item(meeting, form.description.data, int(form.owner.data) if form.owner.data else None,
                              form.due_on.data)
        return saved(_("Het actiepunt is opgeslagen."),
                     url_for("meetings.minutes", meeting_id=meeting.id, _anchor="action-items"))
    return _minutes_page(meeting, status=422, action_form=form)


@bp.route("/actiepunten")
@login_required
def action_items():
    """Open action items of the member's bodies (?klaar=1 shows the finished ones too)."""
    bodies = bodies_of(current_user)
    filters, body_id = _body_filter(bodies)
    body_ids = [body_id] if body_id else [b.id for b in bodies]
    show_done = request.args.get("klaar") == "1"
    page = paginate(logic.action_items_query(body_ids, show_done))
    return render("meetings/action_items.html", page=page, filters=filters, show_done=show_done,
                  today=local_today(), can_tick=lambda item: logic.can_tick(current_user, item))


@bp.route("/actiepunten/<int:item_id>/klaar", methods=["POST"])
@login_required
def tick_action_item(item_id: int):
    """Mark an action item done (or open again): its owner or a secretary."""
    item = logic.get_action_item_or_404(item_id)
    if not logic.can_tick(current_user, item):
        abort(403)
    logic.set_done(item, request.form.get("klaar") == "1")
    return saved(_("Het actiepunt is afgevinkt.") if item.done_at else _("Het actiepunt staat weer open."),
                 safe_next(request.form.get("terug"), url_for("meetings.action_items")))


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
    current = logic.settings_for(body.id)
    form = SettingsForm(obj=current)
    if form.validate_on_submit():
        form.populate_obj(current)
        db.session.add(current)
        return saved(_("De instellingen zijn opgeslagen."), url_for("meetings.settings", body_id=body.id))
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
        db.session.add(Commitment(body_id=body.id, label=form.label.data, kind=form.kind.data,
                                  times_per_year=form.times_per_year.data))
        return saved(_("De afspraak is opgeslagen."),
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
    db.session.delete(commitment)
    return saved(_("De afspraak is verwijderd."), url_for("meetings.settings", body_id=body.id, _anchor="commitments"))


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
