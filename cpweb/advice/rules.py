"""The rules of an advice dossier, as plain functions."""
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from ..core.i18n import lazy_gettext_markup as _lm

MAX_TITLE = 200

KINDS = {"gevraagd": _l("Gevraagd advies"), "ongevraagd": _l("Ongevraagd advies")}
TOPICS = {"beleid": _l("Beleid"), "deskundigheid": _l("Deskundigheid"), "communicatie": _l("Communicatie"),
          "bejegening": _l("Bejegening"), "re-integratie": _l("Re-integratie"), "anders": _l("Anders")}

IDEA, PREPARING, SENT, RESPONDED, FOLLOW_UP, DONE = "idea", "preparing", "sent", "responded", "follow_up", "done"
STATUSES = {IDEA: _l("Verzoek of idee"), PREPARING: _l("In voorbereiding"), SENT: _l("Uitgebracht"),
            RESPONDED: _l("Reactie ontvangen"), FOLLOW_UP: _l("Nagesprek"), DONE: _l("Afgerond")}
# Each step moves on; a follow-up talk is optional, and a dossier can close without a response.
NEXT = {IDEA: [PREPARING, DONE], PREPARING: [SENT, DONE], SENT: [RESPONDED, DONE],
        RESPONDED: [FOLLOW_UP, DONE], FOLLOW_UP: [DONE], DONE: []}

ADOPTED, PARTLY, NOT_ADOPTED, UNKNOWN = "adopted", "partly", "not_adopted", "unknown"
OUTCOMES = {ADOPTED: _l("Overgenomen"), PARTLY: _l("Deels overgenomen"), NOT_ADOPTED: _l("Niet overgenomen"),
            UNKNOWN: _l("Onbekend")}

# The steps that ask what the addressee did with the advice: once there is a response, and at the end.
OUTCOME_STEPS = (RESPONDED, FOLLOW_UP, DONE)

SOON_DAYS = 14

# Advice the council has sent may go on the public page; an idea or a draft may not.
PUBLISHABLE = (SENT, RESPONDED, FOLLOW_UP, DONE)
MAX_PUBLIC_SUMMARY = 2000


def publish_problem(status: str) -> str | None:
    if status not in PUBLISHABLE:
        return _l("Alleen een advies dat is verstuurd, kan op de website.")
    return None


def next_statuses(status: str) -> list[str]:
    return NEXT.get(status, [])


@dataclass(frozen=True)
class Attention:
    key: str
    label: str


def attention(status: str, deadline: date | None, sent_on: date | None, today: date, response_weeks: int):
    """What needs attention, or None: a deadline close or passed, or a response that is late."""
    if status in (IDEA, PREPARING) and deadline:
        if deadline < today:
            return Attention("overdue", _l("Termijn voorbij"))
        if deadline <= today + timedelta(days=SOON_DAYS):
            return Attention("soon", _l("Termijn binnen 14 dagen"))
    if status == SENT and sent_on and sent_on + timedelta(weeks=response_weeks) < today:
        return Attention("no_response", _l("Nog geen reactie"))
    return None


def step_outcome(target: str, chosen: str | None, stored: str | None) -> str | None:
    """The outcome after this step: the one chosen where the step asks for it, else what was stored."""
    return (chosen or stored) if target in OUTCOME_STEPS else stored


def step_problem(status: str, target: str, fields: dict, sent_on: date | None, response_on: date | None,
                 stored_outcome: str | None = None):
    """A Dutch instruction when a step cannot be taken with these details; None when it can. At the
    end an outcome chosen at an earlier step counts."""
    if target == status:
        return _lm("Deze stap is al opgeslagen: %(status)s.", status=STATUSES[status])
    if target not in next_statuses(status):
        return _l("Deze stap kan nu niet.")
    if target == SENT and not fields.get("sent_on"):
        return _l("Vul in wanneer het advies is verstuurd.")
    if target == RESPONDED:
        if not fields.get("response_on"):
            return _l("Vul in wanneer de reactie kwam.")
        if sent_on and fields["response_on"] < sent_on:
            return _l("De reactie kan niet eerder zijn dan het advies. Kijk de datum na.")
    if target == FOLLOW_UP and not fields.get("follow_up_on"):
        return _l("Vul de datum van het nagesprek in.")
    if target == DONE:
        outcome = step_outcome(target, fields.get("outcome"), stored_outcome)
        if not outcome:
            return _l("Kies wat er met het advies is gedaan.")
        if outcome != UNKNOWN and response_on is None:
            return _l("Zonder reactie is de uitkomst onbekend. Kies ‘Onbekend’, of leg eerst de reactie vast.")
    return None


def average_days(days: int, responses: int) -> float | None:
    """Average days from sending to response: the days summed over the dossiers with a response."""
    return round(days / responses, 1) if responses else None
