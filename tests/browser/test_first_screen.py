"""The phone in one's hand, at 375 × 740, with and without JavaScript: the page starts within 120 px
of the top, and the page's own action (the answer to a meeting, the first signal, the first
events) is on the first screen."""
from datetime import time, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _login_form, start_live_server

pytestmark = [pytest.mark.browser, pytest.mark.dates]

PHONE = {"width": 375, "height": 740}
MAIN_TOP = 120  # px: the header with the folded menu, and no more


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Its own server with a coming public meeting of the demo member's body and a new signal."""
    server = start_live_server(tmp_path_factory.mktemp("first-screen-instance"))
    with server.app.test_request_context():  # the invitation's links
        from cpweb.auth.models import User
        from cpweb.core.database import utcnow
        from cpweb.core.extensions import db
        from cpweb.core.i18n import as_local, local_today
        from cpweb.meetings import actions, rules
        from cpweb.meetings.models import Meeting
        from cpweb.signals.logic import store_signal

        member = db.session.scalar(db.select(User).filter_by(email="lid@example.org"))
        body_id = min(member.body_ids)
        # A day soon on which the demo has no meeting of that body: planning one at the same time is refused.
        taken = {as_local(start).date() for start in db.session.scalars(
            db.select(Meeting.starts_at).filter_by(body_id=body_id))}
        day = next(day for day in (local_today() + timedelta(days=n) for n in range(9, 30)) if day not in taken)
        [meeting] = actions.plan_meetings(
            body_id, [day],
            {"title": "Vergadering over de eerste schermen", "start": time(19, 30), "end": time(21),
             "location": "Werkplein, zaal 2", "visibility": rules.PUBLIC}, utcnow())
        actions.invite(meeting.id)
        store_signal({"category": "werk", "sentiment": "beter", "organisation_kind": "gemeente",
                      "description": "De brief over mijn afspraak kwam een dag te laat."})
        db.session.commit()
        server.meeting_path = f"/vergaderingen/{meeting.id}"
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def watch_this_server(watcher, server):
    watcher.origin = server.url


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def phone(request, new_context, server):
    """phone(role): a page at 375 × 740, logged in as the role's demo account (not for "guest")."""

    def make(role):
        page = new_context(viewport=PHONE, java_script_enabled=request.param).new_page()
        if role != "guest":
            _login_form(page, server, f"{role}@example.org")
        return page

    return make


def top_of(page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown on {page.url}"
    return box["y"]


def bottom_of(page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown on {page.url}"
    return box["y"] + box["height"]


@pytest.mark.parametrize("role", ["guest", "lid"])
def test_main_starts_within_120_px_on_every_first_page(phone, server, role):
    page = phone(role)
    paths = ["/", "/agenda", server.meeting_path, "/signaal"] + (["/signalen"] if role == "lid" else [])
    for path in paths:
        assert page.goto(server.url + path).status == 200
        assert page.evaluate("scrollY") == 0
        assert top_of(page, "main") <= MAIN_TOP, f"{path}: main starts at {top_of(page, 'main')} px"
        assert page.locator(".site-menu nav").is_visible() is False  # folded


def test_the_answer_to_a_coming_meeting_is_on_the_first_screen(phone, server):
    page = phone("lid")
    page.goto(server.url + server.meeting_path)
    assert bottom_of(page, "#attendance button[value=yes]") <= PHONE["height"]
    assert bottom_of(page, "#attendance button[value=no]") <= PHONE["height"]


def coming_meeting_with_stukken(server) -> int:
    """The first planned meeting ahead with a stuk on its agenda (the demo puts one on the
    klankbordgroep's next meeting), whatever the day."""
    from cpweb.core.database import utcnow
    from cpweb.core.extensions import db
    from cpweb.documents.models import DocumentLink
    from cpweb.meetings import rules
    from cpweb.meetings.models import AgendaItem, Meeting

    with server.app.app_context():
        return db.session.scalar(
            db.select(Meeting.id).join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
            .join(DocumentLink, (DocumentLink.target_kind == "agenda_item") & (DocumentLink.target_id == AgendaItem.id))
            .filter(Meeting.status == rules.PLANNED, Meeting.starts_at > utcnow())
            .order_by(Meeting.starts_at).limit(1))


def test_the_answer_stays_on_the_first_screen_of_a_meeting_with_stukken_and_an_answer(phone, server):
    """The demo's next meeting has stukken (and their zip): they come after the answer, above the agenda."""
    page = phone("lid")
    meeting_path = f"{server.url}/vergaderingen/{coming_meeting_with_stukken(server)}"
    page.goto(meeting_path)
    assert page.get_by_text("Alle stukken (zip)").count() == 1
    page.locator("#attendance button[value=no]").click()
    expect(page.locator("#attendance")).to_contain_text("Uw antwoord")  # saved, by htmx or a new page
    page.goto(meeting_path)
    assert "Uw antwoord" in page.locator("#attendance").inner_text()
    assert bottom_of(page, "#attendance button[value=yes]") <= PHONE["height"]


def test_the_first_signal_of_the_triage_list_is_on_the_first_screen(phone, server):
    page = phone("lid")
    page.goto(server.url + "/signalen")
    assert page.locator("#signal-list tbody tr").count() >= 1
    assert bottom_of(page, "#signal-list tbody tr a") <= PHONE["height"]
    assert not page.locator(".folded-filters select").first.is_visible()  # the filters are folded


@pytest.mark.parametrize("role", ["guest", "lid"])
def test_the_first_events_of_the_agenda_are_on_the_first_screen(phone, server, role):
    page = phone(role)
    page.goto(server.url + "/agenda")
    assert bottom_of(page, "#calendar .meeting-list li a") <= PHONE["height"]


def test_the_menu_opens_and_closes_by_keyboard(phone, server):
    page = phone("lid")
    page.goto(server.url + "/")
    menu = page.locator(".site-menu > summary")
    menu.focus()
    page.keyboard.press("Enter")
    agenda = page.locator(".site-menu nav").get_by_role("link", name="Agenda")
    assert agenda.is_visible()
    assert agenda.bounding_box()["y"] < PHONE["height"]
    page.keyboard.press("Tab")  # on to the first link in the panel
    assert page.evaluate("document.activeElement.closest('.menu-panel') !== null")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert not agenda.is_visible()


def test_escape_folds_the_open_menu_and_gives_the_focus_back_to_its_button(new_context, server):
    """With JavaScript; without it the menu folds with its own button (the test above)."""
    page = new_context(viewport=PHONE).new_page()
    _login_form(page, server, "lid@example.org")
    page.goto(server.url + "/")
    menu = page.locator(".site-menu > summary")
    menu.click()
    agenda = page.locator(".site-menu nav").get_by_role("link", name="Agenda")
    agenda.focus()
    page.keyboard.press("Escape")
    assert not agenda.is_visible()
    assert page.evaluate("document.activeElement.matches('.site-menu > summary')")
    assert urlsplit(page.url).path == "/"  # only the menu closed


def test_on_a_wide_screen_the_menu_is_unfolded(new_context, server):
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    _login_form(page, server, "lid@example.org")
    page.goto(server.url + "/")
    assert not page.locator(".site-menu > summary").is_visible()
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    assert nav.get_by_role("link", name="Agenda").is_visible()
    assert page.get_by_role("link", name="Mijn profiel").is_visible()
    assert nav.bounding_box()["y"] < 120  # the bar right under the header
