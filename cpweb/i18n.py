"""Language choice and Dutch dates ("donderdag 19 mei 2026, 14:00")."""
from datetime import date, datetime

from flask import current_app, has_request_context, session
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

# Patterns rather than Babel's "full" format: that one adds the time zone name,
# which a volunteer does not need to read on every line.
DATE_LONG = "EEEE d MMMM y"
DATETIME_LONG = "EEEE d MMMM y, HH:mm"
DATE_SHORT = "d MMM y"


def select_locale() -> str:
    """The member's own choice, then the visitor's choice this session, then Dutch."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # command line and mail jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = getattr(current_user, "language", None) or session.get("language")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _format(value: date | datetime | None, pattern: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, pattern)  # shown in Europe/Amsterdam
    return format_date(value, pattern)


def date_long(value: date | datetime | None) -> str:
    return _format(value, DATE_LONG)


def datetime_long(value: datetime | None) -> str:
    return _format(value, DATETIME_LONG)


def date_short(value: date | datetime | None) -> str:
    return _format(value, DATE_SHORT)


def init_app(app):
    app.jinja_env.filters.update(date_long=date_long, datetime_long=datetime_long, date_short=date_short)
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
