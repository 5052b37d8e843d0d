"""The handbook in a real browser: a secretary edits a page twice and restores the first version,
and moves pages in the contents with htmx; axe on each page on the way."""
import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _login_form, start_live_server

pytestmark = pytest.mark.browser
PAGE = "/handboek/hoe-vaak-vergaderen-we"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Its own server: these tests change the data the other browser tests read."""
    server = start_live_server(tmp_path_factory.mktemp("handbook-instance"))
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def watch_this_server(watcher, server):
    watcher.origin = server.url


def edit(page, server, text, note):
    page.goto(server.url + PAGE + "/bewerken")
    assert_accessible(page)
    page.get_by_label("Tekst").fill(text)
    page.get_by_label("Wat heeft u veranderd? (niet verplicht)").fill(note)
    with page.expect_navigation():
        page.get_by_role("button", name="Pagina opslaan").click()
    expect(page.locator("#flash")).to_contain_text("De pagina is opgeslagen.")


def test_edit_twice_and_restore_the_first_version(page, server):
    """Two edits, the versions and a restore in Chromium, with axe on five pages: a few seconds."""
    _login_form(page, server, "secretaris@example.org")
    page.goto(server.url + PAGE)
    assert_accessible(page)
    first_text = page.locator(".prose").inner_text()
    edit(page, server, "We vergaderen elke **dinsdag**.", "Dag toegevoegd")
    expect(page.locator(".prose strong")).to_have_text("dinsdag")
    edit(page, server, "We vergaderen elke donderdag.", "Toch donderdag")

    page.get_by_role("link", name="Alle versies").click()
    expect(page.locator("h1")).to_contain_text("Versies van")
    expect(page.locator("tbody tr")).to_have_count(3)
    assert_accessible(page)
    page.get_by_role("link", name="Versie 3").click()
    expect(page.locator("del")).to_contain_text("dinsdag")
    expect(page.locator("ins")).to_contain_text("donderdag")
    assert_accessible(page)

    page.goto(server.url + PAGE + "/versies/1")
    with page.expect_navigation():
        page.get_by_role("button", name="Versie 1 terugzetten").click()
    expect(page.locator("#flash")).to_contain_text("Versie 1 staat weer op de pagina, als versie 4.")
    assert page.locator(".prose").inner_text() == first_text
    page.goto(server.url + PAGE + "/versies")
    expect(page.locator("tbody tr")).to_have_count(4)
    expect(page.locator("tbody tr").first).to_contain_text("Versie 1 teruggezet")


def test_a_conflict_keeps_both_texts(page, new_context, server):
    """Two people log in, each in a browser of their own, and edit the same page: a few seconds."""
    _login_form(page, server, "secretaris@example.org")
    page.goto(server.url + "/handboek/wie-zit-er-in-de-raad/bewerken")
    page.get_by_label("Tekst").fill("Mijn nieuwe tekst.")
    other = new_context().new_page()
    _login_form(other, server, "beheerder@example.org")
    other.goto(server.url + "/handboek/wie-zit-er-in-de-raad/bewerken")
    other.get_by_label("Tekst").fill("De tekst van de beheerder.")
    with other.expect_navigation():
        other.get_by_role("button", name="Pagina opslaan").click()

    page.get_by_role("button", name="Pagina opslaan").click()
    expect(page.locator(".conflict")).to_contain_text("Iemand anders heeft deze pagina ook veranderd")
    expect(page.get_by_label("Tekst")).to_have_value("Mijn nieuwe tekst.")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Mijn versie opslaan").click()
    expect(page.locator(".prose")).to_have_text("Mijn nieuwe tekst.")


def test_reorder_the_contents_with_htmx(page, server):
    """Logging in and two moves, each waiting for htmx's swap, with axe twice: a few seconds."""
    _login_form(page, server, "secretaris@example.org")
    page.goto(server.url + "/handboek/")
    assert_accessible(page)
    chapters = page.locator("#contents > ol > li > a")
    first, second = chapters.nth(0).inner_text(), chapters.nth(1).inner_text()
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name=f"Omlaag: {first}").click()
    expect(page.locator("#contents .flash")).to_contain_text(f"‘{first}’ is verplaatst.")
    expect(chapters.nth(0)).to_have_text(second)
    expect(chapters.nth(1)).to_have_text(first)
    assert page.evaluate("window.notReloaded === true")  # htmx swapped the contents block
    # Focus stays on the button that moved, so pressing it again moves further.
    assert page.evaluate("document.activeElement.id") == page.get_by_role(
        "button", name=f"Omlaag: {first}").get_attribute("id")
    assert_accessible(page)
    page.get_by_role("button", name=f"Omhoog: {first}").click()
    expect(chapters.nth(0)).to_have_text(first)


def test_search_marks_what_it_found(page, server):
    _login_form(page, server, "lid@example.org")
    page.goto(server.url + "/handboek/")
    page.get_by_label("Zoeken in het handboek").fill("ambassa")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Zoeken").click()
    expect(page.locator(".search-results mark").first).to_have_text("ambassadeurs")
    assert_accessible(page)
