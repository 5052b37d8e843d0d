"""kill -9 in the middle of requests that write: after a restart the database is intact."""
import http.client
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conftest import database_url

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "een-sterk-wachtwoord"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(env, port, log):
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
                             "--bind", f"127.0.0.1:{port}", "--workers", "2", "app:app"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, "gunicorn stopped"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return proc
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not answer")


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def browser():
    """Keeps cookies, as the CSRF check needs the session."""
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def member(port):
    opener = browser()
    page = opener.open(f"http://127.0.0.1:{port}/inloggen", timeout=5).read().decode()
    data = urllib.parse.urlencode({"csrf_token": csrf_token(page), "email": "anna@example.org",
                                   "password": PASSWORD}).encode()
    opener.open(f"http://127.0.0.1:{port}/inloggen", data=data, timeout=5).read()
    return opener


def log_in(port):
    """Each login writes last_login_at, like members at 9 in the morning."""
    member(port)


def submit_signal(port):
    """A visitor's signal, with the next free reference of the year."""
    visitor = browser()
    page = visitor.open(f"http://127.0.0.1:{port}/signaal", timeout=5).read().decode()
    municipality = re.search(r'<select[^>]*name="municipality".*?<option value="([^"]+)"', page, re.S).group(1)
    fields = {"csrf_token": csrf_token(page), "started": re.search(r'name="started" type="hidden" value="([^"]+)"',
                                                                  page).group(1),
              "category": "communicatie", "sentiment": "beter", "municipality": municipality,
              "organisation_kind": "uwv", "description": "De brief was duidelijk.", "hp_kleur": ""}
    visitor.open(f"http://127.0.0.1:{port}/signaal", data=urllib.parse.urlencode(fields).encode(), timeout=5).read()


def upload_document(port):
    """A member uploads a file (a new one each time: the library refuses a copy it already has)."""
    opener = member(port)
    page = opener.open(f"http://127.0.0.1:{port}/documenten/nieuw", timeout=5).read().decode()
    boundary = "cpweb-kill-test"
    fields = {"csrf_token": csrf_token(page), "title": "Werkboek", "description": "", "category": "werkboek",
              "tags": "", "body": "", "visibility": "members"}
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                    for name, value in fields.items())
    body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="werkboek.txt"\r\n'
             f"Content-Type: text/plain\r\n\r\n{uuid.uuid4()}\n").encode() + b"Werkboek voor de raad.\n" * 20_000
    body += f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/documenten/nieuw", data=body,
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    opener.open(request, timeout=10).read()


def keep_doing(action, port, stop: threading.Event, done: list):
    while not stop.is_set():
        try:
            action(port)
            done.append(action.__name__)
        except (OSError, urllib.error.URLError, http.client.HTTPException, AttributeError):
            return  # the server is gone


def check_database(env, tmp_path):
    """Run in a fresh process, as after a restart: every row whole, every file with its row."""
    script = """
import json
from sqlalchemy import text
from app import app
from cpweb.documents import logic
from cpweb.core.extensions import db
with app.app_context():
    connection = db.session.connection()
    sqlite = connection.dialect.name == "sqlite"
    one = lambda sql: connection.execute(text(sql)).scalar()
    print(json.dumps({
        "intact": one("PRAGMA integrity_check") == "ok" if sqlite else True,
        "users": one("SELECT count(*) FROM users"),
        "logged_in": one("SELECT count(*) FROM users WHERE last_login_at IS NOT NULL"),
        "signals": one("SELECT count(*) FROM signals"),
        "signals_without_reference": one("SELECT count(*) FROM signals WHERE coalesce(reference, '') = ''"),
        "documents": one("SELECT count(*) FROM documents"),
        "documents_without_version": one("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                                         "(SELECT 1 FROM document_versions v WHERE v.document_id = d.id)"),
        "rows_without_file": len(logic.orphans()[1]),
    }))
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


WRITERS = (log_in, submit_signal, upload_document)


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs process groups")
def test_kill_9_during_writes_leaves_an_intact_database(tmp_path):
    """Real processes, as in production: flask init and create-user, gunicorn started twice, two
    checks in a fresh process. Each imports the app, so this takes ten seconds or more."""
    env = {**os.environ, "CPWEB_INSTANCE": str(tmp_path), "CPWEB_DATABASE_URL": database_url(tmp_path),
           "CPWEB_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1", "CPWEB_SIGNAL_MIN_FILL_SECONDS": "0",
           "CPWEB_RATELIMIT_ENABLED": "false", "CPWEB_TWO_FACTOR_ROLES": "[]"}  # the admin logs in with the password alone
    flask = [sys.executable, "-m", "flask", "--app", "app", "cpweb"]
    subprocess.run([*flask, "init"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "create-user", "anna@example.org", "--name", "Anna", "--role", "beheerder",
                    "--password-stdin"], cwd=ROOT, env=env, input=PASSWORD + "\n", text=True, check=True,
                   capture_output=True)
    port = free_port()
    with open(tmp_path / "gunicorn.log", "wb") as log:
        server = start(env, port, log)
        stop, done = threading.Event(), []
        threads = [threading.Thread(target=keep_doing, args=(writer, port, stop, done)) for writer in WRITERS * 2]
        try:
            for thread in threads:
                thread.start()
            deadline = time.monotonic() + 30
            while not set((writer.__name__ for writer in WRITERS)) <= set(done) and time.monotonic() < deadline:
                time.sleep(0.01)
            assert set((writer.__name__ for writer in WRITERS)) <= set(done), (tmp_path / "gunicorn.log").read_text()[-2000:]
            os.killpg(server.pid, signal.SIGKILL)  # master and workers at once, mid-request
            server.wait()
        finally:
            stop.set()
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
            for thread in threads:
                thread.join()

        after_kill = check_database(env, tmp_path)
        assert after_kill["intact"] and after_kill["users"] == 1 and after_kill["signals"] >= 1
        assert after_kill["documents"] >= 1
        assert after_kill["signals_without_reference"] == after_kill["documents_without_version"] == 0
        assert after_kill["rows_without_file"] == 0

        server = start(env, port, log)  # the restart
        try:
            for writer in WRITERS:
                writer(port)
        finally:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    after_restart = check_database(env, tmp_path)
    assert after_restart["intact"] and after_restart["logged_in"] == 1
    assert after_restart["signals"] > after_kill["signals"] and after_restart["documents"] > after_kill["documents"]
