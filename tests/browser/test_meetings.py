"""Meetings in a real browser: plan one, build the agenda and reorder it with htmx, answer
attendance in one click, write the minutes; the calendar's month buttons swap in place."""
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _login_form, next_meeting, start_live_server

pytestmark = [pytest.mark.browser, pytest.mark.dates]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Its own server: these tests change the data the other browser tests read."""
    server = start_live_server(tmp_path_factory.mktemp("meetings-instance"))
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def watch_this_server(watcher, server):
    watcher.origin = server.url


def settled(page) -> None:
    """Wait until htmx has processed the swapped content (a person is never this quick)."""
    # Polled from here: wait_for_function would evaluate a string, which the strict CSP forbids.
    for _ in range(200):
        if page.evaluate("!document.querySelector('.htmx-settling, .htmx-swapping, .htmx-added, .htmx-request')"):
            return
        page.wait_for_timeout(20)
    raise AssertionError("htmx did not settle")


def agenda_titles(page) -> list[str]:
    return [title.strip() for title in page.locator("#agenda ol.agenda > li h3").all_inner_texts()]


def test_secretary_plans_a_meeting_builds_the_agenda_and_writes_minutes(page, server):
    """A meeting from plan to minutes in Chromium, with axe on five pages: a few seconds."""
    _login_form(page, server, "secretaris@example.org")
    page.goto(server.url + "/vergaderingen/nieuw")
    assert_accessible(page)
    page.get_by_label("Orgaan", exact=True).select_option(label="Klankbordgroep Werkplein Hart van Brabant")
    page.get_by_label("Titel", exact=True).fill("Extra vergadering over brieven")
    page.get_by_label("Datum", exact=True).fill((date.today() + timedelta(days=30)).isoformat())
    page.get_by_label("Begintijd").fill("19:30")
    page.get_by_label("Eindtijd").fill("21:00")
    with page.expect_navigation():
        page.get_by_role("button", name="Plannen").click()
    expect(page.locator("h1")).to_have_text("Extra vergadering over brieven")
    assert_accessible(page)

    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Toevoegen").click()  # nothing filled in
    expect(page.locator("#agenda .error-summary")).to_be_focused()
    expect(page.locator("#agenda .error-summary")).to_contain_text("Vul een titel in.")
    assert_accessible(page)
    settled(page)
    page.get_by_label("Onderwerp", exact=True).fill("Brief over de energietoeslag")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.locator("#agenda .flash")).to_contain_text("Het agendapunt is toegevoegd.")
    assert agenda_titles(page)[-3:] == ["Brief over de energietoeslag", "Rondvraag", "Sluiting"]  # before the closing items

    page.get_by_role("button", name="Omhoog: Brief over de energietoeslag").click()
    expect(page.locator("#agenda .flash")).to_contain_text("staat nu op plaats 3")
    assert agenda_titles(page)[2:4] == ["Brief over de energietoeslag", "Actiepunten"]
    # Focus stays on the button, so a keyboard user can press Enter again to move it further.
    expect(page.get_by_role("button", name="Omhoog: Brief over de energietoeslag")).to_be_focused()
    settled(page)
    page.keyboard.press("Enter")
    expect(page.locator("#agenda .flash")).to_contain_text("staat nu op plaats 2")
    assert page.evaluate("window.notReloaded === true")  # htmx swapped the agenda, no page load
    assert_accessible(page)

    page.get_by_role("button", name="Ik ben er", exact=True).click()
    expect(page.locator("#attendance")).to_contain_text("Uw antwoord: Ik ben er")
    assert page.evaluate("window.notReloaded === true")

    page.get_by_role("link", name="Verslag", exact=True).click()
    page.wait_for_load_state()
    page.get_by_label("Verslag", exact=True).fill("## Opening\n\nDe voorzitter opent de vergadering.")
    with page.expect_navigation():
        page.get_by_role("button", name="Verslag opslaan").click()
    expect(page.locator(".prose h3")).to_have_text("Opening")
    page.get_by_role("link", name="Delen met de leden").click()
    expect(page.get_by_role("heading", name="Verslag delen met de leden?")).to_be_focused()
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, verslag delen").click()
    expect(page.locator("#flash")).to_contain_text("Het verslag is gedeeld.")
    assert_accessible(page)


def test_reorder_works_without_javascript(new_context, server):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    _login_form(page, server, "secretaris@example.org")
    meeting_id, _items = next_meeting(server, visibility="public")  # one of the secretary's klankbordgroep
    page.goto(f"{server.url}/vergaderingen/{meeting_id}")
    before = agenda_titles(page)
    with page.expect_navigation():
        page.get_by_role("button", name=f"Omlaag: {before[0]}").click()
    assert agenda_titles(page)[:2] == [before[1], before[0]]


def test_calendar_month_buttons_swap_in_place_and_keep_the_address(page, server):
    page.goto(server.url + "/agenda?maand=2026-05")
    assert_accessible(page)
    page.evaluate("window.notReloaded = true")
    page.get_by_role("link", name="Volgende maand").click()
    expect(page.locator("#maand-kop")).to_have_text("juni 2026")
    assert page.url.endswith("maand=2026-06&weergave=maand&orgaan=") or "maand=2026-06" in page.url
    assert page.evaluate("window.notReloaded === true")


def test_calendar_is_readable_on_a_small_phone(new_context, server):
    context = new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(server.url + "/agenda")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways: {width}px"
    assert_accessible(page)
