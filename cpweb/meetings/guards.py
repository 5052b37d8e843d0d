"""What a meeting's state allows, as rules: plain values in, a Dutch reason why not (or None) out.
Logic enforces them (`cpweb.core.guards.check`); the meeting page shows the same reasons."""
from datetime import datetime

from flask_babel import lazy_gettext as _l

from ..core.i18n import datetime_long
from ..core.i18n import lazy_gettext_markup as _lm
from . import rules


def _closed(status: str, minutes_status: str):
    """Why a meeting is over for planning: cancelled, minutes approved, or held."""
    if status == rules.CANCELLED:
        return _l("De vergadering is afgelast.")
    if minutes_status == rules.APPROVED:
        return _l("Het verslag is vastgesteld.")
    if status == rules.HELD:
        return _l("De vergadering is gehouden.")
    return None


def why_no_invitation(status: str, minutes_status: str, ends_at: datetime, now: datetime):
    closed = _closed(status, minutes_status)
    if closed:
        return _lm("Uitnodigen kan niet meer. %(why)s", why=closed)
    if now >= ends_at:
        return _l("Uitnodigen kan niet meer. De vergadering is al voorbij.")
    return None


def why_no_cancelling(status: str, minutes_status: str):
    closed = _closed(status, minutes_status)
    return _lm("Afgelasten kan niet meer. %(why)s", why=closed) if closed else None


def why_no_reordering(status: str, minutes_status: str):
    closed = _closed(status, minutes_status)
    return _lm("De volgorde van de agenda ligt vast. %(why)s", why=closed) if closed else None


def why_no_presence(status: str, starts_at: datetime, now: datetime):
    """The presence list is for who was there: from the start of the meeting on."""
    if status == rules.CANCELLED:
        return _l("De vergadering is afgelast. Er is geen presentielijst.")
    if now < starts_at:
        return _lm("De presentielijst kunt u invullen vanaf het begin van de vergadering: %(when)s.",
                   when=datetime_long(starts_at))
    return None


def why_not_held(status: str, starts_at: datetime, now: datetime):
    """‘Gehouden’ is something the secretary says, and only once the meeting has begun."""
    if status == rules.CANCELLED:
        return _l("De vergadering is afgelast.")
    if status == rules.HELD:
        return _l("De vergadering staat al op ‘Gehouden’.")
    if now < starts_at:
        return _lm("‘Gehouden’ kan vanaf het begin van de vergadering: %(when)s.", when=datetime_long(starts_at))
    return None


def why_no_answer(status: str, starts_at: datetime, now: datetime):
    """Members say whether they come until the meeting begins."""
    if status == rules.CANCELLED:
        return _l("De vergadering is afgelast.")
    if now >= starts_at:
        return _l("De vergadering is al begonnen. Laten weten of u komt, kan niet meer.")
    return None


def why_no_documents_complete(status: str, minutes_status: str, starts_at: datetime, now: datetime,
                              has_stukken: bool, complete_at: datetime | None):
    """"De stukken zijn compleet" is news before the meeting, once, and only when there are stukken."""
    closed = _closed(status, minutes_status)
    if closed:
        return _lm("Laten weten dat de stukken compleet zijn, kan niet meer. %(why)s", why=closed)
    if now >= starts_at:
        return _l("Laten weten dat de stukken compleet zijn, kan niet meer. De vergadering is al begonnen.")
    if complete_at is not None:
        return _lm("De leden weten al dat de stukken compleet zijn. Dat bericht ging weg op %(when)s.",
                   when=datetime_long(complete_at))
    if not has_stukken:
        return _l("Er zijn nog geen stukken. Voeg eerst de stukken toe bij de agendapunten.")
    return None


def why_no_sharing(minutes_status: str, text: str):
    if minutes_status != rules.DRAFT:
        return _l("Het verslag is al gedeeld.")
    if not text.strip():
        return _l("Het verslag is nog leeg. Schrijf en bewaar eerst het verslag. Daarna kunt u het delen.")
    return None


def refusals(status: str, minutes_status: str, minutes_text: str, starts_at: datetime, ends_at: datetime,
             now: datetime, has_stukken: bool, complete_at: datetime | None) -> dict:
    """Every guard of the meeting page at once: the reason per action, None where it is offered."""
    return {"invite": why_no_invitation(status, minutes_status, ends_at, now),
            "documents": why_no_documents_complete(status, minutes_status, starts_at, now, has_stukken, complete_at),
            "cancel": why_no_cancelling(status, minutes_status),
            "reorder": why_no_reordering(status, minutes_status),
            "presence": why_no_presence(status, starts_at, now),
            "held": why_not_held(status, starts_at, now),
            "answer": why_no_answer(status, starts_at, now),
            "share": why_no_sharing(minutes_status, minutes_text)}
