"""An advice dossier in a real browser: from idea to outcome, each step by its own form."""
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _login_form, start_live_server

pytestmark = [pytest.mark.browser, pytest.mark.dates]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Its own server: this test changes the data the other browser tests read."""
    server = start_live_server(tmp_path_factory.mktemp("advice-instance"))
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def watch_this_server(watcher, server):
    watcher.origin = server.url


def take_step(page, step: str, **fields):
    page.locator("select[name=target]").select_option(label=step)
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    with page.expect_navigation():
        page.get_by_role("button", name="Stap opslaan").click()
    expect(page.locator("#flash")).to_contain_text(f"De stap is opgeslagen: {step}.")


def test_secretary_walks_an_advice_from_idea_to_outcome(page, server):
    """One advice through all its steps in Chromium, with axe on four pages: a few seconds."""
    _login_form(page, server, "secretaris@example.org")
    page.goto(server.url + "/advies/nieuw")
    assert_accessible(page)
    page.get_by_label("Onderwerp van het advies").fill("Wachttijden bij de schuldhulp")
    page.get_by_label("Ongevraagd advies").check()
    page.get_by_label("Aan wie?").select_option(label="Gemeente Tilburg")
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("h1")).to_have_text("Wachttijden bij de schuldhulp")
    assert_accessible(page)

    sent = date.today() - timedelta(days=40)
    take_step(page, "In voorbereiding")
    take_step(page, "Uitgebracht", **{"Verstuurd op": sent.isoformat()})
    page.locator("select[name=target]").select_option(label="Reactie ontvangen")
    page.get_by_label("Reactie ontvangen op", exact=True).fill((sent - timedelta(days=1)).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Stap opslaan").click()
    expect(page.locator(".error-summary")).to_contain_text("De reactie kan niet eerder zijn dan het advies.")
    assert page.title().startswith("Fout:")
    assert_accessible(page)
    take_step(page, "Reactie ontvangen", **{"Reactie ontvangen op": date.today().isoformat(),
                                            "Wat staat er in de reactie?": "De gemeente neemt het advies over."})
    page.get_by_label("Wat is er met het advies gedaan?").select_option(label="Overgenomen")
    take_step(page, "Afgerond")
    expect(page.locator(".facts")).to_contain_text("Overgenomen")
    expect(page.locator("#tijdlijn + ol li")).to_have_count(5)
    assert_accessible(page)
