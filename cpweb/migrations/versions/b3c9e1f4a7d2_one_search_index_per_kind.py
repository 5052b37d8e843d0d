"""one search index per kind

The search box (cpweb.search) searches meetings, agenda items, minutes with their decisions,
action items, advice dossiers, the public advice page, activities, proposals, signals and the
followed councils' items, each through its own full-text index (cpweb.core.fulltext): an FTS5 table on
SQLite, a table with weighted tsvectors under a GIN index on PostgreSQL. The rows already there
are indexed here; from now on cpweb.search keeps them with each flush.

Revision ID: b3c9e1f4a7d2
Revises: a7d3e9f2b4c1
Create Date: 2026-12-07 20:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b3c9e1f4a7d2'
down_revision = 'a7d3e9f2b4c1'
branch_labels = None
depends_on = None

# The statements as cpweb.core.fulltext made them when this migration was written (never import app code here).
SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS meetings_search USING fts5(title, location, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS agenda_items_search USING fts5(title, description, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS minutes_search USING fts5(title, decisions, text, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS action_items_search USING fts5(description, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS advice_search USING fts5(title, summary, steps, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS public_advice_search USING fts5(title, summary, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS activities_search USING fts5(title, description, report, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS proposals_search USING fts5(title, options, text, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS signals_search USING fts5(reference, description, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS remote_entries_search USING fts5(title, summary, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
]
POSTGRES = [
    'CREATE TABLE IF NOT EXISTS meetings_search (id integer PRIMARY KEY, "title" text NOT NULL DEFAULT \'\', "location" text NOT NULL DEFAULT \'\', search tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("location", \'\')), \'B\')) STORED, ranking tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\')) STORED)',
    'CREATE INDEX IF NOT EXISTS meetings_search_search ON meetings_search USING gin (search)',
    'CREATE OR REPLACE FUNCTION meetings_search_matching(query tsquery) RETURNS SETOF integer LANGUAGE sql STABLE SET enable_seqscan = off AS $$ SELECT id FROM meetings_search WHERE search @@ query $$',
    'CREATE TABLE IF NOT EXISTS agenda_items_search (id integer PRIMARY KEY, "title" text NOT NULL DEFAULT \'\', "description" text NOT NULL DEFAULT \'\', search tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("description", \'\')), \'B\')) STORED, ranking tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\')) STORED)',
    'CREATE INDEX IF NOT EXISTS agenda_items_search_search ON agenda_items_search USING gin (search)',
    'CREATE OR REPLACE FUNCTION agenda_items_search_matching(query tsquery) RETURNS SETOF integer LANGUAGE sql STABLE SET enable_seqscan = off AS $$ SELECT id FROM agenda_items_search WHERE search @@ query $$',
    'CREATE TABLE IF NOT EXISTS minutes_search (id integer PRIMARY KEY, "title" text NOT NULL DEFAULT \'\', "decisions" text NOT NULL DEFAULT \'\', "text" text NOT NULL DEFAULT \'\', search tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("decisions", \'\')), \'B\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("text", \'\')), \'C\')) STORED, ranking tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("decisions", \'\')), \'B\')) STORED)',
    'CREATE INDEX IF NOT EXISTS minutes_search_search ON minutes_search USING gin (search)',
    'CREATE OR REPLACE FUNCTION minutes_search_matching(query tsquery) RETURNS SETOF integer LANGUAGE sql STABLE SET enable_seqscan = off AS $$ SELECT id FROM minutes_search WHERE search @@ query $$',
    'CREATE TABLE IF NOT EXISTS action_items_search (id integer PRIMARY KEY, "description" text NOT NULL DEFAULT \'\', search tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("description", \'\')), \'A\')) STORED, ranking tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("description", \'\')), \'A\')) STORED)',
    'CREATE INDEX IF NOT EXISTS action_items_search_search ON action_items_search USING gin (search)',
    'CREATE OR REPLACE FUNCTION action_items_search_matching(query tsquery) RETURNS SETOF integer LANGUAGE sql STABLE SET enable_seqscan = off AS $$ SELECT id FROM action_items_search WHERE search @@ query $$',
    'CREATE TABLE IF NOT EXISTS advice_search (id integer PRIMARY KEY, "title" text NOT NULL DEFAULT \'\', "summary" text NOT NULL DEFAULT \'\', "steps" text NOT NULL DEFAULT \'\', search tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("summary", \'\')), \'B\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("steps", \'\')), \'C\')) STORED, ranking tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("summary", \'\')), \'B\')) STORED)',
    'CREATE INDEX IF NOT EXISTS advice_search_search ON advice_search USING gin (search)',
    'CREATE OR REPLACE FUNCTION advice_search_matching(query tsquery) RETURNS SETOF integer LANGUAGE sql STABLE SET enable_seqscan = off AS $$ SELECT id FROM advice_search WHERE search @@ query $$',
    'CREATE TABLE IF NOT EXISTS public_advice_search (id integer PRIMARY KEY, "title" text NOT NULL DEFAULT \'\', "summary" text NOT NULL DEFAULT \'\', search tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("summary", \'\')), \'B\')) STORED, ranking tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\')) STORED)',
    'CREATE INDEX IF NOT EXISTS public_advice_search_search ON public_advice_search USING gin (search)',
    'CREATE OR REPLACE FUNCTION public_advice_search_matching(query tsquery) RETURNS SETOF integer LANGUAGE sql STABLE SET enable_seqscan = off AS $$ SELECT id FROM public_advice_search WHERE search @@ query $$',
    'CREATE TABLE IF NOT EXISTS activities_search (id integer PRIMARY KEY, "title" text NOT NULL DEFAULT \'\', "description" text NOT NULL DEFAULT \'\', "report" text NOT NULL DEFAULT \'\', search tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("description", \'\')), \'B\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("report", \'\')), \'C\')) STORED, ranking tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("description", \'\')), \'B\')) STORED)',
    'CREATE INDEX IF NOT EXISTS activities_search_search ON activities_search USING gin (search)',
    'CREATE OR REPLACE FUNCTION activities_search_matching(query tsquery) RETURNS SETOF integer LANGUAGE sql STABLE SET enable_seqscan = off AS $$ SELECT id FROM activities_search WHERE search @@ query $$',
    'CREATE TABLE IF NOT EXISTS proposals_search (id integer PRIMARY KEY, "title" text NOT NULL DEFAULT \'\', "options" text NOT NULL DEFAULT \'\', "text" text NOT NULL DEFAULT \'\', search tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("options", \'\')), \'B\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("text", \'\')), \'C\')) STORED, ranking tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("options", \'\')), \'B\')) STORED)',
    'CREATE INDEX IF NOT EXISTS proposals_search_search ON proposals_search USING gin (search)',
    'CREATE OR REPLACE FUNCTION proposals_search_matching(query tsquery) RETURNS SETOF integer LANGUAGE sql STABLE SET enable_seqscan = off AS $$ SELECT id FROM proposals_search WHERE search @@ query $$',
    'CREATE TABLE IF NOT EXISTS signals_search (id integer PRIMARY KEY, "reference" text NOT NULL DEFAULT \'\', "description" text NOT NULL DEFAULT \'\', search tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("reference", \'\')), \'A\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("description", \'\')), \'B\')) STORED, ranking tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("reference", \'\')), \'A\')) STORED)',
    'CREATE INDEX IF NOT EXISTS signals_search_search ON signals_search USING gin (search)',
    'CREATE OR REPLACE FUNCTION signals_search_matching(query tsquery) RETURNS SETOF integer LANGUAGE sql STABLE SET enable_seqscan = off AS $$ SELECT id FROM signals_search WHERE search @@ query $$',
    'CREATE TABLE IF NOT EXISTS remote_entries_search (id integer PRIMARY KEY, "title" text NOT NULL DEFAULT \'\', "summary" text NOT NULL DEFAULT \'\', search tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\') || setweight(to_tsvector(\'cpweb_dutch\', coalesce("summary", \'\')), \'B\')) STORED, ranking tsvector GENERATED ALWAYS AS (setweight(to_tsvector(\'cpweb_dutch\', coalesce("title", \'\')), \'A\')) STORED)',
    'CREATE INDEX IF NOT EXISTS remote_entries_search_search ON remote_entries_search USING gin (search)',
    'CREATE OR REPLACE FUNCTION remote_entries_search_matching(query tsquery) RETURNS SETOF integer LANGUAGE sql STABLE SET enable_seqscan = off AS $$ SELECT id FROM remote_entries_search WHERE search @@ query $$',
]
TABLES = ['meetings_search', 'agenda_items_search', 'minutes_search', 'action_items_search', 'advice_search', 'public_advice_search', 'activities_search', 'proposals_search', 'signals_search', 'remote_entries_search']


def _fill(dialect: str) -> list[str]:
    """Index the rows already there: the same texts as cpweb.search.kinds puts in."""
    key = "rowid" if dialect == "sqlite" else "id"
    newline = "char(10)" if dialect == "sqlite" else "chr(10)"

    def joined(value: str, order: str) -> str:
        if dialect == "sqlite":
            return f"group_concat({value}, {newline})"
        return f"string_agg({value}, {newline} ORDER BY {order})"

    def lines(*values: str) -> str:
        """The non-empty values, one per line."""
        parts = " || ".join(f"CASE WHEN coalesce({value}, '') = '' THEN '' ELSE {value} || {newline} END"
                            for value in values)
        return f"rtrim({parts}, {newline})"

    decisions = f"(SELECT {joined('d.text', 'd.id')} FROM decisions d WHERE d.meeting_id = m.id)"
    steps = f"(SELECT {joined('e.text', 'e.id')} FROM advice_events e WHERE e.advice_id = a.id AND e.text <> '')"
    options = (f"(SELECT {joined('o.label', 'o.position')} FROM proposal_options o "
               "WHERE o.proposal_id = p.id AND o.label <> '')")
    return [
        f"INSERT INTO meetings_search ({key}, title, location) SELECT id, title, location FROM meetings",
        f"INSERT INTO agenda_items_search ({key}, title, description) SELECT id, title, description FROM agenda_items",
        f"INSERT INTO minutes_search ({key}, title, decisions, text) SELECT m.id, m.title, coalesce({decisions}, ''), "
        "coalesce((SELECT n.text FROM minutes n WHERE n.meeting_id = m.id), '') FROM meetings m "
        "WHERE EXISTS (SELECT 1 FROM minutes n WHERE n.meeting_id = m.id AND n.text <> '') "
        "OR EXISTS (SELECT 1 FROM decisions d WHERE d.meeting_id = m.id)",
        f"INSERT INTO action_items_search ({key}, description) SELECT id, description FROM action_items",
        f"INSERT INTO advice_search ({key}, title, summary, steps) SELECT a.id, a.title, a.summary, "
        f"{lines('a.response_summary', 'a.follow_up_notes', steps)} FROM advices a",
        f"INSERT INTO public_advice_search ({key}, title, summary) SELECT id, title, public_summary FROM advices",
        f"INSERT INTO activities_search ({key}, title, description, report) "
        "SELECT id, title, description, report FROM activities",
        f"INSERT INTO proposals_search ({key}, title, options, text) SELECT p.id, p.title, coalesce({options}, ''), "
        f"{lines('p.text', 'p.outcome_text')} FROM proposals p",
        f"INSERT INTO signals_search ({key}, reference, description) SELECT id, reference, description FROM signals",
        f"INSERT INTO remote_entries_search ({key}, title, summary) SELECT id, title, summary FROM remote_entries",
    ]


def upgrade():
    dialect = op.get_bind().dialect.name
    for statement in (SQLITE if dialect == "sqlite" else POSTGRES) + _fill(dialect):
        op.execute(statement)


def downgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        if postgres:
            op.execute(f"DROP FUNCTION IF EXISTS {table}_matching")
        op.execute(f"DROP TABLE IF EXISTS {table}")
