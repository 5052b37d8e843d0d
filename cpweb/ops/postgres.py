"""`cpweb migrate-to-postgres URL`: this site's SQLite database into an empty PostgreSQL database.

The migrations make the schema there first (as `cpweb init` would). Then, in one transaction on
the target: every table in foreign-key order, streamed in batches; the search indexes (the
documents' file text lives only there); the sequences set past the highest ids; and the row
counts of every table compared with the source. When anything fails, nothing is copied.
"""
from collections.abc import Callable

import flask_migrate
from flask_babel import gettext as _
from sqlalchemy import bindparam, create_engine, inspect, or_, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from ..core.extensions import db
from ..core.hooks import hooks

BATCH = 1000


class CopyError(Exception):
    """Why the copy did not happen, in Dutch, for the person at the command line."""


def postgres_url(raw: str) -> URL:
    """The target's address, with the driver cpweb installs (psycopg 3)."""
    try:
        url = make_url(raw)
    except ArgumentError:
        url = None
    if url is None or url.get_backend_name() not in ("postgresql", "postgres"):
        raise CopyError(_("Geef het adres van een PostgreSQL-database, zoals "
                          "postgresql://cpweb:wachtwoord@localhost/cpweb."))
    return url.set(drivername="postgresql+psycopg")


def _reason(error: Exception) -> str:
    """The database's own words (never the statement with its values)."""
    return str(getattr(error, "orig", None) or error).strip().splitlines()[0]


def _tables():
    """The app's tables, each after the tables it refers to."""
    indexes = {index.table for index in hooks().fulltext_indexes}
    return [table for table in db.metadata.sorted_tables if table.name not in indexes]


def _count(connection, name: str) -> int:
    return connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()


def _refuse_data(target) -> None:
    with target.connect() as connection:
        present = set(inspect(connection).get_table_names())
        for name in [table.name for table in _tables()] + [index.table for index in hooks().fulltext_indexes]:
            if name in present and (rows := _count(connection, name)):
                raise CopyError(_("De PostgreSQL-database is niet leeg: tabel %(table)s heeft %(rows)s rijen. "
                                  "Kies een lege database.", table=name, rows=rows))


def _migrate(url: URL) -> None:
    """The schema, by the migrations: a second app on the target runs them."""
    from .. import create_app, init_migrations

    app = create_app({"SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False)})
    with app.app_context():
        init_migrations(app)
        try:
            flask_migrate.upgrade(directory=app.extensions["migrate"].directory)
        except SystemExit:  # Flask-Migrate's way to say an Alembic command failed; it logged why
            raise CopyError(_("De migraties in PostgreSQL zijn mislukt (zie de melding hierboven).")) from None
        finally:
            db.session.remove()
            db.engine.dispose()


def _batches(connection, query):
    for part in connection.execute(query.execution_options(yield_per=BATCH)).mappings().partitions():
        yield [dict(row) for row in part]


def _copy_table(table, reading, writing) -> None:
    """All rows; a column that refers to its own table (a page's parent) is filled in afterwards,
    when every row it may point to is there."""
    own = [c for c in table.columns if any(fk.column.table is table for fk in c.foreign_keys)]
    key = list(table.primary_key.columns)
    for rows in _batches(reading, select(table).order_by(*key)):
        writing.execute(table.insert(), [{**row, **{c.name: None for c in own}} for row in rows])
    if not own:
        return
    update = table.update().where(*(c == bindparam(f"key_{c.name}") for c in key)).values(
        {c.name: bindparam(f"new_{c.name}") for c in own})
    for rows in _batches(reading, select(*key, *own).where(or_(*(c.is_not(None) for c in own))).order_by(*key)):
        writing.execute(update, [{**{f"key_{c.name}": row[c.name] for c in key},
                                  **{f"new_{c.name}": row[c.name] for c in own}} for row in rows])


def _set_sequences(writing) -> None:
    """New rows get ids past the copied ones."""
    for table in _tables():
        if (column := table.autoincrement_column) is not None:
            writing.execute(text(f'SELECT setval(pg_get_serial_sequence(:table, :column), '
                                 f'coalesce(max("{column.name}"), 0) + 1, false) FROM "{table.name}"'),
                            {"table": table.name, "column": column.name})


def _check_counts(reading, writing) -> dict[str, int]:
    counts = {}
    for name in [table.name for table in _tables()] + [index.table for index in hooks().fulltext_indexes]:
        counts[name] = _count(reading, name)
        if (copied := _count(writing, name)) != counts[name]:
            raise CopyError(_("De aantallen kloppen niet: %(table)s heeft %(source)s rijen in SQLite en %(target)s "
                              "in PostgreSQL. Er zijn geen rijen gekopieerd.", table=name, source=counts[name], target=copied))
    return counts


def _copy(reading, writing):
    """Copy the tables and the indexes, then number on; yields what it is about to do (for a failure's message)."""
    for table in _tables():
        yield table.name
        _copy_table(table, reading, writing)
    for index in hooks().fulltext_indexes:
        yield index.table
        for rows in index.dump(reading, BATCH):
            index.put_many(rows, writing)
    yield _("de reeksen (sequences)")
    _set_sequences(writing)
    yield "ANALYZE"
    writing.execute(text("ANALYZE"))  # statistics for the planner now, not when autovacuum gets to it


def migrate_to_postgres(raw_url: str, echo: Callable[[str], None]) -> dict[str, int]:
    """Copy everything; returns the row count per table. Raises CopyError with a Dutch message."""
    if db.engine.dialect.name != "sqlite":
        raise CopyError(_("Deze site gebruikt al %(database)s; dit commando kopieert een SQLite-database.",
                          database=db.engine.dialect.name))
    url = postgres_url(raw_url)
    target = create_engine(url, poolclass=NullPool)
    step = _("verbinden met PostgreSQL")
    try:
        _refuse_data(target)
        step = _("de migraties")
        _migrate(url)
        echo(_("Schema gemaakt in %(url)s.", url=url.render_as_string(hide_password=True)))
        with db.engine.connect() as reading, target.begin() as writing:
            for step in _copy(reading, writing):
                pass
            return _check_counts(reading, writing)
    except SQLAlchemyError as error:
        raise CopyError(_("Mislukt bij %(step)s: %(reason)s. Er zijn geen rijen gekopieerd.",
                          step=step, reason=_reason(error))) from None
    finally:
        target.dispose()
