"""Asking first, in a real browser, with and without JavaScript: each action that mails people or
cannot be undone opens a confirmation that takes focus; nothing happens before confirming, "Terug"
(and Escape) leave without effect, and the mail carries the personal message to exactly those the
page names. A removal can be put back with "Terugzetten"."""
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _login_form, start_live_server

pytestmark = [pytest.mark.browser, pytest.mark.dates]

BODY = "Klankbordgroep Werkplein Hart van Brabant"
SECRETARY = "secretaris@example.org"
ITEM = "Punt om weg te halen"
NOTE = "De zaal is niet beschikbaar. Tot de volgende keer!"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Its own server: these tests cancel meetings and activities. The secretary logs in with the
    password alone: fourteen logins of one account would wait for a fresh code of the second factor
    (each is taken once), 30 s a test; tests/browser/test_signin.py is about that step."""
    server = start_live_server(tmp_path_factory.mktemp("confirm-instance"), TWO_FACTOR_ROLES=[])
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def watch_this_server(watcher, server):
    watcher.origin = server.url


# --- setting up, in the server's app context --------------------------------------------------------

def _body():
    from cpweb.bodies.models import Body
    from cpweb.core.extensions import db
    return db.session.scalar(db.select(Body).filter_by(name=BODY))


def _secretary():
    from cpweb.auth.models import User
    from cpweb.core.extensions import db
    return db.session.scalar(db.select(User).filter_by(email=SECRETARY))


def plan(server, title: str) -> int:
    from cpweb.core.database import utcnow
    from cpweb.core.extensions import db
    from cpweb.core.i18n import local_today
    from cpweb.meetings import logic, rules

    with server.app.app_context():
        meeting = logic.create_meetings(_body().id, [local_today() + timedelta(days=20)], {
            "title": title, "kind": rules.REGULAR, "location": "Werkplein", "online_url": "",
            "visibility": rules.MEMBERS, "start": time(19, 30), "end": time(21, 0)}, publish_at=utcnow())[0]
        db.session.commit()
        return meeting.id


@dataclass
class Target:
    """What a case set up: the page with the link, what `Case.state` reads, and the name of the thing
    the link acts on (for links named "Weghalen: <what>")."""

    path: str
    key: tuple
    what: str = ""


def a_meeting(server, title: str) -> Target:
    meeting_id = plan(server, title)
    return Target(f"/vergaderingen/{meeting_id}", (meeting_id,))


def an_invited_meeting(server, title: str) -> Target:
    from cpweb.meetings import actions
    target = a_meeting(server, title)
    with server.app.test_request_context():  # mails build links
        actions.invite(target.key[0])
    return target


def a_cancelled_meeting(server, title: str) -> Target:
    from cpweb.meetings import actions
    target = a_meeting(server, title)
    with server.app.test_request_context():
        actions.cancel_meeting(target.key[0])
    return target


def written_minutes(server, title: str) -> Target:
    from cpweb.meetings import actions
    meeting_id = plan(server, title)
    with server.app.app_context():
        actions.save_minutes(meeting_id, "Besproken: de nieuwe folder.", 0)
    return Target(f"/vergaderingen/{meeting_id}/verslag", (meeting_id,))


def shared_minutes(server, title: str) -> Target:
    from cpweb.meetings import actions
    target = written_minutes(server, title)
    with server.app.test_request_context():
        actions.advance_minutes(target.key[0])
    return target


def an_agenda_item(server, title: str) -> Target:
    from cpweb.meetings import actions
    meeting_id = plan(server, title)
    with server.app.test_request_context():
        actions.add_item(meeting_id, {"title": ITEM})
    return Target(f"/vergaderingen/{meeting_id}", (meeting_id,), what=ITEM)


def a_stuk(server, title: str) -> Target:
    """An agenda item with a document of the body from the library attached."""
    from cpweb.core.extensions import db
    from cpweb.documents.models import Document
    from cpweb.meetings import actions
    meeting_id = plan(server, title)
    with server.app.app_context():
        item = actions.add_item(meeting_id, {"title": ITEM})
        document = db.session.scalars(db.select(Document).filter(
            Document.body_id == _body().id, Document.deleted_at.is_(None), Document.title != "")
            .order_by(Document.id)).first()
        assert actions.attach_stuk(item.id, _secretary(), {"document_id": document.id, "reuse": "keep"}).document
        return Target(f"/vergaderingen/{meeting_id}", (meeting_id, item.id), what=document.title)


def an_activity_with_signups(server, title: str) -> Target:
    from cpweb.activities import logic, rules
    from cpweb.core.extensions import db
    from cpweb.core.i18n import local_today
    from cpweb.meetings.logic import members_of

    with server.app.test_request_context():
        activity = logic.save_activity(None, {
            "title": title, "description": "", "kind": "training", "organiser": "lcr", "organiser_name": "",
            "scope": "regionaal", "day": local_today() + timedelta(days=10), "start": time(10), "end_day": None,
            "end": time(12), "location": "Werkplein", "online_url": "", "external_url": "",
            "audience": rules.MEMBERS, "capacity": None, "signup_deadline": None, "contact": ""}, [])
        db.session.commit()
        for member in members_of(_body().id)[:3]:
            logic.sign_up(activity.id, member)
        return Target(f"/activiteiten/{activity.id}", (activity.id,))


# --- reading the state ---------------------------------------------------------------------------

def meeting_status(key):
    from cpweb.core.extensions import db
    from cpweb.meetings.models import Meeting
    return db.session.get(Meeting, key[0]).status


def invited_at(key):
    from cpweb.core.extensions import db
    from cpweb.meetings.models import Meeting
    return db.session.get(Meeting, key[0]).invitations_sent_at


def minutes_status(key):
    from cpweb.core.extensions import db
    from cpweb.meetings import logic
    from cpweb.meetings.models import Meeting
    return logic.minutes_of(db.session.get(Meeting, key[0])).status


def agenda(key):
    from cpweb.core.extensions import db
    from cpweb.meetings.models import Meeting
    return [item.title for item in db.session.get(Meeting, key[0]).items]


def stukken_of_item(key):
    from cpweb.core.extensions import db
    from cpweb.meetings import stukken
    from cpweb.meetings.models import Meeting
    meeting_id, item_id = key
    return [d.id for d in stukken.stukken_of(db.session.get(Meeting, meeting_id), _secretary())[item_id]]


def activity_status(key):
    from cpweb.activities.models import Activity
    from cpweb.core.extensions import db
    return db.session.get(Activity, key[0]).status


@dataclass
class Case:
    setup: Callable[..., Target]
    link: str  # "{what}" is the thing the setup made
    heading: str
    button: str
    state: Callable[[tuple], object]
    said: str  # the message after confirming
    subject: str | None = None  # how the mails' subjects start; None: nobody gets a mail
    final: bool = False  # the page says it cannot be undone
    undo: bool = False  # "Terugzetten" puts it back


CASES = {
    "cancel meeting": Case(a_meeting, "Vergadering afgelasten", "Vergadering afgelasten?", "Ja, vergadering afgelasten",
                           meeting_status, "De vergadering is afgelast.", subject="Afgelast:"),
    "reinstate meeting": Case(a_cancelled_meeting, "De vergadering gaat toch door", "Gaat de vergadering toch door?",
                              "Ja, de vergadering gaat door", meeting_status, "De vergadering gaat toch door.",
                              subject="Gaat toch door:"),
    "invite": Case(a_meeting, "Uitnodiging versturen", "Uitnodiging versturen?", "Ja, uitnodiging versturen",
                   invited_at, "De uitnodiging gaat naar", subject="Uitnodiging:"),
    "invite again": Case(an_invited_meeting, "Uitnodiging opnieuw versturen", "Uitnodiging opnieuw versturen?",
                         "Ja, uitnodiging versturen", invited_at, "De uitnodiging gaat naar", subject="Uitnodiging:"),
    "share minutes": Case(written_minutes, "Delen met de leden", "Verslag delen met de leden?", "Ja, verslag delen",
                          minutes_status, "Het verslag is gedeeld.", subject="Verslag om te lezen:"),
    "approve minutes": Case(shared_minutes, "Verslag vaststellen", "Verslag vaststellen?", "Ja, verslag vaststellen",
                            minutes_status, "Het verslag is vastgesteld.", final=True),
    "remove agenda item": Case(an_agenda_item, "Weghalen: {what}", "Agendapunt weghalen?", "Ja, agendapunt weghalen",
                               agenda, "staat niet meer op de agenda.", undo=True),
    "remove stuk": Case(a_stuk, "Weghalen: {what}", "Stuk weghalen?", "Ja, stuk weghalen", stukken_of_item,
                        "Het stuk hoort niet meer bij dit agendapunt.", undo=True),
    "cancel activity": Case(an_activity_with_signups, "Activiteit afgelasten", "Activiteit afgelasten?",
                            "Ja, activiteit afgelasten", activity_status, "De activiteit is afgelast.",
                            subject="Afgelast:", final=True),
}


def state_and_mails(server, case: Case, target: Target, since: int) -> tuple[object, list[tuple[str, str, str]]]:
    """The state the case reads, and the (name, subject, body) of each mail sent since `since`."""
    from cpweb.auth.models import User
    from cpweb.core.extensions import db
    from cpweb.mail import outbox

    with server.app.app_context():
        names = {user.email: user.name for user in db.session.scalars(db.select(User))}
        # A folded header can come back with a space in front.
        mails = [(names[m.to], m.subject.strip(), m.body) for m in outbox()[since:]]
        return case.state(target.key), mails


def link_name(case: Case, target: Target) -> re.Pattern:
    """The link's accessible name; a browser may put a space before the hidden ": <what>"."""
    return re.compile("^" + r"\s*:".join(map(re.escape, case.link.format(what=target.what).split(":"))) + "$")


def confirm_with_a_message(page, server, case: Case, target: Target, in_place: bool) -> None:
    from cpweb.mail import outbox

    with server.app.app_context():
        since = len(outbox())
    before, _mails = state_and_mails(server, case, target, since)
    unchanged = (before, [])
    link = page.get_by_role("link", name=link_name(case, target))

    def open_confirmation():
        link.click()
        expect(page.get_by_role("heading", name=case.heading)).to_be_focused()

    def left_without_effect():
        assert urlsplit(page.url).path == target.path
        expect(link).to_be_visible()
        assert state_and_mails(server, case, target, since) == unchanged

    page.goto(server.url + target.path)
    if in_place:
        page.evaluate("window.notReloaded = true")
    open_confirmation()
    assert urlsplit(page.url).path != target.path  # its own URL
    if in_place:  # axe needs JavaScript too
        assert page.evaluate("window.notReloaded === true")  # opened in place, no page load
        assert_accessible(page)
    named = [name.strip() for name in page.locator(".confirm-recipients li").all_inner_texts()]
    if case.subject:
        assert len(named) > 1 and page.get_by_text(f"{len(named)} mensen krijgen een e-mail").is_visible()
    else:
        assert not named and page.get_by_label("Persoonlijk bericht").count() == 0
    expect(page.get_by_text("Dit kunt u niet terugdraaien.")).to_have_count(1 if case.final else 0)
    assert state_and_mails(server, case, target, since) == unchanged  # nothing before confirming

    with page.expect_navigation():
        page.get_by_role("link", name="Terug").click()
    left_without_effect()
    if in_place:  # Escape does what "Terug" does
        open_confirmation()
        with page.expect_navigation():
            page.keyboard.press("Escape")
        left_without_effect()

    open_confirmation()
    if case.subject:
        page.get_by_label("Persoonlijk bericht").fill(NOTE)
    with page.expect_navigation():
        page.get_by_role("button", name=case.button).click()
    expect(page.locator("#flash")).to_contain_text(case.said)
    after, mails = state_and_mails(server, case, target, since)
    assert after != before
    if case.subject:
        assert sorted(name for name, _subject, _body in mails) == sorted(named)
        assert all(subject.startswith(case.subject) and NOTE in body for _name, subject, body in mails), mails
    else:
        assert mails == []
    if case.undo:
        with page.expect_navigation():
            page.get_by_role("button", name="Terugzetten").click()
        assert state_and_mails(server, case, target, since) == unchanged


@pytest.mark.parametrize("in_place", [True, False], ids=["with JavaScript", "without JavaScript"])
@pytest.mark.parametrize("name", CASES)
def test_a_confirmation_asks_first(new_context, server, name, in_place):
    case = CASES[name]
    target = case.setup(server, f"{name.capitalize()} ({'met' if in_place else 'zonder'} JavaScript)")
    page = new_context(java_script_enabled=in_place).new_page()
    _login_form(page, server, SECRETARY)
    confirm_with_a_message(page, server, case, target, in_place)
