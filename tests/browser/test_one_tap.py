"""One tap: the calendar address copied with a button (and selected by hand without JavaScript).

These tests make a member's private calendar address, so they run on a server of their own.
"""
import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _login_form, start_live_server

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def server(tmp_path_factory, browser_type_launch_args):
    server = start_live_server(tmp_path_factory.mktemp("one-tap-instance"))
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def watch_this_server(watcher, server):
    watcher.origin = server.url


def _subscribe_page(page, server):
    _login_form(page, server, "lid@example.org")
    page.goto(server.url + "/agenda/koppelen")
    make = page.get_by_role("button", name="Maak mijn persoonlijke adres")
    if make.count():
        with page.expect_navigation():
            make.click()
    return page.get_by_role("textbox", name="Uw persoonlijke adres")


def test_the_copy_button_copies_the_address(new_context, server):
    context = new_context(viewport=PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page = context.new_page()
    address = _subscribe_page(page, server)
    expect(page.get_by_role("link", name="Toevoegen aan mijn agenda", exact=True)).to_have_attribute("href", "webcal:" + address.input_value().split(":", 1)[1])
    page.get_by_role("button", name="Adres kopiëren").first.click()
    expect(page.locator("#feed-address ~ .copy-actions [role=status]")).to_have_text("Gekopieerd")
    assert page.evaluate("navigator.clipboard.readText()") == address.input_value()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)


def test_without_javascript_the_address_is_selectable_and_no_dead_button(new_context, server):
    page = new_context(java_script_enabled=False, viewport=PHONE).new_page()
    address = _subscribe_page(page, server)
    expect(address).to_have_attribute("readonly", "")
    expect(page.get_by_role("button", name="Adres kopiëren")).to_have_count(0)  # hidden: it needs the script
    address.select_text()
    assert page.evaluate("window.getSelection().toString() || document.activeElement.value") .startswith("http")


@pytest.mark.parametrize("javascript", [True, False])
def test_the_chosen_file_is_kept_after_a_mistake(new_context, server, tmp_path, javascript):
    page = new_context(java_script_enabled=javascript, viewport=PHONE).new_page()
    _login_form(page, server, "lid@example.org")
    chosen = tmp_path / f"Notitie {javascript}.txt"
    chosen.write_text(f"Notitie over de wachtkamer, met JavaScript: {javascript}.", encoding="utf-8")
    page.goto(server.url + "/documenten/nieuw")
    page.set_input_files("input[name=file]", str(chosen))
    page.select_option("select[name=category]", "verslag")
    page.check("input[name=visibility][value=members]")
    page.get_by_role("button", name="Document opslaan").click()  # no title
    expect(page.locator(".error-summary")).to_contain_text("Vul een titel in.")
    expect(page.locator(".kept-file")).to_have_text(f"Gekozen bestand: {chosen.name} (1 kB)")
    expect(page.get_by_label("Een ander bestand kiezen (niet verplicht)")).to_have_value("")
    if javascript:  # axe runs in the page
        assert_accessible(page)
    page.fill("input[name=title]", f"Notitie wachtkamer {javascript}")
    page.get_by_role("button", name="Document opslaan").click()
    expect(page.locator("h1")).to_have_text(f"Notitie wachtkamer {javascript}")
    expect(page.get_by_role("link", name=chosen.name)).to_be_visible()  # the download of the kept file


def test_the_app_opens_from_the_setup_and_new_codes_are_saved_and_printed(page, server):
    """On a phone: the otpauth:// link next to the QR code, then the codes as a file and on paper."""
    import pyotp

    page.set_viewport_size(PHONE)
    _login_form(page, server, "wim@example.org")  # a member without a second factor
    page.goto(server.url + "/profiel/tweede-stap/app")
    link = page.get_by_role("link", name="Open de app op deze telefoon")
    key = page.locator("code.secret-key").inner_text().replace(" ", "")
    assert link.get_attribute("href").startswith("otpauth://totp/") and f"secret={key}" in link.get_attribute("href")
    page.fill("input[name=code]", pyotp.TOTP(key).now())
    page.get_by_role("button", name="Tweede stap aanzetten").click()
    codes = page.locator("ul.recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    with page.expect_download() as info:
        page.get_by_role("button", name="Codes opslaan als bestand").click()
    assert info.value.suggested_filename == "herstelcodes.txt"
    saved = info.value.path().read_text(encoding="utf-8")
    assert all(code in saved for code in codes)

    page.get_by_role("button", name="Codes afdrukken").click()
    expect(page.locator("h1")).to_contain_text("Herstelcodes voor")
    assert page.locator("ol.recovery-codes code").all_inner_texts() == codes
    page.evaluate("window.print = function () { window.printed = true; }")
    page.get_by_role("button", name="Afdrukken").click()  # shown by print.js
    assert page.evaluate("window.printed === true")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Afdrukken")).to_be_hidden()
    assert_accessible(page)
