"""Fixtures: a fresh app on a temporary instance folder per test, and factories for its data.

The suite runs on SQLite. With CPWEB_DATABASE_URL naming a PostgreSQL database whose name ends in
"test", it runs there instead: each test app gets an empty database of its own beside that one
(as each gets its own SQLite file), and they are all dropped at the end.
"""
import itertools
import os
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from cpweb import create_app
from cpweb.auth.models import User
from cpweb.bodies.models import Body, Membership
from cpweb.database import run_seeders
from cpweb.extensions import db
from cpweb.mail import outbox

PASSWORD = "lang-genoeg-wachtwoord"
SAMPLE_DOCUMENTS = Path(__file__).resolve().parents[2] / "shared" / "sample-documents"


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as in production.

    The test itself holds an app context for its factories; without this, requests would share
    its `g` (Flask-Login caches the user there) and its database session.
    """

    def open(self, *args, **kwargs):
        db.session.commit()  # the request sees what the test made
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.commit()  # expires the test's objects: they reload what the request saved
        return response


POSTGRES_URL = os.environ.get("CPWEB_DATABASE_URL", "")
ON_POSTGRES = POSTGRES_URL.startswith("postgresql")
# Where tests make PostgreSQL databases: the suite's own, or in a SQLite run the one `make test`
# gives, for the tests that need PostgreSQL whatever the run (a copy to PostgreSQL).
POSTGRES_BASE = POSTGRES_URL if ON_POSTGRES else os.environ.get("CPWEB_TEST_POSTGRES_URL", "")
_numbers_of_databases = itertools.count(1)
_made: list[str] = []  # PostgreSQL databases made here, oldest first
_apps = []


def _postgres_admin():
    """A connection to the base test database, to create and drop the others."""
    url = make_url(POSTGRES_BASE).set(drivername="postgresql+psycopg")
    if not (url.database or "").endswith("test"):
        pytest.exit(f"the PostgreSQL URL names {url.database!r}; tests only use a database whose name ends in 'test'")
    return create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool).connect()


def _new_postgres_database() -> str:
    base = make_url(POSTGRES_BASE).set(drivername="postgresql+psycopg")
    # The process id in the name tells a later run which databases a killed run left behind.
    name = f"{base.database}_{os.getpid()}_{next(_numbers_of_databases)}"
    with _postgres_admin() as connection:
        # UTF-8 whatever the server's default (a cluster made without a locale is SQL_ASCII); C.UTF-8
        # sorts by code point, as SQLite does.
        connection.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'"))
    _made.append(name)
    return base.set(database=name).render_as_string(hide_password=False)


def database_url(instance: Path) -> str:
    """An empty database for an app on this instance folder: a file on SQLite, a database on PostgreSQL."""
    return _new_postgres_database() if ON_POSTGRES else f"sqlite:///{instance / 'test.sqlite3'}"


def postgres_database_url() -> str:
    """An empty PostgreSQL database in either run; the test is skipped where there is no PostgreSQL."""
    if not POSTGRES_BASE.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: set CPWEB_TEST_POSTGRES_URL (a database whose name ends in 'test')")
    return _new_postgres_database()


def _drop_databases(names: list[str]) -> None:
    with _postgres_admin() as connection:
        for name in names:
            try:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            except DBAPIError:  # autovacuum is in it: a later run drops it
                pass


@pytest.fixture(autouse=True)
def _close_databases(monkeypatch):
    """Tests choose their database with database_url(); afterwards each app's connections close
    (so PostgreSQL never runs out of them) and the test's own databases go."""
    monkeypatch.delenv("CPWEB_DATABASE_URL", raising=False)
    before = len(_made)
    yield
    while _apps:
        app = _apps.pop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    if len(_made) > before:
        _drop_databases(_made[before:])
        del _made[before:]


def _left_by_a_killed_run(name: str, base: str) -> bool:
    pid = name.removeprefix(base + "_").split("_")[0]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass
    return False


@pytest.fixture(scope="session", autouse=True)
def _drop_test_databases():
    """Drop what a killed run left behind, and at the end the databases of session fixtures."""
    if not POSTGRES_BASE.startswith("postgresql"):
        yield
        return
    base = make_url(POSTGRES_BASE).database
    with _postgres_admin() as connection:
        names = connection.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :pattern"),
                                   {"pattern": base.replace("_", "\\_") + "\\_%"}).scalars().all()
    _drop_databases([name for name in names if _left_by_a_killed_run(name, base)])
    yield
    _drop_databases(_made)


def pytest_collection_modifyitems(items):
    engine = "postgresql" if ON_POSTGRES else "sqlite"
    for item in items:
        for marker in item.iter_markers("only_on"):
            if marker.args[0] != engine:
                item.add_marker(pytest.mark.skip(reason=f"about {marker.args[0]} only; this run is on {engine}"))


def make_test_app(instance: Path, monkeypatch, **overrides):
    monkeypatch.setenv("CPWEB_INSTANCE", str(instance))
    config = {
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "MAIL_BACKEND": "memory",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",  # fast; production uses scrypt
        "SERVER_NAME": "localhost",
        "SITE_URL": "http://localhost",
        # Tests that are not about the second factor log in with the password alone; those about
        # it (tests/test_twofactor.py) switch it on.
        "TWO_FACTOR_ROLES": [],
    }
    config.update(overrides)
    config.setdefault("SQLALCHEMY_DATABASE_URI", database_url(instance))
    app = create_app(config)
    app.test_client_class = IsolatedClient
    _apps.append(app)
    return app


@pytest.fixture
def app(tmp_path, monkeypatch):
    app = make_test_app(tmp_path, monkeypatch)
    with app.app_context():
        db.create_all()
        run_seeders()
        db.session.commit()
        yield app
        db.session.remove()


@pytest.fixture
def csrf_app(tmp_path, monkeypatch):
    """An app that checks CSRF tokens, as production does."""
    app = make_test_app(tmp_path, monkeypatch, WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.create_all()
        run_seeders()
        db.session.commit()
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def mails(app):
    return outbox()


_numbers = itertools.count(1)


@pytest.fixture
def make_body(app):
    def make(name=None, **fields):
        n = next(_numbers)
        body = Body(slug=f"orgaan-{n}", name=name or f"Cliëntenraad {n}", kind=fields.pop("kind", "clientenraad"), **fields)
        db.session.add(body)
        db.session.commit()
        return body

    return make


@pytest.fixture
def make_user(app):
    def make(role="lid", bodies=(), password=PASSWORD, **fields):
        n = next(_numbers)
        fields.setdefault("email", f"lid{n}@example.org")
        fields.setdefault("name", f"Lid {n}")
        user = User(role=role, **fields)
        if password:
            user.set_password(password)
        user.memberships = [Membership(body=body) for body in bodies]
        db.session.add(user)
        db.session.commit()
        return user

    return make


def count_queries(client, url: str) -> int:
    """How many SQL statements a GET of this page runs (to prove a list has no N+1)."""
    statements = []

    def listener(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


class Auth:
    def __init__(self, client, make_user):
        self.client = client
        self.make_user = make_user

    def login(self, user=None, role="lid", bodies=()):
        """Log in as this member (or a new one with this role) and return them."""
        user = user or self.make_user(role=role, bodies=bodies)
        response = self.client.post("/inloggen", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 303, response.text
        return user

    def logout(self):
        self.client.post("/uitloggen")


@pytest.fixture
def auth(client, make_user):
    return Auth(client, make_user)


@pytest.fixture
def sample_documents():
    if not SAMPLE_DOCUMENTS.is_dir():
        pytest.skip("../shared/sample-documents is not here (a fresh clone has none)")
    return SAMPLE_DOCUMENTS
