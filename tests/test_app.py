"""The factory: configuration layers, the instance folder, the database settings."""
import os
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from cpweb import create_app
from cpweb.core.database import UTCDateTime
from cpweb.core.extensions import db


def test_config_layers_defaults_then_instance_file_then_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CPWEB_INSTANCE", str(tmp_path))
    (tmp_path / "config.py").write_text('SITE_NAME = "Uit config.py"\nCONTACT_EMAIL = "raad@example.org"\n')
    monkeypatch.setenv("CPWEB_SITE_NAME", "Uit de omgeving")
    app = create_app()
    assert app.config["SITE_NAME"] == "Uit de omgeving"
    assert app.config["CONTACT_EMAIL"] == "raad@example.org"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "nl"
    assert create_app({"SITE_NAME": "Test"}).config["SITE_NAME"] == "Test"


def test_instance_folder_holds_database_and_generated_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("CPWEB_INSTANCE", str(tmp_path / "inst"))
    app = create_app()
    secret_file = tmp_path / "inst" / "secret_key"
    assert app.config["SECRET_KEY"] == secret_file.read_text()
    assert len(app.config["SECRET_KEY"]) == 64
    assert stat.S_IMODE(os.stat(secret_file).st_mode) == 0o600
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'inst' / 'cpweb.sqlite3'}"
    # The second start reads the same key: sessions survive a restart.
    assert create_app().config["SECRET_KEY"] == app.config["SECRET_KEY"]


def test_configured_secret_is_used_and_nothing_written(tmp_path, monkeypatch):
    monkeypatch.setenv("CPWEB_INSTANCE", str(tmp_path))
    monkeypatch.setenv("CPWEB_SECRET_KEY", "uit-de-omgeving")
    assert create_app().config["SECRET_KEY"] == "uit-de-omgeving"
    assert not (tmp_path / "secret_key").exists()


def test_database_url_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CPWEB_INSTANCE", str(tmp_path))
    monkeypatch.setenv("CPWEB_DATABASE_URL", f"sqlite:///{tmp_path / 'elders.db'}")
    assert create_app().config["SQLALCHEMY_DATABASE_URI"].endswith("elders.db")


@pytest.mark.parametrize("given", ["postgresql://u:p@db/cpweb", "postgres://u:p@db/cpweb",
                                   "postgresql+psycopg://u:p@db/cpweb"])
def test_a_postgresql_url_gets_the_installed_driver(tmp_path, monkeypatch, given):
    monkeypatch.setenv("CPWEB_INSTANCE", str(tmp_path))
    monkeypatch.setenv("CPWEB_DATABASE_URL", given)
    assert create_app().config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db/cpweb"


@pytest.mark.only_on("sqlite")
def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_busy_timeout(app):
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert connection.execute(text("PRAGMA mmap_size")).scalar() == 256 * 1024 * 1024


@pytest.mark.only_on("postgresql")
def test_postgresql_connections_do_not_compile_queries(app):
    with db.engine.connect() as connection:
        assert connection.execute(text("SHOW jit")).scalar() == "off"


def test_utc_datetime_stores_utc_and_returns_aware_values():
    column = UTCDateTime()
    amsterdam_summer = timezone(timedelta(hours=2))
    stored = column.process_bind_param(datetime(2026, 5, 19, 14, 0, tzinfo=amsterdam_summer), None)
    assert stored == datetime(2026, 5, 19, 12, 0)
    assert column.process_result_value(stored, None) == datetime(2026, 5, 19, 12, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        column.process_bind_param(datetime(2026, 5, 19, 14, 0), None)


@pytest.mark.only_on("sqlite")
def test_sqlite_file_is_a_real_wal_database(app):
    db.session.execute(text("SELECT 1"))
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# Loaded where they are used (the first feed, upload, report, QR code or passkey), so a worker
# starts faster and smaller: each is 5–60 ms to import.
LOADED_WHEN_USED = ["docx", "pypdf", "segno", "webauthn", "markdown", "nh3", "psycopg", "sqlalchemy.dialects.postgresql",
                    "icalendar", "defusedxml"]


def test_starting_a_worker_loads_no_heavy_library(tmp_path):
    code = ("import sys, cpweb; cpweb.create_app(); "
            f"print([name for name in {LOADED_WHEN_USED!r} if name in sys.modules])")
    env = {**os.environ, "CPWEB_INSTANCE": str(tmp_path)}
    env.pop("CPWEB_DATABASE_URL", None)
    loaded = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                            cwd=os.path.dirname(os.path.dirname(__file__))).stdout.strip().splitlines()[-1]
    assert loaded == "[]"
