"""A signal put on a meeting's agenda in a real browser: the status form asks for the agenda item,
the signal links the meeting, the agenda shows the signal without contact details."""
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _login_form, start_live_server

pytestmark = [pytest.mark.browser, pytest.mark.dates]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Its own server: this test plans a meeting and changes a signal."""
    server = start_live_server(tmp_path_factory.mktemp("signals-agenda-instance"))
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def watch_this_server(watcher, server):
    watcher.origin = server.url


def test_secretary_puts_a_signal_on_a_new_agenda_item(page, server):
    _login_form(page, server, "secretaris@example.org")
    page.goto(server.url + "/vergaderingen/nieuw")
    page.get_by_label("Orgaan", exact=True).select_option(label="Klankbordgroep Werkplein Hart van Brabant")
    page.get_by_label("Titel", exact=True).fill("Vergadering over signalen")
    page.get_by_label("Datum", exact=True).fill((date.today() + timedelta(days=20)).isoformat())
    page.get_by_label("Begintijd").fill("19:30")
    page.get_by_label("Eindtijd").fill("21:00")
    with page.expect_navigation():
        page.get_by_role("button", name="Plannen").click()
    meeting_url = page.url

    page.goto(server.url + "/signalen")
    page.locator("#signal-list tbody a").first.click()
    page.wait_for_load_state()
    reference = page.locator("h1").inner_text().removeprefix("Signaal ")
    page.locator("select[name=status]").select_option(label="In behandeling")
    page.get_by_role("button", name="Status opslaan").click()
    expect(page.locator("#signal-triage .flash")).to_contain_text("De status is nu: In behandeling.")
    page.locator("select[name=status]").select_option(label="Geagendeerd")
    agenda = page.get_by_label("Op welke agenda? (bij geagendeerd)")
    new_item = [o for o in agenda.locator("option").all_inner_texts()
                if "Vergadering over signalen: een nieuw agendapunt" in o]
    assert new_item, "the new meeting is offered"
    page.get_by_role("button", name="Status opslaan").click()  # no agenda chosen yet
    expect(page.locator("#signal-triage .error-summary")).to_contain_text("Kies op welke agenda het signaal komt.")
    agenda.select_option(label=new_item[0])
    page.get_by_label("Titel van het nieuwe agendapunt (niet verplicht)").fill("Brieven die niemand begrijpt")
    page.get_by_role("button", name="Status opslaan").click()
    expect(page.locator("#signal-triage .flash")).to_contain_text("De status is nu: Geagendeerd.")
    link = page.locator("#signal-agenda a")
    expect(link).to_contain_text("Vergadering over signalen: Brieven die niemand begrijpt")
    assert_accessible(page)

    with page.expect_navigation():
        link.click()
    assert page.url.startswith(meeting_url)
    item = page.locator("#agenda li", has=page.locator("h3", has_text="Brieven die niemand begrijpt"))
    expect(item.locator(".item-signals")).to_contain_text(reference)
    assert_accessible(page)
