"""Forms show only what applies, and the server ignores what a hidden field still holds."""

from cpweb.core.extensions import db
from cpweb.meetings.models import Meeting
from cpweb.signals.models import SignalEvent
from tests.test_meetings import body, new_meeting_data  # noqa: F401 (fixture)
from tests.test_signals import make_signal  # noqa: F401 (fixture)


def test_planning_once_and_now_ignores_the_series_and_date_fields(client, auth, body):
    auth.login(role="secretaris", bodies=[body])
    page = client.get("/vergaderingen/nieuw").text
    assert 'class="inline-fields reveal reveal-repeat-weeks"' in page and 'class="reveal reveal-publish-later"' in page
    response = client.post("/vergaderingen/nieuw", data=new_meeting_data(
        body=str(body.id), repeat="once", every_weeks="999", count="veel", dates="morgen", publish="now",
        publish_on="gisteren"))
    assert response.status_code == 303, response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(Meeting)) == 1


def test_planning_a_series_still_checks_its_own_fields(client, auth, body):
    auth.login(role="secretaris", bodies=[body])
    response = client.post("/vergaderingen/nieuw", data=new_meeting_data(
        body=str(body.id), repeat="weeks", every_weeks="999", publish="later", publish_on=""))
    assert response.status_code == 422
    assert "Kies een getal van 1 tot en met 26." in response.text and "Vul de datum in vanaf wanneer" in response.text
    assert 'value="999"' in response.text  # what was typed stays


def test_the_signal_status_form_ignores_a_reason_and_recipient_that_do_not_apply(client, auth, make_signal):
    signal = make_signal()
    auth.login(role="secretaris")
    page = client.get(f"/signalen/{signal.id}").text
    assert "reveal reveal-status-cancelled" in page and "reveal reveal-status-passed-on" in page
    client.post(f"/signalen/{signal.id}/status", data={"status": "in_behandeling", "reason": "dubbel",
                                                       "original": "S-0000-0000", "passed_to": "uwv"})
    assert signal.status == "in_behandeling"
    event = db.session.scalars(db.select(SignalEvent).order_by(SignalEvent.id.desc())).first()
    assert event.text == ""

