"""Fixtures: a fresh app on a temporary instance folder per test, and factories for its data.

Every test gets a database of its own. The `app` and `csrf_app` fixtures start with the tables and
the seed data already in it: the first test that asks builds them once in a template (with
create_all() and the seeders, so they follow the models of the code under test), and every test
gets a copy of that template: a file copy on SQLite, `CREATE DATABASE ... TEMPLATE` on PostgreSQL.
On PostgreSQL a test's copy is used again by a later test in the same process, emptied back to the
template's rows (a few ms, where making a database takes 0.15-0.2 s), unless the test changed more
than rows or left a connection open: then it is dropped, as before.
make_test_app() and database_url() still give an empty database, for tests that make the tables
themselves (migrations, restores).

The suite runs on SQLite. With CPWEB_DATABASE_URL naming a PostgreSQL database whose name ends in
"test", it runs there instead: each test app gets a database of its own beside that one
(as each gets its own SQLite file), and they are all dropped at the end.

With CPWEB_TEST_STORAGE=s3, every test app keeps its files in an S3 store (a bucket on the
`s3_server` below: CPWEB_TEST_S3_URL, or moto's standalone server started as a process of its own
and reached over HTTP), under a prefix of its own; `make test` runs its PostgreSQL pass that way.

Tests that only read may share one app per module (shared_test_app(), e.g. the page audits on the
demo data): it checks at the end that its data did not change.
"""
import functools
import importlib.util
import itertools
import os
import shutil
import socket
import subprocess
import sys
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from time import monotonic, sleep

import pytest
import time_machine
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, delete, event, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from werkzeug.routing import Rule

from cpweb import create_app
from cpweb.auth.models import LoginSession, User
from cpweb.bodies.models import Body, Membership
from cpweb.core.database import run_seeders
from cpweb.core.extensions import db, limiter
from cpweb.core.i18n import AMSTERDAM
from cpweb.mail import outbox

PASSWORD = "lang-genoeg-wachtwoord"


def _reuse_url_builders() -> None:
    """Each test makes an app of its own, and Werkzeug compiles two Python functions for each of the
    site's ~180 URL rules when an app registers them: two thirds of create_app()'s time, and a fifth
    of the suite's. A builder is the same function for the same rule, so the test process compiles
    each once. Werkzeug's builders take the rule as their first argument (so one serves every app);
    should that private method change, the suite just runs slower."""
    compile_builder = getattr(Rule, "_compile_builder", None)
    if compile_builder is None:
        return
    made = {}

    def reused(rule, append_unknown=True):
        key = (rule.rule, rule.subdomain, rule.host, rule.merge_slashes, tuple(rule._trace),
               repr(sorted((rule.defaults or {}).items())), append_unknown)
        if key not in made:
            made[key] = compile_builder(rule, append_unknown)
        return made[key]

    Rule._compile_builder = reused


_reuse_url_builders()


class _TemplatesCompiledOnce(BytecodeCache):
    """Jinja compiles a template once per app, and every test has an app of its own: the test process
    keeps the compiled code (keyed by the template's name and a checksum of its source, so an edited
    template is compiled again)."""

    def __init__(self):
        self.code = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket):
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED_TEMPLATES = _TemplatesCompiledOnce()

SAMPLE_DOCUMENTS = Path(__file__).resolve().parents[2] / "shared" / "sample-documents"


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as in production.

    The test itself holds an app context for its factories; without this, requests would share
    its `g` (Flask-Login caches the user there) and its database session.
    """

    def open(self, *args, buffered=True, **kwargs):
        db.session.commit()  # the request sees what the test made
        with self.application.app_context():
            # Buffered: the answer is read and closed, as a server does (mails go out after that).
            response = super().open(*args, buffered=buffered, **kwargs)
        db.session.commit()  # expires the test's objects: they reload what the request saved
        return response


POSTGRES_URL = os.environ.get("CPWEB_DATABASE_URL", "")
ON_POSTGRES = POSTGRES_URL.startswith("postgresql")
# Where tests make PostgreSQL databases: the suite's own, or in a SQLite run the one `make test`
# gives, for the tests that need PostgreSQL whatever the run (a copy to PostgreSQL).
POSTGRES_BASE = POSTGRES_URL if ON_POSTGRES else os.environ.get("CPWEB_TEST_POSTGRES_URL", "")
ON_S3 = os.environ.get("CPWEB_TEST_STORAGE", "") == "s3"
S3_BUCKET = "cpweb-test"
_s3_endpoint: list[str] = []  # set by the s3_storage fixture in a run on S3
_numbers_of_databases = itertools.count(1)
_made: list[str] = []  # PostgreSQL databases made here, oldest first
_apps = []


def _postgres_admin():
    """A connection to the base test database, to create and drop the others."""
    url = make_url(POSTGRES_BASE).set(drivername="postgresql+psycopg")
    if not (url.database or "").endswith("test"):
        pytest.exit(f"the PostgreSQL URL names {url.database!r}; tests only use a database whose name ends in 'test'")
    return create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool).connect()


def _postgres_url(name: str) -> str:
    return make_url(POSTGRES_BASE).set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False)


def _create_postgres_database(suffix, template: str = "template0") -> str:
    """A new database (empty, or a copy of template) beside the base one; returns its name."""
    # The process id in the name tells a later run which databases a killed run left behind.
    name = f"{make_url(POSTGRES_BASE).database}_{os.getpid()}_{suffix}"
    with _postgres_admin() as connection:
        # UTF-8 whatever the server's default (a cluster made without a locale is SQL_ASCII); C.UTF-8
        # sorts by code point, as SQLite does. A copy of the schema template has these already.
        connection.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\" ENCODING 'UTF8' LOCALE 'C.UTF-8'"
                                + _copy_strategy()))
    return name


@functools.cache
def _copy_strategy() -> str:
    """Copying the template's files at once is the quicker way to make a small database, but it waits
    for two checkpoints: fine on a cluster that does not wait for the disk (.ci/postgres makes one),
    seconds a database on one that does. There PostgreSQL's default, copying through its log, is
    quicker."""
    with _postgres_admin() as connection:
        if connection.dialect.server_version_info < (15,):
            return ""
        return " STRATEGY FILE_COPY" if connection.execute(text("SHOW fsync")).scalar() == "off" else ""


def _new_postgres_database(template: str = "template0", made: list[str] | None = None) -> str:
    """A database dropped with the others in made: by default those of the current test, after it."""
    name = _create_postgres_database(next(_numbers_of_databases), template)
    (_made if made is None else made).append(name)
    return _postgres_url(name)


def database_url(instance: Path) -> str:
    """An empty database for an app on this instance folder: a file on SQLite, a database on PostgreSQL."""
    return _new_postgres_database() if ON_POSTGRES else f"sqlite:///{instance / 'test.sqlite3'}"


def postgres_database_url() -> str:
    """An empty PostgreSQL database in either run; the test is skipped where there is no PostgreSQL."""
    if not POSTGRES_BASE.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: set CPWEB_TEST_POSTGRES_URL (a database whose name ends in 'test')")
    return _new_postgres_database()


def _drop_databases(names: list[str]) -> None:
    if not names:
        return
    with _postgres_admin() as connection:
        for name in names:
            try:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            except DBAPIError:  # autovacuum is in it: a later run drops it
                pass


@pytest.fixture(autouse=True)
def _close_databases(monkeypatch):
    """Tests choose their database with database_url(); afterwards each app's connections close
    (so PostgreSQL never runs out of them) and the test's own databases go."""
    monkeypatch.delenv("CPWEB_DATABASE_URL", raising=False)
    before = len(_made)
    yield
    while _apps:
        app = _apps.pop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    if len(_made) > before:
        emptied = [name for name in _made[before:] if name in _recyclable and _emptied(name, _recyclable[name])]
        _spare.extend(emptied)
        _drop_databases([name for name in _made[before:] if name not in emptied])
        for name in _made[before:]:
            _recyclable.pop(name, None)
        del _made[before:]


def _left_by_a_killed_run(name: str, base: str) -> bool:
    pid = name.removeprefix(base + "_").split("_")[0]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass
    return False


@pytest.fixture(scope="session", autouse=True)
def _drop_test_databases():
    """Drop what a killed run left behind, and at the end the databases of session fixtures."""
    if not POSTGRES_BASE.startswith("postgresql"):
        yield
        return
    base = make_url(POSTGRES_BASE).database
    with _postgres_admin() as connection:
        names = connection.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :pattern"),
                                   {"pattern": base.replace("_", "\\_") + "\\_%"}).scalars().all()
    _drop_databases([name for name in names if _left_by_a_killed_run(name, base)])
    yield
    _drop_databases(_made + _spare)


# CPWEB_TEST_TODAY=2026-12-31: the run as on that day, from 10:00 in Amsterdam with the clock going
# on; the app, the demo and the browser tests' live servers run in this process, so they all see
# it (Chromium keeps its own clock). CI runs the date-sensitive tests once more this way.
TEST_TODAY = os.environ.get("CPWEB_TEST_TODAY", "")


def pytest_configure(config):
    if TEST_TODAY:
        traveller = time_machine.travel(datetime.combine(date.fromisoformat(TEST_TODAY), time(10), AMSTERDAM))
        traveller.start()
        config.add_cleanup(traveller.stop)


def pytest_report_header(config):
    return f"the clock: {TEST_TODAY} 10:00 in Amsterdam (CPWEB_TEST_TODAY)" if TEST_TODAY else None


def pytest_collection_modifyitems(items):
    engine = "postgresql" if ON_POSTGRES else "sqlite"
    for item in items:
        for marker in item.iter_markers("only_on"):
            if marker.args[0] != engine:
                item.add_marker(pytest.mark.skip(reason=f"about {marker.args[0]} only; this run is on {engine}"))


TEST_CONFIG = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "MAIL_BACKEND": "memory",
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",  # fast; production uses scrypt
    "SERVER_NAME": "localhost",
    "SITE_URL": "http://localhost",
    # Tests that are not about the second factor log in with the password alone; those about it
    # (tests/test_twofactor.py) switch it on.
    "TWO_FACTOR_ROLES": [],
    # A test sees its own change at once; tests/test_guest_pages.py is about keeping pages.
    "GUEST_PAGE_SECONDS": 0,
}


def make_test_app(instance: Path, monkeypatch, **overrides):
    """An app on this instance folder with an empty database (unless overrides name one)."""
    monkeypatch.setenv("CPWEB_INSTANCE", str(instance))
    app = _create_test_app(instance, overrides)
    _apps.append(app)
    return app


def s3_config(endpoint: str, prefix: str | None = None) -> dict:
    """The settings of a site whose files are in the test S3 server, under a prefix of its own."""
    return {"STORAGE_URL": f"s3://{S3_BUCKET}/{prefix or uuid.uuid4().hex}", "S3_ENDPOINT_URL": endpoint,
            "S3_REGION": "us-east-1", "S3_ACCESS_KEY_ID": "test", "S3_SECRET_ACCESS_KEY": "test"}


def _create_test_app(instance: Path, overrides: dict):
    config = {**(s3_config(_s3_endpoint[0]) if _s3_endpoint else {}), **TEST_CONFIG, **overrides}
    if "SQLALCHEMY_DATABASE_URI" not in config:
        config["SQLALCHEMY_DATABASE_URI"] = database_url(instance)
    app = create_app(config)
    app.test_client_class = IsolatedClient
    app.jinja_env.bytecode_cache = _COMPILED_TEMPLATES
    return app


def _app_outside_a_test(instance: Path, **overrides):
    """An app for a session or module fixture, which has no monkeypatch of its own."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("CPWEB_INSTANCE", str(instance))
        monkeypatch.delenv("CPWEB_DATABASE_URL", raising=False)
        return _create_test_app(instance, overrides)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> bool:
    host, port = url.split("//", 1)[1].split(":")
    try:
        socket.create_connection((host, int(port.rstrip("/"))), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """The endpoint of an S3 server with the test bucket: CPWEB_TEST_S3_URL, or moto's standalone
    server started here on a free port (a process of its own, spoken to over HTTP by boto3, as the
    site speaks to a real store) and stopped at the end. Skips when moto is not installed."""
    endpoint = os.environ.get("CPWEB_TEST_S3_URL", "").rstrip("/")
    if endpoint:
        yield _with_test_bucket(endpoint)
        return
    if importlib.util.find_spec("moto") is None:
        pytest.skip("moto is not installed: no S3 server to test against (pip install 'moto[server]')")
    endpoint = f"http://127.0.0.1:{_free_port()}"
    with (tmp_path_factory.mktemp("s3") / "moto.log").open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p",
                                    endpoint.rsplit(":", 1)[1]], stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = monotonic() + 60
            while not _answers(endpoint):
                if process.poll() is not None or monotonic() > deadline:
                    pytest.fail(f"moto's S3 server did not start; see {log.name}")
                sleep(0.1)
            yield _with_test_bucket(endpoint)
        finally:
            process.terminate()
            process.wait(timeout=10)


def _with_test_bucket(endpoint: str) -> str:
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test")
    try:
        client.create_bucket(Bucket=S3_BUCKET)
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass
    client.close()
    return endpoint


@pytest.fixture(scope="session", autouse=ON_S3)
def s3_storage(request):
    """In a run with CPWEB_TEST_STORAGE=s3: every app of the run keeps its files in the S3 server."""
    _s3_endpoint.append(request.getfixturevalue("s3_server"))
    yield
    _s3_endpoint.clear()


@dataclass(frozen=True)
class SchemaTemplate:
    """The tables and seed data of the code under test, in a SQLite file or a PostgreSQL database."""

    location: str

    def copy(self, instance: Path, made: list[str] | None = None) -> str:
        """A new database with the schema for an app on this instance folder; its URL. On PostgreSQL
        it is dropped with those in made, by default after the current test."""
        if ON_POSTGRES:
            if made is not None:
                return _new_postgres_database(self.location, made)
            name = _spare.pop() if _spare else make_url(_new_postgres_database(self.location)).database
            if name not in _made:
                _made.append(name)
            _recyclable[name] = self.location
            _template_state(self.location)  # read while nobody is connected to the template
            return _postgres_url(name)
        path = instance / "test.sqlite3"
        shutil.copyfile(self.location, path)
        return f"sqlite:///{path}"


_spare: list[str] = []  # copies of the template emptied by their tests' teardown, for the next test
_recyclable: dict[str, str] = {}  # the current test's copies of a template -> that template

# Whatever a test changes beyond rows shows here: tables, columns, indexes, triggers, functions.
_SCHEMA_FINGERPRINT = text(
    "SELECT md5(coalesce((SELECT string_agg(c.relname || ':' || c.relkind::text || ':' || c.relnatts, ',' ORDER BY c.relname) "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'), '') "
    "|| coalesce((SELECT string_agg(t.tgname || ':' || t.tgenabled::text, ',' ORDER BY t.tgname) FROM pg_trigger t "
    "WHERE NOT t.tgisinternal), '') "
    "|| coalesce((SELECT string_agg(p.proname || ':' || md5(p.prosrc), ',' ORDER BY p.proname) FROM pg_proc p "
    "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'), ''))")


@dataclass(frozen=True)
class _TemplateState:
    fingerprint: str
    reset: str  # DELETE every table (who refers to a row first) and set the sequences as in the template
    rows: dict[str, tuple[list[str], list[tuple]]]  # the seed rows: columns and values per table


@functools.cache
def _template_state(location: str) -> _TemplateState:
    engine = create_engine(_postgres_url(location), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            names = set(connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
            modelled = [table.name for table in reversed(db.metadata.sorted_tables) if table.name in names]
            tables = sorted(names - set(modelled)) + modelled  # search indexes and counts refer to no one
            rows = {}
            for table in tables:
                result = connection.execute(text(f'SELECT * FROM "{table}"'))
                if found := result.all():
                    rows[table] = (list(result.keys()), [tuple(row) for row in found])
            sequences = connection.execute(text(
                "SELECT string_agg(format('setval(%L, %s, %L)', schemaname || '.' || sequencename, "
                "coalesce(last_value, start_value), last_value IS NOT NULL), ', ') "
                "FROM pg_sequences WHERE schemaname = 'public'")).scalar()
            reset = "".join(f'DELETE FROM "{table}"; ' for table in tables) + (f"SELECT {sequences}" if sequences else "")
            return _TemplateState(connection.execute(_SCHEMA_FINGERPRINT).scalar(), reset, rows)
    finally:
        engine.dispose()


def _emptied(name: str, template: str) -> bool:
    """The database back to the template's rows and sequences, ready for another test; False (it
    is then dropped) when its test changed more than rows or left a connection to it open."""
    state = _template_state(template)
    engine = create_engine(_postgres_url(name), poolclass=NullPool)
    try:
        with engine.begin() as connection:
            others = connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :name "
                                             "AND pid <> pg_backend_pid()"), {"name": name}).scalar()
            if others or connection.execute(_SCHEMA_FINGERPRINT).scalar() != state.fingerprint:
                return False
            connection.exec_driver_sql(state.reset)  # one round trip: its statements carry no parameters
            for table, (columns, values) in state.rows.items():
                names = ", ".join(f'"{column}"' for column in columns)
                marks = ", ".join(f":c{n}" for n in range(len(columns)))
                connection.execute(text(f'INSERT INTO "{table}" ({names}) VALUES ({marks})'),
                                   [{f"c{n}": value for n, value in enumerate(row)} for row in values])
        return True
    except DBAPIError:
        return False
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def schema_template(tmp_path_factory):
    """Made once, on first use: create_all() and the seeders, as the `app` fixture used to run per test."""
    instance = tmp_path_factory.mktemp("schema")
    if ON_POSTGRES:
        location = _create_postgres_database("schema")
        url = _postgres_url(location)
    else:
        location = str(instance / "schema.sqlite3")
        url = f"sqlite:///{location}"
    app = _app_outside_a_test(instance, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.create_all()
        run_seeders()
        db.session.commit()
        db.session.remove()
        # Closing the last connection folds SQLite's WAL into the file; PostgreSQL copies only a
        # database nobody is connected to.
        db.engine.dispose()
    if not ON_POSTGRES:
        assert not Path(location + "-wal").exists(), "the template's WAL was not folded into its file"
    yield SchemaTemplate(location)
    if ON_POSTGRES:
        _drop_databases([location])


@pytest.fixture
def app(tmp_path, monkeypatch, schema_template):
    yield from _app_with_schema(tmp_path, monkeypatch, schema_template)


@pytest.fixture
def csrf_app(tmp_path, monkeypatch, schema_template):
    """An app that checks CSRF tokens, as production does."""
    yield from _app_with_schema(tmp_path, monkeypatch, schema_template, WTF_CSRF_ENABLED=True)


def _app_with_schema(instance, monkeypatch, schema_template, **overrides):
    app = make_test_app(instance, monkeypatch, SQLALCHEMY_DATABASE_URI=schema_template.copy(instance), **overrides)
    with app.app_context():
        # Connected, as after making the tables here: the test starts with the database open (on
        # SQLite with its -wal file).
        db.engine.connect().close()
        yield app
        db.session.remove()


@contextmanager
def shared_test_app(instance: Path, schema_template: SchemaTemplate, fill, **overrides):
    """One app for the tests of a module that only read, e.g. page audits on the demo data: fill()
    runs once in its app context. Each test enters it with shared_app_context(). At the end the
    data must be as fill() left it (only login times may change), so a test that writes fails
    here instead of changing what the next one sees."""
    own: list[str] = []  # its PostgreSQL database, dropped here rather than after the first test
    app = _app_outside_a_test(instance, **overrides, SQLALCHEMY_DATABASE_URI=schema_template.copy(instance, own))
    try:
        with app.app_context():
            fill()
            db.session.commit()
            before = _data()
            db.session.remove()
        yield app
        with app.app_context():
            after = _data()
            db.session.remove()
        changed = sorted(table for table in before if before[table] != after[table])
        assert not changed, f"tests sharing this app changed the data in {changed}: give them an app of their own"
    finally:
        with app.app_context():
            db.engine.dispose()
        if own:
            _drop_databases(own)


# Columns that reading tests may change: logging in notes the time.
# Opening the authenticator set-up page keeps the key being set up on the server, with its expiry.
_MAY_CHANGE = {("users", "last_login_at"), ("users", "totp_pending_secret"), ("users", "totp_pending_until")}
# Tables that reading writes to: who saw a client's contact details is logged.
_WRITTEN_BY_READING = {"audit_entries"}


def _data() -> dict[str, list]:
    """Every row of every table, for comparing."""
    return {
        table.name: db.session.execute(
            select(*[column for column in table.columns if (table.name, column.name) not in _MAY_CHANGE])
            .order_by(*table.primary_key.columns)).all()
        for table in db.metadata.sorted_tables if table.name not in _WRITTEN_BY_READING
    }


@contextmanager
def shared_app_context(app):
    """A test's own app context on a shared app, with what a fresh app would start without:
    no rate-limit counts and no mails sent."""
    app.extensions.pop("cpweb_outbox", None)
    with app.app_context():
        limiter.reset()  # the counts live in the app's database
        yield app
        db.session.rollback()
        _forget_logins()
        db.session.remove()


def _forget_logins() -> None:
    """Undo what logging in writes, so the next test logs in afresh (a code from the app is accepted
    once per time step) and the data stays as fill() left it."""
    limiter.reset()
    db.session.execute(delete(LoginSession))
    db.session.execute(update(User).values(totp_last_step=None))
    db.session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def mails(app):
    return outbox()


_numbers = itertools.count(1)


@pytest.fixture
def make_body(app):
    def make(name=None, **fields):
        n = next(_numbers)
        body = Body(slug=f"orgaan-{n}", name=name or f"Cliëntenraad {n}", kind=fields.pop("kind", "clientenraad"), **fields)
        db.session.add(body)
        db.session.commit()
        return body

    return make


@pytest.fixture
def make_user(app):
    def make(role="lid", bodies=(), password=PASSWORD, **fields):
        n = next(_numbers)
        fields.setdefault("email", f"lid{n}@example.org")
        fields.setdefault("name", f"Lid {n}")
        user = User(role=role, **fields)
        if password:
            user.set_password(password)
        user.memberships = [Membership(body=body) for body in bodies]
        db.session.add(user)
        db.session.commit()
        return user

    return make


def count_queries(client, url: str) -> int:
    """How many SQL statements a GET of this page runs (to prove a list has no N+1)."""
    statements = []

    def listener(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


class Auth:
    def __init__(self, client, make_user):
        self.client = client
        self.make_user = make_user

    def login(self, user=None, role="lid", bodies=()):
        """Log in as this member (or a new one with this role) and return them."""
        user = user or self.make_user(role=role, bodies=bodies)
        response = self.client.post("/inloggen", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 303, response.text
        return user

    def logout(self):
        self.client.post("/uitloggen")


@pytest.fixture
def auth(client, make_user):
    return Auth(client, make_user)


@pytest.fixture
def sample_documents():
    if not SAMPLE_DOCUMENTS.is_dir():
        pytest.skip("../shared/sample-documents is not here (a fresh clone has none)")
    return SAMPLE_DOCUMENTS
