from flask import Blueprint, abort, current_app, make_response, url_for
from flask_babel import gettext as _

from ..annual import sections_for
from ..auth.access import login_required
from ..i18n import local_today
from ..rendering import redirect_to, render

bp = Blueprint("annual_report", __name__, url_prefix="/jaarverslag")


def _checked(year: int) -> int:
    if not 2000 <= year <= local_today().year:
        abort(404)
    return year


@bp.route("/")
@login_required
def index():
    """The report of last year (the one a council writes in the first months of a year)."""
    return redirect_to(url_for("annual_report.show", year=local_today().year - 1))


@bp.route("/<int:year>")
@login_required
def show(year: int):
    """The draft annual report for members: meetings, advice, signals, activities."""
    year = _checked(year)
    return render("annual_report/show.html", year=year, sections=sections_for(year),
                  years=range(local_today().year, local_today().year - 6, -1))


@bp.route("/<int:year>.md")
@login_required
def markdown(year: int):
    """The same report as Markdown, to edit further in any word processor."""
    year = _checked(year)
    title = _("Jaarverslag %(year)s", year=year)
    parts = [f"# {title}", _("%(site)s. Een concept, gemaakt uit de gegevens van %(year)s.",
                             site=current_app.config["SITE_NAME"], year=year)]
    parts += [f"## {section.title}\n\n{section.markdown}" for section in sections_for(year)]
    response = make_response("\n\n".join(parts) + "\n")
    response.headers["Content-Type"] = "text/markdown; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="jaarverslag-{year}.md"'
    return response
