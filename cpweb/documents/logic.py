"""What the document library does: uploads and versions, details and audience, the list and search,
the bin and its purge. Who may see what is in `access`; what other features use is in `places`.
"""
import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from ..auth.roles import SECRETARY
from ..bodies.models import Body
from ..core.database import utcnow
from ..core.extensions import db
from ..core.filestore import Unavailable
from ..core.i18n import lazy_gettext_markup as _lm
from ..core.privacy import Processing
from ..web import categories as shared_categories
from . import access, filetypes, search, storage
from .extract import extract_text
from .models import (BODY, MEMBERS, PUBLIC, TEXT_FAILED, TEXT_NONE, TEXT_OK, VISIBILITIES, Document, DocumentCategory,
                     DocumentLink, DocumentVersion)

DEFAULT_CATEGORIES = {
    "werkboek": "Werkboek", "checklist": "Checklist", "brief": "Brief", "verslag": "Verslag",
    "jaarplan": "Jaarplan", "onderzoek": "Onderzoek", "advies": "Advies", "overig": "Overig",
}
BIN_DAYS = 30
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MAX_NAME = 200  # characters of an original file name we keep


class UploadError(Exception):
    """A file we do not store; `message` says in Dutch what to do."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class DuplicateUpload(UploadError):
    """The same file (same SHA-256) is already in the library, in `existing`."""

    def __init__(self, message, existing: Document):
        super().__init__(message)
        self.existing = existing


# --- categories ---------------------------------------------------------------------------------

def seed_categories() -> None:
    """A new site starts with the usual kinds of documents."""
    if db.session.scalar(db.select(DocumentCategory.id).limit(1)) is None:
        for position, (key, label) in enumerate(DEFAULT_CATEGORIES.items()):
            db.session.add(DocumentCategory(key=key, label=label, position=position))


def categories(active_only: bool = True) -> list[DocumentCategory]:
    return shared_categories.categories(DocumentCategory, active_only)


# --- who may see what (the rule itself lives in access) -----------------------------------------

def can_upload(user) -> bool:
    return getattr(user, "is_authenticated", False)


def can_manage_bin(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.has_role(SECRETARY)


def bin_query(user):
    """Deleted documents a secretary or admin may restore."""
    query = db.select(Document).filter(Document.deleted_at.is_not(None)).order_by(Document.deleted_at.desc())
    if not user.is_admin:
        query = query.filter(access.audience_clause(user), or_(Document.body_id.is_(None),
                                                           Document.body_id.in_(list(user.body_ids) or [-1])))
    return query


def can_restore(user, document: Document) -> bool:
    return (document.deleted_at is not None and can_manage_bin(user) and access.in_audience(user, document)
            and (user.is_admin or document.body_id is None or document.body_id in user.body_ids))


def restore_until(document: Document) -> datetime:
    return document.deleted_at + timedelta(days=BIN_DAYS)


# --- uploads ------------------------------------------------------------------------------------

def safe_name(filename: str | None) -> str:
    """The original name as a plain file name: no folders, no control characters, not too long."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C").strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        suffix = suffix[:10] if dot and stem else ""
        name = name[: MAX_NAME - len(suffix) - 1] + ("." + suffix if suffix else "")
    return name or "bestand"


def max_bytes() -> int:
    return current_app.config["DOCUMENT_MAX_BYTES"]


def size_text(size: int) -> str:
    """Bytes as people say it: 25 MB, 340 kB."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB".replace(".0 MB", " MB").replace(".", ",")
    return f"{max(1, round(size / 1024))} kB"


def _type_message():
    return _l("Dit soort bestand kan niet in de bibliotheek. Kies een PDF, Word, Excel, PowerPoint of "
              "OpenDocument-bestand, een tekstbestand (txt, md, csv) of een afbeelding (png, jpg).")


def _receive_version(file_storage, uploaded_by, duplicate_user) -> tuple[DocumentVersion, str | None]:
    """Check and keep a file; returns a new (unsaved) version and the text inside it."""
    if file_storage is None or not getattr(file_storage, "filename", None):
        raise UploadError(_l("Kies een bestand."))
    name = safe_name(file_storage.filename)
    try:
        temporary, size, sha256, head = storage.receive(file_storage.stream, max_bytes())
    except storage.TooLarge:
        raise UploadError(_lm("Het bestand is te groot. Kies een bestand van hoogstens %(size)s.",
                              size=size_text(max_bytes()))) from None
    except storage.DiskFull:
        current_app.logger.error("upload refused: the disk is full")
        raise UploadError(_l("De server heeft nu geen ruimte voor dit bestand. Er is niets opgeslagen. "
                             "Probeer het later nog eens, of vraag de beheerder om hulp.")) from None
    try:
        if size == 0:
            raise UploadError(_l("Het bestand is leeg. Kies een ander bestand."))
        kind = filetypes.check(temporary, head, name)
        if kind is None:
            raise UploadError(_type_message())
        existing = db.session.scalar(
            access.visible_documents_query(duplicate_user).join(DocumentVersion).filter(DocumentVersion.sha256 == sha256)
            .limit(1))
        if existing is not None:
            raise DuplicateUpload(_lm("Dit bestand staat al in de bibliotheek: ‘%(title)s’.", title=existing.title),
                                  existing)
        content = extract_text(temporary, kind, timeout=current_app.config["DOCUMENT_EXTRACT_SECONDS"])
        stored_name = storage.keep(temporary, db.session)
    except Unavailable:
        current_app.logger.exception("upload refused: the store did not take the file")
        temporary.unlink(missing_ok=True)
        raise UploadError(_l("De server kan dit bestand nu niet opslaan. Er is niets opgeslagen. "
                             "Probeer het later nog eens, of vraag de beheerder om hulp.")) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    status = TEXT_FAILED if content is None else (TEXT_OK if content.strip() else TEXT_NONE)
    version = DocumentVersion(stored_name=stored_name, original_name=name, size=size, kind=kind,
                              mime_type=filetypes.mime_type(kind), sha256=sha256, text_status=status,
                              uploaded_by=uploaded_by, uploaded_at=utcnow())
    return version, content


def normalise_tags(tags: str | None) -> str:
    seen = []
    for tag in re.split(r"[,;\n]", tags or ""):
        tag = tag.strip()[:40]
        if tag and tag.lower() not in (t.lower() for t in seen):
            seen.append(tag)
    return ", ".join(seen)[:300]


def store_upload(file_storage, *, title, uploaded_by, body=None, visibility=MEMBERS, category_key=None,
                 description="", tags="", standalone: bool = True) -> Document:
    """Store an uploaded file as a new document; adds it to the session (the caller commits).

    `standalone=False` for a file added through a place (see `places`). Raises UploadError
    (DuplicateUpload when the same file is already there) with a Dutch message. On a rollback the
    stored file is removed again.
    """
    if visibility not in VISIBILITIES:
        raise ValueError(f"unknown visibility {visibility!r}")
    if visibility == BODY and body is None:
        raise UploadError(_l("Kies het orgaan dat het document mag zien."))
    version, content = _receive_version(file_storage, uploaded_by, uploaded_by)
    now = utcnow()
    document = Document(title=(title or "").strip()[:200] or version.original_name, description=description or "",
                        category=category_key or None, tags=normalise_tags(tags), body=body, visibility=visibility,
                        kind=version.kind, created_by=uploaded_by, created_at=now, updated_at=now,
                        standalone=standalone)
    document.versions.append(version)
    db.session.add(document)
    db.session.flush()
    search.index(document, content or "")
    return document


def add_version(document: Document, file_storage, uploaded_by) -> DocumentVersion:
    """A new file for a document; the earlier ones stay. The caller commits."""
    version, content = _receive_version(file_storage, uploaded_by, uploaded_by)
    document.versions.insert(0, version)
    document.kind = version.kind
    document.updated_at = version.uploaded_at
    db.session.flush()
    search.index(document, content or "")
    return version


def set_audience(document: Document, visibility: str, body=None) -> None:
    """Who may see it; for "the body's members", which body. The caller commits."""
    if visibility not in VISIBILITIES:
        raise ValueError(f"unknown visibility {visibility!r}")
    document.visibility = visibility
    if visibility == BODY:
        if body is None:
            raise ValueError("an audience of one body needs the body")
        document.body = body
    document.updated_at = utcnow()


def is_placed_anywhere(document: Document) -> bool:
    """Attached to a meeting, activity or dossier, or added through one."""
    return document.placed or db.session.scalar(
        db.select(DocumentLink.id).filter_by(document_id=document.id).limit(1)) is not None


def to_check_query():
    """Public documents from before audiences were chosen per place, attached to a meeting,
    activity or dossier: an admin decides whether each stays public on its own (upgrade check)."""
    attached = db.select(DocumentLink.id).filter(DocumentLink.document_id == Document.id).exists()
    return (db.select(Document).filter(Document.deleted_at.is_(None), Document.standalone.is_(None),
                                       Document.visibility == PUBLIC, attached)
            .order_by(Document.updated_at.desc(), Document.id.desc()))


def get_version(document: Document, version_id: int | None) -> DocumentVersion | None:
    if version_id is None:
        return document.current
    return next((v for v in document.versions if v.id == version_id), None)


# --- what people do: one call each, committed once ---------------------------------------------

@dataclass(frozen=True)
class Stored:
    """What an upload did: the document it made or added a version to; or why not, in Dutch, with
    the same file already in the library in `existing` when that is why."""

    document: Document | None = None
    problem: str | None = None
    existing: Document | None = None


def _body(body_id: str | None) -> Body | None:
    return db.session.get(Body, int(body_id)) if body_id else None


def _kept(store) -> Stored:
    try:
        document = store()
    except DuplicateUpload as error:
        return Stored(problem=error.message, existing=error.existing)
    except UploadError as error:
        return Stored(problem=error.message)
    db.session.commit()
    return Stored(document=document)


def upload(values: dict, actor) -> Stored:
    """A new document from the upload form (`values`: the file, title, description, category, tags,
    body and visibility)."""
    return _kept(lambda: store_upload(
        values["file"], title=values["title"], uploaded_by=actor, body=_body(values["body"]),
        visibility=values["visibility"], category_key=values["category"], description=values["description"],
        tags=values["tags"]))


def upload_version(document_id: int, file_storage, actor) -> Stored:
    """A newer file for a document; the earlier ones stay."""
    document = db.session.get(Document, document_id)
    return _kept(lambda: add_version(document, file_storage, actor).document)


def change_details(document_id: int, values: dict) -> None:
    """Title, description, category, tags, body and visibility from the form; and, for a document
    attached somewhere, whether it is in the library on its own too (`standalone`)."""
    document = db.session.get(Document, document_id)
    fields = {name: values[name] for name in ("title", "description", "category", "visibility")}
    fields.update(tags=normalise_tags(values["tags"]), body=_body(values["body"]))
    if "standalone" in values:
        fields["standalone"] = values["standalone"]
    for name, value in fields.items():
        setattr(document, name, value)
    document.updated_at = utcnow()
    db.session.flush()
    search.index(document)
    db.session.commit()


def change_audience(document_id: int, visibility: str, body_id: int | None) -> None:
    """Who may see it, changed next to it where it is attached; for "the body's members", which body."""
    set_audience(db.session.get(Document, document_id), visibility, db.session.get(Body, body_id) if body_id else None)
    db.session.commit()


def settle(document_id: int, standalone: bool) -> None:
    """An admin's decision on a document to check: on its own in the library, or only with its places."""
    db.session.get(Document, document_id).standalone = standalone
    db.session.commit()


def bin_document(document_id: int, actor) -> None:
    """Into the bin; it can be restored for 30 days."""
    document = db.session.get(Document, document_id)
    document.deleted_at, document.deleted_by = utcnow(), actor
    db.session.commit()


def restore(document_id: int) -> None:
    """Out of the bin, back in the library."""
    document = db.session.get(Document, document_id)
    document.deleted_at, document.deleted_by = None, None
    db.session.commit()


# --- the list and search ------------------------------------------------------------------------

def library_query(user, filters: dict):
    """Visible documents for the list's filters and words, best match first when searching."""
    query = access.visible_documents_query(user)
    if filters.get("category"):
        query = query.filter(Document.category == filters["category"])
    if filters.get("body"):
        query = query.filter(Document.body_id == int(filters["body"]))
    if filters.get("kind"):
        query = query.filter(Document.kind == filters["kind"])
    if filters.get("year"):
        year = int(filters["year"])  # a calendar year in Amsterdam
        begin, finish = datetime(year, 1, 1, tzinfo=AMSTERDAM), datetime(year + 1, 1, 1, tzinfo=AMSTERDAM)
        query = query.filter(Document.created_at >= begin, Document.created_at < finish)
    return search.filter_search(query, filters.get("q"))


def years() -> list[int]:
    first = db.session.scalar(db.select(db.func.min(Document.created_at)))
    return list(range(utcnow().year, (first.year if first else utcnow().year) - 1, -1))


# --- retention ----------------------------------------------------------------------------------

PROCESSING = Processing(
    name=_l("Documenten in de bibliotheek"),
    purpose=_l("Stukken voor vergaderingen, werkboeken, brieven en verslagen delen met de leden."),
    people=_l("Leden die een document toevoegen; mensen die in een document genoemd worden"),
    data=_l("Het bestand en wat erin staat, de titel en beschrijving, wie het toevoegde en wanneer."),
    recipients=_l("Leden, of alleen de leden van één orgaan. Openbare documenten: iedereen. Een stuk bij een "
                  "vergadering, activiteit of dossier ziet alleen wie die vergadering, activiteit of dat dossier "
                  "ook mag zien."),
    retention=lambda config: _lm("Zolang het document nodig is. Een verwijderd document staat nog %(days)s dagen "
                                 "in de prullenbak; daarna worden het bestand en de gegevens gewist.",
                                 days=BIN_DAYS),
)


def purge_bin(now: datetime, dry_run: bool) -> int:
    """Documents in the bin for 30 days go: rows and files together (files once the delete is committed)."""
    due = list(db.session.scalars(db.select(Document).filter(Document.deleted_at < now - timedelta(days=BIN_DAYS))
                                  .options(selectinload(Document.versions))))
    if dry_run:
        return len(due)
    for document in due:
        for version in document.versions:
            storage.remove_after_commit(version.stored_name, db.session)
        db.session.delete(document)
    search.unindex([d.id for d in due])
    return len(due)


# Far longer than any upload or transaction takes: a younger file may belong to one still open.
SWEEP_AFTER = timedelta(hours=1)


def sweep_uploads(older_than: timedelta = SWEEP_AFTER) -> int:
    """Remove what a worker killed mid-upload left behind: temporary parts, and files that got their
    name just before the kill, so their row was never committed; and files held for a form that
    nobody came back to. Returns how many files went."""
    seconds = older_than.total_seconds()
    held = storage.stale_held(seconds)
    stored = storage.stored_files()
    files_without_row = [name for name in orphans(stored)[0] if stored[name] < time.time() - seconds]
    for name in held:
        storage.release_held(name)
    for name in files_without_row:
        storage.remove(name)
    return sweep_parts(older_than) + len(held) + len(files_without_row)


def sweep_parts(older_than: timedelta = SWEEP_AFTER) -> int:
    """Remove the temporary parts of uploads that died halfway on this server. They are on its own
    disk, also when the files are in a store that several servers share: cron runs this on every
    server each time, while sweep_uploads, which also goes through the store, runs on one an hour."""
    parts = storage.stale_parts(older_than.total_seconds())
    for path in parts:
        path.unlink(missing_ok=True)
    return len(parts)


def copy_files(target) -> tuple[int, list[tuple[str, str]]]:
    """Copy each version's file from this site's store to `target` (a `filestore` store), unless it
    is there already, and read it back there to check it against the sha256 in its row. Returns how
    many are there and right, and (stored name, what went wrong) for the others. Files held for a
    form are not copied: they are gone within the hour."""
    copied, problems = 0, []
    for stored_name, sha256 in db.session.execute(db.select(DocumentVersion.stored_name, DocumentVersion.sha256)
                                                  .order_by(DocumentVersion.id)):
        key = f"{storage.DOCUMENTS}/{stored_name}"
        try:
            if not (target.exists(key) and storage.sha256_of(target.open(key)) == sha256):
                temporary, found = storage.copy_to_temporary(storage.open_stored(stored_name))
                if found != sha256:
                    temporary.unlink()
                    problems.append((stored_name, _("het bestand is niet wat zijn rij zegt (andere sha256); niet gekopieerd")))
                    continue
                target.put(key, temporary)
                if storage.sha256_of(target.open(key)) != sha256:
                    problems.append((stored_name, _("na het kopiëren anders (sha256)")))
                    continue
        except FileNotFoundError:
            problems.append((stored_name, _("ontbreekt in de opslag van deze website")))
            continue
        except Unavailable as error:
            problems.append((stored_name, _("de nieuwe opslag nam het niet aan: %(error)s", error=error)))
            continue
        copied += 1
    return copied, problems


def orphans(stored: dict[str, float] | None = None) -> tuple[set[str], set[str]]:
    """(files without a row, rows without a file): both must always be empty."""
    in_store = set(storage.stored_files() if stored is None else stored)
    in_db = set(db.session.scalars(db.select(DocumentVersion.stored_name)))
    return in_store - in_db, in_db - in_store
