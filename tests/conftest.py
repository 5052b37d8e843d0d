"""Fixtures: a fresh app on a temporary instance folder per test, and factories for its data."""
import itertools
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event

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


def make_test_app(instance: Path, monkeypatch, **overrides):
    monkeypatch.setenv("CPWEB_INSTANCE", str(instance))
    config = {
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "MAIL_BACKEND": "memory",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",  # fast; production uses scrypt
        "SERVER_NAME": "localhost",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'test.sqlite3'}",
    }
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = IsolatedClient
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
