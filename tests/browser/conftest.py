"""Browser tests: Debian's Chromium through Playwright, against a real server with the demo data.

Without Chromium these tests skip with a reason; with CPWEB_REQUIRE_BROWSER=1 (set by .ci/run)
a skipped browser test counts as failed, so CI cannot pass without having run them.
"""
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest
from werkzeug.serving import make_server

from tests.conftest import database_url

CHROMIUM = Path(os.environ.get("CPWEB_CHROMIUM", "/usr/bin/chromium"))
REQUIRE_BROWSER = os.environ.get("CPWEB_REQUIRE_BROWSER") == "1"
BROWSER_DIR = Path(__file__).resolve().parent
NO_CHROMIUM = (f"Chromium not found at {CHROMIUM} (install Debian's chromium, or set CPWEB_CHROMIUM); "
               "CI runs .ci/run, which installs it")

# The closed network here refuses outside connections; these flags keep Chromium from trying.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# Accounts of the demo data (cpweb/demo.py), by the role the tests need.
EMAILS = {"lid": "lid@example.org", "secretaris": "secretaris@example.org",
          "beheerder": "beheerder@example.org"}


def _in_browser_dir(path) -> bool:
    return BROWSER_DIR in Path(str(path)).resolve().parents or Path(str(path)).resolve() == BROWSER_DIR


# --- skipping, and refusing to skip in CI -------------------------------------------------------

def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    for item in items:
        if _in_browser_dir(item.path):
            item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_BROWSER and report.skipped and _in_browser_dir(item.path):
        report.outcome = "failed"
        report.longrepr = f"CPWEB_REQUIRE_BROWSER=1 but this browser test was skipped: {_skip_reason(report)}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """A whole browser module skipped at import (e.g. pytest.importorskip) fails as well."""
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_BROWSER and report.skipped and _in_browser_dir(collector.path):
        report.outcome = "failed"
        report.longrepr = f"CPWEB_REQUIRE_BROWSER=1 but browser tests were skipped: {_skip_reason(report)}"


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    return longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)


# --- Chromium -----------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright takes a custom browser binary only through this fixture."""
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


# --- the server ---------------------------------------------------------------------------------

@dataclass
class LiveServer:
    url: str
    password: str  # of every demo account
    app: object
    app_key: str = ""  # the demo's authenticator app key (cpweb.demo), for those that need the second step
    _server: object = field(repr=False, default=None)

    def stop(self):
        from cpweb.core.extensions import db

        self._server.shutdown()
        with self.app.app_context():
            db.engine.dispose()


def start_live_server(instance: Path, **config) -> LiveServer:
    """The real app on a free port: migrations, demo data, production settings where they matter
    (the second factor too). With port=..., on that port (for SITE_URL to name it)."""
    from flask_migrate import upgrade

    from cpweb import create_app, init_migrations
    from cpweb.demo import load_demo

    previous = os.environ.get("CPWEB_INSTANCE")
    os.environ["CPWEB_INSTANCE"] = str(instance)
    try:
        port = config.pop("port", 0)
        app = create_app({
            "MAIL_BACKEND": "memory",
            # Hashing speed changes nothing a browser sees; production uses scrypt.
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
            "SQLALCHEMY_DATABASE_URI": database_url(instance),
            **config,
        })
    finally:
        if previous is None:
            os.environ.pop("CPWEB_INSTANCE", None)
        else:
            os.environ["CPWEB_INSTANCE"] = previous
    init_migrations(app)
    with app.app_context():
        upgrade()  # the real migrations, as `cpweb init` runs them
        load_demo()
    password = (instance / "demo-login.txt").read_text().strip()
    app_key = (instance / "demo-app-key.txt").read_text().strip()
    server = make_server("127.0.0.1", port, whole_responses(app), threaded=True)
    threading.Thread(target=server.serve_forever, name="cpweb-live-server", daemon=True).start()
    return LiveServer(url=f"http://127.0.0.1:{server.server_port}", password=password, app=app, app_key=app_key,
                      _server=server)


def whole_responses(app):
    """The app, answering with its body already read and its response closed.

    Werkzeug's development server closes a response only after draining the request's socket; when
    the browser has already dropped the connection (it often does for a favicon), draining raises
    first and the static file stays open until the garbage collector warns about it in some later
    test. Pages here are small, so reading each body whole costs nothing."""
    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()
    return wsgi


def demo_url(server: LiveServer, entry) -> str:
    """The address on this server of an entry of tests/pages.py (a path, or a function that finds
    a demo row by its state)."""
    from tests.pages import resolve

    with server.app.app_context():
        return server.url + resolve(entry)


def next_meeting(server: LiveServer, **filters) -> tuple[int, list[str]]:
    """(id, agenda item titles) of the first planned meeting ahead in the server's data whose columns
    match `filters` (e.g. visibility="public"): tests find demo meetings by their state, since the
    demo is built around the day it is loaded."""
    from cpweb.core.database import utcnow
    from cpweb.core.extensions import db
    from cpweb.meetings import rules
    from cpweb.meetings.models import Meeting

    with server.app.app_context():
        meeting = db.session.scalars(db.select(Meeting).filter_by(status=rules.PLANNED, **filters)
                                     .filter(Meeting.starts_at > utcnow()).order_by(Meeting.starts_at)).first()
        assert meeting is not None, f"the demo has no planned meeting ahead with {filters}"
        return meeting.id, [item.title for item in meeting.items]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """One server for the whole browser session.

    The conventions ask for no shared state between tests; this is the exception. Browser tests
    only read the demo data and log in (no test changes what another one sees), and starting
    a server with migrations and demo data per test would make the suite several times slower.
    A test that must change data should make its own server with start_live_server().
    """
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    server = start_live_server(tmp_path_factory.mktemp("live-instance"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative URLs (page.goto("/beheer/")) go to the live server.

    This also replaces pytest-playwright's fallback base_url, a fixture defined on a plugin
    instance, which pytest 9 warns about (and our filterwarnings=error turns into an error).
    """
    return live_server.url


@pytest.fixture
def login(live_server):
    """login(page, email=...): log in through the real form, as a person would."""

    def do_login(page, email="beheerder@example.org"):
        return _login_form(page, live_server, email)

    return do_login


def _login_form(page, live_server, email, second_step=True):
    """Log in as a person would: the password, then the code from the app where the site asks for
    it (unless second_step is False: then the page stays halfway, on the code page)."""
    page.goto(f"{live_server.url}/inloggen")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", live_server.password)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen", exact=True).click()
    assert urlsplit(page.url).path != "/inloggen", f"login as {email} failed"
    if second_step and urlsplit(page.url).path == "/inloggen/code":
        page.fill("input[name=code]", demo_code(live_server, email))
        with page.expect_navigation():
            page.get_by_role("button", name="Inloggen", exact=True).click()
        assert urlsplit(page.url).path != "/inloggen/code", f"the second step as {email} failed"
    return page


_last_steps: dict[tuple[str, str], int] = {}


def demo_code(live_server, email) -> str:
    """A code from the demo's app key that this account has not used yet.

    The site takes each code once, with one step (30 s) of slack either way: a login uses the
    oldest step still open, so up to three logins of one account fit in one step; a fourth waits.
    The step before is used only early in a step: on a loaded machine the code may reach the site
    a few seconds later, when that step has closed.
    """
    totp = pyotp.TOTP(live_server.app_key)
    key = (live_server.url, email)
    while True:
        moment = time.time()
        now = totp.timecode(moment)
        early = moment % totp.interval < totp.interval - 10
        for step in ((now - 1, now, now + 1) if early else (now, now + 1)):
            if step > _last_steps.get(key, -1):
                _last_steps[key] = step
                return totp.generate_otp(step)
        time.sleep(1)


# --- every page is watched: console errors, CSP violations, other hosts --------------------------

class Watcher:
    """Collects what must never happen on a page: console errors (CSP violations are reported
    there), uncaught exceptions, requests to another host and failing resources, also those the
    browser asks for by itself (the icon), which only the console reports."""

    def __init__(self, origin: str):
        self.origin = origin
        self.problems: list[str] = []
        self._watched = []
        self._failed_loads: list[str] = []  # URLs the console says failed to load
        self._answered: set[str] = set()  # URLs of responses with an error status seen on the network

    def watch(self, target):
        """Watch a browser context (all its pages) or a single page."""
        errors = "weberror" if hasattr(target, "new_page") else "pageerror"
        handlers = {"console": self._console, errors: self._error,
                    "request": self._request, "response": self._response}
        for event, handler in handlers.items():
            target.on(event, handler)
        self._watched.append((target, handlers))
        return target

    def unwatch(self):
        for target, handlers in self._watched:
            for event, handler in handlers.items():
                target.remove_listener(event, handler)
        self._watched.clear()

    def _error(self, error):
        self.problems.append(f"uncaught error: {getattr(error, 'error', error)}")

    def _console(self, message):
        if message.type != "error":
            return
        # A page or htmx request answered with 404 or 422 on purpose logs this too; which URLs were
        # such answers is known once the network events are in, at check().
        if message.text.startswith("Failed to load resource: the server responded with a status"):
            self._failed_loads.append(message.location.get("url", ""))
            return
        self.problems.append(f"console error: {message.text}")

    def _request(self, request):
        scheme = urlsplit(request.url).scheme
        if scheme in ("data", "blob", "about"):
            return
        if not request.url.startswith(self.origin + "/"):
            self.problems.append(f"request to another host: {request.url}")

    def _response(self, response):
        if response.status < 400:
            return
        self._answered.add(response.url)
        if response.request.resource_type not in ("document", "xhr", "fetch"):
            self.problems.append(f"resource failed: {response.status} {response.url}")

    def check(self):
        self.problems += [f"resource failed (seen in the console): {url}"
                          for url in self._failed_loads if url not in self._answered]
        self._failed_loads.clear()
        assert not self.problems, "Problems on the page:\n" + "\n".join(self.problems)


@pytest.fixture
def watcher(live_server):
    return Watcher(live_server.url)


@pytest.fixture
def context(context, watcher):
    """pytest-playwright's context, watched; the test fails on any problem seen."""
    watcher.watch(context)
    yield context
    watcher.check()


@pytest.fixture
def new_context(browser, browser_context_args, watcher):
    """new_context(**options): another watched context, e.g. with JavaScript off."""
    made = []

    def make(**options):
        made.append(watcher.watch(browser.new_context(**{**browser_context_args, **options})))
        return made[-1]

    yield make
    for context in made:
        context.close()
    watcher.check()


@pytest.fixture(scope="module")
def role_pages(browser, browser_context_args, live_server):
    """role_pages(role): one page per role, logged in once, shared by a module's tests.

    For tests that only look at pages (the axe audit of every page): a fresh context, page
    and login per audited page would make the suite about twice as slow.
    """
    from tests.pages import ACCOUNTS, HALFWAY

    pages = {}

    def get(role):
        if role not in pages:
            page = browser.new_context(**browser_context_args).new_page()
            if ACCOUNTS[role]:
                _login_form(page, live_server, ACCOUNTS[role], second_step=role != HALFWAY)
            pages[role] = page
        return pages[role]

    yield get
    for page in pages.values():
        page.context.close()


@pytest.fixture
def role_page(role_pages, watcher):
    """role_page(role): that role's shared page, watched during this test (viewport reset after)."""
    viewports = {}  # page -> its size before this test

    def get(role):
        page = role_pages(role)
        if page not in viewports:
            viewports[watcher.watch(page)] = page.viewport_size
        return page

    yield get
    watcher.unwatch()
    for page, size in viewports.items():
        page.set_viewport_size(size)
    watcher.check()
