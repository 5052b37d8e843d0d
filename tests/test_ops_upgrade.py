"""Upgrades keep data: from the first migration with members in it to the newest; a failed
migration leaves the database as it was."""
from pathlib import Path

import flask_migrate
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from werkzeug.security import generate_password_hash

from cpweb import init_migrations
from cpweb.core.extensions import db
from tests.conftest import PASSWORD, make_test_app


def revisions(app) -> list[str]:
    """Oldest first."""
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config(app.extensions["migrate"].directory)
    return [script.revision for script in reversed(list(ScriptDirectory.from_config(config).walk_revisions()))]


def site_at_first_migration(tmp_path, monkeypatch):
    app = make_test_app(tmp_path, monkeypatch)
    init_migrations(app)
    first = revisions(app)[0]
    with app.app_context():
        flask_migrate.upgrade(revision=first)
        with db.engine.begin() as c:
            c.execute(text("INSERT INTO bodies (id, slug, name, kind, description, is_active, receives_signals, created_at) "
                           "VALUES (1, 'raad', 'Cliëntenraad', 'clientenraad', 'Over ons', true, true, '2025-01-01 10:00:00')"))
            c.execute(text("INSERT INTO organisations (id, name, kind, is_active) VALUES (1, 'Gemeente Oss', 'gemeente', true)"))
            c.execute(text("INSERT INTO users (id, email, name, role, password_hash, is_active_member, muted_mail_kinds, "
                           "session_token, created_at) VALUES (1, 'anna@example.org', 'Anna', 'secretaris', :hash, true, '', "
                           "'t0k3n', '2025-01-01 10:00:00')"),
                      {"hash": generate_password_hash(PASSWORD, "pbkdf2:sha256:1")})
            c.execute(text("INSERT INTO memberships (id, body_id, user_id, function, joined_at) "
                           "VALUES (1, 1, 1, 'lid', '2025-01-01 10:00:00')"))
            c.execute(text("INSERT INTO audit_entries (at, actor_id, subject_id, action, detail) "
                           "VALUES ('2025-01-02 10:00:00', 1, 1, 'created', '')"))
            if c.dialect.name == "postgresql":  # ids were given: move the counters past them, as a real site has them
                for table in ("bodies", "organisations", "users", "memberships"):
                    c.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1)"))
    return app, first


def assert_intact(connection):
    """SQLite checks its own file; PostgreSQL's pages are checked by the server itself."""
    if connection.dialect.name == "sqlite":
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_upgrade_from_the_first_migration_keeps_the_data(tmp_path, monkeypatch):
    app, first = site_at_first_migration(tmp_path, monkeypatch)
    result = app.test_cli_runner().invoke(args=["cpweb", "init"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        with db.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_heads() == (revisions(app)[-1],)
            assert connection.execute(text("SELECT email, name, role FROM users")).all() == [
                ("anna@example.org", "Anna", "secretaris")]
            assert connection.execute(text("SELECT count(*) FROM memberships")).scalar() == 1
            assert connection.execute(text("SELECT name FROM organisations")).scalar() == "Gemeente Oss"
            assert_intact(connection)
        assert not list(Path(app.instance_path).glob("*.voor-upgrade"))
        client = app.test_client()
        login = client.post("/inloggen", data={"email": "anna@example.org", "password": PASSWORD})
        assert login.status_code == 303
        assert client.get("/vergaderingen/").status_code == 200
        assert "Cliëntenraad" in client.get("/organen/raad").text


def test_a_failed_migration_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    app, first = site_at_first_migration(tmp_path, monkeypatch)
    # The third migration creates job_runs; a table in its way makes it fail after the second went through.
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE job_runs (id INTEGER PRIMARY KEY)"))
    result = app.test_cli_runner().invoke(args=["cpweb", "init"])
    assert result.exit_code != 0
    with app.app_context():
        with db.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_heads() == (first,)
            assert connection.execute(text("SELECT name FROM users")).scalar() == "Anna"
            assert_intact(connection)
        tables = set(inspect(db.engine).get_table_names())
        assert "users" in tables and "signals" not in tables
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE job_runs"))
    assert not list(Path(app.instance_path).glob("*.voor-upgrade"))
    assert app.test_cli_runner().invoke(args=["cpweb", "init"]).exit_code == 0
