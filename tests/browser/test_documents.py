"""Documents in a real browser: upload with the progress bar, search as you type, download.

These tests add documents, so they run on a server of their own (see live_server's docstring).
"""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _login_form, start_live_server

pytestmark = pytest.mark.browser

WORD = "zeldzaamwoord"


@pytest.fixture(scope="module")
def own_server(tmp_path_factory, browser_type_launch_args):
    server = start_live_server(tmp_path_factory.mktemp("documents-instance"))
    yield server
    server.stop()


def test_upload_with_progress_then_search_as_you_type_and_download(page, own_server, tmp_path, watcher):
    """A 2 MB upload, search and download in Chromium, with axe on three pages: a few seconds."""
    watcher.origin = own_server.url
    _login_form(page, own_server, "lid@example.org")
    text = ("Verslag van de cliëntenraad over het " + WORD + ".\n") + ("Een regel tekst over werk. " * 40 + "\n") * 2500
    upload = tmp_path / "Verslag cliëntenraad.txt"
    upload.write_text(text, encoding="utf-8")
    assert upload.stat().st_size > 2 * 1024 * 1024

    page.goto(own_server.url + "/documenten/nieuw")
    assert_accessible(page)
    values = []
    page.expose_function("reportProgress", lambda value: values.append(value))
    # Runs after documents.js's own listener (registered first), so it sees the bar as updated.
    page.evaluate("""document.addEventListener('htmx:xhr:progress', function () {
        var box = document.querySelector('.upload-progress');
        window.reportProgress(box.hidden ? -1 : document.querySelector('#upload-progress-bar').value);
    })""")
    page.set_input_files("input[name=file]", str(upload))
    page.fill("input[name=title]", "Verslag met een zeldzaam woord")
    page.select_option("select[name=category]", "verslag")
    page.check("input[name=visibility][value=members]")
    with page.expect_navigation():
        page.get_by_role("button", name="Document opslaan").click()
    assert values and -1 not in values and max(values) == 100
    expect(page.locator("h1")).to_have_text("Verslag met een zeldzaam woord")
    expect(page.locator("#flash")).to_contain_text("staat in de bibliotheek")
    assert_accessible(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Downloaden").click()
    download = info.value
    assert download.suggested_filename == "Verslag cliëntenraad.txt"
    assert download.path().read_text(encoding="utf-8") == text

    page.goto(own_server.url + "/documenten")
    page.evaluate("window.notReloaded = true")
    page.locator("main input[name=q]").press_sequentially("zeldzaam", delay=40)
    expect(page.locator("#document-list")).to_contain_text("Verslag met een zeldzaam woord")
    expect(page.locator("#document-list mark").first).to_contain_text("zeldzaam")
    expect(page.locator("#document-list")).to_contain_text("1 document")
    assert page.evaluate("window.notReloaded === true")  # htmx swapped the list, no page load
    assert "q=zeldzaam" in page.url
    assert_accessible(page)


def test_upload_error_is_shown_in_place_and_keeps_the_fields(page, own_server, watcher, tmp_path):
    watcher.origin = own_server.url
    _login_form(page, own_server, "lid@example.org")
    bad = tmp_path / "programma.pdf"
    bad.write_bytes(b"MZ\x90\x00" + b"\x00" * 1000)
    page.goto(own_server.url + "/documenten/nieuw")
    page.set_input_files("input[name=file]", str(bad))
    page.fill("input[name=title]", "Mijn titel")
    page.fill("textarea[name=description]", "Mijn beschrijving")
    page.select_option("select[name=category]", "brief")
    page.check("input[name=visibility][value=members]")
    page.get_by_role("button", name="Document opslaan").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Dit soort bestand kan niet in de bibliotheek")
    expect(summary).to_be_focused()
    assert page.locator("input[name=title]").input_value() == "Mijn titel"
    assert page.locator("textarea[name=description]").input_value() == "Mijn beschrijving"
    assert_accessible(page)


def test_after_saving_with_javascript_the_address_is_the_documents(page, own_server, watcher, tmp_path):
    """A mistake first (shown in place by htmx), then the save: the address bar names the new document."""
    watcher.origin = own_server.url
    _login_form(page, own_server, "lid@example.org")
    file = tmp_path / "adres.md"
    file.write_text("# Adres\n\nMet JavaScript opgestuurd.", encoding="utf-8")
    page.goto(own_server.url + "/documenten/nieuw")
    page.set_input_files("input[name=file]", str(file))
    page.select_option("select[name=category]", "overig")
    page.check("input[name=visibility][value=members]")
    page.get_by_role("button", name="Document opslaan").click()  # no title yet
    expect(page.locator(".error-summary")).to_be_focused()
    page.fill("input[name=title]", "Document met een eigen adres")
    page.get_by_role("button", name="Document opslaan").click()
    expect(page.locator("h1")).to_have_text("Document met een eigen adres")
    assert re.fullmatch(rf"{re.escape(own_server.url)}/documenten/\d+", page.url), page.url
    page.reload()  # the address is the document's own: a reload shows it again, not an empty form
    expect(page.locator("h1")).to_have_text("Document met een eigen adres")


def test_upload_works_without_javascript(new_context, own_server, watcher, tmp_path):
    watcher.origin = own_server.url
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    _login_form(page, own_server, "lid@example.org")
    file = tmp_path / "notitie.md"
    file.write_text("# Notitie\n\nZonder JavaScript opgestuurd.", encoding="utf-8")
    page.goto(own_server.url + "/documenten/nieuw")
    page.set_input_files("input[name=file]", str(file))
    page.fill("input[name=title]", "Notitie zonder JavaScript")
    page.select_option("select[name=category]", "overig")
    page.check("input[name=visibility][value=public]")
    with page.expect_navigation():
        page.get_by_role("button", name="Document opslaan").click()
    expect(page.locator("h1")).to_have_text("Notitie zonder JavaScript")
    page.get_by_role("link", name="Bekijken in de browser").click()
    expect(page.locator(".prose")).to_contain_text("Zonder JavaScript opgestuurd.")


def test_a_file_over_the_limit_is_refused_before_sending(page, own_server, watcher, tmp_path):
    watcher.origin = own_server.url
    _login_form(page, own_server, "lid@example.org")
    own_server.app.config["DOCUMENT_MAX_BYTES"] = 1000
    try:
        page.goto(own_server.url + "/documenten/nieuw")
    finally:
        own_server.app.config["DOCUMENT_MAX_BYTES"] = 25 * 1024 * 1024
    big = tmp_path / "groot.txt"
    big.write_text("tekst " * 1000, encoding="utf-8")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.set_input_files("input[name=file]", str(big))
    message = page.locator("#file-size-error")
    expect(message).to_have_text("Het bestand is te groot. Kies een bestand van hoogstens 1 kB.")
    page.fill("input[name=title]", "Te groot")
    page.get_by_role("button", name="Document opslaan").click()
    expect(page.locator("input[name=file]")).to_be_focused()
    assert posts == []
    assert_accessible(page)
    small = tmp_path / "klein.txt"
    small.write_text("kort", encoding="utf-8")
    page.set_input_files("input[name=file]", str(small))
    expect(message).to_have_count(0)
