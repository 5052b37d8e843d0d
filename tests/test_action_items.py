"""Action items changed after the meeting: text, owner and date by whoever may add them, reopened,
and their owner told of a new owner or a new date."""
from datetime import timedelta

import pytest

from cpweb.core.database import utcnow
from cpweb.core.extensions import db
from cpweb.core.i18n import date_long, local_today
from cpweb.meetings import actions
from tests.test_meetings import body, make_meeting, member, secretary  # noqa: F401 (fixtures)


@pytest.fixture
def item(app, make_meeting, member):
    meeting = make_meeting(days_ahead=-7)
    item = actions.add_action_item(meeting.id, "Advies schrijven", member.id, local_today() + timedelta(days=5))
    db.session.commit()
    return item


def edit(client, item, **changes):
    data = {"description": item.description, "owner": str(item.owner_id or ""),
            "due_on": item.due_on.isoformat() if item.due_on else "", **changes}
    return client.post(f"/vergaderingen/actiepunten/{item.id}/bewerken", data=data)


def test_the_secretary_changes_the_text_without_mailing_anyone(client, auth, secretary, item, mails):
    auth.login(secretary)
    mails.clear()
    page = client.get(f"/vergaderingen/actiepunten/{item.id}/bewerken")
    assert page.status_code == 200 and "Advies schrijven" in page.text
    assert edit(client, item, description="Advies schrijven en rondsturen").status_code == 303
    assert item.description == "Advies schrijven en rondsturen" and mails == []


def test_a_new_owner_hears_of_the_item(client, auth, secretary, item, make_user, body, mails):
    other = make_user(bodies=[body], name="Kees Nieuw")
    auth.login(secretary)
    mails.clear()
    assert edit(client, item, owner=str(other.id)).status_code == 303
    assert item.owner_id == other.id
    assert [m.to for m in mails] == [other.email] and mails[0].subject == "Een actiepunt voor u"


def test_the_owner_hears_of_a_new_date(client, auth, secretary, item, member, mails):
    auth.login(secretary)
    mails.clear()
    later = local_today() + timedelta(days=20)
    assert edit(client, item, due_on=later.isoformat()).status_code == 303
    assert item.due_on == later
    assert [m.to for m in mails] == [member.email] and mails[0].subject == "Nieuwe datum voor uw actiepunt"
    assert date_long(later) in mails[0].body
    mails.clear()
    assert edit(client, item, due_on="").status_code == 303  # no date any more: said too
    assert item.due_on is None and "Er is geen datum afgesproken." in mails[0].body


def test_the_owner_switches_these_mails_off(client, auth, secretary, item, member, mails):
    from cpweb.mail.preferences import choose_kinds, chosen_kinds

    choose_kinds(member, chosen_kinds(member) - {"action_items"})
    db.session.commit()
    auth.login(secretary)
    mails.clear()
    edit(client, item, due_on=(local_today() + timedelta(days=9)).isoformat())
    assert mails == []


@pytest.mark.parametrize("changes, message", [
    ({"description": ""}, "Schrijf op wat er moet gebeuren."),
    ({"due_on": "31-13-2026"}, "Vul een datum in zoals 19-05-2026."),
    ({"owner": "999999"}, None),
])
def test_a_change_with_a_mistake_keeps_what_was_typed(client, auth, secretary, item, changes, message, mails):
    auth.login(secretary)
    mails.clear()
    response = edit(client, item, **{"description": "Nieuwe tekst", **changes})
    assert response.status_code == 422 and "Fout:" in response.text
    if message:
        assert message in response.text
    if changes.get("description") != "":
        assert "Nieuwe tekst" in response.text
    assert item.description == "Advies schrijven" and mails == []


def test_only_who_may_add_action_items_changes_them(client, auth, item, member, make_user, make_body):
    url = f"/vergaderingen/actiepunten/{item.id}/bewerken"
    assert client.get(url).status_code in (302, 303)
    auth.login(member)  # the owner ticks it, but does not change it
    assert client.get(url).status_code == 403
    assert edit(client, item, description="Iets anders").status_code == 403
    assert "Wijzigen" not in client.get("/vergaderingen/actiepunten").text
    auth.logout()
    auth.login(role="secretaris", bodies=[make_body()])  # another body's secretary
    assert client.get(url).status_code == 404
    assert edit(client, item, description="Iets anders").status_code == 404
    assert item.description == "Advies schrijven"


def test_the_secretary_reopens_a_finished_item(client, auth, secretary, item):
    item.done_at = utcnow()
    db.session.commit()
    auth.login(secretary)
    listing = client.get("/vergaderingen/actiepunten?klaar=1").text
    assert f"/vergaderingen/actiepunten/{item.id}/bewerken" in listing
    page = client.get(f"/vergaderingen/actiepunten/{item.id}/bewerken").text
    assert "Weer open zetten" in page
    response = client.post(f"/vergaderingen/actiepunten/{item.id}/klaar",
                           data={"klaar": "0", "terug": f"/vergaderingen/actiepunten/{item.id}/bewerken"})
    assert response.status_code == 303 and item.done_at is None
    assert "Weer open zetten" not in client.get(f"/vergaderingen/actiepunten/{item.id}/bewerken").text


def test_the_minutes_link_each_open_item_to_its_change_for_the_secretary(client, auth, secretary, member, item):
    url = f"/vergaderingen/{item.meeting_id}/verslag"
    edit_link = f"/vergaderingen/actiepunten/{item.id}/bewerken"
    auth.login(secretary)
    assert edit_link in client.get(url).text
    auth.logout()
    auth.login(member)
    assert edit_link not in client.get(url).text
