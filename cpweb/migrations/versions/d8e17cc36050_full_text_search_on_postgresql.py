"""full-text search on PostgreSQL

On PostgreSQL the documents and the handbook are searched with PostgreSQL's own full-text search
(cpweb.core.fulltext): the configuration cpweb_dutch (dutch, with unaccent before the Dutch stemmer)
and a table per index with a generated, weighted tsvector under a GIN index (and a function
that reads the matches from that index), and a small one of the heavier columns to rank by. Rows already there
are indexed; a document's file text is not in the database, so it becomes searchable again when
a new version is uploaded. On SQLite nothing changes: its FTS5 tables came with earlier migrations.

Revision ID: d8e17cc36050
Revises: 574eac9a2aba
Create Date: 2026-11-24 08:20:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd8e17cc36050'
down_revision = '574eac9a2aba'
branch_labels = None
depends_on = None

# The statements as cpweb.core.fulltext made them when this migration was written (never import app code here).
UPGRADE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION cpweb_dutch (COPY = pg_catalog.dutch)",
    "ALTER TEXT SEARCH CONFIGURATION cpweb_dutch ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem",
    """CREATE TABLE documents_fts (id integer PRIMARY KEY,
        "title" text NOT NULL DEFAULT '', "description" text NOT NULL DEFAULT '', "tags" text NOT NULL DEFAULT '',
        "content" text NOT NULL DEFAULT '', "more" text NOT NULL DEFAULT '',
        search tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('cpweb_dutch', coalesce("title", '')), 'A')
            || setweight(to_tsvector('cpweb_dutch', coalesce("description", '')), 'C')
            || setweight(to_tsvector('cpweb_dutch', coalesce("tags", '')), 'B')
            || setweight(to_tsvector('cpweb_dutch', coalesce("content", '')), 'D')
            || setweight(to_tsvector('cpweb_dutch', coalesce("more", '')), 'D')) STORED,
        ranking tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('cpweb_dutch', coalesce("title", '')), 'A')
            || setweight(to_tsvector('cpweb_dutch', coalesce("description", '')), 'C')
            || setweight(to_tsvector('cpweb_dutch', coalesce("tags", '')), 'B')) STORED)""",
    "CREATE INDEX documents_fts_search ON documents_fts USING gin (search)",
    # The matching ids always from the GIN index (the planner would read every row for a common word).
    "CREATE OR REPLACE FUNCTION documents_fts_matching(query tsquery) RETURNS SETOF integer LANGUAGE sql "
    "STABLE SET enable_seqscan = off AS $$ SELECT id FROM documents_fts WHERE search @@ query $$",
    """CREATE TABLE handbook_search (id integer PRIMARY KEY,
        "title" text NOT NULL DEFAULT '', "text" text NOT NULL DEFAULT '',
        search tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('cpweb_dutch', coalesce("title", '')), 'A')
            || setweight(to_tsvector('cpweb_dutch', coalesce("text", '')), 'B')) STORED,
        ranking tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('cpweb_dutch', coalesce("title", '')), 'A')) STORED)""",
    "CREATE INDEX handbook_search_search ON handbook_search USING gin (search)",
    "CREATE OR REPLACE FUNCTION handbook_search_matching(query tsquery) RETURNS SETOF integer LANGUAGE sql "
    "STABLE SET enable_seqscan = off AS $$ SELECT id FROM handbook_search WHERE search @@ query $$",
    "INSERT INTO documents_fts (id, title, description, tags) SELECT id, title, description, tags FROM documents",
    # The page's text without Markdown signs, on one line (as cpweb.handbook.logic.searchable does).
    r"""INSERT INTO handbook_search (id, title, text)
        SELECT id, title, btrim(regexp_replace(regexp_replace(text, '[*_#>`|]+|^\s*(?:[-+]|\d+\.)\s+', ' ', 'gn'),
                                               '\s+', ' ', 'g'))
        FROM handbook_pages""",
]
DOWNGRADE = ["DROP FUNCTION IF EXISTS handbook_search_matching", "DROP FUNCTION IF EXISTS documents_fts_matching",
             "DROP TABLE IF EXISTS handbook_search", "DROP TABLE IF EXISTS documents_fts",
             "DROP TEXT SEARCH CONFIGURATION IF EXISTS cpweb_dutch"]


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWNGRADE:
            op.execute(statement)
