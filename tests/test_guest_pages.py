"""The guest home and the statements are rendered once per worker every GUEST_PAGE_SECONDS, with
each guest's own CSRF token written in; members, messages and query strings are never kept."""
import re

import pytest

import cpweb.web.guest_pages
from tests.conftest import PASSWORD, count_queries


@pytest.fixture
def keeping(app, monkeypatch):
    """Pages kept for 30 seconds on a clock the test moves; CSRF tokens checked, as in production."""
    monkeypatch.setitem(app.config, "GUEST_PAGE_SECONDS", 30)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    clock = [1000.0]
    monkeypatch.setattr(cpweb.web.guest_pages.time, "monotonic", lambda: clock[0])
    return clock


def token_of(html: str) -> str:
    header = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
    assert f'name="csrf_token" value="{header}"' in html, "the language form carries the same token"
    return header


def test_a_second_guest_gets_the_kept_page_with_a_token_of_their_own(app, keeping, make_body):
    make_body(name="Cliëntenraad Noord")
    first, second = app.test_client(), app.test_client()
    assert count_queries(first, "/") > 0
    assert count_queries(second, "/") == 0  # no session, no user, no list of bodies: the kept page
    answer = second.get("/")
    page = answer.text
    assert "Cliëntenraad Noord" in page and "\x00" not in page
    # Answered before the other hooks, but the headers after them are those of any page.
    assert "default-src 'self'" in answer.headers["Content-Security-Policy"] and answer.headers["X-Request-Id"]
    assert {"Cookie", "HX-Request"} <= set(answer.vary)
    assert token_of(page) != token_of(first.get("/").text)
    # The token in the kept page belongs to this guest's session: the language form works.
    answer = second.post("/taal", data={"taal": "en", "csrf_token": token_of(page), "next": "/"})
    assert answer.status_code == 303
    assert "Welcome" in second.get("/").text  # kept apart per language
    refused = app.test_client().post("/taal", data={"taal": "en", "csrf_token": token_of(page)})
    assert refused.status_code == 400


def test_a_change_reaches_guests_after_the_time_is_up(app, keeping, make_body):
    body = make_body(name="Klankbordgroep")
    guest = app.test_client()
    assert "Klankbordgroep" in guest.get("/").text
    body.name = "Klankbordgroep Participatiewet"
    from cpweb.core.extensions import db
    db.session.commit()
    assert "Klankbordgroep Participatiewet" not in guest.get("/").text
    keeping[0] += 31
    assert "Klankbordgroep Participatiewet" in guest.get("/").text


def test_a_session_with_more_than_a_token_and_a_language_is_never_served_from_it(app, keeping, make_body):
    make_body()
    guest = app.test_client()
    guest.get("/")
    with guest.session_transaction() as session:
        session["undo"] = "a removed agenda item"  # any state of a person's own: a half-finished login, …
    assert count_queries(guest, "/") > 0


def test_members_messages_and_query_strings_are_never_served_from_it(app, keeping, make_user):
    member = make_user(name="Fatima de Vries")
    guest = app.test_client()
    guest.get("/")  # the page is kept now
    page = guest.get("/inloggen").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
    token = token.group(1) or token.group(2)
    assert guest.post("/inloggen", data={"email": member.email, "password": PASSWORD,
                                         "csrf_token": token}).status_code == 303
    home = guest.get("/").text
    assert "Mijn profiel" in home and "Fatima de Vries" in home
    guest.post("/uitloggen", data={"csrf_token": token_of(home)})
    assert "U bent uitgelogd." in guest.get("/").text
    assert count_queries(guest, "/?bron=poster") > 0


def test_a_message_is_never_kept_even_when_the_view_has_taken_it(app, keeping, make_user, monkeypatch):
    """Whether a page may be kept is decided when the request starts: the view takes the message
    from the session, and nothing else (such as Flask-Login's own keys) must be what stops it."""
    monkeypatch.setitem(app.config, "SESSION_PROTECTION", None)
    member = make_user()
    leaving = app.test_client()
    page = leaving.get("/inloggen").text
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    assert leaving.post("/inloggen", data={"email": member.email, "password": PASSWORD,
                                           "csrf_token": token}).status_code == 303
    leaving.post("/uitloggen", data={"csrf_token": token_of(leaving.get("/").text)})
    assert "U bent uitgelogd." in leaving.get("/").text
    assert "U bent uitgelogd." not in app.test_client().get("/").text


def test_off_when_the_setting_is_0(app, make_body):
    make_body()
    assert app.config["GUEST_PAGE_SECONDS"] == 0  # the tests' setting: each sees its own change
    guest = app.test_client()
    guest.get("/")
    assert count_queries(guest, "/") > 0


def test_a_returning_guest_keeps_getting_the_kept_page(app, keeping, make_body):
    make_body()
    app.test_client().get("/")  # the page is kept now
    guest = app.test_client()
    assert [count_queries(guest, "/") for _ in range(4)] == [0, 0, 0, 0]
