"""Minutes that start from the meeting, in a real browser: the secretary keeps the presence list with
a guest, the first draft holds the attendance and the agenda items, a decision stays under its agenda
item; a member's correction reaches the secretary by mail."""
from datetime import time, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _login_form, start_live_server

pytestmark = [pytest.mark.browser, pytest.mark.dates]

BODY = "Klankbordgroep Werkplein Hart van Brabant"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Its own server: these tests add meetings, minutes and decisions."""
    server = start_live_server(tmp_path_factory.mktemp("minutes-flow-instance"))
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def watch_this_server(watcher, server):
    watcher.origin = server.url


def held_yesterday(server, title: str, minutes_text: str = "") -> int:
    """A meeting of the sounding-board group that started yesterday; with shared minutes when a text is given."""
    from cpweb.bodies.models import Body
    from cpweb.core.database import utcnow
    from cpweb.core.extensions import db
    from cpweb.core.i18n import local_today
    from cpweb.meetings import logic, rules
    from cpweb.meetings.models import Minutes

    with server.app.app_context():
        body = db.session.scalar(db.select(Body).filter_by(name=BODY))
        meeting = logic.create_meetings(body.id, [local_today() - timedelta(days=1)], {
            "title": title, "kind": rules.REGULAR, "location": "Werkplein", "online_url": "",
            "visibility": rules.MEMBERS, "start": time(19, 30), "end": time(21, 0)},
            publish_at=utcnow() - timedelta(days=10))[0]
        if minutes_text:
            db.session.add(Minutes(meeting_id=meeting.id, text=minutes_text, status=rules.SHARED, version=1))
        db.session.commit()
        return meeting.id


def mails_to(server, email: str, subject: str) -> list[str]:
    from cpweb.mail import outbox, wait_for_sending

    with server.app.app_context():
        wait_for_sending(server.app, timeout=10)
        return [m.body for m in outbox() if m.to == email and m.subject == subject]


def test_the_first_draft_holds_the_presence_and_the_agenda(page, server):
    meeting_id = held_yesterday(server, "Vergadering met een gast")
    _login_form(page, server, "secretaris@example.org")
    minutes_url = f"{server.url}/vergaderingen/{meeting_id}/verslag"

    page.goto(minutes_url)
    with page.expect_navigation():
        page.get_by_role("link", name="Presentielijst en gasten bijhouden").click()
    assert page.url.endswith(f"/vergaderingen/{meeting_id}/presentie")
    assert_accessible(page)
    page.get_by_label("Henk Janssen", exact=True).check()
    page.get_by_label("Gasten (niet verplicht)").fill("Gea Gast (gemeente Tilburg)")
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#flash")).to_contain_text("De presentielijst is opgeslagen.")

    page.goto(minutes_url)
    draft = page.get_by_label("Verslag", exact=True).input_value()
    assert draft.startswith("## Aanwezig\n\nHenk Janssen")
    for heading in ("## Afwezig met bericht", "## Afwezig", "## Gasten\n\nGea Gast (gemeente Tilburg)",
                    "## 1. Opening en mededelingen", "## 2. Vaststellen verslag vorige vergadering"):
        assert heading in draft
    assert draft.index("## Gasten") < draft.index("## 1. Opening en mededelingen")
    assert_accessible(page)

    page.get_by_label("Besluit", exact=True).fill("De klankbordgroep vraagt het Werkplein om uitleg.")
    page.locator("#decision_agenda_item").select_option(label="Opening en mededelingen")
    with page.expect_navigation():
        page.get_by_role("button", name="Besluit toevoegen").click()
    expect(page.locator("#flash")).to_contain_text("Het besluit is opgeslagen.")
    heading = page.locator("h2#decisions ~ h3", has_text="Opening en mededelingen")
    expect(heading).to_have_count(1)
    expect(heading.locator("xpath=following-sibling::ol[1]")).to_have_text(
        "De klankbordgroep vraagt het Werkplein om uitleg.")
    # The draft nobody saved yet now has the decision under its agenda item too.
    draft = page.get_by_label("Verslag", exact=True).input_value()
    assert ("## 1. Opening en mededelingen\n\n- Besluit: De klankbordgroep vraagt het Werkplein om uitleg."
            in draft)
    assert_accessible(page)


def test_a_correction_reaches_the_secretary(page, server):
    title = "Vergadering met een correctie"
    meeting_id = held_yesterday(server, title, minutes_text="## Opening\n\nDe voorzitter opent om 19.30 uur.")
    _login_form(page, server, "lid@example.org")
    page.goto(f"{server.url}/vergaderingen/{meeting_id}/verslag")
    page.get_by_label("Uw correctie").fill("De vergadering begon om 19.45 uur.")
    with page.expect_navigation():
        page.get_by_role("button", name="Correctie versturen").click()
    expect(page.locator("#flash")).to_contain_text("Dank u. De secretaris leest uw correctie.")
    expect(page.locator("#corrections ~ ul.history")).to_contain_text("De vergadering begon om 19.45 uur.")
    assert_accessible(page)

    mails = mails_to(server, "secretaris@example.org", f"Correctie op het verslag: {title}")
    assert len(mails) == 1
    assert "Joke van den Berg stelt een correctie voor" in mails[0]
    assert "De vergadering begon om 19.45 uur." in mails[0]
    assert f"/vergaderingen/{meeting_id}/verslag#corrections" in mails[0]
    assert mails_to(server, "lid@example.org", f"Correctie op het verslag: {title}") == []
