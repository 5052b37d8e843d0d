"""The schema comes from migrations; they must match the models exactly."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from cpweb import init_migrations
from cpweb.core.extensions import db
from cpweb.core.hooks import hooks
from cpweb.documents import search
from cpweb.documents.models import Document
from cpweb.handbook import logic as handbook
from cpweb.handbook.models import HandbookPage
from cpweb.search import kinds
from cpweb.search import logic as search_logic
from tests.conftest import make_test_app


def test_migrations_build_the_schema_the_models_describe(tmp_path, monkeypatch):
    app = make_test_app(tmp_path, monkeypatch)
    init_migrations(app)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            # The same options as `flask db migrate` (which leaves e.g. full-text index tables alone).
            context = MigrationContext.configure(connection, opts=app.extensions["migrate"].configure_args)
            assert compare_metadata(context, db.metadata) == []


def test_migrations_go_down_and_up_again(tmp_path, monkeypatch):
    """Every migration down and up again: a few seconds on PostgreSQL, where DDL is slower."""
    app = make_test_app(tmp_path, monkeypatch)
    init_migrations(app)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade()
        assert "users" in inspect(db.engine).get_table_names()


@pytest.mark.only_on("postgresql")  # on SQLite the FTS5 tables come with the earlier migrations
def test_the_postgresql_search_migration_indexes_the_rows_already_there(tmp_path, monkeypatch):
    app = make_test_app(tmp_path, monkeypatch)
    init_migrations(app)
    with app.app_context():
        upgrade(revision="574eac9a2aba")
        db.session.add(HandbookPage(title="Vergaderen", slug="vergaderen",
                                    text="## Wij vergaderen met de **cliëntenraad**"))
        # Only the columns of that revision: the model has more by now.
        db.session.execute(db.insert(Document).values(title="Jaarplan", description="Plannen voor het werkplein",
                                                      tags="beleid"))
        db.session.commit()
        upgrade()
        assert [page.title for page, _snippet in handbook.search_pages("clientenraad")] == ["Vergaderen"]
        assert handbook.SEARCH.stored([1], "text") == {1: ("Wij vergaderen met de cliëntenraad",)}
        found = db.session.scalars(search.filter_search(db.select(Document), "werkplein beleid")).all()
        assert [document.title for document in found] == ["Jaarplan"]


def test_create_all_makes_the_same_search_tables_as_the_migrations(tmp_path, monkeypatch):
    """The index tables are made twice (create_all for tests, a migration for sites): they must agree.
    Both ways on PostgreSQL take a few seconds."""
    migrated, created = both_ways(tmp_path, monkeypatch, _search_table_definitions)
    assert migrated == created and migrated


def both_ways(tmp_path, monkeypatch, definitions) -> list:
    """What definitions() reads from a database made by the migrations, and from one by create_all."""
    found = []
    for name in ("migrated", "created"):
        app = make_test_app(tmp_path / name, monkeypatch)
        init_migrations(app)
        with app.app_context():
            upgrade() if name == "migrated" else db.create_all()
            found.append(definitions())
    return found


def _search_table_definitions():
    tables = [index.table for index in hooks().fulltext_indexes]
    assert len(tables) >= 12  # the documents', the handbook's and the search's own
    names = ", ".join(f"'{table}'" for table in tables)
    functions = ", ".join(f"'{table}_matching'" for table in tables)
    if db.engine.dialect.name == "sqlite":
        return db.session.execute(text(f"SELECT name, sql FROM sqlite_master WHERE name IN ({names}) "
                                       "ORDER BY name")).all()
    return db.session.execute(text(
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), pg_get_expr(d.adbin, d.adrelid) "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d "
        f"ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE c.relname IN ({names}) "
        "AND a.attnum > 0 UNION ALL SELECT tablename, indexname, indexdef, '' FROM pg_indexes "
        f"WHERE tablename IN ({names}) UNION ALL SELECT proname, prosrc, "
        "array_to_string(proconfig, ','), pg_get_function_arguments(oid) FROM pg_proc "
        f"WHERE proname IN ({functions}) ORDER BY 1, 2")).all()


def test_create_all_and_the_migrations_make_the_same_signal_counts_and_triggers(tmp_path, monkeypatch):
    migrated, created = both_ways(tmp_path, monkeypatch, _tally_definitions)
    assert migrated == created and len(migrated) >= 4  # the table and its triggers


def _tally_definitions():
    if db.engine.dialect.name == "sqlite":
        return db.session.execute(text("SELECT type, name, sql FROM sqlite_master WHERE name LIKE "
                                       "'signal_year_counts%' AND type IN ('table', 'trigger') ORDER BY name")).all()
    return db.session.execute(text(
        "SELECT 'trigger', tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname LIKE 'signal_year_counts%' "
        "UNION ALL SELECT 'function', proname, prosrc FROM pg_proc WHERE proname = 'signal_year_counts_keep' "
        "UNION ALL SELECT 'column', column_name, data_type FROM information_schema.columns "
        "WHERE table_name = 'signal_year_counts' ORDER BY 1, 2")).all()


def test_the_signal_counts_migration_counts_the_signals_already_there(tmp_path, monkeypatch):
    app = make_test_app(tmp_path, monkeypatch)
    init_migrations(app)
    with app.app_context():
        upgrade(revision="a5fb3716b05d")
        db.session.execute(text(
            "INSERT INTO signal_categories (key, label, position, is_active) VALUES ('werk', 'Werk', 1, true)"))
        for n, (created_at, spam, status) in enumerate([("2025-12-31 23:30:00", False, "nieuw"),
                                                         ("2025-06-01 12:00:00", False, "afgerond"),
                                                         ("2025-06-02 12:00:00", True, "nieuw"),
                                                         ("2025-06-03 12:00:00", False, "geannuleerd")]):
            db.session.execute(text(
                "INSERT INTO signals (reference, created_at, category, sentiment, organisation_kind, description, "
                "source, status, suspected_spam) VALUES (:reference, :created_at, 'werk', 'goed', 'uwv', 'Tekst', "
                "'online', :status, :spam)"), {"reference": f"S-{n}", "created_at": created_at, "status": status,
                                               "spam": spam})
        db.session.commit()
        upgrade()
        rows = db.session.execute(text("SELECT year, category, sentiment, number FROM signal_year_counts "
                                       "ORDER BY year")).all()
        assert [tuple(row) for row in rows] == [(2025, "werk", "goed", 1), (2026, "werk", "goed", 1)]


def test_the_search_migration_indexes_the_rows_already_there(tmp_path, monkeypatch):
    """Raw rows before the migration (the app would index them itself), found after it."""
    app = make_test_app(tmp_path, monkeypatch)
    init_migrations(app)
    with app.app_context():
        upgrade(revision="a7d3e9f2b4c1")  # the one before the search indexes
        for statement in (
                "INSERT INTO bodies (slug, name, kind, is_active, description, receives_signals, members_propose, "
                "created_at) VALUES ('noord', 'Noord', 'clientenraad', true, '', false, false, '2026-01-01')",
                "INSERT INTO advices (body_id, title, kind, topic, summary, response_summary, follow_up_notes, status, "
                "public_summary, version, created_at, updated_at, addressee_text) VALUES (1, 'Brieven', 'ongevraagd', "
                "'communicatie', 'Eenvoudige taal', '', 'Nagesprek gehad', 'idee', '', 0, '2026-01-01', '2026-01-01', '')",
                "INSERT INTO advice_events (advice_id, at, text) VALUES (1, '2026-01-01', 'Eerste stap'), "
                "(1, '2026-01-02', 'Tweede zonnepaneel')",
                "INSERT INTO meetings (body_id, title, kind, starts_at, ends_at, location, online_url, status, visibility, "
                "sequence, guests, created_at, updated_at) VALUES (1, 'Overleg', 'regular', '2026-01-05 18:00:00', "
                "'2026-01-05 20:00:00', 'Werkplein', '', 'planned', 'members', 0, '', '2026-01-01', '2026-01-01'), "
                "(1, 'Zonder verslag', 'regular', '2026-01-06 18:00:00', '2026-01-06 20:00:00', '', '', 'planned', "
                "'members', 0, '', '2026-01-01', '2026-01-01')",
                "INSERT INTO decisions (meeting_id, text, created_at) VALUES (1, 'Brief sturen', '2026-01-05')"):
            db.session.execute(text(statement))
        db.session.commit()
        upgrade()
        assert kinds.ADVICE.stored([1], "summary", "steps") == {1: ("Eenvoudige taal", "Nagesprek gehad\nEerste stap\nTweede zonnepaneel")}
        assert kinds.MEETINGS.stored([1, 2], "location") == {1: ("Werkplein",), 2: ("",)}
        assert kinds.MINUTES.stored([1, 2], "decisions") == {1: ("Brief sturen",)}
        found = db.session.scalars(kinds.ADVICE.matching("zonnepaneel tweede")).all()
        assert found == [1]
        assert search_logic.reindex()["advice_search"] == 1
        assert kinds.ADVICE.stored([1], "steps") == {1: ("Nagesprek gehad\nEerste stap\nTweede zonnepaneel",)}
