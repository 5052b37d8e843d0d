"""Following benchmark (not a test): 50 followed councils of 2,000 events each.

1. The refresh of all 50 from a real HTTP server on 127.0.0.1 (each feed about 400 KB of
   iCalendar) in a process of its own, as `cpweb cron` runs it: its wall time (target 240 s, well
   inside the 15 minutes a source stays claimed) and, while it runs, the p95 of the agenda with
   other councils' events in this process (target: at most twice the p95 before the refresh: the
   refresh must not block the site; on two cores it takes one of them).
2. A second run, when nothing changed: every source answers 304.

`fill` gives bench/scale.py the same 100,000 events without a server, for the agenda pages there.

Run: `.venv/bin/python bench/following.py` (or `make bench-following`).
"""
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pages import insert_rows, load, logged_in_app, p95
from run import ROOT

SOURCES = 50
EVENTS = 2_000
TARGET_REFRESH_SECONDS = 240
MAX_SLOWDOWN = 2.0
AGENDA = "/agenda?weergave=komend&andere=1"


def _events(n: int):
    start = datetime.now(UTC).replace(hour=18, minute=0, second=0, microsecond=0)
    for e in range(EVENTS):
        day = start + timedelta(days=e % 390 - 5, minutes=e % 7)
        yield f"bron{n}-{e}@bench", f"Bijeenkomst {e} van raad {n}", day, day + timedelta(hours=2)


def calendar_file(n: int) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//NL"]
    for uid, title, starts, ends in _events(n):
        lines += ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTART:{starts:%Y%m%dT%H%M%SZ}", f"DTEND:{ends:%Y%m%dT%H%M%SZ}",
                  f"SUMMARY:{title}", "LOCATION:Werkplein", "DESCRIPTION:Openbare bijeenkomst voor raadsleden.",
                  "END:VEVENT"]
    return ("\r\n".join(lines + ["END:VCALENDAR"]) + "\r\n").encode()


def fill(connection, tables) -> None:
    """50 followed sources with 2,000 events each, as a refresh leaves them."""
    now = datetime.now(UTC)
    sources = insert_rows(connection, tables["followed_sources"], [
        {"name": f"Raad {n}", "url": f"https://raad{n}.example/agenda.ics", "status": "active",
         "refresh_seconds": 6 * 3600, "next_check_at": now + timedelta(hours=6), "failures": 0, "last_error": "",
         "last_error_detail": "", "skipped": 0, "created_at": now} for n in range(SOURCES)], ids=True)
    for n, source_id in enumerate(sources):
        insert_rows(connection, tables["remote_events"], [
            {"source_id": source_id, "uid": uid, "recurrence": "", "title": title, "starts_at": starts,
             "ends_at": ends, "location": "Werkplein", "description": "", "url": "", "cancelled": False}
            for uid, title, starts, ends in _events(n)])


class Feeds(BaseHTTPRequestHandler):
    files: dict = {}

    def do_GET(self):  # noqa: N802 - the name http.server calls
        body = self.files.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("ETag", '"v1"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def agenda_times(client, stop: threading.Event, times: list) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        assert client.get(AGENDA).status_code == 200
        times.append((time.perf_counter() - started) * 1000)


def main() -> int:
    Feeds.files = {f"/raad{n}.ics": calendar_file(n) for n in range(SOURCES)}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Feeds)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{server.server_port}"
    _instance, app, client = logged_in_app("cpweb-bench-following-", "lid@example.org")
    app.config["FEDERATION_ALLOW_HOSTS"] = [host]
    from cpweb.core.extensions import db
    from cpweb.following import logic
    from cpweb.following.models import RemoteEvent

    with app.app_context():
        for n in range(SOURCES):
            logic.add_source(f"Raad {n}", f"http://{host}/raad{n}.ics")
    print(f"{SOURCES} sources of {EVENTS:,} events, {sum(map(len, Feeds.files.values())) / 1e6:.1f} MB of iCalendar")
    print(load() + " (before)")
    before = []
    agenda_times(client, _after(40), before)
    during, stop = [], threading.Event()
    reader = threading.Thread(target=agenda_times, args=(app.test_client(), stop, during))
    reader.start()
    started = time.perf_counter()
    refresh = subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "app", "cpweb", "bronnen", "verversen"],
                             cwd=ROOT, capture_output=True, text=True,
                             env={**os.environ, "CPWEB_FEDERATION_ALLOW_HOSTS": f'["{host}"]', "CPWEB_LOG_LEVEL": "WARNING"})
    refresh_seconds = time.perf_counter() - started
    stop.set()
    reader.join()
    outcome = refresh.stdout.strip() or refresh.stderr.strip()[-500:]
    with app.app_context():
        events = db.session.scalar(db.select(db.func.count()).select_from(RemoteEvent))
        for source in logic.sources():
            source.next_check_at = source.last_checked_at
        db.session.commit()
        started = time.perf_counter()
        again = logic.refresh_due()
        unchanged_seconds = time.perf_counter() - started
    print(load() + " (after)")
    slowdown = p95(during) / p95(before)
    ok = (outcome == f"bronnen: {SOURCES} ververst, 0 mislukt" and events == SOURCES * EVENTS
          and refresh_seconds <= TARGET_REFRESH_SECONDS and slowdown <= MAX_SLOWDOWN)
    print(f"refresh of all sources: {refresh_seconds:.1f} s ({outcome}, {events:,} events kept; "
          f"target {TARGET_REFRESH_SECONDS} s)")
    print(f"again, unchanged (304): {unchanged_seconds:.2f} s ({again})")
    print(f"agenda with other councils' events, p95: {p95(before):.1f} ms before, {p95(during):.1f} ms during the "
          f"refresh ({len(during)} requests): x{slowdown:.2f} (max x{MAX_SLOWDOWN}) -> {'PASS' if ok else 'FAIL'}")
    server.shutdown()
    return 0 if ok else 1


def _after(count: int) -> threading.Event:
    """An event that is set once `count` requests were timed: for agenda_times before the refresh."""
    class Counted(threading.Event):
        seen = 0

        def is_set(self) -> bool:
            self.seen += 1
            return self.seen > count

    return Counted()


if __name__ == "__main__":
    sys.exit(main())
