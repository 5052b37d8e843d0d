"""The year's counts of signals, kept by triggers on signals (cpweb/signals/tally.py)

The statements are those of cpweb.signals.tally, written out: migrations import no app code.
tests/test_migrations.py checks that create_all and this migration make the same.

Revision ID: c3e1f0a9d2b4
Revises: a5fb3716b05d
Create Date: 2026-11-30 10:45:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c3e1f0a9d2b4'
down_revision = 'a5fb3716b05d'
branch_labels = None
depends_on = None

TABLE = "signal_year_counts"
CREATE_TABLE = (f"CREATE TABLE IF NOT EXISTS {TABLE} (year INTEGER NOT NULL, category VARCHAR(40) NOT NULL, "
                "sentiment VARCHAR(10) NOT NULL, number INTEGER NOT NULL, PRIMARY KEY (year, category, sentiment))")
SQLITE_YEAR = "CAST(strftime('%Y', {row}.created_at, '+1 hour') AS INTEGER)"
SQLITE_COUNTED = "NOT {row}.suspected_spam AND {row}.status != 'geannuleerd'"
SQLITE_KEY = "year = " + SQLITE_YEAR + " AND category = {row}.category AND sentiment = {row}.sentiment"
SQLITE_ADD = (f"INSERT OR IGNORE INTO {TABLE} SELECT {SQLITE_YEAR}, NEW.category, NEW.sentiment, 0 "
              f"WHERE {SQLITE_COUNTED}; UPDATE {TABLE} SET number = number + 1 WHERE {SQLITE_COUNTED} "
              f"AND {SQLITE_KEY};").format(row="NEW")
SQLITE_TAKE = f"UPDATE {TABLE} SET number = number - 1 WHERE {SQLITE_COUNTED} AND {SQLITE_KEY};".format(row="OLD")
SQLITE = [
    CREATE_TABLE,
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_insert AFTER INSERT ON signals BEGIN {SQLITE_ADD} END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_delete AFTER DELETE ON signals BEGIN {SQLITE_TAKE} END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_update AFTER UPDATE OF created_at, category, sentiment, suspected_spam, "
    f"status ON signals BEGIN {SQLITE_TAKE} {SQLITE_ADD} END",
]
PG_YEAR = "CAST(EXTRACT(YEAR FROM {row}.created_at + INTERVAL '1 hour') AS INTEGER)"
PG_COUNTED = "NOT {row}.suspected_spam AND {row}.status <> 'geannuleerd'"
POSTGRESQL = [
    CREATE_TABLE,
    f"CREATE OR REPLACE FUNCTION {TABLE}_keep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP IN ('UPDATE', 'DELETE') AND {PG_COUNTED.format(row='OLD')} THEN UPDATE {TABLE} SET number = number - 1 "
    f"WHERE year = {PG_YEAR.format(row='OLD')} AND category = OLD.category AND sentiment = OLD.sentiment; END IF; "
    f"IF TG_OP IN ('INSERT', 'UPDATE') AND {PG_COUNTED.format(row='NEW')} THEN INSERT INTO {TABLE} VALUES "
    f"({PG_YEAR.format(row='NEW')}, NEW.category, NEW.sentiment, 1) "
    f"ON CONFLICT (year, category, sentiment) DO UPDATE SET number = {TABLE}.number + 1; END IF; "
    "RETURN NULL; END $$",
    f"DROP TRIGGER IF EXISTS {TABLE}_keep ON signals",
    f"CREATE TRIGGER {TABLE}_keep AFTER INSERT OR DELETE OR UPDATE OF created_at, category, sentiment, "
    f"suspected_spam, status ON signals FOR EACH ROW EXECUTE FUNCTION {TABLE}_keep()",
]
BACKFILL = {
    "sqlite": f"INSERT INTO {TABLE} SELECT {SQLITE_YEAR.format(row='signals')}, category, sentiment, count(*) "
              f"FROM signals WHERE {SQLITE_COUNTED.format(row='signals')} GROUP BY 1, 2, 3",
    "postgresql": f"INSERT INTO {TABLE} SELECT {PG_YEAR.format(row='signals')}, category, sentiment, count(*) "
                  f"FROM signals WHERE {PG_COUNTED.format(row='signals')} GROUP BY 1, 2, 3",
}


def upgrade():
    dialect = op.get_bind().dialect.name
    for statement in SQLITE if dialect == "sqlite" else POSTGRESQL:
        op.execute(statement)
    op.execute(BACKFILL[dialect])


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{name}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_keep ON signals")
        op.execute(f"DROP FUNCTION IF EXISTS {TABLE}_keep()")
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")
