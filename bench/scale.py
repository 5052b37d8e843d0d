"""Scale benchmark (not a test): does a page cost the same at ten years of data as on the first day?

Two sites in this process: the demo, and the demo plus the large data sets of the meetings,
activities, advice and signals benchmarks (their `fill` builders: 1,000 meetings, 5,000
activities with 50,000 sign-ups, 2,000 dossiers, 100,000 signals) and of 50 followed councils
(100,000 events). Every page of tests/pages.py
that a member (lid) or a secretary visits is requested as that demo account on both sites, taking
turns so a busy machine slows both alike (logging out is left out: it would end the session).
Server time is measured in-process (Flask's test client), so the client's own time does not count.

Per page it prints p95 on each site, their ratio, the HTML size on the large site and the SQL
statements on each. A page passes when the ratio is at most 1.5 (at most 2 for the reports, which
count over the year's rows), its HTML at most 60 KB and its statements the same on both sites.

Run: `.venv/bin/python bench/scale.py` (or `make bench-scale`); `--requests N` per page and site
(default 60), `--only TEXT` for the pages whose path contains TEXT.
"""
import argparse
import shutil
import sys
import time
from dataclasses import dataclass, field

import activities
import advice
import documents
import following
import meetings
import signals
from pages import fill_database, load, logged_in_app, p95

REQUESTS = 60
WARM_UP = 3
MAX_RATIO = 1.5
MAX_REPORT_RATIO = 2.0
MAX_HTML_KB = 60
REPORTS = ("/jaarverslag/", "/signalen/overzicht", "/advies/overzicht")
ROLES = {"lid": "lid@example.org", "secretaris": "secretaris@example.org"}
LEFT_OUT = {"/uitloggen"}


@dataclass
class Site:
    """One instance: its app and a logged-in test client per role; statements counted per request."""

    instance: object
    app: object
    clients: dict
    statements: list = field(default_factory=list)

    def get(self, role: str, path: str):
        return self.clients[role].get(path)

    def count(self, role: str, path: str) -> int:
        self.statements.clear()
        self.get(role, path)
        return len(self.statements)


def build(label: str, *builders) -> Site:
    from sqlalchemy import event

    instance, app, lid = logged_in_app(f"cpweb-bench-scale-{label}-", ROLES["lid"])
    from cpweb.core.extensions import db

    secretary = app.test_client()
    password = (instance / "demo-login.txt").read_text().strip()
    secretary.post("/inloggen", data={"email": ROLES["secretaris"], "password": password})
    if builders:
        fill_database(app, *builders)
        # The builders insert rows as a table; the search's indexes are made from them as a site would.
        from cpweb.search.logic import reindex

        with app.app_context():
            reindex()
    site = Site(instance, app, {"lid": lid, "secretaris": secretary})
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: site.statements.append(1))
    return site


def visited_pages(app) -> list[tuple[str, str, int]]:
    """(role, path, expected status) for each page a member or a secretary visits in tests/pages.py,
    in its order. The status is known by the entry (a path, or the function that finds one)."""
    from tests import pages  # the project root is on sys.path once an app is built

    with app.app_context():
        found = [(role, pages.resolve(entry), pages.expected_status(role, entry))
                 for role in ROLES for entry in pages.PAGES[role]]
    return [page for page in found if page[1] not in LEFT_OUT]


def limit_of(path: str) -> float:
    return MAX_REPORT_RATIO if path.startswith(REPORTS) else MAX_RATIO


def timed(site: Site, role: str, path: str) -> float:
    started = time.perf_counter()
    site.get(role, path)
    return (time.perf_counter() - started) * 1000


def compare(role: str, path: str, expected: int, small: Site, large: Site, requests: int) -> tuple[bool, str]:
    """Time one page on both sites, taking turns (and who goes first); one line of the table."""
    for site in (small, large):
        status = site.get(role, path).status_code
        assert status == expected, (role, path, status, expected)
    html = large.get(role, path).data
    counts = small.count(role, path), large.count(role, path)
    for site in (small, large):
        for _ in range(WARM_UP):
            site.get(role, path)
    times = ([], [])
    for n in range(requests):
        pair = ((0, small), (1, large)) if n % 2 == 0 else ((1, large), (0, small))
        for index, site in pair:
            times[index].append(timed(site, role, path))
    ratio = p95(times[1]) / p95(times[0])
    limit = limit_of(path)
    passed = ratio <= limit and len(html) <= MAX_HTML_KB * 1024 and counts[0] == counts[1]
    line = (f"{role:10} {path[:46]:46} {p95(times[0]):7.1f} {p95(times[1]):7.1f} {ratio:5.2f} {limit:4.1f} "
            f"{len(html) / 1024:6.1f} {counts[0]:4d} {counts[1]:4d}  {'PASS' if passed else 'FAIL'}")
    return passed, line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    print("Building the demo site and the large site …", file=sys.stderr)
    small = build("demo")
    large = build("large", meetings.fill, activities.fill, advice.fill, signals.fill, following.fill)
    documents.fill(large.instance)  # 10,000 documents with their text, in the library's own index
    try:
        return run(small, large, args)
    finally:  # the large site's database is some 100 MB
        for site in (small, large):
            shutil.rmtree(site.instance, ignore_errors=True)


def run(small: Site, large: Site, args) -> int:
    pages = [page for page in visited_pages(small.app) if args.only in page[1]]
    print(f"large: demo + {meetings.BODIES * meetings.MEETINGS_PER_BODY:,} meetings, "
          f"{activities.ACTIVITIES:,} activities with {activities.SIGNUPS:,} sign-ups, "
          f"{advice.DOSSIERS:,} advice dossiers, {signals.REPORT_ROWS:,} signals, "
          f"{following.SOURCES * following.EVENTS:,} events of {following.SOURCES} followed councils, "
          f"{documents.DOCUMENTS:,} documents of {documents.TEXT_BYTES:,} characters")
    print(f"{len(pages)} pages, {args.requests} requests per page and site, alternating; server time in-process")
    print(f"{load()} (before)")
    print(f"{'role':10} {'page':46} {'p95 ms':>7} {'large':>7} {'ratio':>5} {'max':>4} {'KB':>6} {'SQL':>4} "
          f"{'large':>4}")
    results = []
    for role, path, expected in pages:
        passed, line = compare(role, path, expected, small, large, args.requests)
        results.append(passed)
        print(line, flush=True)
    print(f"{load()} (after)")
    print(f"{sum(results)} of {len(results)} pages pass (ratio <= {MAX_RATIO}, reports <= {MAX_REPORT_RATIO}; "
          f"HTML <= {MAX_HTML_KB} KB; the same SQL statements): {'PASS' if all(results) else 'FAIL'}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
