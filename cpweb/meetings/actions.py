"""What people do with meetings, one function for each: it takes plain values (ids, the person
acting, what the form said), decides, writes, puts its mails in the outbox and commits once.

The views load (and check access), call one of these and answer. Below them sit logic (who may
see what, lists, settings), notices (the mails' texts), stukken (files on agenda items) and rules.
"""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import update

from ..core.database import StaleEdit, utcnow
from ..core.extensions import db
from ..core.guards import Refused, check
from ..core.i18n import AMSTERDAM, datetime_long
from ..documents import places
from ..signals.logic import close_with_decision
from . import guards, logic, notices, rules, stukken
from .models import ActionItem, AgendaItem, Attendance, Commitment, Decision, Meeting, Minutes, MinutesCorrection

SETTINGS = ("documents_days", "reminder_days", "standard_items")
# What a removed agenda item keeps, to be put back (see remove_item).
ITEM_FIELDS = ("position", "title", "description", "presenter", "duration_minutes", "added_late")


class NotNow(Exception):
    """The minutes are past the step this needs: approved minutes no longer change."""


def _meeting(meeting_id: int) -> Meeting:
    # The view loaded it to check access: the session hands back that same object, without a query.
    return db.session.get(Meeting, meeting_id)


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    return next(item for item in meeting.items if item.id == item_id)


# --- planning ----------------------------------------------------------------------------------

def plan_meetings(body_id: int, days: list[date], fields: dict, publish_at) -> list[Meeting]:
    """A meeting on each day (one, or a series), each with the body's standard agenda items.
    Refused where the body already meets at that time (the same form sent twice, a double click)."""
    starts = [rules.meeting_times(day, fields["start"], fields["end"])[0] for day in days]
    taken = db.session.scalar(db.select(Meeting).filter(Meeting.body_id == body_id, Meeting.starts_at.in_(starts),
                                                        Meeting.status != rules.CANCELLED).order_by(Meeting.starts_at))
    if taken is not None:
        raise Refused(_("Op %(when)s staat al een vergadering van dit orgaan: ‘%(title)s’. Er is niets nieuws gepland.",
                        when=datetime_long(taken.starts_at), title=taken.title))
    meetings = logic.create_meetings(body_id, days, {k: v for k, v in fields.items() if k != "day"}, publish_at)
    db.session.commit()
    return meetings


def edit_meeting(meeting_id: int, fields: dict, seen_sequence: int) -> Meeting:
    """Save date, time, place or visibility; invitees hear of a new time or place. StaleEdit when
    someone else saved after the form was opened (`seen_sequence`)."""
    meeting = _meeting(meeting_id)
    if seen_sequence != meeting.sequence:
        raise StaleEdit()
    fields = dict(fields)
    starts_at, ends_at = rules.meeting_times(fields.pop("day"), fields.pop("start"), fields.pop("end"))
    moved = (starts_at, ends_at, fields["location"]) != (meeting.starts_at, meeting.ends_at, meeting.location)
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.sequence += 1
    if moved and meeting.invitations_sent_at:
        notices.send_change(meeting)
    db.session.commit()
    return meeting


def _minutes_status(meeting: Meeting) -> str:
    return logic.minutes_of(meeting).status


def cancel_meeting(meeting_id: int, note: str = "") -> Meeting:
    """The meeting stays, marked as cancelled; members who could see it hear of it, with the
    secretary's `note`. Refused (see `guards`) once cancelled, held or its minutes approved."""
    meeting = _meeting(meeting_id)
    check(guards.why_no_cancelling(meeting.status, _minutes_status(meeting)))
    meeting.status = rules.CANCELLED
    meeting.sequence += 1
    if meeting.is_published(utcnow()):
        notices.send_change(meeting, note)
    db.session.commit()
    return meeting


def reinstate_meeting(meeting_id: int, note: str = "") -> Meeting:
    """A cancelled meeting goes ahead after all; those who heard of the cancellation hear of this."""
    meeting = _meeting(meeting_id)
    if meeting.is_cancelled:
        meeting.status = rules.PLANNED
        meeting.sequence += 1
        if meeting.is_published(utcnow()):
            notices.send_change(meeting, note, reinstated=True)
    db.session.commit()
    return meeting


def publish_meeting(meeting_id: int) -> Meeting:
    """Show a draft (or a meeting shown from a later date) to the members now."""
    meeting = _meeting(meeting_id)
    meeting.published_at = utcnow()
    db.session.commit()
    return meeting


def invite(meeting_id: int, note: str = "") -> int:
    """Mail the invitation with the agenda, an .ics and the secretary's `note` to the body's
    members. Returns the mails queued. Refused once the meeting is over, cancelled, held or its
    minutes approved."""
    meeting = _meeting(meeting_id)
    now = utcnow()
    check(guards.why_no_invitation(meeting.status, _minutes_status(meeting), meeting.ends_at, now))
    if not meeting.is_published(now):  # the invitees must be able to open what they are invited to
        meeting.published_at = now
    meeting.invitations_sent_at = now
    sent = notices.send_invitations(meeting, note)
    db.session.commit()
    return sent


def mark_documents_complete(meeting_id: int, user, note: str = "") -> int:
    """Tell the members the stukken are complete, with the secretary's `note`. Returns the mails queued.
    Once, before the meeting, and only when there are stukken (see `guards`); of two requests at
    once (a double click) only the first sends."""
    meeting = _meeting(meeting_id)
    now = utcnow()
    check(documents_complete_refusal(meeting, user, now))
    claimed = db.session.execute(update(Meeting).where(Meeting.id == meeting.id, Meeting.documents_complete_at.is_(None))
                                 .values(documents_complete_at=now)).rowcount
    if not claimed:  # the other request's commit came in between
        db.session.rollback()
        check(documents_complete_refusal(_meeting(meeting_id), user, now))
    db.session.refresh(meeting)
    sent = notices.send_documents_complete(meeting, note)
    db.session.commit()
    return sent


def documents_complete_refusal(meeting: Meeting, user, now):
    """Why "De stukken zijn compleet" cannot be sent for this meeting now (None when it can)."""
    return guards.why_no_documents_complete(meeting.status, _minutes_status(meeting), meeting.starts_at, now,
                                            any(stukken.stukken_of(meeting, user).values()), meeting.documents_complete_at)


# --- agenda ------------------------------------------------------------------------------------

def add_item(meeting_id: int, fields: dict, now=None, seen_sequence: int | None = None) -> AgendaItem:
    """An item at the end of the agenda, before the closing items; marked late once the stukken
    deadline of a published meeting passed. Refused when the agenda changed since the form was
    opened (`seen_sequence`) by this very item: the same form posted twice."""
    meeting = _meeting(meeting_id)
    if seen_sequence is not None and seen_sequence != meeting.sequence:
        same = next((i for i in meeting.items if (i.title, i.description) == (fields["title"], fields["description"])),
                    None)
        if same is not None:
            raise Refused(_("‘%(title)s’ staat al op de agenda.", title=same.title))
    item = logic.append_item(meeting, fields, now)
    db.session.commit()
    return item


def change_item(meeting_id: int, item_id: int, fields: dict) -> AgendaItem:
    meeting = _meeting(meeting_id)
    item = _item(meeting, item_id)
    for name, value in fields.items():
        setattr(item, name, value)
    meeting.sequence += 1
    db.session.commit()
    return item


def move_item(meeting_id: int, item_id: int, direction: str) -> AgendaItem:
    """One place "up" or "down". Refused once the meeting is cancelled, held or its minutes approved."""
    meeting = _meeting(meeting_id)
    check(guards.why_no_reordering(meeting.status, _minutes_status(meeting)))
    order = rules.reorder([i.id for i in meeting.items], item_id, direction)
    by_id = {i.id: i for i in meeting.items}
    for position, other_id in enumerate(order):
        by_id[other_id].position = position
    meeting.sequence += 1
    db.session.commit()
    return by_id[item_id]


def remove_item(meeting_id: int, item_id: int) -> dict:
    """Take an item and its stukken off the agenda (the documents stay in the library). Returns
    what `restore_item` needs to put it back."""
    meeting = _meeting(meeting_id)
    item = _item(meeting, item_id)
    removed = {name: getattr(item, name) for name in ITEM_FIELDS}
    removed["documents"] = places.detach_all(stukken.place_of(item))
    meeting.items.remove(item)
    for position, other in enumerate(meeting.items):
        other.position = position
    meeting.sequence += 1
    db.session.commit()
    return removed


def restore_item(meeting_id: int, user, removed: dict) -> AgendaItem:
    """Put a removed item back in its place, with the stukken this person may still see. Twice is
    once: a second click finds it back."""
    meeting = _meeting(meeting_id)
    same = next((i for i in meeting.items if (i.title, i.description) == (removed["title"], removed["description"])), None)
    if same is not None:
        return same
    item = AgendaItem(**{name: removed[name] for name in ITEM_FIELDS})
    meeting.items.insert(min(item.position, len(meeting.items)), item)
    for position, other in enumerate(meeting.items):
        other.position = position
    db.session.flush()
    for document_id in removed["documents"]:
        places.attach(stukken.place_of(item), user, document_id=document_id, reuse="keep")
    meeting.sequence += 1
    db.session.commit()
    return item


def attach_stuk(item_id: int, user, choice: dict) -> places.Attached:
    """A new file or a library document on an agenda item, with the audience chosen (see
    `places.attach`); kept only when it is attached. Calendars see the change."""
    item = db.session.get(AgendaItem, item_id)
    attached = places.attach(stukken.place_of(item), user, **choice)
    if attached.document is not None:
        item.meeting.sequence += 1
        db.session.commit()
    return attached


def detach_stuk(item_id: int, document_id: int) -> None:
    """Take a stuk off an agenda item; the document stays in the library."""
    places.detach(stukken.place_of(db.session.get(AgendaItem, item_id)), document_id)
    db.session.commit()


def restore_stuk(item_id: int, user, document_id: int) -> places.Attached:
    """Put a stuk taken off back on its item, with the audience it has now."""
    attached = places.attach(stukken.place_of(db.session.get(AgendaItem, item_id)), user, document_id=document_id,
                             reuse="keep")
    db.session.commit()
    return attached


# --- attendance --------------------------------------------------------------------------------

def answer(meeting_id: int, user, reply: str, message: str = "") -> Attendance:
    """A member says whether they come, with a short message for the secretary; until the meeting begins.
    The message belongs to the answer it came with: a changed answer sent with the old message (a
    browser refills a field after Back, a tab left open) does not keep it."""
    meeting = _meeting(meeting_id)
    check(guards.why_no_answer(meeting.status, meeting.starts_at, utcnow()))
    attendance = logic.attendance_of(meeting, user) or Attendance(meeting_id=meeting.id, user_id=user.id)
    if reply != attendance.answer and message == attendance.message:
        message = ""
    attendance.answer, attendance.message, attendance.answered_at = reply, message, utcnow()
    db.session.add(attendance)
    db.session.commit()
    return attendance


def record_presence(meeting_id: int, present_ids: set[int], guests: str = "") -> None:
    """Who was actually there, members and guests (names only), from the meeting's start on. It
    leaves the meeting's state alone: `mark_held` says it was held."""
    meeting = _meeting(meeting_id)
    check(guards.why_no_presence(meeting.status, meeting.starts_at, utcnow()))
    meeting.guests = "\n".join(rules.guest_names(guests))
    existing = {a.user_id: a for a in db.session.scalars(db.select(Attendance).filter_by(meeting_id=meeting.id))}
    for member in logic.members_of(meeting.body_id):
        attendance = existing.get(member.id) or Attendance(meeting_id=meeting.id, user_id=member.id)
        attendance.present = member.id in present_ids
        db.session.add(attendance)
    db.session.commit()


def mark_held(meeting_id: int) -> Meeting:
    """The secretary says the meeting took place; not before it began."""
    meeting = _meeting(meeting_id)
    check(guards.why_not_held(meeting.status, meeting.starts_at, utcnow()))
    meeting.status = rules.HELD
    meeting.sequence += 1
    db.session.commit()
    return meeting


# --- minutes and decisions -----------------------------------------------------------------------

def save_minutes(meeting_id: int, text: str, seen_version: int) -> Minutes:
    """NotNow once approved; StaleEdit when someone else saved after the form was opened."""
    minutes = logic.minutes_of(_meeting(meeting_id))
    if minutes.is_frozen:
        raise NotNow()
    if seen_version != minutes.version:
        raise StaleEdit()
    minutes.text = text
    minutes.version += 1
    db.session.add(minutes)
    db.session.commit()
    return minutes


def advance_minutes(meeting_id: int, approved_on: date | None = None, note: str = "") -> Minutes:
    """Share the draft with the members (they are mailed, with the secretary's `note`), or approve
    the shared minutes (then they are frozen). NotNow once approved; refused when there is nothing
    to share."""
    meeting = _meeting(meeting_id)
    minutes = logic.minutes_of(meeting)
    following = rules.MINUTES_NEXT.get(minutes.status)
    if following is None:
        raise NotNow()
    if following == rules.SHARED:
        check(guards.why_no_sharing(minutes.status, minutes.text))
    minutes.status = following
    if following == rules.APPROVED:
        minutes.approved_on = approved_on or utcnow().astimezone(AMSTERDAM).date()
    minutes.version += 1
    db.session.add(minutes)
    if following == rules.SHARED:
        notices.send_minutes_shared(meeting, note)
    db.session.commit()
    return minutes


def propose_correction(meeting_id: int, user, text: str) -> MinutesCorrection:
    correction = MinutesCorrection(meeting_id=meeting_id, author_id=user.id, text=text)
    db.session.add(correction)
    db.session.flush()
    notices.send_correction_proposed(_meeting(meeting_id), correction)
    db.session.commit()
    return correction


def decide_correction(meeting_id: int, correction_id: int, accepted: bool) -> MinutesCorrection:
    """The secretary accepts or declines a proposed correction. NotNow once the minutes are approved."""
    if logic.minutes_of(_meeting(meeting_id)).is_frozen:
        raise NotNow()
    correction = db.session.get(MinutesCorrection, correction_id)
    correction.status = rules.ACCEPTED if accepted else rules.DECLINED
    correction.decided_at = utcnow()
    db.session.commit()
    return correction


def _item_id(meeting_id: int, item_id: int | None) -> int | None:
    """The agenda item, when it is one of this meeting's; None otherwise."""
    return item_id if item_id in {item.id for item in _meeting(meeting_id).items} else None


def add_decision(meeting_id: int, text: str, agenda_item_id: int | None = None, actor=None,
                 close_signal_ids=()) -> Decision:
    """A decision, attached to the agenda item it was taken on; the signals on the agenda that it
    settles are closed with it."""
    decision = logic.append_decision(meeting_id, text, _item_id(meeting_id, agenda_item_id))
    if close_signal_ids:
        close_with_decision(close_signal_ids, actor, text, _meeting(meeting_id))
    db.session.commit()
    return decision


# --- action items --------------------------------------------------------------------------------

def add_action_item(meeting_id: int, description: str, owner_id: int | None, due_on: date | None,
                    agenda_item_id: int | None = None) -> ActionItem:
    """What, who, and by when (and on which agenda item); it stays open across meetings until
    someone ticks it. The owner hears of it."""
    item = ActionItem(body_id=_meeting(meeting_id).body_id, meeting_id=meeting_id, description=description,
                      owner_id=owner_id, due_on=due_on, agenda_item_id=_item_id(meeting_id, agenda_item_id))
    db.session.add(item)
    db.session.flush()
    notices.send_action_item_assigned(item)
    db.session.commit()
    return item


def edit_action_item(item_id: int, description: str, owner_id: int | None, due_on: date | None) -> ActionItem:
    """Another text, owner or date. A new owner hears of the item; an owner who keeps it hears of a
    new date."""
    item = db.session.get(ActionItem, item_id)
    new_owner, new_date = owner_id != item.owner_id, due_on != item.due_on
    item.description, item.owner_id, item.due_on = description, owner_id, due_on
    db.session.flush()
    db.session.refresh(item, ["owner"])
    if new_owner:
        notices.send_action_item_assigned(item)
    elif new_date:
        notices.send_action_item_new_date(item)
    db.session.commit()
    return item


def tick_action_item(item_id: int, done: bool) -> ActionItem:
    """Done, or open again."""
    item = db.session.get(ActionItem, item_id)
    item.done_at = utcnow() if done else None
    db.session.commit()
    return item


# --- a body's meeting settings and commitments ---------------------------------------------------

def save_settings(body_id: int, values: dict) -> None:
    """Stukken deadline, reminder days and standard agenda items (the names in SETTINGS)."""
    settings = logic.settings_for(body_id)
    for name in SETTINGS:
        setattr(settings, name, values[name])
    db.session.add(settings)
    db.session.commit()


def add_commitment(body_id: int, label: str, kind: str, times_per_year: int) -> Commitment:
    """A yearly commitment ("3 keer per jaar overleg met het management")."""
    commitment = Commitment(body_id=body_id, label=label, kind=kind, times_per_year=times_per_year)
    db.session.add(commitment)
    db.session.commit()
    return commitment


def remove_commitment(commitment_id: int) -> None:
    db.session.delete(db.session.get(Commitment, commitment_id))
    db.session.commit()
