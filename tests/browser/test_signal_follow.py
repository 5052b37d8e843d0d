"""A visitor's signal in a real browser, with and without JavaScript: from the form to the page that
follows it, where the secretary's message and the new status show up."""
import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _login_form, start_live_server

pytestmark = pytest.mark.browser

SECRETARY = "secretaris@example.org"
STORY = "Ik wachtte drie weken op een antwoord over mijn uitkering. Niemand belde terug."
MESSAGE = "Dank u wel. Wij bespreken dit met het Werkplein en laten u weten wat eruit komt."


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Its own server: these tests send signals. The secretary logs in with the password alone
    (tests/browser/test_signin.py is about the second step), and the form may be sent at once."""
    server = start_live_server(tmp_path_factory.mktemp("follow-instance"), TWO_FACTOR_ROLES=[],
                               SIGNAL_MIN_FILL_SECONDS=0)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def watch_this_server(watcher, server):
    watcher.origin = server.url


def signal_id(server, reference: str) -> int:
    from cpweb.core.extensions import db
    from cpweb.signals.models import Signal

    with server.app.app_context():
        return db.session.scalar(db.select(Signal.id).filter_by(reference=reference))


def send_signal(page, server) -> str:
    """The visitor fills in the form; returns the link on the receipt."""
    page.goto(server.url + "/signaal")
    page.locator("input[name=category]").first.check()
    page.locator("input[name=sentiment][value=beter]").check()
    page.locator("input[name=organisation_kind][value=uwv]").check()
    page.locator("select[name=municipality]").select_option(index=1)
    page.fill("textarea[name=description]", STORY)
    page.fill("input[name=contact_name]", "Mila de Boer")
    page.fill("input[name=contact_email]", "mila@example.org")
    page.locator("input[name=consent]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Signaal versturen").click()
    expect(page.locator("h1")).to_have_text("Dank u wel voor uw signaal")
    return page.get_by_role("link", name="Volg uw signaal").get_attribute("href")


@pytest.mark.parametrize("javascript", [True, False], ids=["met-js", "zonder-js"])
def test_a_visitor_follows_their_signal_to_the_secretarys_message(new_context, server, javascript):
    """Two browsers (visitor and secretary), the form, a confirmation and a status change, axe on
    three pages: a few seconds."""
    visitor = new_context(java_script_enabled=javascript).new_page()
    link = send_signal(visitor, server)
    reference = visitor.locator(".reference").inner_text()
    visitor.goto(server.url + link)
    expect(visitor.locator("h1")).to_have_text(f"Uw signaal {reference}")
    expect(visitor.locator("#follow-status")).to_have_text("Ontvangen")
    expect(visitor.get_by_text("Er zijn nog geen berichten voor u.")).to_be_visible()
    if javascript:  # axe runs as a script in the page
        assert_accessible(visitor)
    # The reference alone shows nothing.
    assert visitor.goto(f"{server.url}/signaal/{reference}").status == 404

    secretary = new_context(java_script_enabled=javascript).new_page()
    _login_form(secretary, server, SECRETARY)
    secretary.goto(f"{server.url}/signalen/{signal_id(server, reference)}")
    secretary.get_by_role("link", name="Bericht schrijven").click()
    expect(secretary.locator("h1")).to_have_text("Bericht aan de indiener sturen?")
    expect(secretary.locator(".confirm-recipients")).to_have_text("Mila de Boer")
    if javascript:
        assert_accessible(secretary)
    secretary.get_by_label("Bericht voor de indiener").fill(MESSAGE)
    with secretary.expect_navigation():
        secretary.get_by_role("button", name="Bericht versturen").click()
    expect(secretary.locator("#flash")).to_contain_text("Het bericht staat op de pagina van de indiener.")
    secretary.locator("select[name=status]").select_option("in_behandeling")
    if javascript:
        secretary.get_by_role("button", name="Status opslaan").click()
    else:
        with secretary.expect_navigation():
            secretary.get_by_role("button", name="Status opslaan").click()
    expect(secretary.get_by_text("De status is nu: In behandeling.")).to_be_visible()

    visitor.goto(server.url + link)
    expect(visitor.locator("#follow-status")).to_have_text("In behandeling")
    expect(visitor.locator(".messages-for-visitor")).to_contain_text(MESSAGE)
    expect(visitor.get_by_text("Mila de Boer")).to_have_count(0)
    if javascript:  # axe runs as a script in the page
        assert_accessible(visitor)


def test_the_reference_in_the_heading_stays_whole_on_a_phone(new_context, server):
    """"S-2026-0043" broke after its second hyphen at 375 px: a visitor copying it down read two codes."""
    visitor = new_context(viewport={"width": 375, "height": 740}).new_page()
    link = send_signal(visitor, server)
    reference = visitor.locator(".reference").inner_text()
    visitor.goto(server.url + link)
    expect(visitor.locator("h1")).to_have_text(f"Uw signaal {reference}")
    # The lines the reference takes in the heading, whatever element holds it.
    lines = visitor.evaluate("""reference => {
        const h1 = document.querySelector('h1'), walker = document.createTreeWalker(h1, NodeFilter.SHOW_TEXT);
        for (let node; (node = walker.nextNode());) {
            const at = node.data.indexOf(reference);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + reference.length);
            return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
        }
        return 0;
    }""", reference)
    assert lines == 1
