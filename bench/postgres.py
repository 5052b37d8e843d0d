"""PostgreSQL benchmark (not a test): the same pages on the same data, SQLite against PostgreSQL.

The demo data plus the large data sets of the meetings, activities, advice and signals benchmarks
(their builders, through SQLAlchemy) are built twice: in SQLite and in the PostgreSQL database
named by CPWEB_BENCH_POSTGRES_URL (emptied first; its name must contain "bench"). Then each page is
requested as the demo admin, alternately on each engine so a busy machine slows both alike, and
its p50/p95 server time is printed per engine with the ratio of the p95s. It fails (exit 1) when a
ratio exceeds 1.5.

Both run in this process (Flask test client); PostgreSQL's own work runs in its server process, so
the CPU time printed is only this process's share. The documents list runs on the demo's documents
only (the search index is not built here) and the search pages are left out.

Run: `.venv/bin/python bench/postgres.py` (or `make bench-postgres`).
"""
import os
import statistics
import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

import activities
import advice
import meetings
import signals
from pages import fill_database, load, logged_in_app, p95, timed_get

DEFAULT_URL = "postgresql+psycopg://cpweb:cpweb@127.0.0.1:5432/cpweb_bench"
REQUESTS = 200  # p95 of 100 would rest on its 5th-largest time: too jumpy to judge a ratio
WARM_UP = 5
MAX_RATIO = 1.5


def empty_postgres(url: str) -> None:
    """Drop everything in the benchmark database, after checking it is one and that it answers."""
    name = make_url(url).database or ""
    if "bench" not in name:
        sys.exit(f"CPWEB_BENCH_POSTGRES_URL names {name!r}; this benchmark empties its database, so the name "
                 "must contain 'bench'.")
    engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 5})
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    except OperationalError as error:
        sys.exit(f"PostgreSQL does not answer at {make_url(url)!r}: {error.orig}\n"
                 "Start it, or set CPWEB_BENCH_POSTGRES_URL (e.g. postgresql+psycopg://user:password@host/cpweb_bench).")
    finally:
        engine.dispose()


def build(label: str, database_url: str | None = None):
    """A logged-in client on the demo data plus the large data sets, on one engine."""
    _instance, app, client = logged_in_app(f"cpweb-bench-{label}-", "beheerder@example.org", database_url)
    fill_database(app, meetings.fill, activities.fill, advice.fill, signals.fill)
    return app, client


def page_urls(app) -> dict[str, str]:
    """The pages to compare; ids are looked up, and are the same on both engines (same inserts)."""
    from cpweb.extensions import db

    with app.app_context():
        meeting = db.session.scalar(text("SELECT max(id) FROM meetings WHERE starts_at > CURRENT_TIMESTAMP"))
        dossier = db.session.scalar(text("SELECT max(id) FROM advices"))
        body = db.session.scalar(text("SELECT slug FROM bodies ORDER BY id LIMIT 1"))
    today = datetime.now(UTC).date()
    return {
        "home": "/",
        "calendar month": f"/agenda?maand={today:%Y-%m}",
        "meetings list": "/vergaderingen/",
        "a meeting": f"/vergaderingen/{meeting}",
        "action items": "/vergaderingen/actiepunten",
        "activities list": "/activiteiten/",
        "advice list": "/advies/?status=",
        "advice overview": "/advies/overzicht",
        "a dossier": f"/advies/{dossier}",
        "signals list": "/signalen",
        "signals report": f"/signalen/overzicht?start={today - timedelta(days=365)}&end={today}",
        "documents list (demo data)": "/documenten",
        "a body": f"/organen/{body}",
    }


def queries(app, client, url: str) -> int:
    from sqlalchemy import event

    from cpweb.extensions import db

    statements = []

    def count(*args):
        statements.append(1)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    try:
        client.get(url)
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def compare(name: str, url: str, sqlite, postgres) -> bool:
    """Time one page on both engines, alternating; print one line; True when within MAX_RATIO."""
    for (_app, client) in (sqlite, postgres):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        for _ in range(WARM_UP):
            client.get(url)
    times = {"sqlite": [], "postgres": []}
    for _ in range(REQUESTS):
        for engine, (_app, client) in (("sqlite", sqlite), ("postgres", postgres)):
            times[engine].append(timed_get(client, url))
    (s_wall, s_cpu), (p_wall, p_cpu) = (list(zip(*times[e])) for e in ("sqlite", "postgres"))
    ratio = p95(p_wall) / p95(s_wall)
    counts = f"{queries(*sqlite, url)}/{queries(*postgres, url)}"
    print(f"{name:28} {statistics.median(s_wall):6.1f} {p95(s_wall):6.1f} {p95(s_cpu):6.1f}   "
          f"{statistics.median(p_wall):6.1f} {p95(p_wall):6.1f} {p95(p_cpu):6.1f}   {ratio:5.2f} {counts:>7}  "
          f"{'PASS' if ratio <= MAX_RATIO else 'FAIL'}")
    return ratio <= MAX_RATIO


def main() -> int:
    url = os.environ.get("CPWEB_BENCH_POSTGRES_URL", DEFAULT_URL)
    empty_postgres(url)
    sqlite = build("sqlite")
    postgres = build("postgres", url)
    print(f"data: demo + {meetings.BODIES * meetings.MEETINGS_PER_BODY:,} meetings, "
          f"{activities.ACTIVITIES:,} activities with {activities.SIGNUPS:,} sign-ups, "
          f"{advice.DOSSIERS:,} advice dossiers, {signals.REPORT_ROWS:,} signals; on each engine")
    with postgres[0].app_context():
        from cpweb.extensions import db

        print(f"PostgreSQL: {db.session.scalar(text('SHOW server_version'))}")
    print(f"{load()} (before); {REQUESTS} requests per page and engine, alternating")
    print(f"{'ms':28} {'SQLite p50':>10} {'p95':>6} {'cpu95':>6}   {'PG p50':>6} {'p95':>6} {'cpu95':>6}   "
          f"{'ratio':>5} {'queries':>7}")
    results = [compare(name, page, sqlite, postgres) for name, page in page_urls(sqlite[0]).items()]
    print(f"{load()} (after)")
    print(f"p95 on PostgreSQL within {MAX_RATIO}x of SQLite: {'PASS' if all(results) else 'FAIL'}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
