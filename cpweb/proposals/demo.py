"""Demo proposals of the sounding-board group: a concept advice to agree on, a date to pick, a closed round
whose outcome is on the next meeting's agenda and in the dossier, and an anonymous one waiting for its outcome."""
from datetime import datetime, time, timedelta

from ..advice.logic import advice_query
from ..core.database import utcnow
from ..core.extensions import db
from ..core.i18n import from_local, local_today
from ..demo import DemoRegion
from . import logic, rules
from .models import Proposal, ProposalAnswer, ProposalOption, ProposalPick


def demo_proposals(region: DemoRegion) -> None:
    body = region.bodies["klankbordgroep-werkplein"]
    users = region.users
    secretary = users["secretaris@example.org"]
    today, now = local_today(), utcnow()
    # The open ones were put out yesterday: their answers (two hours later) are behind us, whatever the hour.
    yesterday = now - timedelta(days=1)
    # An adviser in the group: she takes part, but does not vote.
    next(m for m in users["sandra@example.org"].memberships if m.body_id == body.id).votes = False
    dossiers = {advice.title: advice for advice in db.session.scalars(advice_query([body.id]))}

    concept = _proposal(body, secretary, "Concept-advies over het ketenjaarplan", rules.CONSENT, yesterday,
                        closes_at=from_local(today + timedelta(days=5), time(17, 0)), voters=rules.VOTING,
                        advice_id=dossiers["Reactie op het ketenjaarplan"].id,
                        text="Het concept-advies staat in het dossier. Stemt u in? Dan sturen we het **vrijdag** "
                             "naar UWV. Heeft u een bezwaar? Schrijf dan op waarom.")
    _answer(concept, secretary, rules.AGREE)
    _answer(concept, users["mohamed@example.org"], rules.AGREE, "Goed stuk. Misschien nog een voorbeeld erbij?")

    poll = _proposal(body, secretary, "Datum voor een extra vergadering over het ketenjaarplan", rules.DATE, yesterday,
                     closes_at=from_local(today + timedelta(days=3), time(12, 0)),
                     text="UWV wil ons advies snel bespreken. Wanneer kunt u?")
    evenings = [day for day in (today + timedelta(days=n) for n in range(7, 21)) if day.weekday() in (1, 3)][:3]
    poll.options = [ProposalOption(position=n, starts_at=from_local(day, time(19, 30)),
                                   ends_at=from_local(day, time(21, 0))) for n, day in enumerate(evenings)]
    db.session.flush()
    for user, values in ((secretary, "yes maybe yes"), (users["mohamed@example.org"], "yes no yes"),
                         (users["ria@example.org"], "maybe yes yes")):
        _answer(poll, user, None, picks=dict(zip((o.id for o in poll.options), values.split(), strict=True)))

    closed = _proposal(body, secretary, "Ongevraagd advies over re-integratietrajecten", rules.VOTE,
                       from_local(today - timedelta(days=14), time(9, 0)),
                       closes_at=from_local(today - timedelta(days=7), time(17, 0)),
                       advice_id=dossiers["Ervaringen met re-integratietrajecten"].id,
                       text="Zullen we een ongevraagd advies schrijven over de ervaringen met re-integratietrajecten?")
    for email, choice, remark in (("secretaris@example.org", rules.FOR, ""), ("lid@example.org", rules.FOR, ""),
                                  ("mohamed@example.org", rules.FOR, ""),
                                  ("ria@example.org", rules.ABSTAIN, "Goed plan, maar de planning is krap.")):
        _answer(closed, users[email], choice, remark)
    closed.status, closed.closed_at = rules.CLOSED, closed.closes_at
    closed.outcome, closed.outcome_at, closed.outcome_by_id = rules.DECIDED, now - timedelta(days=6), secretary.id
    closed.outcome_text = "Aangenomen. Joke en Mohamed schrijven het concept, met de opmerking van Ria over de planning."
    logic.land_outcome(closed, secretary, now)
    _waiting_for_outcome(body, users, secretary, today)
    db.session.flush()


def _waiting_for_outcome(body, users, secretary, today) -> None:
    """Closed yesterday, anonymous: the secretary still writes its outcome."""
    theme = _proposal(body, secretary, "Onderwerp van de themavergadering", rules.CHOICE,
                      from_local(today - timedelta(days=8), time(10, 0)),
                      closes_at=from_local(today - timedelta(days=1), time(17, 0)), anonymous=True, max_choices=2,
                      text="Over welk onderwerp willen we in het voorjaar een themavergadering? Kies er hoogstens twee.")
    theme.options = [ProposalOption(position=n, label=label) for n, label in enumerate(
        ("Schuldhulp", "Digitale dienstverlening", "Werken met een uitkering"))]
    db.session.flush()
    first, second, third = (o.id for o in theme.options)
    for email, chosen, remark in (("secretaris@example.org", (first,), ""), ("lid@example.org", (first, second), ""),
                                  ("ria@example.org", (second, third), "Veel klanten lopen vast op de website.")):
        _answer(theme, users[email], None, remark, dict.fromkeys(chosen, rules.YES))
    # Closed as the cron job does: the answers no longer say who gave them.
    theme.status, theme.closed_at, theme.names_removed_at = rules.CLOSED, theme.closes_at, theme.closes_at
    db.session.flush()
    db.session.execute(db.update(ProposalAnswer).where(ProposalAnswer.proposal_id == theme.id).values(user_id=None))


def _proposal(body, creator, title: str, kind: str, created_at: datetime, **fields) -> Proposal:
    proposal = Proposal(body_id=body.id, title=title, kind=kind, created_by_id=creator.id, created_at=created_at,
                        **fields)
    db.session.add(proposal)
    db.session.flush()
    return proposal


def _answer(proposal: Proposal, user, choice: str | None, remark: str = "", picks: dict | None = None) -> None:
    answer = ProposalAnswer(proposal_id=proposal.id, user_id=user.id, choice=choice, remark=remark,
                            answered_at=proposal.created_at + timedelta(hours=2))
    answer.picks = [ProposalPick(option_id=option_id, value=value) for option_id, value in (picks or {}).items()]
    db.session.add(answer)
