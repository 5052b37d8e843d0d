"""The schema comes from migrations; they must match the models exactly."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from cpweb import init_migrations
from cpweb.documents import search
from cpweb.documents.models import Document
from cpweb.extensions import db
from cpweb.handbook import logic as handbook
from cpweb.handbook.models import HandbookPage
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
    if db.engine.dialect.name == "sqlite":
        return db.session.execute(text("SELECT name, sql FROM sqlite_master WHERE name IN "
                                       "('documents_fts', 'handbook_search') ORDER BY name")).all()
    return db.session.execute(text(
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), pg_get_expr(d.adbin, d.adrelid) "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d "
        "ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE c.relname IN ('documents_fts', 'handbook_search') "
        "AND a.attnum > 0 UNION ALL SELECT tablename, indexname, indexdef, '' FROM pg_indexes "
        "WHERE tablename IN ('documents_fts', 'handbook_search') UNION ALL SELECT proname, prosrc, "
        "array_to_string(proconfig, ','), pg_get_function_arguments(oid) FROM pg_proc "
        "WHERE proname IN ('documents_fts_matching', 'handbook_search_matching') ORDER BY 1, 2")).all()


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
