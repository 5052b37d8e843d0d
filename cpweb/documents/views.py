from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ..auth.access import login_required, permission_required, role_required
from ..auth.roles import ADMIN
from ..bodies.models import Body
from ..core.database import paginate
from ..core.extensions import csrf, db
from ..core.filestore import Sending
from ..core.i18n import gettext_markup as _m
from ..handbook.logic import search_pages
from ..web.categories import CategoryPages
from ..web.forms import choice_list
from ..web.markdown import render_markdown
from ..web.rendering import done, redirect_to, render
from ..web.security import safe_next
from . import access, filetypes, logic, places, search, storage, uploads
from .forms import AudienceForm, CategoryForm, EditForm, LibraryFilterForm, UploadForm, VersionForm
from .models import Document, DocumentCategory, DocumentVersion

bp = Blueprint("documents", __name__)
bp.teardown_request(uploads.close_files)
bin_required = permission_required(logic.can_manage_bin)

# The sandbox for files shown in the browser: no scripts, no forms, nothing loaded from elsewhere.
VIEW_POLICY = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; plugin-types application/pdf; frame-ancestors 'self'"


# --- loading and access -------------------------------------------------------------------------

def _get_document_or_404(document_id: int) -> Document:
    """The document if this visitor may see it; otherwise 404, also when it exists."""
    document = db.session.get(Document, document_id)
    if document is None or not access.can_view(current_user, document):
        abort(404)
    return document


def _get_editable_or_404(document_id: int) -> Document:
    document = _get_document_or_404(document_id)
    if not access.is_editor(current_user, document):
        abort(403)
    return document


@bp.app_template_global("may_change_document")
def may_change_document(document: Document) -> bool:
    """For pages that list attached files: may the viewer change who may see this one?"""
    return places.may_change(current_user, document)


def _body_choices() -> list[tuple[str, str]]:
    query = db.select(Body).filter_by(is_active=True).order_by(Body.name)
    if not current_user.is_admin:
        query = query.filter(Body.id.in_(list(current_user.body_ids) or [-1]))
    return [(str(b.id), b.name) for b in db.session.scalars(query)]


def _choosable_body(body_id: str | None, document: Document) -> Body | None:
    """The body named in a form, if this person may choose it for this document (theirs, or its own)."""
    if body_id not in dict(_body_choices()) and body_id != str(document.body_id):
        return None
    return db.session.get(Body, int(body_id))


def _details_choices(form, document: Document | None = None) -> None:
    form.category.choices = choice_list([("", _("Kies een soort"))] + [(c.key, c.label) for c in logic.categories()]
                                        + ([(document.category, document.category_label)]
                                           if document and document.category and not document.category_entry.is_active
                                           else []))
    bodies = _body_choices()
    if document and document.body and str(document.body_id) not in dict(bodies):
        bodies.append((str(document.body_id), document.body.name))
    form.body.choices = choice_list([("", _("Geen: voor de hele bibliotheek"))] + bodies)


# --- pages --------------------------------------------------------------------------------------

@bp.route("/documenten")
def index():
    """The library with search and filters: everyone; guests see public documents only."""
    filters = LibraryFilterForm(formdata=request.args)
    # The rows take their kind and body from these lists: loading them again per page is a round trip each.
    category_labels = {c.key: c.label for c in logic.categories(False)}
    body_names = {b.id: b.name for b in db.session.scalars(db.select(Body).order_by(Body.name))}
    filters.category.choices = choice_list([("", _("Alle"))] + list(category_labels.items()))
    filters.body.choices = choice_list([("", _("Alle"))] + [(str(id_), name) for id_, name in body_names.items()])
    filters.year.choices = choice_list([("", _("Alle"))] + [(str(y), str(y)) for y in logic.years()])
    filters.kind.choices = choice_list([("", _("Alle"))] + [(k, filetypes.label(k)) for k in filetypes.KINDS])
    if not filters.validate():
        abort(400)
    page = paginate(logic.library_query(current_user, filters.data))
    snippets = search.snippets([d.id for d in page.items], filters.q.data)
    filter_args = {name: value for name, value in request.args.items() if name != "pagina" and value}
    # One search box for the council's knowledge: the handbook (members only) answers too.
    handbook_hits = search_pages(filters.q.data, 5) if current_user.is_authenticated and page.page == 1 else []
    return render("documents/index.html", block="document_list", page=page, filters=filters, handbook_hits=handbook_hits,
                  filter_args=filter_args, snippets=snippets, searching=bool(search.words(filters.q.data)),
                  category_labels=category_labels, body_names=body_names,
                  can_upload=logic.can_upload(current_user), can_manage=logic.can_manage_bin(current_user))


@bp.route("/documenten/nieuw", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, after the upload size is set for this request
@login_required
def upload():
    """Add a document (members). A file sent with a form that has other mistakes is kept for the
    session, so it need not be chosen again."""
    if request.method == "POST":
        uploads.prepare_request()
    form = UploadForm()
    uploads.describe_file_field(form.file)
    _details_choices(form)
    existing, problem = None, None
    sent = request.files.get("file") if request.method == "POST" else None
    sent = sent if sent and sent.filename else None
    kept = None if sent else uploads.held(form.kept.data)
    if form.validate_on_submit() and (sent or kept):
        stored = logic.upload({**form.data, "file": sent or uploads.open_held(kept)}, current_user)
        uploads.release()  # stored, or refused: either way not offered again
        if stored.document is not None:
            return done(_("Het document ‘%(title)s’ staat in de bibliotheek.", title=stored.document.title),
                        url_for("documents.show", document_id=stored.document.id))
        form.file.errors, existing, kept = [stored.problem], stored.existing, None
    elif request.method == "POST":
        problem = uploads.token_problem(form)
        if sent and problem is None:  # not for a form from elsewhere (an expired or missing token)
            kept, refused = uploads.hold(sent)
            form.file.errors = [refused] if refused else []
        elif sent:
            form.file.errors = [_("Kies het bestand nog een keer. Het is nog niet opgeslagen.")]
        elif not kept:
            form.file.errors = [_("Kies een bestand.")]
    if kept:
        uploads.offer_another(form.file)
    form.kept.data = kept.token if kept else ""
    return render("documents/upload.html", block="upload_form", form=form, existing=existing, error=problem,
                  kept=kept, status=422 if form.errors or problem else 200)


@bp.route("/documenten/<int:document_id>")
def show(document_id: int):
    """One document with its versions and where it is used; for whoever may see it."""
    document = _get_document_or_404(document_id)
    versions = db.session.scalars(db.select(DocumentVersion).filter_by(document_id=document.id)
                                  .options(selectinload(DocumentVersion.uploaded_by))
                                  .order_by(DocumentVersion.uploaded_at.desc(), DocumentVersion.id.desc())).all()
    return render("documents/show.html", document=document, versions=versions,
                  usages=access.usages(document, current_user), can_edit=access.is_editor(current_user, document),
                  viewable=versions[0].kind in filetypes.INLINE_KINDS + filetypes.TEXT_KINDS,
                  size_text=logic.size_text, kind_label=filetypes.label)


@bp.route("/documenten/<int:document_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(document_id: int):
    """Change title, description, kind, tags and who may see it: uploader, secretaries, admins."""
    document = _get_editable_or_404(document_id)
    form = EditForm(obj=document, category=document.category, body=str(document.body_id or ""),
                    standalone=not document.placed)
    if not logic.is_placed_anywhere(document):
        del form.standalone
    _details_choices(form, document)
    if form.validate_on_submit():
        logic.change_details(document.id, form.data)
        return done(_("De gegevens zijn opgeslagen."), url_for("documents.show", document_id=document.id))
    return render("documents/edit.html", form=form, document=document, status=422 if form.errors else 200)


@bp.route("/documenten/<int:document_id>/wie-mag-het-zien", methods=["POST"])
@login_required
def change_audience(document_id: int):
    """Change who may see a document, next to it where it is attached: uploader, secretaries, admins."""
    document = _get_editable_or_404(document_id)
    form = AudienceForm()
    back = safe_next(form.next.data, url_for("documents.show", document_id=document.id))
    body = _choosable_body(form.orgaan.data, document)
    if not form.validate() or (form.wie.data == places.BODY and body is None):
        flash(_("Kies wie het document mag zien."), "error")
        return redirect_to(back)
    logic.change_audience(document.id, form.wie.data, body.id if body else None)
    return done(_m("Wie ‘%(title)s’ mag zien: %(audience)s.", title=document.title, audience=document.audience_label),
                back)


@bp.route("/documenten/<int:document_id>/nieuwe-versie", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token (see upload)
@login_required
def new_version(document_id: int):
    """Upload a newer file; the earlier versions stay. Uploader, secretaries, admins."""
    document = _get_editable_or_404(document_id)
    if request.method == "POST":
        uploads.prepare_request()
    form = VersionForm()
    uploads.describe_file_field(form.file)
    existing, problem = None, None
    if form.validate_on_submit():
        stored = logic.upload_version(document.id, form.file.data, current_user)
        if stored.document is not None:
            return done(_("De nieuwe versie is opgeslagen."), url_for("documents.show", document_id=document.id))
        form.file.errors, existing = [stored.problem], stored.existing
    elif request.method == "POST":
        problem = uploads.token_problem(form)
        if not request.files.get("file"):
            form.file.errors = [_("Kies een bestand.")]
    return render("documents/new_version.html", block="upload_form", form=form, document=document,
                  existing=existing, error=problem, status=422 if form.errors or problem else 200)


def _file_response(version: DocumentVersion, as_attachment: bool):
    """The file, streamed from the store (or a short-lived link to it); the caller checked access."""
    try:
        response = storage.response(version.stored_name, Sending(version.mime_type, version.original_name,
                                                                 as_attachment, version.sha256))
    except FileNotFoundError:
        abort(404)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/documenten/<int:document_id>/download")
@bp.route("/documenten/<int:document_id>/download/<int:version_id>")
def download(document_id: int, version_id: int | None = None):
    """The file as a download (newest, or an earlier version); for whoever may see the document."""
    document = _get_document_or_404(document_id)
    version = logic.get_version(document, version_id)
    if version is None:
        abort(404)
    return _file_response(version, as_attachment=True)


@bp.route("/documenten/<int:document_id>/bekijken")
def view(document_id: int):
    """The newest file in the browser: PDF and images in a sandbox, text and Markdown rendered safely."""
    document = _get_document_or_404(document_id)
    version = document.current
    if version.kind in filetypes.INLINE_KINDS:
        response = _file_response(version, as_attachment=False)
        response.headers["Content-Security-Policy"] = VIEW_POLICY
        return response
    if version.kind not in filetypes.TEXT_KINDS:
        abort(404)
    try:
        with storage.open_stored(version.stored_name) as f:
            raw = f.read(1024 * 1024)
    except FileNotFoundError:
        abort(404)
    text = raw.decode("utf-8-sig", "replace")
    content = render_markdown(text) if version.kind == "md" else None
    return render("documents/view.html", document=document, version=version, text=text, content=content)


@bp.route("/documenten/<int:document_id>/verwijderen", methods=["POST"])
@login_required
def delete(document_id: int):
    """Move a document to the bin (uploader, secretaries, admins); it can be restored for 30 days."""
    document = _get_editable_or_404(document_id)
    logic.bin_document(document.id, current_user)
    return done(_("‘%(title)s’ staat nu in de prullenbak. Een secretaris kan het 30 dagen terugzetten.",
                title=document.title),
                url_for("documents.index"))


@bp.route("/documenten/prullenbak")
@bin_required
def bin():
    """Deleted documents, to restore within 30 days: secretaries and admins."""
    page = paginate(logic.bin_query(current_user).options(selectinload(Document.deleted_by)))
    return render("documents/bin.html", page=page, restore_until=logic.restore_until)


@bp.route("/documenten/<int:document_id>/terugzetten", methods=["POST"])
@bin_required
def restore(document_id: int):
    """Take a document out of the bin."""
    document = db.session.get(Document, document_id)
    if document is None or not logic.can_restore(current_user, document):
        abort(404)
    logic.restore(document.id)
    return done(_("‘%(title)s’ staat weer in de bibliotheek.", title=document.title),
                url_for("documents.show", document_id=document.id))


CATEGORY_PAGES = CategoryPages(
    DocumentCategory, CategoryForm, fallback_key="soort", list_endpoint="documents.categories",
    edit_endpoint="documents.edit_category", back_endpoint="documents.index", words={
        "title": _l("Soorten documenten"), "back": _l("Terug naar de documenten"),
        "intro": _l("Wie een document toevoegt, kiest een van deze soorten."), "add": _l("Een soort toevoegen"),
        "column": _l("Soort"), "active": _l("Kan gekozen worden"), "inactive": _l("Kan niet meer gekozen worden"),
        "back_to_list": _l("Terug naar de soorten"), "saved": _l("De soort ‘%(label)s’ is opgeslagen.")})


@bp.route("/documenten/soorten")
@bin_required
def categories():
    """The kinds of documents to choose from, for secretaries to keep."""
    return CATEGORY_PAGES.list_page()


@bp.route("/documenten/soorten/nieuw", methods=["GET", "POST"])
@bp.route("/documenten/soorten/<int:category_id>", methods=["GET", "POST"])
@bin_required
def edit_category(category_id: int | None = None):
    """Add a kind, or rename, move or retire one (its key stays, so documents keep it)."""
    return CATEGORY_PAGES.edit_page(category_id)


@bp.route("/beheer/documenten-nakijken")
@role_required(ADMIN)
def to_check():
    """After an upgrade: public documents attached to a meeting, activity or dossier, for an admin to check."""
    documents = db.session.scalars(logic.to_check_query()).all()
    return render("documents/to_check.html", documents=documents,
                  usages={d.id: access.usages(d, current_user) for d in documents})


@bp.route("/beheer/documenten-nakijken/<int:document_id>", methods=["POST"])
@role_required(ADMIN)
def settle(document_id: int):
    """An admin's decision: public on its own in the library, or only with its places."""
    document = db.session.get(Document, document_id)
    decision = request.form.get("besluit")
    if document is None or decision not in ("los", "plek"):
        abort(404 if document is None else 400)
    logic.settle(document.id, standalone=decision == "los")
    message = (_("‘%(title)s’ blijft openbaar, ook los in de bibliotheek.", title=document.title) if decision == "los"
               else _("‘%(title)s’ ziet nu alleen wie de vergadering, activiteit of het dossier mag zien.",
                      title=document.title))
    return done(message, url_for("documents.to_check"))


def newest_documents_section(user):
    if not user.is_authenticated:
        return None
    documents = db.session.scalars(access.visible_documents_query(user).limit(5)).all()
    return "documents/_home.html", {"documents": documents}
