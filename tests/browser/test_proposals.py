"""Proposals in a real browser: answer and change an answer with htmx and without JavaScript, on a
phone's width; the secretary reads the outcome back before it is mailed."""
import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _login_form, demo_url, start_live_server
from tests.browser.test_meetings import settled
from tests.pages import date_poll, proposal_waiting_for_outcome

pytestmark = [pytest.mark.browser, pytest.mark.dates]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Its own server: these tests answer the demo's proposals."""
    server = start_live_server(tmp_path_factory.mktemp("proposals-instance"))
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def watch_this_server(watcher, server):
    watcher.origin = server.url


def test_a_member_answers_and_changes_the_answer_in_place(new_context, server):
    """Consent with htmx at 360 px, with axe on the page after each swap: a few seconds."""
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    _login_form(page, server, "lid@example.org")
    page.goto(server.url + "/")
    page.get_by_role("link", name="Concept-advies over het ketenjaarplan").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways"
    assert_accessible(page)
    page.evaluate("window.notReloaded = true")

    page.get_by_label("Ik heb een bezwaar").check()
    page.get_by_role("button", name="Antwoord opslaan").click()
    expect(page.locator("#answers .error-summary")).to_be_focused()
    expect(page.locator("#answers .error-summary")).to_contain_text("Schrijf op wat uw bezwaar is.")
    expect(page.get_by_label("Ik heb een bezwaar")).to_be_checked()  # the choice is kept
    assert_accessible(page)
    settled(page)

    page.get_by_label("Uw opmerking (nodig bij een bezwaar)").fill("De planning is te krap.")
    page.get_by_role("button", name="Antwoord opslaan").click()
    expect(page.locator("#answers .flash")).to_contain_text("Uw antwoord is opgeslagen.")
    expect(page.locator("#uitslag ~ p strong")).to_have_text("2 stemmen in, 1 bezwaar")
    expect(page.locator("#answers")).to_contain_text("De planning is te krap.")
    settled(page)

    page.get_by_label("Ik stem in").check()
    page.get_by_role("button", name="Antwoord veranderen").click()
    expect(page.locator("#uitslag ~ p strong")).to_have_text("3 stemmen in")
    expect(page.get_by_label("Ik stem in")).to_be_checked()
    assert page.evaluate("window.notReloaded === true")  # htmx swapped the answers, no page load
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)


def test_a_member_answers_a_date_poll_without_javascript(new_context, server):
    page = new_context(java_script_enabled=False).new_page()
    _login_form(page, server, "lid@example.org")
    page.goto(demo_url(server, date_poll))
    fieldsets = page.locator("#answers fieldset")
    expect(fieldsets).to_have_count(3)
    for n in range(3):
        fieldsets.nth(n).get_by_label("Ja, ik kan").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Antwoord opslaan").click()
    expect(page.locator("#flash")).to_contain_text("Uw antwoord is opgeslagen.")
    expect(page.locator("#answers")).to_contain_text("4 van de 6 leden hebben geantwoord.")

    fieldsets.nth(0).get_by_label("Nee, ik kan niet").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Antwoord veranderen").click()
    expect(fieldsets.nth(0).get_by_label("Nee, ik kan niet")).to_be_checked()
    expect(fieldsets.nth(1).get_by_label("Ja, ik kan")).to_be_checked()
    expect(page.locator("#answers")).to_contain_text("4 van de 6 leden hebben geantwoord.")


def test_the_secretary_reads_the_outcome_back_before_it_goes_out(page, server):
    _login_form(page, server, "secretaris@example.org")
    page.goto(demo_url(server, proposal_waiting_for_outcome))
    expect(page.locator("#answers")).to_contain_text("Dit voorstel is anoniem")
    page.get_by_label("Besloten").check()
    page.get_by_label("De uitkomst in een paar zinnen").fill("De themavergadering gaat over schuldhulp.")
    with page.expect_navigation():
        page.get_by_role("button", name="Verder: uitkomst nalezen").click()
    expect(page.locator("h1")).to_have_text("Uitkomst nalezen")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Uitkomst vastleggen en versturen").click()
    expect(page.locator("#uitkomst")).to_contain_text("De themavergadering gaat over schuldhulp.")
    assert_accessible(page)
