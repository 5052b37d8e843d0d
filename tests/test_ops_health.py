"""/healthz, request logs with ids, and a 500 that is logged while the visitor sees the Dutch page."""
import json
import logging
import shutil
from collections import namedtuple

import pytest
from sqlalchemy.exc import OperationalError

from cpweb.ops.logs import JsonFormatter
from tests.conftest import make_test_app


def test_healthz_answers_200_with_each_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert set(response.json["checks"]) == {"database", "instance_writable", "disk", "mail", "proxy",
                                                "storage"}
    assert all(check["ok"] for check in response.json["checks"].values())
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_healthz_and_the_log_say_when_a_proxy_forwards_without_trusted_proxies(app, client, caplog, monkeypatch):
    """Without TRUSTED_PROXIES every visitor behind Caddy or nginx has the proxy's address: the
    limit on wrong passwords per address would hold for all of them at once (N5 of issue 33)."""
    assert not app.config.get("TRUSTED_PROXIES")
    assert client.get("/healthz").json["checks"]["proxy"] == {"ok": True, "trusted_proxies": 0}
    with caplog.at_level(logging.WARNING):
        for _ in range(2):
            response = client.get("/healthz", headers={"X-Forwarded-For": "192.0.2.1"})
            client.get("/", headers={"X-Forwarded-For": "192.0.2.1"})
    assert response.status_code == 503 and "TRUSTED_PROXIES" in response.json["checks"]["proxy"]["error"]
    assert [r.getMessage() for r in caplog.records if "TRUSTED_PROXIES" in r.getMessage()] == [
        "requests arrive through a proxy (X-Forwarded-For) but TRUSTED_PROXIES is not set: every visitor counts "
        "as the proxy's address; set TRUSTED_PROXIES = 1"], "once per worker"
    monkeypatch.setitem(app.config, "TRUSTED_PROXIES", 1)
    response = client.get("/healthz", headers={"X-Forwarded-For": "192.0.2.1"})
    assert response.status_code == 200 and response.json["checks"]["proxy"] == {"ok": True, "trusted_proxies": 1}


def test_healthz_leaves_no_probe_file_behind(app, client):
    from pathlib import Path
    before = set(Path(app.instance_path).iterdir())
    client.get("/healthz")
    assert set(Path(app.instance_path).iterdir()) == before


def test_healthz_is_not_rate_limited(client):
    # Uptime monitors ask every minute from one address; the login limit is 10 per 15 minutes.
    assert {client.get("/healthz").status_code for _ in range(30)} == {200}


def test_healthz_fails_with_503_on_low_disk(app, client, monkeypatch):
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 50 * 2**20, 50 * 2**20))
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["status"] == "fail"
    assert response.json["checks"]["disk"] == {"ok": False, "free_mb": 50, "min_free_mb": 200}
    monkeypatch.setitem(app.config, "HEALTH_MIN_FREE_MB", 40)
    assert client.get("/healthz").status_code == 200


def test_healthz_fails_with_503_when_the_database_is_unreachable(app, client, monkeypatch):
    from cpweb.core.extensions import db

    real_execute = db.session.execute

    def broken(statement, *args, **kwargs):
        if str(statement) == "SELECT 1":
            raise OperationalError("SELECT 1", {}, Exception("unable to open database file"))
        return real_execute(statement, *args, **kwargs)

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == {"ok": False, "error": "OperationalError"}


def test_healthz_fails_with_503_when_the_instance_is_read_only(app, client):
    import os
    if os.geteuid() == 0:
        pytest.skip("root may write into a read-only folder")
    os.chmod(app.instance_path, 0o500)
    try:
        response = client.get("/healthz")
    finally:
        os.chmod(app.instance_path, 0o700)
    assert response.status_code == 503 and not response.json["checks"]["instance_writable"]["ok"]


def test_healthz_fails_when_the_probe_cannot_be_written(app, client, monkeypatch):
    import tempfile

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", full)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["checks"]["instance_writable"] == {"ok": False, "error": "OSError"}


def test_each_request_is_logged_once_with_its_id(client, caplog):
    caplog.set_level(logging.INFO, logger="cpweb")
    response = client.get("/privacy")
    request_id = response.headers["X-Request-Id"]
    assert len(request_id) == 32
    lines = [r for r in caplog.records if r.name == "cpweb.request"]
    assert len(lines) == 1
    line = json.loads(JsonFormatter().format(lines[0]))
    assert line["method"] == "GET" and line["path"] == "/privacy" and line["status"] == 200
    assert line["request_id"] == request_id and isinstance(line["duration_ms"], float)
    assert "127.0.0.1" not in json.dumps(line)  # anonymous signals stay anonymous
    assert client.get("/privacy").headers["X-Request-Id"] != request_id


def test_a_request_id_from_the_proxy_is_kept_and_nonsense_is_replaced(client):
    assert client.get("/", headers={"X-Request-Id": "abc-123"}).headers["X-Request-Id"] == "abc-123"
    replaced = client.get("/", headers={"X-Request-Id": "x" * 65}).headers["X-Request-Id"]
    assert replaced != "x" * 65 and len(replaced) == 32
    assert "\n" not in client.get("/", headers={"X-Request-Id": "a\tb"}).headers["X-Request-Id"]


def test_secret_links_stay_out_of_the_log(client, caplog):
    caplog.set_level(logging.INFO, logger="cpweb")
    client.get("/wachtwoord/invitation/" + "s" * 60)
    [line] = [r for r in caplog.records if r.name == "cpweb.request"]
    assert line.path == "/wachtwoord/invitation/…"


def test_log_lines_are_json_on_stdout(client, capsys):
    client.get("/healthz")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert any(line.get("path") == "/healthz" and line["level"] == "INFO" for line in lines)


def test_a_500_is_logged_with_its_traceback_and_the_visitor_sees_the_dutch_page(tmp_path, monkeypatch, caplog, capsys):
    app = make_test_app(tmp_path, monkeypatch, PROPAGATE_EXCEPTIONS=False)

    @app.get("/stuk")
    def broken():
        raise RuntimeError("iets brak")

    with app.app_context():
        response = app.test_client().get("/stuk")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.text and "iets brak" not in response.text
    error = [r for r in caplog.records if r.levelno == logging.ERROR][0]
    assert error.exc_info and "iets brak" in str(error.exc_info[1])
    line = json.loads([out for out in capsys.readouterr().out.splitlines() if '"ERROR"' in out][0])
    assert "RuntimeError: iets brak" in line["traceback"]
    assert line["request_id"] == response.headers["X-Request-Id"]
    [access] = [r for r in caplog.records if r.name == "cpweb.request"]
    assert access.status == 500
