"""Who may see which meeting, the lists, a body's settings and the jobs: for the views, the calendar,
the jobs and other features. What people do with meetings (and its one commit) is in `actions`."""
from datetime import date, datetime, timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, false, func, or_, true
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..auth.roles import SECRETARY
from ..bodies.models import Body, Membership
from ..core.database import Page, first_rows, utcnow
from ..core.extensions import db
from ..core.i18n import date_long, from_local
from ..core.i18n import lazy_gettext_markup as _lm
from ..core.privacy import Processing
from . import rules
from .models import (ActionItem, AgendaItem, Attendance, Commitment, Decision, Meeting, MeetingSettings, Minutes,
                     MinutesCorrection)

# --- who may see and do what ---------------------------------------------------------------

def member_of_body(user, body_id: int) -> bool:
    """Members see their own bodies' meetings and action items; admins those of all bodies."""
    return user.is_authenticated and (user.is_admin or body_id in user.body_ids)


def can_manage(user, body_id: int) -> bool:
    """Secretaries run the meetings of their own bodies; admins those of all bodies."""
    return user.is_authenticated and (user.is_admin or (user.role == SECRETARY and body_id in user.body_ids))


def is_member(user, meeting: Meeting) -> bool:
    return member_of_body(user, meeting.body_id)


def can_see(user, meeting: Meeting, now: datetime | None = None) -> bool:
    if can_manage(user, meeting.body_id):
        return True
    if not meeting.is_published(now or utcnow()):
        return False
    return meeting.is_public or member_of_body(user, meeting.body_id)


def visible_filter(user, now: datetime):
    """A WHERE clause for the meetings this member (or guest) may see."""
    if user.is_authenticated and user.is_admin:
        return True
    published = and_(Meeting.published_at.is_not(None), Meeting.published_at <= now)
    if not user.is_authenticated:
        return and_(published, Meeting.visibility == rules.PUBLIC)
    body_ids = list(user.body_ids)
    managed = body_ids if user.role == SECRETARY else []
    return or_(Meeting.body_id.in_(managed),
               and_(published, or_(Meeting.visibility == rules.PUBLIC, Meeting.body_id.in_(body_ids))))


def member_clause(user, body_id):
    """`member_of_body` as a WHERE clause on a body id column."""
    if not user.is_authenticated:
        return false()
    return true() if user.is_admin else body_id.in_(list(user.body_ids))


def minutes_filter(user, now: datetime):
    """The meetings whose minutes (and decisions) this person reads, as the minutes page decides:
    members of the body once the minutes are shared, and those who run it also the draft."""
    shared = and_(Minutes.status.is_not(None), Minutes.status != rules.DRAFT)
    return and_(visible_filter(user, now), member_clause(user, Meeting.body_id),
                or_(shared, _managed_clause(user)))


def _managed_clause(user):
    """`can_manage` as a WHERE clause on Meeting."""
    if not user.is_authenticated:
        return false()
    if user.is_admin:
        return true()
    return Meeting.body_id.in_(list(user.body_ids) if user.role == SECRETARY else [])


def managed_bodies(user) -> list[Body]:
    query = db.select(Body).filter_by(is_active=True).order_by(Body.name)
    if not user.is_admin:
        query = query.filter(Body.id.in_(user.body_ids if user.role == SECRETARY else []))
    return list(db.session.scalars(query))


# --- lists -------------------------------------------------------------------------------------

def meetings_query(user, *, upcoming: bool, body_id: int | None = None, now: datetime | None = None):
    now = now or utcnow()
    query = db.select(Meeting).filter(visible_filter(user, now)).options(selectinload(Meeting.body))
    if body_id:
        query = query.filter(Meeting.body_id == body_id)
    if upcoming:
        return query.filter(overlapping(now, None)).order_by(Meeting.starts_at)
    # Those that ended also started before now: the index is walked back from there.
    return query.filter(Meeting.ends_at < now, Meeting.starts_at < now).order_by(Meeting.starts_at.desc())


def overlapping(start: datetime, end: datetime | None):
    """Meetings that touch [start, end), found from the start-time index (see rules.LONGEST)."""
    conditions = [Meeting.ends_at > start, Meeting.starts_at > start - rules.LONGEST]
    if end is not None:
        conditions.append(Meeting.starts_at < end)
    return and_(*conditions)


def meetings_by_id(ids) -> dict[int, Meeting]:
    """For other features that link to meetings, with the body loaded."""
    if not ids:  # most pages link none; each query is a round trip on PostgreSQL
        return {}
    query = db.select(Meeting).filter(Meeting.id.in_(list(ids))).options(selectinload(Meeting.body))
    return {m.id: m for m in db.session.scalars(query)}


def recent_meetings_of(body_id: int, user, limit: int = 20) -> list[Meeting]:
    """The body's latest meetings this person may see (to link a dossier to one)."""
    return list(db.session.scalars(db.select(Meeting).filter(Meeting.body_id == body_id, visible_filter(user, utcnow()))
                                   .order_by(Meeting.starts_at.desc()).limit(limit)))


def next_meeting_of(body_id: int, after: datetime) -> Meeting | None:
    """The body's first planned meeting after this moment: where other features put on the agenda
    what happened since the last one."""
    return db.session.scalar(db.select(Meeting).filter(Meeting.body_id == body_id, Meeting.starts_at > after,
                                                       Meeting.status == rules.PLANNED)
                             .order_by(Meeting.starts_at).limit(1))


def next_meetings(user, limit: int = 3) -> list[Meeting]:
    return list(db.session.scalars(meetings_query(user, upcoming=True).limit(limit)))


def coming_managed_meetings(user, body_ids=None, now: datetime | None = None) -> list[Meeting]:
    """The coming meetings this person runs, not cancelled, with their items; of these bodies only
    when given (another feature puts something on their agendas)."""
    bodies = [body.id for body in managed_bodies(user) if not body_ids or body.id in body_ids]
    query = (db.select(Meeting).filter(Meeting.body_id.in_(bodies), Meeting.starts_at >= (now or utcnow()),
                                       Meeting.status != rules.CANCELLED)
             .options(selectinload(Meeting.items)).order_by(Meeting.starts_at))
    return list(db.session.scalars(query))


# --- settings and commitments ------------------------------------------------------------------

def settings_for(body_id: int) -> MeetingSettings:
    settings = db.session.get(MeetingSettings, body_id)
    if settings is None:
        config = current_app.config
        settings = MeetingSettings(body_id=body_id, documents_days=config["MEETING_DOCUMENTS_DAYS"],
                                   reminder_days=config["MEETING_REMINDER_DAYS"],
                                   standard_items="\n".join(rules.STANDARD_ITEMS))
    return settings


def documents_deadline(meeting: Meeting, settings: MeetingSettings | None = None) -> date:
    settings = settings or settings_for(meeting.body_id)
    return rules.documents_deadline(meeting.starts_at, settings.documents_days)


def commitments_of(body_id: int) -> list[Commitment]:
    return list(db.session.scalars(db.select(Commitment).filter_by(body_id=body_id).order_by(Commitment.id)))


def commitment_progress(body_id: int, year: int, now: datetime | None = None) -> list[rules.Progress]:
    """Each commitment of the body with this year's held and still planned meetings of its kind.

    One query, the counts as subqueries per commitment: each query is a round trip on PostgreSQL."""
    now = now or utcnow()
    begin, end = from_local(date(year, 1, 1), datetime.min.time()), from_local(date(year + 1, 1, 1), datetime.min.time())

    def meetings_counted(*conditions):
        return (db.select(func.count()).where(
            Meeting.body_id == Commitment.body_id, Meeting.kind == Commitment.kind, Meeting.status != rules.CANCELLED,
            Meeting.starts_at >= begin, Meeting.starts_at < end, *conditions).correlate(Commitment).scalar_subquery())

    rows = db.session.execute(
        db.select(Commitment.label, Commitment.times_per_year, meetings_counted(Meeting.starts_at < now),
                  meetings_counted())
        .filter(Commitment.body_id == body_id).order_by(Commitment.id))
    return [rules.Progress(label, target, held, count - held) for label, target, held, count in rows]


# --- creating meetings ---------------------------------------------------------------------------

def create_meetings(body_id: int, days: list[date], fields: dict, publish_at: datetime | None) -> list[Meeting]:
    """One meeting per day, each with the body's standard agenda items. The caller commits
    (`actions.plan_meetings`, the demo)."""
    start, end = fields.pop("start"), fields.pop("end")
    standard = [line.strip() for line in settings_for(body_id).standard_items.splitlines() if line.strip()]
    meetings = []
    for day in days:
        starts_at, ends_at = rules.meeting_times(day, start, end)
        meeting = Meeting(body_id=body_id, starts_at=starts_at, ends_at=ends_at, published_at=publish_at, **fields)
        meeting.items = [AgendaItem(position=n, title=title) for n, title in enumerate(standard)]
        db.session.add(meeting)
        meetings.append(meeting)
    db.session.flush()
    return meetings


def append_item(meeting: Meeting, fields: dict, now: datetime | None = None) -> AgendaItem:
    """An item at the end of the agenda, before "Rondvraag" and "Sluiting" (`rules.new_item_position`),
    not yet committed; marked late once the stukken deadline of a published meeting passed."""
    late = rules.is_late(now or utcnow(), documents_deadline(meeting)) and meeting.published_at is not None
    item = AgendaItem(added_late=late, **fields)
    meeting.items.insert(rules.new_item_position([i.title for i in meeting.items]), item)
    for position, other in enumerate(meeting.items):
        other.position = position
    meeting.sequence += 1
    return item


def keep_item(meeting: Meeting, title: str, description: str) -> AgendaItem:
    """Put an item with this title on the agenda, or bring its text up to date: for an item another
    feature keeps (what was decided between meetings). The caller commits."""
    item = next((item for item in meeting.items if item.title == title), None)
    if item is None:
        return append_item(meeting, {"title": title, "description": description})
    if item.description != description:
        item.description = description
        meeting.sequence += 1
    return item


def append_decision(meeting_id: int, text: str, agenda_item_id: int | None = None) -> Decision:
    """A decision in the meeting's minutes (on an agenda item of it, or none), not yet committed."""
    decision = Decision(meeting_id=meeting_id, text=text, agenda_item_id=agenda_item_id)
    db.session.add(decision)
    return decision


# --- attendance --------------------------------------------------------------------------------

def members_of(body_id: int) -> list[User]:
    query = (db.select(User).join(Membership).filter(Membership.body_id == body_id, User.is_active_member)
             .order_by(User.name))
    return list(db.session.scalars(query))


def attendance_of(meeting: Meeting, user) -> Attendance | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(db.select(Attendance).filter_by(meeting_id=meeting.id, user_id=user.id))


def attendance_list(meeting: Meeting) -> list[tuple[User, Attendance | None]]:
    """Every current member of the body with their answer (two queries, whatever the size)."""
    members = members_of(meeting.body_id)
    answers = {a.user_id: a for a in db.session.scalars(db.select(Attendance).filter_by(meeting_id=meeting.id))}
    return [(member, answers.get(member.id)) for member in members]


def presence_summary(rows: list[tuple[User, Attendance | None]], guests: str = "") -> dict:
    """Who was there, who sent word they could not come, who stayed away without word (once the
    presence list is kept), and the guests: what the minutes list."""
    return {"present": [user for user, a in rows if a and a.present],
            "with_notice": [(user, a) for user, a in rows if a and not a.present and a.answer == rules.NO],
            "absent": [user for user, a in rows if a and a.present is False and a.answer != rules.NO],
            "guests": rules.guest_names(guests)}


def previous_minutes(meeting: Meeting) -> Meeting | None:
    """The body's last meeting before this one that has minutes: what "vaststellen verslag" is about."""
    return db.session.scalar(db.select(Meeting).join(Minutes, Minutes.meeting_id == Meeting.id).filter(
        Meeting.body_id == meeting.body_id, Meeting.starts_at < meeting.starts_at, Meeting.status != rules.CANCELLED)
        .order_by(Meeting.starts_at.desc()).limit(1))


def previous_minutes_links(user, meeting: Meeting) -> dict[int, Meeting]:
    """Agenda item id -> the previous meeting whose minutes that item is about, for a member who may
    read them (a draft is the secretary's until shared); empty for everyone else."""
    items = [item.id for item in meeting.items if rules.refers_to_previous_minutes(item.title)]
    previous = previous_minutes(meeting) if items and is_member(user, meeting) else None
    if previous is None or (minutes_of(previous).status == rules.DRAFT and not can_manage(user, meeting.body_id)):
        return {}
    return dict.fromkeys(items, previous)


def minutes_draft(meeting: Meeting) -> str:
    """The first text of the minutes: the attendance, then each agenda item as a heading with the
    decisions and action items taken on it. Names only: a member's message stays out, as it is purged."""
    presence = presence_summary(attendance_list(meeting), meeting.guests)
    names = {
        _("Aanwezig"): [user.name for user in presence["present"]],
        _("Afwezig met bericht"): [user.name for user, _answer in presence["with_notice"]],
        _("Afwezig"): [user.name for user in presence["absent"]],
        _("Gasten"): presence["guests"],
    }
    parts = [f"## {heading}\n\n{', '.join(people) or '-'}" for heading, people in names.items()]
    previous = previous_minutes(meeting)
    decisions, actions = decisions_of(meeting), _action_items_of(meeting)
    for number, item in enumerate(meeting.items, start=1):
        lines = [f"## {number}. {item.title}"]
        if previous is not None and rules.refers_to_previous_minutes(item.title):
            lines.append(f"[{_('Verslag van %(date)s', date=date_long(previous.starts_at))}]"
                         f"({url_for('meetings.minutes', meeting_id=previous.id)})")
        bullets = [f"- {_('Besluit')}: {d.text}" for d in decisions if d.agenda_item_id == item.id]
        bullets += [f"- {_('Actiepunt')}: {a.description}" + (f" ({a.owner.name})" if a.owner else "")
                    for a in actions if a.agenda_item_id == item.id]
        parts.append("\n\n".join(lines + (["\n".join(bullets)] if bullets else [])))
    return "\n\n".join(parts) + "\n"


def _action_items_of(meeting: Meeting) -> list[ActionItem]:
    return list(db.session.scalars(db.select(ActionItem).filter_by(meeting_id=meeting.id)
                                   .options(selectinload(ActionItem.owner)).order_by(ActionItem.id)))


# --- minutes, decisions, action items ----------------------------------------------------------

def minutes_of(meeting: Meeting) -> Minutes:
    return db.session.get(Minutes, meeting.id) or Minutes(meeting_id=meeting.id, text="", status=rules.DRAFT, version=0)


def corrections_of(meeting: Meeting) -> list[MinutesCorrection]:
    return list(db.session.scalars(db.select(MinutesCorrection).filter_by(meeting_id=meeting.id)
                                   .options(selectinload(MinutesCorrection.author)).order_by(MinutesCorrection.id)))


def can_propose_correction(user, meeting: Meeting, minutes: Minutes) -> bool:
    return minutes.status == rules.SHARED and is_member(user, meeting)


def decisions_of(meeting: Meeting) -> list[Decision]:
    return list(db.session.scalars(db.select(Decision).filter_by(meeting_id=meeting.id).order_by(Decision.id)))


def open_action_items(body_id: int, n: int = 10) -> Page:
    """The body's open action items, the first due first: the first n, with their owners and agenda
    items, and how many."""
    return first_rows(_open_action_items(body_id).options(selectinload(ActionItem.owner),
                                                          selectinload(ActionItem.agenda_item)), n)


def own_open_action_items(user, n: int = 5) -> Page:
    """The member's own open action items in their bodies: the first n and how many."""
    return first_rows(_open_action_items(*user.body_ids).filter(ActionItem.owner_id == user.id), n)


def _open_action_items(*body_ids: int):
    return (db.select(ActionItem).filter(ActionItem.body_id.in_(body_ids), ActionItem.done_at.is_(None))
            .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id))


def action_items_query(body_ids, show_done: bool):
    query = (db.select(ActionItem).filter(ActionItem.body_id.in_(list(body_ids)))
             .options(selectinload(ActionItem.owner), selectinload(ActionItem.body)))
    if not show_done:
        query = query.filter(ActionItem.done_at.is_(None))
    return query.order_by(ActionItem.done_at.is_not(None), ActionItem.due_on.is_(None), ActionItem.due_on,
                          ActionItem.id)


def overdue_action_items(owner_id: int, today: date) -> list[ActionItem]:
    """This member's open action items whose date has passed."""
    return list(db.session.scalars(db.select(ActionItem).filter(
        ActionItem.owner_id == owner_id, ActionItem.done_at.is_(None), ActionItem.due_on < today)
        .order_by(ActionItem.due_on)))


def open_corrections(body_ids) -> list[tuple[MinutesCorrection, Meeting]]:
    """Corrections still waiting for the secretary, in the meetings of these bodies."""
    if not body_ids:
        return []
    query = (db.select(MinutesCorrection, Meeting).join(Meeting, Meeting.id == MinutesCorrection.meeting_id)
             .filter(Meeting.body_id.in_(list(body_ids)), MinutesCorrection.status == rules.OPEN)
             .order_by(Meeting.starts_at, MinutesCorrection.id))
    return [(correction, meeting) for correction, meeting in db.session.execute(query)]


def action_items_due_on(day: date) -> list[ActionItem]:
    """Open action items with an owner whose date is this day."""
    return list(db.session.scalars(db.select(ActionItem).filter(
        ActionItem.due_on == day, ActionItem.done_at.is_(None), ActionItem.owner_id.is_not(None))
        .options(selectinload(ActionItem.owner), selectinload(ActionItem.body))))


def can_tick(user, item: ActionItem) -> bool:
    return item.owner_id == user.id or can_manage(user, item.body_id)


# --- jobs -----------------------------------------------------------------------------------

def due_for_reminder(now: datetime) -> list[Meeting]:
    """Published, planned meetings within their body's reminder window that had no reminder yet."""
    horizon = now + timedelta(days=31)
    candidates = db.session.scalars(
        db.select(Meeting).filter(Meeting.status == rules.PLANNED, Meeting.reminder_sent_at.is_(None),
                                  Meeting.published_at.is_not(None), Meeting.published_at <= now,
                                  Meeting.starts_at > now, Meeting.starts_at <= horizon)).all()
    return [m for m in candidates if m.starts_at - now <= timedelta(days=settings_for(m.body_id).reminder_days)]


def claim_reminder(meeting: Meeting, now: datetime) -> bool:
    """Mark the reminder as sent, atomically: of two jobs running at once only one gets True. The
    caller commits the claim together with the reminder mails (the UPDATE holds the row till then)."""
    result = db.session.execute(db.update(Meeting).where(Meeting.id == meeting.id, Meeting.reminder_sent_at.is_(None))
                                .values(reminder_sent_at=now))
    return result.rowcount == 1


# --- privacy -----------------------------------------------------------------------------------

PROCESSING = Processing(
    name=_l("Vergaderingen"),
    purpose=_l("Vergaderingen voorbereiden, laten weten wie er komt, verslagen en actiepunten bijhouden."),
    people=_l("Leden van de organen, en gasten bij een vergadering"),
    data=_l("Naam, of iemand komt en een kort bericht daarbij, aanwezigheid, correcties op het verslag, "
            "actiepunten met naam. Een geheim adres voor de eigen agenda. Van gasten: alleen de naam."),
    recipients=_l("De leden van hetzelfde orgaan. Openbare vergaderingen: alleen datum, plaats en agenda."),
    retention=lambda config: _lm("Berichten bij een afmelding: %(days)s dagen na de vergadering. Aanwezigheid, "
                                 "verslagen en besluiten horen bij het archief van het orgaan.",
                                 days=config["MEETING_MESSAGE_RETENTION_DAYS"]),
)


def purge_attendance_messages(now: datetime, dry_run: bool) -> int:
    """A message like "ik ben ziek" may be about someone's health: it goes a while after the meeting."""
    cutoff = now - timedelta(days=current_app.config["MEETING_MESSAGE_RETENTION_DAYS"])
    due = (db.select(Attendance.id).join(Meeting, Meeting.id == Attendance.meeting_id)
           .filter(Meeting.starts_at < cutoff, Attendance.message != ""))
    ids = list(db.session.scalars(due))
    if not dry_run and ids:
        db.session.execute(db.update(Attendance).where(Attendance.id.in_(ids)).values(message=""))
    return len(ids)
