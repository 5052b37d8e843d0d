"""One way to answer: the full page, or one block of it for an htmx request."""
import re

from flask import flash, get_flashed_messages, get_template_attribute, make_response, render_template, request
from jinja2_fragments.flask import render_block

from ..core.extensions import db


def wants_fragment() -> bool:
    # A history restore wants the whole page, or Back would show a bare fragment.
    return bool(request.htmx) and not request.htmx.history_restore_request


def render(template: str, block: str | None = None, status: int = 200, **context):
    if block and wants_fragment():
        body = _with_messages(render_block(template, block, **context), block)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def _with_messages(fragment: str, block: str) -> str:
    """Say what was flashed inside the region htmx redraws, next to where the person acted: the
    page's own message area stays as it was. Not as an out-of-band swap: htmx does those before
    the main swap, so one aimed inside the region would be replaced with it. The region is the
    block's root element, whose id is the block's name; a block without one leaves the messages
    for the next full page."""
    root = re.search(rf'<(?:section|div)\b[^>]*?\sid="{block.replace("_", "-")}"[^>]*>', fragment)
    messages = get_flashed_messages(with_categories=True) if root else None
    if not messages:
        return fragment
    said = str(get_template_attribute("_macros/flash.html", "flash_messages")(messages, role="status"))
    return fragment[:root.end()] + said + fragment[root.end():]


def redirect_to(url: str, status: int = 303):
    """Redirect a plain request; tell htmx to do a full navigation instead of swapping."""
    if request.htmx:
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    response = make_response("", status)
    response.headers["Location"] = url
    return response


def done(message: str, url: str):
    """After a change its logic function committed: say so on the next page and go there (post,
    redirect, get)."""
    flash(message, "success")
    return redirect_to(url)


def refused(reason: str, url: str):
    """A guard said no: nothing changed; say why on the next page and go there."""
    flash(reason, "error")
    return redirect_to(url)


def saved(message: str, url: str):
    """After a change that worked: commit it, say so on the next page and go there (post, redirect, get)."""
    db.session.commit()
    flash(message, "success")
    return redirect_to(url)
