from flask import Blueprint, current_app, request
from flask_login import current_user

from ..core.database import page_from, utcnow
from ..web.rendering import render
from . import logic
from .forms import SearchForm
from .kinds import BY_KEY

bp = Blueprint("search", __name__)


@bp.route("/zoeken")
def index():
    """One search over everything this person may open; guests find what is public."""
    form = SearchForm(formdata=request.args)
    valid = form.validate()
    typed = form.q.data or ""
    kind_key = form.soort.data if form.soort.data in BY_KEY else None
    page = page_from(request.args.get("pagina") or "1", logic.MAX_PAGE)
    found = None
    if valid and typed:
        found = logic.search(current_user, typed, kind_key, page or 1, current_app.config["PER_PAGE"], utcnow())
    return render("search/index.html", status=200 if valid else 422, form=form, typed=typed, found=found,
                  kind_key=kind_key, asked_page=request.args.get("pagina"), page_missing=page is None,
                  shown_words=logic.searched_words(typed) if valid else "")
