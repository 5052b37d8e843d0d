"""The suite's own database handling on PostgreSQL: a test's database is used again by a later test
only when emptied back to the template, so no test sees what an earlier one wrote or changed."""
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool

from cpweb.auth.models import User
from cpweb.core.extensions import db
from cpweb.signals.models import SignalCategory
from tests import conftest


def _closed() -> tuple[str, str]:
    """This test's database and its template, with the app's connections to it closed (as after
    the test)."""
    name = db.engine.url.database
    db.session.remove()
    db.engine.dispose()
    return name, conftest._recyclable[name]


@pytest.mark.only_on("postgresql")
def test_a_database_is_emptied_back_to_the_template_rows_and_sequences(app, make_user):
    seeded = db.session.scalar(select(func.count()).select_from(SignalCategory))
    assert seeded > 0
    make_user(email="eerder@example.org")
    db.session.execute(db.delete(SignalCategory))
    db.session.commit()
    assert conftest._emptied(*_closed())
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert db.session.scalar(select(func.count()).select_from(SignalCategory)) == seeded
    assert make_user(email="later@example.org").id == 1  # the sequences start again too


@pytest.mark.only_on("postgresql")
@pytest.mark.parametrize("change", ["ALTER TABLE users ADD COLUMN extra integer",
                                    "CREATE INDEX ix_extra ON users (name)",
                                    "ALTER TABLE signals DISABLE TRIGGER signal_year_counts_keep"])
def test_a_database_whose_schema_changed_is_not_used_again(app, change):
    name, template = _closed()
    engine = create_engine(db.engine.url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(text(change))
    engine.dispose()
    assert not conftest._emptied(name, template)


@pytest.mark.only_on("postgresql")
def test_a_database_someone_is_still_connected_to_is_not_used_again(app):
    name = db.engine.url.database
    with db.engine.connect():
        assert not conftest._emptied(name, conftest._recyclable[name])
