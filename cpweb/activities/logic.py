"""What activities do: who sees them, sign-ups with a waiting list, guests, proposals, mails.

Each thing a person does is one function here that takes plain values (ids, the person acting,
what the form said), decides, writes, puts its mails in the outbox and commits: add_activity,
change_activity, cancel_activity, review, save_report, sign_up, withdraw, guest_sign_up,
confirm_guest, withdraw_guest; and papers.attach. The views load, check access, call one, answer.
"""
import re
from datetime import date, datetime, time, timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_
from sqlalchemy.orm import defer, selectinload

from ..auth.roles import SECRETARY
from ..bodies.logic import active_bodies, secretaries_of
from ..calendar.ical import calendar_file
from ..calendar.sources import CalendarEvent
from ..core.database import Page, first_rows, utcnow
from ..core.extensions import db
from ..core.guards import check
from ..core.i18n import datetime_long, from_local
from ..core.i18n import lazy_gettext_markup as _lm
from ..core.privacy import Processing
from ..mail import chosen_kinds, send_mail, will_get, with_note
from ..web.urls import site_url
from . import rules
from .models import Activity, Signup, activity_bodies

UPDATES = "updates"  # the mail kind for a cancelled or changed activity
UPCOMING_DAYS = timedelta(days=92)  # "Mijn activiteiten" on the home page: the coming three months

# --- who may see and do what --------------------------------------------------------------------


def can_manage(user) -> bool:
    """Secretaries and admins publish, change and cancel activities."""
    return user.is_authenticated and user.has_role(SECRETARY)


def visible_filter(user):
    """Published activities this visitor may see (managers also see proposals and cancelled ones)."""
    if can_manage(user):
        return Activity.status != rules.DECLINED
    shown = Activity.status.in_([rules.PUBLISHED, rules.CANCELLED])
    if not user.is_authenticated:
        return and_(shown, Activity.audience == rules.EVERYONE)
    in_my_bodies = Activity.id.in_(db.select(activity_bodies.c.activity_id)
                                   .where(activity_bodies.c.body_id.in_(list(user.body_ids))))
    return and_(shown, or_(Activity.audience.in_([rules.EVERYONE, rules.MEMBERS]), in_my_bodies))


def findable_filter(user):
    """The activities whose page opens for this person, as a WHERE clause for the search: those
    listed (visible_filter) and their own proposals, also before a secretary has decided."""
    if not user.is_authenticated:
        return visible_filter(user)
    return or_(visible_filter(user), Activity.proposed_by_id == user.id)


def can_see(user, activity: Activity) -> bool:
    if can_manage(user) or (user.is_authenticated and activity.proposed_by_id == user.id):
        return True
    if activity.status not in (rules.PUBLISHED, rules.CANCELLED):
        return False
    if activity.audience == rules.EVERYONE:
        return True
    if not user.is_authenticated:
        return False
    return activity.audience == rules.MEMBERS or bool({b.id for b in activity.bodies} & user.body_ids)


def activities_query(user, *, archive: bool, kind=None, scope=None, organiser=None, month: date | None = None,
                     now: datetime | None = None):
    now = now or utcnow()
    query = db.select(Activity).filter(visible_filter(user))
    for column, value in ((Activity.kind, kind), (Activity.scope, scope), (Activity.organiser, organiser)):
        if value:
            query = query.filter(column == value)
    if month:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        query = query.filter(overlapping(from_local(month, time()), from_local(following, time())))
    if archive:
        # Those that ended also started before now: the index is walked back from there.
        return query.filter(Activity.ends_at < now, Activity.starts_at < now).order_by(Activity.starts_at.desc())
    return query.filter(overlapping(now, None)).order_by(Activity.starts_at)


def overlapping(start: datetime, end: datetime | None):
    """Activities that touch [start, end). The bound on the start (no activity lasts longer than
    MAX_DAYS) lets the database walk the start-time index instead of every row."""
    conditions = [Activity.ends_at > start, Activity.starts_at > start - timedelta(days=rules.MAX_DAYS)]
    if end is not None:
        conditions.append(Activity.starts_at < end)
    return and_(*conditions)


def taken_counts(activity_ids) -> dict[int, int]:
    """Confirmed places per activity, for a whole page in one query."""
    rows = db.session.execute(db.select(Signup.activity_id, func.count()).filter(
        Signup.activity_id.in_(list(activity_ids)), Signup.status == rules.CONFIRMED).group_by(Signup.activity_id))
    return dict(rows.all())


def my_signups(user, activity_ids) -> dict[int, Signup]:
    if not user.is_authenticated:
        return {}
    query = db.select(Signup).filter(Signup.user_id == user.id, Signup.activity_id.in_(list(activity_ids)),
                                     Signup.status != rules.WITHDRAWN)
    return {s.activity_id: s for s in db.session.scalars(query)}


# --- creating and changing ------------------------------------------------------------------------

def save_activity(activity: Activity | None, fields: dict, bodies, proposer=None) -> Activity:
    """Create or change an activity. A proposal by a member waits for a secretary. The caller
    commits (add_activity, change_activity, the demo)."""
    day, start, end_day, end = fields.pop("day"), fields.pop("start"), fields.pop("end_day"), fields.pop("end")
    deadline = fields.pop("signup_deadline")
    if activity is None:
        activity = Activity(status=rules.PUBLISHED if proposer is None else rules.PROPOSED,
                            proposed_by_id=proposer.id if proposer else None)
        db.session.add(activity)
    else:
        activity.sequence += 1
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.starts_at = from_local(day, start)
    activity.ends_at = from_local(end_day or day, end)
    activity.signup_deadline = from_local(deadline, time(23, 59)) if deadline else None
    activity.bodies = list(bodies) if activity.audience == rules.BODIES else []
    db.session.flush()  # a new activity gets its id, for the page the view sends the secretary to
    return activity


def _activity(activity_id: int) -> Activity:
    # The view loaded it to check access: the session hands back that same object, without a query.
    return db.session.get(Activity, activity_id)


def _bodies(body_ids) -> list:
    return [body for body in active_bodies() if body.id in set(body_ids or ())]


def add_activity(fields: dict, body_ids, user) -> Activity:
    """A secretary's activity is in the agenda at once; another member's is a proposal a secretary reviews."""
    proposer = None if can_manage(user) else user
    activity = save_activity(None, fields, _bodies(body_ids), proposer=proposer)
    if proposer is not None:
        _tell_secretaries(activity, proposer.name)
    db.session.commit()
    return activity


def _tell_secretaries(activity: Activity, proposer_name: str) -> None:
    """The secretaries of the activity's bodies (of all bodies, for one open to everyone) review a proposal."""
    body = _("%(name)s stelt een activiteit voor: %(title)s, %(when)s.\n\nBekijk het voorstel en zet het in de "
             "agenda, of wijs het af: %(url)s", name=proposer_name, title=activity.title,
             when=datetime_long(activity.starts_at), url=site_url("activities.show", activity_id=activity.id))
    for secretary in secretaries_of([b.id for b in activity.bodies]):
        send_mail(secretary, _("Voorstel voor een activiteit: %(title)s", title=activity.title), body,
                  kind="activity_proposals")


def change_activity(activity_id: int, fields: dict, body_ids) -> Activity:
    """Save the changes; whoever signed up hears of a new time or place."""
    activity = _activity(activity_id)
    before = (activity.starts_at, activity.ends_at, activity.location)
    save_activity(activity, fields, _bodies(body_ids))
    if before != (activity.starts_at, activity.ends_at, activity.location):
        _tell_participants(activity)
    db.session.commit()
    return activity


def cancel_activity(activity_id: int, note: str = "") -> Activity:
    """It stays in the list as cancelled, and whoever signed up hears of it, with the secretary's
    `note`. Refused once cancelled or over."""
    activity = _activity(activity_id)
    check(rules.why_no_cancelling(activity.status, activity.ends_at, utcnow()))
    activity.status = rules.CANCELLED
    activity.sequence += 1
    _tell_participants(activity, note)
    db.session.commit()
    return activity


class AlreadyReviewed(Exception):
    """The proposal was already published or declined."""


def review(activity_id: int, publish: bool, reason: str = "") -> Activity:
    """Publish a member's proposal, or decline it with a reason the proposer reads."""
    activity = _activity(activity_id)
    if activity.status != rules.PROPOSED:
        raise AlreadyReviewed()
    activity.status = rules.PUBLISHED if publish else rules.DECLINED
    activity.decline_reason = "" if publish else reason
    db.session.commit()
    return activity


def save_report(activity_id: int, text: str) -> Activity:
    """After the activity: a short report, for members who were not there."""
    activity = _activity(activity_id)
    activity.report = text
    db.session.commit()
    return activity


def digest_lines(user, today) -> list[str]:
    """For the weekly overview of a secretary who switched the single mails off: the proposals waiting."""
    if not can_manage(user) or "activity_proposals" in chosen_kinds(user):
        return []
    return [_("- Voorstel voor een activiteit: %(title)s, %(when)s %(url)s", title=activity.title,
              when=datetime_long(activity.starts_at), url=site_url("activities.show", activity_id=activity.id))
            for activity in proposals()]


def proposals() -> list[Activity]:
    return list(db.session.scalars(db.select(Activity).filter_by(status=rules.PROPOSED)
                                   .options(selectinload(Activity.proposed_by)).order_by(Activity.starts_at)))


def proposals_of(user) -> list[Activity]:
    return list(db.session.scalars(db.select(Activity).filter(
        Activity.proposed_by_id == user.id, Activity.status.in_([rules.PROPOSED, rules.DECLINED]))
        .order_by(Activity.created_at.desc())))


# --- sign-ups -------------------------------------------------------------------------------------

class SignupRefused(Exception):
    """Said to the person in Dutch: closed, cancelled, or not for them."""


def _lock(activity: Activity) -> None:
    """Start the write first, so a second sign-up at the same moment waits for this one to commit.

    On SQLite the UPDATE takes the database's write lock; on PostgreSQL it locks the row. The
    commit before it only ends the reading done so far (nothing is written yet), so that the
    lock is taken at the start of a transaction of its own.
    """
    db.session.commit()
    db.session.execute(db.update(Activity).where(Activity.id == activity.id)
                       .values(signup_version=Activity.signup_version + 1))


def _taken(activity: Activity) -> int:
    return db.session.scalar(db.select(func.count()).select_from(Signup).filter(
        Signup.activity_id == activity.id, Signup.status == rules.CONFIRMED))


def check_open(activity: Activity, now: datetime | None = None) -> None:
    reason = rules.why_no_signup(activity.status, activity.signup_deadline, activity.starts_at, now or utcnow())
    if reason:
        raise SignupRefused(str(reason))


def sign_up(activity_id: int, user) -> Signup:
    """A place, or a place on the waiting list, and a mail that says which. Signing up twice
    changes nothing (but mails again). SignupRefused when closed or cancelled."""
    activity = _activity(activity_id)
    check_open(activity)
    _lock(activity)
    signup = db.session.scalar(db.select(Signup).filter_by(activity_id=activity.id, user_id=user.id))
    if signup is None or signup.status == rules.WITHDRAWN:
        signup = signup or Signup(activity_id=activity.id, user_id=user.id)
        signup.status = rules.new_place_status(activity.capacity, _taken(activity))
        signup.created_at = utcnow()  # a returning member joins the back of the queue
        db.session.add(signup)
        db.session.flush()  # the mail reads the member and the activity through it
    _mail_signup(signup, _("Aangemeld: %(title)s", title=activity.title), _confirmation_text(signup),
                 with_ics=signup.status == rules.CONFIRMED)
    db.session.commit()
    return signup


def withdraw(activity_id: int, user) -> Signup | None:
    """A member gives up their place or their place in the queue (if they have one)."""
    activity = _activity(activity_id)
    signup = my_signup(activity, user)
    return _withdraw(activity, signup) if signup is not None else None


def withdraw_guest(signup_id: int) -> Signup | None:
    """A guest cancels with the link from their confirmation; a second time changes nothing."""
    signup = db.session.get(Signup, signup_id)
    return _withdraw(signup.activity, signup) if signup.status != rules.WITHDRAWN else None


def _withdraw(activity: Activity, signup: Signup) -> Signup | None:
    """Give up a place or a place in the queue; the first in the queue moves up. Returns who moved up."""
    _lock(activity)
    had_place = signup.status == rules.CONFIRMED
    signup.status = rules.WITHDRAWN
    promoted = None
    if had_place:
        promoted = db.session.scalar(db.select(Signup).filter_by(activity_id=activity.id, status=rules.WAITING)
                                     .order_by(Signup.created_at, Signup.id).limit(1))
        if promoted is not None:
            promoted.status = rules.CONFIRMED
            _mail_signup(promoted, _("U heeft een plaats: %(title)s", title=activity.title),
                         _("Er is een plaats vrijgekomen. U staat nu aangemeld voor ‘%(title)s’ op %(when)s.",
                           title=activity.title, when=datetime_long(activity.starts_at)), with_ics=True)
    db.session.commit()
    return promoted


def my_signup(activity: Activity, user) -> Signup | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(db.select(Signup).filter(Signup.activity_id == activity.id, Signup.user_id == user.id,
                                                      Signup.status != rules.WITHDRAWN))


def guest_sign_up(activity_id: int, name: str, email: str) -> Signup:
    """A guest's sign-up (for an activity open to everyone) holds no place until they follow the
    link in the e-mail. SignupRefused when closed or cancelled."""
    activity = _activity(activity_id)
    check_open(activity)
    signup = db.session.scalar(db.select(Signup).filter_by(activity_id=activity.id, guest_email=email))
    if signup is None:
        signup = Signup(activity_id=activity.id, guest_name=name, guest_email=email, status=rules.UNCONFIRMED)
        db.session.add(signup)
    elif signup.status in (rules.WITHDRAWN, rules.UNCONFIRMED):  # again, or the first link expired
        signup.status, signup.guest_name, signup.created_at = rules.UNCONFIRMED, name, utcnow()
    if signup.status == rules.UNCONFIRMED:
        db.session.flush()  # the link needs the token
        link = site_url("activities.guest_confirm", token=signup.token)
        send_mail(email, _("Bevestig uw aanmelding: %(title)s", title=activity.title),
                  _("U meldde zich aan voor ‘%(title)s’ op %(when)s.\n\nBevestig uw aanmelding binnen 24 uur met "
                    "deze link: %(link)s\n\nHeeft u zich niet aangemeld? Dan hoeft u niets te doen.",
                    title=activity.title, when=datetime_long(activity.starts_at), link=link),
                  reply_to=_contact_address(activity))
    db.session.commit()
    return signup


def guest_signup_by_token(token: str) -> Signup | None:
    """The guest's sign-up a link points to; a member's sign-up has no link."""
    signup = db.session.scalar(db.select(Signup).filter_by(token=token).options(selectinload(Signup.activity))) \
        if len(token) <= 64 else None
    return signup if signup is not None and signup.user_id is None else None


def confirm_guest(signup_id: int, now: datetime | None = None) -> Signup:
    """The click behind the link in a guest's mail: now a place (or the waiting list). SignupRefused
    when the link is older than a day or the activity closed."""
    now = now or utcnow()
    signup = db.session.get(Signup, signup_id)
    if signup.status != rules.UNCONFIRMED:
        return signup
    if now - signup.created_at > timedelta(hours=24):
        raise SignupRefused(_("Deze link is verlopen. Meld u opnieuw aan."))
    activity = signup.activity
    check_open(activity, now)
    _lock(activity)
    signup.status = rules.new_place_status(activity.capacity, _taken(activity))
    signup.created_at = now
    _mail_signup(signup, _("Aangemeld: %(title)s", title=activity.title), _confirmation_text(signup), with_ics=True)
    db.session.commit()
    return signup


def _practical_lines(activity: Activity) -> str:
    """When it starts and ends and where: what someone needs to get there without opening the site."""
    lines = [_("Wanneer: %(period)s", period=activity.period)]
    if activity.location:
        lines.append(_("Waar: %(address)s", address=activity.location))
    if activity.online_url:
        lines.append(_("Online: %(url)s", url=activity.online_url))
    lines.append(_("Meer over de activiteit: %(url)s", url=site_url("activities.show", activity_id=activity.id)))
    return "\n".join(lines)


def _confirmation_text(signup: Signup) -> str:
    activity = signup.activity
    text = (_("U staat aangemeld voor ‘%(title)s’.", title=activity.title) if signup.status == rules.CONFIRMED
            else _("De activiteit ‘%(title)s’ is vol. U staat op de wachtlijst. Komt er een plaats vrij? "
                   "Dan krijgt u een e-mail.", title=activity.title))
    text += "\n\n" + _practical_lines(activity)
    if signup.user_id is None:
        text += "\n\n" + _("Kunt u toch niet? Meld u af met deze link: %(link)s",
                           link=site_url("activities.guest_withdraw", token=signup.token))
    return text


def _mail_signup(signup: Signup, subject: str, body: str, with_ics: bool = False, kind: str | None = None) -> None:
    attachments = [(f"activiteit-{signup.activity_id}.ics", "text/calendar", activity_ics(signup.activity))] \
        if with_ics else ()
    send_mail(signup.user or signup.guest_email, subject, body, kind=kind, attachments=attachments,
              reply_to=_contact_address(signup.activity))


def _contact_address(activity: Activity) -> str | None:
    """The activity's contact, when it is an e-mail address: replies go there."""
    contact = activity.contact.strip()
    return contact if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", contact) else None


def participants(activity: Activity) -> list[Signup]:
    return list(db.session.scalars(db.select(Signup).filter(
        Signup.activity_id == activity.id, Signup.status.in_([rules.CONFIRMED, rules.WAITING]))
        .options(selectinload(Signup.user)).order_by(Signup.status, Signup.created_at, Signup.id)))


def change_recipients(activity: Activity) -> list[Signup]:
    """Who hears that the activity is cancelled or changed: those signed up (or waiting) who did
    not switch these mails off."""
    return [signup for signup in participants(activity) if will_get(signup.user or signup.guest_email, UPDATES)]


def _tell_participants(activity: Activity, note: str = "") -> int:
    """A changed or cancelled activity: everyone with a place or in the queue hears of it."""
    if activity.is_cancelled:
        subject = _("Afgelast: %(title)s", title=activity.title)
        body = _("De activiteit ‘%(title)s’ van %(when)s gaat niet door.", title=activity.title,
                 when=datetime_long(activity.starts_at))
    else:
        subject = _("Gewijzigd: %(title)s", title=activity.title)
        body = _("De activiteit ‘%(title)s’ is verplaatst of heeft een andere plek. Nieuw: %(when)s, %(where)s.\n\n%(url)s",
                 title=activity.title, when=datetime_long(activity.starts_at), where=activity.location or "-",
                 url=site_url("activities.show", activity_id=activity.id))
    signups = change_recipients(activity)
    for signup in signups:
        _mail_signup(signup, subject, with_note(body, note), with_ics=True, kind=UPDATES)
    return len(signups)


def upcoming_for(user, n: int = 5) -> Page:
    """"Mijn activiteiten": the first n (activity, sign-up) of the coming UPCOMING_DAYS the member
    signed up for, and how many. The window keeps the cost that of the region's next months, for a
    member with five sign-ups and for one with five thousand alike."""
    now = utcnow()
    return first_rows(db.select(Activity, Signup).join(Signup, Signup.activity_id == Activity.id).filter(
        Signup.user_id == user.id, Signup.status.in_([rules.CONFIRMED, rules.WAITING]),
        overlapping(now, now + UPCOMING_DAYS), Activity.status == rules.PUBLISHED)
        .order_by(Activity.starts_at, Activity.id), n)


# --- calendar -------------------------------------------------------------------------------------

def activity_event(activity: Activity) -> CalendarEvent:
    return CalendarEvent(
        uid=f"activity-{activity.id}", title=activity.title, starts_at=activity.starts_at, ends_at=activity.ends_at,
        url=url_for("activities.show", activity_id=activity.id), kind="activity", kind_label=activity.kind_label,
        body_name=activity.organiser_label,
        location=" · ".join(part for part in (activity.location, activity.online_url) if part),
        cancelled=activity.is_cancelled, sequence=activity.sequence, changed_at=activity.updated_at,
        public=activity.is_public)


def activities_in_calendar(user, start: datetime, end: datetime, body_id: int | None,
                           first: int | None = None) -> list[CalendarEvent]:
    if body_id:  # activities are the region's, not one body's
        return []
    query = (db.select(Activity).filter(visible_filter(user), Activity.status != rules.PROPOSED, overlapping(start, end))
             .options(defer(Activity.description), defer(Activity.report))  # long texts a calendar never shows
             .order_by(Activity.starts_at, Activity.id).limit(first))
    return [activity_event(a) for a in db.session.scalars(query)]


def activity_ics(activity: Activity) -> bytes:
    return calendar_file([activity_event(activity)], _("Activiteit"))


# --- reminders, privacy ---------------------------------------------------------------------------

def send_reminders(now: datetime | None = None) -> int:
    """One reminder a day before, to everyone with a place; claimed first so two runs never both send."""
    now = now or utcnow()
    due = db.session.scalars(db.select(Activity).filter(
        Activity.status == rules.PUBLISHED, Activity.reminder_sent_at.is_(None),
        Activity.starts_at > now, Activity.starts_at <= now + timedelta(days=1))).all()
    sent = 0
    for activity in due:
        # The claim holds the row until the commit, which saves it together with the reminders.
        claimed = db.session.execute(db.update(Activity).where(Activity.id == activity.id,
                                                               Activity.reminder_sent_at.is_(None))
                                     .values(reminder_sent_at=now)).rowcount
        for signup in participants(activity) if claimed else ():
            if signup.status == rules.CONFIRMED:
                _mail_signup(signup, _("Herinnering: %(title)s", title=activity.title),
                             _("Morgen is ‘%(title)s’: %(when)s, %(where)s.", title=activity.title,
                               when=datetime_long(activity.starts_at), where=activity.location or activity.online_url),
                             kind="reminders")
                sent += 1
        db.session.commit()
    return sent


PROCESSING = Processing(
    name=_l("Aanmeldingen voor activiteiten"),
    purpose=_l("Weten wie er komt, de wachtlijst bijhouden en deelnemers op de hoogte houden."),
    people=_l("Leden, en gasten die zich aanmelden voor een openbare activiteit"),
    data=_l("Van leden: wie zich aanmeldde. Van gasten: naam en e-mailadres."),
    recipients=_l("Secretarissen en beheerders, en de organisator (lijst van deelnemers)."),
    retention=lambda config: _lm("Gegevens van gasten: %(days)s dagen na de activiteit. Niet bevestigde "
                                 "aanmeldingen: na 24 uur.", days=config["ACTIVITY_GUEST_RETENTION_DAYS"]),
)


def purge_guests(now: datetime, dry_run: bool) -> int:
    """Guests' names and e-mail addresses go a month after the activity; unconfirmed ones after a day."""
    cutoff = now - timedelta(days=current_app.config["ACTIVITY_GUEST_RETENTION_DAYS"])
    past = db.select(Activity.id).filter(Activity.ends_at < cutoff)
    due = db.select(Signup.id).filter(Signup.user_id.is_(None), or_(
        Signup.activity_id.in_(past),
        and_(Signup.status == rules.UNCONFIRMED, Signup.created_at < now - timedelta(hours=24))))
    ids = list(db.session.scalars(due))
    if not dry_run and ids:
        db.session.execute(db.delete(Signup).where(Signup.id.in_(ids)))
    return len(ids)
