"""What a meeting's state allows: the rules, and each one enforced on a POST (refused, nothing changed)."""
from datetime import UTC, datetime, timedelta

import pytest

from cpweb.core.extensions import db
from cpweb.meetings import guards, rules
from cpweb.meetings.models import Attendance, Minutes
from tests.test_meetings import body, make_meeting, member, secretary  # noqa: F401 (fixtures)

NOW = datetime(2026, 5, 19, 12, tzinfo=UTC)
LATER, EARLIER = NOW + timedelta(days=10), NOW - timedelta(days=10)


# --- the rules -----------------------------------------------------------------------------------

@pytest.mark.parametrize("status, minutes_status, ends_at, offered", [
    (rules.PLANNED, rules.DRAFT, LATER, True),
    (rules.PLANNED, rules.DRAFT, EARLIER, False),
    (rules.CANCELLED, rules.DRAFT, LATER, False),
    (rules.HELD, rules.DRAFT, LATER, False),
    (rules.PLANNED, rules.APPROVED, LATER, False),
])
def test_invitations_only_for_a_meeting_still_to_come(app, status, minutes_status, ends_at, offered):
    with app.test_request_context():
        assert (guards.why_no_invitation(status, minutes_status, ends_at, NOW) is None) == offered


@pytest.mark.parametrize("status, minutes_status, offered", [
    (rules.PLANNED, rules.DRAFT, True), (rules.PLANNED, rules.SHARED, True), (rules.CANCELLED, rules.DRAFT, False),
    (rules.HELD, rules.DRAFT, False), (rules.PLANNED, rules.APPROVED, False)])
def test_cancelling_and_reordering_stop_once_cancelled_held_or_approved(app, status, minutes_status, offered):
    with app.test_request_context():
        assert (guards.why_no_cancelling(status, minutes_status) is None) == offered
        assert (guards.why_no_reordering(status, minutes_status) is None) == offered


def test_presence_and_held_from_the_start_on(app):
    with app.test_request_context():
        assert "vanaf het begin" in str(guards.why_no_presence(rules.PLANNED, LATER, NOW))
        assert guards.why_no_presence(rules.PLANNED, EARLIER, NOW) is None
        assert guards.why_no_presence(rules.PLANNED, NOW, NOW) is None
        assert guards.why_no_presence(rules.CANCELLED, EARLIER, NOW) is not None
        assert guards.why_not_held(rules.PLANNED, LATER, NOW) is not None
        assert guards.why_not_held(rules.PLANNED, EARLIER, NOW) is None
        assert guards.why_not_held(rules.HELD, EARLIER, NOW) is not None
        assert guards.why_not_held(rules.CANCELLED, EARLIER, NOW) is not None


def test_members_answer_until_the_start(app):
    with app.test_request_context():
        assert guards.why_no_answer(rules.PLANNED, LATER, NOW) is None
        assert guards.why_no_answer(rules.PLANNED, EARLIER, NOW) is not None
        assert guards.why_no_answer(rules.CANCELLED, LATER, NOW) is not None


def test_minutes_are_shared_once_and_only_with_content(app):
    with app.test_request_context():
        assert guards.why_no_sharing(rules.DRAFT, "Wij spraken over de zomer.") is None
        assert "leeg" in str(guards.why_no_sharing(rules.DRAFT, "  \n"))
        assert guards.why_no_sharing(rules.SHARED, "Tekst") is not None


def test_the_status_of_shared_minutes_names_who_got_them():
    # The mail goes to all the body's members; the status must not say "de aanwezigen".
    assert "leden" in str(rules.MINUTES_STATUSES[rules.SHARED])


# --- enforced on the server -----------------------------------------------------------------------

def _refused(client, url, follow_to, reason):
    response = client.post(url)
    assert response.status_code == 303
    assert reason in client.get(follow_to).text


def test_a_future_meeting_takes_no_presence_and_is_not_held(client, auth, secretary, member, make_meeting):
    meeting = make_meeting(days_ahead=42)
    auth.login(secretary)
    page = client.get(f"/vergaderingen/{meeting.id}").text
    assert "De vergadering is gehouden</button>" not in page and "vanaf het begin van de vergadering" in page
    for offered in ("Uitnodiging versturen</a>", "Vergadering afgelasten</a>", "Omlaag</button>"):
        assert offered in page
    response = client.post(f"/vergaderingen/{meeting.id}/presentie", data={"present": [str(member.id)]})
    assert response.status_code == 303
    assert "vanaf het begin van de vergadering" in client.get(response.headers["Location"]).text
    assert client.get(f"/vergaderingen/{meeting.id}/presentie").status_code == 303
    _refused(client, f"/vergaderingen/{meeting.id}/gehouden", f"/vergaderingen/{meeting.id}", "kan vanaf het begin")
    db.session.expire_all()
    assert meeting.status == rules.PLANNED and db.session.scalar(db.select(Attendance)) is None


def test_held_only_after_the_start_and_by_the_secretary(client, auth, secretary, member, make_meeting):
    meeting = make_meeting(days_ahead=-1)
    auth.login(member)
    assert client.post(f"/vergaderingen/{meeting.id}/gehouden").status_code == 403
    auth.logout()
    auth.login(secretary)
    assert client.post(f"/vergaderingen/{meeting.id}/gehouden").status_code == 303
    assert meeting.status == rules.HELD
    _refused(client, f"/vergaderingen/{meeting.id}/gehouden", f"/vergaderingen/{meeting.id}", "staat al op")


@pytest.mark.parametrize("state", ["held", "cancelled", "approved"])
def test_a_closed_meeting_offers_no_invitation_cancelling_or_reordering(client, auth, secretary, member, make_meeting,
                                                                     mails, state):
    meeting = make_meeting(days_ahead=1)
    if state == "approved":
        db.session.add(Minutes(meeting_id=meeting.id, text="Verslag", status=rules.APPROVED))
    else:
        meeting.status = rules.HELD if state == "held" else rules.CANCELLED
    db.session.commit()
    order, sequence = [item.id for item in meeting.items], meeting.sequence
    auth.login(secretary)
    page = client.get(f"/vergaderingen/{meeting.id}").text
    assert "Uitnodiging versturen</a>" not in page and "Vergadering afgelasten</a>" not in page
    assert "Omlaag</button>" not in page and "De volgorde van de agenda ligt vast." in page
    assert "Uitnodigen kan niet meer." in page
    show = f"/vergaderingen/{meeting.id}"
    _refused(client, f"{show}/uitnodigen", show, "Uitnodigen kan niet meer.")
    if state != "cancelled":
        _refused(client, f"{show}/afgelasten", show, "Afgelasten kan niet meer.")
    response = client.post(f"{show}/agendapunten/{order[0]}/verplaatsen", data={"richting": "down"})
    assert response.status_code == 303
    assert "ligt vast" in client.get(response.headers["Location"]).text
    db.session.expire_all()
    assert [item.id for item in meeting.items] == order and meeting.sequence == sequence
    assert meeting.invitations_sent_at is None and not mails


def test_members_cannot_answer_once_the_meeting_began(client, auth, member, make_meeting):
    meeting = make_meeting(days_ahead=-1)
    auth.login(member)
    page = client.get(f"/vergaderingen/{meeting.id}").text
    assert "Ik ben er</button>" not in page and "Wie waren er?" in page  # the page asks nothing afterwards
    response = client.post(f"/vergaderingen/{meeting.id}/aanwezigheid", data={"answer": "yes"})
    assert response.status_code == 303 and "al begonnen" in client.get(response.headers["Location"]).text
    assert db.session.scalar(db.select(Attendance)) is None


def test_empty_minutes_cannot_be_shared(client, auth, secretary, member, make_meeting, mails):
    meeting = make_meeting(days_ahead=-1)
    auth.login(secretary)
    page = client.get(f"/vergaderingen/{meeting.id}/verslag").text
    assert "Delen met de leden</a>" not in page and "Het verslag is nog leeg." in page
    response = client.post(f"/vergaderingen/{meeting.id}/verslag/verder")
    assert response.status_code == 303 and "nog leeg" in client.get(response.headers["Location"]).text
    assert db.session.get(Minutes, meeting.id) is None and not mails
    client.post(f"/vergaderingen/{meeting.id}/verslag", data={"text": "Wij spraken over de zomer.", "version": "0"})
    assert "Delen met de leden</a>" in client.get(f"/vergaderingen/{meeting.id}/verslag").text
