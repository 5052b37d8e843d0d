"""Receiving a file in a form: a size cap that keeps the form's other fields, and the Dutch words
for what went wrong on the way (too large, an expired form). For the library's views."""
import tempfile

from flask import g, request
from flask_babel import gettext as _

from . import logic, storage


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
