"""cpweb benchmark (not a test): start-up time, worker memory, throughput, page weight, and the
first 1,000-event calendar feed after a start.

Run with `make bench` (or `.venv/bin/python bench/run.py`). It needs nothing outside the
repository; wrk is used when installed (Debian package `wrk`), else a small Python load
generator. Every server listens on 127.0.0.1 only and is stopped at the end, also on error.
Results are printed as a table and written to bench/results/ (git-ignored).
"""
import gzip
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from http_client import Client, python_load

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
PYTHON = sys.executable

STARTUP_RUNS = 7
RSS_REQUESTS = 1000
LOAD_SECONDS = 10
WARMUP_SECONDS = 2
WRK_ARGS = ["-t2", "-c16"]

TARGET_ABOVE_FLOOR_S = 0.3  # import cpweb + create_app(), beyond importing Flask and Flask-SQLAlchemy
TARGET_RSS_MB = 80
TARGET_RATIO = 0.40  # the guest home's requests/s against a bare Flask app's on the same gunicorn
TARGET_GZIP_KB = 50
TARGET_FEED_MS = 200  # the first feed of 1,000 events in a new process: query and iCalendar

# The benchmarks measure pages, not signing in: the demo's admin and secretaries log in with the
# password alone here (bench/login.py measures signing in, with the site's own settings).
os.environ.setdefault("CPWEB_TWO_FACTOR_ROLES", "[]")

_servers: list[subprocess.Popen] = []


# --- servers -------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(target: str, workers: int, env: dict, log: Path, chdir: Path,
                   cpus: set[int] | None = None) -> tuple[subprocess.Popen, int]:
    """Start gunicorn in its own process group; wait until it answers on 127.0.0.1."""
    port = free_port()
    cmd = [PYTHON, "-m", "gunicorn", "--workers", str(workers), "--worker-class", "sync",
           "--bind", f"127.0.0.1:{port}", "--chdir", str(chdir), target]
    preexec = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True, preexec_fn=preexec)
    _servers.append(proc)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn {target} exited; log:\n{log.read_text()[-3000:]}")
        try:
            client = Client(port)
            status, _ = client.get("/")
            client.close()
            if status == 200:
                return proc, port
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn {target} did not answer within 30 s; log:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen) -> None:
    """Stop a server's whole process group: TERM, then KILL when it lingers."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        except ProcessLookupError:
            pass
    if proc in _servers:
        _servers.remove(proc)


def stop_all() -> None:
    for proc in list(_servers):
        stop(proc)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # Field 4 (after the command name in parentheses) is the parent pid.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS, VmHWM, RssAnon in kB from /proc/<pid>/status."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            values[key] = int(rest.split()[0])
    return values


# --- measurements --------------------------------------------------------------------------

def prepare_instance(env: dict) -> str:
    """A fresh instance folder with schema and demo data; returns the demo password."""
    for command in ("init", "demo"):
        subprocess.run([PYTHON, "-m", "flask", "--app", "app", "cpweb", command], cwd=ROOT,
                       env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return (Path(env["CPWEB_INSTANCE"]) / "demo-login.txt").read_text().strip()


# The floor: what the fixed stack (Flask + Flask-SQLAlchemy, which imports the ORM) costs alone.
FLOOR_CODE = """
import json, time
t0 = time.perf_counter()
import flask, flask_sqlalchemy
print(json.dumps({"floor": time.perf_counter() - t0}))
"""

STARTUP_CODE = """
import json, time
t0 = time.perf_counter()
import cpweb
t1 = time.perf_counter()
cpweb.create_app()
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "create_app": t2 - t1, "total": t2 - t0}))
"""


def measure_startup(env: dict) -> dict:
    """Median over fresh interpreters: `import cpweb`, then `create_app()` (blueprints import there)."""
    runs = []
    for _ in range(STARTUP_RUNS):
        started = time.perf_counter()
        out = subprocess.run([PYTHON, "-c", STARTUP_CODE], cwd=ROOT, env=env, check=True,
                             capture_output=True, text=True).stdout
        run = json.loads(out.strip().splitlines()[-1])
        run["process"] = time.perf_counter() - started
        floor = subprocess.run([PYTHON, "-c", FLOOR_CODE], cwd=ROOT, env=env, check=True,
                               capture_output=True, text=True).stdout
        run |= json.loads(floor.strip().splitlines()[-1])
        runs.append(run)
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]} | {"runs": runs}


# A new process (a worker just started) makes the feed of every event, 1,000 meetings of the
# meetings benchmark on top of the demo, as the admin sees them; then once more, warm.
FEED_CODE = """
import json, sys, time
from datetime import UTC, datetime, timedelta
import cpweb
app = cpweb.create_app()
from cpweb.auth.models import User
from cpweb.calendar.ical import calendar_file
from cpweb.calendar.sources import events_between
from cpweb.core.extensions import db
times = []
with app.test_request_context():
    admin = db.session.scalar(db.select(User).filter_by(role="beheerder"))
    far = timedelta(days=20 * 366)
    for _ in range(2):
        started = time.perf_counter()
        events = events_between(admin, datetime.now(UTC) - far, datetime.now(UTC) + far)
        calendar_file(events, "bench", 60)
        times.append(time.perf_counter() - started)
print(json.dumps({"events": len(events), "cold_ms": times[0] * 1000, "warm_ms": times[1] * 1000}))
"""

FILL_CODE = """
import sys
sys.path.insert(0, "bench")
import cpweb, meetings
from pages import fill_database
fill_database(cpweb.create_app(), meetings.fill)
"""


def measure_feed(env: dict) -> dict:
    """Adds the meetings benchmark's 1,000 meetings to the instance: run it last."""
    subprocess.run([PYTHON, "-c", FILL_CODE], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    runs = []
    for _ in range(STARTUP_RUNS):
        out = subprocess.run([PYTHON, "-c", FEED_CODE], cwd=ROOT, env=env, check=True, capture_output=True,
                             text=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]} | {"runs": runs}


def measure_page_weight(port: int) -> dict:
    """Bytes and gzip -6 bytes of the guest home page and the CSS/JS/images it loads."""
    client = Client(port)
    status, html = client.get("/")
    urls = re.findall(rb'<(?:link|script|img)\b[^>]*?(?:href|src)="([^"]+)"', html)
    items = [("/", html)]
    foreign = []
    for url in dict.fromkeys(u.decode() for u in urls):
        if re.match(r"^(https?:)?//", url):
            foreign.append(url)
            continue
        if url.startswith("/"):
            status, body = client.get(url)
            items.append((url, body))
    client.close()
    files = [{"url": url, "bytes": len(body), "gzip": len(gzip.compress(body, 6))}
             for url, body in items]
    return {"files": files, "bytes": sum(f["bytes"] for f in files),
            "gzip": sum(f["gzip"] for f in files), "foreign_resources": foreign}


def measure_rss(env: dict, password: str, log: Path) -> dict:
    """One worker's memory after a mix of guest and member pages."""
    proc, port = start_gunicorn("app:app", 1, env, log, ROOT)
    try:
        weight = measure_page_weight(port)
        workers = children(proc.pid)
        if len(workers) != 1:
            raise RuntimeError(f"expected one gunicorn worker, found {workers}")
        worker = workers[0]
        before = proc_status(worker)
        guest, member = Client(port), Client(port)
        member.login("lid@example.org", password)
        mix = [(guest, "/"), (guest, "/inloggen"), (guest, "/privacy"), (guest, "/organen/"),
               (member, "/"), (member, "/profiel")]
        statuses: dict[int, int] = {}
        started = time.perf_counter()
        for i in range(RSS_REQUESTS):
            client, path = mix[i % len(mix)]
            status, _ = client.get(path)
            statuses[status] = statuses.get(status, 0) + 1
        elapsed = time.perf_counter() - started
        guest.close()
        member.close()
        after = proc_status(worker)
        return {"worker_before_kb": before, "worker_after_kb": after,
                "master_kb": proc_status(proc.pid), "statuses": statuses,
                "sequential_requests_per_s": RSS_REQUESTS / elapsed,
                "paths": [p for _, p in mix]}, weight
    finally:
        stop(proc)


def load(port: int, path: str, seconds: int, cpus: set[int] | None) -> dict:
    wrk = shutil.which("wrk")
    if not wrk:
        return python_load(port, path, seconds)
    preexec = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    out = subprocess.run([wrk, *WRK_ARGS, f"-d{seconds}s", f"http://127.0.0.1:{port}{path}"],
                         capture_output=True, text=True, timeout=seconds + 30, check=True,
                         preexec_fn=preexec).stdout
    def number(pattern: str) -> float:
        match = re.search(pattern, out)
        return float(match.group(1)) if match else 0.0
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"tool": "wrk " + " ".join(WRK_ARGS) + f" -d{seconds}s",
            "requests": int(number(r"(\d+) requests in")),
            "requests_per_s": number(r"Requests/sec:\s+([\d.]+)"),
            "non_2xx_3xx": int(number(r"Non-2xx or 3xx responses: (\d+)")),
            "socket_errors": sum(map(int, errors.groups())) if errors else 0,
            "output": out}


def measure_throughput(env: dict, log: Path) -> dict:
    """Home page vs a bare Flask app, both on gunicorn with 2 sync workers."""
    ncpu = os.cpu_count() or 1
    # With 4+ cores the servers get two cores and the load generator the rest; with fewer the
    # load generator shares the cores, which lowers both numbers alike.
    server_cpus = {0, 1} if ncpu >= 4 else None
    client_cpus = set(range(2, ncpu)) if ncpu >= 4 else None
    results = {"server_cpus": sorted(server_cpus) if server_cpus else "all (shared with client)"}
    for name, target, chdir in (("home", "app:app", ROOT), ("hello", "hello_app:app", BENCH)):
        proc, port = start_gunicorn(target, 2, env, log, chdir, server_cpus)
        try:
            load(port, "/", WARMUP_SECONDS, client_cpus)
            results[name] = load(port, "/", LOAD_SECONDS, client_cpus)
        finally:
            stop(proc)
    results["ratio"] = results["home"]["requests_per_s"] / max(results["hello"]["requests_per_s"], 1e-9)
    return results


# --- report --------------------------------------------------------------------------------

def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(r: dict) -> None:
    s, m, t, w, f = r["startup"], r["rss"], r["throughput"], r["page_weight"], r["feed"]
    rss_mb = m["worker_after_kb"]["VmRSS"] / 1024
    above = s["total"] - s["floor"]
    rows = [
        ("import cpweb (median)", f"{s['import']:.3f} s", "", ""),
        ("import + create_app() (median)", f"{s['total']:.3f} s", "", ""),
        ("  of which create_app()", f"{s['create_app']:.3f} s", "", ""),
        ("  floor: import flask, flask_sqlalchemy", f"{s['floor']:.3f} s", "", ""),
        ("  above the floor", f"{above:.3f} s", f"<= {TARGET_ABOVE_FLOOR_S} s", verdict(above <= TARGET_ABOVE_FLOOR_S)),
        ("  whole process incl. interpreter", f"{s['process']:.3f} s", "", ""),
        ("worker RSS before requests", f"{m['worker_before_kb']['VmRSS'] / 1024:.1f} MB", "", ""),
        (f"worker RSS after {RSS_REQUESTS} requests", f"{rss_mb:.1f} MB", f"<= {TARGET_RSS_MB} MB",
         verdict(rss_mb <= TARGET_RSS_MB)),
        ("  worker peak (VmHWM)", f"{m['worker_after_kb']['VmHWM'] / 1024:.1f} MB", "", ""),
        ("  gunicorn master RSS", f"{m['master_kb']['VmRSS'] / 1024:.1f} MB", "", ""),
        ("  statuses of the mix", ", ".join(f"{k}: {v}" for k, v in sorted(m["statuses"].items())),
         "all 200", verdict(set(m["statuses"]) == {200})),
        ("guest home page, 2 workers", f"{t['home']['requests_per_s']:.0f} req/s", "", ""),
        ("bare Flask hello, 2 workers", f"{t['hello']['requests_per_s']:.0f} req/s", "", ""),
        ("home / hello ratio", f"{t['ratio']:.2f}", f">= {TARGET_RATIO}",
         verdict(t["ratio"] >= TARGET_RATIO and not t["home"]["non_2xx_3xx"])),
        ("  errors (non-2xx/3xx, socket)",
         f"home {t['home']['non_2xx_3xx']}/{t['home']['socket_errors']}, "
         f"hello {t['hello']['non_2xx_3xx']}/{t['hello']['socket_errors']}", "", ""),
        ("guest home + CSS + JS", f"{w['bytes'] / 1024:.1f} KB", "", ""),
        ("  gzipped (level 6)", f"{w['gzip'] / 1024:.1f} KB", f"<= {TARGET_GZIP_KB} KB",
         verdict(w["gzip"] <= TARGET_GZIP_KB * 1024)),
        ("  resources from other hosts", str(len(w["foreign_resources"])), "0",
         verdict(not w["foreign_resources"])),
        (f"feed of {f['events']:,.0f} events, new process (median)", f"{f['cold_ms']:.0f} ms",
         f"<= {TARGET_FEED_MS} ms", verdict(f["cold_ms"] <= TARGET_FEED_MS)),
        ("  the same feed again", f"{f['warm_ms']:.0f} ms", "", ""),
    ]
    for f in w["files"]:
        rows.append((f"  {f['url']}", f"{f['bytes'] / 1024:.1f} KB", f"gz {f['gzip'] / 1024:.1f} KB", ""))
    print(f"\nLoad average before: {r['load_before']}. Machine: {r['machine']['nproc']} CPUs, Python {r['machine']['python']}, "
          f"{r['machine']['platform']}; load tool: {t['home']['tool']}; "
          f"server CPUs: {t['server_cpus']}\n")
    widths = [max(len(row[i]) for row in rows + [("Measure", "Value", "Target", "Result")])
              for i in range(4)]
    line = "  ".join("{:<%d}" % w_ for w_ in widths)
    print(line.format("Measure", "Value", "Target", "Result"))
    print(line.format(*("-" * w_ for w_ in widths)))
    for row in rows:
        print(line.format(*row))
    failed = [row[0].strip() for row in rows if row[3] == "FAIL"]
    print(f"\n{'FAIL: ' + ', '.join(failed) if failed else 'PASS'} (load average {load_average()})")
    return not failed


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk not found (Debian: apt-get install wrk): using the slower Python load "
              "generator; its requests/s are a lower bound.", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="cpweb-bench-") as tmp:
        env = os.environ | {"CPWEB_INSTANCE": str(Path(tmp) / "instance"), "PYTHONDONTWRITEBYTECODE": ""}
        env.pop("PYTHONDONTWRITEBYTECODE")
        log = Path(tmp) / "gunicorn.log"
        load_before = load_average()
        try:
            print("Preparing an instance with demo data …", file=sys.stderr)
            password = prepare_instance(env)
            print(f"Start-up: {STARTUP_RUNS} fresh processes …", file=sys.stderr)
            startup = measure_startup(env)
            print(f"Memory: {RSS_REQUESTS} requests to one worker …", file=sys.stderr)
            rss, weight = measure_rss(env, password, log)
            print(f"Throughput: home and hello, {LOAD_SECONDS} s each …", file=sys.stderr)
            throughput = measure_throughput(env, log)
            print(f"Feed: 1,000 meetings added, then {STARTUP_RUNS} new processes …", file=sys.stderr)
            feed = measure_feed(env)
        finally:
            stop_all()
    results = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"nproc": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "startup": startup, "rss": rss, "throughput": throughput, "page_weight": weight, "feed": feed,
        "load_before": load_before,
    }
    passed = report(results)
    RESULTS.mkdir(exist_ok=True)
    stamp = results["when"].replace(":", "").replace("+0000", "Z")
    for name in (f"bench-{stamp}.json", "latest.json"):
        (RESULTS / name).write_text(json.dumps(results, indent=2, default=str))
    print(f"\nJSON: {RESULTS / 'latest.json'}")
    return 0 if passed else 1


if __name__ == "__main__":
    # SIGTERM (e.g. from a CI timeout) runs the finally blocks that stop the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(main())
