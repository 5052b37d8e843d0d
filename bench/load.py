"""Load-and-fault benchmark (not a test): a mixed load on real gunicorn, one worker killed, and a ledger.

The site runs as deployed: gunicorn with 3 sync workers on the configured database (a temporary
SQLite instance; the PostgreSQL database in CPWEB_BENCH_POSTGRES_URL when set, emptied first, so its
name must contain "bench"), with the demo data and a council of its own (members, meetings,
activities and proposals enough for every write to be a new one), mailing to an SMTP server on
127.0.0.1 that keeps each arriving mail's Message-ID. For --seconds (60) member and visitor clients
read pages (home, agenda, a meeting, documents, search) and write as a browser does, each form
loaded first for its CSRF token: visitor signals and guest sign-ups (each visitor a new browser
from an address of its own), RSVPs, activity sign-ups, proposal answers and document uploads
(the sample documents when ../shared/sample-documents is there, each made unique). Each write the
site acknowledged (its redirect or its page) is noted with a value the benchmark chose. Halfway,
one gunicorn worker gets SIGKILL.

Afterwards the outbox is run as `cpweb cron` would run it once the crashed worker's claims have
expired, and the ledger is drawn up: every acknowledged write is in the database exactly once (an
unacknowledged one at most once), every acknowledged upload's file reads back through
cpweb.core.filestore with the sha256 that was sent, and every mail the outbox made arrived at the SMTP
server (more than once only when it was tried more than once: a resend after a crash mid-send
keeps its Message-ID). It prints requests/s, p50/p95 per kind, errors per 10-s window and the
ledger, and exits 1 when anything is lost or duplicated.

Run: `.venv/bin/python bench/load.py` (or `make bench-load`); `--seconds 10` for a quick run.
Servers listen on 127.0.0.1 only and are stopped at the end, also on error.
"""
import argparse
import hashlib
import os
import random
import re
import secrets
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import time as clock
from datetime import timedelta
from email.parser import BytesHeaderParser
from pathlib import Path
from urllib.parse import quote

from http_client import Client
from run import ROOT, children, free_port, prepare_instance, start_gunicorn, stop_all

WORKERS = 3  # as the run: one killed still leaves two serving
WINDOW = 10  # seconds per error window
MEMBERS = 4  # client threads logged in as a member each
VISITORS = 2  # client threads of guests, each visit a new browser
TARGETS = 150  # meetings, activities and proposals of the benchmark's council: a fresh one for each write
PASSWORD = "belasting-wachtwoord-lang-genoeg"
SAMPLES = ROOT.parent / "shared" / "sample-documents"
SEARCH_WORDS = ["cliëntenraad", "werkplein", "vergadering", "participatie", "advies"]
CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')
STARTED = re.compile(rb'name="started"[^>]*value="([^"]+)"')
MUNICIPALITY = re.compile(rb'<option value="(\d+)"')


# --- the mail server --------------------------------------------------------------------------

class MailServer:
    """Accepts every mail and keeps its Message-ID and envelope recipients."""

    def __init__(self):
        self.port = free_port()
        self.arrived: list[tuple[str, tuple[str, ...]]] = []
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        headers = BytesHeaderParser().parsebytes(envelope.content)
        self.arrived.append((headers["Message-ID"], tuple(envelope.rcpt_tos)))
        return "250 OK"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=True)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()


# --- the site -------------------------------------------------------------------------------------

@dataclass
class Site:
    members: list[str]
    meetings: list[int]
    activities: list[int]
    proposals: list[int]
    first_new_mail: int  # mails before this id were made while building (the demo's)


def build_site(members: int) -> Site:
    """A council of the benchmark's own on top of the demo: members, and enough coming meetings, public
    activities and open proposals that each RSVP, sign-up and answer is a new row."""
    from cpweb.activities.models import Activity
    from cpweb.auth.models import User
    from cpweb.bodies.models import Body, Membership
    from cpweb.core.database import utcnow
    from cpweb.core.extensions import db
    from cpweb.core.i18n import local_today
    from cpweb.mail.models import OutboxMail
    from cpweb.meetings import logic as meetings
    from cpweb.meetings import rules as meeting_rules
    from cpweb.proposals import rules as proposal_rules
    from cpweb.proposals.models import Proposal

    now, today = utcnow(), local_today()
    body = Body(slug="belasting", name="Cliëntenraad Belasting", kind="clientenraad")
    people = []
    for n in range(members):
        user = User(email=f"belasting{n}@example.org", name=f"Lid Belasting {n}", role="lid")
        user.set_password(PASSWORD)
        user.memberships = [Membership(body=body)]
        people.append(user)
    db.session.add_all([body, *people])
    db.session.flush()
    meeting_ids = [m.id for m in meetings.create_meetings(
        body.id, [today + timedelta(days=1 + n) for n in range(TARGETS)],
        {"title": "Vergadering", "kind": meeting_rules.REGULAR, "location": "Werkplein", "online_url": "",
         "visibility": meeting_rules.PUBLIC, "start": clock(19, 30), "end": clock(21, 0)},
        publish_at=now - timedelta(hours=1))]
    activities = [Activity(title=f"Bijeenkomst {n}", kind="overleg", organiser="lcr", scope="regionaal",
                           starts_at=now + timedelta(days=2 + n), ends_at=now + timedelta(days=2 + n, hours=2),
                           location="Werkplein", audience="everyone") for n in range(TARGETS)]
    proposals = [Proposal(body_id=body.id, title=f"Voorstel {n}", kind=proposal_rules.VOTE, text="Stemt u voor?",
                          closes_at=now + timedelta(days=10), created_at=now - timedelta(hours=1))
                 for n in range(TARGETS)]
    db.session.add_all(activities + proposals)
    db.session.commit()
    return Site([p.email for p in people], meeting_ids, [a.id for a in activities], [p.id for p in proposals],
                (db.session.scalar(db.select(db.func.max(OutboxMail.id))) or 0) + 1)


def sample_files() -> list[tuple[str, bytes]]:
    """(name, bytes) of the sample texts and PDFs, or of a generated text without them."""
    found = [(path.name, path.read_bytes()) for path in sorted(SAMPLES.glob("*.txt"))]
    found += [(path.name, path.read_bytes()) for path in sorted((SAMPLES / "formats").glob("*.pdf"))]
    return found or [("notitie.txt", "Een notitie van de cliëntenraad over het werkplein.\n".encode() * 40)]


def unique_copy(name: str, data: bytes, key: str) -> bytes:
    """The file with the key added, so no two uploads are the same file (the library refuses a
    double). A PDF reader ignores a comment line after %%EOF."""
    return data + (f"\n%{key}\n" if name.endswith(".pdf") else f"\n\nKenmerk: {key}\n").encode()


# --- the clients --------------------------------------------------------------------------------

@dataclass
class Write:
    kind: str
    key: str  # the value the benchmark chose, which finds the row
    sha256: str = ""  # of an upload's bytes
    mail_to: str = ""  # the address that gets a confirmation
    acknowledged: bool = False


@dataclass
class Record:
    """Everything the clients saw, shared between their threads."""

    seconds: float
    started: float = field(default_factory=time.perf_counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=Counter)
    answers: dict[tuple[str, str], int] = field(default_factory=Counter)  # (kind, status or error) of the errors
    windows: dict[int, int] = field(default_factory=Counter)  # errors per window
    window_requests: dict[int, int] = field(default_factory=Counter)
    requests: int = 0
    writes: list[Write] = field(default_factory=list)
    killed_at: float | None = None
    elapsed: float = 0.0

    def note(self, kind: str, began: float, ok: bool, answer: str) -> None:
        """A request's time, and its error in the window it ended in (a killed worker's at the kill)."""
        ended = time.perf_counter()
        # The requests still running at the end belong to the last window.
        window = int(min(ended - self.started, self.seconds - 0.001) // WINDOW)
        with self.lock:
            self.requests += 1
            self.times[kind].append((ended - began) * 1000)
            self.window_requests[window] += 1
            if not ok:
                self.errors[kind] += 1
                self.answers[(kind, answer)] += 1
                self.windows[window] += 1


class Browser(Client):
    """A client whose every request is timed and counted under a kind; a failure is an error, not an end."""

    def __init__(self, port: int, record: Record, address: str):
        super().__init__(port, {"X-Forwarded-For": address})
        self.record = record

    def call(self, kind: str, method: str, path: str, expect: tuple[int, ...] = (200,), **kwargs) -> bytes | None:
        """The page when its status was expected, else None (and an error counted)."""
        began = time.perf_counter()
        try:
            status, page = self.request(method, path, **kwargs)
        except OSError as error:
            status, page = type(error).__name__, b""
            self.conn.close()
        self.record.note(kind, began, status in expect, str(status))
        return page if status in expect else None

    def form(self, kind: str, path: str) -> tuple[dict, bytes] | None:
        """Load a form's page: its CSRF token (and the signal form's time token), and the page."""
        page = self.call(kind, "GET", path)
        token = page and CSRF.search(page)
        if not token:
            return None
        fields = {"csrf_token": token.group(1).decode()}
        if started := STARTED.search(page):
            fields["started"] = started.group(1).decode()
        return fields, page

    def write(self, write: Write, form_path: str, post_path: str, values, expect=(303,), files=None) -> None:
        """Load the form, send it with `values` (a dict, or made from the form's page), and note the
        write: acknowledged when the answer was the one expected."""
        loaded = self.form(f"{write.kind} form", form_path)
        if loaded is None:
            return
        fields, page = loaded
        values = values(page) if callable(values) else values
        write.acknowledged = self.call(write.kind, "POST", post_path, expect, form={**fields, **values},
                                       files=files) is not None
        with self.record.lock:
            self.record.writes.append(write)


def reads(browser: Browser, site: Site, rng: random.Random) -> None:
    kind, path = rng.choice([
        ("home", "/"), ("agenda", "/agenda"), ("meeting", f"/vergaderingen/{rng.choice(site.meetings)}"),
        ("documents", "/documenten"), ("search", f"/zoeken?q={quote(rng.choice(SEARCH_WORDS))}")])
    browser.call(kind, "GET", path)


def member(port: int, record: Record, site: Site, number: int, deadline: float, files) -> None:
    """One member: reads, and writes on meetings, activities and proposals not used before."""
    rng = random.Random(number)
    browser = Browser(port, record, f"198.51.100.{number + 1}")
    browser.login(site.members[number], PASSWORD)
    email = site.members[number]
    meetings, activities, proposals = (rng.sample(ids, len(ids)) for ids in (site.meetings, site.activities,
                                                                             site.proposals))
    while time.perf_counter() < deadline:
        action = rng.choices(["read", "rsvp", "signup", "answer", "upload"], [10, 2, 2, 2, 1])[0]
        key = f"L-{secrets.token_hex(4)}"
        if action == "rsvp" and meetings:
            meeting = meetings.pop()
            browser.write(Write("rsvp", key), f"/vergaderingen/{meeting}", f"/vergaderingen/{meeting}/aanwezigheid",
                          {"answer": rng.choice(["yes", "no"]), "message": key})
        elif action == "signup" and activities:
            activity = activities.pop()
            browser.write(Write("sign-up", f"{activity} {email}"), f"/activiteiten/{activity}",
                          f"/activiteiten/{activity}/aanmelden", {})
        elif action == "answer" and proposals:
            proposal = proposals.pop()
            browser.write(Write("answer", key), f"/voorstellen/{proposal}", f"/voorstellen/{proposal}/antwoord",
                          {"choice": rng.choice(["for", "against", "abstain"]), "remark": key})
        elif action == "upload":
            name, data = rng.choice(files)
            data = unique_copy(name, data, key)
            browser.write(Write("upload", key, sha256=hashlib.sha256(data).hexdigest()), "/documenten/nieuw",
                          "/documenten/nieuw", {"title": f"Stuk {key}", "category": "overig", "visibility": "members",
                                                "body": "", "description": "", "tags": "", "kept": ""},
                          files={"file": (name, data)})
        else:
            reads(browser, site, rng)


def visitor(port: int, record: Record, site: Site, number: int, deadline: float) -> None:
    """Guests: reads, signals and guest sign-ups; each visit a new browser from an address of its own."""
    rng = random.Random(100 + number)
    visit = 0
    while time.perf_counter() < deadline:
        visit += 1
        browser = Browser(port, record, f"10.{number}.{visit // 250}.{visit % 250 + 1}")
        action = rng.choices(["read", "signal", "guest"], [3, 2, 1])[0]
        key = f"L-{secrets.token_hex(4)}"
        address = f"{key.lower()}@example.org"
        if action == "signal":
            contact = rng.random() < 0.5  # then the visitor gets a confirmation too
            browser.write(Write("signal", key, mail_to=address if contact else ""), "/signaal", "/signaal",
                          lambda page, contact=contact: {
                              "category": "bereikbaarheid", "sentiment": "beter", "organisation_kind": "werkplein",
                              "municipality": MUNICIPALITY.search(page).group(1).decode(),
                              "description": f"Signaal {key}: de telefoon werd niet opgenomen.",
                              **({"contact_name": f"Bezoeker {key}", "contact_email": address, "consent": "y"}
                                 if contact else {})})
        elif action == "guest":
            activity = rng.choice(site.activities)
            browser.write(Write("guest sign-up", address, mail_to=address), f"/activiteiten/{activity}",
                          f"/activiteiten/{activity}/gast", {"name": f"Gast {key}", "email": address}, expect=(200,))
        else:
            reads(browser, site, rng)
        browser.close()


def busy_worker(master: int, patience: float = 2.0) -> int | None:
    """A worker that is running on a CPU now, so the kill hits a request; after `patience` seconds
    without one, any worker."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        for pid in children(master):
            try:
                if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "R":
                    return pid
            except OSError:
                pass
        time.sleep(0.005)
    return next(iter(children(master)), None)


def kill_one_worker(master: int, record: Record, at: float) -> None:
    time.sleep(max(0.0, at - time.perf_counter()))
    worker = busy_worker(master)
    if worker:
        os.kill(worker, signal.SIGKILL)
        record.killed_at = time.perf_counter() - record.started
        print(f"killed worker {worker} (SIGKILL) at {record.killed_at:.1f} s", flush=True)


def run_load(port: int, master: int, site: Site, seconds: float) -> Record:
    record = Record(seconds)
    deadline = record.started + seconds
    files = sample_files()
    threads = [threading.Thread(target=member, args=(port, record, site, n, deadline, files)) for n in range(MEMBERS)]
    threads += [threading.Thread(target=visitor, args=(port, record, site, n, deadline)) for n in range(VISITORS)]
    threads.append(threading.Thread(target=kill_one_worker, args=(master, record, record.started + seconds / 2)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    record.elapsed = time.perf_counter() - record.started
    return record


# --- the ledger -----------------------------------------------------------------------------------

def stored_counts(writes: list[Write], site: Site) -> dict:
    """What the database and the store hold of each write, and the outbox's mails; in this process."""
    from cpweb.activities.models import Signup
    from cpweb.auth.models import User
    from cpweb.core.extensions import db
    from cpweb.documents import storage
    from cpweb.documents.models import Document
    from cpweb.mail.models import OutboxMail
    from cpweb.meetings.models import Attendance
    from cpweb.proposals.models import ProposalAnswer
    from cpweb.signals.models import Signal

    def count(query) -> int:
        return db.session.scalar(db.select(db.func.count()).select_from(query.subquery()))

    finders = {
        "rsvp": lambda key: db.select(Attendance).filter_by(message=key),
        "sign-up": lambda key: db.select(Signup).join(User, Signup.user_id == User.id).filter(
            Signup.activity_id == int(key.split()[0]), User.email == key.split()[1], Signup.status != "withdrawn"),
        "answer": lambda key: db.select(ProposalAnswer).filter_by(remark=key),
        "upload": lambda key: db.select(Document).filter_by(title=f"Stuk {key}"),
        "signal": lambda key: db.select(Signal).filter(Signal.description.startswith(f"Signaal {key}:")),
        "guest sign-up": lambda key: db.select(Signup).filter_by(guest_email=key),
    }
    found = {(w.kind, w.key): count(finders[w.kind](w.key)) for w in writes}
    files = {}
    for w in writes:
        if w.kind == "upload" and found[(w.kind, w.key)] == 1:
            document = db.session.scalar(finders["upload"](w.key))
            try:
                files[w.key] = storage.sha256_of(storage.open_stored(document.current.stored_name))
            except FileNotFoundError:
                files[w.key] = None
    outbox = db.session.execute(db.select(OutboxMail.message_id, OutboxMail.status, OutboxMail.attempts)
                                .filter(OutboxMail.id >= site.first_new_mail)).all()
    return {"found": found, "files": files, "outbox": [tuple(row) for row in outbox]}


def ledger(writes: list[Write], found: dict, files: dict, outbox: list[tuple[str, str, int]],
           arrived: list[tuple[str, tuple[str, ...]]]) -> tuple[list[str], bool]:
    """(lines to print, True when nothing is lost or duplicated).

    found: (kind, key) -> rows found; files: upload key -> sha256 read back (None: missing);
    outbox: (Message-ID, status, attempts) of each mail made during the run; arrived: (Message-ID,
    recipients) of each mail the SMTP server took."""
    lines, good = [], True
    by_kind = defaultdict(list)
    for w in writes:
        by_kind[w.kind].append(w)
    for kind, group in sorted(by_kind.items()):
        acknowledged = [w for w in group if w.acknowledged]
        once = sum(1 for w in acknowledged if found[(kind, w.key)] == 1)
        lost = [w.key for w in acknowledged if found[(kind, w.key)] == 0]
        doubled = [w.key for w in group if found[(kind, w.key)] > 1]
        unacknowledged_kept = sum(1 for w in group if not w.acknowledged and found[(kind, w.key)] == 1)
        good = good and not lost and not doubled
        lines.append(f"{kind:14} acknowledged {len(acknowledged):4}, found once {once:4}, lost {len(lost)}, "
                     f"duplicated {len(doubled)}; not acknowledged {len(group) - len(acknowledged)} "
                     f"(of which stored {unacknowledged_kept})" + (f"  LOST {lost[:5]}" if lost else "")
                     + (f"  DOUBLE {doubled[:5]}" if doubled else ""))
    uploads = [w for w in writes if w.kind == "upload" and w.acknowledged and w.key in files]
    differ = [w.key for w in uploads if files[w.key] != w.sha256]
    good = good and not differ
    lines.append(f"uploads        {len(uploads) - len(differ)} of {len(uploads)} identical by sha256 through "
                 f"cpweb.core.filestore" + (f"  DIFFERENT OR MISSING {differ[:5]}" if differ else ""))
    times_arrived = Counter(message_id for message_id, _recipients in arrived)
    sent = [(m, attempts) for m, status, attempts in outbox if status == "sent"]
    once = [m for m, _attempts in sent if times_arrived[m] == 1]
    lost_mail = [m for m, _attempts in sent if times_arrived[m] == 0]
    resent = [m for m, attempts in sent if 1 < times_arrived[m] <= attempts]  # tried again after a crash
    doubled_mail = [m for m, attempts in sent if times_arrived[m] > max(attempts, 1)]
    unknown = set(times_arrived) - {m for m, _status, _attempts in outbox}
    not_sent = len(outbox) - len(sent)
    good = good and not (not_sent or lost_mail or doubled_mail or unknown)
    lines.append(f"mails          {len(outbox)} in the outbox, {len(sent)} sent: arrived once {len(once)}, "
                 f"resent after a crash mid-send (same Message-ID) {len(resent)}, lost {len(lost_mail)}, duplicated "
                 f"{len(doubled_mail)}; not sent {not_sent}; arrived but not in the outbox {len(unknown)}")
    confirmations = [w.mail_to for w in writes if w.mail_to and w.acknowledged]
    reached = {address for _m, recipients in arrived for address in recipients}
    unmailed = [address for address in confirmations if address not in reached]
    good = good and not unmailed
    lines.append(f"confirmations  {len(confirmations) - len(unmailed)} of {len(confirmations)} visitors (guest "
                 f"sign-ups, signals with an address) got their mail"
                 + (f"  MISSING {unmailed[:5]}" if unmailed else ""))
    return lines, good


def settle_outbox(claim_minutes: int, first_new_mail: int) -> str:
    """Send what still waits, as `cpweb cron` would once a crashed worker's claim has expired; says
    what it found."""
    from cpweb.core.database import utcnow
    from cpweb.core.extensions import db
    from cpweb.mail import send_waiting
    from cpweb.mail.models import OutboxMail

    left = Counter(db.session.scalars(db.select(OutboxMail.status).filter(OutboxMail.id >= first_new_mail)))
    db.session.commit()
    sent = send_waiting(now=utcnow() + timedelta(minutes=claim_minutes + 1), ignore_pause=True)
    return (f"outbox when the load stopped: {dict(left)}; `cpweb cron` {claim_minutes + 1} minutes later: "
            f"{dict(sent) or 'nothing to do'}")


# --- the report -----------------------------------------------------------------------------------

def report(record: Record) -> None:
    print(f"\n{record.requests} requests in {record.elapsed:.1f} s = {record.requests / record.elapsed:.1f} req/s "
          f"({MEMBERS} members, {VISITORS} visitor threads, {WORKERS} workers); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'kind':20} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for kind, times in sorted(record.times.items()):
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        print(f"{kind:20} {len(times):8} {statistics.median(times):8.0f} {p95:8.0f} {record.errors[kind]:7}")
    killed = int(record.killed_at // WINDOW) if record.killed_at is not None else None
    windows = ", ".join(f"{n * WINDOW}-{(n + 1) * WINDOW} s: {record.windows[n]} of {record.window_requests[n]}"
                        + (" (kill)" if n == killed else "")
                        for n in range(max(record.window_requests) + 1))
    print(f"errors per {WINDOW}-s window: {windows}")
    if record.answers:
        print("errors: " + ", ".join(f"{kind} {answer} x{n}" for (kind, answer), n in sorted(record.answers.items())))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    database_url = os.environ.get("CPWEB_BENCH_POSTGRES_URL")
    instance = Path(tempfile.mkdtemp(prefix="cpweb-bench-load-"))
    mail = MailServer()
    mail.start()
    env = {**os.environ, "CPWEB_INSTANCE": str(instance), "CPWEB_LOG_LEVEL": "WARNING", "CPWEB_TRUSTED_PROXIES": "1",
           "CPWEB_SIGNAL_MIN_FILL_SECONDS": "0", "CPWEB_MAIL_BACKEND": "smtp", "CPWEB_MAIL_SERVER": "127.0.0.1",
           "CPWEB_MAIL_PORT": str(mail.port), "CPWEB_MAIL_USE_TLS": "false"}
    env.pop("CPWEB_DATABASE_URL", None)
    if database_url:
        from postgres import empty_postgres

        empty_postgres(database_url)
        env["CPWEB_DATABASE_URL"] = database_url
    try:
        try:
            prepare_instance(env)
            os.environ.update(env)
            sys.path.insert(0, str(ROOT))
            from cpweb import create_app
            from cpweb.core.extensions import db

            app = create_app({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1"})  # logging in is not what is measured
            with app.app_context():
                site = build_site(MEMBERS)
            print(f"{'PostgreSQL' if database_url else 'SQLite'}, {args.seconds:.0f} s of load, instance {instance}; "
                  f"load average before {os.getloadavg()[0]:.1f}", flush=True)
            server, port = start_gunicorn("app:app", WORKERS, env, instance / "gunicorn.log", ROOT)
            record = run_load(port, server.pid, site, args.seconds)
        finally:
            stop_all()  # TERM: each worker finishes its requests and its mail thread first
        with app.app_context():
            settled = settle_outbox(app.config["MAIL_CLAIM_TIMEOUT_MINUTES"], site.first_new_mail)
            stored = stored_counts(record.writes, site)
            db.session.remove()
    finally:
        mail.stop()
    report(record)
    lines, good = ledger(record.writes, stored["found"], stored["files"], stored["outbox"], mail.arrived)
    print(f"\n{settled}\nledger:")
    print("\n".join(lines))
    print("PASS: nothing lost or duplicated" if good else "FAIL: something was lost or duplicated")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
