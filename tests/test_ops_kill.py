"""kill -9 in the middle of requests that write: after a restart the database is intact."""
import http.client
import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

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


def login(port, stop: threading.Event, done: list):
    """Log in over and over (each login writes last_login_at), like members at 9 in the morning."""
    while not stop.is_set():
        try:
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
            page = opener.open(f"http://127.0.0.1:{port}/inloggen", timeout=5).read().decode()
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
            data = urllib.parse.urlencode({"csrf_token": token.group(1) or token.group(2),
                                           "email": "anna@example.org", "password": PASSWORD}).encode()
            opener.open(f"http://127.0.0.1:{port}/inloggen", data=data, timeout=5).read()
            done.append(1)
        except (OSError, urllib.error.URLError, http.client.HTTPException, AttributeError):
            return  # the server is gone


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs process groups")
def test_kill_9_during_writes_leaves_an_intact_database(tmp_path):
    env = {**os.environ, "CPWEB_INSTANCE": str(tmp_path), "CPWEB_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1"}
    flask = [sys.executable, "-m", "flask", "--app", "app", "cpweb"]
    subprocess.run([*flask, "init"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "create-user", "anna@example.org", "--name", "Anna", "--role", "beheerder",
                    "--password-stdin"], cwd=ROOT, env=env, input=PASSWORD + "\n", text=True, check=True,
                   capture_output=True)
    port = free_port()
    with open(tmp_path / "gunicorn.log", "wb") as log:
        server = start(env, port, log)
        stop, done = threading.Event(), []
        threads = [threading.Thread(target=login, args=(port, stop, done)) for _ in range(4)]
        try:
            for thread in threads:
                thread.start()
            deadline = time.monotonic() + 20
            while len(done) < 10 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert len(done) >= 10, (tmp_path / "gunicorn.log").read_text()[-2000:]
            os.killpg(server.pid, signal.SIGKILL)  # master and workers at once, mid-request
            server.wait()
        finally:
            stop.set()
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
            for thread in threads:
                thread.join()

        con = sqlite3.connect(tmp_path / "cpweb.sqlite3")
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert con.execute("SELECT count(*) FROM users").fetchone()[0] == 1
        finally:
            con.close()

        server = start(env, port, log)  # the restart
        try:
            stop, after = threading.Event(), []
            thread = threading.Thread(target=login, args=(port, stop, after))
            thread.start()
            while not after and thread.is_alive():
                time.sleep(0.01)
            stop.set()
            thread.join()
            assert after, "logging in after the restart failed"
        finally:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    con = sqlite3.connect(tmp_path / "cpweb.sqlite3")
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT last_login_at FROM users").fetchone()[0] is not None
    finally:
        con.close()
