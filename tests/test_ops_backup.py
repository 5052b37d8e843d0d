"""`cpweb backup` and `cpweb restore`: a round trip under writes, tampering and full instances refused.

The same tests run on SQLite and, where the suite runs on PostgreSQL, on PostgreSQL (pg_dump).
"""
import gzip
import hashlib
import io
import json
import os
import tarfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from cpweb.core.extensions import db
from cpweb.ops import backup as ops_backup
from tests.conftest import ON_POSTGRES, make_test_app

DATABASE_MEMBER = ops_backup.PG_MEMBER if ON_POSTGRES else ops_backup.SQLITE_MEMBER


def file_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def uploads(app):
    root = Path(app.instance_path) / "uploads"
    (root / "documents").mkdir(parents=True)
    (root / "documents" / "a1b2c3").write_bytes(os.urandom(3 * 1024 * 1024))
    (root / "documents" / "d4e5f6").write_bytes("notulen van mei\n".encode())
    (root / "documents" / ".part-unfinished").write_bytes(b"half")  # an upload still arriving
    (root / "poster.pdf").write_bytes(b"%PDF-1.4 test")
    return root


@pytest.fixture
def empty_instance(tmp_path, monkeypatch):
    """Another site on its own (empty) instance folder, as after a fresh install."""
    return lambda: make_test_app(tmp_path / "nieuw", monkeypatch)


def writer(url, stop: threading.Event, written: list):
    """Keeps inserting rows through its own connection, like a gunicorn worker would."""
    engine = create_engine(url, poolclass=NullPool)
    n = 0
    with engine.connect() as connection:
        while not stop.is_set():
            n += 1
            connection.execute(text("INSERT INTO job_runs (job, key, done_at) VALUES ('test', :key, :at)"),
                               {"key": str(n), "at": datetime.now(UTC).replace(tzinfo=None)})
            connection.commit()
            written.append(n)
    engine.dispose()


def test_round_trip_while_another_thread_writes(app, uploads, make_user, empty_instance, tmp_path, monkeypatch):
    make_user(name="Anna de Vries")
    (Path(app.instance_path) / "config.py").write_text('SITE_NAME = "Raad"\n')
    stop, written = threading.Event(), []
    thread = threading.Thread(target=writer, args=(db.engine.url, stop, written))
    thread.start()

    def wait_for(rows: int):
        while len(written) < rows:
            assert thread.is_alive(), "the writer stopped"
            time.sleep(0.001)  # a relative sleep: a timed wait on a lock hangs under libfaketime

    try:
        wait_for(20)
        before = len(written)
        manifest = ops_backup.make_backup(tmp_path / "backup.tar.gz")
        during = len(written)
        wait_for(during + 20)
    finally:
        stop.set()
        thread.join()
    snapshot_rows = manifest["database"]["tables"]["job_runs"]
    assert before <= snapshot_rows <= during < len(written)  # the writes went on during the backup

    source_files = file_hashes(uploads)
    del source_files["documents/.part-unfinished"]
    assert {n.removeprefix("uploads/"): f["sha256"] for n, f in manifest["files"].items()
            if n.startswith("uploads/")} == source_files

    new = empty_instance()
    with new.app_context():
        result = new.test_cli_runner().invoke(args=["cpweb", "restore", str(tmp_path / "backup.tar.gz")])
        assert result.exit_code == 0, result.output
        assert ops_backup.database_row_counts() == manifest["database"]["tables"]
        # A consistent snapshot: exactly the first rows the writer made, none half-way.
        keys = [int(k) for k in db.session.scalars(db.text("SELECT key FROM job_runs WHERE job = 'test'"))]
        assert sorted(keys) == list(range(1, snapshot_rows + 1))
        if not ON_POSTGRES:
            assert db.session.scalar(db.text("PRAGMA integrity_check")) == "ok"
            assert Path(db.engine.url.database).stat().st_mode & 0o077 == 0
        assert db.session.scalar(db.text("SELECT name FROM users")) == "Anna de Vries"
    new_instance = Path(new.instance_path)
    assert file_hashes(new_instance / "uploads") == source_files
    assert (new_instance / "config.py").read_text() == 'SITE_NAME = "Raad"\n'
    assert (new_instance / "secret_key").read_text() == (Path(app.instance_path) / "secret_key").read_text()
    assert not list(new_instance.glob(".restore-*"))
    assert (new_instance / "secret_key").stat().st_mode & 0o077 == 0


def test_the_restored_site_works(app, make_user, empty_instance, tmp_path):
    user = make_user()
    ops_backup.make_backup(tmp_path / "b.tar.gz")
    new = empty_instance()
    with new.app_context():
        ops_backup.restore_backup(tmp_path / "b.tar.gz")
        response = new.test_client().post("/inloggen", data={"email": user.email, "password": "lang-genoeg-wachtwoord"})
        assert response.status_code == 303


def rewrite_archive(source: Path, target: Path, change):
    """Copy a tar.gz member by member, letting change(name, data) alter a member's bytes."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read()
            data = change(member.name, data)
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))


def test_a_tampered_archive_is_refused_and_nothing_is_written(app, uploads, empty_instance, tmp_path):
    ops_backup.make_backup(tmp_path / "good.tar.gz")
    rewrite_archive(tmp_path / "good.tar.gz", tmp_path / "bad.tar.gz",
                    lambda name, data: b"%PDF-1.4 anders" if name == "uploads/poster.pdf" else data)
    new = empty_instance()
    before = sorted(Path(new.instance_path).rglob("*"))
    with new.app_context():
        result = new.test_cli_runner().invoke(args=["cpweb", "restore", str(tmp_path / "bad.tar.gz")])
    assert result.exit_code == 1
    assert "controlesom van uploads/poster.pdf klopt niet" in result.output and "niets teruggezet" in result.output
    assert sorted(Path(new.instance_path).rglob("*")) == before


@pytest.mark.parametrize("change, message", [
    (lambda name, data: data[:-1] if name == DATABASE_MEMBER else data, "controlesom van database"),
    (lambda name, data: json.dumps({**json.loads(data), "files": {
        k: v for k, v in json.loads(data)["files"].items() if k != "uploads/poster.pdf"}}).encode()
     if name == "manifest.json" else data, "niet in het manifest"),
])
def test_other_tampering_is_refused(app, uploads, empty_instance, tmp_path, change, message):
    ops_backup.make_backup(tmp_path / "good.tar.gz")
    rewrite_archive(tmp_path / "good.tar.gz", tmp_path / "bad.tar.gz", change)
    with empty_instance().app_context():
        with pytest.raises(ops_backup.BackupError, match=message):
            ops_backup.restore_backup(tmp_path / "bad.tar.gz")


def test_a_path_outside_the_instance_is_refused(app, empty_instance, tmp_path):
    with tarfile.open(tmp_path / "evil.tar.gz", "w:gz") as tar:
        info = tarfile.TarInfo("uploads/../../evil")
        tar.addfile(info, io.BytesIO(b""))
    with empty_instance().app_context():
        with pytest.raises(ops_backup.BackupError, match="niet in hoort"):
            ops_backup.restore_backup(tmp_path / "evil.tar.gz")
    assert not (tmp_path / "evil").exists()


def test_a_broken_file_is_refused(app, empty_instance, tmp_path):
    (tmp_path / "x.tar.gz").write_bytes(gzip.compress(b"geen tar"))
    with empty_instance().app_context():
        with pytest.raises(ops_backup.BackupError, match="geen leesbaar"):
            ops_backup.restore_backup(tmp_path / "x.tar.gz")


def test_restore_into_an_instance_with_data_is_refused_unless_forced(app, runner, make_user, uploads, tmp_path):
    make_user(name="Voor de back-up")
    ops_backup.make_backup(tmp_path / "b.tar.gz")
    make_user(name="Na de back-up")
    (uploads / "nieuw.txt").write_text("na de back-up")
    refused = runner.invoke(args=["cpweb", "restore", str(tmp_path / "b.tar.gz")])
    assert refused.exit_code == 1 and "niet leeg" in refused.output and "--force" in refused.output
    assert (uploads / "nieuw.txt").exists()

    forced = runner.invoke(args=["cpweb", "restore", "--force", str(tmp_path / "b.tar.gz")])
    assert forced.exit_code == 0, forced.output
    names = set(db.session.scalars(db.text("SELECT name FROM users")))
    assert names == {"Voor de back-up"}
    assert not (uploads / "nieuw.txt").exists() and (uploads / "poster.pdf").exists()


def test_a_config_written_for_the_new_server_is_kept(app, empty_instance, tmp_path):
    (Path(app.instance_path) / "config.py").write_text("SITE_NAME = 'Oud'\n")
    ops_backup.make_backup(tmp_path / "b.tar.gz")
    new = empty_instance()
    (Path(new.instance_path) / "config.py").write_text("SITE_NAME = 'Nieuw'\n")
    with new.app_context():
        ops_backup.restore_backup(tmp_path / "b.tar.gz")
    assert (Path(new.instance_path) / "config.py").read_text() == "SITE_NAME = 'Nieuw'\n"
    assert (Path(new.instance_path) / "config.py.uit-backup").read_text() == "SITE_NAME = 'Oud'\n"


def test_backup_into_a_folder_keeps_the_newest_copies(app, runner, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for n in range(3):
        (folder / f"cpweb-2020010{n + 1}-000000.tar.gz").write_bytes(b"old")
    result = runner.invoke(args=["cpweb", "backup", str(folder), "--keep", "2"])
    assert result.exit_code == 0, result.output
    assert "Back-up geschreven" in result.output
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2 and names[0] == "cpweb-20200103-000000.tar.gz"
    assert oct(os.stat(folder / names[1]).st_mode & 0o777) == "0o600"


def test_a_failed_backup_leaves_no_half_archive(app, tmp_path, monkeypatch):
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ops_backup, "_add_file", full_disk)
    with pytest.raises(OSError):
        ops_backup.make_backup(tmp_path / "b.tar.gz")
    assert not list(tmp_path.glob("b.tar.gz*")) and not list(tmp_path.glob(".cpweb-backup-*"))


def test_backup_streams_files_in_chunks(app, uploads, tmp_path, monkeypatch):
    """No read asks for a whole file at once: memory stays flat however large the uploads are."""
    sizes = []
    real_read = ops_backup._HashingReader.read

    def read(self, size=-1):
        sizes.append(size)
        return real_read(self, size)

    monkeypatch.setattr(ops_backup._HashingReader, "read", read)
    ops_backup.make_backup(tmp_path / "b.tar.gz")
    assert sizes and all(0 < size <= 1024 * 1024 for size in sizes)


def test_backup_into_a_new_folder_with_a_slash(app, runner, tmp_path):
    result = runner.invoke(args=["cpweb", "backup", str(tmp_path / "nieuw") + "/"])
    assert result.exit_code == 0, result.output
    [archive] = (tmp_path / "nieuw").iterdir()
    assert archive.name.startswith("cpweb-") and archive.name.endswith(".tar.gz")
    assert ops_backup.verify_backup(archive)["files"]


def test_backup_of_a_site_without_a_database_says_so(tmp_path, monkeypatch):
    app = make_test_app(tmp_path / "leeg", monkeypatch)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["cpweb", "backup", str(tmp_path / "b.tar.gz")])
    assert result.exit_code == 1 and "nog geen database" in result.output
    assert not (tmp_path / "leeg" / "test.sqlite3").exists() and not (tmp_path / "b.tar.gz").exists()


@pytest.mark.only_on("postgresql")
def test_a_failing_pg_dump_says_why(app, runner, tmp_path, monkeypatch):
    # Another database, not a wrong password: a backend still refusing the password would hold up
    # dropping this test's database at the end.
    monkeypatch.setattr(db.engine, "url", db.engine.url.set(database="cpweb_bestaat_niet"))
    result = runner.invoke(args=["cpweb", "backup", str(tmp_path / "b.tar.gz")])
    assert result.exit_code == 1 and "pg_dump is mislukt" in result.output and "cpweb_bestaat_niet" in result.output
    assert not list(tmp_path.glob("b.tar.gz*"))


def test_a_backup_says_that_files_in_an_object_store_are_not_in_it(app, runner, tmp_path):
    app.config["STORAGE_URL"] = ""  # the instance folder, which the backup holds (also in a run on S3)
    assert "niet in deze back-up" not in runner.invoke(args=["cpweb", "backup", str(tmp_path / "a.tar.gz")]).output
    app.config["STORAGE_URL"] = "s3://cpweb-files/raad"  # the backup itself never asks the store
    result = runner.invoke(args=["cpweb", "backup", str(tmp_path / "b.tar.gz")])
    assert result.exit_code == 0
    assert "De bestanden in s3://cpweb-files/raad zitten niet in deze back-up" in result.output
