"""Database conventions shared by every feature: UTC times, SQLite settings, paging, migrations."""
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import abort, current_app, request
from sqlalchemy import DateTime, Integer, event, func, literal_column
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import lazyload
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

from .extensions import db
from .hooks import hooks


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC (SQLite has no time zones) and always hands back aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while one worker writes; the timeout waits out short locks.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Read the file through the operating system's cache rather than copying each page into a
    # small cache of SQLite's own (2 MB): at ten years of data the lists read more pages than fit.
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


@event.listens_for(Engine, "connect")
def _configure_postgres(dbapi_connection, connection_record):
    if isinstance(dbapi_connection, sqlite3.Connection):
        return
    # No JIT: a page's statements take milliseconds, but one with many parts (the search's, a
    # union over every kind) looks expensive to the planner, which then compiles for a second.
    autocommit, dbapi_connection.autocommit = dbapi_connection.autocommit, True
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    dbapi_connection.autocommit = autocommit


class StaleEdit(Exception):
    """Someone else saved a change after this form was opened (its version or sequence moved on)."""


def with_driver(url: str) -> str:
    """A PostgreSQL URL as hosting providers and pg tools write it, with the driver cpweb installs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def run_seeders() -> None:
    """Add the reference data every site needs (each feature's hooks.seeder adds only what is missing)."""
    for fn in hooks().seeders:
        fn()


# Far beyond any list here, and small enough for every database's OFFSET (a 64-bit integer).
MAX_PAGE = 100_000


# The largest id a row can have (PostgreSQL's integer): a larger one typed in is no row's.
MAX_ID = 2**31 - 1


def row_id(text: str | None) -> int | None:
    """An id sent in a form or an address, or None for anything that cannot be a row's: words, signs,
    digits of other scripts ("²"), and numbers too large for the database (SQLite refuses them)."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)) or int(text) > MAX_ID:
        return None
    return int(text)


def page_from(value: str, last: int = MAX_PAGE) -> int | None:
    """The page number this text asks for; None for anything else (words, signs, digits of other
    scripts, zero, a number past `last`)."""
    if not value.isascii() or not value.isdigit() or len(value) > len(str(last)) or not 1 <= int(value) <= last:
        return None
    return int(value)


def page_number() -> int:
    """The ?pagina= number of the current request; nonsense or a number past any list gives 404, not a crash."""
    number = page_from(request.args.get("pagina", "1"))
    if number is None:
        abort(404)
    return number


# A list counts its rows up to here and says "more than" beyond: a count costs a step per row, so an
# exact total would make the first page of a long list slower the longer the list grows.
COUNT_LIMIT = 1000


class Paging:
    """What the pagination macro asks of a page besides its own numbers: the pages either side."""

    page: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


@dataclass
class Page(Paging):
    """One page of a list: its rows, and the list's length (exact up to COUNT_LIMIT; `more` beyond)."""

    items: list
    page: int
    per_page: int
    total: int
    more: bool
    has_next: bool

    @property
    def pages(self) -> int | None:
        """How many pages there are, when the list was counted to its end."""
        return None if self.more else max(1, -(-self.total // self.per_page))


def paginate(select) -> Page:
    """The ?pagina= page of this select; a page past the end is a 404."""
    page = page_of(select, page_number(), current_app.config["PER_PAGE"])
    if page.page > 1 and not page.items:
        abort(404)
    return page


def first_rows(select, n: int) -> Page:
    """The first n rows of a list and its length, e.g. for a section on the home page."""
    return page_of(select, 1, n)


def all_rows(select) -> list:
    """Every row, shaped as page_of shapes them: objects of one entity, else tuples."""
    return _rows(select, db.session.execute(select).unique())


def _rows(select, result) -> list:
    return list(result.scalars()) if len(select.column_descriptions) == 1 else [tuple(row) for row in result]


def page_of(select, number: int, per_page: int) -> Page:
    """Two queries whatever the list's length: its rows (one more, to know whether a next page
    exists), and a count that stops after COUNT_LIMIT + 1 rows. Rows of one entity come as
    objects, of several as tuples."""
    rows = _rows(select, db.session.execute(select.limit(per_page + 1).offset((number - 1) * per_page)).unique())
    total = count_up_to(select, COUNT_LIMIT + 1)
    return Page(rows[:per_page], number, per_page, min(total, COUNT_LIMIT), total > COUNT_LIMIT, len(rows) > per_page)


def count_up_to(select, limit: int) -> int:
    """The number of rows of this select, counting no further than limit.

    The rows are counted as constants (unless DISTINCT needs their values): asked for every column,
    SQLite without statistics reads the table itself rather than an index that holds the filter."""
    if not select._distinct:
        select = select.with_only_columns(literal_column("1"), maintain_column_froms=True)
    counted = select.options(lazyload("*")).order_by(None).limit(limit).subquery()
    return db.session.scalar(db.select(func.count()).select_from(counted))


class days_between(FunctionElement):
    """days_between(start, end): whole days from one date column to another (NULL when one is NULL),
    for counting in the database: PostgreSQL subtracts dates, SQLite keeps them as text."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between(element, compiler, **kw):
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({end} - {start})"


@compiles(days_between, "sqlite")
def _days_between_on_sqlite(element, compiler, **kw):
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


def alembic_render_item(type_, obj, autogen_context):
    """Migrations say plain sa.DateTime() so they never import application code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def alembic_include_name(name, type_, parent_names):
    """Alembic's autogenerate leaves alone the tables made by hand in migrations (hooks.unmanaged_tables,
    e.g. an SQLite FTS5 index), with their shadow tables."""
    if type_ == "table" and name:
        return not any(name == table or name.startswith(table + "_") for table in hooks().unmanaged_tables)
    return True


MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def init_migrations(app) -> None:
    """Set up Flask-Migrate. Only commands need it: web workers start faster without Alembic."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(MIGRATIONS), render_as_batch=True, render_item=alembic_render_item,
                include_name=alembic_include_name)
