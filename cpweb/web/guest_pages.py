"""Pages that every guest sees alike, rendered once per worker every few seconds.

The guest home is the page visited most: by clients of the Werkplein (the poster's QR code leads
there), by people looking the council up, and by every crawler. For guests it differs only in the
CSRF token of their own session (the htmx header and the language form), so a worker keeps the
rendered page for GUEST_PAGE_SECONDS per address, language and kind of request, and writes each
visitor's own token into it. A kept page is answered right after the request id is given, before
the rate limiter, the CSRF check and the second-factor check (none of which a guest's GET of a
public page needs); the headers, the session cookie and the log line after it as for any answer.

Only for a guest whose session holds nothing but a token and a language (no login, no half-finished
login, no message to show), a plain GET without a query string, and an answer of 200. That is
decided when the request starts, before the view takes a message from the session to show it (and
checked again after it): a page with "U bent uitgelogd." is never kept for the next guest. A
change to what guests see (a body renamed) reaches them within GUEST_PAGE_SECONDS; 0 switches
keeping off.
"""
import time
from functools import wraps

from flask import current_app, g, make_response, request, session
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

# Stands in for the token in a kept page; a token is base64 and a dot, so never contains it.
TOKEN = "\x00token\x00"
# Flask-Login's session protection writes _fresh=False into any session that has no login of its
# own (from a guest's second request on); without a _user_id beside it, it says nothing about them.
GUEST_SESSION_KEYS = {"csrf_token", "language", "_fresh"}


def kept_for_guests(view):
    """Decorate a view whose page is the same for every guest: it renders the page the first time
    (and after GUEST_PAGE_SECONDS); until then _answer_kept answers in its place."""

    @wraps(view)
    def render_and_keep(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        seconds = current_app.config["GUEST_PAGE_SECONDS"]
        if (seconds and g.get("guest_page_keepable") and _keepable() and response.status_code == 200
                and response.mimetype == "text/html"):
            # The token the page was rendered with: Flask-WTF makes one per request.
            body = response.get_data(as_text=True).replace(generate_csrf(), TOKEN)
            _kept()[_key()] = (time.monotonic() + seconds, body, set(response.vary))
        return response

    render_and_keep.kept_for_guests = True
    return render_and_keep


def _kept() -> dict:
    return current_app.extensions.setdefault("cpweb_guest_pages", {})


def _keepable() -> bool:
    return request.method == "GET" and not request.args and set(session) <= GUEST_SESSION_KEYS


def _key() -> tuple:
    return (request.script_root, request.path, str(get_locale()), request.headers.get("HX-Request"),
            request.headers.get("HX-History-Restore-Request"))


def _answer_kept():
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "kept_for_guests", False) or not current_app.config["GUEST_PAGE_SECONDS"]:
        return None
    g.guest_page_keepable = _keepable()  # now, before the view takes a message from the session
    if not g.guest_page_keepable:
        return None
    kept = _kept().get(_key())
    if kept is None or kept[0] <= time.monotonic():
        return None  # the view renders it and keeps it again
    _, body, vary = kept
    response = make_response(body.replace(TOKEN, generate_csrf()))
    response.vary.update(vary)
    return response


def init_app(app) -> None:
    # Right after the request id (cpweb.ops.logs): a kept page needs none of the other checks.
    app.before_request_funcs.setdefault(None, []).insert(1, _answer_kept)
