"""Pages that every guest sees alike, rendered once per worker every few seconds.

The guest home is the page visited most: by clients of the Werkplein (the poster's QR code leads
there), by people looking the council up, and by every crawler. For guests it differs only in the
CSRF token of their own session (the htmx header and the language form), so a worker keeps the
rendered page for GUEST_PAGE_SECONDS per address, language and kind of request, and writes each
visitor's own token into it. That takes the template and its queries out of most of those
requests; the hooks around a request (limits, headers, the session) still run for each.

Never kept: a member's page, a request with a message to show (flash), anything but a plain GET
without a query string, an answer other than 200. A change to what guests see (a body renamed)
reaches them within GUEST_PAGE_SECONDS; 0 switches keeping off.
"""
import time
from functools import wraps

from flask import current_app, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

# Stands in for the token in a kept page; a token is base64 and a dot, so never contains it.
TOKEN = "\x00token\x00"


def _keepable() -> bool:
    return (request.method == "GET" and not request.args and not current_user.is_authenticated
            and "_flashes" not in session)


def _key() -> tuple:
    return (request.script_root, request.path, str(get_locale()), request.headers.get("HX-Request"),
            request.headers.get("HX-History-Restore-Request"))


def kept_for_guests(view):
    """Decorate a view whose page is the same for every guest."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        seconds = current_app.config["GUEST_PAGE_SECONDS"]
        if not seconds or not _keepable():
            return view(*args, **kwargs)
        pages = current_app.extensions.setdefault("cpweb_guest_pages", {})
        key, now = _key(), time.monotonic()
        kept = pages.get(key)
        if kept is not None and kept[0] > now:
            _, body, vary = kept
            response = make_response(body.replace(TOKEN, generate_csrf()))
            response.vary.update(vary)
            return response
        response = make_response(view(*args, **kwargs))
        if response.status_code == 200 and response.mimetype == "text/html":
            # The token the page was rendered with: Flask-WTF keeps one per request.
            body = response.get_data(as_text=True).replace(generate_csrf(), TOKEN)
            pages[key] = (now + seconds, body, set(response.vary))
        return response

    return wrapper
