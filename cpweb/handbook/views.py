from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import permission_required
from ..web.rendering import done, redirect_to, render
from . import logic
from .forms import PageForm, SearchForm
from .models import HandbookPage, HandbookRevision

bp = Blueprint("handbook", __name__, url_prefix="/handboek")
member_required = permission_required(logic.can_read)
editor_required = permission_required(logic.can_edit)


def _get_page_or_404(slug: str) -> HandbookPage:
    page = logic.find_page(slug)
    if page is None:
        abort(404)
    return page


def _get_revision_or_404(page: HandbookPage, number: int) -> HandbookRevision:
    revision = logic.find_revision(page, number)
    if revision is None:
        abort(404)
    return revision


@bp.route("/")
@member_required
def index():
    """The table of contents, as a nested list; secretaries also move pages up and down."""
    return _contents()


def _contents(status: int = 200):
    return render("handbook/index.html", block="contents", status=status, tree=logic.outline(),
                  edit=logic.can_edit(current_user), search_form=SearchForm(formdata=None))


@bp.route("/zoeken")
@member_required
def search():
    """Search the titles and texts of all pages; members only."""
    form = SearchForm(formdata=request.args)
    valid = form.validate()
    results = logic.search_pages(form.q.data or "", limit=30) if valid else []
    return render("handbook/search.html", search_form=form, results=results, query=form.q.data or "",
                  has_errors=not valid, status=200 if valid else 422)


@bp.route("/<slug>")
@member_required
def show(slug: str):
    """One page, with where it sits in the handbook and the pages before and after it."""
    page = _get_page_or_404(slug)
    tree = logic.outline()
    previous, following = tree.neighbours(page)
    return render("handbook/show.html", page=page, trail=tree.ancestors(page), children=tree.children(page),
                  previous=previous, following=following, edit=logic.can_edit(current_user))


def _form(page: HandbookPage | None, **kwargs) -> PageForm:
    form = PageForm(**kwargs)
    form.set_parent_choices(logic.parent_choices(logic.outline(), page))
    return form


def _render_form(form: PageForm, page: HandbookPage | None, status: int = 200, **context):
    context.setdefault("base_revision", page.revision if page else 0)
    context.setdefault("conflict", False)
    return render("handbook/form.html", form=form, page=page, status=status, **context)


@bp.route("/nieuw", methods=["GET", "POST"])
@editor_required
def new():
    """Secretaries and admins add a page or a chapter."""
    parent = request.args.get("onder", "")
    form = _form(None, data={"parent": parent} if request.method == "GET" else None)
    if form.validate_on_submit():
        written = logic.write_page(None, form.values(), current_user)
        if written.page is not None:
            return done(_("De pagina staat in het handboek."), url_for("handbook.show", slug=written.page.slug))
        form.slug.errors.append(written.slug_taken)
    return _render_form(form=form, page=None, status=422 if form.errors else 200)


@bp.route("/<slug>/bewerken", methods=["GET", "POST"])
@editor_required
def edit(slug: str):
    """Change a page. Someone who saved meanwhile is never overwritten unasked: 409 with both texts."""
    page = _get_page_or_404(slug)
    if request.method == "GET":
        form = _form(page, obj=page, data={"parent": str(page.parent_id or ""), "base_revision": str(page.revision)})
        return _render_form(form=form, page=page, base_revision=page.revision)
    form = _form(page)
    written = logic.write_page(page.id, form.values(), current_user) if form.validate_on_submit() else None
    if written and written.page:
        return done(_("De pagina is opgeslagen."), url_for("handbook.show", slug=page.slug))
    if written and written.conflict:
        # Shown with the current revision as the new starting point: saving again is the confirmation.
        return _render_form(form=form, page=page, base_revision=page.revision, conflict=True,
                            conflict_diff=logic.line_diff(page.text, form.text.data or ""), status=409)
    if written:
        form.slug.errors.append(written.slug_taken)
    return _render_form(form=form, page=page, base_revision=form.started_from() or page.revision, status=422)


@bp.route("/<slug>/verplaatsen", methods=["POST"])
@editor_required
def move(slug: str):
    """Move a page one place up or down; htmx redraws the contents, a plain form reloads the page."""
    page = _get_page_or_404(slug)
    direction = request.form.get("richting")
    if direction not in ("up", "down"):
        abort(400)
    logic.move_page(page.id, direction)
    flash(_("‘%(title)s’ is verplaatst.", title=page.title), "success")
    if request.htmx:
        return _contents()
    return redirect_to(url_for("handbook.index", _anchor=f"pagina-{page.id}"))


@bp.route("/<slug>/versies")
@member_required
def history(slug: str):
    """Every revision of a page: who, when, and their note."""
    page = _get_page_or_404(slug)
    return render("handbook/history.html", page=page, revisions=logic.revisions(page),
                  edit=logic.can_edit(current_user))


@bp.route("/<slug>/versies/<int:number>")
@member_required
def revision(slug: str, number: int):
    """What one revision changed compared with the one before it."""
    page = _get_page_or_404(slug)
    revision = _get_revision_or_404(page, number)
    before = logic.previous_revision(revision)
    return render("handbook/revision.html", page=page, revision=revision, before=before,
                  diff=logic.line_diff(before.text if before else "", revision.text),
                  edit=logic.can_edit(current_user))


@bp.route("/<slug>/versies/<int:number>/terugzetten", methods=["POST"])
@editor_required
def restore(slug: str, number: int):
    """Bring back an old revision as a new one; the history stays as it was."""
    page = _get_page_or_404(slug)
    _get_revision_or_404(page, number)
    logic.restore_revision(page.id, number, current_user)
    return done(_("Versie %(n)s staat weer op de pagina, als versie %(new)s.", n=number, new=page.revision),
                url_for("handbook.show", slug=page.slug))


def handbook_section(user):
    if not logic.can_read(user):
        return None
    return "handbook/_home.html", {"pages": logic.recently_changed(3)}
