"""Limits that hold: counted in the site's database (all workers, over a restart), per account with a
growing wait and a short lock, per address much higher; and no sign of which addresses exist."""
import gc
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime

import pytest
import time_machine

from cpweb.auth import throttle, tokens
from cpweb.core.extensions import db, limiter
from cpweb.core.ratelimit import RateCounter
from cpweb.mail.models import OutboxMail
from tests.conftest import PASSWORD, database_url, make_test_app
from tests.test_mail import smtp  # noqa: F401 (a fixture)
from tests.test_ops_kill import ROOT, csrf_token, free_port, start


def wrong(client, email, address="127.0.0.1"):
    return client.post("/inloggen", data={"email": email, "password": "niet-het-wachtwoord"},
                       environ_base={"REMOTE_ADDR": address})


def right(client, user, address="127.0.0.1"):
    return client.post("/inloggen", data={"email": user.email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": address})


def wait_from(app, email, address="127.0.0.1") -> int:
    with app.test_request_context(environ_base={"REMOTE_ADDR": address}):
        return throttle.seconds_to_wait(email)


# --- the storage ----------------------------------------------------------------------------------

def test_database_storage_counts_expires_and_clears(app, monkeypatch):
    storage = limiter.storage
    assert [storage.incr("a", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.get("a") == 3 and storage.get("b") == 0
    assert time.time() < storage.get_expiry("a") <= time.time() + 60
    later = time.time() + 61
    monkeypatch.setattr("cpweb.core.ratelimit.time.time", lambda: later)
    assert storage.get("a") == 0
    assert storage.incr("a", 60) == 1, "a new window starts at one"
    storage.clear("a")
    assert storage.get("a") == 0


def test_keys_are_stored_hashed(app, client, make_user):
    wrong(client, "iemand@example.org", address="192.0.2.7")
    keys = db.session.scalars(db.select(RateCounter.key)).all()
    assert keys and not any("192.0.2.7" in key or "iemand" in key for key in keys)


def test_counts_survive_a_restart(tmp_path, monkeypatch, make_user, app):
    user = make_user()
    client = app.test_client()
    for _ in range(5):
        wrong(client, user.email)
    restarted = make_test_app(tmp_path, monkeypatch, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    with restarted.app_context():
        response = restarted.test_client().post("/inloggen", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429


def test_the_signal_forms_limit_uses_the_same_storage(app, client):
    client.post("/signaal", data={"description": "kort"})
    assert db.session.scalar(db.select(db.func.count(RateCounter.key))) == 1


def test_old_counters_are_purged(app, runner):
    db.session.add(RateCounter(key="x" * 64, count=3, expires_at=time.time() - 10))
    db.session.commit()
    assert "rate counters: 1 verwijderd" in runner.invoke(args=["cpweb", "purge"]).output
    assert db.session.scalar(db.select(RateCounter)) is None


# --- per account ----------------------------------------------------------------------------------

def test_the_wait_grows_then_locks_and_the_owner_is_mailed_once(app, client, make_user, mails, monkeypatch):
    user = make_user()
    now = [time.time()]
    monkeypatch.setattr("cpweb.core.ratelimit.time.time", lambda: now[0])
    monkeypatch.setattr("cpweb.auth.throttle.time.time", lambda: now[0])
    waits = []
    for _ in range(11):
        assert wrong(client, user.email).status_code == 422
        waits.append(wait_from(app, user.email))
        if waits[-1]:
            refused = wrong(client, user.email)
            assert refused.status_code == 429 and int(refused.headers["Retry-After"]) == waits[-1]
        now[0] += waits[-1]
    assert waits == [0, 0, 0, 0, 15, 30, 60, 120, 240, 900, 900]
    assert [mail.subject for mail in mails] == ["Uw account staat even op slot"]
    assert mails[0].to == user.email and "15 minuten" in mails[0].body


def test_wrong_passwords_from_one_address_never_lock_out_the_owner_elsewhere(app, make_user, mails):
    """N5 of issue 33: the wait is per account and address. 20 wrong passwords from A; from B the
    right one gets in at once; A still waits (locked after 10) and the owner got the mail."""
    user = make_user()
    attacker, owner = app.test_client(), app.test_client()
    statuses = [wrong(attacker, user.email, "192.0.2.1").status_code for _ in range(20)]
    assert statuses[:5] == [422] * 5 and set(statuses[5:]) == {429}, "refused without being checked"
    assert [mail.subject for mail in mails] == [], "only 6 were checked: 5 free, then the wait"
    response = right(owner, user, "198.51.100.7")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert "Mijn profiel" in owner.get("/", environ_base={"REMOTE_ADDR": "198.51.100.7"}).text
    assert right(attacker, user, "192.0.2.1").status_code == 429, "A waits as before, also with the right one"
    assert wait_from(app, user.email, "192.0.2.1") > 0 and wait_from(app, user.email, "198.51.100.7") == 0


def test_the_lock_after_10_failures_holds_for_each_address_that_failed_and_mails_the_owner(app, make_user, mails):
    """Guessing from many addresses: after 10 failures in all, each address that fails waits the
    lock's 15 minutes; one that never failed (the owner's) is let in."""
    user = make_user()
    guesser = app.test_client()
    for n in range(10):
        assert wrong(guesser, user.email, f"192.0.2.{n + 1}").status_code == 422
    assert [mail.subject for mail in mails] == ["Uw account staat even op slot"] and mails[0].to == user.email
    assert wait_from(app, user.email, "192.0.2.10") == 900, "the address of the 10th failure"
    assert wrong(guesser, user.email, "192.0.2.11").status_code == 422, "a new address: its first try is checked"
    assert wait_from(app, user.email, "192.0.2.11") == 900
    assert right(guesser, user, "192.0.2.11").status_code == 429
    assert right(app.test_client(), user, "198.51.100.7").status_code == 303
    assert len(mails) == 1, "one mail per lock"


def test_the_second_step_is_not_locked_by_others(app, make_user):
    """Wrong codes count as for the password: per account and address."""
    from tests.test_twofactor import code, with_app

    user = with_app(make_user)
    attacker, owner = app.test_client(), app.test_client()
    for _ in range(20):
        wrong(attacker, user.email, "192.0.2.1")
    assert right(owner, user, "198.51.100.7").headers["Location"] == "/inloggen/code"
    response = owner.post("/inloggen/code", data={"code": code(user.totp_secret)},
                          environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_a_login_clears_the_count(client, make_user):
    user = make_user()
    for _ in range(4):
        wrong(client, user.email)
    assert client.post("/inloggen", data={"email": user.email, "password": PASSWORD}).status_code == 303
    client.post("/uitloggen")
    assert [wrong(client, user.email).status_code for _ in range(5)] == [422] * 5


def test_an_unknown_address_answers_exactly_like_a_known_one(client, make_user, mails):
    user = make_user()
    known = [wrong(client, user.email) for _ in range(7)]
    unknown = [wrong(client, "niemand@example.org", address="192.0.2.9") for _ in range(7)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [422] * 5 + [429] * 2
    # The typed address, and tokens (in fields and the layout's htmx header; they carry the second they were made).
    strip = lambda r: re.sub(r'value="[^"]*"|"X-CSRFToken": "[^"]*"', "", r.text)  # noqa: E731
    assert strip(known[0]) == strip(unknown[0]) and strip(known[-1]) == strip(unknown[-1])


@pytest.mark.parametrize("who", ["unknown", "invited", "known"])
def test_every_address_costs_one_password_hash(client, make_user, monkeypatch, who):
    """The time a wrong login takes is the hash's: the same whether or not the address has an account."""
    from cpweb.auth import passwords

    email = {"unknown": "niemand@example.org", "invited": make_user(password=None).email,
             "known": make_user().email}[who]
    hashed = []
    real = passwords.check_password_hash
    monkeypatch.setattr(passwords, "check_password_hash", lambda *args: hashed.append(args[0]) or real(*args))
    wrong(client, email)
    assert len(hashed) == 1 and hashed[0].startswith("pbkdf2:sha256:1$")


def test_the_reset_form_answers_the_same_and_does_the_same_work(client, make_user, mails, monkeypatch):
    user = make_user()
    made = []
    real = tokens.make_token
    monkeypatch.setattr(tokens, "make_token", lambda *args: made.append(args[0].email) or real(*args))
    # One moment for both: the page's CSRF token carries the second it was made in.
    with time_machine.travel(datetime.now(UTC), tick=False):
        answers = [client.post("/wachtwoord-vergeten", data={"email": email}, follow_redirects=True)
                   for email in (user.email, "niemand@example.org")]
    assert answers[0].text == answers[1].text
    assert made == [user.email, "niemand@example.org"]
    assert [mail.to for mail in mails] == [user.email]


def timed_pairs(client, emails: tuple[str, str], url: str, pairs: int = 30, warm_up: int = 5) -> tuple[list, list]:
    """The times of a POST of each address to url, in ms, as (wall clock, this thread's CPU) for
    each, in pairs taken in turn (and in turn first), after a warm-up: on a busy machine a slow
    moment then hits both alike."""
    from cpweb.mail import wait_for_sending

    times = ([], [])
    gc.disable()  # a collection in the middle of one of them, not the other: switched off while timing
    try:
        for n in range(warm_up + pairs):
            for which in ((0, 1) if n % 2 else (1, 0)):
                start, cpu = time.perf_counter(), time.thread_time()
                response = client.post(url, data={"email": emails[which]}, buffered=False)
                # The answer is there: a server writes it now, then closes it.
                took = ((time.perf_counter() - start) * 1000, (time.thread_time() - cpu) * 1000)
                assert response.status_code == 303
                # Outside the timing: the mail going out after the answer, and the limit of 5 an hour.
                response.close()
                wait_for_sending(client.application)
                limiter.reset()
                if n >= warm_up:
                    times[which].append(took)
    finally:
        gc.enable()
    return times


def test_the_reset_form_takes_as_long_for_an_unknown_address(app, client, make_user, smtp):
    """Timed as an outsider would (N3 of issue 33: known 12.5 ms, unknown 6.8 ms), with the mail sent
    as in production, by a background thread to a real mail server: the medians of 30 interleaved
    pairs within 10 %. On a busy shared machine 30 pairs may not be enough to tell noise from a
    difference, so up to four more rounds of 30 join them. Where a request spends most of its time
    waiting for a CPU (the wall clock more than twice the CPU time), the wall clock measures the
    neighbours rather than the site, and the CPU time the request took is compared instead."""
    from statistics import median

    smtp.start()
    user = make_user()
    known, unknown, rounds = [], [], []
    for _round in range(5):
        more = timed_pairs(client, (user.email, "niemand@example.org"), "/wachtwoord-vergeten")
        known += more[0]
        unknown += more[1]
        wall = [median(t[0] for t in known), median(t[0] for t in unknown)]
        cpu = [median(t[1] for t in known), median(t[1] for t in unknown)]
        judged = "cpu" if min(wall) > 2 * max(cpu) else "wall"
        medians = cpu if judged == "cpu" else wall
        rounds.append(f"{len(known)} pairs: known {wall[0]:.2f} / unknown {wall[1]:.2f} ms wall, "
                      f"{cpu[0]:.2f} / {cpu[1]:.2f} ms CPU, judged by {judged}")
        if abs(medians[0] - medians[1]) <= 0.1 * min(medians):
            break
    else:
        pytest.fail("medians differ by more than 10 %: " + "; ".join(rounds))
    print("reset form medians: " + "; ".join(rounds))
    assert set(db.session.scalars(db.select(OutboxMail.to_address))) == {user.email}


# --- per address ----------------------------------------------------------------------------------

def test_one_address_has_a_much_higher_limit_for_all_accounts_together(app, client, make_user):
    app.config["LOGIN_RATE_LIMIT"] = "8 per 15 minutes"
    statuses = [wrong(client, f"iemand{i}@example.org").status_code for i in range(9)]
    assert statuses == [422] * 8 + [429]
    user = make_user()
    right = client.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    assert right.status_code == 429 and "Even wachten" in right.text
    other = client.post("/inloggen", data={"email": user.email, "password": PASSWORD},
                        environ_base={"REMOTE_ADDR": "192.0.2.44"})
    assert other.status_code == 303, "someone else's typing does not lock out another address"


def test_the_default_address_limit_is_far_above_the_account_limit(app):
    assert app.config["LOGIN_RATE_LIMIT"] == "100 per 15 minutes"
    assert app.config["LOGIN_FREE_FAILURES"] == 5


# --- two real gunicorn workers --------------------------------------------------------------------

class Server:
    """gunicorn with 2 workers on a temp instance. `switch()` keeps the free worker busy with a
    request that never finishes and frees the other one, so the next requests all go to that one."""

    def __init__(self, env, port, log):
        self.env, self.port, self.log = env, port, log
        self.proc = start(env, port, log)
        self.held = []

    def switch(self):
        sock = socket.create_connection(("127.0.0.1", self.port))
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # no blank line: the worker waits
        time.sleep(0.3)
        self.release()
        self.held.append(sock)

    def release(self):
        for sock in self.held:
            sock.close()
        self.held = []
        time.sleep(0.3)

    def post(self, email, password, address):
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        page = opener.open(f"http://127.0.0.1:{self.port}/inloggen", timeout=10).read().decode()
        data = urllib.parse.urlencode({"csrf_token": csrf_token(page), "email": email, "password": password}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/inloggen", data=data,
                                         headers={"X-Forwarded-For": address})
        try:
            with opener.open(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            error.close()
            return error.code

    def stop(self):
        self.release()
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=30)


def pids_that_answered_logins(log_path) -> list[str]:
    return re.findall(r"^<(\d+)> POST /inloggen", log_path.read_text(), re.M)


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs process groups")
def test_limits_hold_across_two_gunicorn_workers_and_a_restart(tmp_path):
    """Real processes, as in production: flask init and create-user, then gunicorn with two workers
    started twice. Each imports the app, so this takes about ten seconds."""
    env = {**os.environ, "CPWEB_INSTANCE": str(tmp_path), "CPWEB_DATABASE_URL": database_url(tmp_path),
           "CPWEB_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1", "CPWEB_TRUSTED_PROXIES": "1",
           "CPWEB_LOGIN_RATE_LIMIT": "12 per 15 minutes", "CPWEB_ACCESSLOG": "-", "CPWEB_MAIL_BACKEND": "memory"}
    flask = [sys.executable, "-m", "flask", "--app", "app", "cpweb"]
    subprocess.run([*flask, "init"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "create-user", "anna@example.org", "--name", "Anna", "--password-stdin"], cwd=ROOT,
                   env=env, input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "wb") as log:
        server = Server({**env, "GUNICORN_CMD_ARGS": "--access-logformat='%(p)s %(m)s %(U)s %(s)s'"}, port, log)
        try:
            # Per account: three wrong passwords on one worker, two on the other; the sixth try is
            # refused, on whichever worker (each alone saw only two or three).
            statuses = []
            for count in (3, 2, 1):
                server.switch()
                statuses += [server.post("anna@example.org", "fout-wachtwoord", "198.51.100.1") for _ in range(count)]
            server.release()
            assert statuses == [422] * 5 + [429]
            workers = pids_that_answered_logins(log_path)
            assert len(set(workers)) == 2, f"both workers answered: {workers}"

            # Per address: 12 failures from one address in all (6 above from another address do not count).
            statuses, addresses = [], (f"niemand{n}@example.org" for n in range(13))
            for count in (6, 7):
                server.switch()
                statuses += [server.post(next(addresses), "fout", "198.51.100.2") for _ in range(count)]
            server.release()
            assert statuses == [422] * 12 + [429]
        finally:
            server.stop()
        # After a restart the counts are still there.
        server = Server(env, port, log)
        try:
            assert server.post("anna@example.org", PASSWORD, "198.51.100.1") == 429
            assert server.post("iemand@example.org", "fout", "198.51.100.2") == 429
            assert server.post("iemand@example.org", "fout", "198.51.100.3") == 422
        finally:
            server.stop()


def test_switching_rate_limits_off_switches_the_account_limit_off_too(tmp_path, monkeypatch, make_user, app):
    user = make_user()
    unlimited = make_test_app(tmp_path, monkeypatch, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                              RATELIMIT_ENABLED=False)
    with unlimited.app_context():
        client = unlimited.test_client()
        assert [wrong(client, user.email).status_code for _ in range(7)] == [422] * 7
        assert client.post("/inloggen", data={"email": user.email, "password": PASSWORD}).status_code == 303
