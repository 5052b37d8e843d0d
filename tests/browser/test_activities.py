"""Activities in a real browser: sign up in one click, land on the waiting list, move up when
others withdraw."""
import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _login_form, demo_url, start_live_server
from tests.pages import full_activity

pytestmark = [pytest.mark.browser, pytest.mark.dates]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Its own server: these tests change the data the other browser tests read."""
    server = start_live_server(tmp_path_factory.mktemp("activities-instance"))
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def watch_this_server(watcher, server):
    watcher.origin = server.url


def withdraw_as(new_context, server, email, url):
    page = new_context().new_page()
    _login_form(page, server, email)
    page.goto(url)
    page.get_by_role("button", name="Afmelden").click()
    expect(page.locator("#signup .flash")).to_contain_text("U bent afgemeld.")


def test_member_joins_the_waiting_list_and_moves_up(page, new_context, server):
    """Three members log in, each in a browser of their own, with axe on the way: a few seconds."""
    full = demo_url(server, full_activity)  # the demo's: two places, both taken, one member already waiting
    _login_form(page, server, "lid@example.org")
    page.goto(full)
    assert_accessible(page)
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Op de wachtlijst").click()
    expect(page.locator("#signup")).to_contain_text("Uw aanmelding: Op de wachtlijst")
    assert page.evaluate("window.notReloaded === true")  # htmx swapped the sign-up block
    assert_accessible(page)

    withdraw_as(new_context, server, "secretaris@example.org", full)  # the member waiting longer moves up
    page.reload()
    expect(page.locator("#signup")).to_contain_text("Op de wachtlijst")
    withdraw_as(new_context, server, "beheerder@example.org", full)  # now it is this member's turn
    page.reload()
    expect(page.locator("#signup")).to_contain_text("Uw aanmelding: Aangemeld")
