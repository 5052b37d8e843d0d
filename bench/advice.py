"""Advice benchmark (not a test): the dossier list and the yearly overview over 2,000 dossiers,
server time p95 over 200 requests each (target 30 ms), measured in-process, and the number of SQL
queries per page on the demo data and on the large data (must be equal).

Run: `.venv/bin/python bench/advice.py` (or `make bench-advice`).
"""
import random
import sqlite3
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pages import logged_in_app, query_counter, report_constant, time_pages

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
    instance, app, client = logged_in_app("cpweb-bench-advice-", "beheerder@example.org")
    pages = {"list": "/advies/", "list, all statuses": "/advies/?status=", "overview": "/advies/overzicht",
             "a dossier": "/advies/1"}
    count = query_counter(app, client)
    small = {name: count(url) for name, url in pages.items()}
    fill(instance)
    print(f"data: {DOSSIERS:,} dossiers")
    report_constant(small, {name: count(url) for name, url in pages.items()})
    time_pages(client, pages, REQUESTS, TARGET_P95_MS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
