"""What the page benchmarks share: an app in this process on a fresh demo instance, logged in;
large data sets built through SQLAlchemy (so on SQLite and PostgreSQL alike); SQL statements per
page; and p95 server time per page against a target."""
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from run import ROOT, prepare_instance


def logged_in_app(prefix: str, email: str, database_url: str | None = None):
    """(instance folder, app, test client logged in as this demo account); SQLite in the instance
    folder unless database_url names another (empty) database."""
    instance = Path(tempfile.mkdtemp(prefix=prefix))
    env = {**os.environ, "CPWEB_INSTANCE": str(instance)}
    env.pop("CPWEB_DATABASE_URL", None)
    config = {"WTF_CSRF_ENABLED": False, "LOG_LEVEL": "WARNING"}  # no line per request
    if database_url:
        env["CPWEB_DATABASE_URL"] = config["SQLALCHEMY_DATABASE_URI"] = database_url
    password = prepare_instance(env)
    os.environ["CPWEB_INSTANCE"] = str(instance)
    sys.path.insert(0, str(ROOT))
    from cpweb import create_app

    app = create_app(config)
    client = app.test_client()
    client.post("/inloggen", data={"email": email, "password": password})
    return instance, app, client


def fill_database(app, *builders) -> None:
    """Run builders(connection, tables) in one transaction, then ANALYZE so the planner knows the sizes."""
    from sqlalchemy import text

    from cpweb.core.extensions import db

    with app.app_context(), db.engine.begin() as connection:
        for build in builders:
            build(connection, db.metadata.tables)
        connection.execute(text("ANALYZE"))


def insert_rows(connection, table, rows: list[dict], ids: bool = False) -> list[int]:
    """Bulk insert (executemany); with ids, the new ids in the order of rows."""
    from sqlalchemy import insert

    if not rows:
        return []
    if not ids:
        connection.execute(insert(table), rows)
        return []
    return connection.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars().all()


def all_ids(connection, table, *conditions) -> list[int]:
    """Ids in order, so a seeded random choice among them is the same on every engine."""
    from sqlalchemy import select

    return connection.scalars(select(table.c.id).where(*conditions).order_by(table.c.id)).all()


def query_counter(app, client):
    """count(url): how many SQL statements one GET of the page runs."""
    from sqlalchemy import event

    from cpweb.core.extensions import db

    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))

    def count(url: str) -> int:
        statements.clear()
        client.get(url)
        return len(statements)

    return count


def report_constant(small: dict, large: dict) -> None:
    print(f"SQL queries per page, demo -> large: {small} -> {large} ({'PASS' if small == large else 'FAIL'}: constant)")


def time_pages(client, pages: dict[str, str], requests: int, target_ms: float) -> None:
    """Print median and p95 server time per page, with PASS or FAIL against the target.

    CPU time is printed too: on a busy machine (tests running beside it) wall time mostly measures
    waiting for a core, and the load average says how busy it was.
    """
    print(load())
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url
        times, cpu = zip(*(timed_get(client, url) for _ in range(requests)))
        print(f"{name}: median {statistics.median(times):.1f} ms, p95 {p95(times):.1f} ms (CPU p95 "
              f"{p95(cpu):.1f} ms) (target {target_ms} ms) -> {'PASS' if p95(times) <= target_ms else 'FAIL'}")


def load() -> str:
    return f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"


def timed_get(client, url: str) -> tuple[float, float]:
    """(wall ms, this process's CPU ms) of one GET."""
    started, started_cpu = time.perf_counter(), time.process_time()
    client.get(url)
    return (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000


def p95(values) -> float:
    return statistics.quantiles(values, n=20)[-1]
