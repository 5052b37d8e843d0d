"""Following other councils' feeds: the guard on fetching, reading hostile feeds, and what the site
keeps and shows. Every hostile answer comes from a real HTTP server on 127.0.0.1."""
import gzip
import threading
import time
from datetime import UTC, datetime
from datetime import time as dt_time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cpweb.core.database import utcnow
from cpweb.core.extensions import db
from cpweb.core.i18n import local_today
from cpweb.following import fetch, logic, parse
from cpweb.following.models import STOPPED, RemoteEntry, RemoteEvent, Source
from cpweb.mail import outbox
from cpweb.search import kinds


def ics(*events: str, head: str = "") -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//NL\r\n" + head + "".join(events)
            + "END:VCALENDAR\r\n").encode()


def vevent(uid="a@test", days=3, title="Regiobijeenkomst", extra="", start=None, end=None) -> str:
    day = (local_today() + timedelta(days=days)).strftime("%Y%m%d")
    lines = [f"UID:{uid}"] if uid else []
    if start is not False:
        lines.append(f"DTSTART:{start or day + 'T180000Z'}")
    lines.append(f"DTEND:{end or day + 'T200000Z'}")
    return "BEGIN:VEVENT\r\n" + "\r\n".join(lines) + f"\r\nSUMMARY:{title}\r\n{extra}END:VEVENT\r\n"


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:fh="http://purl.org/syndication/history/1.0">
<id>tag:b,2026:feed</id><title>B</title><updated>2026-12-01T10:00:00Z</updated><fh:complete/>
{entries}</feed>"""


def atom_entry(entry_id: str, title: str) -> str:
    return (f"<entry><id>{entry_id}</id><title>{title}</title><updated>2026-12-01T10:00:00Z</updated>"
            f'<link rel="alternate" href="https://b.example/{entry_id}"/><summary>Kort</summary></entry>')


class Hostile(BaseHTTPRequestHandler):
    """Answers each path as the test set it: (status, headers, body or a callable that writes)."""

    routes: dict = {}
    seen: list = []

    def do_GET(self):  # noqa: N802 - the name http.server calls
        Hostile.seen.append((self.path, dict(self.headers)))
        status, headers, body = self.routes.get(self.path, (404, {}, b"niet hier"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if callable(body):
            self.end_headers()
            try:
                body(self.wfile)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Hostile.routes, Hostile.seen = {}, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def base(app, server):
    host = f"127.0.0.1:{server.server_port}"
    app.config["FEDERATION_ALLOW_HOSTS"] = [host]
    return f"http://{host}"


def follow(base: str, path: str, name="Cliëntenraad B") -> Source:
    source = logic.add_source(name, base + path)
    assert isinstance(source, Source), source
    return source


def refreshed(source: Source) -> Source:
    logic.refresh(source.id)
    db.session.expire_all()
    return db.session.get(Source, source.id)


# --- the guard ------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, code", [
    ("ftp://example.org/agenda.ics", "scheme"),
    ("file:///etc/passwd", "scheme"),
    ("https://user:pw@example.org/", "scheme"),
    ("http://127.0.0.1/agenda.ics", "private_address"),
    ("http://localhost/agenda.ics", "private_address"),
    ("http://10.0.0.8/", "private_address"),
    ("http://192.168.1.1/", "private_address"),
    ("http://169.254.169.254/latest/meta-data/", "private_address"),
    ("http://[::1]/", "private_address"),
    ("http://[::ffff:127.0.0.1]/", "private_address"),
    ("http://0.0.0.0/", "private_address"),
    ("http://100.64.0.1/", "private_address"),
    ("http://example.org:8080/", "port"),
    ("http://127.0.0.1:5000/beheer", "port"),
])
def test_the_guard_refuses_what_is_not_a_public_web_address(url, code):
    with pytest.raises(fetch.FetchError) as refused:
        fetch.fetch(url)
    assert refused.value.code == code


def test_only_the_exact_allowed_host_and_port_skip_the_checks(server):
    Hostile.routes["/ok"] = (200, {}, b"BEGIN:VCALENDAR")
    port = server.server_port
    assert fetch.fetch(f"http://127.0.0.1:{port}/ok", allow=frozenset({f"127.0.0.1:{port}"})).body == b"BEGIN:VCALENDAR"
    with pytest.raises(fetch.FetchError) as refused:
        fetch.fetch(f"http://127.0.0.1:{port}/ok", allow=frozenset({f"localhost:{port}"}))
    assert refused.value.code == "port"


def test_a_redirect_to_this_site_or_inside_the_network_is_refused(server, base):
    Hostile.routes["/naar-beheer"] = (302, {"Location": "http://127.0.0.1:5000/beheer"}, b"")
    Hostile.routes["/naar-metadata"] = (301, {"Location": "http://169.254.169.254/"}, b"")
    allow = frozenset({base.removeprefix("http://")})
    for path, code in (("/naar-beheer", "port"), ("/naar-metadata", "private_address")):
        with pytest.raises(fetch.FetchError) as refused:
            fetch.fetch(base + path, allow=allow)
        assert refused.value.code == code


def test_a_redirect_loop_stops_after_three(server, base):
    Hostile.routes["/rond"] = (302, {"Location": "/rond"}, b"")
    with pytest.raises(fetch.FetchError) as refused:
        fetch.fetch(base + "/rond", allow=frozenset({base.removeprefix("http://")}))
    assert refused.value.code == "redirects" and len(Hostile.seen) == 4


def test_an_endless_body_and_a_gzip_bomb_stop_at_the_cap(server, base):
    def endless(out):
        for _ in range(50 * 16):  # 50 MB in 64 KB chunks
            out.write(b"x" * 65536)

    def chunked(out):
        for _ in range(50 * 16):
            out.write(b"10000\r\n" + b"x" * 65536 + b"\r\n")

    Hostile.routes["/groot"] = (200, {}, endless)
    Hostile.routes["/in-stukjes"] = (200, {"Transfer-Encoding": "chunked"}, chunked)
    Hostile.routes["/bom"] = (200, {"Content-Encoding": "gzip"}, gzip.compress(b"\0" * 50_000_000))
    allow = frozenset({base.removeprefix("http://")})
    for path in ("/groot", "/in-stukjes", "/bom"):
        started = time.monotonic()
        with pytest.raises(fetch.FetchError) as refused:
            fetch.fetch(base + path, allow=allow)
        assert refused.value.code == "too_large" and time.monotonic() - started < 5


def test_a_server_that_drips_a_byte_every_two_seconds_fails_within_the_deadline(server, base):
    def drip(out):
        for _ in range(100):
            out.write(b"B")
            out.flush()
            time.sleep(2)

    Hostile.routes["/druppel"] = (200, {"Content-Length": "100"}, drip)
    started = time.monotonic()
    with pytest.raises(fetch.FetchError) as refused:
        fetch.fetch(base + "/druppel", allow=frozenset({base.removeprefix("http://")}), deadline_seconds=3)
    assert refused.value.code == "timeout" and time.monotonic() - started < 4


# --- reading feeds ---------------------------------------------------------------------------------

def test_a_calendar_is_read_as_plain_text_with_web_links_only():
    feed = parse.parse(ics(vevent(title="<script>alert(1)</script>Overleg",
                                  extra="DESCRIPTION:<img src=x onerror=alert(1)>Uitleg\r\nURL:javascript:alert(1)\r\n"),
                           vevent(uid="b@test", extra="URL:https://b.example/agenda/1\r\n")), local_today())
    first, second = feed.events
    assert "<" not in first.title and "Overleg" in first.title and first.url == ""
    assert "<img" not in first.description and second.url == "https://b.example/agenda/1"


def test_unusable_events_are_left_out_and_a_duplicate_uid_counts_once():
    feed = parse.parse(ics(vevent(uid=""), vevent(uid="c@test", start=False),
                           vevent(uid="d@test", start="20270110T100000Z", end="20270110T090000Z"),
                           vevent(uid="e@test", title="Eerste"), vevent(uid="e@test", title="Tweede"),
                           vevent(uid="f@test")), local_today())
    assert sorted(e.uid for e in feed.events) == ["e@test", "f@test"]
    assert feed.skipped == 3 and [e.title for e in feed.events if e.uid == "e@test"] == ["Eerste"]


def test_recurrences_expand_inside_the_window_only_and_fast_ones_are_refused():
    weekly = vevent(uid="w@test", extra="RRULE:FREQ=WEEKLY;COUNT=100000\r\n", start="20200106T180000Z",
                    end="20200106T190000Z")
    minutely = vevent(uid="m@test", extra="RRULE:FREQ=MINUTELY;COUNT=100000\r\n")
    daily = vevent(uid="d@test", extra="RRULE:FREQ=DAILY\r\n")
    started = time.monotonic()
    feed = parse.parse(ics(weekly, minutely, daily), local_today())
    assert time.monotonic() - started < 2
    by_uid = {}
    for event in feed.events:
        by_uid.setdefault(event.uid, []).append(event)
    assert "m@test" not in by_uid and feed.skipped == 1
    now = datetime.now(UTC)
    assert all(now - timedelta(days=8) < e.ends_at and e.starts_at < now + timedelta(days=401) for e in feed.events)
    assert 55 <= len(by_uid["w@test"]) <= 60 and len(by_uid["d@test"]) <= parse.MAX_OCCURRENCES


def test_an_entity_bomb_html_and_nonsense_are_not_feeds():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol2;</title></feed>')
    for body, code in ((bomb, "xml"), (b"<!doctype html><html><body>Welkom</body></html>", "not_a_feed"),
                       (b"<html><body>Welkom</body></html>", "not_a_feed"), (b"{\"json\": true}", "not_a_feed")):
        with pytest.raises(parse.ParseError) as refused:
            parse.parse(body, local_today())
        assert refused.value.code == code


# --- refreshing and keeping ----------------------------------------------------------------------

def test_a_source_is_fetched_then_asked_again_conditionally_and_keeps_its_data_on_errors(app, base):
    Hostile.routes["/agenda.ics"] = (200, {"ETag": '"v1"'}, ics(vevent(), head="REFRESH-INTERVAL;VALUE=DURATION:PT10M\r\n"))
    source = refreshed(follow(base, "/agenda.ics"))
    assert source.last_error == "" and source.refresh_seconds == 3600  # the hint, clamped to an hour
    assert db.session.scalar(db.select(db.func.count()).select_from(RemoteEvent)) == 1
    Hostile.routes["/agenda.ics"] = (304, {}, b"")
    source = refreshed(source)
    assert Hostile.seen[-1][1].get("If-None-Match") == '"v1"' and source.failures == 0
    Hostile.routes["/agenda.ics"] = (200, {}, b"<html>Onderhoud</html>")
    source = refreshed(source)
    assert source.last_error == "not_a_feed" and source.failures == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(RemoteEvent)) == 1  # the last good data stays
    wait_after_one = source.next_check_at - source.last_checked_at
    source = refreshed(source)
    assert source.next_check_at - source.last_checked_at == 2 * wait_after_one


def test_ten_failures_or_a_410_stop_the_source_and_the_admins_are_told(app, base, make_user):
    make_user(role="beheerder", email="baas@example.org")
    Hostile.routes["/weg.ics"] = (410, {}, b"")
    source = refreshed(follow(base, "/weg.ics"))
    assert source.status == STOPPED and source.last_error == "gone"
    assert any(m.to == "baas@example.org" and "Bron gestopt" in m.subject for m in outbox())
    broken = follow(base, "/kapot.ics", name="Kapot")
    for _ in range(logic.STOP_AFTER):
        db.session.get(Source, broken.id).next_check_at = utcnow()
        db.session.commit()
        logic.refresh_due()
    db.session.expire_all()
    assert db.session.get(Source, broken.id).status == STOPPED
    assert logic.due_source_ids(utcnow() + timedelta(days=30)) == []


def test_a_complete_feed_replaces_and_a_tombstone_removes(app, base):
    Hostile.routes["/adviezen.atom"] = (200, {}, ATOM.format(entries=atom_entry("a1", "Advies een")
                                                             + atom_entry("a2", "Advies twee")).encode())
    source = refreshed(follow(base, "/adviezen.atom"))
    Hostile.routes["/adviezen.atom"] = (200, {}, ATOM.format(entries=atom_entry("a2", "Advies twee, nieuw")).encode())
    refreshed(source)
    assert [e.title for e in db.session.scalars(db.select(RemoteEntry))] == ["Advies twee, nieuw"]


def test_the_admin_page_adds_lists_refreshes_and_removes_sources(app, client, auth, base):
    Hostile.routes["/agenda.ics"] = (200, {}, ics(vevent(title="Regiodag")))
    auth.login(role="beheerder")
    response = client.post("/beheer/bronnen", data={"name": "Raad B", "url": "ftp://b.example/agenda.ics"})
    assert response.status_code == 422 and "http://" in response.text and "ftp://b.example" in response.text
    assert client.post("/beheer/bronnen", data={"name": "Raad B", "url": base + "/agenda.ics"}).status_code == 303
    source = db.session.scalars(db.select(Source)).one()
    client.post(f"/beheer/bronnen/{source.id}/verversen")
    page = client.get("/beheer/bronnen").text
    assert "Raad B" in page and "1 afspraak" in page
    Hostile.routes["/agenda.ics"] = (200, {}, b"<html></html>")
    client.post(f"/beheer/bronnen/{source.id}/verversen")
    assert "Op dit adres staat geen agenda of nieuwsfeed" in client.get("/beheer/bronnen").text
    client.post(f"/beheer/bronnen/{source.id}/weghalen")
    assert db.session.scalar(db.select(db.func.count()).select_from(RemoteEvent)) == 0


def test_a_removed_source_leaves_nothing_in_the_search(app, client, auth, base):
    Hostile.routes["/adviezen.atom"] = (200, {}, ATOM.format(entries=atom_entry("a1", "Advies Zwerfvuilpoging")).encode())
    source = refreshed(follow(base, "/adviezen.atom"))
    entry_id = db.session.scalars(db.select(RemoteEntry.id)).one()
    indexed = kinds.REMOTE.stored_select([entry_id], "title")
    assert db.session.execute(indexed).all() == [(entry_id, "Advies Zwerfvuilpoging")]
    assert "https://b.example/a1" in client.get("/zoeken?q=Zwerfvuilpoging").text
    auth.login(role="beheerder")
    assert client.post(f"/beheer/bronnen/{source.id}/weghalen").status_code == 303
    assert "https://b.example/a1" not in client.get("/zoeken?q=Zwerfvuilpoging").text
    assert db.session.execute(indexed).all() == []


def test_only_admins_reach_the_sources(client, auth):
    assert client.get("/beheer/bronnen").status_code in (302, 303)
    auth.login(role="secretaris")
    assert client.get("/beheer/bronnen").status_code == 403
    assert client.post("/beheer/bronnen/1/verversen").status_code == 403


def test_followed_events_show_in_the_agenda_on_request_and_never_in_this_sites_feed(app, client, base):
    Hostile.routes["/agenda.ics"] = (200, {}, ics(vevent(title="<b>Regiodag</b> Friesland")))
    refreshed(follow(base, "/agenda.ics", name="Cliëntenraad Leeuwarden"))
    assert "Regiodag" not in client.get("/agenda?weergave=komend").text
    page = client.get("/agenda?weergave=komend&andere=1").text
    assert "Regiodag" in page and "<b>Regiodag" not in page and "Van Cliëntenraad Leeuwarden" in page
    assert "Regiodag" not in client.get("/agenda.ics").text
    assert client.get("/agenda?andere=ja").status_code == 404


def test_remote_entries_are_listed_labelled_and_read_only(app, client, base):
    Hostile.routes["/adviezen.atom"] = (200, {}, ATOM.format(entries=atom_entry("a1", "&lt;i hx-get=&quot;/x&quot;&gt;Advies")).encode())
    assert "/van-andere-raden" not in client.get("/documenten").text
    refreshed(follow(base, "/adviezen.atom", name="Raad B"))
    page = client.get("/van-andere-raden").text
    assert "Advies" in page and "Van Raad B" in page and "<i hx-get" not in page
    assert "/van-andere-raden" in client.get("/documenten").text
    assert "https://b.example/a1" in page


# --- two councils ---------------------------------------------------------------------------------

def test_two_councils_on_their_own_databases_one_follows_the_other(app, client, tmp_path, monkeypatch,
                                                                     schema_template, make_body, make_user):
    import socket

    from werkzeug.serving import make_server

    from cpweb.advice import logic as advice_logic
    from cpweb.advice import rules as advice_rules
    from cpweb.meetings import logic as meeting_logic
    from cpweb.meetings import rules as meeting_rules
    from tests.conftest import make_test_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    instance = tmp_path / "raad-b"
    instance.mkdir()
    council_b = make_test_app(instance, monkeypatch, SQLALCHEMY_DATABASE_URI=schema_template.copy(instance),
                              SERVER_NAME=f"127.0.0.1:{port}", SITE_URL=f"http://127.0.0.1:{port}")
    answers = []
    council_b.after_request(lambda response: answers.append(response.status_code) or response)
    day = local_today() + timedelta(days=10)
    with council_b.app_context():
        body = make_body("Cliëntenraad B")
        secretary = make_user(role="secretaris", bodies=[body])
        for title, visibility in (("Openbare vergadering B", meeting_rules.PUBLIC),
                                  ("Besloten vergadering B", meeting_rules.MEMBERS)):
            meeting_logic.create_meetings(body.id, [day], {"title": title, "kind": meeting_rules.REGULAR,
                                                            "location": "Leeuwarden", "online_url": "",
                                                            "visibility": visibility, "start": dt_time(19, 30),
                                                            "end": dt_time(21, 0)},
                                          publish_at=utcnow() - timedelta(days=1))
        advice = advice_logic.save_advice(None, {"body_id": body.id, "title": "Advies over de Werkplein-balie",
                                                 "kind": "ongevraagd", "topic": "bejegening", "addressee_id": None,
                                                 "addressee_text": "Gemeente Leeuwarden", "summary": "Intern",
                                                 "requested_on": local_today(), "deadline": None}, [], secretary)
        advice_logic.take_step(advice, advice_rules.PREPARING, {}, secretary)
        advice_logic.take_step(advice, advice_rules.SENT, {"sent_on": local_today()}, secretary)
        advice_logic.save_advice(None, {"body_id": body.id, "title": "Dossier dat intern blijft",
                                                 "kind": "gevraagd", "topic": "beleid", "addressee_id": None,
                                                 "addressee_text": "UWV", "summary": "", "requested_on": local_today(),
                                                 "deadline": None}, [], secretary)
        db.session.commit()
        advice_id = advice.id
        advice_logic.publish(advice_id, "Wij vroegen om een vaste balie.", secretary)
        secretary_id = secretary.id
        db.session.remove()
    server = make_server("127.0.0.1", port, council_b, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        app.config["FEDERATION_ALLOW_HOSTS"] = [f"127.0.0.1:{port}"]
        calendar = follow(f"http://127.0.0.1:{port}", "/agenda.ics", name="Cliëntenraad B")
        advice_feed = follow(f"http://127.0.0.1:{port}", "/feeds/adviezen.atom", name="Cliëntenraad B, adviezen")
        assert refreshed(calendar).last_error == "" and refreshed(advice_feed).last_error == ""
        agenda = client.get("/agenda?weergave=komend&andere=1").text
        assert "Openbare vergadering B" in agenda and "Van Cliëntenraad B" in agenda
        assert "Besloten vergadering B" not in agenda
        remote = client.get("/van-andere-raden").text
        assert "Advies over de Werkplein-balie" in remote and "Dossier dat intern blijft" not in remote
        refreshed(advice_feed)
        assert answers[-1] == 304  # nothing changed in B: the second fetch carries no body
        with council_b.app_context():
            from cpweb.auth.models import User

            advice_logic.unpublish(advice_id, db.session.get(User, secretary_id))
            db.session.remove()
        refreshed(advice_feed)
        assert "Advies over de Werkplein-balie" not in client.get("/van-andere-raden").text
    finally:
        server.shutdown()
        server.server_close()
        with council_b.app_context():
            db.engine.dispose()


def test_a_source_claimed_by_another_cron_run_is_left_alone(app, base):
    Hostile.routes["/agenda.ics"] = (200, {}, ics(vevent()))
    source = follow(base, "/agenda.ics")
    now = utcnow()
    assert logic._claim(source.id, now) and not logic._claim(source.id, now)
    assert logic.refresh_due(now) == {"ok": 0, "failed": 0} and Hostile.seen == []


HOSTILE_ANSWERS = {
    "too_large": (200, {"Content-Encoding": "gzip"}, gzip.compress(b"\0" * 20_000_000)),
    "port": (302, {"Location": "http://127.0.0.1:5000/beheer"}, b""),
    "private_address": (302, {"Location": "http://169.254.169.254/latest/"}, b""),
    "xml": (200, {}, b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><feed>&a;</feed>'),
    "not_a_feed": (200, {}, b"<!-- --><html><body>Onderhoud</body></html>"),
    "status": (500, {}, b"Internal Server Error"),
    "gone": (410, {}, b""),
}


@pytest.mark.parametrize("code", list(HOSTILE_ANSWERS))
def test_a_hostile_answer_keeps_the_last_good_data_and_the_admin_reads_why_in_dutch(app, client, auth, base, code):
    Hostile.routes["/agenda.ics"] = (200, {}, ics(vevent(title="Goede afspraak")))
    source = refreshed(follow(base, "/agenda.ics"))
    Hostile.routes["/agenda.ics"] = HOSTILE_ANSWERS[code]
    source = refreshed(source)
    assert source.last_error == code
    assert db.session.scalars(db.select(RemoteEvent.title)).all() == ["Goede afspraak"]
    auth.login(role="beheerder")
    assert str(logic.ERRORS[code]) in client.get("/beheer/bronnen").text
