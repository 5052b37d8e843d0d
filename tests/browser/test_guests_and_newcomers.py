"""Guests and new members in a real browser: a guest signs up for a public activity and confirms with
the link from the mail; a new member's home page starts with first steps until they hide them."""
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _login_form, start_live_server

pytestmark = [pytest.mark.browser, pytest.mark.dates]

ACTIVITY = "Informatieavond: de nieuwe Participatiewet"  # open to everyone in the demo, with places


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Its own server: these tests sign guests up and hide members' first steps."""
    server = start_live_server(tmp_path_factory.mktemp("guests-newcomers-instance"))
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def watch_this_server(watcher, server):
    watcher.origin = server.url


def confirmation_path(server, email: str) -> str:
    """The path of the link in the mail that asks this guest to confirm (the mail names SITE_URL's host)."""
    from cpweb.mail import outbox, wait_for_sending

    with server.app.app_context():
        wait_for_sending(server.app, timeout=10)
        bodies = [m.body for m in outbox() if m.to == email and m.subject == f"Bevestig uw aanmelding: {ACTIVITY}"]
    assert len(bodies) == 1
    return urlsplit(re.search(r"https?://\S+/activiteiten/aanmelding/\S+", bodies[0]).group(0)).path


def confirmed_mail(server, email: str) -> str:
    from cpweb.mail import outbox, wait_for_sending

    with server.app.app_context():
        wait_for_sending(server.app, timeout=10)
        bodies = [m.body for m in outbox() if m.to == email and m.subject == f"Aangemeld: {ACTIVITY}"]
    assert len(bodies) == 1
    return bodies[0]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_guest_confirms_and_sees_what_when_and_where(new_context, server, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    email = f"gast-{'js' if javascript else 'nojs'}@example.net"
    page.goto(f"{server.url}/activiteiten/")
    with page.expect_navigation():
        page.get_by_role("link", name=ACTIVITY).click()
    activity_url = page.url
    page.get_by_label("Uw naam").fill("Gea Gast")
    page.get_by_label("Uw e-mailadres").fill(email)
    with page.expect_navigation():
        page.get_by_role("button", name="Aanmelden", exact=True).click()

    page.goto(server.url + confirmation_path(server, email))
    expect(page.locator("h1")).to_have_text("Aanmelding bevestigen")
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, ik kom").click()

    expect(page.locator("h1")).to_have_text("U bent aangemeld")
    expect(page.get_by_text("Aanmelding bevestigen")).to_have_count(0)
    expect(page.get_by_role("button", name="Ja, ik kom")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(f"U komt naar ‘{ACTIVITY}’.")
    facts = page.locator("dl.facts")
    expect(facts.locator("dt")).to_contain_text(["Wanneer", "Waar"])
    expect(facts).to_contain_text("Werkplein, Stationsstraat 1")
    expect(facts).to_contain_text("15:30")
    ics = page.get_by_role("link", name="Zet in mijn agenda")
    assert ics.get_attribute("href").endswith("/agenda.ics")
    response = page.request.get(server.url + ics.get_attribute("href"))
    assert response.ok and "BEGIN:VEVENT" in response.text() and ACTIVITY.split(":")[0] in response.text()
    if javascript:
        assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Terug naar de activiteit").click()
    assert page.url == activity_url

    mail = confirmed_mail(server, email)
    assert "Werkplein, Stationsstraat 1" in mail and "15:30" in mail


def welcome_title(server, email: str) -> str:
    """The title of the handbook page a new member starts reading."""
    from cpweb.auth.models import User
    from cpweb.core.extensions import db
    from cpweb.handbook.logic import welcome_page

    with server.app.app_context():
        page = welcome_page(db.session.scalar(db.select(User).filter_by(email=email)))
        assert page is not None, "the demo has a handbook"
        return page.title


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_new_member_hides_the_first_steps(new_context, server, javascript):
    from cpweb.auth.models import User
    from cpweb.core.extensions import db

    email = "lid@example.org" if javascript else "ria@example.org"
    with server.app.app_context():
        db.session.scalar(db.select(User).filter_by(email=email)).first_steps_hidden_at = None
        db.session.commit()
    page = new_context(java_script_enabled=javascript).new_page()
    _login_form(page, server, email)
    page.goto(server.url + "/")
    steps = page.locator("section", has=page.get_by_role("heading", name="Eerste stappen"))
    expect(steps).to_be_visible()
    for name in ("Klankbordgroep Werkplein Hart van Brabant", "agenda koppelen", "e-mails kiezen"):
        expect(steps.get_by_role("link", name=name)).to_be_visible()
    expect(steps.get_by_role("link", name=welcome_title(server, email))).to_be_visible()
    assert steps.get_by_role("link", name="e-mails kiezen").get_attribute("href").endswith("#emails")
    if javascript:
        assert_accessible(page)

    with page.expect_navigation():
        steps.get_by_role("button", name="Ik weet de weg. Verberg dit.").click()
    expect(page.get_by_role("heading", name="Eerste stappen")).to_have_count(0)
    expect(page.get_by_role("heading", name="Mijn organen")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Welkom, ", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name="Eerste stappen")).to_have_count(0)
    with server.app.app_context():
        assert db.session.scalar(db.select(User).filter_by(email=email)).first_steps_hidden_at is not None
