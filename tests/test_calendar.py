"""The shared calendar: month grid, list, and the iCal feeds (checked with an independent parser)."""
from datetime import UTC, date, datetime, time, timedelta

import pytest
import vobject

from cpweb.calendar.logic import Month, local_days
from cpweb.calendar.models import CalendarFeed
from cpweb.calendar.sources import CalendarEvent
from cpweb.core.database import utcnow
from cpweb.core.extensions import db
from cpweb.core.i18n import local_today
from cpweb.meetings import actions, logic, rules


@pytest.fixture
def body(make_body):
    return make_body("Klankbordgroep Agenda")


@pytest.fixture
def make_meeting(app, body):
    def make(day: date, title="Vergadering", visibility=rules.PUBLIC, start=time(19, 30), end=time(21, 0)):
        meeting = logic.create_meetings(body.id, [day], {"title": title, "kind": rules.REGULAR, "location": "Zaal 1",
                                                         "online_url": "", "visibility": visibility,
                                                         "start": start, "end": end},
                                        publish_at=utcnow() - timedelta(days=1))[0]
        db.session.commit()
        return meeting

    return make


def parse_feed(data: bytes):
    return vobject.readOne(data.decode())


def test_month_grid_runs_monday_to_sunday():
    days = Month(2026, 11).grid_days()
    assert days[0] == date(2026, 10, 26) and days[-1] == date(2026, 12, 6) and len(days) % 7 == 0
    assert Month(2026, 12).shifted(1) == Month(2027, 1) and Month(2026, 1).shifted(-1) == Month(2025, 12)


def test_a_multi_day_event_shows_on_each_day():
    event = CalendarEvent(uid="x", title="Training", starts_at=datetime(2026, 5, 18, 7, tzinfo=UTC),
                          ends_at=datetime(2026, 5, 20, 15, tzinfo=UTC), url="/", kind="activity", kind_label="Activiteit")
    assert local_days(event) == [date(2026, 5, 18), date(2026, 5, 19), date(2026, 5, 20)]


def test_month_view_shows_the_meeting_and_marks_today(client, make_meeting):
    today = local_today()
    make_meeting(today, title="Vandaag vergaderen")
    html = client.get(f"/agenda?maand={today:%Y-%m}").text
    assert "Vandaag vergaderen" in html and 'aria-current="date"' in html and "vandaag" in html


def test_list_view_and_body_filter(client, make_meeting, make_body):
    day = local_today() + timedelta(days=1)
    make_meeting(day, title="Van de klankbordgroep")
    other = make_body()
    html = client.get(f"/agenda?maand={day:%Y-%m}&weergave=lijst").text
    assert "Van de klankbordgroep" in html
    assert "Van de klankbordgroep" not in client.get(f"/agenda?maand={day:%Y-%m}&orgaan={other.id}").text


def test_previous_and_next_month_with_htmx_get_only_the_calendar(client):
    response = client.get("/agenda?maand=2026-05", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.text and 'id="calendar"' in response.text
    assert "maand=2026-04" in response.text and "maand=2026-06" in response.text
    assert "<html" in client.get("/agenda?maand=2026-05").text
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("query", ["maand=2026-13", "maand=kerst", "weergave=jaar", "orgaan=999", "orgaan=abc"])
def test_nonsense_in_the_address_is_404(client, query):
    assert client.get(f"/agenda?{query}").status_code == 404


def test_guests_see_public_items_only(client, auth, body, make_meeting):
    day = local_today() + timedelta(days=2)
    make_meeting(day, title="Openbaar overleg")
    make_meeting(day, title="Besloten overleg", visibility=rules.MEMBERS)
    html = client.get(f"/agenda?maand={day:%Y-%m}").text
    assert "Openbaar overleg" in html and "Besloten overleg" not in html
    auth.login(bodies=[body])
    assert "Besloten overleg" in client.get(f"/agenda?maand={day:%Y-%m}").text


def test_public_feed_parses_and_holds_public_items_only(client, make_meeting):
    day = local_today() + timedelta(days=3)
    meeting = make_meeting(day, title="Openbaar")
    make_meeting(day, title="Besloten", visibility=rules.MEMBERS)
    response = client.get("/agenda.ics")
    assert response.headers["Content-Type"].startswith("text/calendar")
    calendar = parse_feed(response.data)
    events = calendar.vevent_list
    assert [e.summary.value for e in events] == ["Openbaar (Klankbordgroep Agenda)"]
    event = events[0]
    assert event.uid.value == f"meeting-{meeting.id}@cpweb.example.org"
    assert event.dtstamp.value.tzinfo is not None and event.sequence.value == "0"
    assert event.url.value.endswith(f"/vergaderingen/{meeting.id}") and event.location.value == "Zaal 1"
    assert calendar.vtimezone.tzid.value == "Europe/Amsterdam"


@pytest.mark.parametrize("day, utc_hour", [(date(2027, 3, 27), 18), (date(2027, 3, 29), 17),
                                           (date(2027, 10, 30), 17), (date(2027, 11, 1), 18), (date(2028, 7, 1), 17)])
def test_times_land_right_around_a_dst_change(client, make_meeting, day, utc_hour):
    make_meeting(day)  # 19:30 in Amsterdam, CET (UTC+1) or CEST (UTC+2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("cpweb.calendar.logic.FEED_FUTURE", timedelta(days=3 * 366))
        event = parse_feed(client.get("/agenda.ics").data).vevent
    start = event.dtstart.value
    assert (start.hour, start.minute) == (19, 30)
    assert start.astimezone(UTC).hour == utc_hour


def test_a_cancelled_meeting_shows_as_cancelled_with_a_higher_sequence(client, make_meeting):
    meeting = make_meeting(local_today() + timedelta(days=4))
    actions.cancel_meeting(meeting.id)
    event = parse_feed(client.get("/agenda.ics").data).vevent
    assert event.status.value == "CANCELLED" and event.sequence.value == "1"


def test_private_feed_with_alarm_and_renewal(client, auth, body, make_meeting):
    day = local_today() + timedelta(days=5)
    make_meeting(day, title="Besloten", visibility=rules.MEMBERS)
    member = auth.login(bodies=[body])
    assert client.get("/agenda/koppelen").status_code == 200
    client.post("/agenda/koppelen/nieuw-adres")
    client.post("/agenda/koppelen", data={"alarm": "1440"})
    feed = db.session.get(CalendarFeed, member.id)
    assert feed.alarm_minutes == 1440
    auth.logout()
    event = parse_feed(client.get(f"/agenda/{feed.token}.ics").data).vevent
    assert event.summary.value.startswith("Besloten")
    assert event.valarm.trigger.value == -timedelta(days=1)
    old = feed.token
    auth.login(member)
    client.post("/agenda/koppelen/nieuw-adres")
    auth.logout()
    assert client.get(f"/agenda/{old}.ics").status_code == 404
    assert client.get("/agenda/verzonnen-token.ics").status_code == 404


def test_the_subscribe_page_offers_one_tap_a_copy_and_a_qr_code(client, auth, app):
    app.config["SITE_URL"] = "https://raad.example.nl/site"
    member = auth.login()
    page = client.get("/agenda/koppelen")
    assert "Toevoegen aan mijn agenda" not in page.text  # no address yet
    client.post("/agenda/koppelen/nieuw-adres")
    page = client.get("/agenda/koppelen")
    token = db.session.get(CalendarFeed, member.id).token
    assert f'href="webcal://raad.example.nl/site/agenda/{token}.ics">Toevoegen aan mijn agenda' in page.text
    assert f'readonly id="feed-address" class="feed-url" value="https://raad.example.nl/site/agenda/{token}.ics"' in page.text
    assert 'data-copy="feed-address"' in page.text and "Gekopieerd" in page.text
    assert 'src="/static/js/copy.js' in page.text or "js/copy.js" in page.text
    assert '<svg role="img"' in page.text and "QR-code met uw persoonlijke adres" in page.text
    for steps in ("iPhone of iPad", "Android-telefoon of Google Agenda", "Outlook"):
        assert f"<h3>{steps}</h3>" in page.text
    assert 'href="webcal://raad.example.nl/site/agenda.ics"' in page.text
    assert page.headers["Cache-Control"] == "private, no-store"  # the address opens the agenda without a login


def test_webcal_keeps_host_path_and_token():
    from cpweb.calendar.logic import webcal

    assert webcal("https://raad.example.nl/agenda/abc.ics") == "webcal://raad.example.nl/agenda/abc.ics"
    assert webcal("http://127.0.0.1:5000/agenda.ics") == "webcal://127.0.0.1:5000/agenda.ics"


def test_a_deactivated_members_feed_is_gone(client, make_user, body):
    member = make_user(bodies=[body])
    db.session.add(CalendarFeed(user_id=member.id, token="geheim-token"))
    member.is_active_member = False
    db.session.commit()
    assert client.get("/agenda/geheim-token.ics").status_code == 404


def test_subscribe_needs_login_and_a_valid_choice(client, auth):
    assert client.get("/agenda/koppelen").status_code == 303
    auth.login()
    response = client.post("/agenda/koppelen", data={"alarm": "5"})
    assert response.status_code == 422 and "Kies een van de mogelijkheden in de lijst." in response.text


def test_a_single_meeting_as_ics(client, make_meeting):
    meeting = make_meeting(local_today() + timedelta(days=6))
    response = client.get(f"/vergaderingen/{meeting.id}/agenda.ics")
    assert "attachment" in response.headers["Content-Disposition"]
    assert parse_feed(response.data).vevent.uid.value.startswith(f"meeting-{meeting.id}@")


@pytest.fixture
def on_30_november(monkeypatch):
    """Today is 30 November 2026: the next meeting is in another month."""
    monkeypatch.setattr("cpweb.calendar.views.local_today", lambda: date(2026, 11, 30))


def test_the_first_page_lists_what_is_coming_across_the_month_boundary(client, make_meeting, on_30_november):
    make_meeting(date(2026, 12, 2), title="Vergadering in december")
    make_meeting(date(2027, 1, 14), title="Vergadering in januari")
    make_meeting(date(2027, 3, 30), title="Te ver weg")
    html = client.get("/agenda").text
    coming = html[html.index('id="binnenkort-kop"'):html.index('id="maand-kop"')]
    assert 'class="phone-only"' in html and 'class="wide-only"' in html
    assert "woensdag 2 december 2026" in coming and "Vergadering in december" in coming
    assert "Vergadering in januari" in coming and "Te ver weg" not in coming


def test_the_coming_view_has_no_month_and_says_when_nothing_is_coming(client, on_30_november):
    html = client.get("/agenda?weergave=komend", headers={"HX-Request": "true"}).text
    assert "<html" not in html and "Niets gepland in de komende drie maanden." in html
    assert 'id="maand-kop"' not in html and 'name="maand"' not in html


@pytest.mark.parametrize("view", ["maand", "lijst"])
def test_month_and_list_never_hide_the_next_months_days_the_page_has(client, make_meeting, on_30_november, view):
    make_meeting(date(2026, 12, 2), title="Vergadering in december")
    html = client.get(f"/agenda?maand=2026-11&weergave={view}").text
    assert "Vergadering in december" in html and "Niets gepland" not in html
    if view == "maand":  # the style sheet hides other-month days on a phone only when they are empty
        cell = html[html.rindex("<td", 0, html.index("Vergadering in december")):]
        assert cell.startswith('<td class="other-month"')


def test_long_texts_are_escaped_and_folded_so_a_parser_reads_them_back(app):
    from cpweb.calendar.ical import calendar_file

    title = "Overleg; wonen, zorg en welzijn — één lange titel met ë en 🙂 " * 3
    starts = datetime(2027, 6, 1, 17, 30, tzinfo=UTC)
    event = CalendarEvent(uid="meeting-1", title=title.strip(), starts_at=starts, ends_at=starts + timedelta(hours=2),
                          url="/vergaderingen/1", kind="meeting", kind_label="Vergadering",
                          body_name="Raad\\Groep", location="Zaal 1, eerste verdieping\nachter de balie")
    with app.test_request_context():
        data = calendar_file([event], "Agenda, raad", alarm_minutes=60)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    parsed = parse_feed(data)
    assert parsed.vevent.summary.value == title.strip()
    assert parsed.vevent.location.value == "Zaal 1, eerste verdieping\nachter de balie"
    assert parsed.vevent.description.value.startswith("Raad\\Groep\n")
    assert parsed.vevent.valarm.trigger.value == -timedelta(hours=1)
    assert parsed.vevent.dtstart.value.hour == 19


def test_a_busy_day_shows_three_and_links_the_rest_in_the_months_list(client, make_meeting):
    day = local_today() + timedelta(days=1)
    for hour in range(13, 18):
        make_meeting(day, title=f"Overleg om {hour} uur", start=time(hour), end=time(hour, 45))
    html = client.get(f"/agenda?maand={day:%Y-%m}&weergave=maand").text
    cell = html[html.index("Overleg om 13 uur"):]
    cell = cell[:cell.index("</td>")]
    assert [f"Overleg om {hour} uur" in cell for hour in range(13, 18)] == [True] * 3 + [False] * 2
    link = f"/agenda?maand={day:%Y-%m}&amp;weergave=lijst&amp;orgaan=#dag-{day.isoformat()}"
    assert f'<a href="{link}">Nog 2 meer' in cell
    listed = client.get(link.replace("&amp;", "&")).text
    assert f'id="dag-{day.isoformat()}"' in listed and all(f"Overleg om {hour} uur" in listed for hour in range(13, 18))


def test_what_is_coming_stops_after_the_first_events(client, make_meeting, monkeypatch):
    monkeypatch.setattr("cpweb.calendar.logic.COMING_EVENTS", 2)
    for days in (3, 1, 2):
        make_meeting(local_today() + timedelta(days=days), title=f"Over {days} dagen")
    html = client.get("/agenda?weergave=komend").text
    assert "Over 1 dagen" in html and "Over 2 dagen" in html and "Over 3 dagen" not in html


def test_a_feed_asked_for_again_unchanged_is_a_304_and_a_change_gives_the_new_file(client, make_meeting):
    meeting = make_meeting(local_today() + timedelta(days=6))
    first = client.get("/agenda.ics")
    etag = first.headers["ETag"]
    again = client.get("/agenda.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    actions.cancel_meeting(meeting.id)
    changed = client.get("/agenda.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert parse_feed(changed.data).vevent.status.value == "CANCELLED"


def test_a_feed_tells_calendar_apps_to_fetch_it_again_every_six_hours(client, make_meeting):
    make_meeting(local_today() + timedelta(days=6))
    calendar = parse_feed(client.get("/agenda.ics").data)
    assert calendar.contents["refresh-interval"][0].value == "PT6H"
    assert calendar.contents["x-published-ttl"][0].value == "PT6H"
