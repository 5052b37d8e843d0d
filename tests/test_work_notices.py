"""Mails that follow the work: a correction reaches the secretary, a proposed activity the
secretaries, an action item its owner (when given, and the day after its date). Each can be switched off."""
from datetime import time, timedelta

import pytest

from cpweb.core.database import utcnow
from cpweb.core.extensions import db
from cpweb.core.i18n import local_today
from cpweb.core.jobs import run_cron_jobs
from cpweb.mail import choose_kinds, chosen_kinds
from cpweb.meetings import actions, commands
from cpweb.meetings import logic as meetings
from cpweb.meetings import rules as meeting_rules
from cpweb.meetings.models import ActionItem, Minutes
from tests.conftest import PASSWORD


@pytest.fixture
def body_people(app, make_body, make_user):
    body, other = make_body(), make_body()
    return {"body": body, "secretary": make_user(role="secretaris", bodies=[body]),
            "member": make_user(bodies=[body]), "other_secretary": make_user(role="secretaris", bodies=[other])}


def browser(app, user):
    client = app.test_client()
    assert client.post("/inloggen", data={"email": user.email, "password": PASSWORD}).status_code == 303
    return client


def shared_meeting(body):
    meeting = meetings.create_meetings(body.id, [local_today() - timedelta(days=3)],
                                       {"title": "Vergadering", "kind": meeting_rules.REGULAR, "location": "",
                                        "online_url": "", "visibility": "members", "start": time(19), "end": time(21)},
                                       publish_at=utcnow() - timedelta(days=10))[0]
    db.session.add(Minutes(meeting_id=meeting.id, text="Verslag", status=meeting_rules.SHARED, version=1))
    db.session.commit()
    return meeting


def mails_to(mails, user):
    return [mail for mail in mails if mail.to == user.email]


def test_a_correction_reaches_the_secretary_of_the_body_only(app, body_people, mails):
    meeting = shared_meeting(body_people["body"])
    client = browser(app, body_people["member"])
    response = client.post(f"/vergaderingen/{meeting.id}/verslag/correcties", data={"correction": "Ik was er ook."})
    assert response.status_code == 303
    [mail] = mails_to(mails, body_people["secretary"])
    assert "Correctie op het verslag" in mail.subject and "Ik was er ook." in mail.body
    assert f"http://localhost/vergaderingen/{meeting.id}/verslag#corrections" in mail.body
    assert not mails_to(mails, body_people["other_secretary"]) and not mails_to(mails, body_people["member"])


def test_a_secretary_who_switched_corrections_off_gets_no_mail(app, body_people, mails):
    secretary = body_people["secretary"]
    choose_kinds(secretary, chosen_kinds(secretary) - {"corrections"})
    db.session.commit()
    meeting = shared_meeting(body_people["body"])
    browser(app, body_people["member"]).post(f"/vergaderingen/{meeting.id}/verslag/correcties",
                                              data={"correction": "Ik was er ook."})
    assert not mails_to(mails, secretary)


def test_a_refused_correction_mails_nobody(app, body_people, mails):
    meeting = shared_meeting(body_people["body"])
    outsider = body_people["other_secretary"]
    assert browser(app, outsider).post(f"/vergaderingen/{meeting.id}/verslag/correcties",
                                       data={"correction": "x"}).status_code == 404
    response = browser(app, body_people["member"]).post(f"/vergaderingen/{meeting.id}/verslag/correcties",
                                                        data={"correction": ""})
    assert response.status_code == 422 and not mails


def test_a_proposed_activity_reaches_the_secretaries(app, body_people, mails):
    from tests.test_activities import form_data

    client = browser(app, body_people["member"])
    assert client.post("/activiteiten/nieuw", data=form_data(title="Mijn idee")).status_code == 303
    for secretary in (body_people["secretary"], body_people["other_secretary"]):
        [mail] = mails_to(mails, secretary)
        assert "Mijn idee" in mail.subject and "http://localhost/activiteiten/" in mail.body
    mails.clear()
    # A secretary's own activity is no proposal: nobody is told.
    browser(app, body_people["secretary"]).post("/activiteiten/nieuw", data=form_data(title="Gewoon"))
    assert not mails


def test_a_proposal_for_some_bodies_reaches_their_secretaries(app, body_people, mails):
    from tests.test_activities import form_data

    client = browser(app, body_people["member"])
    client.post("/activiteiten/nieuw", data={**form_data(title="Voor ons"), "audience": "bodies",
                                             "bodies": str(body_people["body"].id)})
    assert mails_to(mails, body_people["secretary"]) and not mails_to(mails, body_people["other_secretary"])


def test_the_owner_hears_of_a_new_action_item(app, body_people, mails):
    meeting = shared_meeting(body_people["body"])
    member = body_people["member"]
    client = browser(app, body_people["secretary"])
    due = local_today() + timedelta(days=7)
    response = client.post(f"/vergaderingen/{meeting.id}/actiepunten",
                           data={"description": "Advies schrijven", "owner": str(member.id), "due_on": due.isoformat()})
    assert response.status_code == 303
    [mail] = mails_to(mails, member)
    assert mail.subject == "Een actiepunt voor u" and "Advies schrijven" in mail.body
    assert "http://localhost/vergaderingen/actiepunten" in mail.body
    mails.clear()
    client.post(f"/vergaderingen/{meeting.id}/actiepunten", data={"description": "Zonder eigenaar", "owner": ""})
    assert not mails
    # Bad input: nothing saved, nobody mailed.
    client.post(f"/vergaderingen/{meeting.id}/actiepunten", data={"description": "", "owner": str(member.id)})
    assert not mails


def test_the_owner_hears_once_the_day_after_the_date_passed(app, body_people, mails):
    meeting = shared_meeting(body_people["body"])
    member, today = body_people["member"], local_today()
    late = actions.add_action_item(meeting.id, "Brief nalezen", member.id, today - timedelta(days=1))
    actions.add_action_item(meeting.id, "Nog niet", member.id, today)
    actions.add_action_item(meeting.id, "Al lang over", member.id, today - timedelta(days=5))
    done = actions.add_action_item(meeting.id, "Al klaar", member.id, today - timedelta(days=1))
    actions.tick_action_item(done.id, True)
    mails.clear()
    assert commands.mail_overdue_action_items(today) == 1
    [mail] = mails_to(mails, member)
    assert "over de datum" in mail.subject and "Brief nalezen" in mail.body and late.done_at is None


def test_the_overdue_job_runs_once_a_day_through_cron(app, body_people, mails):
    meeting = shared_meeting(body_people["body"])
    member = body_people["member"]
    actions.add_action_item(meeting.id, "Brief nalezen", member.id, local_today() - timedelta(days=1))
    mails.clear()
    assert run_cron_jobs(echo=lambda *a: None) == []
    assert run_cron_jobs(echo=lambda *a: None) == []
    assert len([m for m in mails_to(mails, member) if "over de datum" in m.subject]) == 1


def test_an_owner_who_switched_action_items_off_gets_neither_mail(app, body_people, mails):
    member = body_people["member"]
    choose_kinds(member, chosen_kinds(member) - {"action_items"})
    db.session.commit()
    meeting = shared_meeting(body_people["body"])
    actions.add_action_item(meeting.id, "Brief nalezen", member.id, local_today() - timedelta(days=1))
    commands.mail_overdue_action_items()
    assert not mails_to(mails, member)
    assert db.session.scalar(db.select(ActionItem.id)) is not None


def test_the_profile_offers_the_new_mail_kinds(app, body_people):
    page = browser(app, body_people["member"]).get("/profiel").text
    for label in ("correctie op een verslag", "activiteit voorstelt", "Bericht over uw actiepunten"):
        assert label in page


# --- the weekly overview, for those who switched the single mails off -----------------------------

def weekly(app):
    from cpweb.advice.commands import send_digest

    with app.test_request_context():
        return send_digest()


def test_the_weekly_overview_has_what_a_member_switched_the_single_mails_off_for(app, body_people, mails):
    from tests.test_activities import form_data

    member, secretary = body_people["member"], body_people["secretary"]
    for user, kind in ((member, "action_items"), (secretary, "corrections"), (secretary, "activity_proposals")):
        choose_kinds(user, chosen_kinds(user) - {kind})
    db.session.commit()
    meeting = shared_meeting(body_people["body"])
    actions.add_action_item(meeting.id, "Brief nalezen", member.id, local_today() - timedelta(days=2))
    client = browser(app, member)
    client.post(f"/vergaderingen/{meeting.id}/verslag/correcties", data={"correction": "Ik was er ook."})
    client.post("/activiteiten/nieuw", data=form_data(title="Mijn idee"))
    assert not mails_to(mails, member) and not mails_to(mails, secretary)
    assert weekly(app) >= 2
    [to_member] = mails_to(mails, member)
    assert "Actiepunt over de datum: Brief nalezen" in to_member.body
    [to_secretary] = mails_to(mails, secretary)
    assert "Ik was er ook." in to_secretary.body and "Mijn idee" in to_secretary.body
    # The other secretary still gets single mails, so the overview does not repeat them.
    assert all("Mijn idee" not in m.body for m in mails_to(mails, body_people["other_secretary"]) if m.subject.startswith("Wat"))
    assert weekly(app) == 0  # once a week


def test_the_weekly_overview_repeats_nothing_a_member_already_got_by_mail(app, body_people, mails):
    meeting = shared_meeting(body_people["body"])
    member = body_people["member"]
    actions.add_action_item(meeting.id, "Brief nalezen", member.id, local_today() - timedelta(days=2))
    mails.clear()
    weekly(app)
    assert not mails_to(mails, member)
