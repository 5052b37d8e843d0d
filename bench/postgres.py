"""PostgreSQL benchmark (not a test): the same pages on the same data, SQLite against PostgreSQL.

The demo data plus the large data sets of the meetings, activities, advice and signals benchmarks
(their builders, through SQLAlchemy) are built twice: in SQLite and in the PostgreSQL database
named by CPWEB_BENCH_POSTGRES_URL (emptied first; its name must contain "bench"). Each engine gets
a gunicorn with one sync worker on 127.0.0.1. Then each page is requested as the demo admin,
alternately on each engine so a busy machine slows both alike, in two ways:

- over HTTP, from request to the last byte of the response: what a visitor waits for. The p95
  ratio of these fails the run (exit 1) above 1.5.
- in this process through Flask's test client: the server's own time, without the HTTP server.
  Each request on PostgreSQL makes three round trips that SQLite does not (the pool's liveness
  ping, BEGIN and ROLLBACK) and each statement is a round trip too, so on the smallest pages
  (5 ms) this ratio is 1.3-1.7. It fails above 2: a query too many per row, or a missing index,
  shows here first.

PostgreSQL's own work runs in its server process, so the CPU time printed is only this process's
share. The documents list runs on the demo's documents only (the search index is not built here)
and the search pages are left out.

Run: `.venv/bin/python bench/postgres.py` (or `make bench-postgres`).
"""
import os
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import activities
import advice
import meetings
import signals
from http_client import Client
from pages import fill_database, load, logged_in_app, p95, query_counter, timed_get
from run import ROOT, start_gunicorn, stop_all
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

DEFAULT_URL = "postgresql+psycopg://cpweb:cpweb@127.0.0.1:5432/cpweb_bench"
REQUESTS = 200  # p95 of 100 would rest on its 5th-largest time: too jumpy to judge a ratio
WARM_UP = 5
MAX_RATIO = 1.5
MAX_SERVER_RATIO = 2.0
ADMIN = "beheerder@example.org"


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


@dataclass
class Site:
    """One engine's site: the app and a test client in this process, and a client over HTTP to gunicorn."""

    app: object
    test_client: object
    browser: Client
    statements: object  # statements(url): SQL statements of one GET (its listener costs both engines alike)


def build(label: str, database_url: str | None = None) -> Site:
    """The demo data plus the large data sets on one engine, served by gunicorn; both clients logged in."""
    instance, app, test_client = logged_in_app(f"cpweb-bench-{label}-", ADMIN, database_url)
    fill_database(app, meetings.fill, activities.fill, advice.fill, signals.fill)
    env = {**os.environ, "CPWEB_INSTANCE": str(instance), "CPWEB_LOG_LEVEL": "WARNING"}  # no line per request
    env.pop("CPWEB_DATABASE_URL", None)
    if database_url:
        env["CPWEB_DATABASE_URL"] = database_url
    _server, port = start_gunicorn("app:app", 1, env, instance / "gunicorn.log", ROOT)
    browser = Client(port)
    browser.login(ADMIN, (instance / "demo-login.txt").read_text().strip())
    return Site(app, test_client, browser, query_counter(app, test_client))


def page_urls(app) -> dict[str, str]:
    """The pages to compare; ids are looked up, and are the same on both engines (same inserts)."""
    from cpweb.core.extensions import db

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


def http_ms(browser: Client, url: str) -> float:
    started = time.perf_counter()
    status, _body = browser.get(url)
    assert status == 200, (url, status)
    return (time.perf_counter() - started) * 1000


def alternate(measure, sqlite, postgres) -> tuple[list[float], list[float]]:
    """REQUESTS times per engine, taking turns, after a warm-up on each."""
    for site in (sqlite, postgres):
        for _ in range(WARM_UP):
            measure(site)
    times = ([], [])
    for _ in range(REQUESTS):
        for own, site in zip(times, (sqlite, postgres)):
            own.append(measure(site))
    return times


def compare(name: str, url: str, sqlite: Site, postgres: Site) -> bool:
    """Time one page on both engines, over HTTP and in-process; print one line; True when PostgreSQL's
    p95 is within MAX_RATIO of SQLite's over HTTP, and within MAX_SERVER_RATIO in-process."""
    assert sqlite.test_client.get(url).status_code == 200, url
    s_http, p_http = alternate(lambda site: http_ms(site.browser, url), sqlite, postgres)
    s_server, p_server = alternate(lambda site: timed_get(site.test_client, url)[0], sqlite, postgres)
    ratio, server_ratio = p95(p_http) / p95(s_http), p95(p_server) / p95(s_server)
    passed = ratio <= MAX_RATIO and server_ratio <= MAX_SERVER_RATIO
    counts = f"{sqlite.statements(url)}/{postgres.statements(url)}"
    print(f"{name:28} {statistics.median(s_http):6.1f} {p95(s_http):6.1f} {statistics.median(p_http):6.1f} "
          f"{p95(p_http):6.1f}  {ratio:5.2f}   {p95(s_server):6.1f} {p95(p_server):6.1f} "
          f"{server_ratio:5.2f}  {counts:>7}  {'PASS' if passed else 'FAIL'}")
    return passed


def main() -> int:
    url = os.environ.get("CPWEB_BENCH_POSTGRES_URL", DEFAULT_URL)
    empty_postgres(url)
    try:
        sqlite, postgres = build("sqlite"), build("postgres", url)
        print(f"data: demo + {meetings.BODIES * meetings.MEETINGS_PER_BODY:,} meetings, "
              f"{activities.ACTIVITIES:,} activities with {activities.SIGNUPS:,} sign-ups, "
              f"{advice.DOSSIERS:,} advice dossiers, {signals.REPORT_ROWS:,} signals; on each engine")
        with postgres.app.app_context():
            from cpweb.core.extensions import db

            print(f"PostgreSQL: {db.session.scalar(text('SHOW server_version'))}; gunicorn, 1 sync worker per engine")
        print(f"{load()} (before); {REQUESTS} requests per page, engine and way, alternating between the engines")
        print(f"{'':28} {f'over HTTP (max {MAX_RATIO}x)':^34}   {f'in-process (max {MAX_SERVER_RATIO}x)':^24}")
        print(f"{'ms':28} {'SQLite p50':>10} {'p95':>6} {'PG p50':>6} {'p95':>6}  {'ratio':>5}   "
              f"{'SQLite':>6} {'PG':>6} {'ratio':>5}  {'queries':>7}")
        results = [compare(name, page, sqlite, postgres) for name, page in page_urls(sqlite.app).items()]
    finally:
        stop_all()
    print(f"{load()} (after)")
    print(f"p95 on PostgreSQL within {MAX_RATIO}x of SQLite over HTTP and {MAX_SERVER_RATIO}x in-process: "
          f"{'PASS' if all(results) else 'FAIL'}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
