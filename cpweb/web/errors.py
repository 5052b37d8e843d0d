"""Dutch error pages in the site layout; htmx requests get just the message to show."""
from flask import current_app, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from ..core.extensions import db
from .rendering import render, wants_fragment

MESSAGES = {
    400: (_l("Dit verzoek klopt niet"),
          _l("De website begreep dit verzoek niet. Ga terug en probeer het nog een keer.")),
    403: (_l("U mag deze pagina niet zien"),
          _l("Deze pagina is alleen voor leden met een andere rol. Denkt u dat dit niet klopt? "
             "Vraag het de beheerder.")),
    404: (_l("Deze pagina bestaat niet"),
          _l("Misschien is de pagina verplaatst of klopt het adres niet. "
             "Kijk of u het adres goed heeft getypt, of ga naar de startpagina.")),
    405: (_l("Dit verzoek klopt niet"),
          _l("Deze pagina kan dit niet doen. Ga terug en probeer het nog een keer.")),
    413: (_l("Het bestand is te groot"),
          _l("Wat u stuurde is groter dan de website aanneemt. Kies een kleiner bestand.")),
    429: (_l("Even wachten"),
          _l("U heeft het te vaak achter elkaar geprobeerd. Wacht een kwartier en probeer het "
             "dan opnieuw.")),
    500: (_l("Er ging iets mis"),
          _l("Er ging bij ons iets mis. Wat u deed is misschien niet bewaard. "
             "Probeer het later nog een keer.")),
    503: (_l("Even niet bereikbaar"),
          _l("De website kan even niet bij haar gegevens. Wat u net deed is misschien niet bewaard. "
             "Probeer het over een minuut nog een keer.")),
}
# A database that restarts or is busy answers again within seconds.
RETRY_AFTER_DATABASE_SECONDS = 30
CSRF_MESSAGE = _l("Het formulier was verlopen of niet compleet. Ga terug, laad de pagina "
                  "opnieuw en probeer het nog een keer. Wat u typte staat dan misschien niet "
                  "meer in het formulier.")


def _as_a_guest() -> None:
    """The layout of a server error must not look the member up: that lookup reads the database,
    which may be what failed. Flask-Login then takes this as the request's user."""
    g._login_user = current_app.login_manager.anonymous_user()


def error_page(code: int, message=None):
    if code >= 500:
        _as_a_guest()
    title, default_message = MESSAGES.get(code, MESSAGES[500 if code >= 500 else 400])
    response = render("errors/error.html", block="error_message", status=code,
                      code=code, title=title, message=message or default_message,
                      as_fragment=wants_fragment())
    if request.htmx:
        # Show the message in the page's error region, not in place of the target.
        response.headers["HX-Retarget"] = "#htmx-error"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def handle_http_error(error: HTTPException):
    if isinstance(error, CSRFError):
        return error_page(400, CSRF_MESSAGE)
    response = error_page(error.code or 500)
    if error.code == 429:
        response.headers["Retry-After"] = "900"
    return response


def handle_server_error(error: InternalServerError):
    """An unexpected exception, which Flask has logged with its traceback. One from a database that is
    down or busy is a 503 that says to try again soon."""
    if not isinstance(error.original_exception, OperationalError | InterfaceError):
        return handle_http_error(error)
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; the session is removed after the request
        pass
    response = error_page(503)
    response.headers["Retry-After"] = str(RETRY_AFTER_DATABASE_SECONDS)
    return response


def handle_unknown_host(error: SecurityError):
    """A Host that is not SITE_URL's: Flask built no URL adapter, so the page has no layout."""
    return render_template("errors/unknown_host.html", title=MESSAGES[400][0]), 400


def init_app(app):
    # An unexpected exception reaches this as InternalServerError after Flask logged its
    # traceback (and, in tests, is raised instead so that it fails loudly).
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_server_error)
    app.register_error_handler(SecurityError, handle_unknown_host)
