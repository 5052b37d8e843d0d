"""What advice dossiers do: access, steps on the timeline, attention, the yearly overview."""
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, extract, false, func, or_, true
from sqlalchemy.orm import joinedload, selectinload

from ..auth.roles import SECRETARY
from ..bodies.logic import active_bodies, members_of_bodies
from ..core.database import Page, StaleEdit, days_between, first_rows, utcnow
from ..core.extensions import db
from ..core.i18n import date_long, local_today
from ..core.privacy import Processing
from ..meetings.logic import can_see as can_see_meeting
from ..meetings.logic import meetings_by_id
from ..signals.logic import can_triage, find_by_reference, signals_by_id
from . import rules
from .models import Advice, AdviceEvent, AdviceLink

# --- access ---------------------------------------------------------------------------------------

def can_see(user, advice: Advice) -> bool:
    return user.is_authenticated and (user.is_admin or advice.body_id in user.body_ids)


def visible_filter(user):
    """`can_see` as a WHERE clause."""
    if not user.is_authenticated:
        return false()
    return true() if user.is_admin else Advice.body_id.in_(list(user.body_ids))


def place_filter(user):
    """Who may open a dossier's papers: its members, and, once the advice is on the public page,
    whoever each paper's own audience lets in (a guest: the public papers only)."""
    return or_(visible_filter(user), published_filter())


def can_edit(user, advice: Advice) -> bool:
    """The body's secretaries, the drafting members, and admins."""
    if not can_see(user, advice):
        return False
    return user.is_admin or user.role == SECRETARY or any(d.id == user.id for d in advice.drafters)


def body_ids_of(user) -> list[int]:
    if user.is_admin:
        return [b.id for b in active_bodies()]
    return sorted(user.body_ids)


# --- lists ------------------------------------------------------------------------------------------

def advice_query(body_ids, status: str | None = None, year: int | None = None, q: str | None = None):
    query = (db.select(Advice).filter(Advice.body_id.in_(list(body_ids)))
             .options(selectinload(Advice.body), selectinload(Advice.addressee)))
    if status == "open":
        query = query.filter(Advice.status != rules.DONE)
    elif status:
        query = query.filter(Advice.status == status)
    if year:
        query = query.filter(extract("year", Advice.created_at) == year)
    if q:
        query = query.filter(Advice.title.ilike(f"%{q}%"))
    return query.order_by(Advice.status == rules.DONE, Advice.deadline.is_(None), Advice.deadline,
                          Advice.created_at.desc())


def attention_of(advice: Advice, today: date | None = None):
    return rules.attention(advice.status, advice.deadline, advice.sent_on, today or local_today(),
                           current_app.config["ADVICE_RESPONSE_WEEKS"])


def needing_attention(body_ids, today: date | None = None) -> list[tuple[Advice, rules.Attention]]:
    """Every dossier that needs attention, with its body, and why (for the weekly mail)."""
    today = today or local_today()
    query = _attention_query(body_ids, today).options(selectinload(Advice.body))
    return [(advice, attention_of(advice, today)) for advice in db.session.scalars(query)]


def first_needing_attention(body_ids, n: int = 5) -> Page:
    """The first n dossiers that need attention, the most urgent first, and why; and how many there are."""
    today = local_today()
    page = first_rows(_attention_query(body_ids, today), n)
    return replace(page, items=[(advice, attention_of(advice, today)) for advice in page.items])


def _attention_query(body_ids, today: date):
    """The dossiers rules.attention flags, chosen by the database: a deadline that is near or passed
    before the advice was sent, or no response some weeks after sending."""
    late = today - timedelta(weeks=current_app.config["ADVICE_RESPONSE_WEEKS"])
    flagged = or_(and_(Advice.status.in_([rules.IDEA, rules.PREPARING]),
                       Advice.deadline <= today + timedelta(days=rules.SOON_DAYS)),
                  and_(Advice.status == rules.SENT, Advice.sent_on < late))
    return (db.select(Advice).filter(Advice.body_id.in_(list(body_ids)), flagged)
            .order_by(Advice.deadline.is_(None), Advice.deadline, Advice.sent_on, Advice.id))


# --- changes ----------------------------------------------------------------------------------------

def _event(advice: Advice, actor, text: str, status: str | None = None) -> None:
    db.session.add(AdviceEvent(advice_id=advice.id, actor_id=actor.id if actor else None, text=text, status=status))


def save_advice(advice: Advice | None, fields: dict, drafters, actor, seen_version: int | None = None) -> Advice:
    if advice is None:
        advice = Advice(**fields)
        db.session.add(advice)
        advice.drafters = list(drafters)
        db.session.flush()
        _event(advice, actor, _("Dossier aangemaakt."), rules.IDEA)
        return advice
    if seen_version is not None and seen_version != advice.version:
        raise StaleEdit()
    for name, value in fields.items():
        setattr(advice, name, value)
    advice.drafters = list(drafters)
    advice.version += 1
    _event(advice, actor, _("Gegevens aangepast."))
    return advice


def take_step(advice: Advice, target: str, fields: dict, actor) -> str | None:
    """Move the dossier on with the details of that step (what belongs to another step is ignored);
    returns a Dutch problem, or None when done."""
    problem = rules.step_problem(advice.status, target, fields, advice.sent_on, advice.response_on, advice.outcome)
    if problem:
        return str(problem)
    advice.outcome = rules.step_outcome(target, fields.get("outcome"), advice.outcome)
    if target == rules.SENT:
        advice.sent_on = fields["sent_on"]
    elif target == rules.RESPONDED:
        advice.response_on, advice.response_summary = fields["response_on"], fields.get("response_summary") or ""
        advice.reasons_given = fields.get("reasons_given")
    elif target == rules.FOLLOW_UP:
        advice.follow_up_on, advice.follow_up_notes = fields["follow_up_on"], fields.get("follow_up_notes") or ""
    elif target == rules.DONE:
        advice.closed_on = local_today()
    advice.status = target
    advice.version += 1
    _event(advice, actor, _step_text(advice, target), target)
    return None


def _step_text(advice: Advice, target: str) -> str:
    if target == rules.SENT:
        return _("Advies verstuurd op %(date)s.", date=date_long(advice.sent_on))
    if target == rules.RESPONDED:
        text = _("Reactie ontvangen op %(date)s.", date=date_long(advice.response_on))
        if advice.outcome:
            text += " " + _("Uitkomst: %(outcome)s.", outcome=advice.outcome_label)
        return text
    if target == rules.FOLLOW_UP:
        return _("Nagesprek op %(date)s.", date=date_long(advice.follow_up_on))
    if target == rules.DONE:
        return _("Afgerond: %(outcome)s.", outcome=advice.outcome_label)
    return _("Status: %(status)s.", status=advice.status_label)


def add_note(advice: Advice, actor, text: str) -> None:
    _event(advice, actor, text)


def advices_by_id(ids) -> dict[int, Advice]:
    """For other features that link to dossiers (and note on their timeline), with the body loaded."""
    if not ids:
        return {}
    query = db.select(Advice).filter(Advice.id.in_(list(ids))).options(selectinload(Advice.body))
    return {advice.id: advice for advice in db.session.scalars(query)}


def events_of(advice: Advice) -> list[AdviceEvent]:
    return list(db.session.scalars(db.select(AdviceEvent).filter_by(advice_id=advice.id)
                                   .options(joinedload(AdviceEvent.actor)).order_by(AdviceEvent.at, AdviceEvent.id)))


# --- links to signals and meetings ------------------------------------------------------------------

def link_signal(advice: Advice, reference: str, actor) -> str | None:
    if not can_triage(actor):
        return _("Alleen wie signalen afhandelt, kan een signaal koppelen.")
    signal = find_by_reference(reference.strip())
    if signal is None:
        return _("Er is geen signaal met dit kenmerk. Kijk het kenmerk na, zoals S-2026-0012.")
    _link(advice, "signal", signal.id, actor, _("Signaal %(reference)s gekoppeld.", reference=signal.reference))
    return None


def link_meeting(advice: Advice, meeting_id: int, actor) -> str | None:
    meeting = meetings_by_id([meeting_id]).get(meeting_id)
    if meeting is None or meeting.body_id != advice.body_id or not can_see_meeting(actor, meeting):
        return _("Kies een vergadering van dit orgaan.")
    _link(advice, "meeting", meeting.id, actor, _("Vergadering van %(date)s gekoppeld.", date=date_long(meeting.starts_at)))
    return None


def _link(advice: Advice, kind: str, target_id: int, actor, text: str) -> None:
    exists = db.session.scalar(db.select(AdviceLink.id).filter_by(advice_id=advice.id, target_kind=kind,
                                                                  target_id=target_id))
    if exists is None:
        db.session.add(AdviceLink(advice_id=advice.id, target_kind=kind, target_id=target_id))
        _event(advice, actor, text)


def links_of(advice: Advice, user) -> list[tuple[str, str]]:
    """(label, url) per link this person may open, each by its own feature's check: a signal only for
    those who handle signals, a meeting only once they may see it (not a draft)."""
    links = db.session.scalars(db.select(AdviceLink).filter_by(advice_id=advice.id).order_by(AdviceLink.id)).all()
    signal_ids = [link.target_id for link in links if link.target_kind == "signal"]
    meeting_ids = [link.target_id for link in links if link.target_kind == "meeting"]
    signals = signals_by_id(signal_ids) if signal_ids and can_triage(user) else {}
    meetings = {id_: m for id_, m in meetings_by_id(meeting_ids).items() if can_see_meeting(user, m)}
    described = []
    for link in links:
        if link.target_kind == "signal" and link.target_id in signals:
            signal = signals[link.target_id]
            described.append((_("Signaal %(reference)s: %(category)s", reference=signal.reference,
                                category=signal.category_label), url_for("signals.show", signal_id=signal.id)))
        elif link.target_kind == "meeting" and link.target_id in meetings:
            meeting = meetings[link.target_id]
            described.append((f"{meeting.title}, {date_long(meeting.starts_at)}",
                               url_for("meetings.show", meeting_id=meeting.id)))
    return described


# --- what people do: one call each, committed once ------------------------------------------------

STALE = _l("Iemand anders heeft dit dossier veranderd nadat u dit formulier opende. Uw tekst staat er nog. "
           "Kijk het dossier na in een ander tabblad en klik dan nog een keer op ‘Opslaan’.")


def _drafters(body_id: int, user_ids) -> list:
    """The members of the body among those chosen to draft."""
    return [u for u in members_of_bodies([body_id]) if u.id in (user_ids or [])]


def start_dossier(fields: dict, drafter_ids, actor) -> Advice:
    """A new dossier for a request or an idea (`fields`: the form's details)."""
    advice = save_advice(None, fields, _drafters(fields["body_id"], drafter_ids), actor)
    db.session.commit()
    return advice


def change_dossier(advice_id: int, fields: dict, drafter_ids, actor, seen_version: int) -> str | None:
    """New details and drafters; refused, with nothing saved, when someone else changed the
    dossier after `seen_version`. Returns what is wrong in Dutch, or None once saved."""
    advice = db.session.get(Advice, advice_id)
    try:
        save_advice(advice, fields, _drafters(fields["body_id"], drafter_ids), actor, seen_version=seen_version)
    except StaleEdit:
        db.session.rollback()
        return str(STALE)
    db.session.commit()
    return None


def advance(advice_id: int, fields: dict, actor) -> str | None:
    """The next step (`fields["target"]`) with its details; returns what is missing in Dutch, or None once saved."""
    problem = take_step(db.session.get(Advice, advice_id), fields["target"], fields, actor)
    if problem is None:
        db.session.commit()
    return problem


def write_note(advice_id: int, actor, text: str) -> None:
    add_note(db.session.get(Advice, advice_id), actor, text)
    db.session.commit()


def link(advice_id: int, fields: dict, actor) -> str | None:
    """Link a signal (`fields["reference"]`) or a meeting of the body (`fields["meeting"]`, an id);
    returns what is wrong in Dutch, or None once saved."""
    advice = db.session.get(Advice, advice_id)
    if fields.get("reference"):
        problem = link_signal(advice, fields["reference"], actor)
    elif fields.get("meeting"):
        problem = link_meeting(advice, int(fields["meeting"]), actor)
    else:
        problem = _("Vul het kenmerk van een signaal in, of kies een vergadering.")
    if problem is None:
        db.session.commit()
    return problem


# --- the public page ------------------------------------------------------------------------------

def publish(advice_id: int, public_summary: str, actor) -> str | None:
    """Put sent advice on the public page with its text for the public (again: a new text); returns
    what is wrong in Dutch, or None once saved."""
    advice = db.session.get(Advice, advice_id)
    problem = rules.publish_problem(advice.status)
    if problem:
        return str(problem)
    first = advice.published_at is None
    advice.published_at = advice.published_at or utcnow()
    advice.public_summary = public_summary
    advice.version += 1
    _event(advice, actor, _("Op de website gezet.") if first else _("De tekst op de website is aangepast."))
    db.session.commit()
    return None


def unpublish(advice_id: int, actor) -> None:
    advice = db.session.get(Advice, advice_id)
    if advice.published_at is None:
        return
    advice.published_at = None
    advice.version += 1
    _event(advice, actor, _("Van de website gehaald."))
    db.session.commit()


def published_filter():
    """The advice on the public page ('Onze adviezen'), for anyone, as a WHERE clause."""
    return Advice.published_at.is_not(None)


def published_query(year: int | None = None, topic: str | None = None):
    """The advice on the public page, most recently sent first."""
    query = (db.select(Advice).filter(published_filter())
             .options(selectinload(Advice.addressee)).order_by(Advice.sent_on.desc(), Advice.id.desc()))
    if year:
        query = query.filter(Advice.sent_on >= date(year, 1, 1), Advice.sent_on <= date(year, 12, 31))
    if topic:
        query = query.filter(Advice.topic == topic)
    return query


def published_years() -> list[int]:
    sent = db.session.scalars(db.select(extract("year", Advice.sent_on)).filter(published_filter())
                              .distinct())
    return sorted({int(year) for year in sent if year}, reverse=True)


def published_advice(advice_id: int) -> Advice | None:
    advice = db.session.get(Advice, advice_id, options=[joinedload(Advice.addressee)])
    return advice if advice is not None and advice.published_at is not None else None


# --- overview ---------------------------------------------------------------------------------------

def overview(body_ids, year: int) -> dict:
    """Per body: advice sent this year, asked vs unasked, outcomes, and the average days to a response.
    Counted by the database, one row per body, kind and outcome."""
    groups = db.session.execute(
        db.select(Advice.body_id, Advice.kind, Advice.outcome, func.count(), func.count(Advice.response_on),
                  func.sum(days_between(Advice.sent_on, Advice.response_on)))
        .filter(Advice.body_id.in_(list(body_ids)), Advice.sent_on >= date(year, 1, 1),
                Advice.sent_on <= date(year, 12, 31))
        .group_by(Advice.body_id, Advice.kind, Advice.outcome)).all()
    per_body: dict[int, dict] = defaultdict(lambda: {"kinds": Counter(), "outcomes": Counter(), "responses": 0, "days": 0})
    for body_id, kind, outcome, number, responses, days in groups:
        entry = per_body[body_id]
        entry["kinds"][kind] += number
        entry["outcomes"][outcome or "open"] += number
        entry["responses"] += responses
        entry["days"] += days or 0
    return {body_id: {"total": sum(e["kinds"].values()), "asked": e["kinds"]["gevraagd"],
                      "unasked": e["kinds"]["ongevraagd"], "outcomes": e["outcomes"],
                      "average_days": rules.average_days(e["days"], e["responses"])}
            for body_id, e in per_body.items()}


def years_with_advice(body_ids) -> list[int]:
    years = db.session.scalars(db.select(extract("year", Advice.sent_on)).filter(
        Advice.body_id.in_(list(body_ids)), Advice.sent_on.is_not(None)).distinct())
    return sorted({int(y) for y in years if y}, reverse=True)


PROCESSING = Processing(
    name=_l("Adviesdossiers"),
    purpose=_l("Bijhouden welke adviezen de raad geeft, wie eraan werkt en wat ermee gebeurt."),
    people=_l("Leden die aan een advies werken"),
    data=_l("Namen van de leden die meeschrijven, wie een stap zette en wanneer."),
    recipients=_l("De leden van hetzelfde orgaan."),
    retention=lambda config: _l("Zolang het orgaan bestaat: de dossiers zijn het archief van de raad."),
)


def digest_for(user, today: date | None = None) -> list[tuple[Advice, rules.Attention]]:
    return needing_attention(body_ids_of(user), today)

