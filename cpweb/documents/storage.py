"""The library's files in the site's store (`cpweb.core.filestore`: the instance folder or S3), under
`documents/<random name>`, never under static/; a file sent with a form that had mistakes waits
under `held/<random name>` (see `uploads`).

An upload is received into a temporary file on this server (checked, its text read), then put in
the store under its name, so there is never a half file under a real name. The store follows the
database: a file is in the store before the commit that refers to it, a file stored in a
transaction that rolls back is removed again, and a file whose row is deleted goes only once that
delete is committed.
"""
import errno
import functools
import hashlib
import os
import secrets
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..core.filestore import CHUNK, Sending, store

DOCUMENTS, HELD = "documents", "held"
PART_PREFIX = ".part-"
_NEW = "cpweb_documents_new_files"  # stored in this transaction: removed on rollback
_GONE = "cpweb_documents_gone_files"  # rows deleted in this transaction: files removed on commit


class TooLarge(Exception):
    pass


class DiskFull(Exception):
    pass


def is_disk_full(error: OSError) -> bool:
    return error.errno in (errno.ENOSPC, errno.EDQUOT)


def upload_dir() -> Path:
    """Where uploads are received on this server: next to the files when they are kept locally."""
    return store().folder(DOCUMENTS)


def open_stored(stored_name: str) -> BinaryIO:
    """A stored file as a stream; FileNotFoundError when it is not in the store."""
    return store().open(f"{DOCUMENTS}/{stored_name}")


def opener(stored_name: str) -> Callable[[], BinaryIO]:
    """Opens the stored file when called, also after the request has gone (a zip written while it
    is sent): the store is taken now."""
    return functools.partial(store().open, f"{DOCUMENTS}/{stored_name}")


def is_stored(stored_name: str) -> bool:
    return store().exists(f"{DOCUMENTS}/{stored_name}")


def response(stored_name: str, sending: Sending):
    """The answer that sends a stored file (the caller checked who may have it); FileNotFoundError
    when it is not in the store."""
    return store().response(f"{DOCUMENTS}/{stored_name}", sending)


def receive(stream, max_bytes: int) -> tuple[Path, int, str, bytes]:
    """Copy an upload to a temporary file next to the others, in chunks (little memory).

    Returns (temporary path, size, sha256, the first bytes). Raises TooLarge past max_bytes.
    """
    digest, size, head = hashlib.sha256(), 0, b""
    path = None
    try:
        fd, name = tempfile.mkstemp(prefix=PART_PREFIX, dir=upload_dir())
        path = Path(name)
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes or getattr(stream, "too_large", False):
                    raise TooLarge
                if len(head) < 8192:
                    head += chunk[: 8192 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if getattr(stream, "too_large", False):
            raise TooLarge
        if getattr(stream, "disk_full", False):
            raise DiskFull
    except BaseException as error:
        if path is not None:
            path.unlink(missing_ok=True)
        if isinstance(error, OSError) and is_disk_full(error):
            raise DiskFull from error
        raise
    return path, size, digest.hexdigest(), head


def sha256_of(stream: BinaryIO) -> str:
    """The sha256 of what a stream holds, read in chunks; the stream is closed."""
    digest = hashlib.sha256()
    with stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_to_temporary(stream: BinaryIO) -> tuple[Path, str]:
    """A stored file as a temporary file on this server, and its sha256 (for copying it elsewhere)."""
    fd, name = tempfile.mkstemp(prefix=PART_PREFIX, dir=upload_dir())
    digest = hashlib.sha256()
    try:
        with stream, os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name), digest.hexdigest()


def keep(temporary: Path, session) -> str:
    """Put a received file in the store under a random name; removed again if the transaction rolls
    back. The file is in the store before the commit that refers to it."""
    stored_name = secrets.token_hex(16)
    store().put(f"{DOCUMENTS}/{stored_name}", temporary)
    session.info.setdefault(_NEW, []).append(stored_name)
    return stored_name


def remove_after_commit(stored_name: str, session) -> None:
    session.info.setdefault(_GONE, []).append(stored_name)


def _remove(stored_names: list[str]) -> None:
    for stored_name in stored_names:
        try:
            store().delete(f"{DOCUMENTS}/{stored_name}")
        except RuntimeError:  # no app context (cannot happen in a request)
            pass
        except Exception:  # the store unreachable: `cpweb storage check` lists it, sweep-uploads removes it
            current_app.logger.exception("could not remove %s from the store", stored_name)


@event.listens_for(Session, "after_commit")
def _after_commit(session):
    session.info.pop(_NEW, None)
    _remove(session.info.pop(_GONE, []))


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session, previous_transaction):
    if previous_transaction.nested:  # a savepoint: the outer transaction decides
        return
    session.info.pop(_GONE, None)
    _remove(session.info.pop(_NEW, []))


def stored_files() -> dict[str, float]:
    """The library's files in the store, with when each was written."""
    return dict(store().list(DOCUMENTS))


def remove(stored_name: str) -> None:
    store().delete(f"{DOCUMENTS}/{stored_name}")


def stale_parts(older_than_seconds: float = 24 * 3600) -> list[Path]:
    """Temporary files of uploads that died halfway (a worker killed mid-upload)."""
    cutoff = time.time() - older_than_seconds
    return [p for p in upload_dir().glob(PART_PREFIX + "*") if p.stat().st_mtime < cutoff]


def hold(temporary: Path) -> str:
    """Put a received file with the held files under a new random name, and return that name."""
    name = secrets.token_urlsafe(24)
    store().put(f"{HELD}/{name}", temporary)
    return name


def is_held(name: str) -> bool:
    return store().exists(f"{HELD}/{name}")


def open_held(name: str) -> BinaryIO:
    return store().open(f"{HELD}/{name}")


def release_held(name: str) -> None:
    store().delete(f"{HELD}/{name}")


def stale_held(older_than_seconds: float) -> list[str]:
    """Held files nobody came back for."""
    cutoff = time.time() - older_than_seconds
    return [name for name, modified in store().list(HELD) if modified < cutoff]
