"""What only a browser shows: axe on every page at a phone's width, focus, keyboard, htmx swaps, small screens."""
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _login_form
from tests.pages import FORM_ERRORS, NOT_FOUND, all_pages, expected_status, page_id, resolve

pytestmark = pytest.mark.browser


def submit_form(page, data: dict):
    """Fill in (or choose) the page's main form field by field and send it with its own button."""
    form = page.locator(f"main form[method=post]:has([name={next(iter(data))}])")
    for name, value in data.items():
        choice = form.locator(f"input[type=radio][name={name}][value='{value}']")
        if choice.count():  # a choice reveals the fields that belong to it
            choice.check()
        else:
            form.locator(f"[name={name}]").fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


PHONE = {"width": 360, "height": 740}  # a small phone


def assert_no_sideways_scrolling(page) -> None:
    width, window = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width <= window, f"{page.url} scrolls sideways: {width} px wide in a {window} px window"


@pytest.mark.parametrize("role, path", all_pages(), ids=[page_id(*p) for p in all_pages()])
def test_page_is_accessible_and_fits_a_phone(role_page, live_server, role, path):
    """axe, and no sideways scrolling at 360 px; console errors and failed requests fail it too (the watcher)."""
    page = role_page(role)
    page.set_viewport_size(PHONE)
    with live_server.app.app_context():
        url = live_server.url + resolve(path)
    response = page.goto(url)
    assert response.status == expected_status(role, path), f"{url}: {response.status}"
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").count() == 1
    assert_no_sideways_scrolling(page)
    assert_accessible(page)


@pytest.mark.parametrize("role, path, data", FORM_ERRORS, ids=[page_id(r, p) for r, p, _ in FORM_ERRORS])
def test_page_with_form_errors_is_accessible_and_fits_a_phone(role_page, live_server, role, path, data):
    page = role_page(role)
    page.set_viewport_size(PHONE)
    with live_server.app.app_context():
        url = live_server.url + resolve(path)
    page.goto(url)
    submit_form(page, data)
    assert page.title().startswith("Fout:")
    assert page.locator(".error-summary").is_visible()
    assert_no_sideways_scrolling(page)
    assert_accessible(page)


def test_refused_form_without_token_shows_accessible_dutch_page(page, live_server):
    page.goto(live_server.url + "/inloggen")
    page.evaluate("document.querySelector('main input[name=csrf_token]').remove()")
    submit_form(page, {"email": "lid@example.org", "password": "niet-mijn-wachtwoord"})
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("footer").count() == 1
    assert_accessible(page)


def test_first_tab_reaches_skip_link_and_enter_moves_to_main(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()  # visible once it has focus
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"


def test_wrong_password_focuses_error_summary_and_keeps_email(page, live_server):
    page.goto(live_server.url + "/inloggen")
    submit_form(page, {"email": "lid@example.org", "password": "niet-mijn-wachtwoord"})
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    expect(summary).to_be_focused()
    assert page.input_value("input[name=email]") == "lid@example.org"
    assert page.input_value("input[name=password]") == ""
    assert page.title().startswith("Fout:")


def test_not_found_is_dutch_in_site_layout(page, live_server):
    response = page.goto(live_server.url + NOT_FOUND)
    assert response.status == 404
    assert page.locator(".skip-link").count() == 1 and page.locator("footer").count() == 1
    assert page.locator("h1").inner_text() == "Deze pagina bestaat niet"


def test_member_search_swaps_only_the_list_and_back_restores_full_page(page, login, live_server):
    login(page)
    page.goto(live_server.url + "/beheer/")
    total = page.locator("#member-list tbody tr").count()
    page.evaluate("window.noFullNavigation = true")
    with page.expect_response(lambda r: "q=Joke" in r.url) as answer:
        page.fill("main input[name=q]", "Joke")  # the page's own field, not the header's search
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(page.locator("#member-list tbody tr")).to_have_count(1)
    assert page.evaluate("window.noFullNavigation") is True  # the page was not reloaded
    assert page.locator("#member-list").count() == 1  # swapped, not nested
    assert "Joke van den Berg" in page.locator("#member-list").inner_text()
    page.wait_for_url("**/beheer/?q=Joke")  # hx-push-url: the search has its own address
    page.go_back()
    page.wait_for_url(lambda url: urlsplit(url).query == "")
    expect(page.locator("#member-list tbody tr")).to_have_count(total)
    assert page.locator("h1").count() == 1 and page.locator("footer").count() == 1
    assert page.locator("main input[name=q]").count() == 1


def test_login_and_admin_work_without_javascript(new_context, live_server):
    page = new_context(java_script_enabled=False).new_page()
    _login_form(page, live_server, "beheerder@example.org")  # the password, then the code from the app
    page.goto(live_server.url + "/beheer/")
    page.fill("main input[name=q]", "Joke")
    page.locator("main").get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**/beheer/?q=Joke")
    assert page.locator("#member-list tbody tr").count() == 1
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("link", name="Inloggen").count() == 1


@pytest.mark.parametrize("role, path", [("guest", "/"), ("guest", "/inloggen"), ("beheerder", "/beheer/")],
                         ids=["home", "login", "members"])
def test_no_sideways_scrolling_at_200_percent_zoom(role_page, live_server, role, path):
    """640 CSS px: a 1280 px wide window at 200 % zoom (every page is checked at 360 px above)."""
    page = role_page(role)
    page.set_viewport_size({"width": 640, "height": 800})
    page.goto(live_server.url + path)
    assert_no_sideways_scrolling(page)


def test_watcher_reports_csp_violations_and_other_hosts(browser, live_server):
    """The guard every page runs under really sees what it should (so a green run means something)."""
    from tests.browser.conftest import Watcher

    watcher = Watcher(live_server.url)
    context = watcher.watch(browser.new_context())
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.inline = 1';
        document.body.append(script);
        const image = document.createElement('img');
        image.src = 'http://andere-host.invalid/pixel.png';
        document.body.append(image);
    }""")
    page.wait_for_timeout(200)
    context.close()
    text = "\n".join(watcher.problems)
    assert "Content Security Policy" in text and "script-src" in text and "img-src" in text, text


def test_watcher_reports_the_icon_the_browser_asks_for_by_itself(browser, tmp_path):
    """Chromium fetches /favicon.ico without telling Playwright's network events; only the console
    says it failed. A site without that icon (a plain file server here) must fail the watcher."""
    from tests.browser.conftest import Watcher

    (tmp_path / "pagina.html").write_text("<!doctype html><title>t</title><p>t")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietFiles, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_port}"
    try:
        watcher = Watcher(origin)
        context = watcher.watch(browser.new_context())
        context.new_page().goto(origin + "/pagina.html")
        context.pages[0].wait_for_timeout(300)
        context.close()
    finally:
        server.shutdown()
        server.server_close()
    with pytest.raises(AssertionError, match=f"resource failed.*{origin}/favicon.ico"):
        watcher.check()


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_axe_check_fails_on_an_inaccessible_page(page):
    page.set_content('<html><body><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_english_pages_are_accessible_and_say_so_in_lang(new_context, live_server):
    """A browser of its own, switched to English, with axe on two pages: a few seconds."""
    page = new_context().new_page()
    page.goto(live_server.url + "/privacy")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.url.endswith("/privacy")  # the switch returns to the same page
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Privacy statement"
    assert_accessible(page)
    page.goto(live_server.url + "/inloggen")
    submit_form(page, {"email": "lid@example.org", "password": "not-my-password"})
    assert page.title().startswith("Error:")
    assert_accessible(page)
