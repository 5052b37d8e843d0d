"""Storing, triaging and counting signals."""
import calendar
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..auth.roles import ADMIN, SECRETARY
from ..bodies.logic import signal_receiving_body_ids
from ..bodies.models import Membership, Organisation
from ..core.audit import record
from ..core.database import COUNT_LIMIT, count_up_to, utcnow
from ..core.extensions import db
from ..core.i18n import AMSTERDAM, date_long
from ..core.i18n import lazy_gettext_markup as _lm
from ..core.privacy import Processing
from ..mail import send_mail
from ..meetings import logic as meetings
from ..meetings.models import AgendaItem, Meeting
from ..web import categories as shared_categories
from ..web.urls import site_url
from . import rules, tally
from .models import Signal, SignalAgendaItem, SignalCategory, SignalEvent

# --- subjects ---------------------------------------------------------------------------------

def seed_categories() -> None:
    """A new site starts with the usual subjects."""
    if db.session.scalar(db.select(SignalCategory.id).limit(1)) is None:
        for position, (key, label) in enumerate(rules.DEFAULT_CATEGORIES.items()):
            db.session.add(SignalCategory(key=key, label=label, position=position))


def categories(active_only: bool = True) -> list[SignalCategory]:
    return shared_categories.categories(SignalCategory, active_only)


# --- the public form's spam defences -------------------------------------------------------

def _form_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="cpweb-signal-form")


def new_form_token() -> str:
    """A signed, timestamped nonce: when the visitor first opened the form."""
    return _form_serializer().dumps(secrets.token_hex(16))


def read_form_token(token: str | None) -> tuple[str | None, float | None]:
    """(nonce, seconds since the form was first opened), or (None, None) for a missing or forged token."""
    try:
        nonce, signed_at = _form_serializer().loads(token or "", return_timestamp=True)
    except (BadSignature, TypeError, ValueError):
        return None, None
    return nonce, (utcnow() - signed_at).total_seconds()


def kept_form_token(token: str | None) -> str:
    """The token to carry back on a form shown again with a mistake: the same one, so the time to
    fill it in counts from when the visitor first opened it; a missing or forged one starts now."""
    return token if read_form_token(token)[0] is not None else new_form_token()


def spam_reason(honeypot: str | None, seconds: float | None) -> str | None:
    """Why a submission looks automated; such signals are kept but marked for a person to check.
    Without a valid token the form counts as opened just now: too fast, unless no minimum is set."""
    if honeypot:
        return "honeypot"
    if (seconds or 0) < current_app.config["SIGNAL_MIN_FILL_SECONDS"]:
        return "too_fast"
    return None


# --- storing --------------------------------------------------------------------------------

def find_by_submission(key: str | None) -> Signal | None:
    return db.session.scalar(db.select(Signal).filter_by(submission_key=key)) if key else None


def _next_reference(year: int) -> str:
    prefix = f"S-{year}-"
    last = db.session.scalar(db.select(func.max(Signal.reference)).filter(Signal.reference.like(prefix + "%")))
    return rules.format_reference(year, int(last.rsplit("-", 1)[1]) + 1 if last else 1)


def store_signal(fields: dict, submission_key: str | None = None, notify: bool = False) -> Signal:
    """Add a new signal with the next reference of the year. With `notify`, the mails to the
    secretaries and the visitor go with it; for suspected spam only the secretaries', and only when
    the visitor asked for contact (see told_despite_spam). The caller commits.

    Two visitors may take the same number at the same moment; the unique reference makes the
    second one retry. A repeated submission key (a double click) returns the first signal.
    """
    for _attempt in range(5):
        signal = Signal(reference=_next_reference(utcnow().astimezone(AMSTERDAM).year),
                        submission_key=submission_key, **fields)
        signal.follow_token = new_follow_token(signal)
        db.session.add(signal)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            if (existing := find_by_submission(submission_key)) is not None:
                return existing
            continue
        if notify and not signal.suspected_spam:
            notify_secretaries(signal)
            confirm_to_visitor(signal)
        elif notify and told_despite_spam(signal):
            notify_secretaries(signal)
        return signal
    raise RuntimeError("no free signal reference")


def contact_fields(values: dict) -> dict:
    """Contact details only with consent (the form refuses them without)."""
    if not values.get("consent"):
        return {}
    return {"contact_name": values.get("contact_name") or None, "contact_email": values.get("contact_email") or None,
            "contact_phone": values.get("contact_phone") or None, "consent_at": utcnow(),
            "consent_version": rules.CONSENT_VERSION}


def signal_fields(values: dict) -> dict:
    municipality = values["municipality"]
    return {
        "category": values["category"], "sentiment": values["sentiment"],
        "municipality_id": None if municipality == rules.UNKNOWN_MUNICIPALITY else int(municipality),
        "organisation_kind": values["organisation_kind"], "description": values["description"],
        "happened_on": values.get("happened_on"), **contact_fields(values),
    }


def can_triage(user) -> bool:
    """Who reads signals (the list, a signal's text and history, the counts): admins, and the
    members of the receiving body; without one, the secretaries."""
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    receiving = signal_receiving_body_ids()
    return bool(user.body_ids & receiving) if receiving else user.has_role(SECRETARY)


def can_manage_signals(user) -> bool:
    """Who changes status and assignment, erases contact details and keeps the form's subjects:
    the secretaries among those who read signals, and admins."""
    return can_triage(user) and user.has_role(SECRETARY)


def can_handle(user, signal: Signal) -> bool:
    """Who sees the visitor's contact details, changes the status and adds notes: those who manage
    signals, and the member the signal is assigned to (while they read signals)."""
    if can_manage_signals(user):
        return True
    return user.is_authenticated and signal.assignee_id == user.id and can_triage(user)


def _readers():
    """The members who read signals, as a condition on User (the rule of can_triage)."""
    if receiving := signal_receiving_body_ids():
        return or_(User.role == ADMIN, User.memberships.any(Membership.body_id.in_(receiving)))
    return User.role.in_((SECRETARY, ADMIN))


def secretaries() -> list[User]:
    """Who hears of new signals: the receiving body's secretaries (or all of them), and admins."""
    return list(db.session.scalars(db.select(User).filter(
        User.role.in_((SECRETARY, ADMIN)), User.is_active_member, _readers())))


def told_despite_spam(signal: Signal) -> bool:
    """A suspected-spam signal whose sender asked for contact: the secretaries hear of it at once,
    marked as possible spam, so a real visitor is not left waiting for a call that never comes. The
    visitor gets no confirmation: a robot's address would get mail from us."""
    return signal.has_contact


def mail_body_of(user) -> int | None:
    """The body a signal mail to this member is about, so their outbox and its warning show it: a
    receiving body of theirs, or (where no body receives signals) their first."""
    theirs = sorted(user.body_ids & signal_receiving_body_ids()) or sorted(user.body_ids)
    return theirs[0] if theirs else None


def notify_secretaries(signal: Signal) -> None:
    link = site_url("signals.show", signal_id=signal.id)
    subject = _("Nieuw signaal %(reference)s", reference=signal.reference)
    body = _("Er is een nieuw signaal binnengekomen: %(category)s (%(sentiment)s).",
             category=signal.category_label, sentiment=signal.sentiment_label)
    if signal.suspected_spam:
        subject = _("Nieuw signaal %(reference)s (mogelijk spam)", reference=signal.reference)
        body += "\n\n" + _("Het staat bij ‘Mogelijk spam’: %(reason)s De afzender vraagt om contact. Lees het. "
                            "Is het echt? Zet het dan bij de gewone signalen.", reason=signal.spam_reason_label)
    for user in secretaries():
        send_mail(user, subject, body + "\n\n" + _("Bekijk het hier: %(link)s", link=link), kind="signals",
                  body_id=mail_body_of(user))


def confirm_to_visitor(signal: Signal) -> None:
    if signal.contact_email:
        send_mail(signal.contact_email, _("Wij hebben uw signaal ontvangen (%(reference)s)", reference=signal.reference),
                  _("Dank u wel voor uw signaal. Het kenmerk is %(reference)s.\n\nWij lezen elk signaal. "
                    "U vroeg ons om contact met u op te nemen. Dat doen wij binnen twee weken.\n\n"
                    "Wat wij met uw signaal doen, ziet u op deze pagina:\n%(link)s\n\n"
                    "Deze link is alleen voor u. Geef hem niet aan anderen.",
                    reference=signal.reference, link=follow_url(signal.follow_token)))


# --- following a signal: the visitor's private link ---------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_follow_token(signal: Signal) -> str:
    """A long random token for the visitor's link; the signal keeps only its hash, so the link
    cannot be made again from the database (nor from the reference)."""
    token = secrets.token_urlsafe(32)
    signal.follow_token_hash = _token_hash(token)
    return token


def follow_url(token: str) -> str:
    return site_url("signals.follow", token=token)


def find_by_follow_token(token: str) -> Signal | None:
    """The signal this link belongs to, while it has one. Looked up by the token's hash, so the
    lookup's timing tells nothing about the tokens themselves."""
    if not 20 <= len(token) <= 100:
        return None
    return db.session.scalar(db.select(Signal).filter_by(follow_token_hash=_token_hash(token)))


def messages_for_visitor(signal_id: int) -> list[SignalEvent]:
    """What the council wrote for the visitor, oldest first."""
    return list(db.session.scalars(db.select(SignalEvent).filter_by(signal_id=signal_id, kind="message")
                                   .order_by(SignalEvent.at, SignalEvent.id)))


def discussed_on(signal: Signal) -> date | None:
    """The day of the meeting where the signal was discussed: only the date, never the meeting's
    title (a meeting that is not public stays unnamed)."""
    if not any(event.to_status == rules.DISCUSSED for event in signal.events):
        return None
    starts = db.session.scalars(db.select(Meeting.starts_at).join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
                                .join(SignalAgendaItem, SignalAgendaItem.agenda_item_id == AgendaItem.id)
                                .filter(SignalAgendaItem.signal_id == signal.id, Meeting.starts_at <= utcnow())
                                .order_by(Meeting.starts_at.desc()).limit(1)).first()
    return starts.astimezone(AMSTERDAM).date() if starts else None


def can_reach_visitor(signal: Signal) -> bool:
    """A message for the visitor arrives somewhere: on their page, while the link works, or by mail."""
    return signal.follow_token_hash is not None or bool(signal.contact_email)


@dataclass(frozen=True)
class Visitor:
    """The visitor as a confirmation page names them."""

    name: str


def message_recipients(signal: Signal) -> list[Visitor]:
    """Who gets the council's message by mail: the visitor, when they left an address."""
    if not signal.contact_email:
        return []
    return [Visitor(signal.contact_name or signal.contact_email)]


# --- triage ---------------------------------------------------------------------------------

def _event(signal: Signal, actor, kind: str, text: str = "", **fields) -> None:
    signal.events.append(SignalEvent(actor=actor, kind=kind, text=text, **fields))


def find_by_reference(reference: str) -> Signal | None:
    return db.session.scalar(db.select(Signal).filter_by(reference=reference.upper()))


def signals_by_id(ids) -> dict[int, Signal]:
    """For other features that link to signals (an advice draws on them)."""
    if not ids:  # most dossiers link none; each query is a round trip on PostgreSQL
        return {}
    return {s.id: s for s in db.session.scalars(db.select(Signal).filter(Signal.id.in_(list(ids))))}


def set_status(signal: Signal, actor, to_status: str, reason: str = "", passed_to: str = "", note: str = "",
               original: Signal | None = None) -> bool:
    """Move along the transition table; returns False for a change the table does not allow."""
    if not rules.can_move(signal.status, to_status):
        return False
    detail = [str(rules.CANCEL_REASONS[reason])] if to_status == rules.CANCELLED else []
    if original is not None:
        signal.duplicate_of = original
        detail.append(original.reference)
    if to_status == rules.PASSED_ON:
        detail.append(str(rules.PASSED_TO[passed_to]))
    detail += [note] if note else []
    _event(signal, actor, "status", " – ".join(detail), from_status=signal.status, to_status=to_status)
    signal.status = to_status
    signal.closed_at = utcnow() if to_status in rules.CLOSED else None
    return True


def _erase_contact(signal: Signal, actor=None) -> None:
    signal.contact_name = signal.contact_email = signal.contact_phone = None
    signal.follow_token_hash = None  # the link lives as long as the contact details
    signal.contact_erased_at = utcnow()
    _event(signal, actor, "contact_erased")


SPAM_LIST = "spam"


def _count(*conditions) -> tuple[int, bool]:
    """How many signals meet the conditions, counted up to COUNT_LIMIT; and whether there are more."""
    total = count_up_to(db.select(Signal.id).filter(*conditions), COUNT_LIMIT + 1)
    return min(total, COUNT_LIMIT), total > COUNT_LIMIT


def new_signals_count() -> tuple[int, bool]:
    """How many signals wait to be read."""
    return _count(Signal.status == rules.NEW)


def spam_count() -> tuple[int, bool]:
    """How many signals wait in the 'mogelijk spam' list for a person to judge."""
    return _count(Signal.suspected_spam.is_(True), Signal.status.not_in(rules.CLOSED))


def triage_query(filters: dict, user_id: int | None = None):
    """The triage list for the filter form's values (with `mine`, those given to `user_id`).
    Suspected spam only shows in its own list."""
    query = db.select(Signal).order_by(Signal.created_at.desc(), Signal.id.desc())
    if filters.get("mine"):
        query = query.filter(Signal.assignee_id == user_id)
    status = filters.get("status") or ""
    query = query.filter(Signal.suspected_spam.is_(status == SPAM_LIST))
    if status == "":
        query = query.filter(Signal.status.not_in(rules.CLOSED))
    elif status not in ("alle", SPAM_LIST):
        query = query.filter(Signal.status == status)
    for column, value in ((Signal.category, filters.get("category")), (Signal.sentiment, filters.get("sentiment"))):
        if value:
            query = query.filter(column == value)
    municipality = filters.get("municipality")
    if municipality == rules.UNKNOWN_MUNICIPALITY:
        query = query.filter(Signal.municipality_id.is_(None))
    elif municipality:
        query = query.filter(Signal.municipality_id == int(municipality))
    if filters.get("start") or filters.get("end"):
        begin, finish = period_bounds(filters.get("start") or date(2000, 1, 1), filters.get("end") or date(2999, 12, 31))
        query = query.filter(Signal.created_at >= begin, Signal.created_at < finish)
    if text := filters.get("q"):
        query = query.filter(or_(Signal.description.ilike(f"%{text}%"), Signal.reference.ilike(f"%{text}%")))
    return query


def triage_candidates() -> list[User]:
    """Who a signal can be given to: only those who read signals (they will see its contact details)."""
    return list(db.session.scalars(db.select(User).filter(User.is_active_member, _readers()).order_by(User.name)))


# --- on a meeting's agenda -------------------------------------------------------------------

NEW_ITEM = "nieuw-"
PREVIEW_LENGTH = 120


def preview(text: str, length: int = PREVIEW_LENGTH) -> str:
    """The start of a text on one line, for lists and agendas."""
    line = " ".join(text.split())
    return line if len(line) <= length else line[:length - 1].rstrip() + "…"


def _meeting_label(meeting: Meeting) -> str:
    return f"{date_long(meeting.starts_at)}, {meeting.title}"


def agenda_choices(user) -> list[tuple[str, str]]:
    """Where this person may put a signal: an item of a coming meeting they run (of the receiving
    body, when there is one), or a new item on such a meeting's agenda."""
    choices = []
    for meeting in meetings.coming_managed_meetings(user, signal_receiving_body_ids()):
        label = _meeting_label(meeting)
        choices += [(str(item.id), f"{label}: {item.title}") for item in meeting.items]
        choices.append((f"{NEW_ITEM}{meeting.id}", _("%(meeting)s: een nieuw agendapunt", meeting=label)))
    return choices


def _agenda_item(signal: Signal, choice: str, title: str) -> AgendaItem:
    """The chosen item, or a new one on the chosen meeting's agenda (the form offered only these)."""
    if choice.startswith(NEW_ITEM):
        meeting = db.session.get(Meeting, int(choice.removeprefix(NEW_ITEM)))
        return meetings.append_item(meeting, {"title": title or _("Signaal %(reference)s: %(category)s",
                                                                  reference=signal.reference,
                                                                  category=signal.category_label)})
    return db.session.get(AgendaItem, int(choice))


def _put_on_agenda(signal: Signal, actor, choice: str, title: str, note: str) -> None:
    item = _agenda_item(signal, choice, title)
    db.session.add(SignalAgendaItem(signal=signal, agenda_item=item))
    where = _("%(meeting)s, agendapunt ‘%(item)s’", meeting=_meeting_label(item.meeting), item=item.title)
    set_status(signal, actor, rules.ON_AGENDA, note=" – ".join([where] + ([note] if note else [])))


def agenda_of(signal_id: int, user) -> list[tuple[str, str | None]]:
    """(label, link) per agenda the signal was put on, oldest first; the link only for who may see
    that meeting (a draft only its secretaries)."""
    links = db.session.scalars(db.select(SignalAgendaItem).filter_by(signal_id=signal_id)
                               .order_by(SignalAgendaItem.created_at, SignalAgendaItem.id)).all()
    return [(f"{_meeting_label(link.agenda_item.meeting)}: {link.agenda_item.title}",
             url_for("meetings.show", meeting_id=link.agenda_item.meeting_id, _anchor=f"item-{link.agenda_item_id}")
             if meetings.can_see(user, link.agenda_item.meeting) else None) for link in links]


def on_agenda(item_ids, user) -> dict[int, list[dict]]:
    """Per agenda item, its signals as reference, subject and the start of the text: only for those
    who read signals, and never the contact details."""
    if not item_ids or not can_triage(user):
        return {}
    rows = db.session.execute(db.select(SignalAgendaItem.agenda_item_id, Signal)
                              .join(Signal, Signal.id == SignalAgendaItem.signal_id)
                              .filter(SignalAgendaItem.agenda_item_id.in_(list(item_ids)))
                              .options(selectinload(Signal.category_entry)).order_by(Signal.reference)).all()
    found: dict[int, list[dict]] = {}
    for item_id, signal in rows:
        found.setdefault(item_id, []).append({
            "id": signal.id, "reference": signal.reference, "category": signal.category_label,
            "preview": preview(signal.description), "status": signal.status_label})
    return found


def closable_on_agenda(item_ids, user) -> list[tuple[str, str]]:
    """The signals still on these agenda items that this person may close, as form choices."""
    if not item_ids:
        return []
    signals = db.session.scalars(db.select(Signal).join(SignalAgendaItem)
                                 .filter(SignalAgendaItem.agenda_item_id.in_(list(item_ids)),
                                         Signal.status == rules.ON_AGENDA)
                                 .order_by(Signal.reference).distinct()).all()
    return [(str(s.id), f"{s.reference}: {s.category_label}") for s in signals if can_handle(user, s)]


def close_with_decision(signal_ids, actor, decision: str, meeting: Meeting) -> None:
    """Signals on the agenda, discussed and closed by a decision of the meeting. The caller commits."""
    for signal in db.session.scalars(db.select(Signal).filter(Signal.id.in_(list(signal_ids)))):
        if signal.status == rules.ON_AGENDA and can_handle(actor, signal):
            set_status(signal, actor, rules.DISCUSSED, note=_meeting_label(meeting))
            set_status(signal, actor, rules.DONE, note=_("Besluit: %(decision)s", decision=preview(decision, 500)))


# --- what people do: one call each, committed once --------------------------------------------

def receive(values: dict, recorder: User | None = None) -> Signal:
    """A signal from the form (`values`, its data), sent by a visitor or recorded by a member who
    heard it (`recorder`); saved with its mails. A form sent twice (a double click) gives the first."""
    nonce, seconds = read_form_token(values.get("started"))
    if (signal := find_by_submission(nonce)) is not None:
        return signal
    fields = signal_fields(values)
    if recorder is not None:
        fields.update(source=values["source"], recorded_by_id=recorder.id)
    else:
        reason = spam_reason(values.get("hp_kleur"), seconds)
        fields.update(suspected_spam=reason is not None, spam_reason=reason)
    signal = store_signal(fields, submission_key=nonce, notify=True)
    db.session.commit()
    return signal


def note_contact_shown(signal_id: int, actor) -> None:
    """Contact details are personal data: the audit log keeps who saw whose, and when."""
    signal = db.session.get(Signal, signal_id)
    if signal.has_contact_details:
        record("signal_contact_shown", actor=actor, detail=signal.reference)
        db.session.commit()


def change_status(signal_id: int, actor, values: dict) -> str | None:
    """Move a signal on (`values`: status, reason, passed_to, original, note, and for the agenda:
    agenda, an item id or a meeting's new item, and new_item, its title); cancelled as a
    duplicate, it points to the signal that stays. Returns what is wrong in Dutch, or None once saved."""
    signal = db.session.get(Signal, signal_id)
    original = None
    if values["reason"] == "dubbel" and values["status"] == rules.CANCELLED:
        original = find_by_reference(values["original"] or "")
        if original is None or original.id == signal.id:
            return _("Er is geen ander signaal met dit kenmerk. Kijk het kenmerk na.")
    if values["status"] == rules.ON_AGENDA:
        _put_on_agenda(signal, actor, values["agenda"], values["new_item"], values["note"])
    else:
        set_status(signal, actor, values["status"], values["reason"], values["passed_to"], values["note"], original)
    db.session.commit()
    return None


def add_note(signal_id: int, actor, text: str) -> None:
    _event(db.session.get(Signal, signal_id), actor, "note", text)
    db.session.commit()


def write_to_visitor(signal_id: int, actor, text: str) -> bool:
    """A message for the visitor: shown on their follow page, and mailed when they left an address.
    Returns whether a mail waits to be sent."""
    signal = db.session.get(Signal, signal_id)
    _event(signal, actor, "message", text)
    mailed = False
    if signal.contact_email:
        mailed = send_mail(signal.contact_email, _("Bericht over uw signaal %(reference)s", reference=signal.reference),
                           _("U gaf ons een signaal door, met het kenmerk %(reference)s. "
                             "Wij hebben een bericht voor u:\n\n%(text)s\n\n"
                             "U ziet dit bericht ook op de pagina uit onze eerste e-mail.",
                             reference=signal.reference, text=text))
    db.session.commit()
    return mailed


def assign(signal_id: int, actor, assignee_id: int | None) -> None:
    """Give the signal to a member who reads signals (the form offers only those), or to no one;
    the new assignee hears of it, unless they chose themselves."""
    signal = db.session.get(Signal, signal_id)
    before = signal.assignee_id
    signal.assignee = db.session.get(User, assignee_id) if assignee_id else None
    _event(signal, actor, "assigned", signal.assignee.name if signal.assignee else "")
    if signal.assignee is not None and signal.assignee_id != before and signal.assignee_id != actor.id:
        send_mail(signal.assignee, _("U pakt signaal %(reference)s op", reference=signal.reference),
                  _("%(name)s vraagt u om signaal %(reference)s op te pakken: %(category)s (%(sentiment)s).\n\n"
                    "Bekijk het hier: %(link)s", name=actor.name, reference=signal.reference,
                    category=signal.category_label, sentiment=signal.sentiment_label,
                    link=site_url("signals.show", signal_id=signal.id)),
                  kind="signals_assigned", body_id=mail_body_of(signal.assignee))
    db.session.commit()


def mark_not_spam(signal_id: int, actor) -> None:
    """A person read it: it is a real signal after all, and goes into the normal list as new; the
    secretaries hear of it now, unless they heard of it when it came in."""
    signal = db.session.get(Signal, signal_id)
    if signal.suspected_spam:
        already_told = told_despite_spam(signal)
        signal.suspected_spam = False
        _event(signal, actor, "restored")
        if not already_told:
            notify_secretaries(signal)
        db.session.commit()


def erase_contact(signal_id: int, actor) -> None:
    """The visitor's contact details, erased at once on their request."""
    _erase_contact(db.session.get(Signal, signal_id), actor)
    db.session.commit()


# --- "aard en aantal" -----------------------------------------------------------------------

def default_period(today: date) -> tuple[date, date]:
    """The current quarter so far."""
    first_month = (today.month - 1) // 3 * 3 + 1
    return date(today.year, first_month, 1), today


def previous_period(start: date, end: date) -> tuple[date, date]:
    """What a reader compares with: the quarter or year before (or the same part of it, for one so
    far), the months before for whole months, else the same number of days just before."""
    months = _period_months(start, end)
    if months is None:
        length = end - start
        return start - length - timedelta(days=1), start - timedelta(days=1)
    previous_end = _months_earlier(end, months)
    if end == _last_of_month(end):
        previous_end = _last_of_month(previous_end)  # Q2 ends on 30 June, Q1 on 31 March
    return _months_earlier(start, months), previous_end


def _period_months(start: date, end: date) -> int | None:
    """How many months back the comparison lies, or None for a period of days."""
    if start.day == 1 and start.month % 3 == 1 and end < _months_earlier(start, -3):
        return 3  # a quarter, or the quarter so far
    if (start.month, start.day) == (1, 1) and end.year == start.year:
        return 12  # a year, or the year so far
    if start.day == 1 and end == _last_of_month(end):
        return (end.year - start.year) * 12 + end.month - start.month + 1
    return None


def _months_earlier(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _last_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def named_periods(today: date) -> list[tuple[str, date, date]]:
    """Quick choices for the report: this and last quarter, this and last year."""
    quarter_start, _today = default_period(today)
    last_quarter_end = quarter_start - timedelta(days=1)
    last_quarter_start, _end = default_period(last_quarter_end)
    return [
        (_("Dit kwartaal"), quarter_start, today),
        (_("Vorig kwartaal"), last_quarter_start, last_quarter_end),
        (_("Dit jaar"), date(today.year, 1, 1), today),
        (_("Vorig jaar"), date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    ]


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Amsterdam calendar days [start, end] as UTC instants [from, to)."""
    begin = datetime.combine(start, time(), AMSTERDAM)
    finish = datetime.combine(end + timedelta(days=1), time(), AMSTERDAM)
    return begin, finish


def counted_signals(begin: datetime, finish: datetime):
    """Signals that count for management: no spam, nothing cancelled."""
    return (Signal.created_at >= begin, Signal.created_at < finish,
            Signal.suspected_spam.is_(False), Signal.status != rules.CANCELLED)


def _counted(begin: datetime, finish: datetime, *columns):
    """Counts grouped by these columns, over the signals that count for management."""
    return db.session.execute(db.select(*columns, func.count()).filter(*counted_signals(begin, finish))
                              .group_by(*columns)).all()


def report(start: date, end: date) -> tuple[list[dict], list[tuple[str, int]], list[dict]]:
    """Per category (went well, could be better, total, previous period), per municipality and per
    organisation.

    Counts only, no content: one grouped query over the period (read once for all three tables,
    from one covering index) and one for the period before.
    """
    per_category = _category_rows()
    per_municipality: dict[int | None, int] = {}
    per_organisation = {kind: {"goed": 0, "beter": 0} for kind in rules.ORGANISATIONS}
    for category, sentiment, municipality_id, kind, number in _counted(
            *period_bounds(start, end), Signal.category, Signal.sentiment, Signal.municipality_id,
            Signal.organisation_kind):
        _add(per_category, category, sentiment, number)
        per_municipality[municipality_id] = per_municipality.get(municipality_id, 0) + number
        numbers = per_organisation.setdefault(kind, {"goed": 0, "beter": 0})
        numbers[sentiment] = numbers.get(sentiment, 0) + number
    for category, number in _counted(*period_bounds(*previous_period(start, end)), Signal.category):
        if category in per_category:
            per_category[category]["previous"] = number
    names = dict(db.session.execute(db.select(Organisation.id, Organisation.name)
                                    .filter(Organisation.id.in_([i for i in per_municipality if i]))).all())
    municipalities = sorted(((names.get(i) or _("Weet ik niet"), n) for i, n in per_municipality.items()),
                            key=lambda item: -item[1])
    return list(per_category.values()), municipalities, _organisation_rows(per_organisation)


def _organisation_rows(counted: dict[str, dict]) -> list[dict]:
    """Per organisation (gemeente, UWV, Werkplein, other): went well, could be better, total, each a
    number or None for a small group (fewer than SMALL_GROUP). Where one of the two parts is hidden,
    so is the other, or the total would give it away."""
    rows = []
    for kind, numbers in counted.items():
        total = numbers["goed"] + numbers["beter"]
        parts = [numbers["goed"], numbers["beter"]]
        hidden = any(0 < n < rules.SMALL_GROUP for n in parts)
        rows.append({"kind": kind, "label": rules.ORGANISATIONS.get(kind, kind),
                     "goed": None if hidden else parts[0], "beter": None if hidden else parts[1],
                     "total": None if 0 < total < rules.SMALL_GROUP else total})
    return rows


def year_category_counts(year: int) -> list[dict]:
    """Per category: went well, could be better, total, over a whole Amsterdam year (the annual
    report), from the counts the database keeps (tally)."""
    per_category = _category_rows()
    for category, sentiment, number in tally.year_counts(year):
        _add(per_category, category, sentiment, number)
    return list(per_category.values())


def _category_rows() -> dict[str, dict]:
    return {c.key: _category_row(c.key, c.label) for c in categories(active_only=False)}


def _category_row(key: str, label: str) -> dict:
    return {"category": key, "label": label, "goed": 0, "beter": 0, "total": 0, "previous": 0}


def _add(per_category: dict[str, dict], category: str, sentiment: str, number: int) -> None:
    row = per_category.setdefault(category, _category_row(category, category))
    row[sentiment] = row.get(sentiment, 0) + number
    row["total"] += number


# --- retention ------------------------------------------------------------------------------

PROCESSING = Processing(
    name=_l("Signalen van cliënten"),
    purpose=_l("Horen wat goed gaat en wat beter kan, om de gemeente, UWV en het Werkplein te adviseren. "
               "Contact opnemen als iemand daarom vraagt."),
    people=_l("Cliënten van de gemeenten, UWV en het Werkplein"),
    data=_l("Wat er gebeurde, onderwerp, gemeente. Alleen met toestemming: naam, e-mailadres, telefoonnummer. "
            "Geen IP-adres. Van de geheime link waarmee iemand zijn signaal volgt, alleen een onleesbare vorm."),
    recipients=_l("Naam, e-mailadres, telefoonnummer en toestemming: alleen de secretarissen, de beheerders en het lid "
                  "dat het signaal oppakt. Elke keer dat iemand ze ziet, staat in het logboek. De andere leden van het "
                  "orgaan dat signalen krijgt, lezen de tekst en de geschiedenis. Het management ziet alleen aantallen."),
    retention=lambda config: _lm("Contactgegevens en de link om het signaal te volgen: %(months)s maanden na "
                                 "afhandeling. Spam en geannuleerde signalen: %(days)s dagen. De tekst zonder "
                                 "contactgegevens blijft bewaard.",
                                 months=config["SIGNAL_CONTACT_RETENTION_MONTHS"],
                                 days=config["SIGNAL_CANCELLED_RETENTION_DAYS"]),
)


def purge_contact_details(now: datetime, dry_run: bool) -> int:
    """Contact details are erased a while after the signal is closed, and the visitor's link with
    them (also of a signal without contact details); the text stays."""
    cutoff = now - timedelta(days=30 * current_app.config["SIGNAL_CONTACT_RETENTION_MONTHS"])
    due = db.session.scalars(db.select(Signal).filter(
        Signal.closed_at < cutoff, or_(Signal.contact_email.is_not(None), Signal.contact_phone.is_not(None),
                                       Signal.contact_name.is_not(None), Signal.follow_token_hash.is_not(None)))).all()
    if not dry_run:
        for signal in due:
            if signal.has_contact_details:
                _erase_contact(signal)
            else:
                signal.follow_token_hash = None
    return len(due)


def purge_cancelled(now: datetime, dry_run: bool) -> int:
    """Suspected spam and cancelled signals go after a year; the report only ever counted the others."""
    cutoff = now - timedelta(days=current_app.config["SIGNAL_CANCELLED_RETENTION_DAYS"])
    old = or_(Signal.suspected_spam.is_(True), Signal.status == rules.CANCELLED)
    due = db.select(Signal.id).filter(old, Signal.created_at < cutoff)
    if dry_run:
        return len(db.session.execute(due).all())
    ids = [row[0] for row in db.session.execute(due)]
    db.session.execute(db.delete(SignalEvent).where(SignalEvent.signal_id.in_(ids)))
    db.session.execute(db.delete(SignalAgendaItem).where(SignalAgendaItem.signal_id.in_(ids)))
    return db.session.execute(db.delete(Signal).where(Signal.id.in_(ids))).rowcount
