"""Files on disk: `<instance>/uploads/documents/<random name>`, never under static/; a file sent
with a form that had mistakes waits in `<instance>/uploads/held/<random name>` (see `uploads`).

A file is written to a temporary name in the same folder, then renamed, so there is never a half
file under a real name. The disk follows the database: a file stored in a transaction that rolls
back is removed again, and a file whose row is deleted goes only once that delete is committed.
"""
import errno
import hashlib
import os
import secrets
import tempfile
import time
from pathlib import Path

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

CHUNK = 64 * 1024
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
    path = Path(current_app.instance_path) / "uploads" / "documents"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(stored_name: str) -> Path:
    return upload_dir() / stored_name


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


def keep(temporary: Path, session) -> str:
    """Give a received file its random name; removed again if the transaction rolls back."""
    stored_name = secrets.token_hex(16)
    os.replace(temporary, path_of(stored_name))
    session.info.setdefault(_NEW, []).append(stored_name)
    return stored_name


def remove_after_commit(stored_name: str, session) -> None:
    session.info.setdefault(_GONE, []).append(stored_name)


@event.listens_for(Session, "after_commit")
def _after_commit(session):
    session.info.pop(_NEW, None)
    for stored_name in session.info.pop(_GONE, []):
        try:
            path_of(stored_name).unlink(missing_ok=True)
        except RuntimeError:  # no app context (cannot happen in a request)
            pass


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session, previous_transaction):
    if previous_transaction.nested:  # a savepoint: the outer transaction decides
        return
    session.info.pop(_GONE, None)
    for stored_name in session.info.pop(_NEW, []):
        try:
            path_of(stored_name).unlink(missing_ok=True)
        except RuntimeError:
            pass


def stored_files() -> set[str]:
    return {p.name for p in upload_dir().iterdir() if p.is_file() and not p.name.startswith(PART_PREFIX)}


def stale_parts(older_than_seconds: float = 24 * 3600) -> list[Path]:
    """Temporary files of uploads that died halfway (a worker killed mid-upload)."""
    cutoff = time.time() - older_than_seconds
    return [p for p in upload_dir().glob(PART_PREFIX + "*") if p.stat().st_mtime < cutoff]


def held_dir() -> Path:
    path = Path(current_app.instance_path) / "uploads" / "held"
    path.mkdir(parents=True, exist_ok=True)
    return path


def hold(temporary: Path) -> str:
    """Move a received file to the held files under a new random name, and return that name."""
    name = secrets.token_urlsafe(24)
    os.replace(temporary, held_dir() / name)
    return name


def stale_held(older_than_seconds: float) -> list[Path]:
    """Held files nobody came back for."""
    cutoff = time.time() - older_than_seconds
    return [p for p in held_dir().iterdir() if p.is_file() and p.stat().st_mtime < cutoff]
