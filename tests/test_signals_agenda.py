"""Signals on a meeting's agenda: putting one there, who sees it on the agenda, closing it by a decision."""
from datetime import time, timedelta

import pytest

from cpweb.core.database import utcnow
from cpweb.core.extensions import db
from cpweb.core.i18n import local_today
from cpweb.meetings import logic as meetings
from cpweb.meetings import rules as meeting_rules
from cpweb.meetings.models import Decision
from cpweb.signals import logic, rules
from cpweb.signals.models import SignalAgendaItem
from tests.conftest import PASSWORD

TEXT = "De brief over mijn uitkering was niet te begrijpen. " * 5
CONTACT = {"contact_name": "Anna Jansen", "contact_email": "anna@example.org", "contact_phone": "06 12345678",
           "consent_at": utcnow(), "consent_version": rules.CONSENT_VERSION}


@pytest.fixture
def council(app, make_body, make_user):
    """The receiving body with its secretary, a reader and a meeting; another body's member; a public meeting."""
    receiving, other = make_body(receives_signals=True), make_body()
    start = local_today() + timedelta(days=10)
    fields = {"kind": meeting_rules.REGULAR, "location": "Werkplein", "online_url": "",
              "start": time(19, 30), "end": time(21, 0)}
    meeting = meetings.create_meetings(receiving.id, [start], {"title": "Vergadering", "visibility": "public", **fields},
                                       publish_at=utcnow() - timedelta(hours=1))[0]
    signal = logic.store_signal({"category": "bejegening", "sentiment": "beter", "organisation_kind": "gemeente",
                                 "description": TEXT, "status": rules.IN_PROGRESS, **CONTACT})
    db.session.commit()
    return {"meeting": meeting, "signal": signal, "receiving": receiving,
            "secretary": make_user(role="secretaris", bodies=[receiving]),
            "reader": make_user(bodies=[receiving]), "outsider": make_user(bodies=[other]),
            "other_secretary": make_user(role="secretaris", bodies=[other])}


def browser(app, user=None):
    client = app.test_client()
    if user is not None:
        assert client.post("/inloggen", data={"email": user.email, "password": PASSWORD}).status_code == 303
    return client


def put_on_agenda(client, signal, agenda, **extra):
    return client.post(f"/signalen/{signal.id}/status", data={"status": "geagendeerd", "agenda": agenda, **extra})


def test_geagendeerd_asks_for_an_agenda_item_of_a_coming_meeting(app, council):
    secretary, signal, meeting = council["secretary"], council["signal"], council["meeting"]
    client = browser(app, secretary)
    page = client.get(f"/signalen/{signal.id}").text
    item = meeting.items[0]
    assert f'value="{item.id}"' in page and f'value="nieuw-{meeting.id}"' in page
    response = put_on_agenda(client, signal, "")
    assert response.status_code == 422 and "Kies op welke agenda het signaal komt." in response.text
    assert signal.status == rules.IN_PROGRESS
    assert put_on_agenda(client, signal, str(item.id)).status_code == 303
    assert signal.status == rules.ON_AGENDA
    link = db.session.scalars(db.select(SignalAgendaItem)).one()
    assert link.agenda_item_id == item.id
    page = client.get(f"/signalen/{signal.id}").text
    assert f'/vergaderingen/{meeting.id}#item-{item.id}' in page and "naar de vergadering" in page


def test_geagendeerd_can_add_a_new_item_before_the_closing_items_of_the_meeting(app, council):
    signal, meeting = council["signal"], council["meeting"]
    client = browser(app, council["secretary"])
    count = len(meeting.items)
    assert put_on_agenda(client, signal, f"nieuw-{meeting.id}").status_code == 303
    db.session.refresh(meeting)
    assert len(meeting.items) == count + 1
    assert [item.title for item in meeting.items][-3:] == [
        f"Signaal {signal.reference}: Bejegening: hoe u behandeld werd", "Rondvraag", "Sluiting"]
    put_on_agenda(client, signal, "")  # no longer allowed: the status moved on
    assert db.session.scalar(db.select(db.func.count()).select_from(SignalAgendaItem)) == 1


def test_a_meeting_of_another_body_or_a_past_one_cannot_be_chosen(app, council, make_body):
    signal = council["signal"]
    other = meetings.create_meetings(make_body().id, [local_today() + timedelta(days=3)],
                                     {"title": "Elders", "kind": "regular", "location": "", "online_url": "",
                                      "visibility": "members", "start": time(10), "end": time(11)}, publish_at=None)[0]
    db.session.commit()
    client = browser(app, council["secretary"])
    response = put_on_agenda(client, signal, str(other.items[0].id))
    assert response.status_code == 422 and signal.status == rules.IN_PROGRESS
    response = put_on_agenda(client, signal, f"nieuw-{other.id}")
    assert response.status_code == 422 and len(other.items) == len(db.session.get(type(other), other.id).items)
    # Another body's secretary does not handle signals at all.
    assert put_on_agenda(browser(app, council["other_secretary"]), signal,
                         str(council["meeting"].items[0].id)).status_code == 403


def on_the_agenda(app, council):
    logic.set_status(council["signal"], None, rules.ON_AGENDA)
    db.session.add(SignalAgendaItem(signal=council["signal"], agenda_item=council["meeting"].items[0]))
    db.session.commit()
    return council["signal"]


@pytest.mark.parametrize("who", ["secretary", "reader"])
def test_the_agenda_shows_its_signals_to_those_who_read_them_without_contact_details(app, council, who):
    signal = on_the_agenda(app, council)
    page = browser(app, council[who]).get(f"/vergaderingen/{council['meeting'].id}").text
    assert signal.reference in page and "Bejegening" in page
    assert "De brief over mijn uitkering" in page and TEXT.strip() not in page  # a short text only
    for detail in ("Anna Jansen", "anna@example.org", "06 12345678"):
        assert detail not in page


@pytest.mark.parametrize("who", [None, "outsider", "other_secretary"])
def test_guests_and_members_without_signal_rights_see_no_signals_on_a_public_agenda(app, council, who):
    signal = on_the_agenda(app, council)
    response = browser(app, council[who] if who else None).get(f"/vergaderingen/{council['meeting'].id}")
    assert response.status_code == 200 and council["meeting"].items[0].title in response.text
    assert signal.reference not in response.text and "De brief over mijn uitkering" not in response.text


def test_a_decision_closes_the_signals_it_settles(app, council):
    signal, meeting = on_the_agenda(app, council), council["meeting"]
    client = browser(app, council["secretary"])
    page = client.get(f"/vergaderingen/{meeting.id}/verslag").text
    assert f'name="close_signals" type="checkbox" value="{signal.id}"' in page
    response = client.post(f"/vergaderingen/{meeting.id}/besluiten",
                           data={"decision": "We vragen de gemeente om duidelijke brieven.", "close_signals": str(signal.id)})
    assert response.status_code == 303
    assert signal.status == rules.DONE and signal.closed_at is not None
    assert [e.to_status for e in signal.events][-2:] == [rules.DISCUSSED, rules.DONE]
    assert "Besluit: We vragen de gemeente" in client.get(f"/signalen/{signal.id}").text
    # Closed: no longer offered.
    assert 'name="close_signals"' not in client.get(f"/vergaderingen/{meeting.id}/verslag").text


def test_a_decision_cannot_close_a_signal_that_is_not_on_this_agenda(app, council):
    signal, meeting = council["signal"], council["meeting"]
    client = browser(app, council["secretary"])
    response = client.post(f"/vergaderingen/{meeting.id}/besluiten",
                           data={"decision": "Besluit.", "close_signals": str(signal.id)})
    assert response.status_code == 422 and signal.status == rules.IN_PROGRESS
    assert db.session.scalar(db.select(db.func.count()).select_from(Decision)) == 0


# --- the triage list and the main menu ---------------------------------------------------------

def test_triage_list_shows_who_picks_it_up_a_preview_and_filters_mine(app, council):
    signal, reader = council["signal"], council["reader"]
    other = logic.store_signal({"category": "werk", "sentiment": "goed", "organisation_kind": "uwv",
                                "description": "Een heel ander verhaal over werk.", "assignee_id": reader.id})
    db.session.commit()
    client = browser(app, reader)
    page = client.get("/signalen").text
    assert "Pakt dit op" in page and reader.name in page
    assert "De brief over mijn uitkering was niet te begrijpen." in page and TEXT.strip() not in page
    assert "Anna Jansen" not in page and "anna@example.org" not in page
    mine = client.get("/signalen?mine=y").text
    assert other.reference in mine and signal.reference not in mine


@pytest.mark.parametrize("who, shown", [("secretary", True), ("reader", True), ("outsider", False),
                                        ("other_secretary", False)])
def test_signalen_is_in_the_main_menu_for_those_who_read_signals(app, council, who, shown):
    page = browser(app, council[who]).get("/").text
    assert ('href="/signalen"' in page.split('class="main-nav"')[1].split("</nav>")[0]) is shown
