"""`cpweb init` on an existing site: migrations that fail leave the database as it was.

Alembic runs SQLite DDL without a transaction, so a migration that fails halfway would leave a
half-changed schema. Before migrating a SQLite database with pending migrations, a copy is made
with the online backup API next to it; on failure it is put back.
"""
from pathlib import Path

import flask_migrate
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from ..core.extensions import db
from .backup import snapshot_sqlite, sqlite_row_counts


def pending_migrations(directory: str) -> bool:
    config = current_app.extensions["migrate"].migrate.get_config(directory)
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with db.engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads()) != heads


def upgrade_database(directory: str) -> None:
    url = db.engine.url
    path = Path(url.database) if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") else None
    if path is None or not path.exists() or not sqlite_row_counts(path) or not pending_migrations(directory):
        # PostgreSQL runs each migration in a transaction; a new database has nothing to lose.
        flask_migrate.upgrade(directory=directory)
        return
    copy = path.with_name(path.name + ".voor-upgrade")
    snapshot_sqlite(path, copy)
    try:
        flask_migrate.upgrade(directory=directory)
    except BaseException:  # Flask-Migrate turns errors into SystemExit
        db.session.remove()
        db.engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        copy.replace(path)
        current_app.logger.error("migration failed; the database is back as it was before `cpweb init`")
        raise
    copy.unlink()
