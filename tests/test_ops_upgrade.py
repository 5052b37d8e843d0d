"""Upgrades keep data: from the first migration with members in it to the newest; a failed
migration leaves the database as it was."""
from pathlib import Path

import flask_migrate
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from werkzeug.security import generate_password_hash

from cpweb import init_migrations
from cpweb.extensions import db
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
                           "VALUES (1, 'raad', 'Cliëntenraad', 'clientenraad', 'Over ons', 1, 1, '2025-01-01 10:00:00')"))
            c.execute(text("INSERT INTO organisations (id, name, kind, is_active) VALUES (1, 'Gemeente Oss', 'gemeente', 1)"))
            c.execute(text("INSERT INTO users (id, email, name, role, password_hash, is_active_member, muted_mail_kinds, "
                           "session_token, created_at) VALUES (1, 'anna@example.org', 'Anna', 'secretaris', :hash, 1, '', "
                           "'t0k3n', '2025-01-01 10:00:00')"),
                      {"hash": generate_password_hash(PASSWORD, "pbkdf2:sha256:1")})
            c.execute(text("INSERT INTO memberships (id, body_id, user_id, function, joined_at) "
                           "VALUES (1, 1, 1, 'lid', '2025-01-01 10:00:00')"))
            c.execute(text("INSERT INTO audit_entries (at, actor_id, subject_id, action, detail) "
                           "VALUES ('2025-01-02 10:00:00', 1, 1, 'created', '')"))
    return app, first


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
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert not list(Path(app.instance_path).glob("*.voor-upgrade"))
        client = app.test_client()
        login = client.post("/inloggen", data={"email": "anna@example.org", "password": PASSWORD})
        assert login.status_code == 303
        assert client.get("/vergaderingen/").status_code == 200
        assert "Cliëntenraad" in client.get("/organen/raad").text


def test_a_failed_migration_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    app, first = site_at_first_migration(tmp_path, monkeypatch)
    real_upgrade = flask_migrate.upgrade
    second = revisions(app)[1]

    def fails_halfway(directory=None, **kwargs):
        real_upgrade(directory=directory, revision=second)  # the first pending migration goes through
        raise RuntimeError("the next migration breaks")

    monkeypatch.setattr(flask_migrate, "upgrade", fails_halfway)
    result = app.test_cli_runner().invoke(args=["cpweb", "init"])
    assert result.exit_code != 0 and isinstance(result.exception, RuntimeError)
    with app.app_context():
        with db.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_heads() == (first,)
            assert connection.execute(text("SELECT name FROM users")).scalar() == "Anna"
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        tables = set(inspect(db.engine).get_table_names())
        assert "users" in tables and "signals" not in tables
    assert not list(Path(app.instance_path).glob("*.voor-upgrade"))

    monkeypatch.setattr(flask_migrate, "upgrade", real_upgrade)
    assert app.test_cli_runner().invoke(args=["cpweb", "init"]).exit_code == 0
