"""Which kind of file this is, judged by its content (magic bytes, the zip's own type entry),
and whether that agrees with the name's extension. Anything else is refused."""
import zipfile
from pathlib import PurePosixPath

from flask_babel import lazy_gettext as _l

# kind -> (extensions, mime type, label); a label is what a member reads, so in words they know
KINDS = {
    "pdf": (("pdf",), "application/pdf", "PDF"),
    "docx": (("docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    "xlsx": (("xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    "pptx": (("pptx",), "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint"),
    "odt": (("odt",), "application/vnd.oasis.opendocument.text", _l("OpenDocument tekst")),
    "ods": (("ods",), "application/vnd.oasis.opendocument.spreadsheet", _l("OpenDocument rekenblad")),
    "odp": (("odp",), "application/vnd.oasis.opendocument.presentation", _l("OpenDocument presentatie")),
    "txt": (("txt",), "text/plain", _l("Tekst")),
    "md": (("md", "markdown"), "text/markdown", _l("Tekst (opgemaakt)")),
    "csv": (("csv",), "text/csv", "CSV"),
    "png": (("png",), "image/png", "PNG"),
    "jpg": (("jpg", "jpeg"), "image/jpeg", "JPEG"),
}
TEXT_KINDS = ("txt", "md", "csv")
ZIP_KINDS = ("docx", "xlsx", "pptx", "odt", "ods", "odp")
INLINE_KINDS = ("pdf", "png", "jpg")  # shown in the browser under a sandboxing policy
ALLOWED_EXTENSIONS = sorted(ext for exts, _mime, _label in KINDS.values() for ext in exts)

_OOXML = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}
_ODF = {KINDS[k][1]: k for k in ("odt", "ods", "odp")}
_MARKUP = (b"<!doctype", b"<html", b"<svg", b"<script", b"<?xml", b"<body", b"<iframe", b"<head")
HEAD_BYTES = 8192


def kind_of_name(filename: str) -> str | None:
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower().lstrip(".")
    for kind, (extensions, _mime, _label) in KINDS.items():
        if suffix in extensions:
            return kind
    return None


def _zip_kind(path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size > 100:
                    return None
                return _ODF.get(archive.read(info).decode("ascii", "replace").strip())
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size > 1024 * 1024:
                    return None
                types = archive.read(info).decode("utf-8", "replace")
                for content_type, kind in _OOXML.items():
                    if content_type in types:
                        return kind
    except (zipfile.BadZipFile, OSError, KeyError, NotImplementedError, RuntimeError, EOFError, ValueError):
        return None
    return None


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A character cut in half at the end of the sample is fine; anything else is not UTF-8.
        if error.start < len(head) - 3:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    # An HTML or SVG page under a text name is refused; a "<" inside Markdown is fine (it is
    # rendered through nh3, and downloads are never sniffed).
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return not lowered.startswith(_MARKUP) and b"<html" not in lowered and b"<svg" not in lowered


def detect_kind(path, head: bytes) -> str | None:
    """The kind of file by its content, or None when it is none we accept."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if _looks_like_text(head):
        return "text"
    return None


def check(path, head: bytes, filename: str) -> str | None:
    """The kind when content and name agree, else None."""
    by_name = kind_of_name(filename)
    by_content = detect_kind(path, head)
    if by_name is None or by_content is None:
        return None
    if by_content == "text":
        return by_name if by_name in TEXT_KINDS else None
    return by_content if by_content == by_name else None


def mime_type(kind: str) -> str:
    return KINDS[kind][1]


def label(kind: str) -> str:
    return KINDS[kind][2] if kind in KINDS else kind
