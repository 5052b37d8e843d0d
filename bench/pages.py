"""What the page benchmarks share: an app in this process on a fresh demo instance, logged in;
SQL statements per page; and p95 server time per page against a target."""
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from run import ROOT, prepare_instance


def logged_in_app(prefix: str, email: str):
    """(instance folder, app, test client logged in as this demo account)."""
    instance = Path(tempfile.mkdtemp(prefix=prefix))
    password = prepare_instance({**os.environ, "CPWEB_INSTANCE": str(instance)})
    os.environ["CPWEB_INSTANCE"] = str(instance)
    sys.path.insert(0, str(ROOT))
    from cpweb import create_app

    app = create_app({"WTF_CSRF_ENABLED": False})
    client = app.test_client()
    client.post("/inloggen", data={"email": email, "password": password})
    return instance, app, client


def query_counter(app, client):
    """count(url): how many SQL statements one GET of the page runs."""
    from sqlalchemy import event

    from cpweb.extensions import db

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
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url
        times, cpu = [], []
        for _ in range(requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"{name}: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms (CPU p95 "
              f"{statistics.quantiles(cpu, n=20)[-1]:.1f} ms) (target {target_ms} ms) -> "
              f"{'PASS' if p95 <= target_ms else 'FAIL'}")
