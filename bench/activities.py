"""Activities benchmark (not a test): the list and the month view over 5,000 activities and
50,000 sign-ups, server time p95 over 200 requests each (target 30 ms), measured in-process, and
the number of SQL queries per page on the demo data and on the large data (must be equal).

Run: `.venv/bin/python bench/activities.py` (or `make bench-activities`).
"""
import random
import sys
from datetime import UTC, datetime, timedelta

from pages import all_ids, fill_database, insert_rows, logged_in_app, query_counter, report_constant, time_pages

ACTIVITIES = 5_000
SIGNUPS = 50_000
REQUESTS = 200
TARGET_P95_MS = 30


def fill(connection, tables) -> None:
    rng = random.Random(5)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    users = all_ids(connection, tables["users"])
    starts = [now + timedelta(days=rng.randint(-5 * 365, 5 * 365), hours=rng.randint(0, 10)) for _ in range(ACTIVITIES)]
    activities = insert_rows(connection, tables["activities"], [
        {"title": f"Activiteit {n}", "description": "", "kind": rng.choice(["training", "overleg", "werkbezoek"]),
         "organiser": "lcr", "organiser_name": "", "scope": "regionaal", "starts_at": start,
         "ends_at": start + timedelta(hours=3), "location": "Werkplein", "online_url": "", "external_url": "",
         "audience": rng.choice(["everyone", "members"]), "capacity": rng.choice([None, 20, 50]), "contact": "",
         "status": "published", "decline_reason": "", "report": "", "sequence": 0, "signup_version": 0,
         "created_at": now, "updated_at": now} for n, start in enumerate(starts)], ids=True)
    # Members and (mostly) guests: 10 per activity; a member signs up once per activity.
    rows, members = [], set()
    for n in range(SIGNUPS):
        activity_id = activities[n // (SIGNUPS // ACTIVITIES)]
        user = users[n % len(users)] if n % 10 < 2 else None
        if user and (activity_id, user) in members:
            continue
        members.add((activity_id, user))
        rows.append({"activity_id": activity_id, "user_id": user, "guest_name": None if user else f"Gast {n}",
                     "guest_email": None if user else f"gast{n}@example.org", "status": "confirmed",
                     "token": f"bench-{n}", "created_at": now, "changed_at": now})
    insert_rows(connection, tables["activity_signups"], rows)


def main() -> int:
    instance, app, client = logged_in_app("cpweb-bench-activities-", "lid@example.org")
    pages = {"list": "/activiteiten/", "month view": f"/agenda?maand={datetime.now(UTC):%Y-%m}"}
    count = query_counter(app, client)
    small = {name: count(url) for name, url in pages.items()}
    fill_database(app, fill)
    print(f"data: {ACTIVITIES:,} activities, {SIGNUPS:,} sign-ups")
    report_constant(small, {name: count(url) for name, url in pages.items()})
    time_pages(client, pages, REQUESTS, TARGET_P95_MS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
