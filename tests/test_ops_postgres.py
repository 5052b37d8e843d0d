"""`cpweb migrate-to-postgres`: a SQLite site with the demo data and documents, copied into PostgreSQL.

The copy needs a PostgreSQL server: on a PostgreSQL run (CPWEB_DATABASE_URL) it gets a database of
its own like every test app; on a SQLite run one beside CPWEB_TEST_POSTGRES_URL, else it is skipped.
"""
import io

import pytest
from sqlalchemy import text
from werkzeug.datastructures import FileStorage

from cpweb.auth.models import User
from cpweb.core.extensions import db
from cpweb.core.hooks import hooks
from cpweb.demo import load_demo
from cpweb.documents import logic, search
from cpweb.documents.models import Document
from cpweb.handbook import logic as handbook
from cpweb.handbook.models import HandbookPage
from cpweb.signals import tally
from tests.conftest import make_test_app, postgres_database_url

FILE_TEXT = "Verslag van het overleg. " * 2000 + "De aanbesteding van de schuldhulpverlening."


@pytest.fixture
def postgres_target():
    return postgres_database_url()  # dropped with the suite's other databases


def sqlite_site(path, monkeypatch):
    """A site on SQLite (also on a PostgreSQL run: that is what gets copied)."""
    path.mkdir()
    return make_test_app(path, monkeypatch, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path / 'cpweb.sqlite3'}")


def row_counts() -> dict[str, int]:
    names = [t.name for t in db.metadata.sorted_tables] + [index.table for index in hooks().fulltext_indexes]
    return {name: db.session.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in names}


def page_parents() -> dict[int, int | None]:
    return dict(db.session.execute(db.select(HandbookPage.id, HandbookPage.parent_id)).all())


def test_a_demo_site_with_documents_moves_to_postgresql(tmp_path, monkeypatch, postgres_target):
    site = sqlite_site(tmp_path / "site", monkeypatch)
    with site.app_context():
        db.create_all()
        load_demo()
        secretary = db.session.scalar(db.select(User).filter_by(email="secretaris@example.org"))
        for n, content in enumerate((FILE_TEXT, "Werkboek voor de cliëntenraad.")):
            logic.store_upload(FileStorage(io.BytesIO(content.encode()), filename=f"stuk-{n}.txt"),
                               title=f"Stuk {n}", uploaded_by=secretary)
        db.session.commit()
        before, parents, tallied = row_counts(), page_parents(), signal_year_counts()
        result = site.test_cli_runner().invoke(args=["cpweb", "migrate-to-postgres", postgres_target])
        assert result.exit_code == 0, result.output
        assert "de aantallen kloppen" in result.output and "cpweb:***@" in result.output

        again = site.test_cli_runner().invoke(args=["cpweb", "migrate-to-postgres", postgres_target])
        assert again.exit_code == 1 and "De PostgreSQL-database is niet leeg" in again.output
        assert "Traceback" not in again.output

    copy = make_test_app(tmp_path / "copy", monkeypatch, SQLALCHEMY_DATABASE_URI=postgres_target)
    with copy.app_context():
        assert row_counts() == before and before["documents_fts"] >= 2 and before["handbook_pages"] >= 8
        assert page_parents() == parents and any(parents.values())
        assert signal_year_counts() == tallied and tallied  # not copied: counted again by PostgreSQL's triggers
        found = db.session.scalars(search.filter_search(db.select(Document), "aanbesteding")).all()
        assert [document.title for document in found] == ["Stuk 0"]
        assert "<mark>cliëntenraad</mark>" in str(search.snippets([d.id for d in db.session.scalars(
            search.filter_search(db.select(Document), "clientenraad werkboek"))], "clientenraad werkboek"))
        assert handbook.search_pages("ambassadeurs")
        highest = db.session.scalar(db.select(db.func.max(HandbookPage.id)))
        page = handbook.save_page(None, title="Nieuw na de verhuizing", text="Het werkt.", user=None)
        db.session.commit()
        assert page.id == highest + 1
        assert [p.title for p, _s in handbook.search_pages("verhuizing")] == ["Nieuw na de verhuizing"]


def signal_year_counts() -> list[tuple]:
    return [tuple(row) for row in db.session.execute(text(f"SELECT * FROM {tally.TABLE} ORDER BY 1, 2, 3"))]


@pytest.mark.parametrize("url, message", [
    ("sqlite:///elders.sqlite3", "Geef het adres van een PostgreSQL-database"),
    ("geen adres", "Geef het adres van een PostgreSQL-database"),
    ("postgresql://cpweb:fout@127.0.0.1:1/nergens", "Mislukt bij verbinden met PostgreSQL"),
])
def test_a_wrong_address_is_refused_in_dutch(tmp_path, monkeypatch, url, message):
    site = sqlite_site(tmp_path / "site", monkeypatch)
    with site.app_context():
        db.create_all()
        result = site.test_cli_runner().invoke(args=["cpweb", "migrate-to-postgres", url])
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    assert "fout" not in result.output  # the password is never shown


def test_without_an_address_it_asks_without_showing_what_is_typed(tmp_path, monkeypatch):
    site = sqlite_site(tmp_path / "site", monkeypatch)
    with site.app_context():
        db.create_all()
        result = site.test_cli_runner().invoke(args=["cpweb", "migrate-to-postgres"],
                                               input="postgresql://cpweb:geheim@127.0.0.1:1/nergens\n")
    assert "Adres van de PostgreSQL-database" in result.output and "Mislukt bij verbinden met PostgreSQL" in result.output
    assert result.exit_code == 1 and "geheim" not in result.output


def test_a_row_postgresql_refuses_stops_the_copy_with_nothing_copied(tmp_path, monkeypatch, postgres_target):
    site = sqlite_site(tmp_path / "site", monkeypatch)
    with site.app_context():
        db.create_all()
        load_demo()
        db.session.add(HandbookPage(title="Met een nul\x00teken", slug="nul", text=""))  # PostgreSQL has no NUL in text
        db.session.commit()
        result = site.test_cli_runner().invoke(args=["cpweb", "migrate-to-postgres", postgres_target])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Mislukt bij handbook_pages:" in result.output and "Er zijn geen rijen gekopieerd." in result.output
    copy = make_test_app(tmp_path / "copy", monkeypatch, SQLALCHEMY_DATABASE_URI=postgres_target)
    with copy.app_context():
        assert not any(row_counts().values())
