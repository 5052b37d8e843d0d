"""Headers, cookies, CSRF and error pages."""
import pytest

from cpweb.core.database import row_id
from cpweb.web.security import safe_next


def test_security_headers_on_every_response(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_no_inline_scripts_or_styles_in_the_layout(client):
    html = client.get("/").text
    assert "<script>" not in html and "style=" not in html and "<style" not in html
    assert "onclick" not in html


def test_session_cookie_is_httponly_and_lax_and_secure_over_https(app, client, make_user):
    from tests.conftest import PASSWORD

    user = make_user()
    response = client.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    response = app.test_client().post("/inloggen", base_url="https://localhost",
                                      data={"email": user.email, "password": PASSWORD})
    assert "Secure" in response.headers["Set-Cookie"]


def test_post_without_csrf_token_gives_a_dutch_400_page(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/inloggen", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    assert "Het formulier was verlopen" in response.text and '<html lang="nl">' in response.text


@pytest.mark.parametrize("url", ["/inloggen", "/uitloggen", "/wachtwoord-vergeten", "/taal", "/profiel",
                                 "/profiel/wachtwoord", "/profiel/emails", "/beheer/leden/uitnodigen",
                                 "/beheer/organen/nieuw"])
def test_every_post_route_refuses_a_missing_token(csrf_app, url):
    assert csrf_app.test_client().post(url, data={}).status_code == 400


def test_csrf_token_in_the_htmx_header_is_accepted(csrf_app):
    client = csrf_app.test_client()
    html = client.get("/inloggen").text
    token = html.split('"X-CSRFToken": "')[1].split('"')[0]
    response = client.post("/taal", data={"taal": "en"}, headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/"


def test_unknown_url_is_a_dutch_404_in_the_layout(client):
    response = client.get("/bestaat/niet")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.text and 'class="site-footer"' in response.text


def test_htmx_error_gets_a_fragment_aimed_at_the_error_region(client):
    response = client.get("/bestaat/niet", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert "<html" not in response.text and "<h2>Deze pagina bestaat niet</h2>" in response.text
    assert response.headers["HX-Retarget"] == "#htmx-error"


def test_wrong_method_is_a_dutch_405(client):
    assert "Dit verzoek klopt niet" in client.get("/taal").text


def test_too_large_request_is_a_dutch_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 100
    response = client.post("/inloggen", data={"email": "x" * 500})
    assert response.status_code == 413 and "Het bestand is te groot" in response.text


def test_unexpected_error_is_a_dutch_500_and_is_logged(app, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/kapot")
    def broken():
        raise RuntimeError("stuk")

    response = app.test_client().get("/kapot")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.text and "RuntimeError" not in response.text
    assert "stuk" in caplog.text


@pytest.mark.parametrize("target, expected", [
    ("/vergaderingen?x=1", "/vergaderingen?x=1"), (None, "/"), ("", "/"), ("https://evil.example/", "/"),
    ("//evil.example", "/"), ("/\\evil.example", "/"), ("javascript:alert(1)", "/"), ("/ok\r\nX: y", "/"),
])
def test_safe_next(target, expected):
    assert safe_next(target, "/") == expected


# --- https and caching ----------------------------------------------------------------------------

def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"] == "max-age=31536000"


def test_caddy_example_sends_hsts():
    from pathlib import Path

    caddyfile = (Path(__file__).resolve().parents[1] / "deploy" / "Caddyfile").read_text()
    assert 'Strict-Transport-Security "max-age=31536000"' in caddyfile


@pytest.fixture
def demo_admin(client, app):
    """The demo data, and the demo admin logged in (tests switch the second factor off)."""
    from pathlib import Path

    from cpweb.demo import load_demo

    load_demo()
    password = (Path(app.instance_path) / "demo-login.txt").read_text().strip()
    assert client.post("/inloggen", data={"email": "beheerder@example.org", "password": password}).status_code == 303


def test_no_store_on_every_answer_to_a_logged_in_member(client, demo_admin):
    for path in ["/", "/profiel", "/beheer/", "/signalen/1", "/deze-pagina-bestaat-niet", "/privacy"]:
        assert client.get(path).headers["Cache-Control"] == "private, no-store", path
    htmx = client.get("/beheer/", headers={"HX-Request": "true"})
    assert htmx.headers["Cache-Control"] == "private, no-store"


def test_static_files_stay_cacheable_for_members_and_public_pages_for_guests(app, client, demo_admin):
    with client.get("/static/css/site.css?v=1") as response:
        assert "no-store" not in response.headers.get("Cache-Control", "")
    guest = app.test_client()
    assert "no-store" not in guest.get("/").headers.get("Cache-Control", "")
    assert guest.get("/agenda.ics").headers["Cache-Control"] == "private, max-age=900"


def test_downloads_with_personal_data_are_not_stored(app, client, demo_admin):
    """The list in the README: the participants' CSV, the signals' CSV, the annual report (Word and
    Markdown), a member's own calendar feed (reached without logging in), and every member's page."""
    from cpweb.auth.models import User
    from cpweb.calendar.logic import renew_feed
    from cpweb.core.extensions import db
    from cpweb.core.i18n import local_today
    from tests.pages import members_activity

    year = local_today().year
    for path in [members_activity() + "/deelnemers.csv",
                 f"/signalen/overzicht?start={year}-01-01&end={year}-12-31&formaat=csv",
                 f"/jaarverslag/{year}.docx", f"/jaarverslag/{year}.md", "/documenten/3/download"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "private, no-store", path
        response.close()
    feed = renew_feed(db.session.scalar(db.select(User).filter_by(email="lid@example.org")))
    db.session.commit()
    response = app.test_client().get(f"/agenda/{feed.token}.ics")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"


# --- bad input ------------------------------------------------------------------------------------

PAGINATED = ["/beheer/", "/beheer/logboek", "/vergaderingen/", "/vergaderingen/actiepunten", "/signalen",
             "/advies/", "/activiteiten/", "/documenten", "/documenten/prullenbak"]


@pytest.mark.parametrize("path", PAGINATED)
def test_a_page_number_out_of_range_is_the_dutch_404_through_the_shared_pager(client, demo_admin, path, monkeypatch):
    from cpweb.core import database

    asked = []
    real = database.page_number
    monkeypatch.setattr(database, "page_number", lambda: asked.append(1) or real())
    assert client.get(path).status_code == 200 and asked
    for number in ["9" * 30, "100001", "0", "-1", "²", "1e3"]:
        response = client.get(f"{path}?pagina={number}")
        assert response.status_code == 404 and "Deze pagina bestaat niet" in response.text, number


def test_a_signal_over_64_kb_gets_a_dutch_413_and_nothing_is_kept(app, client):
    from cpweb.core.extensions import db
    from cpweb.signals.models import Signal

    response = client.post("/signaal", data={"description": "x" * (70 * 1024), "category": "communicatie"})
    assert response.status_code == 413
    assert "hoogstens 5.000 tekens" in response.text and "niet bewaard" in response.text
    assert "xxxxxxxxxx" not in response.text and '<html lang="nl">' in response.text
    assert db.session.scalar(db.select(Signal)) is None
    # Just under the limit is read as usual (and refused for its own reasons, with the text kept).
    kept = client.post("/signaal", data={"description": "y" * 6000})
    assert kept.status_code == 422 and "y" * 6000 in kept.text


@pytest.mark.parametrize("sent, read", [("12", 12), (" 7 ", 7), (str(2**31 - 1), 2**31 - 1), (str(2**31), None),
                                         ("9" * 30, None), ("²", None), ("١٢", None), ("-1", None), ("1e3", None),
                                         ("", None), (None, None)])
def test_an_id_sent_in_a_form_or_address_is_a_number_a_row_can_have_or_none(sent, read):
    assert row_id(sent) == read


# --- SCRIPT_NAME: the site's place is its own setting (N7 of issue 33) -----------------------------

def test_a_script_name_from_the_request_or_the_server_is_ignored(client):
    """gunicorn took SCRIPT_NAME from a header the proxy passed on: the sender's links led to /evil/."""
    for sent in ({"environ_overrides": {"SCRIPT_NAME": "/evil"}}, {"headers": {"SCRIPT_NAME": "/evil"}}):
        page = client.get("/inloggen", **sent)
        assert page.status_code == 200 and 'href="/static/' in page.text and "/evil" not in page.text
        assert client.get("/uitloggen", **sent).status_code == 200


def test_a_script_name_is_used_only_when_configured(tmp_path, monkeypatch):
    from tests.conftest import make_test_app

    app = make_test_app(tmp_path, monkeypatch, SCRIPT_NAME="/raad/")
    with app.app_context():
        page = app.test_client().get("/inloggen", environ_overrides={"SCRIPT_NAME": "/evil"})
    assert page.status_code == 200 and 'href="/raad/static/' in page.text and "/evil" not in page.text


def test_the_deploy_examples_strip_script_name_and_gunicorn_takes_none():
    """Caddy passes headers with an underscore on; gunicorn took SCRIPT_NAME and PATH_INFO from a
    trusted proxy (forwarder_headers) and answered 500 'Configuration problem' for other paths."""
    import re
    import runpy
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    caddy = (root / "deploy" / "Caddyfile").read_text()
    nginx = (root / "deploy" / "nginx.conf").read_text()
    for header in ("SCRIPT_NAME", "PATH_INFO"):
        assert re.search(rf"^\s*header_up -{header}$", caddy, re.M)
        assert re.search(rf'^\s*proxy_set_header {header} "";$', nginx, re.M)
    assert runpy.run_path(str(root / "gunicorn.conf.py"))["forwarder_headers"] == ""


@pytest.mark.skipif(not hasattr(__import__("os"), "killpg"), reason="needs process groups")
def test_gunicorn_drops_a_script_name_header_from_the_proxy(tmp_path):
    """Through real gunicorn, from 127.0.0.1 (a trusted proxy): the header changes nothing."""
    import os
    import signal
    import socket
    import subprocess
    import sys

    from tests.conftest import database_url
    from tests.test_ops_kill import ROOT, free_port, start

    env = {**os.environ, "CPWEB_INSTANCE": str(tmp_path), "CPWEB_DATABASE_URL": database_url(tmp_path)}
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "cpweb", "init"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    port = free_port()
    with open(tmp_path / "gunicorn.log", "wb") as log:
        server = start(env, port, log)
        try:
            answers = {}
            for path in ("/inloggen", "/evil/inloggen"):
                with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nSCRIPT_NAME: /evil\r\n"
                                 "Connection: close\r\n\r\n".encode())
                    answers[path] = b"".join(iter(lambda: sock.recv(65536), b"")).decode(errors="replace")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    assert answers["/inloggen"].startswith("HTTP/1.1 200") and "/evil" not in answers["/inloggen"]
    assert answers["/evil/inloggen"].startswith("HTTP/1.1 404"), "not a 500 'Configuration problem'"
