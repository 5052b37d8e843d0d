"""While the database is away, a member still gets the site's own Dutch page: a 503 that says to
try again, with the layout, the security headers and a request id, and a line in the log.

The database really goes away (a PostgreSQL database that refuses connections, an SQLite file that
is no longer there), mid-session, after the member logged in."""
import json
import logging
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from cpweb.core.extensions import db

from .conftest import ON_POSTGRES


def _take_the_database_away(app):
    url = db.engine.url
    if ON_POSTGRES:
        with create_engine(url.set(database=_base_database(url)), isolation_level="AUTOCOMMIT",
                           poolclass=NullPool).connect() as admin:
            admin.execute(text(f'ALTER DATABASE "{url.database}" ALLOW_CONNECTIONS false'))
            admin.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": url.database})
    else:
        path = Path(url.database)
        shutil.move(path, path.with_suffix(".away"))
        path.mkdir()  # the file's place is taken: SQLite cannot open (or quietly create) it
    db.engine.dispose()


def _base_database(url) -> str:
    # The per-test databases sit beside the base test database (see tests/conftest.py).
    return url.database.rsplit("_", 2)[0]


@pytest.fixture
def lenient(app):
    # Unexpected exceptions become the site's error page, as in production.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.mark.parametrize("htmx", [False, True])
def test_a_member_gets_a_dutch_503_while_the_database_is_away(lenient, client, auth, caplog, capsys, htmx):
    auth.login()
    assert client.get("/").status_code == 200
    _take_the_database_away(lenient)
    caplog.set_level(logging.INFO, logger="cpweb")
    headers = {"HX-Request": "true"} if htmx else {}

    response = client.get("/", headers=headers)

    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert "Content-Security-Policy" in response.headers
    assert "Internal Server Error" not in response.text
    assert "De website kan even niet bij haar gegevens" in response.text
    if not htmx:
        assert "<html" in response.text and response.headers["X-Request-Id"] in response.text
    request_id = response.headers["X-Request-Id"]
    [access] = [r for r in caplog.records if r.name == "cpweb.request" and r.request_id == request_id]
    assert access.status == 503
    logged = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert any(line.get("level") == "ERROR" and line.get("request_id") == request_id for line in logged)
