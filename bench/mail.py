"""Mail benchmark (not a test): how long a secretary waits when a meeting invitation mails 15 members.

An SMTP server on 127.0.0.1 (aiosmtpd) takes 1 s per mail. The secretary's request (POST
/vergaderingen/<id>/uitnodigen) is timed in-process with Flask's test client, so only the
server's own time counts; then the script waits until every mail has arrived and reports when
the last one did, counted from the start of the request.

Run: `.venv/bin/python bench/mail.py` (or `make bench-mail`). `--code DIR` measures another
checkout of cpweb with the same script, e.g. an older version to compare with:
`git worktree add /tmp/cpweb-old <rev> && .venv/bin/python bench/mail.py --code /tmp/cpweb-old`.
"""
import argparse
import asyncio
import os
import socket
import sys
import tempfile
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-wachtwoord-lang-genoeg"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SlowHandler:
    """Accepts every mail after `delay` seconds, as a busy or distant mail server does."""

    def __init__(self, delay: float):
        self.delay = delay
        self.arrived: list[float] = []

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        self.arrived.append(time.perf_counter())
        return "250 OK"


def build_site(members: int):
    """A body with a secretary and members-1 others, and a meeting to invite them to."""
    from cpweb.auth.models import User
    from cpweb.bodies.models import Body, Membership
    from cpweb.core.database import run_seeders, utcnow
    from cpweb.core.extensions import db
    from cpweb.core.i18n import local_today
    from cpweb.meetings import logic, rules

    db.create_all()
    run_seeders()
    body = Body(slug="bench", name="Cliëntenraad Bench", kind="clientenraad")
    db.session.add(body)
    people = []
    for n in range(members):
        user = User(email=f"lid{n}@example.org", name=f"Lid {n}", role="secretaris" if n == 0 else "lid")
        user.set_password(PASSWORD)
        user.memberships = [Membership(body=body)]
        people.append(user)
    db.session.add_all(people)
    db.session.flush()
    day = local_today() + timedelta(days=14)
    meeting = logic.create_meetings(body.id, [day], {
        "title": "Vergadering", "kind": rules.REGULAR, "location": "Werkplein", "online_url": "",
        "visibility": rules.MEMBERS, "start": clock(19, 30), "end": clock(21, 0)},
        publish_at=utcnow() - timedelta(hours=1))[0]
    db.session.commit()
    return people[0].email, meeting.id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="the cpweb checkout to measure")
    parser.add_argument("--members", type=int, default=15)
    parser.add_argument("--delay", type=float, default=1.0, help="seconds the SMTP server takes per mail")
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))

    from aiosmtpd.controller import Controller

    handler = SlowHandler(args.delay)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with tempfile.TemporaryDirectory(prefix="cpweb-bench-mail-") as instance:
            os.environ["CPWEB_INSTANCE"] = instance
            from cpweb import create_app
            from cpweb.core.extensions import db

            app = create_app({
                "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False,
                "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
                "SITE_URL": "http://localhost", "SERVER_NAME": "localhost",
            })
            with app.app_context():
                secretary, meeting_id = build_site(args.members)
                db.session.remove()
            client = app.test_client()
            client.post("/inloggen", data={"email": secretary, "password": PASSWORD})
            start = time.perf_counter()
            response = client.post(f"/vergaderingen/{meeting_id}/uitnodigen")
            request_s = time.perf_counter() - start
            deadline = time.monotonic() + args.members * args.delay * 3 + 30
            while len(handler.arrived) < args.members and time.monotonic() < deadline:
                time.sleep(0.05)
            last_s = (max(handler.arrived) - start) if handler.arrived else float("nan")
            import cpweb
            print(f"code: {Path(cpweb.__file__).resolve().parent.parent}")
            print(f"SMTP server: {args.delay:.1f} s per mail; {args.members} members invited")
            print(f"request: HTTP {response.status_code} in {request_s:.3f} s")
            print(f"mails arrived: {len(handler.arrived)} of {args.members}; the last {last_s:.1f} s after the request began")
            return 0 if len(handler.arrived) == args.members and response.status_code < 400 else 1
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
