from flask import Blueprint, abort, make_response, request

from . import logic

bp = Blueprint("feeds", __name__)


@bp.route("/feeds/<slug>.atom")
def atom(slug: str):
    """A public feed for other councils' sites and feed readers; 304 when the follower has it already."""
    feed = logic.feed_by_slug(slug)
    if feed is None:
        abort(404)
    response = make_response(logic.document(feed))
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    response.headers["Cache-Control"] = "public, max-age=900"
    response.add_etag()
    return response.make_conditional(request)
