"""Meetings: planning, agenda, attendance, minutes, action items, commitments, mails."""
import io
import os
import re
import socket
import tempfile
import tracemalloc
import zipfile
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes

import pytest

from cpweb.core.database import utcnow
from cpweb.core.extensions import db
from cpweb.core.i18n import date_long, from_local, local_today
from cpweb.mail import wait_for_sending
from cpweb.meetings import actions, logic, rules
from cpweb.meetings.commands import send_reminders
from cpweb.meetings.models import ActionItem, Attendance, Commitment, Meeting, Minutes, MinutesCorrection
from tests.conftest import count_queries


@pytest.fixture
def body(make_body):
    return make_body("Klankbordgroep Test")


@pytest.fixture
def secretary(make_user, body):
    return make_user(role="secretaris", bodies=[body], name="Sec Retaris")


@pytest.fixture
def member(make_user, body):
    return make_user(bodies=[body], name="Lid Lisa")


@pytest.fixture
def make_meeting(app, body):
    def make(days_ahead=10, published=True, visibility=rules.MEMBERS, meeting_body=None, **fields):
        start = datetime.combine(local_today() + timedelta(days=days_ahead), time(19, 30))
        meeting = logic.create_meetings((meeting_body or body).id, [start.date()],
                                        {"title": fields.pop("title", "Vergadering"), "kind": rules.REGULAR,
                                         "location": "Werkplein", "online_url": "", "visibility": visibility,
                                         "start": time(19, 30), "end": time(21, 0), **fields},
                                        publish_at=utcnow() - timedelta(hours=1) if published else None)[0]
        db.session.commit()
        return meeting

    return make


def new_meeting_data(**changes):
    data = {"body": "", "title": "Vergadering mei", "kind": "regular", "day": (local_today() + timedelta(days=20)).isoformat(),
            "start": "19:30", "end": "21:30", "location": "Werkplein", "online_url": "", "visibility": "members",
            "repeat": "once", "every_weeks": "4", "count": "8", "dates": "", "publish": "now", "publish_on": ""}
    data.update(changes)
    return data


# --- rules ----------------------------------------------------------------------------------

def test_documents_deadline_counts_amsterdam_days():
    # 00:30 in Amsterdam on 10 June is still 9 June in UTC: the deadline counts from the local day.
    starts = datetime(2026, 6, 9, 22, 30, tzinfo=UTC)
    assert rules.documents_deadline(starts, 7) == date(2026, 6, 3)
    assert rules.is_late(datetime(2026, 6, 4, 8, tzinfo=UTC), date(2026, 6, 3))
    assert not rules.is_late(datetime(2026, 6, 3, 20, tzinfo=UTC), date(2026, 6, 3))


def test_date_list_reads_dutch_dates_and_names_the_rest():
    days, unreadable = rules.parse_date_list("19-05-2026\n2-6-2026, 31-02-2026; morgen\n19-05-2026")
    assert days == [date(2026, 5, 19), date(2026, 6, 2)]
    assert unreadable == ["31-02-2026", "morgen"]


def test_series_every_n_weeks_and_reorder():
    assert rules.every_n_weeks(date(2026, 1, 5), 2, 3) == [date(2026, 1, 5), date(2026, 1, 19), date(2026, 2, 2)]
    assert rules.reorder([1, 2, 3], 3, "up") == [1, 3, 2]
    assert rules.reorder([1, 2, 3], 1, "up") == [1, 2, 3]
    assert rules.reorder([1, 2, 3], 3, "down") == [1, 2, 3]


def test_meeting_times_are_right_on_both_sides_of_a_dst_change():
    before, _end = rules.meeting_times(date(2026, 3, 28), time(19, 30), time(21, 0))
    after, _end = rules.meeting_times(date(2026, 3, 30), time(19, 30), time(21, 0))
    assert before == datetime(2026, 3, 28, 18, 30, tzinfo=UTC)  # CET, UTC+1
    assert after == datetime(2026, 3, 30, 17, 30, tzinfo=UTC)  # CEST, UTC+2


def test_progress_warns_when_the_plan_cannot_reach_the_commitment():
    assert rules.Progress("8 keer", 8, held=5, planned=2).short_by == 1
    assert not rules.Progress("8 keer", 8, held=5, planned=2).reachable
    assert rules.Progress("8 keer", 8, held=6, planned=2).reachable


# --- planning ---------------------------------------------------------------------------------

def test_secretary_plans_a_meeting_with_the_standard_items(client, auth, body, secretary):
    auth.login(secretary)
    response = client.post("/vergaderingen/nieuw", data=new_meeting_data(body=str(body.id)))
    assert response.status_code == 303
    meeting = db.session.scalar(db.select(Meeting))
    assert [item.title for item in meeting.items] == rules.STANDARD_ITEMS
    assert meeting.published_at is not None and meeting.is_published(utcnow())
    assert client.get(response.location).status_code == 200


def test_a_series_every_four_weeks_or_on_given_dates(client, auth, body, secretary):
    auth.login(secretary)
    later = local_today() + timedelta(days=400)  # after the series
    client.post("/vergaderingen/nieuw", data=new_meeting_data(body=str(body.id), repeat="weeks", every_weeks="4", count="8"))
    assert db.session.scalar(db.select(db.func.count()).select_from(Meeting)) == 8
    client.post("/vergaderingen/nieuw", data=new_meeting_data(body=str(body.id), repeat="list",
                                                              day=(local_today() + timedelta(days=21)).isoformat(),
                                                              dates=f"{later:%d-%m-%Y}\n{later + timedelta(days=14):%d-%m-%Y}"))
    assert db.session.scalar(db.select(db.func.count()).select_from(Meeting)) == 11


@pytest.mark.parametrize("changes, message", [
    ({"end": "19:00"}, "Kies een eindtijd na de begintijd."),
    ({"title": "x" * 300}, "Gebruik hoogstens 200 tekens."),
    ({"title": ""}, "Vul een titel in."),
    ({"day": "gisteren"}, "Vul een datum in zoals 19-05-2026."),
    ({"repeat": "list", "dates": "1-13-2026"}, "Deze data kunnen we niet lezen: 1-13-2026."),
    ({"online_url": "javascript:alert(1)"}, "Vul een link in die begint met https://."),
    ({"publish": "later"}, "Vul de datum in vanaf wanneer de leden de vergadering zien."),
    ({"body": "999"}, "Kies een van de mogelijkheden in de lijst."),
])
def test_bad_meeting_input_keeps_what_was_typed(client, auth, body, secretary, changes, message):
    auth.login(secretary)
    data = {**new_meeting_data(body=str(body.id), location="Zaal met een naam"), **changes}
    response = client.post("/vergaderingen/nieuw", data=data)
    assert response.status_code == 422
    assert message in response.text and "Zaal met een naam" in response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(Meeting)) == 0


def test_a_date_in_the_past_is_saved_with_a_warning(client, auth, body, secretary):
    auth.login(secretary)
    day = local_today() - timedelta(days=3)
    response = client.post("/vergaderingen/nieuw", data=new_meeting_data(body=str(body.id), day=day.isoformat()))
    assert response.status_code == 303
    assert "is al geweest" in client.get(response.location).text


def test_a_meeting_after_its_own_stukken_deadline_is_saved_with_a_warning(client, auth, body, secretary):
    auth.login(secretary)
    day = local_today() + timedelta(days=2)  # the stukken were due a week before: five days ago
    response = client.post("/vergaderingen/nieuw", data=new_meeting_data(body=str(body.id), day=day.isoformat()))
    assert response.status_code == 303
    page = client.get(response.location).text
    deadline = date_long(day - timedelta(days=logic.settings_for(body.id).documents_days))
    assert f"Let op: de stukken hadden er al op {deadline} moeten zijn." in page and "De vergadering is gepland." in page
    meeting = db.session.scalar(db.select(Meeting))
    later = (local_today() + timedelta(days=30)).isoformat()
    response = client.post(f"/vergaderingen/{meeting.id}/bewerken", data={
        **new_meeting_data(day=later), "sequence": str(meeting.sequence)})
    assert response.status_code == 303 and "Let op" not in client.get(response.location).text
    response = client.post(f"/vergaderingen/{meeting.id}/bewerken", data={
        **new_meeting_data(day=day.isoformat()), "sequence": str(meeting.sequence)})
    assert "hadden er al op" in client.get(response.location).text


@pytest.mark.parametrize("days_ahead, warned", [(-1, "is al geweest"), (0, "hadden er al op"), (6, "hadden er al op"),
                                                (7, None), (30, None)])
def test_the_planning_warning(days_ahead, warned):
    today = date(2026, 12, 31)
    warning = rules.planning_warning(today + timedelta(days=days_ahead), today, 7)
    assert (warned in str(warning)) if warned else warning is None


def test_a_meeting_planned_twice_is_planned_once(client, auth, body, secretary):
    auth.login(secretary)
    data = new_meeting_data(body=str(body.id), title="Vergadering juni")
    assert client.post("/vergaderingen/nieuw", data=data).status_code == 303
    again = client.post("/vergaderingen/nieuw", data=data)  # a double click, or the form sent again after Back
    assert again.status_code == 409 and "staat al een vergadering van dit orgaan" in again.text
    assert 'value="Vergadering juni"' in again.text  # what was typed stays
    assert db.session.scalar(db.select(db.func.count()).select_from(Meeting)) == 1
    # Cancelled, the time is free again.
    actions.cancel_meeting(db.session.scalar(db.select(Meeting)).id)
    assert client.post("/vergaderingen/nieuw", data=data).status_code == 303


def test_a_member_cannot_plan_and_a_secretary_not_for_another_body(client, auth, body, member, make_body, make_user):
    auth.login(member)
    assert client.get("/vergaderingen/nieuw").status_code == 403
    auth.logout()
    auth.login(make_user(role="secretaris", bodies=[make_body()]))
    response = client.post("/vergaderingen/nieuw", data=new_meeting_data(body=str(body.id)))
    assert response.status_code == 422 and db.session.scalar(db.select(Meeting)) is None


def test_edit_moves_the_meeting_and_tells_the_invitees(client, auth, secretary, member, make_meeting, mails):
    meeting = make_meeting()
    meeting.invitations_sent_at = utcnow()
    db.session.commit()
    auth.login(secretary)
    day = (local_today() + timedelta(days=12)).isoformat()
    response = client.post(f"/vergaderingen/{meeting.id}/bewerken", data={
        "title": "Verplaatst", "kind": "regular", "day": day, "start": "10:00", "end": "12:00", "location": "Elders",
        "online_url": "", "visibility": "members", "sequence": str(meeting.sequence)})
    assert response.status_code == 303
    assert meeting.title == "Verplaatst" and meeting.sequence == 1
    change = [m for m in mails if m.subject.startswith("Gewijzigd")]
    assert {m.to for m in change} == {member.email, secretary.email}
    assert change[0].attachments[0][0].endswith(".ics")


def test_a_stale_edit_is_refused_and_keeps_the_input(client, auth, secretary, make_meeting):
    meeting = make_meeting()
    auth.login(secretary)
    meeting.sequence = 3  # someone else saved meanwhile
    db.session.commit()
    response = client.post(f"/vergaderingen/{meeting.id}/bewerken", data={
        "title": "Mijn versie", "kind": "regular", "day": local_today().isoformat(), "start": "10:00", "end": "12:00",
        "location": "", "online_url": "", "visibility": "members", "sequence": "0"})
    assert response.status_code == 409
    assert "Iemand anders heeft deze vergadering veranderd" in response.text and "Mijn versie" in response.text
    assert meeting.title == "Vergadering"


def test_before_the_members_see_a_meeting_its_edit_changes_when_they_will(client, auth, secretary, member,
                                                                          make_meeting):
    meeting = make_meeting(published=False)
    edit = f"/vergaderingen/{meeting.id}/bewerken"
    auth.login(secretary)
    assert re.search(r'<input checked[^>]*value="draft"', client.get(edit).text)

    def save(**publication):
        return client.post(edit, data={**new_meeting_data(title="Met datum"), "sequence": str(meeting.sequence),
                                       **publication})

    response = save(publish="later", publish_on="")
    assert response.status_code == 422 and "Vul de datum in vanaf wanneer de leden de vergadering zien." in response.text
    assert "Met datum" in response.text and meeting.published_at is None
    day = local_today() + timedelta(days=5)
    assert save(publish="later", publish_on=day.isoformat()).status_code == 303
    assert meeting.published_at == from_local(day, time(0)) and meeting.title == "Met datum"
    assert f'value="{day.isoformat()}"' in client.get(edit).text
    auth.logout()
    auth.login(member)
    assert client.get(f"/vergaderingen/{meeting.id}").status_code == 404
    auth.logout()
    auth.login(secretary)
    assert save(publish="now").status_code == 303
    assert meeting.is_published(utcnow())
    assert "Wanneer zien de leden" not in client.get(edit).text  # once seen, a meeting stays visible


def test_cancel_keeps_the_meeting_and_tells_the_members(client, auth, secretary, member, make_meeting, mails):
    meeting = make_meeting()
    auth.login(secretary)
    assert client.post(f"/vergaderingen/{meeting.id}/afgelasten").status_code == 303
    assert meeting.status == rules.CANCELLED and meeting.sequence == 1
    assert any(m.to == member.email and m.subject.startswith("Afgelast") for m in mails)
    assert "Deze vergadering is afgelast." in client.get(f"/vergaderingen/{meeting.id}").text


def test_a_draft_is_hidden_until_published(client, auth, secretary, member, make_meeting):
    meeting = make_meeting(published=False)
    auth.login(member)
    assert client.get(f"/vergaderingen/{meeting.id}").status_code == 404
    auth.logout()
    auth.login(secretary)
    client.post(f"/vergaderingen/{meeting.id}/publiceren")
    auth.logout()
    auth.login(member)
    assert client.get(f"/vergaderingen/{meeting.id}").status_code == 200


def test_a_meeting_published_later_appears_by_itself(app, member, make_meeting):
    meeting = make_meeting()
    meeting.published_at = utcnow() + timedelta(days=2)
    db.session.commit()
    assert not logic.can_see(member, meeting)
    assert logic.can_see(member, meeting, now=utcnow() + timedelta(days=3))


@pytest.mark.parametrize("path", ["", "/verslag", "/bewerken", "/presentie", "/agenda.ics"])
def test_members_only_meetings_are_404_for_guests_and_other_bodies(client, auth, make_meeting, make_body, path):
    meeting = make_meeting()
    assert client.get(f"/vergaderingen/{meeting.id}{path}").status_code in (303, 404)
    auth.login(bodies=[make_body()])
    assert client.get(f"/vergaderingen/{meeting.id}{path}").status_code == 404


def test_guests_see_public_meetings_only(client, make_meeting):
    public, private = make_meeting(visibility=rules.PUBLIC, title="Openbaar"), make_meeting(title="Besloten")
    html = client.get("/vergaderingen/").text
    assert "Openbaar" in html and "Besloten" not in html
    assert client.get(f"/vergaderingen/{public.id}").status_code == 200
    assert client.get(f"/vergaderingen/{private.id}").status_code == 404


def test_invitation_mails_the_agenda_and_an_ics(client, auth, secretary, member, make_meeting, mails):
    meeting = make_meeting()
    auth.login(secretary)
    client.post(f"/vergaderingen/{meeting.id}/uitnodigen")
    invitation = next(m for m in mails if m.to == member.email)
    assert "Vaststellen verslag vorige vergadering" in invitation.body
    name, mimetype, content = invitation.attachments[0]
    assert mimetype == "text/calendar" and b"BEGIN:VEVENT" in content
    assert "/profiel#emails" in invitation.body  # every mail links to the mail choices


def test_inviting_to_a_meeting_shown_from_a_later_date_shows_it_now(client, auth, secretary, member, make_meeting,
                                                                     mails):
    meeting = make_meeting()
    meeting.published_at = utcnow() + timedelta(days=7)
    db.session.commit()
    auth.login(secretary)
    assert client.post(f"/vergaderingen/{meeting.id}/uitnodigen").status_code == 303
    assert meeting.is_published(utcnow())
    assert "Wanneer zien de leden" not in client.get(f"/vergaderingen/{meeting.id}/bewerken").text
    auth.logout()
    auth.login(member)
    assert client.get(f"/vergaderingen/{meeting.id}").status_code == 200


def test_a_member_who_switched_invitations_off_gets_none(client, auth, secretary, member, make_meeting, mails):
    from cpweb.mail import OPTIONAL_MAIL_KINDS, choose_kinds

    choose_kinds(member, [kind for kind in OPTIONAL_MAIL_KINDS if kind != "invitations"])
    db.session.commit()
    meeting = make_meeting()
    auth.login(secretary)
    client.post(f"/vergaderingen/{meeting.id}/uitnodigen")
    assert [m.to for m in mails] == [secretary.email]


def add_stuk(client, meeting) -> None:
    response = client.post(f"/vergaderingen/{meeting.id}/agendapunten/{meeting.items[1].id}/stukken", data=upload(),
                           content_type="multipart/form-data")
    assert response.status_code == 303


def completed_mails(mails) -> list:
    return [m for m in mails if "stukken zijn compleet" in m.subject]


def test_documents_complete_tells_the_members_once(client, auth, secretary, member, make_meeting, mails):
    meeting = make_meeting()
    auth.login(secretary)
    add_stuk(client, meeting)
    client.post(f"/vergaderingen/{meeting.id}/stukken-compleet")
    assert meeting.documents_complete_at is not None
    assert sorted(m.to for m in completed_mails(mails)) == sorted([member.email, secretary.email])
    # The same form posted again (a double click): nobody gets a second mail, and the page says why.
    again = client.post(f"/vergaderingen/{meeting.id}/stukken-compleet", follow_redirects=True)
    assert "De leden weten al dat de stukken compleet zijn" in again.text and len(completed_mails(mails)) == 2


def test_stukken_complete_is_offered_only_when_there_are_stukken(client, auth, secretary, make_meeting, mails):
    meeting = make_meeting()
    auth.login(secretary)
    assert "/stukken-compleet" not in client.get(f"/vergaderingen/{meeting.id}").text
    response = client.post(f"/vergaderingen/{meeting.id}/stukken-compleet", follow_redirects=True)
    assert "Er zijn nog geen stukken." in response.text
    assert meeting.documents_complete_at is None and not completed_mails(mails)
    add_stuk(client, meeting)
    assert f'href="/vergaderingen/{meeting.id}/stukken-compleet"' in client.get(f"/vergaderingen/{meeting.id}").text


def test_stukken_complete_from_a_form_left_open_until_the_meeting_was_held(client, auth, secretary, make_meeting, mails):
    meeting = make_meeting(days_ahead=0)
    meeting.starts_at = utcnow() + timedelta(minutes=5)
    db.session.commit()
    auth.login(secretary)
    add_stuk(client, meeting)
    assert client.get(f"/vergaderingen/{meeting.id}/stukken-compleet").status_code == 200  # the secretary opens it
    meeting.starts_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    actions.mark_held(meeting.id)
    assert "/stukken-compleet" not in client.get(f"/vergaderingen/{meeting.id}").text
    response = client.post(f"/vergaderingen/{meeting.id}/stukken-compleet", follow_redirects=True)
    assert "Laten weten dat de stukken compleet zijn, kan niet meer. De vergadering is gehouden." in response.text
    assert meeting.documents_complete_at is None and not completed_mails(mails)
    refused = client.get(f"/vergaderingen/{meeting.id}/stukken-compleet", follow_redirects=True)
    assert "kan niet meer" in refused.text and "Ja, leden laten weten" not in refused.text


# --- agenda -------------------------------------------------------------------------------------

def test_add_an_item_with_markdown_made_safe(client, auth, secretary, make_meeting):
    meeting = make_meeting()
    auth.login(secretary)
    response = client.post(f"/vergaderingen/{meeting.id}/agendapunten", data={
        "title": "Brieven", "description": "<script>alert(1)</script> [klik](javascript:alert(1)) **vet**",
        "presenter": "Henk", "duration_minutes": "20"})
    assert response.status_code == 303
    html = client.get(f"/vergaderingen/{meeting.id}").text
    assert "<strong>vet</strong>" in html and "<script>alert" not in html and "javascript:alert" not in html
    brieven = next(item for item in meeting.items if item.title == "Brieven")
    assert not brieven.added_late


def test_a_new_item_goes_before_the_closing_items(client, auth, secretary, make_meeting):
    meeting = make_meeting()  # the standard agenda ends with "Rondvraag", "Sluiting"
    auth.login(secretary)
    client.post(f"/vergaderingen/{meeting.id}/agendapunten", data={"title": "Brieven"})
    client.post(f"/vergaderingen/{meeting.id}/agendapunten", data={"title": "Folder"})
    assert [item.title for item in meeting.items][-4:] == ["Brieven", "Folder", "Rondvraag", "Sluiting"]
    assert [item.position for item in meeting.items] == list(range(len(meeting.items)))


@pytest.mark.parametrize("titles, position", [
    (["Opening", "Rondvraag", "Sluiting"], 1),
    (["Opening", "Rondvraag en sluiting"], 1),
    (["Opening", "SLUITING."], 1),
    (["Opening", "Rondvraag"], 1),
    (["Opening", "Sluiting", "Nagekomen brief"], 3),  # a closing item in the middle is no closing block
    (["Opening"], 1),
    ([], 0),
])
def test_the_place_of_a_new_item_is_before_the_closing_block(titles, position):
    assert rules.new_item_position(titles) == position


def test_an_item_posted_twice_is_added_once(client, auth, secretary, make_meeting):
    meeting = make_meeting()
    auth.login(secretary)
    page = client.get(f"/vergaderingen/{meeting.id}").text
    seen = re.search(r'name="sequence" value="(\d+)"', page)[1]
    data = {"title": "Brieven", "description": "Twee brieven", "sequence": seen}
    client.post(f"/vergaderingen/{meeting.id}/agendapunten", data=data)
    again = client.post(f"/vergaderingen/{meeting.id}/agendapunten", data=data, headers={"HX-Request": "true"})
    assert "‘Brieven’ staat al op de agenda." in again.text and 'id="agenda"' in again.text
    assert [item.title for item in meeting.items].count("Brieven") == 1
    # From the page as it is now, the same title is a choice: a second item of that name.
    seen = re.search(r'name="sequence" value="(\d+)"', client.get(f"/vergaderingen/{meeting.id}").text)[1]
    client.post(f"/vergaderingen/{meeting.id}/agendapunten", data={**data, "sequence": seen})
    assert [item.title for item in meeting.items].count("Brieven") == 2


def test_an_item_added_after_the_deadline_is_marked_late(client, auth, secretary, make_meeting):
    meeting = make_meeting(days_ahead=2)  # the stukken were due five days ago
    auth.login(secretary)
    client.post(f"/vergaderingen/{meeting.id}/agendapunten", data={"title": "Laat punt"})
    assert next(item for item in meeting.items if item.title == "Laat punt").added_late
    assert "later toegevoegd" in client.get(f"/vergaderingen/{meeting.id}").text


def test_bad_item_input_shows_the_agenda_block_with_errors(client, auth, secretary, make_meeting):
    meeting = make_meeting()
    auth.login(secretary)
    response = client.post(f"/vergaderingen/{meeting.id}/agendapunten", data={"title": "", "duration_minutes": "veel"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "<html" not in response.text and 'id="agenda"' in response.text
    assert "Vul een titel in." in response.text


def test_move_item_with_htmx_returns_the_agenda_and_without_reloads(client, auth, secretary, make_meeting):
    meeting = make_meeting()
    auth.login(secretary)
    last = meeting.items[-1]
    response = client.post(f"/vergaderingen/{meeting.id}/agendapunten/{last.id}/verplaatsen", data={"richting": "up"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.text and 'id="agenda"' in response.text
    assert [i.title for i in meeting.items][-2:] == ["Sluiting", "Rondvraag"]
    response = client.post(f"/vergaderingen/{meeting.id}/agendapunten/{last.id}/verplaatsen", data={"richting": "down"})
    assert response.status_code == 303 and response.location.endswith("#agenda")
    assert [i.title for i in meeting.items][-1] == "Sluiting"
    assert client.post(f"/vergaderingen/{meeting.id}/agendapunten/{last.id}/verplaatsen",
                       data={"richting": "zijwaarts"}).status_code == 400


def test_edit_and_remove_an_item(client, auth, secretary, make_meeting):
    meeting = make_meeting()
    item = meeting.items[0]
    auth.login(secretary)
    assert client.get(f"/vergaderingen/{meeting.id}/agendapunten/{item.id}").status_code == 200
    client.post(f"/vergaderingen/{meeting.id}/agendapunten/{item.id}", data={"title": "Welkom"})
    assert item.title == "Welkom"
    client.post(f"/vergaderingen/{meeting.id}/agendapunten/{item.id}/verwijderen")
    assert "Welkom" not in [i.title for i in meeting.items]
    assert [i.position for i in meeting.items] == list(range(len(meeting.items)))


def test_an_item_of_another_meeting_is_404(client, auth, secretary, make_meeting):
    one, other = make_meeting(), make_meeting()
    auth.login(secretary)
    assert client.get(f"/vergaderingen/{one.id}/agendapunten/{other.items[0].id}").status_code == 404


def test_a_member_cannot_change_the_agenda(client, auth, member, make_meeting):
    meeting = make_meeting()
    auth.login(member)
    assert client.post(f"/vergaderingen/{meeting.id}/agendapunten", data={"title": "Van mij"}).status_code == 403
    assert client.post(f"/vergaderingen/{meeting.id}/afgelasten").status_code == 403


# --- attendance ---------------------------------------------------------------------------------

def test_answer_attendance_with_one_click(client, auth, member, make_meeting):
    meeting = make_meeting()
    auth.login(member)
    response = client.post(f"/vergaderingen/{meeting.id}/aanwezigheid", data={"answer": "no", "message": "Op vakantie"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.text and 'id="attendance"' in response.text
    assert "Ik ben er niet" in response.text and "Op vakantie" in response.text
    response = client.post(f"/vergaderingen/{meeting.id}/aanwezigheid", data={"answer": "yes"})
    assert response.status_code == 303
    assert db.session.scalar(db.select(Attendance)).answer == rules.YES


def test_a_changed_answer_does_not_keep_the_note_of_the_old_one(client, auth, member, make_meeting):
    meeting = make_meeting()
    auth.login(member)
    client.post(f"/vergaderingen/{meeting.id}/aanwezigheid", data={"answer": "no", "message": "Ik ben bij de dokter."})
    page = client.get(f"/vergaderingen/{meeting.id}").text
    assert "Ik ben er niet</strong> (Ik ben bij de dokter.)" in page
    # The member clicks "Ik ben er" on that page: the browser sends what the field holds.
    field = re.search(r'<input[^>]*name="message"[^>]*>', page)[0]
    sent = re.search(r'value="([^"]*)"', field)
    client.post(f"/vergaderingen/{meeting.id}/aanwezigheid", data={"answer": "yes", "message": sent[1] if sent else ""})
    page = client.get(f"/vergaderingen/{meeting.id}").text
    assert "Ik ben er</strong>" in page and "dokter" not in page
    assert db.session.scalar(db.select(Attendance)).message == ""


def test_a_note_sent_again_with_a_changed_answer_is_the_old_one_and_goes(app, member, make_meeting):
    # A browser can put the old note back in the field (Back, a tab left open): it belonged to the old answer.
    meeting = make_meeting()
    actions.answer(meeting.id, member, rules.NO, "Ik ben bij de dokter.")
    assert actions.answer(meeting.id, member, rules.YES, "Ik ben bij de dokter.").message == ""
    assert actions.answer(meeting.id, member, rules.YES, "Ik kom wat later.").message == "Ik kom wat later."
    assert actions.answer(meeting.id, member, rules.YES, "Ik kom wat later.").message == "Ik kom wat later."


def test_attendance_needs_an_answer_and_membership(client, auth, member, make_meeting, make_body):
    meeting = make_meeting(visibility=rules.PUBLIC)
    auth.login(member)
    response = client.post(f"/vergaderingen/{meeting.id}/aanwezigheid", data={"answer": "misschien"})
    assert response.status_code == 422 and "Kies een van de mogelijkheden in de lijst." in response.text
    auth.logout()
    auth.login(bodies=[make_body()])
    assert client.post(f"/vergaderingen/{meeting.id}/aanwezigheid", data={"answer": "yes"}).status_code == 403


def test_a_meeting_that_has_begun_speaks_of_itself_in_the_past(client, auth, member, make_meeting, make_user, body):
    past, coming = make_meeting(days_ahead=-3), make_meeting(days_ahead=10)
    for meeting in (past, coming):
        for name, reply in (("Piet", rules.YES), ("Ann", rules.NO)):
            db.session.add(Attendance(meeting_id=meeting.id, user_id=make_user(bodies=[body], name=name).id,
                                      answer=reply, answered_at=utcnow()))
    db.session.commit()
    auth.login(member)
    page = client.get(f"/vergaderingen/{past.id}").text
    for future in ("Bent u erbij?", "Wie komen er?", "Ik ben er", "laten weten of u komt", "Staan hier uiterlijk op"):
        assert future.lower() not in page.lower(), future
    assert "Wie waren er?" in page and 'name="answer"' not in page
    assert "Piet: zou komen" in page and "Ann: had zich afgemeld" in page and "Lid Lisa: had niets laten weten" in page
    assert "Zet in mijn agenda" not in page and "Verslag</a>" in page
    page = client.get(f"/vergaderingen/{coming.id}").text
    assert "Bent u erbij?" in page and "Wie komen er?" in page and 'name="answer"' in page
    assert "Piet: Ik ben er" in page and "Lid Lisa: nog niet laten weten" in page and "Staan hier uiterlijk op" in page
    assert "Zet in mijn agenda" in page


def test_a_cancelled_meeting_asks_no_one_to_come_or_to_keep_the_date(client, auth, member, make_meeting, body, make_user):
    meeting = make_meeting(days_ahead=10, visibility=rules.PUBLIC)
    db.session.add(Attendance(meeting_id=meeting.id, user_id=make_user(bodies=[body], name="Piet").id,
                              answer=rules.YES, answered_at=utcnow()))
    meeting.status = rules.CANCELLED
    db.session.commit()
    auth.login(member)
    page = client.get(f"/vergaderingen/{meeting.id}").text
    assert "Afgelast" in page
    for question in ("Bent u erbij?", "Wie komen er?", "Piet:", 'name="answer"', "Zet in mijn agenda"):
        assert question not in page, question
    assert "Verslag</a>" in page
    auth.logout()
    page = client.get(f"/vergaderingen/{meeting.id}").text  # a guest: the meeting is public
    assert "Afgelast" in page and "Zet in mijn agenda" not in page


def test_secretary_records_presence_and_the_minutes_show_it(client, auth, secretary, member, make_meeting):
    meeting = make_meeting(days_ahead=-1)
    db.session.add(Attendance(meeting_id=meeting.id, user_id=member.id, answer=rules.NO, message="Ziek"))
    db.session.commit()
    auth.login(secretary)
    assert client.get(f"/vergaderingen/{meeting.id}/presentie").status_code == 200
    client.post(f"/vergaderingen/{meeting.id}/presentie", data={"present": [str(secretary.id)]})
    assert meeting.status == rules.PLANNED  # attendance never changes the meeting's state by itself
    html = client.get(f"/vergaderingen/{meeting.id}/verslag").text
    assert "Sec Retaris" in html and "Afwezig met bericht" in html and "Lid Lisa (Ziek)" in html


# --- minutes --------------------------------------------------------------------------------------

def test_minutes_from_draft_to_shared_to_approved(client, auth, secretary, member, make_meeting, mails):
    meeting = make_meeting(days_ahead=-1)
    auth.login(member)
    assert "nog niet klaar" in client.get(f"/vergaderingen/{meeting.id}/verslag").text  # a draft is the secretary's
    auth.logout()
    auth.login(secretary)
    client.post(f"/vergaderingen/{meeting.id}/verslag", data={"text": "## Opening\n\nIedereen welkom.", "version": "0"})
    client.post(f"/vergaderingen/{meeting.id}/verslag/verder")
    assert any(m.to == member.email and m.subject.startswith("Verslag om te lezen") for m in mails)
    auth.logout()
    auth.login(member)
    html = client.get(f"/vergaderingen/{meeting.id}/verslag").text
    assert "<h3>Opening</h3>" in html and "Correctie voorstellen" in html
    client.post(f"/vergaderingen/{meeting.id}/verslag/correcties", data={"correction": "Ik was er ook."})
    auth.logout()
    auth.login(secretary)
    correction = db.session.scalar(db.select(MinutesCorrection))
    client.post(f"/vergaderingen/{meeting.id}/verslag/correcties/{correction.id}", data={"besluit": "overnemen"})
    assert correction.status == rules.ACCEPTED
    client.post(f"/vergaderingen/{meeting.id}/verslag/verder")
    minutes = db.session.get(Minutes, meeting.id)
    assert minutes.status == rules.APPROVED and minutes.approved_on == local_today()
    # Approved minutes are frozen.
    response = client.post(f"/vergaderingen/{meeting.id}/verslag", data={"text": "Anders", "version": str(minutes.version)})
    assert response.status_code == 409 and minutes.text.startswith("## Opening")
    assert client.post(f"/vergaderingen/{meeting.id}/verslag/verder").status_code == 409


def test_stale_minutes_are_not_overwritten(client, auth, secretary, make_meeting):
    meeting = make_meeting(days_ahead=-1)
    auth.login(secretary)
    client.post(f"/vergaderingen/{meeting.id}/verslag", data={"text": "Eerste versie", "version": "0"})
    response = client.post(f"/vergaderingen/{meeting.id}/verslag", data={"text": "Tweede versie", "version": "0"})
    assert response.status_code == 409 and "Tweede versie" in response.text
    assert db.session.get(Minutes, meeting.id).text == "Eerste versie"


def test_corrections_only_on_shared_minutes(client, auth, member, make_meeting):
    meeting = make_meeting(days_ahead=-1)
    auth.login(member)
    assert client.post(f"/vergaderingen/{meeting.id}/verslag/correcties", data={"correction": "x"}).status_code == 409


def test_decisions_and_action_items_stay_open_across_meetings(client, auth, secretary, member, make_meeting):
    past, upcoming = make_meeting(days_ahead=-7), make_meeting(days_ahead=7, title="Volgende")
    auth.login(secretary)
    client.post(f"/vergaderingen/{past.id}/besluiten", data={"decision": "We sturen een advies."})
    client.post(f"/vergaderingen/{past.id}/actiepunten", data={"description": "Advies schrijven", "owner": str(member.id),
                                                               "due_on": (local_today() + timedelta(days=5)).isoformat()})
    assert "Advies schrijven" in client.get(f"/vergaderingen/{upcoming.id}").text  # on the next agenda
    response = client.post(f"/vergaderingen/{past.id}/actiepunten", data={"description": "", "owner": "999"})
    assert response.status_code == 422 and "Schrijf op wat er moet gebeuren." in response.text
    auth.logout()
    auth.login(member)
    assert "Advies schrijven" in client.get("/").text  # on the owner's home page
    item = db.session.scalar(db.select(ActionItem))
    response = client.post(f"/vergaderingen/actiepunten/{item.id}/klaar",
                           data={"klaar": "1", "terug": "/\\evil.example"})
    assert item.done_at is not None and response.location == "/vergaderingen/actiepunten"  # never another host
    assert "Advies schrijven" not in client.get("/vergaderingen/actiepunten").text
    assert "Advies schrijven" in client.get("/vergaderingen/actiepunten?klaar=1").text


def test_only_the_owner_or_a_secretary_ticks_an_action_item(client, auth, body, make_user, make_meeting, make_body):
    meeting = make_meeting()
    item = actions.add_action_item(meeting.id, "Iets doen", None, None)
    db.session.commit()
    auth.login(make_user(bodies=[body]))
    assert client.post(f"/vergaderingen/actiepunten/{item.id}/klaar", data={"klaar": "1"}).status_code == 403
    auth.logout()
    auth.login(bodies=[make_body()])
    assert client.post(f"/vergaderingen/actiepunten/{item.id}/klaar", data={"klaar": "1"}).status_code == 404


# --- settings and commitments -------------------------------------------------------------------

def test_settings_and_commitments_show_progress_on_the_body_page(client, auth, body, secretary, member, make_meeting):
    auth.login(secretary)
    assert client.get(f"/vergaderingen/instellingen/{body.id}").status_code == 200
    client.post(f"/vergaderingen/instellingen/{body.id}", data={"documents_days": "10", "reminder_days": "3",
                                                                "standard_items": "Opening\nSluiting"})
    assert logic.settings_for(body.id).documents_days == 10
    response = client.post(f"/vergaderingen/instellingen/{body.id}/afspraken",
                           data={"label": "Komt 8 keer per jaar bijeen", "kind": "regular", "times_per_year": "8"})
    assert response.status_code == 303
    past = make_meeting(days_ahead=-1) if local_today().timetuple().tm_yday > 1 else make_meeting()
    assert [i.title for i in make_meeting().items] == ["Opening", "Sluiting"]
    auth.logout()
    auth.login(member)
    html = client.get(f"/organen/{body.slug}").text
    held = 1 if past.starts_at < utcnow() else 0
    assert f"{held} van 8 gehouden" in html and "Let op: er moeten nog" in html


def test_progress_counts_this_years_meetings_of_each_commitments_kind(body, make_body):
    def meetings_on(days, kind=rules.REGULAR, body_id=body.id):
        fields = {"title": "Vergadering", "kind": kind, "location": "", "online_url": "", "visibility": rules.MEMBERS,
                  "start": time(19, 30), "end": time(21, 0)}
        return logic.create_meetings(body_id, days, fields, publish_at=None)

    meetings_on([date(2029, 12, 31), date(2030, 1, 1), date(2030, 3, 5), date(2030, 9, 1), date(2031, 1, 1)])
    meetings_on([date(2030, 4, 1)])[0].status = rules.CANCELLED
    meetings_on([date(2030, 2, 1)], kind=rules.MANAGEMENT)
    meetings_on([date(2030, 2, 1)], body_id=make_body().id)
    db.session.add_all([Commitment(body_id=body.id, kind=rules.REGULAR, times_per_year=8, label="Acht keer"),
                        Commitment(body_id=body.id, kind=rules.MANAGEMENT, times_per_year=3, label="Drie keer")])
    db.session.commit()
    progress = logic.commitment_progress(body.id, 2030, now=datetime(2030, 6, 1, tzinfo=UTC))
    assert progress == [rules.Progress("Acht keer", 8, held=2, planned=1), rules.Progress("Drie keer", 3, held=1, planned=0)]
    assert logic.commitment_progress(make_body().id, 2030) == []


def test_bad_settings_are_refused(client, auth, body, secretary, make_body):
    auth.login(secretary)
    response = client.post(f"/vergaderingen/instellingen/{body.id}", data={"documents_days": "99", "reminder_days": "x"})
    assert response.status_code == 422 and "Kies een getal van 0 tot en met 60." in response.text
    response = client.post(f"/vergaderingen/instellingen/{body.id}/afspraken", data={"label": "", "times_per_year": "0"})
    assert response.status_code == 422 and "Schrijf de afspraak op." in response.text
    assert client.get(f"/vergaderingen/instellingen/{make_body().id}").status_code == 404
    commitment = Commitment(body_id=body.id, kind="regular", times_per_year=3, label="Drie keer")
    db.session.add(commitment)
    db.session.commit()
    client.post(f"/vergaderingen/instellingen/{body.id}/afspraken/{commitment.id}/verwijderen")
    assert logic.commitments_of(body.id) == []


# --- reminders and mail -----------------------------------------------------------------------------

def test_reminders_are_sent_once_per_meeting(app, member, make_meeting, mails):
    meeting = make_meeting(days_ahead=1)
    make_meeting(days_ahead=20)  # outside the two-day window
    assert send_reminders() == 1
    assert send_reminders() == 0
    assert meeting.reminder_sent_at is not None and mails[0].subject.startswith("Herinnering")


def test_two_reminder_runs_at_once_send_one_reminder(app, make_meeting):
    meeting = make_meeting(days_ahead=1)
    now = utcnow()
    results = [logic.claim_reminder(meeting, now), logic.claim_reminder(meeting, now)]
    assert results == [True, False]


def test_send_reminders_command(runner, app, member, make_meeting):
    make_meeting(days_ahead=1)
    result = runner.invoke(args=["cpweb", "send-reminders"])
    assert result.exit_code == 0 and "meetings 1 e-mails" in result.output


def test_invitation_through_a_real_smtp_server(client, auth, app, secretary, member, make_meeting):
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
        meeting = make_meeting()
        auth.login(secretary)
        client.post(f"/vergaderingen/{meeting.id}/uitnodigen")
        wait_for_sending(app)  # the mails go out in the background, after the request
    finally:
        controller.stop()
    assert {envelope.rcpt_tos[0] for envelope in received} == {member.email, secretary.email}
    message = message_from_bytes(received[0].content)
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "text/calendar" in parts and b"BEGIN:VEVENT" in parts["text/calendar"].get_payload(decode=True)


# --- lists, home, speed -----------------------------------------------------------------------------

def test_home_shows_the_next_meetings(client, auth, member, make_meeting):
    make_meeting(title="Eerstvolgende")
    auth.login(member)
    assert "Eerstvolgende" in client.get("/").text


def test_meeting_page_and_list_run_a_constant_number_of_queries(client, auth, body, secretary, member, make_meeting,
                                                                make_user):
    meeting = make_meeting()
    actions.add_action_item(meeting.id, "Eerste actie", member.id, None)  # one of each, so every eager load runs
    make_meeting(days_ahead=-30)
    db.session.commit()
    auth.login(secretary)
    client.get(f"/vergaderingen/{meeting.id}")  # warm up the login
    small_show = count_queries(client, f"/vergaderingen/{meeting.id}")
    small_list = count_queries(client, "/vergaderingen/")
    small_minutes = count_queries(client, f"/vergaderingen/{meeting.id}/verslag")
    for n in range(15):
        other = make_user(bodies=[body])
        db.session.add(Attendance(meeting_id=meeting.id, user_id=other.id, answer=rules.YES))
        actions.add_item(meeting.id, {"title": f"Punt {n}"})
        actions.add_action_item(meeting.id, f"Actie {n}", other.id, None)
        actions.add_decision(meeting.id, f"Besluit {n}")
        make_meeting(days_ahead=n - 7)
    db.session.commit()
    assert count_queries(client, f"/vergaderingen/{meeting.id}") == small_show
    assert count_queries(client, "/vergaderingen/") == small_list
    assert count_queries(client, f"/vergaderingen/{meeting.id}/verslag") == small_minutes


def test_attendance_messages_are_purged_after_the_retention(app, member, make_meeting):
    from cpweb.core.retention import run_purge

    meeting = make_meeting(days_ahead=-100)
    db.session.add(Attendance(meeting_id=meeting.id, user_id=member.id, answer=rules.NO, message="Ziek"))
    db.session.commit()
    assert run_purge(utcnow(), dry_run=True)["attendance messages"] == 1
    run_purge(utcnow())
    db.session.commit()
    assert db.session.scalar(db.select(Attendance)).message == ""


# --- stukken ------------------------------------------------------------------------------------------

def upload(name="notitie.txt", content=b"Stuk voor de vergadering over de energietoeslag."):
    return {"bestand": (io.BytesIO(content), name)}


def test_a_stuk_is_uploaded_to_the_library_and_shown_with_its_item(client, auth, secretary, member, make_meeting):
    meeting = make_meeting()
    item = meeting.items[1]
    auth.login(secretary)
    response = client.post(f"/vergaderingen/{meeting.id}/agendapunten/{item.id}/stukken", data=upload(),
                           content_type="multipart/form-data")
    assert response.status_code == 303
    auth.logout()
    auth.login(member)
    html = client.get(f"/vergaderingen/{meeting.id}").text
    assert "notitie.txt" in html and "/download" in html and "later toegevoegd" not in html
    document_id = int(html.split("/documenten/")[1].split('"')[0])
    assert item.title in client.get(f"/documenten/{document_id}").text  # the document says where it is used
    auth.logout()
    assert "notitie.txt" not in client.get(f"/vergaderingen/{meeting.id}").text  # guests: 404 on members-only


def test_a_stuk_after_the_deadline_is_marked_late_and_can_be_taken_off(client, auth, secretary, make_meeting):
    meeting = make_meeting(days_ahead=2)
    item = meeting.items[0]
    auth.login(secretary)
    client.post(f"/vergaderingen/{meeting.id}/agendapunten/{item.id}/stukken", data=upload(),
                content_type="multipart/form-data")
    html = client.get(f"/vergaderingen/{meeting.id}").text
    assert "later toegevoegd" in html
    document_id = int(html.split("/documenten/")[1].split('"')[0])
    client.post(f"/vergaderingen/{meeting.id}/agendapunten/{item.id}/stukken/{document_id}/weghalen")
    assert f'href="/documenten/{document_id}"' not in client.get(f"/vergaderingen/{meeting.id}").text
    assert client.get(f"/documenten/{document_id}").status_code == 200  # still in the library


def test_a_wrong_file_or_nothing_chosen_gets_a_message(client, auth, secretary, make_meeting):
    meeting = make_meeting()
    item = meeting.items[0]
    auth.login(secretary)
    response = client.post(f"/vergaderingen/{meeting.id}/agendapunten/{item.id}/stukken",
                           data=upload("rapport.pdf", b"MZ\x90\x00 not a pdf"), content_type="multipart/form-data",
                           follow_redirects=True)
    assert response.status_code == 422 and 'class="flash flash-error"' in response.text  # on the form, kept
    response = client.post(f"/vergaderingen/{meeting.id}/agendapunten/{item.id}/stukken", data={},
                           follow_redirects=True)
    assert "Kies een bestand of een document uit de bibliotheek." in response.text


def attach_as(client, meeting, item, name, audience, content=b"Een stuk."):
    response = client.post(f"/vergaderingen/{meeting.id}/agendapunten/{item.id}/stukken",
                           data={**upload(name, content), "wie": audience}, content_type="multipart/form-data")
    assert response.status_code == 303


def open_zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="stukken-')
    assert response.headers["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.testzip() is None  # every file's checksum agrees
    return archive


def test_all_stukken_as_one_zip_by_item_with_what_each_reader_may_see(client, auth, secretary, member, make_user,
                                                                      make_body, make_meeting):
    meeting = make_meeting(visibility=rules.PUBLIC)
    opening, second = meeting.items[0], meeting.items[1]
    auth.login(secretary)
    client.post(f"/vergaderingen/{meeting.id}/agendapunten/{second.id}", data={"title": "../../etc/passwd: *Begroting*"})
    attach_as(client, meeting, opening, "toelichting.txt", "public", b"Voor iedereen.")
    attach_as(client, meeting, second, "begroting.txt", "body", b"Alleen voor de leden.")
    attach_as(client, meeting, second, "BEGROTING.TXT", "body", b"Een ander bestand met bijna dezelfde naam.")
    page = client.get(f"/vergaderingen/{meeting.id}").text
    assert f'href="/vergaderingen/{meeting.id}/stukken.zip" download>Alle stukken (zip)' in page
    auth.logout()

    auth.login(member)
    archive = open_zip(client.get(f"/vergaderingen/{meeting.id}/stukken.zip"))
    names = archive.namelist()
    assert names[:2] == ["inhoud.txt", "01 Opening en mededelingen - toelichting.txt"]
    # The same name twice (as Windows sees it) gets a number; which one depends on the database's order.
    assert {name.casefold() for name in names[2:]} == {"02 ..-..-etc-passwd- -begroting- - begroting.txt",
                                                       "02 ..-..-etc-passwd- -begroting- - begroting (2).txt"}
    assert not any(name.startswith(("/", "..")) or "/" in name or "\\" in name for name in names)
    assert {archive.read(name) for name in names[2:]} == {b"Alleen voor de leden.",
                                                          b"Een ander bestand met bijna dezelfde naam."}
    contents = archive.read("inhoud.txt").decode()
    assert contents.startswith("Stukken voor de vergadering\r\nVergadering\r\n")
    assert all(f"Bestand: {name}" in contents for name in names[1:])
    assert "3. Actiepunten\r\n   Geen stukken." in contents
    auth.logout()

    archive = open_zip(client.get(f"/vergaderingen/{meeting.id}/stukken.zip"))  # a guest: the public stuk only
    assert archive.namelist() == ["inhoud.txt", "01 Opening en mededelingen - toelichting.txt"]
    assert "begroting.txt" not in archive.read("inhoud.txt").decode().lower()

    private = make_meeting(visibility=rules.MEMBERS)
    auth.login(secretary)
    attach_as(client, private, private.items[0], "geheim.txt", "body")
    auth.logout()
    auth.login(make_user(bodies=[make_body("Ander orgaan")]))
    assert client.get(f"/vergaderingen/{private.id}/stukken.zip").status_code == 404
    assert client.get(f"/vergaderingen/{meeting.id + 1000}/stukken.zip").status_code == 404


def test_no_zip_without_stukken_and_no_link(client, auth, member, make_meeting):
    meeting = make_meeting()
    auth.login(member)
    assert "stukken.zip" not in client.get(f"/vergaderingen/{meeting.id}").text
    assert client.get(f"/vergaderingen/{meeting.id}/stukken.zip").status_code == 404


def test_a_large_stuk_streams_through_a_small_amount_of_memory(app, client, auth, secretary, member, make_meeting,
                                                              tmp_path):
    """A 24 MB stuk (random, so it does not compress) streams with a peak far below its size (0.6 MB
    when written). A few seconds: the file is made, compressed and checked under tracemalloc."""
    from cpweb.core.filestore import store
    from cpweb.documents import storage
    from cpweb.documents.models import DocumentVersion

    meeting = make_meeting()
    auth.login(secretary)
    attach_as(client, meeting, meeting.items[0], "groot.pdf", "body", b"%PDF-1.4\n%%EOF\n")
    version = db.session.scalars(db.select(DocumentVersion)).one()
    size = 24 * 1024 * 1024
    large = tmp_path / "groot.pdf"
    with large.open("wb") as out:
        for _n in range(size // (1024 * 1024)):
            out.write(os.urandom(1024 * 1024))
    store().put(f"{storage.DOCUMENTS}/{version.stored_name}", large)
    version.size = size
    db.session.commit()

    response = client.get(f"/vergaderingen/{meeting.id}/stukken.zip", buffered=False)
    with tempfile.TemporaryFile() as received:
        tracemalloc.start()
        try:
            for chunk in response.iter_encoded():
                received.write(chunk)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            response.close()
        assert peak < 2 * 1024 * 1024, f"peak {peak} bytes"
        assert received.tell() > size
        archive = zipfile.ZipFile(received)
        assert archive.getinfo("01 Opening en mededelingen - groot.pdf").file_size == size
        assert archive.testzip() is None
        archive.close()


def test_the_meeting_says_when_the_stukken_are_late(client, auth, secretary, member, make_meeting):
    meeting = make_meeting(days_ahead=2, visibility=rules.PUBLIC)  # the stukken were due five days ago
    deadline = rules.documents_deadline(meeting.starts_at, logic.settings_for(meeting.body_id).documents_days)
    late = f"De stukken zijn er nog niet. Ze hadden er op {date_long(deadline)} moeten zijn."
    assert late not in client.get(f"/vergaderingen/{meeting.id}").text  # guests: not their business
    auth.login(member)
    assert late in client.get(f"/vergaderingen/{meeting.id}").text
    in_time = make_meeting(days_ahead=20)
    assert "De stukken zijn er nog niet" not in client.get(f"/vergaderingen/{in_time.id}").text
    auth.logout()
    auth.login(secretary)
    assert late in client.get(f"/vergaderingen/{meeting.id}").text
    attach_as(client, meeting, meeting.items[0], "laat.txt", "body")
    assert "De stukken zijn er nog niet" not in client.get(f"/vergaderingen/{meeting.id}").text


def test_stukken_late_only_before_a_planned_meeting(app, make_meeting):
    from cpweb.meetings import stukken

    meeting = make_meeting(days_ahead=2)
    deadline = local_today() - timedelta(days=1)
    now = utcnow()
    assert stukken.overdue(meeting, {}, deadline, now)
    assert not stukken.overdue(meeting, {1: ["stuk"]}, deadline, now)
    assert not stukken.overdue(meeting, {}, local_today(), now)  # the deadline is today: not late yet
    assert not stukken.overdue(meeting, {}, deadline, meeting.starts_at + timedelta(minutes=1))  # it has begun
    meeting.status = rules.CANCELLED
    assert not stukken.overdue(meeting, {}, deadline, now)


# --- minutes that start from the meeting -----------------------------------------------------------

@pytest.fixture
def held_meeting(make_meeting, make_user, body, secretary, member):
    """A meeting held yesterday, the one two weeks before it with approved minutes, and four members:
    present, absent with a message, absent without word, and the secretary (present)."""
    previous = make_meeting(days_ahead=-15)
    db.session.add(Minutes(meeting_id=previous.id, text="Oud verslag", status=rules.APPROVED, version=2))
    meeting = make_meeting(days_ahead=-1)
    ill, away = make_user(bodies=[body], name="Noor Ziek"), make_user(bodies=[body], name="Bas Weg")
    db.session.add(Attendance(meeting_id=meeting.id, user_id=ill.id, answer=rules.NO, message="Ik ben ziek"))
    db.session.commit()
    return previous, meeting


def test_a_new_draft_starts_with_the_attendance_and_the_agenda(client, auth, secretary, held_meeting):
    previous, meeting = held_meeting
    auth.login(secretary)
    page = client.get(f"/vergaderingen/{meeting.id}/presentie").text
    assert 'name="guests"' in page and "Eén naam per regel." in page
    client.post(f"/vergaderingen/{meeting.id}/presentie", data={
        "present": [str(secretary.id), str(logic.members_of(meeting.body_id)[1].id)],
        "guests": " Gea Gast \n\nWim (gemeente)\nGea Gast"})
    assert meeting.guests == "Gea Gast\nWim (gemeente)"
    html = client.get(f"/vergaderingen/{meeting.id}/verslag").text
    draft = html[html.index('name="text"'):html.index("</textarea>")]
    assert "## Aanwezig\n\nLid Lisa, Sec Retaris" in draft or "## Aanwezig\n\nSec Retaris, Lid Lisa" in draft
    assert "## Afwezig met bericht\n\nNoor Ziek" in draft and "ziek" not in draft.replace("Noor Ziek", "")
    assert "## Afwezig\n\nBas Weg" in draft and "## Gasten\n\nGea Gast, Wim (gemeente)" in draft
    assert "## 1. Opening en mededelingen" in draft
    assert (f"## 2. Vaststellen verslag vorige vergadering\n\n[Verslag van {date_long(previous.starts_at)}]"
            f"(/vergaderingen/{previous.id}/verslag)") in draft
    # Saved once, the text is the secretary's: an emptied text is not filled again.
    client.post(f"/vergaderingen/{meeting.id}/verslag", data={"text": "", "version": "0"})
    assert "## Aanwezig" not in client.get(f"/vergaderingen/{meeting.id}/verslag").text.split('name="text"')[1]


def test_guests_longer_than_allowed_keep_what_was_typed(client, auth, secretary, held_meeting):
    _previous, meeting = held_meeting
    auth.login(secretary)
    response = client.post(f"/vergaderingen/{meeting.id}/presentie", data={"guests": "Gast\n" * 500})
    assert response.status_code == 422 and "Gebruik hoogstens 2000 tekens." in response.text and meeting.guests == ""


def test_a_member_cannot_keep_the_presence_list(client, auth, member, held_meeting):
    _previous, meeting = held_meeting
    auth.login(member)
    assert client.post(f"/vergaderingen/{meeting.id}/presentie", data={"guests": "Iemand"}).status_code in (403, 404)
    assert meeting.guests == ""


def test_decisions_and_action_items_stay_on_their_agenda_item(client, auth, secretary, member, held_meeting,
                                                              make_meeting):
    _previous, meeting = held_meeting
    item, elsewhere = meeting.items[2], make_meeting(days_ahead=5).items[0]
    auth.login(secretary)
    form = client.get(f"/vergaderingen/{meeting.id}/verslag").text
    assert f'<option value="{item.id}">{item.title}</option>' in form
    client.post(f"/vergaderingen/{meeting.id}/besluiten", data={"decision": "We schrijven een advies.",
                                                               "agenda_item": str(item.id)})
    client.post(f"/vergaderingen/{meeting.id}/besluiten", data={"decision": "Los besluit", "agenda_item": ""})
    client.post(f"/vergaderingen/{meeting.id}/actiepunten", data={
        "description": "Advies schrijven", "owner": str(member.id), "due_on": "", "agenda_item": str(item.id)})
    response = client.post(f"/vergaderingen/{meeting.id}/besluiten", data={"decision": "Fout",
                                                                          "agenda_item": str(elsewhere.id)})
    assert response.status_code == 422 and "Fout" in response.text
    decisions = logic.decisions_of(meeting)
    assert [(d.text, d.agenda_item_id) for d in decisions] == [("We schrijven een advies.", item.id),
                                                               ("Los besluit", None)]
    assert db.session.scalar(db.select(ActionItem)).agenda_item_id == item.id
    html = client.get(f"/vergaderingen/{meeting.id}/verslag").text
    section = html[html.index('id="decisions"'):html.index('id="action-items"')]
    assert section.index(f"<h3>{item.title}</h3>") < section.index("We schrijven een advies.")
    assert section.index("Buiten de agenda") < section.index("Los besluit")
    assert f"(bij: {item.title})" in html
    draft = html[html.index('name="text"'):html.index("</textarea>")]
    assert (f"## 3. {item.title}\n\n- Besluit: We schrijven een advies.\n- Actiepunt: Advies schrijven (Lid Lisa)"
            in draft)


def test_the_agenda_links_the_previous_minutes_for_those_who_may_read_them(client, auth, secretary, member,
                                                                          held_meeting):
    previous, meeting = held_meeting
    link = f'href="/vergaderingen/{previous.id}/verslag"'
    auth.login(member)
    assert link in client.get(f"/vergaderingen/{meeting.id}").text
    db.session.get(Minutes, previous.id).status = rules.DRAFT
    db.session.commit()
    assert link not in client.get(f"/vergaderingen/{meeting.id}").text  # a draft is the secretary's
    auth.logout()
    auth.login(secretary)
    assert link in client.get(f"/vergaderingen/{meeting.id}").text
    auth.logout()
    meeting.visibility = rules.PUBLIC
    db.session.commit()
    guest_page = client.get(f"/vergaderingen/{meeting.id}")
    assert guest_page.status_code == 200 and link not in guest_page.text


def test_approved_minutes_print_on_a4_without_navigation_or_forms(client, auth, member, held_meeting):
    previous, _meeting = held_meeting
    with client.get("/static/css/site.css") as response:
        css = response.text
    printing = css[css.index("@media print"):]
    assert "@page { size: A4; margin: 15mm; }" in printing and ".site-header" in printing and ".no-print" in printing
    auth.login(member)
    html = client.get(f"/vergaderingen/{previous.id}/verslag").text
    assert '<div class="no-print">\n<h2 id="corrections">' in html and "Oud verslag" in html
