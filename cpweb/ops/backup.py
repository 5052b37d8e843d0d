"""Backups that restore: one .tar.gz with the database, the uploaded files and the instance config.

    database/cpweb.sqlite3    a consistent copy made with SQLite's online backup API while the
                              site runs (or database/cpweb.pgdump from pg_dump on PostgreSQL)
    uploads/...               <instance>/uploads/, except names starting with "." (unfinished uploads)
    instance/config.py        when present
    instance/secret_key       so sessions, invitation links and private calendar addresses keep working
    manifest.json             last: SHA-256 and size of every file, row counts per table

Everything is streamed in chunks: a 1 GB uploads folder never sits in memory. The archive is
written as PATH.part and renamed when complete, so a full disk leaves no half archive behind.
A restore first reads the whole archive and checks every checksum before it writes anything.
"""
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from ..core.extensions import db

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/cpweb.sqlite3"
PG_MEMBER = "database/cpweb.pgdump"
INSTANCE_FILES = ("config.py", "secret_key")
CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 50 * 1024 * 1024


class BackupError(Exception):
    """Something a person can act on; the message is shown as it is."""


class _HashingReader:
    """Reads a file for tarfile while computing its SHA-256."""

    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.raw.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _is_postgres(url) -> bool:
    return make_url(str(url)).get_backend_name() == "postgresql"


def _sqlite_path() -> Path:
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(_("Deze database kan niet worden geback-upt: %(kind)s", kind=url.get_backend_name()))
    return Path(url.database)


# --- the database ------------------------------------------------------------------------------

def snapshot_sqlite(source: Path, target: Path) -> None:
    """A consistent copy while the site writes: the backup API copies all pages in one step under
    one read transaction, and in WAL mode that does not hold up the writers."""
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        dst.close()
        src.close()


def sqlite_row_counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [row[0] for row in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}
    finally:
        con.close()


def _pg_command(program: str, url) -> tuple[list[str], dict]:
    """The program with connection options; the password goes in the environment, not in `ps`.

    url must be the URL object: its string form hides the password as ***.
    """
    path = shutil.which(program)
    if path is None:
        raise BackupError(_("%(program)s is niet gevonden; installeer postgresql-client.", program=program))
    url = make_url(url)
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = url.password
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return [path, "--dbname", plain], env


def _run_pg(program: str, url, *arguments: str) -> None:
    """Run pg_dump or pg_restore; its own error message (wrong version, no access) is shown as it is."""
    command, env = _pg_command(program, url)
    result = subprocess.run([*command, *arguments], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise BackupError(_("%(program)s is mislukt: %(error)s", program=program, error=result.stderr.strip()))


def dump_postgres(url, target: Path) -> dict[str, int]:
    """pg_dump in its custom format (compressed; pg_restore can restore it into an empty database).

    The rows are counted in a transaction that exports its snapshot to pg_dump, so the counts in
    the manifest describe exactly the dumped data, however much the site writes meanwhile.
    """
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        counts = _row_counts(connection)
        _run_pg("pg_dump", url, "--format=custom", "--no-owner", "--no-acl", f"--snapshot={snapshot}",
                "--file", str(target))
    return counts


def restore_postgres(url, source: Path) -> None:
    """All or nothing (one transaction); --clean drops what the dump holds, for a forced restore."""
    _run_pg("pg_restore", url, "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction",
            "--exit-on-error", str(source))


def _row_counts(connection) -> dict[str, int]:
    names = sorted(inspect(connection).get_table_names())
    return {name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in names}


def database_row_counts() -> dict[str, int]:
    """Rows per table in the site's database, on either engine."""
    with db.engine.connect() as connection:
        return _row_counts(connection)


# --- backup ------------------------------------------------------------------------------------

def _upload_files(instance: Path):
    """(path in the archive, file) for every finished upload, sorted; dot files are unfinished."""
    root = instance / "uploads"
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith(".") or path.is_symlink() or not path.is_file():
                continue
            yield "uploads/" + path.relative_to(root).as_posix(), path


def _add_file(tar: tarfile.TarFile, name: str, path: Path, files: dict) -> None:
    with open(path, "rb") as raw:
        info = tar.gettarinfo(fileobj=raw, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        reader = _HashingReader(raw)
        tar.addfile(info, reader)
    files[name] = {"sha256": reader.digest.hexdigest(), "size": reader.size}


def backup_name(now: datetime | None = None) -> str:
    return f"cpweb-{(now or datetime.now(UTC)):%Y%m%d-%H%M%S}.tar.gz"


def make_backup(target: Path) -> dict:
    """Write the archive to target (via target.part); returns the manifest."""
    instance = Path(current_app.instance_path)
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    url = db.engine.url
    manifest = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "database": {}, "files": {}, "skipped": []}
    try:
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".cpweb-backup-") as scratch:
            if _is_postgres(url):
                snapshot, member = Path(scratch) / "cpweb.pgdump", PG_MEMBER
                if not inspect(db.engine).get_table_names():
                    raise BackupError(_("Er is nog geen database (%(name)s is leeg); draai eerst `cpweb init`.",
                                        name=url.database))
                manifest["database"] = {"kind": "postgresql", "tables": dump_postgres(url, snapshot)}
            else:
                snapshot, member = Path(scratch) / "cpweb.sqlite3", SQLITE_MEMBER
                if not _sqlite_path().exists():  # sqlite3.connect would make an empty one
                    raise BackupError(_("Er is nog geen database (%(name)s); draai eerst `cpweb init`.",
                                        name=_sqlite_path()))
                snapshot_sqlite(_sqlite_path(), snapshot)
                manifest["database"] = {"kind": "sqlite", "tables": sqlite_row_counts(snapshot)}
            with tarfile.open(part, "w:gz", compresslevel=6) as tar:
                _add_file(tar, member, snapshot, manifest["files"])
                snapshot.unlink()
                for name in INSTANCE_FILES:
                    if (instance / name).is_file():
                        _add_file(tar, f"instance/{name}", instance / name, manifest["files"])
                # Files after the database: one deleted meanwhile is skipped (and listed); one
                # added meanwhile is an extra file no row points to, which does no harm.
                for name, path in _upload_files(instance):
                    try:
                        _add_file(tar, name, path, manifest["files"])
                    except FileNotFoundError:
                        manifest["skipped"].append(name)
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(datetime.now(UTC).timestamp()), 0o600
                tar.addfile(info, _BytesReader(data))
        with open(part, "rb+") as written:
            os.fsync(written.fileno())
        os.chmod(part, 0o600)  # personal data
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return manifest


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.offset = data, 0

    def read(self, size=-1):
        end = len(self.data) if size < 0 else self.offset + size
        chunk, self.offset = self.data[self.offset:end], min(end, len(self.data))
        return chunk


def prune(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` cpweb-*.tar.gz archives in folder; returns the removed ones."""
    archives = sorted(folder.glob("cpweb-*.tar.gz"))
    removed = archives[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
    return removed


# --- restore -----------------------------------------------------------------------------------

def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (not path.is_absolute() and ".." not in path.parts and name == path.as_posix()
            and (name == MANIFEST or path.parts[0] in ("database", "uploads", "instance")))


def _members(tar: tarfile.TarFile):
    """The regular files of the archive; anything else (links, devices, odd paths) is refused."""
    for member in tar:
        if member.isdir():
            continue
        if not member.isfile() or not _safe_name(member.name):
            raise BackupError(_("Het archief bevat iets wat er niet in hoort: %(name)r.", name=member.name))
        yield member


def _copy_hashing(source, out=None) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if out is not None:
            out.write(chunk)
    return digest.hexdigest(), size


def _check(found: dict, manifest: dict) -> None:
    expected = manifest.get("files", {})
    for name in sorted(set(expected) | set(found)):
        if name not in found:
            raise BackupError(_("Het archief is niet compleet: %(name)s ontbreekt.", name=name))
        if name not in expected:
            raise BackupError(_("Het archief bevat %(name)s, dat niet in het manifest staat.", name=name))
        if found[name] != (expected[name]["sha256"], expected[name]["size"]):
            raise BackupError(_("De controlesom van %(name)s klopt niet: het archief is beschadigd of veranderd. "
                                "Er is niets teruggezet.", name=name))


def verify_backup(source: Path) -> dict:
    """Read the whole archive, check every file against the manifest; returns the manifest."""
    manifest, found = None, {}
    try:
        with tarfile.open(source, "r:gz") as tar:
            for member in _members(tar):
                if member.name in found or (member.name == MANIFEST and manifest is not None):
                    raise BackupError(_("Het archief bevat %(name)s twee keer.", name=member.name))
                if member.name == MANIFEST:
                    if member.size > MAX_MANIFEST_BYTES:
                        raise BackupError(_("Het manifest is te groot."))
                    manifest = json.load(tar.extractfile(member))
                else:
                    found[member.name] = _copy_hashing(tar.extractfile(member))
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:
        raise BackupError(_("Dit is geen leesbaar cpweb-archief (%(error)s).", error=error)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("Het archief heeft geen (bekend) manifest.json."))
    _check(found, manifest)
    return manifest


def instance_problems() -> list[str]:
    """What is already in this instance; a restore refuses (without --force) when this is not empty."""
    problems = []
    instance = Path(current_app.instance_path)
    if _is_postgres(db.engine.url):
        if inspect(db.engine).get_table_names():
            problems.append(_("de database heeft al tabellen"))
    else:
        path = _sqlite_path()
        if path.exists() and sqlite_row_counts(path):
            problems.append(_("de database %(name)s heeft al tabellen", name=path.name))
    if any(True for _ in _upload_files(instance)):
        problems.append(_("er staan al bestanden in uploads/"))
    return problems


def restore_backup(source: Path, force: bool = False) -> dict:
    """Check the archive, then put its database, uploads and instance files in place."""
    manifest = verify_backup(source)  # nothing is written before this passes
    problems = instance_problems()
    if problems and not force:
        raise BackupError(_("Deze instance is niet leeg (%(problems)s). Terugzetten zou dat overschrijven; "
                            "gebruik --force als dat de bedoeling is.", problems="; ".join(problems)))
    instance = Path(current_app.instance_path)
    postgres = _is_postgres(db.engine.url)
    expected_db = PG_MEMBER if postgres else SQLITE_MEMBER
    if expected_db not in manifest["files"]:
        kinds = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(_("Dit archief heeft een %(archive)s-database; deze site gebruikt %(site)s.",
                            archive=kinds.get(manifest["database"].get("kind"), "?"),
                            site="PostgreSQL" if postgres else "SQLite"))
    staging = Path(tempfile.mkdtemp(dir=instance, prefix=".restore-"))
    try:
        found = {}
        with tarfile.open(source, "r:gz") as tar:
            for member in _members(tar):
                if member.name == MANIFEST:
                    continue
                target = staging / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                # Owner only: the database, the secret key and the uploads are personal or secret.
                with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
                    found[member.name] = _copy_hashing(tar.extractfile(member), out)
        _check(found, manifest)  # again: the file might have changed since the first reading
        if not postgres:
            _check_sqlite(staging / SQLITE_MEMBER, manifest)
        _put_in_place(staging, instance, postgres, manifest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _check_sqlite(path: Path, manifest: dict) -> None:
    con = sqlite3.connect(path)
    try:
        if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(_("De database in het archief is beschadigd (integrity_check)."))
    finally:
        con.close()
    if sqlite_row_counts(path) != manifest["database"]["tables"]:
        raise BackupError(_("De aantallen rijen in de database kloppen niet met het manifest."))


def _put_in_place(staging: Path, instance: Path, postgres: bool, manifest: dict) -> None:
    if postgres:
        # The site's own idle connections would hold locks that pg_restore --clean waits for.
        db.session.remove()
        db.engine.dispose()
        restore_postgres(db.engine.url, staging / PG_MEMBER)
        # Only the archive's tables: --force leaves tables the dump does not hold alone.
        counts = database_row_counts()
        expected = manifest["database"]["tables"]
        if {name: counts.get(name) for name in expected} != expected:
            raise BackupError(_("De aantallen rijen in de teruggezette database kloppen niet met het manifest."))
    else:
        path = _sqlite_path()
        db.session.remove()
        db.engine.dispose()
        # An old -wal file next to the new database would be replayed into it: remove them first.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / SQLITE_MEMBER, path)
    uploads = instance / "uploads"
    if uploads.exists():  # empty, or --force
        os.replace(uploads, staging / "old-uploads")  # removed with the staging folder
    if (staging / "uploads").is_dir():
        os.replace(staging / "uploads", uploads)
    if (staging / "instance" / "secret_key").is_file():
        os.replace(staging / "instance" / "secret_key", instance / "secret_key")
    config = staging / "instance" / "config.py"
    if config.is_file():
        # A config.py written for this server (new address, new mail account) is kept.
        if (instance / "config.py").exists() and (instance / "config.py").read_bytes() != config.read_bytes():
            os.replace(config, instance / "config.py.uit-backup")
        else:
            os.replace(config, instance / "config.py")
