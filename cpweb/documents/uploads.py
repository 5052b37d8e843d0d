"""Receiving a file in a form: a size cap that keeps the form's other fields, a file kept for the
session when the form had other mistakes, and the Dutch words for what went wrong on the way (too
large, an expired form). For the library's views."""
import re
import tempfile
from dataclasses import dataclass

from flask import current_app, g, request, session
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from ..core.filestore import Unavailable
from . import logic, storage

HELD_KEY = "held_upload"
HELD_NAME = re.compile(r"^[A-Za-z0-9_-]{32}$")  # storage.hold's names: nothing else becomes a path


class _CappedFile:
    """Where werkzeug writes an uploaded file: stops keeping bytes past the limit, but reads on,
    so the form's other fields still arrive and the form can be shown again with them."""

    def __init__(self, limit: int):
        self._file = tempfile.SpooledTemporaryFile(max_size=512 * 1024)
        self.limit, self.size, self.too_large, self.disk_full = limit, 0, False, False

    def write(self, data):
        self.size += len(data)
        if self.size > self.limit:
            self.too_large = True
        if self.too_large or self.disk_full:
            return len(data)
        try:
            return self._file.write(data)
        except OSError as error:  # a full disk: said kindly by storage.receive, with the form kept
            if not storage.is_disk_full(error):
                raise
            self.disk_full = True
            return len(data)

    def __getattr__(self, name):
        return getattr(self._file, name)


def prepare_request() -> None:
    """Allow a file up to DOCUMENT_MAX_BYTES (and read on a little past it, to say so kindly)."""
    limit = logic.max_bytes()
    request.max_content_length = 2 * limit + 1024 * 1024
    g.upload_files = []

    def factory(*args, **kwargs):
        g.upload_files.append(_CappedFile(limit))
        return g.upload_files[-1]

    request._get_file_stream = factory  # noqa: SLF001


def close_files(exc=None):
    # Also when parsing stopped halfway (413): those files never reached request.files.
    for file in g.pop("upload_files", []):
        file.close()


def token_problem(form) -> str | None:
    """An expired or missing CSRF token: say so in Dutch and keep what was typed (no error page)."""
    token = getattr(form, "csrf_token", None)  # absent when CSRF is switched off (tests)
    if token is not None and token.errors:
        token.errors = []
        return _("Het formulier was te lang open. Kies het bestand opnieuw en klik nog een keer op de knop.")
    return None


def describe_file_field(field) -> None:
    """The hint, and what the browser needs to refuse a file that is too large before sending it."""
    size = logic.size_text(logic.max_bytes())
    field.description = _("PDF, Word, Excel, PowerPoint, OpenDocument, tekst (txt, md, csv) of een afbeelding "
                          "(png, jpg). Hoogstens %(size)s.", size=size)
    field.render_kw = {"data-max-bytes": str(logic.max_bytes()),
                       "data-too-large": _("Het bestand is te groot. Kies een bestand van hoogstens %(size)s.",
                                           size=size)}


# --- a file kept while the form is put right ----------------------------------------------------

@dataclass(frozen=True)
class Held:
    """A file sent with a form that had other mistakes, waiting on the server for this session
    (under a random name, removed when used, replaced, or after an hour by `sweep-uploads`)."""

    token: str
    filename: str
    size: int

    @property
    def size_text(self) -> str:
        return logic.size_text(self.size)


def hold(sent: FileStorage) -> tuple[Held | None, str | None]:
    """Keep the file sent with a form that was not right yet, so it need not be chosen again; one
    per session (an earlier one goes). Returns it, or why it could not be kept."""
    release()
    try:
        temporary, size, _sha256, _head = storage.receive(sent.stream, logic.max_bytes())
    except storage.TooLarge:
        return None, _("Het bestand is te groot. Kies een bestand van hoogstens %(size)s.",
                       size=logic.size_text(logic.max_bytes()))
    except storage.DiskFull:
        return None, _("Kies het bestand nog een keer. Het is nog niet opgeslagen.")
    if size == 0:
        temporary.unlink(missing_ok=True)
        return None, _("Het bestand is leeg. Kies een ander bestand.")
    try:
        token = storage.hold(temporary)
    except Unavailable:
        current_app.logger.exception("could not hold a file: the store did not take it")
        return None, _("Kies het bestand nog een keer. Het is nog niet opgeslagen.")
    held = Held(token, logic.safe_name(sent.filename), size)
    session[HELD_KEY] = {"token": held.token, "name": held.filename, "size": held.size}
    return held, None


def held(token: str | None) -> Held | None:
    """The file this session holds, when the form sent names it: an old one is never added unasked."""
    kept = session.get(HELD_KEY)
    if not token or not isinstance(kept, dict) or kept.get("token") != token or not HELD_NAME.match(token):
        return None
    if not storage.is_held(token):  # swept after an hour
        session.pop(HELD_KEY, None)
        return None
    return Held(token, str(kept.get("name", "")), int(kept.get("size", 0)))


def open_held(kept: Held) -> FileStorage:
    """The held file as if it had just been sent (closed with the request's other files)."""
    stream = storage.open_held(kept.token)
    g.setdefault("upload_files", []).append(stream)
    return FileStorage(stream=stream, filename=kept.filename)


def offer_another(field) -> None:
    """The file field next to a held file: choosing is now only for another file."""
    field.label.text = _("Een ander bestand kiezen (niet verplicht)")
    field.description = _("Het gekozen bestand blijft bewaard. Kies hier alleen als u een ander bestand wilt.")


def release() -> None:
    """Forget this session's held file and remove it: stored, refused, or another one chosen."""
    kept = session.pop(HELD_KEY, None)
    if isinstance(kept, dict) and HELD_NAME.match(str(kept.get("token", ""))):
        storage.release_held(kept["token"])
