"""Several files as one zip, written while it is sent: zipfile writes to a stream that cannot seek
(each file's sizes and checksum follow its data), so at most one chunk of one file is in memory,
however large the package. The caller decides what goes in and under which name, before the
first byte goes out: the generator itself reads only files from the store, no database and no
request.
"""
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import BinaryIO

from ..core.filestore import CHUNK
from . import filetypes, storage

MAX_STEM = 120  # characters of a name before its extension: long titles stay readable in any zip tool
# Names Windows will not make, whatever the extension.
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", re.IGNORECASE)


@dataclass(frozen=True)
class Entry:
    """One file in the zip: from the store (`open`, a stream) or a text made for it (`text`)."""

    name: str
    open: Callable[[], BinaryIO] | None = None
    size: int = 0
    text: str | None = None


def safe_name(text: str, fallback: str) -> str:
    """A file name from a title: no folders, no characters that a computer refuses or reads as a
    path, at most MAX_STEM long; the fallback when nothing is left."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(c).startswith(("C", "Z")) else c for c in text)
    text = re.sub(r'[<>:"/\\|?*]+', "-", text)
    text = re.sub(r"\s+", " ", text).strip(" .-")[:MAX_STEM].rstrip(" .-")
    return fallback if not text or _RESERVED.match(text) else text


def extension_of(original_name: str, kind: str) -> str:
    """The file's own extension when it is one of the kinds the library takes, else the kind's."""
    suffix = PurePosixPath(original_name.replace("\\", "/")).suffix.lower().lstrip(".")
    extensions = filetypes.KINDS[kind][0] if kind in filetypes.KINDS else ()
    return f".{suffix}" if suffix in extensions else (f".{extensions[0]}" if extensions else "")


def entry_for(document, name: str) -> Entry | None:
    """The newest file of a document under `name` (its extension added, once); None when the file
    is not in the store (a restore without the uploads folder): the zip leaves it out rather than break."""
    version = document.current
    extension = extension_of(version.original_name, version.kind)
    if extension and name.lower().endswith(extension):
        name = name[:-len(extension)]
    if not storage.is_stored(version.stored_name):
        return None
    return Entry(safe_name(name, "stuk") + extension, open=storage.opener(version.stored_name), size=version.size)


def numbered(entries: Iterable[Entry]) -> list[Entry]:
    """The entries in order, a second "a.pdf" as "a (2).pdf" (names compared as Windows and macOS
    do, case ignored), so no file in the zip covers another."""
    taken, result = set(), []
    for entry in entries:
        path = PurePosixPath(entry.name)
        name, n = entry.name, 1
        while name.casefold() in taken:
            n += 1
            name = f"{path.stem} ({n}){path.suffix}"
        taken.add(name.casefold())
        result.append(replace(entry, name=name))
    return result


class _Pipe:
    """What zipfile writes, held until the generator passes it on. It has no seek() and no tell(),
    so zipfile writes each file's sizes after its data instead of going back."""

    def __init__(self):
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def stream_zip(entries: list[Entry]) -> Iterator[bytes]:
    """The zip, piece by piece. Level 1: most stukken (PDF, Word) are compressed already, so a
    higher level costs time and saves little."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for entry in entries:
            if entry.text is not None:
                archive.writestr(entry.name, entry.text.encode())
            else:
                # Its size is known beforehand: whether it needs ZIP64 must be said before its data.
                with archive.open(entry.name, "w", force_zip64=entry.size * 1.05 > zipfile.ZIP64_LIMIT) as out, \
                        entry.open() as source:
                    while chunk := source.read(CHUNK):
                        out.write(chunk)
                        if data := pipe.take():
                            yield data
            if data := pipe.take():
                yield data
    yield pipe.take()  # the zip's own index of its files, at the end
