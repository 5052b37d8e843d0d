"""Meetings benchmark (not a test): pages and feeds over ten years of ten bodies.

Generated data: 10 bodies x 100 meetings (about one every five weeks from five years ago to five
years ahead) = 1,000 meetings, 10 agenda items each (10,000), 5 action items each (5,000), and
attendance for every member. Server time is measured in-process (Flask test client), so the
client's own time does not count:

- the month view (/agenda) and a meeting page: p95 over 200 requests, target 30 ms each, and the
  number of SQL queries per page (the same on the demo data and on the large data);
- an iCal feed of all 1,000 meetings: target 300 ms, both the first time after a worker starts and
  after (each unchanged event is serialised once per worker); and a member's real feed.

Run: `.venv/bin/python bench/meetings.py` (or `make bench-meetings`).
"""
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pages import all_ids, fill_database, insert_rows
from run import ROOT, prepare_instance

BODIES = 10
MEETINGS_PER_BODY = 100
ITEMS_PER_MEETING = 10
ACTIONS_PER_MEETING = 5
REQUESTS = 200
TARGET_PAGE_P95_MS = 30
TARGET_FEED_MS = 300


def fill(connection, tables) -> None:
    """Straight into the tables (bulk inserts): the benchmark is about reading them."""
    rng = random.Random(3)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    existing = len(all_ids(connection, tables["bodies"]))
    insert_rows(connection, tables["bodies"], [
        {"slug": f"bench-{n}", "name": f"Cliëntenraad {n}", "kind": "clientenraad", "description": "",
         "is_active": True, "receives_signals": False, "created_at": now} for n in range(existing, BODIES)])
    users = all_ids(connection, tables["users"])
    [admin] = all_ids(connection, tables["users"], tables["users"].c.role == "beheerder")[:1]
    insert_rows(connection, tables["calendar_feeds"], [
        {"user_id": admin, "token": "bench-token", "alarm_minutes": 60, "created_at": now}])
    for body_id in all_ids(connection, tables["bodies"]):
        starts = [now + timedelta(days=(n - MEETINGS_PER_BODY // 2) * 36 + rng.randint(0, 5), hours=rng.randint(0, 8))
                  for n in range(MEETINGS_PER_BODY)]
        meetings = insert_rows(connection, tables["meetings"], [
            {"body_id": body_id, "title": f"Vergadering {n}", "kind": "regular", "starts_at": start,
             "ends_at": start + timedelta(hours=2), "location": "Werkplein", "online_url": "", "status": "planned",
             "visibility": rng.choice(["public", "members"]), "published_at": start - timedelta(days=30),
             "sequence": 0, "created_at": now, "updated_at": now} for n, start in enumerate(starts)], ids=True)
        insert_rows(connection, tables["agenda_items"], [
            {"meeting_id": meeting_id, "position": p, "title": f"Punt {p}", "description": "Toelichting met **Markdown**.",
             "presenter": "", "added_late": False, "created_at": now}
            for meeting_id in meetings for p in range(ITEMS_PER_MEETING)])
        insert_rows(connection, tables["action_items"], [
            {"body_id": body_id, "meeting_id": meeting_id, "description": f"Actie {a}", "owner_id": rng.choice(users),
             "due_on": (start + timedelta(days=30)).date(), "done_at": None if rng.random() < 0.1 else start,
             "created_at": now}
            for meeting_id, start in zip(meetings, starts) for a in range(ACTIONS_PER_MEETING)])
        insert_rows(connection, tables["attendances"], [
            {"meeting_id": meeting_id, "user_id": user, "answer": "yes", "message": ""}
            for meeting_id in meetings for user in users])


def timed(client, url: str) -> list[float]:
    assert client.get(url).status_code == 200, url
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def report(name: str, times: list[float], target: float) -> str:
    return (f"{name}: median {statistics.median(times):.1f} ms, p95 {p95(times):.1f} ms (target {target} ms) -> "
            f"{'PASS' if p95(times) <= target else 'FAIL'}")


def main() -> int:
    instance = Path(tempfile.mkdtemp(prefix="cpweb-bench-meetings-"))
    env = {**os.environ, "CPWEB_INSTANCE": str(instance)}
    password = prepare_instance(env)
    os.environ["CPWEB_INSTANCE"] = str(instance)
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import event

    from cpweb import create_app
    from cpweb.calendar.ical import calendar_file
    from cpweb.calendar.sources import events_between
    from cpweb.core.extensions import db

    app = create_app({"WTF_CSRF_ENABLED": False})
    client = app.test_client()
    client.post("/inloggen", data={"email": "beheerder@example.org", "password": password})
    month = f"/agenda?maand={datetime.now(UTC):%Y-%m}"
    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))

    def count(url: str) -> int:
        statements.clear()
        client.get(url)
        return len(statements)

    small = {"month": count(month), "meeting": count("/vergaderingen/1")}
    fill_database(app, fill)
    with app.app_context():
        meeting_id = db.session.execute(db.text("SELECT max(id) FROM meetings WHERE starts_at > CURRENT_TIMESTAMP")).scalar()
    page = f"/vergaderingen/{meeting_id}"
    large = {"month": count(month), "meeting": count(page)}
    print(f"data: {BODIES} bodies, {BODIES * MEETINGS_PER_BODY:,} meetings, "
          f"{BODIES * MEETINGS_PER_BODY * ITEMS_PER_MEETING:,} agenda items, "
          f"{BODIES * MEETINGS_PER_BODY * ACTIONS_PER_MEETING:,} action items")
    print(f"SQL queries per page, demo data -> large data: month {small['month']} -> {large['month']}, "
          f"meeting {small['meeting']} -> {large['meeting']} "
          f"({'PASS' if small == large else 'FAIL'}: constant)")
    print(report("month view", timed(client, month), TARGET_PAGE_P95_MS))
    print(report("meeting page", timed(client, page), TARGET_PAGE_P95_MS))

    with app.test_request_context():
        from cpweb.auth.models import User

        admin = db.session.scalar(db.select(User).filter_by(role="beheerder"))
        far = timedelta(days=20 * 366)
        feed_times = []
        for _ in range(10):
            started = time.perf_counter()
            events = events_between(admin, datetime.now(UTC) - far, datetime.now(UTC) + far)
            calendar_file(events, "bench", 60)
            feed_times.append((time.perf_counter() - started) * 1000)
    cold, warm = feed_times[0], feed_times[1:]
    print(f"feed of {len(events):,} events (query + iCalendar): first {cold:.0f} ms, then median "
          f"{statistics.median(warm):.0f} ms, max {max(warm):.0f} ms once the worker has serialised each event "
          f"(target {TARGET_FEED_MS} ms) -> {'PASS' if max(warm) <= TARGET_FEED_MS else 'FAIL'}"
          f"{'' if cold <= TARGET_FEED_MS else '; the first request after a start is over the target'}")
    own = timed(client, "/agenda/bench-token.ics")
    print(f"the member's own feed (/agenda/<token>.ics, {feed_window()} window): median {statistics.median(own):.0f} ms")
    return 0


def feed_window() -> str:
    from cpweb.calendar.logic import FEED_FUTURE, FEED_PAST

    return f"{FEED_PAST.days} days back, {FEED_FUTURE.days} days ahead"


if __name__ == "__main__":
    sys.exit(main())
