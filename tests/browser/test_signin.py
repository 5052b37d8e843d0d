"""Signing in with the second factor in a real browser: the code from the app, setting the app up,
and a passkey made and used with Chromium's virtual authenticator (DevTools protocol)."""
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _login_form, demo_code, start_live_server
from tests.test_ops_kill import free_port

pytestmark = pytest.mark.browser


def password_step(page, server, email):
    page.goto(server.url + "/inloggen")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", server.password)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen", exact=True).click()


def test_the_code_step_for_a_secretary_with_a_wrong_code_first(page, live_server):
    password_step(page, live_server, "fatima@example.org")
    assert urlsplit(page.url).path == "/inloggen/code"
    field = page.locator("input[name=code]")
    assert field.get_attribute("autocomplete") == "one-time-code" and field.get_attribute("inputmode") == "numeric"
    assert not page.locator("[data-passkey-login]").is_visible(), "no passkey: no passkey button"
    field.fill("000000")
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.locator(".error-summary")).to_be_focused()
    assert page.title().startswith("Fout:")
    assert_accessible(page)
    page.fill("input[name=code]", demo_code(live_server, "fatima@example.org"))
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen", exact=True).click()
    assert urlsplit(page.url).path == "/"
    assert page.get_by_role("button", name="Uitloggen").count() == 1


@pytest.fixture(scope="module")
def passkey_server(tmp_path_factory, browser_type_launch_args):
    """A server of its own on "localhost": a passkey belongs to a domain name, never an IP address."""
    port = free_port()
    server = start_live_server(tmp_path_factory.mktemp("passkey-instance"), port=port,
                               SITE_URL=f"http://localhost:{port}")
    server.url = f"http://localhost:{port}"
    yield server
    server.stop()


def test_a_new_secretary_sets_up_the_app_after_the_password(page, passkey_server, watcher):
    """A member made secretary after the demo has no app yet: the site leads there, and the QR code shows."""
    from cpweb.auth.models import User
    from cpweb.core.extensions import db

    watcher.origin = passkey_server.url
    with passkey_server.app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email="ria@example.org"))
        user.role = "secretaris"
        db.session.commit()
    password_step(page, passkey_server, "ria@example.org")
    assert urlsplit(page.url).path == "/profiel/tweede-stap/app"
    page.goto(passkey_server.url + "/vergaderingen/")
    assert urlsplit(page.url).path == "/profiel/tweede-stap/app", "no other page before the setup"
    qr = page.locator(".qr-box svg")
    assert qr.is_visible() and qr.bounding_box()["width"] > 100
    assert_accessible(page)


def test_a_passkey_is_made_named_and_logs_in(page, passkey_server, watcher):
    watcher.origin = passkey_server.url
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True}})
    _login_form(page, passkey_server, "beheerder@example.org")
    page.goto(passkey_server.url + "/profiel/tweede-stap/passkey")
    assert not page.locator("[data-passkey-unavailable]").is_visible()
    assert_accessible(page)
    page.fill("input[name=name]", "Laptop op kantoor")
    with page.expect_navigation():
        page.get_by_role("button", name="Passkey maken").click()
    assert urlsplit(page.url).path == "/profiel/tweede-stap"
    expect(page.locator(".passkeys strong")).to_have_text("Laptop op kantoor")

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(passkey_server.url + "/")
    password_step(page, passkey_server, "beheerder@example.org")
    button = page.get_by_role("button", name="Inloggen met een passkey")
    expect(button).to_be_visible()
    with page.expect_navigation():
        button.click()
    assert urlsplit(page.url).path == "/"
    assert page.get_by_role("button", name="Uitloggen").count() == 1


def test_without_javascript_the_code_still_works_and_passkeys_say_why_not(new_context, passkey_server, watcher):
    watcher.origin = passkey_server.url
    page = new_context(java_script_enabled=False).new_page()
    _login_form(page, passkey_server, "secretaris@example.org")
    page.goto(passkey_server.url + "/profiel/tweede-stap/passkey")
    assert page.locator("[data-passkey-unavailable]").is_visible()
    assert not page.locator("form[data-passkey-register]").is_visible()
