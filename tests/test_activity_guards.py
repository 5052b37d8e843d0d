"""Activities: no sign-up once begun, no cancelling once over; the rules and the refused POSTs."""
from datetime import UTC, datetime, timedelta

from cpweb.activities import rules
from cpweb.activities.models import Signup
from cpweb.core.extensions import db
from tests.test_activities import make_activity  # noqa: F401 (fixture)

NOW = datetime(2026, 5, 19, 12, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_sign_up_until_the_deadline_and_the_start_whichever_comes_first(app):
    with app.test_request_context():
        assert rules.why_no_signup(rules.PUBLISHED, None, NOW + HOUR, NOW) is None
        assert "begonnen" in str(rules.why_no_signup(rules.PUBLISHED, None, NOW - HOUR, NOW))
        # A deadline after the start does not keep sign-up open.
        assert rules.why_no_signup(rules.PUBLISHED, NOW + 2 * HOUR, NOW - HOUR, NOW) is not None
        assert "termijn" in str(rules.why_no_signup(rules.PUBLISHED, NOW - HOUR, NOW + HOUR, NOW))
        assert rules.why_no_signup(rules.CANCELLED, None, NOW + HOUR, NOW) is not None
        assert rules.sign_up_closed(NOW, NOW + 2 * HOUR, NOW - HOUR)


def test_cancelling_until_the_end(app):
    with app.test_request_context():
        assert rules.why_no_cancelling(rules.PUBLISHED, NOW + HOUR, NOW) is None
        assert "voorbij" in str(rules.why_no_cancelling(rules.PUBLISHED, NOW - HOUR, NOW))
        assert rules.why_no_cancelling(rules.CANCELLED, NOW + HOUR, NOW) is not None


def test_a_begun_activity_takes_no_sign_up(client, auth, make_activity):
    activity = make_activity(days_ahead=0)
    activity.starts_at = datetime.now(UTC) - HOUR
    activity.ends_at = datetime.now(UTC) + HOUR
    db.session.commit()
    auth.login()
    assert "al begonnen" in client.get(f"/activiteiten/{activity.id}").text
    response = client.post(f"/activiteiten/{activity.id}/aanmelden")
    assert response.status_code == 409 and "al begonnen" in response.text
    assert db.session.scalar(db.select(Signup)) is None


def test_a_past_activity_cannot_be_cancelled(client, auth, make_activity, mails):
    activity = make_activity(days_ahead=-2)
    auth.login(role="secretaris")
    page = client.get(f"/activiteiten/{activity.id}").text
    assert "Activiteit afgelasten</a>" not in page and "al voorbij" in page
    response = client.post(f"/activiteiten/{activity.id}/afgelasten")
    assert response.status_code == 303 and "al voorbij" in client.get(response.headers["Location"]).text
    db.session.expire_all()
    assert activity.status == rules.PUBLISHED and activity.sequence == 0 and not mails
    upcoming = make_activity(days_ahead=2)
    assert "Activiteit afgelasten</a>" in client.get(f"/activiteiten/{upcoming.id}").text
