"""A year's counts of the signals that count for management (no spam, nothing cancelled), per
category and sentiment, kept by the database itself.

Triggers on `signals` add one and take one away as rows are written: by the app, a bulk insert or
a copy alike, in the same transaction. The annual report reads a dozen rows instead of counting a
year of signals (8 ms each time at the benchmarks' 50,000 signals in a year).

The year is Amsterdam's. A new year starts at 23:00 UTC on 31 December (never in summer time), so
it is the UTC year of the time plus one hour, on both engines.

Not a model: the table comes with `signals` (create_all) or a migration (which repeats these
statements, as migrations import no app code). Alembic's autogenerate leaves it alone
(hooks.unmanaged_tables), and `cpweb migrate-to-postgres` does not copy it: the triggers there count
the copied signals again.
"""
from sqlalchemy import DDL, event, text

from ..core.extensions import db
from . import rules

TABLE = "signal_year_counts"
_COUNTED = {"sqlite": "NOT {row}.suspected_spam AND {row}.status != '%s'" % rules.CANCELLED,
            "postgresql": "NOT {row}.suspected_spam AND {row}.status <> '%s'" % rules.CANCELLED}
_YEAR = {"sqlite": "CAST(strftime('%Y', {row}.created_at, '+1 hour') AS INTEGER)",
         "postgresql": "CAST(EXTRACT(YEAR FROM {row}.created_at + INTERVAL '1 hour') AS INTEGER)"}
_CREATE_TABLE = (f"CREATE TABLE IF NOT EXISTS {TABLE} (year INTEGER NOT NULL, category VARCHAR(40) NOT NULL, "
                 "sentiment VARCHAR(10) NOT NULL, number INTEGER NOT NULL, PRIMARY KEY (year, category, sentiment))")


def _sqlite_key(row: str) -> str:
    return f"year = {_YEAR['sqlite'].format(row=row)} AND category = {row}.category AND sentiment = {row}.sentiment"


def _sqlite_add(row: str, condition: str) -> list[str]:
    counted = _COUNTED["sqlite"].format(row=row)
    return [f"INSERT OR IGNORE INTO {TABLE} SELECT {_YEAR['sqlite'].format(row=row)}, {row}.category, "
            f"{row}.sentiment, 0 WHERE {counted}{condition};",
            f"UPDATE {TABLE} SET number = number + 1 WHERE {counted}{condition} AND {_sqlite_key(row)};"]


def _sqlite_take(row: str) -> str:
    return f"UPDATE {TABLE} SET number = number - 1 WHERE {_COUNTED['sqlite'].format(row=row)} AND {_sqlite_key(row)};"


def sqlite_ddl() -> list[str]:
    columns = "created_at, category, sentiment, suspected_spam, status"
    return [_CREATE_TABLE,
            f"CREATE TRIGGER IF NOT EXISTS {TABLE}_insert AFTER INSERT ON signals BEGIN "
            f"{' '.join(_sqlite_add('NEW', ''))} END",
            f"CREATE TRIGGER IF NOT EXISTS {TABLE}_delete AFTER DELETE ON signals BEGIN {_sqlite_take('OLD')} END",
            f"CREATE TRIGGER IF NOT EXISTS {TABLE}_update AFTER UPDATE OF {columns} ON signals BEGIN "
            f"{_sqlite_take('OLD')} {' '.join(_sqlite_add('NEW', ''))} END"]


def postgres_ddl() -> list[str]:
    old, new = (_COUNTED["postgresql"].format(row=row) for row in ("OLD", "NEW"))
    return [_CREATE_TABLE,
            f"CREATE OR REPLACE FUNCTION {TABLE}_keep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP IN ('UPDATE', 'DELETE') AND {old} THEN UPDATE {TABLE} SET number = number - 1 "
            f"WHERE year = {_YEAR['postgresql'].format(row='OLD')} AND category = OLD.category "
            f"AND sentiment = OLD.sentiment; END IF; "
            f"IF TG_OP IN ('INSERT', 'UPDATE') AND {new} THEN INSERT INTO {TABLE} VALUES "
            f"({_YEAR['postgresql'].format(row='NEW')}, NEW.category, NEW.sentiment, 1) "
            f"ON CONFLICT (year, category, sentiment) DO UPDATE SET number = {TABLE}.number + 1; END IF; "
            "RETURN NULL; END $$",
            f"DROP TRIGGER IF EXISTS {TABLE}_keep ON signals",
            f"CREATE TRIGGER {TABLE}_keep AFTER INSERT OR DELETE OR UPDATE OF created_at, category, sentiment, "
            f"suspected_spam, status ON signals FOR EACH ROW EXECUTE FUNCTION {TABLE}_keep()"]


def backfill(dialect: str) -> str:
    """Counts for the signals already there (a migration on a site with data)."""
    row = "signals"
    return (f"INSERT INTO {TABLE} SELECT {_YEAR[dialect].format(row=row)}, category, sentiment, count(*) "
            f"FROM signals WHERE {_COUNTED[dialect].format(row=row)} GROUP BY 1, 2, 3")


def attach(signals_table) -> None:
    """db.create_all() (tests, a fresh site) makes the table and its triggers with `signals`."""
    for dialect, statements in (("sqlite", sqlite_ddl()), ("postgresql", postgres_ddl())):
        for statement in statements:
            # DDL formats its text with %: the strftime pattern's percent sign is doubled.
            event.listen(signals_table, "after_create", DDL(statement.replace("%", "%%")).execute_if(dialect=dialect))
    event.listen(signals_table, "before_drop", DDL(f"DROP TABLE IF EXISTS {TABLE}"))
    event.listen(signals_table, "before_drop", DDL(f"DROP FUNCTION IF EXISTS {TABLE}_keep CASCADE")
                 .execute_if(dialect="postgresql"))


def year_counts(year: int) -> list[tuple[str, str, int]]:
    """(category, sentiment, number) of the signals of that Amsterdam year that count."""
    return db.session.execute(text(f"SELECT category, sentiment, number FROM {TABLE} WHERE year = :year "
                                   "AND number > 0"), {"year": year}).all()
