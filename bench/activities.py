"""Activities benchmark (not a test): the list and the month view over 5,000 activities and
50,000 sign-ups, server time p95 over 200 requests each (target 30 ms), measured in-process, and
the number of SQL queries per page on the demo data and on the large data (must be equal).

Run: `.venv/bin/python bench/activities.py` (or `make bench-activities`).
"""
import random
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pages import logged_in_app, query_counter, report_constant, time_pages

ACTIVITIES = 5_000
SIGNUPS = 50_000
REQUESTS = 200
TARGET_P95_MS = 30


def fill(instance: Path) -> None:
    rng = random.Random(5)
    now = datetime.now(UTC).replace(tzinfo=None, minute=0, second=0, microsecond=0)
    with sqlite3.connect(instance / "cpweb.sqlite3") as db:
        users = [row[0] for row in db.execute("SELECT id FROM users")]
        for n in range(ACTIVITIES):
            start = now + timedelta(days=rng.randint(-5 * 365, 5 * 365), hours=rng.randint(0, 10))
            db.execute(
                "INSERT INTO activities (title, description, kind, organiser, organiser_name, scope, starts_at, ends_at, "
                "location, online_url, external_url, audience, capacity, contact, status, decline_reason, report, "
                "sequence, signup_version, created_at, updated_at) VALUES (?, '', ?, 'lcr', '', 'regionaal', ?, ?, "
                "'Werkplein', '', '', ?, ?, '', 'published', '', '', 0, 0, ?, ?)",
                (f"Activiteit {n}", rng.choice(["training", "overleg", "werkbezoek"]), start, start + timedelta(hours=3),
                 rng.choice(["everyone", "members"]), rng.choice([None, 20, 50]), now, now))
        # Members and (mostly) guests: 10 per activity.
        rows = []
        for n in range(SIGNUPS):
            activity_id = n // (SIGNUPS // ACTIVITIES) + 1
            user = users[n % len(users)] if n % 10 < 2 else None
            rows.append((activity_id, user, None if user else f"Gast {n}", None if user else f"gast{n}@example.org",
                         "confirmed", f"bench-{n}", now, now))
        db.executemany("INSERT OR IGNORE INTO activity_signups (activity_id, user_id, guest_name, guest_email, status, "
                       "token, created_at, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.execute("ANALYZE")


def main() -> int:
    instance, app, client = logged_in_app("cpweb-bench-activities-", "lid@example.org")
    pages = {"list": "/activiteiten/", "month view": f"/agenda?maand={datetime.now(UTC):%Y-%m}"}
    count = query_counter(app, client)
    small = {name: count(url) for name, url in pages.items()}
    fill(instance)
    print(f"data: {ACTIVITIES:,} activities, {SIGNUPS:,} sign-ups")
    report_constant(small, {name: count(url) for name, url in pages.items()})
    time_pages(client, pages, REQUESTS, TARGET_P95_MS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
