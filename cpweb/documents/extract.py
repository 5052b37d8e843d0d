"""The text inside a file, for search, read within a time and memory budget.

`extract_text()` runs this file as a separate process with a timeout and a memory limit, so a
hostile file (a zip bomb, a PDF that loops) can neither hang a web worker nor fill its memory.
The process only needs the standard library and pypdf; it imports nothing of cpweb.
"""
import html
import re
import subprocess
import sys
import zipfile
from pathlib import Path

TEXT_BYTES = 4 * 1024 * 1024  # of a plain text file, at most
MEMBER_BYTES = 16 * 1024 * 1024  # of one XML file inside a docx/odt/pptx, uncompressed, at most
MEMORY_LIMIT = 768 * 1024 * 1024
IN_PROCESS_BYTES = 256 * 1024  # a text file this small is read in the worker itself

# Which XML files inside an office zip hold the text.
_ZIP_MEMBERS = {
    "docx": re.compile(r"^word/(document|footnotes|endnotes)\.xml$"),
    "xlsx": re.compile(r"^xl/sharedStrings\.xml$"),
    "pptx": re.compile(r"^ppt/slides/slide\d+\.xml$"),
    "odt": re.compile(r"^content\.xml$"),
    "ods": re.compile(r"^content\.xml$"),
    "odp": re.compile(r"^content\.xml$"),
}
_BREAKS = re.compile(r"</(w:p|a:p|text:p|text:h|si|w:tr)>|<(w:br|w:tab|text:tab|text:line-break|text:s)\b[^>]*/?>")
_TAGS = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"[ \t\r\f\v]+")


class TooLarge(Exception):
    pass


def _read_capped(stream, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge
    return data


def _xml_text(xml: bytes) -> str:
    # No XML parser: tags out, entities decoded. Nothing is expanded, so no entity bombs.
    text = _BREAKS.sub("\n", xml.decode("utf-8", "replace"))
    return html.unescape(_TAGS.sub(" ", text))


def _zip_text(path: str, kind: str, max_chars: int) -> str:
    parts, total = [], 0
    with zipfile.ZipFile(path) as archive:
        names = sorted((i for i in archive.infolist() if _ZIP_MEMBERS[kind].match(i.filename)),
                       key=lambda i: [int(n) if n.isdigit() else n for n in re.split(r"(\d+)", i.filename)])
        for info in names:
            if info.file_size > MEMBER_BYTES:
                raise TooLarge
            with archive.open(info) as member:  # the declared size may lie: read with a cap
                parts.append(_xml_text(_read_capped(member, MEMBER_BYTES)))
            total += len(parts[-1])
            if total >= max_chars:
                break
    return "\n".join(parts)


def _pdf_text(path: str, max_chars: int) -> str:
    from pypdf import PdfReader

    parts, total = [], 0
    for page in PdfReader(path).pages:
        parts.append(page.extract_text() or "")
        total += len(parts[-1])
        if total >= max_chars:
            break
    return "\n".join(parts)


def _plain_text(path: str) -> str:
    with open(path, "rb") as f:
        data = f.read(TEXT_BYTES)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def read_text(path: str, kind: str, max_chars: int) -> str:
    """The file's text (in this process). Raises on anything unreadable."""
    if kind in ("txt", "md", "csv"):
        text = _plain_text(path)
    elif kind == "pdf":
        text = _pdf_text(path, max_chars)
    elif kind in _ZIP_MEMBERS:
        text = _zip_text(path, kind, max_chars)
    else:
        return ""
    text = "\n".join(line.strip() for line in _SPACE.sub(" ", text).splitlines() if line.strip())
    return text[:max_chars]


def extract_text(path, kind: str, *, timeout: float = 10, max_chars: int = 1_000_000) -> str | None:
    """The text of the file, "" for a kind without text (images), None when it cannot be read in
    time or memory (the file is kept and marked "niet doorzoekbaar")."""
    if kind in ("png", "jpg"):
        return ""
    if kind in ("txt", "md", "csv") and Path(path).stat().st_size <= IN_PROCESS_BYTES:
        return read_text(str(path), kind, max_chars)  # small text: no process needed
    try:
        done = subprocess.run([sys.executable, "-I", __file__, kind, str(path), str(max_chars)],
                              capture_output=True, timeout=timeout, check=False)
    except (subprocess.TimeoutExpired, OSError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace")


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):
        pass


if __name__ == "__main__":
    _limit_memory()
    try:
        out = read_text(sys.argv[2], sys.argv[1], int(sys.argv[3]))
    except Exception:  # noqa: BLE001 - any failure means: not searchable
        sys.exit(1)
    sys.stdout.buffer.write(out.encode("utf-8"))
