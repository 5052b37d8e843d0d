"""the followed councils' calendar events are searched

The search box finds the followed councils' public calendar events (labelled with their
council) through their own full-text index, remote_events_search: an FTS5 table on SQLite, a
table with weighted tsvectors under a GIN index on PostgreSQL. The events already there are
indexed here; from now on cpweb.search keeps them with each flush.

Revision ID: c4d8f2a6b9e3
Revises: b3c9e1f4a7d2
Create Date: 2026-12-07 22:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4d8f2a6b9e3'
down_revision = 'b3c9e1f4a7d2'
branch_labels = None
depends_on = None

# The statements as cpweb.core.fulltext made them when this migration was written (never import app code here).
SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS remote_events_search USING fts5(title, location, description, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
]
POSTGRES = [
    'CREATE TABLE IF NOT EXISTS remote_events_search (id integer PRIMARY KEY, "title" text NOT NULL DEFAULT \'\', "location" text NOT NULL DEFAULT \'\', "description" text NOT NULL DEFAULT \'\', search tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("location", \'\')), \'B\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("description", \'\')), \'C\')) STORED, ranking tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("location", \'\')), \'B\')) STORED)',
    'CREATE INDEX IF NOT EXISTS remote_events_search_search ON remote_events_search USING gin (search)',
    'CREATE OR REPLACE FUNCTION remote_events_search_matching(query tsquery) RETURNS SETOF integer LANGUAGE sql STABLE SET enable_seqscan = off AS $$ SELECT id FROM remote_events_search WHERE search @@ query $$',
]


def upgrade():
    dialect = op.get_bind().dialect.name
    key = "rowid" if dialect == "sqlite" else "id"
    for statement in SQLITE if dialect == "sqlite" else POSTGRES:
        op.execute(statement)
    op.execute(f"INSERT INTO remote_events_search ({key}, title, location, description) "
               "SELECT id, title, location, description FROM remote_events")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS remote_events_search_matching")
    op.execute("DROP TABLE IF EXISTS remote_events_search")
