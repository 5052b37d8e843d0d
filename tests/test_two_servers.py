"""Two app servers, one site: two gunicorn processes (A and B) on one PostgreSQL database and one S3
store, behind nginx as deploy/nginx.conf sets it up, with an upstream of both.

Each step does something on one server and looks on the other, directly and through nginx, with
requests as a browser sends them (the session cookie, the CSRF token from the form). It runs in
the PostgreSQL pass of `make test` and skips where there is no PostgreSQL or no nginx; with
CPWEB_REQUIRE_TWO_SERVERS=1 (set by .ci/run) it fails instead of skipping, so CI cannot pass
without having run it.
"""
import hashlib
import os
import re
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import time as clock
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from flask import Flask
from sqlalchemy import func, select

from cpweb.auth.models import User
from cpweb.bodies.models import Body, Membership
from cpweb.core.audit import AuditEntry, record
from cpweb.core.database import utcnow
from cpweb.core.extensions import db
from cpweb.core.i18n import local_today
from cpweb.core.jobs import JobRun, cron_jobs, period_key
from cpweb.documents import storage
from cpweb.mail.models import OutboxMail
from cpweb.meetings import logic as meeting_logic
from cpweb.meetings import rules as meeting_rules
from tests.conftest import POSTGRES_BASE, _app_outside_a_test, _drop_databases, _free_port, s3_config
from tests.test_mail import SmtpServer

# Under pytest-xdist each process that runs some of the steps starts a site of its own (xdist's
# loadgroup cannot keep them together: it renames tests through a node id pytest 9 no longer lets
# it change).
pytestmark = pytest.mark.only_on("postgresql")

ROOT = Path(__file__).resolve().parents[1]
NGINX = Path(os.environ.get("CPWEB_NGINX", "/usr/sbin/nginx"))
REQUIRED = os.environ.get("CPWEB_REQUIRE_TWO_SERVERS") == "1"
PASSWORD = "lang-genoeg-wachtwoord"
GUEST_PAGE_SECONDS = 2
SECRET_KEY = uuid.uuid4().hex


def cannot_run(reason: str):
    """Skip, or in CI (CPWEB_REQUIRE_TWO_SERVERS=1) fail: a skipped test there proves nothing."""
    if REQUIRED:
        pytest.fail(f"CPWEB_REQUIRE_TWO_SERVERS=1 but {reason}")
    pytest.skip(reason)


# --- a browser: cookies, and forms sent with what they hold ---------------------------------------

class _Forms(HTMLParser):
    """Each form of a page: its action and the fields a browser would send if nothing were changed."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict]] = []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action") or "", {}))
        elif not self.forms or "disabled" in attrs or (tag != "option" and "name" not in attrs):
            return
        fields = self.forms[-1][1]
        if tag == "input" and attrs.get("type") not in ("submit", "button", "file", "image", "reset"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and (self._select not in fields or "selected" in attrs):
            fields[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1][1][self._textarea] += data.removeprefix("\r\n").removeprefix("\n")


def _errors(page: str) -> list[str]:
    """The error messages a page shows (the error summary's links and the fields' own)."""
    return [" ".join(re.sub(r"<[^>]+>", " ", error).split())
            for _, error in re.findall(r'<(p|div) class="error-[^"]*"[^>]*>(.*?)</\1>', page, re.S)]


class Browser:
    """One visitor: a cookie jar shared by every server it talks to (they are one site, one host)."""

    def __init__(self, site: "Site"):
        self.site = site
        self.http = requests.Session()

    def get(self, server: str, path: str, **kwargs) -> requests.Response:
        response = self.http.get(self.site.servers[server] + path, timeout=20, **kwargs)
        assert response.status_code == 200, f"GET {path} on {server}: {response.status_code}{self._why(response)}"
        return response

    def form(self, server: str, path: str, action: str | None = None) -> tuple[str, dict]:
        """Open the page and take its form (the one sent to `action`, else to the page itself): where it
        goes, and the fields with their token and values as the page has them."""
        parser = _Forms()
        parser.feed(self.get(server, path).text)
        target = urljoin(path, action or path)
        fields = next((fields for form_action, fields in parser.forms if urljoin(path, form_action) == target), None)
        assert fields is not None, f"no form for {target} on {path}: {[a for a, _ in parser.forms]}"
        assert fields.get("csrf_token"), f"the form on {path} has no CSRF token"
        return target, fields

    def send(self, server: str, target: str, fields: dict, files=None, status: int = 200) -> requests.Response:
        response = self.http.post(self.site.servers[server] + target, data=fields, files=files, timeout=30)
        assert response.status_code == status, (f"POST {target} on {server}: {response.status_code} "
                                                f"{_errors(response.text)}{self._why(response)}")
        return response

    def _why(self, response: requests.Response) -> str:
        return log_tail(self.site.logs) if response.status_code >= 500 else ""

    def submit(self, server: str, path: str, action: str | None = None, files=None, send_to: str | None = None,
               **values) -> requests.Response:
        """The form on this page with these values, sent to `send_to` (by default the same server)."""
        target, fields = self.form(server, path, action)
        return self.send(send_to or server, target, {**fields, **values}, files)

    def log_in(self, server: str, email: str) -> None:
        after = self.submit(server, "/inloggen", email=email, password=PASSWORD)
        assert "Uitloggen" in after.text, after.text[:2000]

    def close(self):
        self.http.close()


# --- the site: PostgreSQL, S3, two gunicorns, nginx ------------------------------------------------

@dataclass
class People:
    admin: str
    secretary: str
    members: list[str]
    body_id: int
    body_name: str
    cancel_meeting_id: int


@dataclass
class Site:
    servers: dict[str, str]  # "A", "B" and "nginx": their base URL
    environments: dict[str, dict]  # the environment of A and B, for `cpweb cron`
    app: Flask  # this process's view of the same database
    people: People
    smtp: SmtpServer
    logs: Path  # the servers' logs are in here


def _fill(app) -> People:
    """The rows the steps need: a body with a secretary and members, an admin, a meeting next week
    (to cancel) and one tomorrow (its reminder is due), and an audit entry old enough to purge."""
    with app.app_context():
        body = Body(slug="raad-noord", name="Cliëntenraad Noord", kind="clientenraad")
        db.session.add(body)

        def person(email, role):
            user = User(role=role, email=email, name=email.split("@")[0].title())
            user.set_password(PASSWORD)
            user.memberships = [Membership(body=body)] if role != "beheerder" else []
            db.session.add(user)
            return user

        admin = person("beheer@example.org", "beheerder")
        person("secretaris@example.org", "secretaris")
        members = [person(f"lid{n}@example.org", "lid") for n in (1, 2)]
        db.session.flush()
        fields = {"title": "Vergadering", "kind": meeting_rules.REGULAR, "location": "Werkplein", "online_url": "",
                  "visibility": meeting_rules.MEMBERS, "start": clock(19, 30), "end": clock(21, 0)}
        published = utcnow() - timedelta(hours=1)
        to_cancel = meeting_logic.create_meetings(body.id, [local_today() + timedelta(days=7)], dict(fields),
                                                  publish_at=published)[0]
        meeting_logic.create_meetings(body.id, [local_today() + timedelta(days=1)], dict(fields), publish_at=published)
        old = record("role_changed", subject=admin, actor=admin)
        db.session.flush()
        old.at = utcnow() - timedelta(days=800)
        db.session.commit()
        return People(admin=admin.email, secretary="secretaris@example.org", members=[m.email for m in members],
                      body_id=body.id, body_name=body.name, cancel_meeting_id=to_cancel.id)


def _nginx_conf(prefix: Path, port: int, upstreams: list[int]) -> str:
    """deploy/nginx.conf's map and site server as they are, but on plain http on a free port, with
    an upstream of both servers (and a header saying which answered) and this checkout's static."""
    shipped = (ROOT / "deploy" / "nginx.conf").read_text()
    static_map = re.search(r"^map \$arg_v .*?^}\n", shipped, re.S | re.M).group(0)
    site = shipped[shipped.rindex("\nserver {"):]

    def replace(old, new):
        nonlocal site
        assert site.count(old) == 1, f"deploy/nginx.conf changed: {old!r} is not in its site server once"
        site = site.replace(old, new)

    site = re.sub(r"^\s*(listen|ssl_\w+|http2) [^\n]*\n", "", site, flags=re.M)  # TLS is not what is tested
    replace("server {", f"server {{\n    listen 127.0.0.1:{port};\n    add_header X-Upstream $upstream_addr always;")
    replace("proxy_pass http://127.0.0.1:8000;", "proxy_pass http://cpweb;")
    replace("alias /srv/cpweb/static/;", f"alias {ROOT / 'static'}/;")
    temp = "\n".join(f"    {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                             "scgi"))
    servers = "".join(f"        server 127.0.0.1:{upstream};\n" for upstream in upstreams)
    # Started by root (CI), nginx runs its workers as nobody, who may not enter the test's folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (f"{user}worker_processes 1;\nerror_log {prefix / 'nginx.log'} warn;\npid {prefix / 'nginx.pid'};\n"
            f"events {{ worker_connections 128; }}\n"
            f"http {{\n    include /etc/nginx/mime.types;\n    access_log off;\n{temp}\n"
            f"    upstream cpweb {{\n{servers}    }}\n{static_map}{site}}}\n")


def log_tail(folder: Path) -> str:
    """The end of each server's log (gunicorn's with the app's, nginx's): why a step failed."""
    return "".join(f"\n--- {log.name}\n{log.read_text(errors='replace')[-2000:]}"
                   for log in sorted(folder.rglob("*.log")))


def _wait_for(url: str, process: subprocess.Popen, what: str, logs: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            pytest.fail(f"{what} stopped:{log_tail(logs)}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not answer at {url}")
        time.sleep(0.1)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def site(tmp_path_factory, schema_template, s3_server):
    if not POSTGRES_BASE.startswith("postgresql"):
        cannot_run("there is no PostgreSQL: set CPWEB_TEST_POSTGRES_URL (a database whose name ends in 'test')")
    if not os.access(NGINX, os.X_OK):
        cannot_run(f"nginx is not at {NGINX} (install Debian's nginx, or set CPWEB_NGINX); .ci/run installs it")
    home = tmp_path_factory.mktemp("two-servers")
    own: list[str] = []  # the site's database, dropped at the end
    database = schema_template.copy(home, own)
    app = _app_outside_a_test(home / "test", SQLALCHEMY_DATABASE_URI=database)
    people = _fill(app)
    smtp = SmtpServer()
    smtp.start()
    ports = {"A": _free_port(), "B": _free_port(), "nginx": _free_port()}
    servers = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    shared = {"CPWEB_DATABASE_URL": database, "CPWEB_SECRET_KEY": SECRET_KEY, "CPWEB_SITE_URL": servers["nginx"],
              **{f"CPWEB_{name}": value for name, value in s3_config(s3_server).items()},
              "CPWEB_TRUSTED_PROXIES": "1", "CPWEB_GUEST_PAGE_SECONDS": str(GUEST_PAGE_SECONDS),
              "CPWEB_TWO_FACTOR_ROLES": "[]", "CPWEB_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
              "CPWEB_MAIL_BACKEND": "smtp", "CPWEB_MAIL_SERVER": "127.0.0.1", "CPWEB_MAIL_PORT": str(smtp.port),
              "CPWEB_MAIL_USE_TLS": "false", "CPWEB_WORKERS": "1"}
    # Each server its own instance folder: nothing on one server's disk is on the other's.
    environments = {name: {**os.environ, **shared, "CPWEB_INSTANCE": str(home / name)} for name in ("A", "B")}
    processes = []
    try:
        for name in ("A", "B"):
            with open(home / f"gunicorn-{name}.log", "wb") as log:
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--bind",
                     f"127.0.0.1:{ports[name]}", "app:app"], cwd=ROOT, env=environments[name], stdout=log,
                    stderr=subprocess.STDOUT))
        nginx_home = home / "nginx"
        nginx_home.mkdir()
        (nginx_home / "nginx.conf").write_text(_nginx_conf(nginx_home, ports["nginx"], [ports["A"], ports["B"]]))
        with open(home / "nginx-stderr.log", "wb") as log:
            processes.append(subprocess.Popen([str(NGINX), "-p", str(nginx_home), "-c", str(nginx_home / "nginx.conf"),
                                               "-e", str(nginx_home / "nginx.log"), "-g", "daemon off;"],
                                              stdout=log, stderr=subprocess.STDOUT))
        for name, process in zip(("A", "B", "nginx"), processes):
            _wait_for(servers[name] + "/healthz", process, name, home)
        yield Site(servers, environments, app, people, smtp, home)
    finally:
        for process in processes:
            _stop(process)
        smtp.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        _drop_databases(own)


@pytest.fixture
def visitor(site):
    opened = Browser(site)
    yield opened
    opened.close()


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate and its key, for nginx to load."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "raad.example.nl")])
    now = utcnow()
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now)
                   .not_valid_after(now + timedelta(days=1)).sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


def test_the_shipped_nginx_conf_is_accepted_by_debians_nginx(tmp_path):
    """The whole of deploy/nginx.conf, TLS and all, with a certificate of the test's own."""
    if not os.access(NGINX, os.X_OK):
        cannot_run(f"nginx is not at {NGINX} (install Debian's nginx, or set CPWEB_NGINX); .ci/run installs it")
    certificate, key = _self_signed(tmp_path)
    site = ((ROOT / "deploy" / "nginx.conf").read_text()
            .replace("/etc/letsencrypt/live/raad.example.nl/fullchain.pem", str(certificate))
            .replace("/etc/letsencrypt/live/raad.example.nl/privkey.pem", str(key)))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(f"pid {tmp_path / 'nginx.pid'};\nevents {{}}\nhttp {{\n"
                                         "    include /etc/nginx/mime.types;\n"
                                         f"    include {tmp_path / 'site.conf'};\n}}\n")
    checked = subprocess.run([str(NGINX), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                              "-e", str(tmp_path / "nginx.log")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


# --- the steps ------------------------------------------------------------------------------------

def test_logged_in_on_a_is_logged_in_on_b_and_through_nginx_on_both(site, visitor):
    visitor.log_in("A", site.people.secretary)
    assert "Uitloggen" in visitor.get("B", "/").text
    answered_by = set()
    for _ in range(4):
        response = visitor.get("nginx", "/")
        assert "Uitloggen" in response.text
        answered_by.add(response.headers["X-Upstream"])
    assert answered_by == {urlsplit(site.servers[name]).netloc for name in ("A", "B")}


def test_a_form_from_one_server_is_accepted_by_the_other(site, visitor):
    """The CSRF token is in the session cookie, signed with the shared SECRET_KEY."""
    visitor.log_in("A", site.people.members[0])
    logged_out = visitor.submit("A", "/", action="/uitloggen", send_to="B")
    assert "Uitloggen" not in logged_out.text
    assert "Uitloggen" not in visitor.get("A", "/").text


@pytest.mark.parametrize("upload_to", ["A", "nginx"])
def test_a_document_uploaded_on_one_server_is_downloaded_from_the_other_with_the_same_bytes(site, visitor, upload_to):
    """Through nginx too, which takes the whole upload in first (a temporary file of its own)."""
    content = f"Werkboek {uuid.uuid4()}\n".encode() + "Een regel tekst voor de raad.\n".encode() * 40_000
    visitor.log_in("A", site.people.secretary)
    shown = visitor.submit(upload_to, "/documenten/nieuw", title=f"Werkboek via {upload_to}", category="werkboek",
                           visibility="members", files={"file": ("werkboek.txt", content, "text/plain")})
    document = re.search(r"/documenten/(\d+)/download", shown.text).group(1)
    for server in ("A", "B", "nginx", "nginx"):
        downloaded = visitor.get(server, f"/documenten/{document}/download")
        assert hashlib.sha256(downloaded.content).hexdigest() == hashlib.sha256(content).hexdigest(), server
    on_disk = [path for environment in site.environments.values()
               for path in (Path(environment["CPWEB_INSTANCE"]) / "uploads").rglob("*") if path.is_file()]
    assert not on_disk, "files on a server's own disk"


def test_a_file_kept_with_a_form_that_had_a_mistake_on_a_is_still_there_when_b_gets_it_right(site, visitor):
    content = f"Werkboek {uuid.uuid4()}\n".encode()
    visitor.log_in("A", site.people.secretary)
    target, fields = visitor.form("A", "/documenten/nieuw")
    refused = visitor.send("A", target, {**fields, "title": "", "category": "werkboek", "visibility": "members"},
                           files={"file": ("werkboek.txt", content, "text/plain")}, status=422)
    parser = _Forms()
    parser.feed(refused.text)
    again = next(fields for action, fields in parser.forms if urljoin(target, action) == target)
    assert again["kept"], "the file is not kept with the form"
    shown = visitor.send("B", target, {**again, "title": "Werkboek na een fout"})
    document = re.search(r"/documenten/(\d+)/download", shown.text).group(1)
    assert visitor.get("A", f"/documenten/{document}/download").content == content


def test_a_meeting_cancelled_on_a_is_cancelled_on_b(site, visitor):
    meeting = f"/vergaderingen/{site.people.cancel_meeting_id}"
    visitor.log_in("A", site.people.secretary)
    assert "Afgelast" not in visitor.get("B", meeting).text
    visitor.submit("A", f"{meeting}/afgelasten")
    assert "Afgelast" in visitor.get("B", meeting).text
    assert "Afgelast" in visitor.get("nginx", meeting).text


def test_a_kept_guest_page_is_at_most_guest_page_seconds_old_on_the_other_server(site, visitor):
    renamed = f"Cliëntenraad Noord {uuid.uuid4().hex[:6]}"
    visitor.log_in("A", site.people.admin)
    target, fields = visitor.form("A", f"/beheer/organen/{site.people.body_id}")
    guest = Browser(site)
    try:
        # B renders its guest home and keeps it, between these two moments.
        first_asked = time.monotonic()
        assert site.people.body_name in guest.get("B", "/").text
        first_answered = time.monotonic()
        visitor.send("A", target, {**fields, "name": renamed})
        asked = time.monotonic()
        page = guest.get("B", "/").text
        # Asked before the time was up, B answers from what it keeps: the bound below is B's own.
        assert renamed not in page or asked - first_asked > GUEST_PAGE_SECONDS, "B did not keep its guest home"
        while renamed not in page:
            assert asked - first_answered <= GUEST_PAGE_SECONDS, "B showed the old name for longer"
            time.sleep(0.1)
            asked = time.monotonic()
            page = guest.get("B", "/").text
        assert all(renamed in guest.get("nginx", "/").text for _ in range(2))
    finally:
        guest.close()


def test_each_cron_job_runs_once_when_both_servers_run_cron_at_the_same_minute(site):
    """Each server runs `cpweb cron` from its own instance folder (its own lock file), at once."""
    halfway = []  # what an upload killed halfway left on each server's own disk, two hours ago
    for environment in site.environments.values():
        part = Path(environment["CPWEB_INSTANCE"]) / "uploads" / "parts" / (storage.PART_PREFIX + "halfway")
        part.parent.mkdir(parents=True, exist_ok=True)
        part.write_bytes(b"half")
        os.utime(part, (time.time() - 7200, time.time() - 7200))
        halfway.append(part)
    started = utcnow()
    runs = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "cpweb", "cron"], cwd=ROOT,
                             env=site.environments[name], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for name in ("A", "B")]
    outputs = [run.communicate(timeout=60)[0] for run in runs]
    ended = utcnow()
    assert [run.returncode for run in runs] == [0, 0], outputs
    both = "".join("\n" + output for output in outputs)
    assert "cron draait al" not in both, "the servers share a lock: they are not two servers"
    assert not any(part.exists() for part in halfway), "each server sweeps its own disk"
    for daily in ("\naudit log: ", "\nsignals-digest ", "\nadvice-digest: "):  # what the daily jobs say
        assert both.count(daily) == 1, both
    assert "audit log: 1 verwijderd" in both
    assert both.count("send-reminders:") == 2, both  # every five minutes: each server's run looks

    with site.app.app_context():
        for job in cron_jobs():
            if job.every is None:
                continue
            keys = db.session.scalars(select(JobRun.key).filter_by(job=f"cron:{job.name}"[:40])).all()
            # Two periods only when the runs straddled the start of one (an hour's, for sweep-uploads).
            assert len(keys) == 1 or period_key(job.every, started) != period_key(job.every, ended), (job.name, keys)
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).filter(
            AuditEntry.at < utcnow() - timedelta(days=700))) == 0
        reminders = db.session.execute(select(OutboxMail.to_address, func.count()).filter(
            OutboxMail.subject.startswith("Herinnering")).group_by(OutboxMail.to_address)).all()
        to_remind = db.session.scalars(select(User.email).join(Membership).filter(
            Membership.body_id == site.people.body_id)).all()
        assert dict(reminders) == {address: 1 for address in to_remind}

        # Every mail of the site (the reminders, and the cancellation and login notices of the steps
        # before) reached the mail server exactly once, whichever process sent it.
        deadline = time.monotonic() + 20
        while db.session.scalar(select(func.count()).select_from(OutboxMail).filter(OutboxMail.status != "sent")):
            assert time.monotonic() < deadline, "mails still waiting"
            db.session.rollback()
            time.sleep(0.2)
        sent = sorted(db.session.scalars(select(OutboxMail.message_id)))
    received = sorted(message["Message-ID"] for message in site.smtp.received)
    assert received == sent
    assert len(set(received)) == len(received)
