"""The rules of activities and sign-ups, as plain functions."""
from datetime import datetime

from flask_babel import lazy_gettext as _l

MAX_TITLE = 200
# Longer ones are not an activity but a period. The limit also lets date queries use the start index.
MAX_DAYS = 31

KINDS = {"training": _l("Training"), "kennismaking": _l("Kennismaking"), "overleg": _l("Overleg"),
         "informatie": _l("Informatiebijeenkomst"), "werkbezoek": _l("Werkbezoek"), "anders": _l("Anders")}
ORGANISERS = {"uwv": _l("UWV"), "lcr": _l("Landelijke Cliëntenraad"), "gemeente": _l("Gemeente"),
              "clientenraad": _l("Cliëntenraad"), "anders": _l("Anders")}
SCOPES = {"lokaal": _l("Lokaal"), "regionaal": _l("Regionaal"), "landelijk": _l("Landelijk")}

EVERYONE, MEMBERS, BODIES = "everyone", "members", "bodies"
AUDIENCES = {EVERYONE: _l("Iedereen, ook mensen zonder account"), MEMBERS: _l("Alle leden"),
             BODIES: _l("Alleen leden van de organen die ik kies")}

PROPOSED, PUBLISHED, DECLINED, CANCELLED = "proposed", "published", "declined", "cancelled"
STATUSES = {PROPOSED: _l("Voorstel"), PUBLISHED: _l("Gepubliceerd"), DECLINED: _l("Afgewezen"),
            CANCELLED: _l("Afgelast")}

# A sign-up: a guest's first waits for the e-mail link; a place, or the waiting list.
UNCONFIRMED, CONFIRMED, WAITING, WITHDRAWN = "unconfirmed", "confirmed", "waiting", "withdrawn"
SIGNUP_STATUSES = {UNCONFIRMED: _l("Nog niet bevestigd"), CONFIRMED: _l("Aangemeld"),
                   WAITING: _l("Op de wachtlijst"), WITHDRAWN: _l("Afgemeld")}


def sign_up_closed(now: datetime, deadline: datetime | None, starts_at: datetime) -> bool:
    """Closed at the deadline, and at the start at the latest (a deadline after the start does not count)."""
    return now >= starts_at or (deadline is not None and now >= deadline)


def why_no_signup(status: str, deadline: datetime | None, starts_at: datetime, now: datetime):
    """Why nobody can sign up now, in Dutch; None while they can."""
    if status == PROPOSED:
        return _l("Aanmelden kan pas als een secretaris dit voorstel heeft goedgekeurd.")
    if status == DECLINED:
        return _l("U kunt zich niet aanmelden: dit voorstel is afgewezen.")
    if status != PUBLISHED:
        return _l("U kunt zich niet aanmelden: deze activiteit gaat niet door.")
    if now >= starts_at:
        return _l("Aanmelden kan niet meer: de activiteit is al begonnen.")
    if deadline is not None and now >= deadline:
        return _l("Aanmelden kan niet meer: de aanmeldtermijn is voorbij.")
    return None


def why_no_cancelling(status: str, ends_at: datetime, now: datetime):
    """An activity can be cancelled until it is over; once cancelled, that is done."""
    if status == CANCELLED:
        return _l("De activiteit is al afgelast.")
    if now >= ends_at:
        return _l("Afgelasten kan niet meer: de activiteit is al voorbij.")
    return None


def new_place_status(capacity: int | None, taken: int) -> str:
    """A place while there is room; otherwise the waiting list."""
    return CONFIRMED if capacity is None or taken < capacity else WAITING


def places_left(capacity: int | None, taken: int) -> int | None:
    return None if capacity is None else max(0, capacity - taken)
