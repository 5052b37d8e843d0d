"""Action items: added with the minutes, open across meetings until their owner or a secretary ticks them;
changed (text, owner, date) by whoever may add them."""
from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import login_required
from ..bodies.logic import bodies_of
from ..core.database import paginate
from ..core.extensions import db
from ..core.i18n import local_today
from ..web.forms import choice_list
from ..web.rendering import done, render
from ..web.security import safe_next
from . import actions, logic
from .forms import ActionItemEditForm, ActionItemForm
from .models import ActionItem
from .views import body_filter, bp, get_managed_meeting_or_404
from .views_minutes import chosen_item, minutes_page, with_agenda_items


def get_action_item_or_404(item_id: int) -> ActionItem:
    item = db.session.get(ActionItem, item_id)
    if item is None or not logic.member_of_body(current_user, item.body_id):
        abort(404)
    return item


@bp.route("/<int:meeting_id>/actiepunten", methods=["POST"])
@login_required
def add_action_item(meeting_id: int):
    """Add an action item: what, who, and by when."""
    meeting = get_managed_meeting_or_404(meeting_id)
    form = with_agenda_items(ActionItemForm(), meeting)
    form.owner.choices = choice_list([("", "")] + [(str(u.id), u.name) for u in logic.members_of(meeting.body_id)])
    if form.validate():
        actions.add_action_item(meeting.id, form.description.data, int(form.owner.data) if form.owner.data else None,
                                form.due_on.data, chosen_item(form))
        return done(_("Het actiepunt is opgeslagen."),
                    url_for("meetings.minutes", meeting_id=meeting.id, _anchor="action-items"))
    return minutes_page(meeting, status=422, action_form=form)


@bp.route("/actiepunten")
@login_required
def action_items():
    """Open action items of the member's bodies (?klaar=1 shows the finished ones too)."""
    bodies = bodies_of(current_user)
    filters, body_id = body_filter(bodies)
    body_ids = [body_id] if body_id else [b.id for b in bodies]
    show_done = request.args.get("klaar") == "1"
    page = paginate(logic.action_items_query(body_ids, show_done))
    return render("meetings/action_items.html", page=page, filters=filters, show_done=show_done,
                  today=local_today(), can_tick=lambda item: logic.can_tick(current_user, item),
                  can_edit=lambda item: logic.can_manage(current_user, item.body_id))


@bp.route("/actiepunten/<int:item_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_action_item(item_id: int):
    """Change an action item's text, owner or date: the secretaries of its body and admins."""
    item = get_action_item_or_404(item_id)
    if not logic.can_manage(current_user, item.body_id):
        abort(403)
    form = ActionItemEditForm(obj=item, owner=str(item.owner_id or ""))
    form.owner.choices = choice_list([("", _("Niemand"))] + [(str(u.id), u.name) for u in logic.members_of(item.body_id)])
    if form.validate_on_submit():
        actions.edit_action_item(item.id, form.description.data, int(form.owner.data) if form.owner.data else None,
                                 form.due_on.data)
        return done(_("Het actiepunt is opgeslagen."), url_for("meetings.action_items"))
    return render("meetings/action_item_edit.html", item=item, form=form, status=422 if form.errors else 200)


@bp.route("/actiepunten/<int:item_id>/klaar", methods=["POST"])
@login_required
def tick_action_item(item_id: int):
    """Mark an action item done (or open again): its owner or a secretary."""
    item = get_action_item_or_404(item_id)
    if not logic.can_tick(current_user, item):
        abort(403)
    item = actions.tick_action_item(item.id, request.form.get("klaar") == "1")
    return done(_("Het actiepunt is afgevinkt.") if item.done_at else _("Het actiepunt staat weer open."),
                safe_next(request.form.get("terug"), url_for("meetings.action_items")))
