"""the followed councils' calendar events are not searched after all

c4d8f2a6b9e3 gave them a full-text index for the search box. At the scale bench's 100,000
followed events, most with the same place, a word in all of them cost the search page some 7 ms
of the index's own work (a prefix word's matches are gathered in full), more than every other
kind together; the agenda with 'ook van andere raden' still shows them. The index goes.

Revision ID: d5e9a3b7c1f4
Revises: c4d8f2a6b9e3
Create Date: 2026-12-07 22:35:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd5e9a3b7c1f4'
down_revision = 'c4d8f2a6b9e3'
branch_labels = None
depends_on = None

# As c4d8f2a6b9e3 made them (never import app code here).
SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS remote_events_search USING fts5(title, location, description, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
]
POSTGRES = [
    'CREATE TABLE IF NOT EXISTS remote_events_search (id integer PRIMARY KEY, "title" text NOT NULL DEFAULT \'\', "location" text NOT NULL DEFAULT \'\', "description" text NOT NULL DEFAULT \'\', search tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("location", \'\')), \'B\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("description", \'\')), \'C\')) STORED, ranking tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("location", \'\')), \'B\')) STORED)',
    'CREATE INDEX IF NOT EXISTS remote_events_search_search ON remote_events_search USING gin (search)',
    'CREATE OR REPLACE FUNCTION remote_events_search_matching(query tsquery) RETURNS SETOF integer LANGUAGE sql STABLE SET enable_seqscan = off AS $$ SELECT id FROM remote_events_search WHERE search @@ query $$',
]


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS remote_events_search_matching")
    op.execute("DROP TABLE IF EXISTS remote_events_search")


def downgrade():
    dialect = op.get_bind().dialect.name
    key = "rowid" if dialect == "sqlite" else "id"
    for statement in SQLITE if dialect == "sqlite" else POSTGRES:
        op.execute(statement)
    op.execute(f"INSERT INTO remote_events_search ({key}, title, location, description) "
               "SELECT id, title, location, description FROM remote_events")
