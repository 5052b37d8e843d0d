"""Signals benchmark (not a test): many visitors at once, and the report over a large table.

1. 2,000 submissions of the public form from 20 concurrent clients against gunicorn (2 sync
   workers) on SQLite: each one must be stored exactly once, with no 5xx; prints throughput.
2. The "aard en aantal" report over 100,000 generated signals: server time p95 over 50 requests
   (target 150 ms), measured in-process so the client's own time does not count.

Run: `.venv/bin/python bench/signals.py` (or `make bench-signals`). Servers listen on 127.0.0.1
only and are stopped at the end, also on error.
"""
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from http_client import Client
from pages import all_ids, fill_database, insert_rows
from run import ROOT, prepare_instance, start_gunicorn, stop_all

CLIENTS = 20
PER_CLIENT = 100
REPORT_ROWS = 100_000
REPORT_REQUESTS = 50
TARGET_REPORT_P95_MS = 150


def submit_many(port: int) -> dict:
    """Each client loads the form (cookie, CSRF and form token) and sends it, PER_CLIENT times."""
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def visitor(number: int) -> None:
        client = Client(port)
        for n in range(PER_CLIENT):
            _status, page = client.request("GET", "/signaal")
            html = page.decode()
            form = {name: re.search(rf'name="{name}" type="hidden" value="([^"]+)"', html).group(1)
                    for name in ("csrf_token", "started")}
            municipality = re.search(r'<option value="(\d+)">', html).group(1)
            form.update(category="bereikbaarheid", sentiment="beter", organisation_kind="werkplein",
                        municipality=municipality, description=f"Benchmark-signaal {number}-{n}: de telefoon werd niet opgenomen.")
            status, _body = client.request("POST", "/signaal", form)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
        client.close()

    threads = [threading.Thread(target=visitor, args=(i,)) for i in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"seconds": time.perf_counter() - started, "statuses": statuses}


def stored(instance: Path) -> tuple[int, int]:
    """(rows from the benchmark, distinct texts among them)."""
    with sqlite3.connect(instance / "cpweb.sqlite3") as db:
        return db.execute("SELECT count(*), count(DISTINCT description) FROM signals "
                          "WHERE description LIKE 'Benchmark-signaal %'").fetchone()


def fill(connection, tables) -> None:
    """Generated signals spread over two years, straight into the table."""
    rng = random.Random(1)
    categories = ["bejegening", "communicatie", "deskundigheid", "werk", "uitkering", "bereikbaarheid", "anders"]
    now = datetime.now(UTC)
    organisations = tables["organisations"]
    municipalities = all_ids(connection, organisations, organisations.c.kind == "gemeente") + [None]
    insert_rows(connection, tables["signals"], [
        {"reference": f"B-{n:07d}", "created_at": now - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60)),
         "category": rng.choice(categories), "sentiment": rng.choice(["goed", "beter"]),
         "municipality_id": rng.choice(municipalities), "organisation_kind": "gemeente", "description": "Gegenereerd.",
         "source": "online", "status": "nieuw", "suspected_spam": False} for n in range(REPORT_ROWS)])


def report_times(instance: Path, password: str) -> list[float]:
    os.environ["CPWEB_INSTANCE"] = str(instance)
    sys.path.insert(0, str(ROOT))
    from cpweb import create_app

    app = create_app({"WTF_CSRF_ENABLED": False})
    client = app.test_client()
    client.post("/inloggen", data={"email": "secretaris@example.org", "password": password})
    fill_database(app, fill)
    year_ago = (datetime.now(UTC) - timedelta(days=365)).date()
    url = f"/signalen/overzicht?start={year_ago}&end={datetime.now(UTC).date()}"
    assert client.get(url).status_code == 200
    times = []
    for _ in range(REPORT_REQUESTS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    instance = Path(tempfile.mkdtemp(prefix="cpweb-bench-signals-"))
    env = {**os.environ, "CPWEB_INSTANCE": str(instance), "CPWEB_SIGNAL_RATE_LIMIT": '"1000000 per hour"',
           "CPWEB_SIGNAL_MIN_FILL_SECONDS": "0"}
    password = prepare_instance(env)
    try:
        _proc, port = start_gunicorn("app:app", 2, env, instance / "gunicorn.log", ROOT)
        result = submit_many(port)
    finally:
        stop_all()
    rows, distinct = stored(instance)
    total = CLIENTS * PER_CLIENT
    errors = sum(n for status, n in result["statuses"].items() if status >= 500)
    print(f"submissions: {total} from {CLIENTS} clients in {result['seconds']:.1f} s "
          f"= {total / result['seconds']:.0f}/s; statuses {result['statuses']}")
    print(f"stored: {rows} rows, {distinct} distinct; 5xx: {errors} -> "
          f"{'PASS' if rows == distinct == total and errors == 0 else 'FAIL'}")
    times = report_times(instance, password)
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"report over {REPORT_ROWS:,} signals: median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms "
          f"(target {TARGET_REPORT_P95_MS} ms) -> {'PASS' if p95 <= TARGET_REPORT_P95_MS else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
