"""Language choice, Dutch dates ("donderdag 19 mei 2026, 14:00") and messages with values."""
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from babel import dates
from flask import current_app, g, has_request_context, session
from flask_babel import format_decimal, get_locale, get_translations, gettext
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup

# Patterns rather than Babel's "full" format: that one adds the time zone name,
# which a volunteer does not need to read on every line.
DATE_LONG = "EEEE d MMMM y"
DATETIME_LONG = "EEEE d MMMM y, HH:mm"
DATE_SHORT = "d MMM y"

# Members live in one time zone; the database keeps UTC.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def gettext_markup(message: str, **values) -> Markup:
    """A translated message with values, for a page or a flash: each value is escaped, so a title or
    a name a person typed stays text. Flask-Babel fills in values without escaping, and Jinja trusts
    its lazy strings as they are (they have __html__), so `_l("… %(title)s", title=…)` puts the
    title on the page as markup, and htmx acts on any hx-* attribute in it. The message itself is
    ours, as in a template's {% trans %}. For a plain-text mail, `_()` is right: this would write
    & as &amp;."""
    return Markup(gettext(message)) % values


def lazy_gettext_markup(message: str, **values) -> LazyString:
    """gettext_markup, translated when shown: for texts made before the language is known (the
    messages of a form's fields, lists at module level)."""
    return LazyString(gettext_markup, message, **values)


def local_today() -> date:
    return datetime.now(AMSTERDAM).date()


def from_local(day: date, at: time) -> datetime:
    """A wall-clock time in Amsterdam as an aware UTC instant (right on both sides of a DST change)."""
    return datetime.combine(day, at, AMSTERDAM).astimezone(UTC)


def as_local(value: datetime) -> datetime:
    return value.astimezone(AMSTERDAM)


def select_locale() -> str:
    """The member's own choice, then the visitor's choice this session, then Dutch."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # command line and mail jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = getattr(current_user, "language", None) or session.get("language")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _format(value: date | datetime | None, pattern: str) -> str:
    # Babel itself: Flask-Babel's wrappers look up the time zone and the locale again on each call,
    # which made dates a third of a list row's time.
    if value is None:
        return ""
    if isinstance(value, datetime):
        return dates.format_datetime(value, pattern, tzinfo=AMSTERDAM, locale=get_locale())
    return dates.format_date(value, pattern, locale=get_locale())


def date_long(value: date | datetime | None) -> str:
    return _format(value, DATE_LONG)


def date_in_text(value: date | datetime | None) -> str:
    """Without the weekday: for lists of dates in a year, where the day of the week says nothing."""
    return _format(value, "d MMMM y")


def datetime_long(value: datetime | None) -> str:
    return _format(value, DATETIME_LONG)


def time_short(value: datetime | None) -> str:
    return _format(value, "HH:mm")


def month_name(value: date) -> str:
    return _format(value, "LLLL y")


def month_name_only(value: date) -> str:
    return _format(value, "MMMM")


def weekday_name(value: date) -> str:
    return _format(value, "EEEE")


def weekday_short(value: date) -> str:
    return _format(value, "EEE")


def date_short(value: date | datetime | None) -> str:
    return _format(value, DATE_SHORT)


def number(value: float | None) -> str:
    """12,5 in Dutch (12.5 in English), a whole number without ",0"; "-" for no value."""
    return "-" if value is None else format_decimal(value, "#,##0.#")


def _catalogue_cache():
    """The templates' gettext: the catalogue of the locale chosen for this request (or forced, for a
    mail), found in a dict. Flask-Babel's own callables look up the context, the domain and the
    locale again for each of the 30-odd texts on a page: a third of a simple page's time."""
    catalogues = {}

    def catalogue():
        state = g.get("_flask_babel") if g else None
        locale = getattr(state, "babel_locale", None)
        if locale is None:  # the first text of a request: Flask-Babel chooses the locale
            return get_translations()
        found = catalogues.get(locale)
        if found is None:
            found = catalogues[locale] = get_translations()
        return found

    return catalogue


def init_app(app):
    catalogue = _catalogue_cache()
    app.jinja_env.install_gettext_callables(
        gettext=lambda text: catalogue().ugettext(text),
        ngettext=lambda singular, plural, n: catalogue().ungettext(singular, plural, n),
        pgettext=lambda context, text: catalogue().upgettext(context, text),
        npgettext=lambda context, singular, plural, n: catalogue().unpgettext(context, singular, plural, n),
        newstyle=True)
    app.jinja_env.filters.update(date_long=date_long, datetime_long=datetime_long, date_short=date_short,
                               time_short=time_short, month_name=month_name, month_name_only=month_name_only,
                               weekday_name=weekday_name, weekday_short=weekday_short, number=number)
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
