"""One way to answer: the full page, or one block of it for an htmx request."""
from flask import flash, make_response, render_template, request
from jinja2_fragments.flask import render_block

from .extensions import db


def wants_fragment() -> bool:
    # A history restore wants the whole page, or Back would show a bare fragment.
    return bool(request.htmx) and not request.htmx.history_restore_request


def render(template: str, block: str | None = None, status: int = 200, **context):
    if block and wants_fragment():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def redirect_to(url: str, status: int = 303):
    """Redirect a plain request; tell htmx to do a full navigation instead of swapping."""
    if request.htmx:
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    response = make_response("", status)
    response.headers["Location"] = url
    return response


def saved(message: str, url: str):
    """After a change that worked: commit it, say so on the next page and go there (post, redirect, get)."""
    db.session.commit()
    flash(message, "success")
    return redirect_to(url)
