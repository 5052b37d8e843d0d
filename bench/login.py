"""Signing in (not a test): the limits with 2 gunicorn workers, and whether time tells which addresses exist.

With the site's own settings (scrypt, LOGIN_RATE_LIMIT, the per-account wait), against gunicorn
with 2 sync workers on SQLite:
1. One account: wrong passwords until the first 429.
2. One address: wrong passwords for ever new unknown addresses until the first 429.
3. A wrong password for a known address and for an unknown one: the median of 20 each.
4. The reset form for a known address and for an unknown one: the median of 20 each.
The client address is set with X-Forwarded-For (CPWEB_TRUSTED_PROXIES=1), so each part has one
of its own. Run: `.venv/bin/python bench/login.py` (or `make bench-login`); the server listens on
127.0.0.1 only and is stopped at the end, also on error.
"""
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from http_client import Client
from run import ROOT, prepare_instance, start_gunicorn, stop_all

TRIES = 20
MAX_WRONG = 300  # a bound on the loops, far above the per-address limit


class Visitor(Client):
    """One browser: a fresh cookie jar and connection, and a client address of its own."""

    def __init__(self, port: int, address: str):
        super().__init__(port)
        self.address = address

    def post_form(self, path: str, fields: dict) -> tuple[int, float]:
        """(status, seconds) of the POST alone, after loading the form for its CSRF token."""
        _status, page = self.get(path)
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
        body = "&".join(f"{k}={v}" for k, v in {**fields, "csrf_token": token}.items())
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": self.address,
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        started = time.perf_counter()
        self.conn.request("POST", path, body=body, headers=headers)
        response = self.conn.getresponse()
        response.read()
        seconds = time.perf_counter() - started
        self.conn.close()
        return response.status, seconds


def wrong_login(port: int, address: str, email: str) -> tuple[int, float]:
    visitor = Visitor(port, address)
    try:
        return visitor.post_form("/inloggen", {"email": email, "password": "niet-het-goede-wachtwoord"})
    finally:
        visitor.close()


def until_429(port: int, address: str, emails) -> int:
    """How many wrong passwords were answered before the first 429."""
    for count, email in enumerate(emails):
        if count >= MAX_WRONG:
            raise RuntimeError(f"no 429 after {MAX_WRONG} wrong passwords")
        status, _seconds = wrong_login(port, address, email)
        if status == 429:
            return count
        assert status == 422, status
    raise RuntimeError("ran out of addresses")


def median_ms(times: list[float]) -> float:
    return round(statistics.median(times) * 1000, 1)


def main() -> int:
    instance = Path(tempfile.mkdtemp(prefix="cpweb-bench-login-"))
    env = {**os.environ, "CPWEB_INSTANCE": str(instance), "CPWEB_TRUSTED_PROXIES": "1",
           "CPWEB_MAIL_BACKEND": "memory", "CPWEB_LOG_LEVEL": "WARNING"}
    env.pop("CPWEB_DATABASE_URL", None)
    env.pop("CPWEB_PASSWORD_HASH_METHOD", None)  # the site's own: scrypt
    prepare_instance(env)
    os.environ["CPWEB_INSTANCE"] = str(instance)
    sys.path.insert(0, str(ROOT))
    from cpweb import create_app
    from cpweb.auth.models import User
    from cpweb.core.extensions import db

    app = create_app()
    with app.app_context():  # known accounts of their own, so no part meets another's per-account wait
        for n in range(TRIES):
            user = User(email=f"bekend{n}@example.org", name=f"Bekend {n}", role="lid")
            user.set_password("een-lang-genoeg-wachtwoord")
            db.session.add(user)
        db.session.commit()
    try:
        _server, port = start_gunicorn("app:app", 2, env, instance / "gunicorn.log", ROOT)
        account = until_429(port, "198.51.100.1", ("lid@example.org" for _ in range(MAX_WRONG + 1)))
        address = until_429(port, "198.51.100.2", (f"onbekend{n}@example.org" for n in range(MAX_WRONG + 1)))
        known, unknown, reset_known, reset_unknown = [], [], [], []
        for n in range(TRIES):
            known.append(wrong_login(port, f"198.51.101.{n}", f"bekend{n}@example.org")[1])
            unknown.append(wrong_login(port, f"198.51.102.{n}", f"niemand{n}@example.org")[1])
            for times, email, net in ((reset_known, f"bekend{n}@example.org", 103),
                                      (reset_unknown, f"niemand{n}@example.org", 104)):
                visitor = Visitor(port, f"198.51.{net}.{n}")
                times.append(visitor.post_form("/wachtwoord-vergeten", {"email": email})[1])
                visitor.close()
    finally:
        stop_all()
    print(f"2 gunicorn workers, SQLite, {app.config['PASSWORD_HASH_METHOD']}, "
          f"LOGIN_RATE_LIMIT={app.config['LOGIN_RATE_LIMIT']!r}")
    print(f"one account: {account} wrong passwords before the first 429")
    print(f"one address: {address} wrong passwords (each for another unknown address) before the first 429")
    print(f"wrong password, median of {TRIES}: known address {median_ms(known)} ms, unknown {median_ms(unknown)} ms")
    print(f"reset form, median of {TRIES}: known address {median_ms(reset_known)} ms, "
          f"unknown {median_ms(reset_unknown)} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
