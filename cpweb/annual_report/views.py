from flask import Blueprint, abort, current_app, make_response, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import login_required
from ..core.annual import sections_for
from ..core.i18n import local_today
from ..web.rendering import redirect_to, render
from ..web.security import no_store
from .contents import markdown_text, outline

bp = Blueprint("annual_report", __name__, url_prefix="/jaarverslag")
PAGE_ROWS = 10  # of each list on the page; the Word file and the text have every row


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
    return render("annual_report/show.html", year=year, sections=sections_for(year, current_user, PAGE_ROWS),
                  years=range(local_today().year, local_today().year - 6, -1))


def _title_and_intro(year: int) -> tuple[str, str]:
    return (_("Jaarverslag %(year)s", year=year),
            _("%(site)s. Een concept, gemaakt uit de gegevens van %(year)s.", site=current_app.config["SITE_NAME"],
              year=year))


def _download(body: bytes | str, media_type: str, filename: str):
    response = make_response(body)
    response.headers["Content-Type"] = media_type
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return no_store(response)  # names of members and addressees


@bp.route("/<int:year>.md")
@login_required
def markdown(year: int):
    """The same report as Markdown text, with room for the council's own text."""
    year = _checked(year)
    title, intro = _title_and_intro(year)
    text = markdown_text(title, intro, outline(year, current_user), _("Geen gegevens over dit jaar."))
    return _download(text, "text/markdown; charset=utf-8", f"jaarverslag-{year}.md")


@bp.route("/<int:year>.docx")
@login_required
def word(year: int):
    """The same report as a Word file on A4, with room for the council's own text, to edit further and send on."""
    from .word import MEDIA_TYPE, word_file  # python-docx loads lxml: only for this download, not in every worker

    year = _checked(year)
    title, intro = _title_and_intro(year)
    body = word_file(title, intro, outline(year, current_user), _("Geen gegevens over dit jaar."), str(get_locale()))
    return _download(body, MEDIA_TYPE, f"jaarverslag-{year}.docx")
