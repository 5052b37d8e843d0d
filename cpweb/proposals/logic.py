"""What proposals do: who sees and answers them; opening, answering, closing, the outcome and where it
lands (the dossier's timeline, the next meeting's agenda and minutes); reminders, privacy."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import and_, exists, false, func, or_, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from ..advice import logic as advice_logic
from ..auth.roles import SECRETARY
from ..bodies.logic import bodies_of, memberships_of
from ..bodies.models import Membership
from ..calendar.sources import CalendarEvent
from ..core.database import utcnow
from ..core.extensions import db
from ..core.i18n import as_local, date_long, datetime_long, from_local
from ..core.i18n import lazy_gettext_markup as _lm
from ..core.privacy import Processing
from ..mail import send_mail
from ..meetings import logic as meetings_logic
from ..meetings import rules as meetings_rules
from ..meetings.rules import MAX_TEXT as MAX_DECISION
from ..meetings.rules import MAX_TITLE as MAX_MEETING_TITLE
from ..web.urls import site_url
from . import rules
from .models import Proposal, ProposalAnswer, ProposalOption, ProposalPick

# An agenda item of the next meeting, in the language of the minutes (as the standard items are).
AGENDA_TITLE = "Besluiten buiten de vergadering"


class Refused(Exception):
    """Said to the person in Dutch; nothing was stored."""


# --- who may see and do what ----------------------------------------------------------------------

def can_see(user, proposal: Proposal) -> bool:
    """Members of the proposal's body (and admins)."""
    return user.is_authenticated and user.is_member_of(proposal.body)


def visible_filter(user):
    """`can_see` as a WHERE clause."""
    if not user.is_authenticated:
        return false()
    return true() if user.is_admin else Proposal.body_id.in_(list(user.body_ids))


def can_manage(user, proposal: Proposal) -> bool:
    """The body's secretaries and admins close a proposal and write its outcome."""
    return user.is_authenticated and user.can_manage(proposal.body)


def can_add_papers(user, proposal: Proposal) -> bool:
    return can_manage(user, proposal) or (user.is_authenticated and proposal.created_by_id == user.id)


def can_propose(user, body) -> bool:
    """Secretaries of the body; its members too when the body allows it."""
    return user.can_manage(body) or (body.members_propose and body.id in user.body_ids)


def proposing_bodies(user) -> list:
    return [body for body in bodies_of(user) if can_propose(user, body)]


def load(proposal_id: int) -> Proposal | None:
    return db.session.get(Proposal, proposal_id, options=[joinedload(Proposal.body), selectinload(Proposal.options)])


def voters_of(proposal: Proposal, memberships: list[Membership] | None = None) -> list[Membership]:
    """Who may answer: the body's active members; only those with a vote when the proposal says so."""
    memberships = memberships_of(proposal.body_id) if memberships is None else memberships
    return [m for m in memberships if rules.may_answer(proposal.voters, m.votes)]


def _voter_clause(user):
    """Joined to the proposals: this member's membership of the body, with a vote where that is asked."""
    return and_(Membership.body_id == Proposal.body_id, Membership.user_id == user.id,
                or_(Proposal.voters == rules.ALL, Membership.votes))


# --- lists ----------------------------------------------------------------------------------------

def open_proposals(user, now: datetime) -> list[Proposal]:
    query = (db.select(Proposal).filter(visible_filter(user), Proposal.status == rules.OPEN, Proposal.closes_at > now)
             .options(selectinload(Proposal.body)).order_by(Proposal.closes_at, Proposal.id))
    return list(db.session.scalars(query))


def closed_query(user, now: datetime):
    return (db.select(Proposal).filter(visible_filter(user), or_(Proposal.status == rules.CLOSED,
                                                                  Proposal.closes_at <= now))
            .options(selectinload(Proposal.body)).order_by(Proposal.closes_at.desc(), Proposal.id.desc()))


def answer_counts(proposal_ids) -> dict[int, int]:
    """How many answered, per proposal, for a whole list in one query."""
    ids = list(proposal_ids)
    if not ids:
        return {}
    rows = db.session.execute(db.select(ProposalAnswer.proposal_id, func.count()).filter(
        ProposalAnswer.proposal_id.in_(ids)).group_by(ProposalAnswer.proposal_id))
    return dict(rows.all())


def answered_by(user, proposal_ids) -> set[int]:
    ids = list(proposal_ids)
    if not ids:
        return set()
    return set(db.session.scalars(db.select(ProposalAnswer.proposal_id).filter(
        ProposalAnswer.proposal_id.in_(ids), ProposalAnswer.user_id == user.id)))


def may_answer_ids(user, proposals: list[Proposal]) -> set[int]:
    """The proposals in the list this member may answer (from the memberships the member has loaded)."""
    votes = {m.body_id: m.votes for m in user.memberships}
    return {p.id for p in proposals if p.body_id in votes and rules.may_answer(p.voters, votes[p.body_id])}


def waiting_for(user, now: datetime) -> list[Proposal]:
    """"Wacht op uw antwoord": open proposals this member may answer and has not."""
    not_answered = ~exists().where(ProposalAnswer.proposal_id == Proposal.id, ProposalAnswer.user_id == user.id)
    query = (db.select(Proposal).join(Membership, _voter_clause(user))
             .filter(Proposal.status == rules.OPEN, Proposal.closes_at > now, not_answered)
             .options(selectinload(Proposal.body)).order_by(Proposal.closes_at))
    return list(db.session.scalars(query))


def needing_outcome(user, now: datetime) -> list[Proposal]:
    """Closed proposals of the bodies this secretary runs whose outcome is not written yet."""
    if not user.has_role(SECRETARY):
        return []
    query = db.select(Proposal).filter(or_(Proposal.status == rules.CLOSED, Proposal.closes_at <= now),
                                       Proposal.outcome.is_(None))
    if not user.is_admin:
        query = query.filter(Proposal.body_id.in_(list(user.body_ids)))
    return list(db.session.scalars(query.options(selectinload(Proposal.body)).order_by(Proposal.closes_at)))


# --- opening --------------------------------------------------------------------------------------

def create_proposal(fields: dict, creator, now: datetime | None = None) -> Proposal:
    """Open a proposal and mail the members who may answer. fields: body_id, title, text, kind, voters,
    results, anonymous, max_choices, closes_at, advice_id, meeting_id, choices (texts), dates (local
    (start, end) pairs)."""
    now = now or utcnow()
    body = next((b for b in proposing_bodies(creator) if b.id == fields["body_id"]), None)
    if body is None:
        raise Refused(_("Kies een orgaan waarvoor u een voorstel mag doen."))
    _check_links(body, fields.get("advice_id"), fields.get("meeting_id"), creator)
    problem = rules.closing_problem(fields["closes_at"], now)
    if problem:
        raise Refused(str(problem))
    kind = fields["kind"]
    proposal = Proposal(body=body, title=fields["title"], text=fields["text"], kind=kind, voters=fields["voters"],
                        results=fields["results"], anonymous=fields["anonymous"],
                        max_choices=fields["max_choices"] if kind == rules.CHOICE else 1,
                        advice_id=fields.get("advice_id"), meeting_id=fields.get("meeting_id"),
                        closes_at=fields["closes_at"], created_by_id=creator.id, created_at=now)
    if kind == rules.CHOICE:
        proposal.options = [ProposalOption(position=n, label=label) for n, label in enumerate(fields["choices"])]
    elif kind == rules.DATE:
        proposal.options = [ProposalOption(position=n, starts_at=from_local(start.date(), start.time()),
                                           ends_at=from_local(end.date(), end.time()))
                            for n, (start, end) in enumerate(fields["dates"])]
    db.session.add(proposal)
    db.session.flush()  # the mails link to it
    for membership in voters_of(proposal):
        send_mail(membership.user, _("Voorstel: %(title)s", title=proposal.title),
                  _("%(body)s vraagt uw antwoord op een voorstel: ‘%(title)s’.\n\nU kunt antwoorden tot %(closes)s. "
                    "Lees het voorstel en geef uw antwoord hier:\n%(url)s", body=body.name, title=proposal.title,
                    closes=datetime_long(proposal.closes_at), url=_url(proposal)), kind="proposals",
                  body_id=proposal.body_id)
    db.session.commit()
    return proposal


def _check_links(body, advice_id: int | None, meeting_id: int | None, user) -> None:
    if advice_id:
        advice = advice_logic.advices_by_id([advice_id]).get(advice_id)
        if advice is None or advice.body_id != body.id or not advice_logic.can_see(user, advice):
            raise Refused(_("Kies een adviesdossier van dit orgaan."))
    if meeting_id:
        meeting = meetings_logic.meetings_by_id([meeting_id]).get(meeting_id)
        if meeting is None or meeting.body_id != body.id or not meetings_logic.can_see(user, meeting):
            raise Refused(_("Kies een vergadering van dit orgaan."))


LINKABLE_DOSSIERS = 50  # a council has a handful open; the list in the form stays short with hundreds


def dossiers_to_link(bodies, chosen: int | None = None) -> list:
    """Open dossiers of these bodies to link a proposal to: the first LINKABLE_DOSSIERS (nearest
    deadline first), and the chosen one wherever it is."""
    query = advice_logic.advice_query([b.id for b in bodies], status="open")
    found = list(db.session.scalars(query.limit(LINKABLE_DOSSIERS)))
    if chosen and all(advice.id != chosen for advice in found):
        found += db.session.scalars(query.filter_by(id=chosen))
    return found


def meetings_to_link(bodies, user) -> list:
    return [m for body in bodies for m in meetings_logic.recent_meetings_of(body.id, user)]


def links_of(proposal: Proposal, user) -> list[tuple[str, str]]:
    """(label, url) of the dossier and the meeting it is about, each only for who may open it there."""
    links = []
    if proposal.advice_id:
        advice = advice_logic.advices_by_id([proposal.advice_id]).get(proposal.advice_id)
        if advice is not None and advice_logic.can_see(user, advice):
            links.append((_("Adviesdossier: %(title)s", title=advice.title),
                          url_for("advice.show", advice_id=advice.id)))
    ids = [proposal.meeting_id, proposal.planned_meeting_id, proposal.placed_meeting_id]
    meetings = meetings_logic.meetings_by_id([i for i in ids if i])
    for meeting_id in dict.fromkeys(i for i in ids if i):
        meeting = meetings.get(meeting_id)
        if meeting is not None and meetings_logic.can_see(user, meeting):
            if meeting_id == proposal.planned_meeting_id:
                label = _("Gepland met dit voorstel: %(title)s", title=meeting.title)
            elif meeting_id == proposal.placed_meeting_id:
                label = _("Op de agenda van: %(title)s, %(date)s", title=meeting.title, date=date_long(meeting.starts_at))
            else:
                label = _("Vergadering: %(title)s, %(date)s", title=meeting.title, date=date_long(meeting.starts_at))
            links.append((label, url_for("meetings.show", meeting_id=meeting.id)))
    return links


def _url(proposal: Proposal) -> str:
    return site_url("proposals.show", proposal_id=proposal.id)


# --- answering ------------------------------------------------------------------------------------

def answer_of(proposal: Proposal, user) -> ProposalAnswer | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(db.select(ProposalAnswer).filter_by(proposal_id=proposal.id, user_id=user.id)
                             .options(selectinload(ProposalAnswer.picks)))


def answer(proposal: Proposal, user, choice: str | None, picks: dict[int, str], remark: str,
           now: datetime | None = None) -> ProposalAnswer:
    """Store the member's answer, or change it while the proposal is open. Raises Refused when closed,
    not theirs to answer, incomplete, or when an answer came in at the same moment (another window)."""
    now = now or utcnow()
    if proposal.is_closed(now):
        raise Refused(_("Dit voorstel is gesloten. U kunt niet meer antwoorden."))
    memberships = memberships_of(proposal.body_id)
    if not any(m.user_id == user.id for m in voters_of(proposal, memberships)):
        raise Refused(_("Alleen leden met stemrecht kunnen op dit voorstel antwoorden.")
                      if any(m.user_id == user.id for m in memberships)
                      else _("Alleen leden van %(body)s kunnen op dit voorstel antwoorden.", body=proposal.body.name))
    problem = _answer_problem(proposal, choice, picks, remark)
    if problem:
        raise Refused(str(problem))
    record = answer_of(proposal, user) or ProposalAnswer(proposal_id=proposal.id, user_id=user.id)
    record.choice = None if proposal.kind in rules.WITH_OPTIONS else choice
    record.remark, record.answered_at = remark, now
    _set_picks(record, picks)
    db.session.add(record)
    try:
        db.session.commit()
    except IntegrityError:  # the unique (proposal, member): another request stored an answer first
        db.session.rollback()
        raise Refused(_("Er kwam net al een antwoord van u binnen, bijvoorbeeld uit een ander venster. Kijk hieronder "
                        "wat er staat. Wilt u iets veranderen? Stuur uw antwoord dan nog een keer.")) from None
    return record


def _answer_problem(proposal: Proposal, choice: str | None, picks: dict[int, str], remark: str):
    if proposal.kind in rules.WITH_OPTIONS:
        return rules.picks_problem(proposal.kind, picks, [o.id for o in proposal.options], proposal.max_choices)
    if choice not in rules.answer_labels(proposal.kind):
        return _l("Kies uw antwoord.")
    return rules.remark_problem(proposal.kind, choice, remark)


def _set_picks(record: ProposalAnswer, picks: dict[int, str]) -> None:
    """Change the picks in place: the same (answer, option) row keeps its key."""
    kept = {pick.option_id: pick for pick in record.picks}
    for option_id, pick in kept.items():
        if option_id not in picks:
            record.picks.remove(pick)
    for option_id, value in picks.items():
        if option_id in kept:
            kept[option_id].value = value
        else:
            record.picks.append(ProposalPick(option_id=option_id, value=value))


# --- results --------------------------------------------------------------------------------------

def answers_of(proposal: Proposal) -> list[ProposalAnswer]:
    query = (db.select(ProposalAnswer).filter_by(proposal_id=proposal.id)
             .options(selectinload(ProposalAnswer.picks), joinedload(ProposalAnswer.user)).order_by(ProposalAnswer.id))
    return list(db.session.scalars(query))


def counts_of(proposal: Proposal, answers: list[ProposalAnswer]) -> list[rules.Count]:
    if proposal.kind in rules.WITH_OPTIONS:
        return rules.count_options([(o.id, o.text) for o in proposal.options],
                                   [(pick.option_id, pick.value) for a in answers for pick in a.picks])
    return rules.count_answers(proposal.kind, [a.choice for a in answers])


@dataclass(frozen=True)
class Results:
    """What the proposal's page may show of the answers. Names only where the proposal shows them."""

    visible: bool
    answered: int
    voters: int
    counts: list[rules.Count] = field(default_factory=list)
    summary: str = ""
    best: rules.Count | None = None
    names: dict = field(default_factory=dict)  # (answer or option id, value) -> names, by name
    remarks: list[tuple[str | None, str, str]] = field(default_factory=list)  # (name or None, answer, remark)
    not_answered: list[str] = field(default_factory=list)


def results_of(proposal: Proposal, answers: list[ProposalAnswer], voters: list[Membership],
               now: datetime) -> Results:
    visible = rules.results_visible(proposal.results, proposal.is_closed(now))
    if not visible:
        return Results(False, len(answers), len(voters))
    counts = counts_of(proposal, answers)
    named = proposal.names_shown
    names: dict = defaultdict(list)
    for a in sorted(answers, key=lambda a: a.user.name if named else ""):
        for key in _answer_keys(proposal, a) if named else ():
            names[key].append(a.user.name)
    remarks = [(a.user.name if named else None, answer_text(proposal, a), a.remark) for a in answers if a.remark]
    if not named:  # in no order that follows who answered when
        remarks.sort(key=lambda remark: (remark[1], remark[2]))
    answered_ids = {a.user_id for a in answers}
    return Results(True, len(answers), len(voters), counts, rules.summary(proposal.kind, counts),
                   rules.best_option(counts) if proposal.kind in rules.WITH_OPTIONS else None, dict(names), remarks,
                   [m.user.name for m in voters if m.user_id not in answered_ids] if named else [])


def _answer_keys(proposal: Proposal, record: ProposalAnswer) -> list[tuple]:
    if proposal.kind in rules.WITH_OPTIONS:
        return [(pick.option_id, pick.value) for pick in record.picks]
    return [(record.choice, rules.YES)]


def answer_text(proposal: Proposal, record: ProposalAnswer) -> str:
    """The answer in words: "Voor", or the options chosen; empty for a date poll (its picks say it)."""
    if proposal.kind == rules.CHOICE:
        chosen = {pick.option_id for pick in record.picks if pick.value == rules.YES}
        return ", ".join(o.text for o in proposal.options if o.id in chosen)
    if proposal.kind == rules.DATE:
        return ""
    return str(rules.answer_labels(proposal.kind).get(record.choice, ""))


def export_rows(proposal: Proposal, answers: list[ProposalAnswer]) -> tuple[list[str], list[list]]:
    """The answers as a spreadsheet: with names and times only where the proposal shows names; an
    anonymous proposal's rows are sorted by their content, so their order tells nothing either."""
    named = proposal.names_shown
    head = [_("Naam")] if named else []
    if proposal.kind in rules.WITH_OPTIONS:
        labels = rules.DATE_ANSWERS if proposal.kind == rules.DATE else {rules.YES: _("gekozen")}
        header = head + [o.text for o in proposal.options] + [_("Opmerking")]
        rows = [[*([a.user.name] if named else []),
                 *(str(labels.get(_pick_value(a, o.id), "")) for o in proposal.options), a.remark] for a in answers]
    else:
        header = head + [_("Antwoord"), _("Opmerking")]
        rows = [[*([a.user.name] if named else []), answer_text(proposal, a), a.remark] for a in answers]
    if named:
        header.append(_("Beantwoord op"))
        for row, a in zip(rows, answers, strict=True):
            row.append(datetime_long(a.answered_at))
        rows.sort(key=lambda row: row[0])
    else:
        rows.sort()
    return header, rows


def _pick_value(record: ProposalAnswer, option_id: int) -> str | None:
    return next((pick.value for pick in record.picks if pick.option_id == option_id), None)


def summary_of(proposal: Proposal, answers: list[ProposalAnswer] | None = None) -> str:
    """"7 voor, 1 onthouding": counts only, so also for an anonymous proposal."""
    return rules.summary(proposal.kind, counts_of(proposal, answers_of(proposal) if answers is None else answers))


# --- a date poll becomes a meeting ---------------------------------------------------------------

def best_option(proposal: Proposal, best: rules.Count | None) -> ProposalOption | None:
    """The date to plan a meeting on: the best of a date poll that has not become a meeting yet."""
    if proposal.kind != rules.DATE or proposal.planned_meeting_id or best is None:
        return None
    return next((o for o in proposal.options if o.id == best.key), None)


def plan_meeting(proposal: Proposal, option_id: int, now: datetime | None = None):
    """The date poll becomes a meeting on one of its dates, shown to the members at once: titled by
    the body and the date, with the body's standard agenda; the poll closes and each links to the
    other. Once: a second plan (another tab, a second click) is refused and plans nothing."""
    now = now or utcnow()
    option = next((o for o in proposal.options if o.id == option_id), None)
    if proposal.kind != rules.DATE or option is None:
        raise Refused(_("Kies een datum uit dit voorstel."))
    if proposal.planned_meeting_id:
        raise Refused(_("Met dit voorstel is al een vergadering gepland. Er komt geen tweede."))
    start, end = as_local(option.starts_at), as_local(max(option.ends_at, option.starts_at))
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # the title is data, in the site's language
        title = f"{proposal.body.name}, {date_long(start)}"
    [meeting] = meetings_logic.create_meetings(proposal.body_id, [start.date()], {
        "title": title[:MAX_MEETING_TITLE], "kind": meetings_rules.REGULAR, "location": "", "online_url": "",
        "visibility": meetings_rules.MEMBERS, "start": start.time(), "end": end.time()}, publish_at=now)
    # Claimed in the database, so of two requests at once only the first plans (the other waits for its commit).
    claimed = db.session.execute(update(Proposal).where(Proposal.id == proposal.id,
                                                        Proposal.planned_meeting_id.is_(None))
                                 .values(planned_meeting_id=meeting.id)).rowcount
    if not claimed:
        db.session.rollback()
        raise Refused(_("Met dit voorstel is al een vergadering gepland. Er komt geen tweede."))
    _close(proposal, now)
    db.session.commit()
    return meeting


def _planned_meeting(proposal: Proposal):
    if not proposal.planned_meeting_id:
        return None
    return meetings_logic.meetings_by_id([proposal.planned_meeting_id]).get(proposal.planned_meeting_id)


def planned_from(meeting_id: int, user) -> Proposal | None:
    """The date poll this meeting was planned with, for who may see it."""
    proposal = db.session.scalar(db.select(Proposal).filter_by(planned_meeting_id=meeting_id))
    return proposal if proposal is not None and can_see(user, proposal) else None


# --- closing and the outcome ----------------------------------------------------------------------

def close(proposal: Proposal, now: datetime | None = None) -> None:
    """The secretary closes the proposal before its closing time."""
    if proposal.status == rules.CLOSED:
        raise Refused(_("Dit voorstel is al gesloten."))
    _close(proposal, now or utcnow())
    db.session.commit()


def _close(proposal: Proposal, now: datetime) -> bool:
    """Close it once (a second closing changes nothing); an anonymous proposal's answers lose their names."""
    values = {"status": rules.CLOSED, "closed_at": min(now, proposal.closes_at)}
    if proposal.anonymous:
        values["names_removed_at"] = now
    closed = db.session.execute(update(Proposal).where(Proposal.id == proposal.id, Proposal.status == rules.OPEN)
                                .values(**values)).rowcount
    if closed and proposal.anonymous:
        db.session.execute(update(ProposalAnswer).where(ProposalAnswer.proposal_id == proposal.id)
                           .values(user_id=None))
    return bool(closed)


def close_due(now: datetime | None = None) -> int:
    """For cron: close what reached its closing time, and put outcomes on a meeting planned since."""
    now = now or utcnow()
    due = db.session.scalars(db.select(Proposal).filter(Proposal.status == rules.OPEN, Proposal.closes_at <= now)).all()
    closed = 0
    for proposal in due:
        closed += _close(proposal, now)
        db.session.commit()
    place_waiting_outcomes(now)
    return closed


def write_outcome(proposal: Proposal, outcome: str, text: str, actor, now: datetime | None = None) -> None:
    """The secretary's outcome: noted in the dossier, put on the next meeting's agenda and in its
    minutes, and mailed to the body's members. It cannot change afterwards."""
    now = now or utcnow()
    if not proposal.is_closed(now):
        raise Refused(_("Het voorstel is nog open. Sluit het eerst."))
    if proposal.outcome:
        raise Refused(_("De uitkomst is al vastgelegd. Die kan niet meer veranderen."))
    if outcome not in rules.OUTCOMES:
        raise Refused(_("Kies de uitkomst."))
    _close(proposal, now)  # its closing time passed before the cron job came by
    proposal.outcome, proposal.outcome_text, proposal.outcome_at, proposal.outcome_by_id = outcome, text, now, actor.id
    summary = land_outcome(proposal, actor, now)
    planned = _planned_meeting(proposal)
    # A date poll that became a meeting names it: its best date is that meeting's.
    result = (_("De vergadering: %(title)s, %(when)s\n%(url)s", title=planned.title,
                when=datetime_long(planned.starts_at), url=site_url("meetings.show", meeting_id=planned.id))
              if planned is not None else _("De antwoorden: %(summary)s", summary=summary))
    for membership in memberships_of(proposal.body_id):
        send_mail(membership.user, _("Uitkomst: %(title)s", title=proposal.title),
                  _("De uitkomst van het voorstel ‘%(title)s’: %(outcome)s.\n\n%(text)s\n\n%(result)s\n\n%(url)s",
                    title=proposal.title, outcome=proposal.outcome_label, text=text, result=result,
                    url=_url(proposal)), kind="proposals", body_id=proposal.body_id)
    db.session.commit()


def outcome_text_for(proposal: Proposal, answers: list[ProposalAnswer]) -> str:
    """What the outcome form starts with: the meeting a date poll became, else the counts."""
    planned = _planned_meeting(proposal)
    if planned is not None:
        return _("De vergadering is op %(when)s.", when=datetime_long(planned.starts_at))
    return summary_of(proposal, answers)


def land_outcome(proposal: Proposal, actor, now: datetime) -> str:
    """Where a written outcome goes: the linked dossier's timeline, the next meeting. Returns the counts."""
    summary = summary_of(proposal)
    if proposal.advice_id:
        advice = advice_logic.advices_by_id([proposal.advice_id]).get(proposal.advice_id)
        if advice is not None:
            advice_logic.add_note(advice, actor, _(
                "Schriftelijke ronde ‘%(title)s’: %(outcome)s. %(summary)s. %(text)s", title=proposal.title,
                outcome=proposal.outcome_label, summary=summary.rstrip("."), text=proposal.outcome_text))
    _place(proposal, now, summary)
    return summary


def _place(proposal: Proposal, now: datetime, summary: str) -> None:
    """On the body's next meeting: a line in the item "Besluiten buiten de vergadering" and a decision in
    its minutes. Without a next meeting it waits (place_waiting_outcomes)."""
    meeting = meetings_logic.next_meeting_of(proposal.body_id, now)
    if meeting is None:
        return
    # Claimed as the reminders are: cron on a second server may have found it waiting too.
    if not db.session.execute(update(Proposal).where(Proposal.id == proposal.id, Proposal.placed_meeting_id.is_(None))
                              .values(placed_meeting_id=meeting.id)).rowcount:
        return
    placed = db.session.scalars(db.select(Proposal).filter_by(placed_meeting_id=meeting.id)
                                .order_by(Proposal.outcome_at, Proposal.id)).all()
    meetings_logic.keep_item(meeting, AGENDA_TITLE, _agenda_text(placed, meeting.is_public))
    meetings_logic.append_decision(meeting.id, _(
        "Besloten buiten de vergadering, %(date)s: ‘%(title)s’. %(outcome)s. %(summary)s. %(text)s",
        date=date_long(proposal.closed_at or now), title=proposal.title, outcome=proposal.outcome_label,
        summary=summary.rstrip("."), text=proposal.outcome_text)[:MAX_DECISION])


def _agenda_text(placed: list[Proposal], public: bool) -> str:
    """Markdown for the agenda item. A public meeting's agenda names no proposal: those are for the
    body's members, who read them at Voorstellen and in the minutes."""
    if public:
        return ngettext("%(num)s voorstel is buiten de vergadering afgerond.",
                        "%(num)s voorstellen zijn buiten de vergadering afgerond.", len(placed)) + " " + _(
            "De leden lezen de uitkomsten bij Voorstellen en in het verslag.")
    return "\n".join(_("- [%(title)s](%(url)s), gesloten op %(date)s: **%(outcome)s**. %(text)s",
                       title=p.title.replace("[", "(").replace("]", ")"), url=_url(p),
                       date=date_long(p.closed_at or p.closes_at), outcome=p.outcome_label,
                       text=" ".join(p.outcome_text.split())) for p in placed)


def place_waiting_outcomes(now: datetime) -> int:
    """Outcomes written while the body had no next meeting go on the first one planned since."""
    waiting = db.session.scalars(db.select(Proposal).filter(
        Proposal.outcome.is_not(None), Proposal.placed_meeting_id.is_(None),
        Proposal.outcome_at > now - rules.LONGEST_OPEN)).all()
    for proposal in waiting:
        _place(proposal, now, summary_of(proposal))
    db.session.commit()
    return sum(1 for proposal in waiting if proposal.placed_meeting_id)


# --- reminders, calendar, annual report -----------------------------------------------------------

def send_reminders(now: datetime | None = None) -> int:
    """One reminder before closing, to who may answer and has not; claimed first, so two runs send it once."""
    now = now or utcnow()
    before = timedelta(hours=current_app.config["PROPOSAL_REMINDER_HOURS"])
    candidates = db.session.scalars(db.select(Proposal).filter(
        Proposal.status == rules.OPEN, Proposal.reminder_sent_at.is_(None), Proposal.closes_at > now,
        Proposal.closes_at <= now + before).options(selectinload(Proposal.body))).all()
    sent = 0
    for proposal in candidates:
        if not rules.reminder_due(now, proposal.closes_at, proposal.created_at, before):
            continue
        claimed = db.session.execute(update(Proposal).where(Proposal.id == proposal.id,
                                                            Proposal.reminder_sent_at.is_(None))
                                     .values(reminder_sent_at=now)).rowcount
        answered = {a.user_id for a in answers_of(proposal)} if claimed else set()
        for membership in voters_of(proposal) if claimed else ():
            if membership.user_id not in answered:
                sent += send_mail(membership.user, _("Herinnering: %(title)s", title=proposal.title), _(
                    "U heeft nog niet geantwoord op het voorstel ‘%(title)s’ van %(body)s. Het sluit op %(closes)s."
                    "\n\n%(url)s", title=proposal.title, body=proposal.body.name,
                    closes=datetime_long(proposal.closes_at), url=_url(proposal)), kind="proposals",
                    body_id=proposal.body_id)
        db.session.commit()
    return sent


def closing_times(user, start: datetime, end: datetime, body_id: int | None,
                  first: int | None = None) -> list[CalendarEvent]:
    """The closing time of each proposal this member may answer."""
    if not user.is_authenticated:
        return []
    query = (db.select(Proposal).join(Membership, _voter_clause(user))
             .filter(Proposal.closes_at >= start, Proposal.closes_at < end).options(selectinload(Proposal.body)))
    if body_id:
        query = query.filter(Proposal.body_id == body_id)
    query = query.order_by(Proposal.closes_at, Proposal.id).limit(first)
    return [CalendarEvent(uid=f"proposal-{p.id}", title=_("Voorstel sluit: %(title)s", title=p.title),
                          starts_at=p.closes_at, ends_at=p.closes_at,
                          url=url_for("proposals.show", proposal_id=p.id), kind="proposal",
                          kind_label=_("Voorstel"), body_id=p.body_id, body_name=p.body.name, changed_at=p.created_at)
            for p in db.session.scalars(query)]


def year_numbers(year: int) -> dict[int, dict[str | None, int]]:
    """Per body: proposals closed in the year, by outcome (None: not written yet)."""
    start, end = from_local(date(year, 1, 1), time()), from_local(date(year + 1, 1, 1), time())
    rows = db.session.execute(db.select(Proposal.body_id, Proposal.outcome, func.count()).filter(
        Proposal.status == rules.CLOSED, Proposal.closed_at >= start, Proposal.closed_at < end)
        .group_by(Proposal.body_id, Proposal.outcome))
    numbers: dict[int, dict] = defaultdict(dict)
    for body_id, outcome, n in rows:
        numbers[body_id][outcome] = n
    return numbers


# --- privacy --------------------------------------------------------------------------------------

PROCESSING = Processing(
    name=_l("Voorstellen en antwoorden"),
    purpose=_l("Besluiten tussen vergaderingen: leden antwoorden op een voorstel, de secretaris legt de uitkomst vast."),
    people=_l("Leden van de organen"),
    data=_l("Wie een voorstel deed, wie erop antwoordde, het antwoord met de opmerking en wanneer, en wie de "
            "uitkomst schreef."),
    recipients=_l("De leden van hetzelfde orgaan. Bij een anoniem voorstel ziet niemand wie wat antwoordde."),
    retention=lambda config: _lm(
        "Wie wat antwoordde, met de opmerking: tot %(days)s dagen na het sluiten. Daarna blijven alleen de aantallen. "
        "Bij een anoniem voorstel haalt de site de namen al bij het sluiten los van de antwoorden. Het voorstel en "
        "de uitkomst blijven bewaard: zij zijn het archief van het orgaan.",
        days=config["PROPOSAL_ANSWER_RETENTION_DAYS"]),
)


def purge_names(now: datetime, dry_run: bool) -> int:
    """After the retention period the answers keep only what they were: no name, no remark."""
    cutoff = now - timedelta(days=current_app.config["PROPOSAL_ANSWER_RETENTION_DAYS"])
    due = db.select(Proposal.id).filter(Proposal.status == rules.CLOSED, Proposal.closed_at < cutoff)
    condition = and_(ProposalAnswer.proposal_id.in_(due),
                     or_(ProposalAnswer.user_id.is_not(None), ProposalAnswer.remark != ""))
    if dry_run:
        return db.session.scalar(db.select(func.count()).select_from(ProposalAnswer).where(condition))
    removed = db.session.execute(update(ProposalAnswer).where(condition).values(user_id=None, remark="")).rowcount
    db.session.execute(update(Proposal).where(Proposal.id.in_(due), Proposal.names_removed_at.is_(None))
                       .values(names_removed_at=now))
    return removed
