"""The outbox in a real browser: the admin's list of mails on a phone, trying a mail again, the
link an admin passes on, and unsubscribing without logging in or JavaScript."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _login_form, start_live_server

pytestmark = pytest.mark.browser
LONG_ADDRESS = "iemand.met.een.heel.lang.adres.bij.de.gemeente@voorbeeldgemeente-werkplein.example.org"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Its own server, with a waiting and a failed mail: these tests change what others read."""
    from cpweb.admin.members import create_member
    from cpweb.core.database import utcnow
    from cpweb.core.extensions import db
    from cpweb.mail import send_mail
    from cpweb.mail.models import FAILED, OutboxMail

    server = start_live_server(tmp_path_factory.mktemp("mail-instance"))
    with server.app.app_context():
        create_member("nieuw@example.org", "Nina Nieuw", "lid")
        db.session.commit()
        server.app.config["MAIL_SEND_AT_ONCE"] = False
        send_mail(LONG_ADDRESS, "Uitnodiging: vergadering van de cliëntenraad, donderdag 19 mei 2026", "Tekst")
        send_mail("mislukt@example.org", "Herinnering", "Tekst", kind="reminders")
        db.session.commit()
        waiting, failed = db.session.scalars(db.select(OutboxMail).filter(OutboxMail.to_address.in_(
            [LONG_ADDRESS, "mislukt@example.org"])).order_by(OutboxMail.id))
        waiting.attempts, waiting.first_failed_at, waiting.error_kind = 3, utcnow() - timedelta(hours=2), "unreachable"
        waiting.last_error = "ConnectionRefusedError: [Errno 111] Connection refused (smtp.voorbeeldprovider.example.nl:587)"
        failed.status, failed.attempts, failed.finished_at, failed.error_kind = FAILED, 1, utcnow(), "refused"
        failed.last_error = "550 5.1.1 <mislukt@example.org>: Recipient address rejected: User unknown in virtual table"
        db.session.commit()
        server.app.config["MAIL_SEND_AT_ONCE"] = True
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def watch_this_server(watcher, server):
    watcher.origin = server.url


BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll(".mail-table th, .mail-table td")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest(".address, .technical")) continue;  // may break: longer than a phone
      // A line may end at a hyphen ("e-" / "mail"): only a break inside a word counts.
      for (const word of node.data.matchAll(/[^\\s-]+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        if (range.getClientRects().length > 1) broken.push(word[0]);
      }
    }
  }
  return broken;
}"""


def test_admin_reads_the_mails_on_a_phone_and_tries_one_again(page, server):
    _login_form(page, server, "beheerder@example.org")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(server.url + "/")
    banner = page.locator(".mail-warning")
    expect(banner).to_contain_text("1 e-mail kon nog niet worden verstuurd; we proberen het")
    expect(banner).to_contain_text("1 e-mail is niet verstuurd. We proberen het niet meer.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    with page.expect_navigation():
        banner.get_by_role("link", name="Bekijk de e-mails").click()
    expect(page.get_by_text("De mailserver was niet bereikbaar.")).to_be_visible()
    expect(page.get_by_text("ConnectionRefusedError")).to_be_hidden()  # behind "Wat de mailserver zei"
    assert_accessible(page)
    for width in (360, 375, 640, 1280):
        page.set_viewport_size({"width": width, "height": 740})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate(BROKEN_WORDS) == [], width
    page.get_by_role("button", name=re.compile("Opnieuw proberen.*mislukt@example.org")).click()
    expect(page.locator("#flash")).to_contain_text("De e-mail aan mislukt@example.org staat weer klaar om te versturen.")
    expect(page.get_by_text("Geen e-mails mislukt.")).to_be_visible()


def test_admin_shows_an_invitation_link_once(page, server):
    _login_form(page, server, "beheerder@example.org")
    page.goto(server.url + "/beheer/?q=nina")
    page.get_by_role("link", name="Nina Nieuw").click()
    member_page = page.url
    page.get_by_role("button", name="Link laten zien").click()
    expect(page.get_by_label("Link")).to_have_value(re.compile(r"/wachtwoord/invitation/"))
    assert_accessible(page)
    page.goto(member_page)
    expect(page.get_by_label("Link")).to_have_count(0)  # shown once


def test_unsubscribe_without_login_or_javascript(new_context, server):
    from cpweb.auth.models import User
    from cpweb.core.extensions import db
    from cpweb.mail.preferences import unsubscribe_url

    with server.app.app_context():
        member = db.session.scalar(db.select(User).filter_by(email="lid@example.org"))
        path = re.sub(r"^https?://[^/]+", "", unsubscribe_url(member, member.email, "reminders"))
    page = new_context(java_script_enabled=False).new_page()  # axe needs JavaScript: tests/pages.py has the page
    page.goto(server.url + path)
    page.get_by_role("button", name="Afmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent afgemeld")
