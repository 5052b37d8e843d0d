"""Advice benchmark (not a test): the dossier list and the yearly overview over 2,000 dossiers,
server time p95 over 200 requests each (target 30 ms), measured in-process, and the number of SQL
queries per page on the demo data and on the large data (must be equal).

Run: `.venv/bin/python bench/advice.py` (or `make bench-advice`).
"""
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from run import ROOT, prepare_instance

DOSSIERS = 2_000
REQUESTS = 200
TARGET_P95_MS = 30


def fill(instance: Path) -> None:
    rng = random.Random(7)
    now = datetime.now(UTC).replace(tzinfo=None)
    today = date.today()
    with sqlite3.connect(instance / "cpweb.sqlite3") as db:
        bodies = [row[0] for row in db.execute("SELECT id FROM bodies")]
        organisations = [row[0] for row in db.execute("SELECT id FROM organisations")]
        users = [row[0] for row in db.execute("SELECT id FROM users")]
        for n in range(DOSSIERS):
            requested = today - timedelta(days=rng.randint(0, 5 * 365))
            status = rng.choice(["idea", "preparing", "sent", "responded", "done", "done"])
            sent = requested + timedelta(days=30) if status in ("sent", "responded", "done") else None
            response = sent + timedelta(days=rng.randint(10, 90)) if status in ("responded", "done") else None
            advice_id = db.execute(
                "INSERT INTO advices (body_id, title, kind, topic, addressee_id, addressee_text, summary, requested_on, "
                "deadline, status, sent_on, response_on, response_summary, follow_up_notes, outcome, version, "
                "created_at, updated_at) VALUES (?, ?, ?, 'beleid', ?, '', '', ?, ?, ?, ?, ?, '', '', ?, 0, ?, ?)",
                (rng.choice(bodies), f"Advies {n}", rng.choice(["gevraagd", "ongevraagd"]), rng.choice(organisations),
                 requested, requested + timedelta(days=60), status, sent, response,
                 rng.choice(["adopted", "partly", "not_adopted", "unknown"]) if status == "done" else None,
                 now - timedelta(days=(today - requested).days), now)).lastrowid
            db.executemany("INSERT OR IGNORE INTO advice_drafters (advice_id, user_id) VALUES (?, ?)",
                           [(advice_id, rng.choice(users)) for _ in range(2)])
            db.executemany("INSERT INTO advice_events (advice_id, at, actor_id, status, text) VALUES (?, ?, ?, ?, ?)",
                           [(advice_id, now, rng.choice(users), status, "Stap.") for _ in range(4)])
        db.execute("ANALYZE")


def main() -> int:
    instance = Path(tempfile.mkdtemp(prefix="cpweb-bench-advice-"))
    env = {**os.environ, "CPWEB_INSTANCE": str(instance)}
    password = prepare_instance(env)
    os.environ["CPWEB_INSTANCE"] = str(instance)
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import event

    from cpweb import create_app
    from cpweb.extensions import db

    app = create_app({"WTF_CSRF_ENABLED": False})
    client = app.test_client()
    client.post("/inloggen", data={"email": "beheerder@example.org", "password": password})
    pages = {"list": "/advies/", "list, all statuses": "/advies/?status=", "overview": "/advies/overzicht",
             "a dossier": "/advies/1"}
    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))

    def count(url):
        statements.clear()
        client.get(url)
        return len(statements)

    small = {name: count(url) for name, url in pages.items()}
    fill(instance)
    large = {name: count(url) for name, url in pages.items()}
    print(f"data: {DOSSIERS:,} dossiers")
    print(f"SQL queries per page, demo -> large: {small} -> {large} ({'PASS' if small == large else 'FAIL'}: constant)")
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url
        times = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"{name}: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms (target {TARGET_P95_MS} ms) -> "
              f"{'PASS' if p95 <= TARGET_P95_MS else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
