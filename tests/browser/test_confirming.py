"""Asking first, in a real browser, with and without JavaScript: cancelling a meeting opens a
confirmation that takes focus and names who gets the mail; nothing happens before confirming,
"Terug" leaves without effect, and the mail carries the personal message to exactly those named."""
from datetime import time, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _login_form, start_live_server

pytestmark = pytest.mark.browser

BODY = "Klankbordgroep Werkplein Hart van Brabant"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Its own server: these tests cancel meetings."""
    server = start_live_server(tmp_path_factory.mktemp("confirm-instance"))
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def watch_this_server(watcher, server):
    watcher.origin = server.url


def plan(server, title: str) -> int:
    from cpweb.bodies.models import Body
    from cpweb.database import utcnow
    from cpweb.extensions import db
    from cpweb.i18n import local_today
    from cpweb.meetings import logic, rules

    with server.app.app_context():
        body = db.session.scalar(db.select(Body).filter_by(name=BODY))
        meeting = logic.create_meetings(body.id, [local_today() + timedelta(days=20)], {
            "title": title, "kind": rules.REGULAR, "location": "Werkplein", "online_url": "",
            "visibility": rules.MEMBERS, "start": time(19, 30), "end": time(21, 0)}, publish_at=utcnow())[0]
        db.session.commit()
        return meeting.id


def status_and_mails(server, meeting_id: int, title: str) -> tuple[str, list[tuple[str, str]]]:
    """The meeting's status, and the (name, body) of each cancellation mail about it."""
    from cpweb.auth.models import User
    from cpweb.extensions import db
    from cpweb.mail import outbox
    from cpweb.meetings.models import Meeting

    with server.app.app_context():
        names = {user.email: user.name for user in db.session.scalars(db.select(User))}
        mails = [(names[m.to], m.body) for m in outbox() if m.subject.startswith(f"Afgelast: {title}")]
        return db.session.get(Meeting, meeting_id).status, mails


def cancel_with_a_message(page, server, title: str, meeting_id: int, in_place: bool) -> None:
    page.goto(f"{server.url}/vergaderingen/{meeting_id}")
    if in_place:
        page.evaluate("window.notReloaded = true")
    page.get_by_role("link", name="Vergadering afgelasten").click()
    heading = page.get_by_role("heading", name="Vergadering afgelasten?")
    expect(heading).to_be_focused()
    assert page.url.endswith(f"/vergaderingen/{meeting_id}/afgelasten")
    if in_place:  # axe needs JavaScript too
        assert page.evaluate("window.notReloaded === true")  # opened in place, no page load
        assert_accessible(page)
    named = [name.strip() for name in page.locator(".confirm-recipients li").all_inner_texts()]
    assert named and page.get_by_text(f"{len(named)} mensen krijgen een e-mail").is_visible()
    assert status_and_mails(server, meeting_id, title) == ("planned", [])  # nothing before confirming

    with page.expect_navigation():
        page.get_by_role("link", name="Terug").click()
    expect(page.locator("h1")).to_have_text(title)
    assert status_and_mails(server, meeting_id, title) == ("planned", [])  # "Terug" changed nothing
    if in_place:  # Escape does what "Terug" does
        page.get_by_role("link", name="Vergadering afgelasten").click()
        expect(page.get_by_role("heading", name="Vergadering afgelasten?")).to_be_focused()
        with page.expect_navigation():
            page.keyboard.press("Escape")
        expect(page.locator("h1")).to_have_text(title)
        assert status_and_mails(server, meeting_id, title) == ("planned", [])

    page.get_by_role("link", name="Vergadering afgelasten").click()
    page.get_by_label("Persoonlijk bericht").fill("De zaal is niet beschikbaar. Tot de volgende keer!")
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, vergadering afgelasten").click()
    expect(page.locator("#flash")).to_contain_text("De vergadering is afgelast.")
    expect(page.get_by_role("link", name="De vergadering gaat toch door")).to_be_visible()
    status, mails = status_and_mails(server, meeting_id, title)
    assert status == "cancelled"
    assert sorted(name for name, _body in mails) == sorted(named)
    assert all("De zaal is niet beschikbaar. Tot de volgende keer!" in body for _name, body in mails)


def test_cancelling_a_meeting_asks_first_in_place(page, server):
    title = "Vergadering om af te gelasten (met JavaScript)"
    meeting_id = plan(server, title)
    _login_form(page, server, "secretaris@example.org")
    cancel_with_a_message(page, server, title, meeting_id, in_place=True)


def test_cancelling_a_meeting_asks_first_without_javascript(new_context, server):
    title = "Vergadering om af te gelasten (zonder JavaScript)"
    meeting_id = plan(server, title)
    page = new_context(java_script_enabled=False).new_page()
    _login_form(page, server, "secretaris@example.org")
    cancel_with_a_message(page, server, title, meeting_id, in_place=False)
