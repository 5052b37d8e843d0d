"""A member's text stays text in an admin's browser: htmx acts on any hx-* attribute that reaches
a page, CSP or not, and sends the admin's CSRF header with it.

The attack: a member uploads a file with a title that carries an htmx request to their own member
page; when an admin later uploads the same file, the site says the file is already there, by its
title. This test changes data, so it runs on a server of its own.
"""
import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _login_form, start_live_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def own_server(tmp_path_factory, browser_type_launch_args):
    server = start_live_server(tmp_path_factory.mktemp("hostile-text-instance"))
    yield server
    server.stop()


def _member(server):
    from cpweb.auth.models import User
    from cpweb.core.extensions import db

    with server.app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email="lid@example.org"))
        return user.id, user.name, user.role


def _upload(page, server, path, title):
    page.goto(server.url + "/documenten/nieuw")
    page.set_input_files("input[name=file]", str(path))
    page.fill("input[name=title]", title)
    page.select_option("select[name=category]", "overig")
    page.check("input[name=visibility][value=members]")
    page.get_by_role("button", name="Document opslaan").click()


def test_uploading_a_members_file_again_does_not_make_them_admin(browser, browser_context_args, own_server, watcher,
                                                                 tmp_path):
    watcher.origin = own_server.url
    member_id, name, role = _member(own_server)
    assert role == "lid"
    values = json.dumps({"name": name, "email": "lid@example.org", "role": "beheerder"})
    title = (f'Jaarplan<i hx-post="/beheer/leden/{member_id}" hx-trigger="load" '
             f"hx-vals='{values}'></i>")
    policy = tmp_path / "jaarplan.txt"
    policy.write_text("Het jaarplan van de gemeente, voor iedereen te lezen.", encoding="utf-8")

    member = watcher.watch(browser.new_context(**browser_context_args)).new_page()
    _login_form(member, own_server, "lid@example.org")
    _upload(member, own_server, policy, title)
    expect(member.locator("h1")).to_have_text(title)
    member.context.close()

    admin = watcher.watch(browser.new_context(**browser_context_args)).new_page()
    posts = []
    admin.on("request", lambda request: posts.append(request.url) if "/beheer/" in request.url else None)
    _login_form(admin, own_server, "beheerder@example.org")
    _upload(admin, own_server, policy, "Jaarplan gemeente")
    expect(admin.locator(".error-summary")).to_be_visible()
    admin.wait_for_load_state("networkidle")
    admin.wait_for_timeout(500)  # an injected hx-trigger="load" would have fired by now
    assert _member(own_server)[2] == "lid"
    assert posts == []
    expect(admin.locator("#upload-form .error-summary")).to_contain_text(
        f"Dit bestand staat al in de bibliotheek: ‘{title}’.")
    admin.context.close()


def test_htmx_does_not_act_inside_a_region_that_shows_typed_text(page, live_server):
    """Defence in depth: should markup ever slip through, htmx leaves the regions that show typed
    text alone (hx-disable), while the same element elsewhere on the page does send its request."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + "/privacy")
    with page.expect_request("**/toegankelijkheid?buiten"):
        page.evaluate("""() => {
            for (const [where, query] of [['.prose', 'binnen'], ['main', 'buiten']]) {
                const injected = document.createElement('i');
                injected.setAttribute('hx-get', '/toegankelijkheid?' + query);
                injected.setAttribute('hx-trigger', 'load');
                injected.setAttribute('hx-swap', 'none');
                document.querySelector(where).append(injected);
            }
            htmx.process(document.body);
        }""")
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if url.endswith("?binnen")]
    # The vendored htmx read its settings: no attribute value run as script, no request elsewhere.
    assert page.evaluate("[htmx.config.allowEval, htmx.config.allowScriptTags, htmx.config.selfRequestsOnly]") == [
        False, False, True]
