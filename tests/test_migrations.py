"""The schema comes from migrations; they must match the models exactly."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from cpweb import init_migrations
from cpweb.extensions import db
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
    app = make_test_app(tmp_path, monkeypatch)
    init_migrations(app)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade()
        assert "users" in inspect(db.engine).get_table_names()
