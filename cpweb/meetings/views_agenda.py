"""The meeting page: its agenda with stukken, and who comes (the attendance and the presence list)."""
from flask import abort, current_app, flash, make_response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import login_required
from ..core.database import row_id, utcnow
from ..core.guards import Refused
from ..documents import attaching, bundle
from ..proposals.logic import planned_from
from ..signals.logic import on_agenda
from ..web.confirming import Confirmation, ConfirmForm, confirm_page, flash_undo, read_undo_token, undo_token
from ..web.forms import choice_list
from ..web.rendering import done, redirect_to, refused, render
from ..web.security import no_store
from . import actions, feeds, guards, logic, rules, stukken
from .forms import AgendaItemForm, AttendanceForm, PresenceForm
from .models import AgendaItem, Meeting
from .views import bp, get_managed_meeting_or_404, get_meeting_or_404


def get_item_or_404(meeting: Meeting, item_id: int) -> AgendaItem:
    item = next((item for item in meeting.items if item.id == item_id), None)
    if item is None:
        abort(404)
    return item


def _show(meeting: Meeting, status: int = 200, block: str | None = None, **forms):
    manage = logic.can_manage(current_user, meeting.body_id)
    member = logic.is_member(current_user, meeting)
    settings = logic.settings_for(meeting.body_id)
    forms.setdefault("item_form", AgendaItemForm(formdata=None))
    attendance = logic.attendance_of(meeting, current_user)
    minutes = logic.minutes_of(meeting)
    # The field starts empty: the message sent earlier shows with the answer it belongs to.
    forms.setdefault("attendance_form", AttendanceForm(formdata=None))
    deadline = rules.documents_deadline(meeting.starts_at, settings.documents_days)
    attached = stukken.stukken_of(meeting, current_user)
    # For changing who sees an attached stuk: the same choices for every item, so the first stands
    # for all. Adding one is a page of its own (attach), or the library's list came once per item.
    attach_form = (attaching.form_for(stukken.place_of(meeting.items[0]), current_user, library=False)
                   if manage and meeting.items else None)
    return render(
        "meetings/show.html", block=block, status=status, has_errors=status >= 400, meeting=meeting, manage=manage, member=member,
        stukken=attached, late_documents=stukken.late_documents(attached, deadline), attach_form=attach_form,
        has_stukken=any(attached.values()),
        stukken_overdue=(member or manage) and stukken.overdue(meeting, attached, deadline, utcnow()),
        deadline=deadline, item_signals=on_agenda([item.id for item in meeting.items], current_user),
        now=utcnow(), attendance=attendance,
        attendance_list=logic.attendance_list(meeting) if member else [],
        action_items=logic.open_action_items(meeting.body_id) if member else None,
        decisions=logic.decisions_of(meeting) if member else [],
        previous_minutes=logic.previous_minutes_links(current_user, meeting),
        poll=planned_from(meeting.id, current_user),
        minutes=minutes if member else None, refusals=_refusals(meeting, minutes, any(attached.values())), **forms)


def _refusals(meeting: Meeting, minutes, has_stukken: bool) -> dict:
    """Why the page does not offer an action, per action (None where it does)."""
    return guards.refusals(meeting.status, minutes.status, minutes.text, meeting.starts_at, meeting.ends_at, utcnow(),
                           has_stukken, meeting.documents_complete_at)


@bp.route("/<int:meeting_id>")
def show(meeting_id: int):
    """The meeting with its agenda; members also see attendance and open action items."""
    return _show(get_meeting_or_404(meeting_id))


@bp.route("/<int:meeting_id>/agenda.ics")
def ics(meeting_id: int):
    """"Zet in mijn agenda": this one meeting as an .ics download."""
    meeting = get_meeting_or_404(meeting_id)
    response = make_response(feeds.meeting_ics(meeting))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="vergadering-{meeting.id}.ics"'
    return response


@bp.route("/<int:meeting_id>/stukken.zip")
def stukken_zip(meeting_id: int):
    """"Alle stukken (zip)": the stukken this visitor may see on the meeting page, in one file, made
    while it is sent."""
    meeting = get_meeting_or_404(meeting_id)
    package = stukken.package(meeting, current_user, utcnow())
    if package is None:
        abort(404)
    response = current_app.response_class(bundle.stream_zip(package.entries), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{package.filename}"'
    return no_store(response)  # stukken that only members may see


def _after_agenda_change(meeting: Meeting, message: str, category: str = "success"):
    flash(message, category)
    if request.htmx:
        return _show(meeting, block="agenda")
    return redirect_to(url_for("meetings.show", meeting_id=meeting.id, _anchor="agenda"))


@bp.route("/<int:meeting_id>/agendapunten", methods=["POST"])
@login_required
def add_item(meeting_id: int):
    """Add an agenda item at the end, before "Rondvraag" and "Sluiting"."""
    meeting = get_managed_meeting_or_404(meeting_id)
    form = AgendaItemForm()
    if form.validate():
        try:
            actions.add_item(meeting.id, form.item_fields(), seen_sequence=row_id(form.sequence.data))
        except Refused as refusal:
            return _after_agenda_change(meeting, refusal.reason, "error")
        return _after_agenda_change(meeting, _("Het agendapunt is toegevoegd."))
    return _show(meeting, status=422, block="agenda", item_form=form)


@bp.route("/<int:meeting_id>/agendapunten/<int:item_id>", methods=["GET", "POST"])
@login_required
def edit_item(meeting_id: int, item_id: int):
    """Change an agenda item."""
    meeting = get_managed_meeting_or_404(meeting_id)
    item = get_item_or_404(meeting, item_id)
    form = AgendaItemForm(obj=item)
    if form.validate_on_submit():
        actions.change_item(meeting.id, item.id, form.item_fields())
        return done(_("Het agendapunt is opgeslagen."),
                    url_for("meetings.show", meeting_id=meeting.id, _anchor=f"item-{item.id}"))
    return render("meetings/item.html", meeting=meeting, item=item, form=form, status=422 if form.errors else 200)


@bp.route("/<int:meeting_id>/agendapunten/<int:item_id>/verplaatsen", methods=["POST"])
@login_required
def move_item(meeting_id: int, item_id: int):
    """Move an item one place up or down; htmx redraws the agenda, a plain form reloads the page."""
    meeting = get_managed_meeting_or_404(meeting_id)
    item = get_item_or_404(meeting, item_id)
    direction = request.form.get("richting")
    if direction not in ("up", "down"):
        abort(400)
    try:
        actions.move_item(meeting.id, item.id, direction)
    except Refused as refusal:
        return refused(refusal.reason, url_for("meetings.show", meeting_id=meeting.id, _anchor="agenda"))
    return _after_agenda_change(meeting, _("‘%(title)s’ staat nu op plaats %(n)s.", title=item.title, n=item.position + 1))


@bp.route("/<int:meeting_id>/agendapunten/<int:item_id>/verwijderen", methods=["GET", "POST"])
@login_required
def remove_item(meeting_id: int, item_id: int):
    """Ask first, then take an item (and its stukken) off the agenda; it can be put back for a while."""
    meeting = get_managed_meeting_or_404(meeting_id)
    item = get_item_or_404(meeting, item_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        removed = actions.remove_item(meeting.id, item.id)
        flash_undo(_("‘%(title)s’ staat niet meer op de agenda.", title=item.title),
                   url_for("meetings.restore_item", meeting_id=meeting.id), undo_token("agenda-item", [meeting.id, removed]))
        return redirect_to(url_for("meetings.show", meeting_id=meeting.id, _anchor="agenda"))
    return confirm_page(Confirmation(
        title=_("Agendapunt weghalen?"), subject=item.title,
        happens=[_("Het punt en de stukken erbij staan dan niet meer op de agenda. De stukken blijven in de bibliotheek.")],
        undo=_("Was het een vergissing? Met de knop ‘Terugzetten’ zet u het punt het eerste uur nog terug."),
        button=_("Ja, agendapunt weghalen"), back=_back_to(meeting, item)), form)


@bp.route("/<int:meeting_id>/agendapunten/terugzetten", methods=["POST"])
@login_required
def restore_item(meeting_id: int):
    """Put back an agenda item that was just removed, with its stukken."""
    meeting = get_managed_meeting_or_404(meeting_id)
    removed = read_undo_token(request.form.get("token"), "agenda-item")
    if not removed or removed[0] != meeting.id:
        flash(_("Terugzetten kan niet meer. Zet het punt opnieuw op de agenda."), "warning")
        return redirect_to(url_for("meetings.show", meeting_id=meeting.id, _anchor="agenda"))
    item = actions.restore_item(meeting.id, current_user, removed[1])
    return done(_("‘%(title)s’ staat weer op de agenda.", title=item.title), _back_to(meeting, item))


def _back_to(meeting: Meeting, item: AgendaItem) -> str:
    return url_for("meetings.show", meeting_id=meeting.id, _anchor=f"item-{item.id}")


@bp.route("/<int:meeting_id>/agendapunten/<int:item_id>/stukken", methods=["GET", "POST"])
@login_required
def attach(meeting_id: int, item_id: int):
    """Attach a stuk to an agenda item, with who may see it: a new file (stored in the library) or a
    document already there. A page of its own, so a phone shows one form and not one per item."""
    meeting = get_managed_meeting_or_404(meeting_id)
    item = get_item_or_404(meeting, item_id)
    place = stukken.place_of(item)

    def form_page(sent: dict | None = None, status: int = 200):
        return render("meetings/attach.html", meeting=meeting, item=item, back=_back_to(meeting, item),
                      attach_form=attaching.form_for(place, current_user, sent=sent), status=status,
                      has_errors=status >= 400)

    if request.method == "GET":
        return form_page()
    sent = attaching.choice()
    attached = actions.attach_stuk(item.id, current_user, sent)
    return attaching.answer(place, attached, back=_back_to(meeting, item), retry=lambda: form_page(sent, 422),
                            done=lambda document: _("‘%(title)s’ hoort nu bij ‘%(item)s’.", title=document.title,
                                                    item=item.title))


@bp.route("/<int:meeting_id>/agendapunten/<int:item_id>/stukken/<int:document_id>/weghalen", methods=["GET", "POST"])
@login_required
def detach(meeting_id: int, item_id: int, document_id: int):
    """Ask first, then take a stuk off an agenda item; the document stays in the library."""
    meeting = get_managed_meeting_or_404(meeting_id)
    item = get_item_or_404(meeting, item_id)
    document = next((d for d in stukken.stukken_of(meeting, current_user)[item.id] if d.id == document_id), None)
    if document is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        actions.detach_stuk(item.id, document.id)
        flash_undo(_("Het stuk hoort niet meer bij dit agendapunt. Het staat nog in de bibliotheek."),
                   url_for("meetings.restore_stuk", meeting_id=meeting.id, item_id=item.id),
                   undo_token("stuk", [item.id, document.id]))
        return redirect_to(_back_to(meeting, item))
    return confirm_page(Confirmation(
        title=_("Stuk weghalen?"), subject=document.title,
        happens=[_("Het stuk hoort dan niet meer bij ‘%(item)s’. Het blijft in de bibliotheek.", item=item.title)],
        undo=_("Was het een vergissing? Met de knop ‘Terugzetten’ zet u het stuk het eerste uur nog terug."),
        button=_("Ja, stuk weghalen"), back=_back_to(meeting, item)), form)


@bp.route("/<int:meeting_id>/agendapunten/<int:item_id>/stukken/terugzetten", methods=["POST"])
@login_required
def restore_stuk(meeting_id: int, item_id: int):
    """Put back a stuk that was just taken off this agenda item."""
    meeting = get_managed_meeting_or_404(meeting_id)
    item = get_item_or_404(meeting, item_id)
    removed = read_undo_token(request.form.get("token"), "stuk")
    if not removed or removed[0] != item.id or actions.restore_stuk(item.id, current_user, removed[1]).document is None:
        flash(_("Terugzetten kan niet meer. Voeg het stuk opnieuw toe."), "warning")
        return redirect_to(_back_to(meeting, item))
    return done(_("Het stuk hoort weer bij dit agendapunt."), _back_to(meeting, item))


@bp.route("/<int:meeting_id>/aanwezigheid", methods=["POST"])
@login_required
def answer(meeting_id: int):
    """A member says whether they come; one click with htmx, a plain form without."""
    meeting = get_meeting_or_404(meeting_id)
    if not logic.is_member(current_user, meeting):
        abort(403)
    form = AttendanceForm()
    if not form.validate():
        return _show(meeting, status=422, block="attendance", attendance_form=form)
    try:
        actions.answer(meeting.id, current_user, form.answer.data, form.message.data or "")
    except Refused as refusal:
        return refused(refusal.reason, url_for("meetings.show", meeting_id=meeting.id, _anchor="attendance"))
    flash(_("Dank u. Wij weten nu dat u er bent.") if form.answer.data == rules.YES
          else _("Dank u. Wij weten nu dat u er niet bent."), "success")
    if request.htmx:
        return _show(meeting, block="attendance")
    return redirect_to(url_for("meetings.show", meeting_id=meeting.id, _anchor="attendance"))


@bp.route("/<int:meeting_id>/presentie", methods=["GET", "POST"])
@login_required
def presence(meeting_id: int):
    """The secretary ticks who was actually there, from the meeting's start on."""
    meeting = get_managed_meeting_or_404(meeting_id)
    reason = guards.why_no_presence(meeting.status, meeting.starts_at, utcnow())
    if reason:  # the same rule refuses the POST in `actions.record_presence`; here it also keeps the form away
        return refused(str(reason), url_for("meetings.show", meeting_id=meeting.id))
    rows = logic.attendance_list(meeting)
    form = PresenceForm(present=[user.id for user, a in rows if a and (a.present or (a.present is None and a.answer == rules.YES))],
                        guests=meeting.guests)
    form.present.choices = choice_list((user.id, user.name) for user, _a in rows)
    if form.validate_on_submit():
        actions.record_presence(meeting.id, set(form.present.data), form.guests.data or "")
        return done(_("De presentielijst is opgeslagen."),
                    url_for("meetings.show", meeting_id=meeting.id, _anchor="attendance"))
    return render("meetings/presence.html", meeting=meeting, form=form, rows=rows, status=422 if form.errors else 200)
