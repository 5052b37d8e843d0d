"""The rules of signals, kept apart from the views so they can be tested on their own."""
from flask_babel import lazy_gettext as _l

# The subjects a new site starts with; after that secretaries keep the list (SignalCategory).
DEFAULT_CATEGORIES = {
    "bejegening": "Bejegening: hoe u behandeld werd",
    "communicatie": "Communicatie en informatie",
    "deskundigheid": "Deskundigheid",
    "werk": "Werk en re-integratie",
    "uitkering": "Uitkering en regels",
    "bereikbaarheid": "Bereikbaarheid",
    "anders": "Iets anders",
}
SENTIMENTS = {"goed": _l("Het ging goed"), "beter": _l("Het kan beter")}
ORGANISATIONS = {"gemeente": _l("Gemeente"), "uwv": _l("UWV"), "werkplein": _l("Werkplein"),
                 "anders": _l("Anders, of ik weet het niet")}
SOURCES = {"online": _l("Online formulier"), "telefoon": _l("Telefoon"), "spreekuur": _l("Spreekuur"),
           "email": _l("E-mail"), "anders": _l("Anders")}
UNKNOWN_MUNICIPALITY = "onbekend"

NEW, IN_PROGRESS, ON_AGENDA, DISCUSSED, PASSED_ON, DONE, CANCELLED, REOPENED = (
    "nieuw", "in_behandeling", "geagendeerd", "besproken", "doorgegeven", "afgerond", "geannuleerd", "heropend")
STATUSES = {
    NEW: _l("Nieuw"), IN_PROGRESS: _l("In behandeling"), ON_AGENDA: _l("Geagendeerd"),
    DISCUSSED: _l("Besproken"), PASSED_ON: _l("Doorgegeven"), DONE: _l("Afgerond"),
    CANCELLED: _l("Geannuleerd"), REOPENED: _l("Heropend"),
}
# Every allowed status change, in one place.
TRANSITIONS = {
    NEW: (IN_PROGRESS, ON_AGENDA, CANCELLED),  # on an agenda at once: one save
    IN_PROGRESS: (ON_AGENDA, PASSED_ON, DONE, CANCELLED),
    ON_AGENDA: (DISCUSSED, CANCELLED),
    DISCUSSED: (PASSED_ON, DONE),
    PASSED_ON: (DONE,),
    DONE: (REOPENED,),
    CANCELLED: (REOPENED,),
    REOPENED: (IN_PROGRESS, ON_AGENDA, PASSED_ON, DONE, CANCELLED),
}
CLOSED = (DONE, CANCELLED)
# Why the public form marked a signal as possible spam, for the secretary who reads it.
SPAM_REASONS = {
    "honeypot": _l("Een verborgen veld was ingevuld. Mensen zien dat veld niet, computerprogramma’s vullen het in."),
    "too_fast": _l("Het formulier werd verstuurd binnen een paar seconden nadat het openging. Zo snel typt geen mens."),
    # Signals from before a missing form token counted as "opened just now".
    "no_token": _l("Het formulier kwam niet van deze website."),
}
# What the visitor reads on their follow page: fewer, plainer steps than the council's own.
RECEIVED, BUSY, FINISHED = "ontvangen", "in_behandeling", "afgerond"
PUBLIC_STATUSES = {RECEIVED: _l("Ontvangen"), BUSY: _l("In behandeling"), DISCUSSED: _l("Besproken"),
                   FINISHED: _l("Afgerond")}
_PUBLIC = {NEW: RECEIVED, IN_PROGRESS: BUSY, ON_AGENDA: BUSY, DISCUSSED: DISCUSSED, PASSED_ON: BUSY, DONE: FINISHED,
           CANCELLED: FINISHED, REOPENED: BUSY}
CANCEL_REASONS = {"spam": _l("Spam"), "dubbel": _l("Dubbel: hetzelfde signaal staat er al"),
                  "buiten_werkterrein": _l("Buiten ons werkterrein")}
PASSED_TO = {"gemeente": _l("Gemeente"), "uwv": _l("UWV"), "werkplein": _l("Werkplein")}

# The report per organisation names no number below this: a handful of signals at one place could
# point at the people behind them. Such a count reads "minder dan 5".
SMALL_GROUP = 5

# The consent text the visitor saw; stored with the consent so we can show what they agreed to.
CONSENT_VERSION = "2026-11"
MIN_TEXT, MAX_TEXT = 10, 5000


def next_statuses(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in next_statuses(from_status)


def public_status(status: str) -> str:
    return _PUBLIC.get(status, BUSY)


def format_reference(year: int, number: int) -> str:
    return f"S-{year}-{number:04d}"
