"""The agenda on a phone (375 px) on 30 November: the meeting of 2 December is in sight."""
import re
from datetime import date, time, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import start_live_server

pytestmark = [pytest.mark.browser, pytest.mark.dates]
PHONE = {"width": 375, "height": 800}
NEXT_MEETING = "Vergadering op 2 december"
NOVEMBER = date(2026, 11, 1)


def quiet_day() -> date:
    """A weekday of November with nothing on a guest's agenda yet: the demo is made around the day it
    is loaded, so on some days it holds a meeting on any fixed date."""
    from cpweb.calendar.logic import Month, month_view
    from cpweb.core.extensions import login_manager

    _weeks, by_day = month_view(login_manager.anonymous_user(), Month(NOVEMBER.year, NOVEMBER.month), None)
    return next(day for day in (NOVEMBER + timedelta(days=n) for n in range(30))
                if day.weekday() < 5 and not by_day.get(day))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Its own server: the meeting added here would change what the other browser tests read."""
    from cpweb.bodies.models import Body
    from cpweb.core.database import utcnow
    from cpweb.core.extensions import db
    from cpweb.meetings import logic, rules

    server = start_live_server(tmp_path_factory.mktemp("calendar-instance"))
    with server.app.test_request_context():  # the agenda's events carry their links
        body = db.session.scalars(db.select(Body).order_by(Body.id)).first()
        logic.create_meetings(body.id, [date(2026, 12, 2)], {
            "title": NEXT_MEETING, "kind": rules.REGULAR, "location": "Zaal 1", "online_url": "",
            "visibility": rules.PUBLIC, "start": time(19, 30), "end": time(21, 0)},
            publish_at=utcnow() - timedelta(days=1))
        # A busy day: four public meetings; the grid shows three and "Nog 1 meer".
        busy_day = quiet_day()
        for hour in range(14, 18):
            logic.create_meetings(body.id, [busy_day], {
                "title": f"Overleg om {hour} uur", "kind": rules.REGULAR, "location": "Zaal 2", "online_url": "",
                "visibility": rules.PUBLIC, "start": time(hour), "end": time(hour, 45)},
                publish_at=utcnow() - timedelta(days=1))
        db.session.commit()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def on_30_november(watcher, server, monkeypatch):
    watcher.origin = server.url
    monkeypatch.setattr("cpweb.calendar.views.local_today", lambda: date(2026, 11, 30))


@pytest.mark.parametrize("query", ["", "?maand=2026-11", "?maand=2026-11&weergave=lijst"])
def test_the_next_meeting_in_another_month_shows_on_a_phone(page, server, query):
    page.set_viewport_size(PHONE)
    page.goto(f"{server.url}/agenda{query}")
    expect(page.get_by_role("link", name=NEXT_MEETING).first).to_be_visible()
    expect(page.get_by_text("Niets gepland")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if not query:  # the first page on a phone is the list of what is coming, not the month grid
        expect(page.get_by_role("heading", name="Binnenkort")).to_be_visible()
        expect(page.locator("table.month-grid")).to_be_hidden()
        assert_accessible(page)


def test_a_wide_screen_starts_with_the_month(page, server):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server.url}/agenda")
    expect(page.locator("table.month-grid")).to_be_visible()
    expect(page.get_by_role("heading", name="Binnenkort")).to_be_hidden()
    expect(page.get_by_role("link", name=f"19:30 {NEXT_MEETING}")).to_be_visible()


@pytest.mark.parametrize("width", [360, 1280])
def test_a_busy_day_keeps_to_its_own_cell(page, server, width):
    """On a phone the month is a list of days: a day with more than fits stays above the next day."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{server.url}/agenda?maand=2026-11&weergave=maand")
    cell = page.locator("table.month-grid td", has=page.get_by_role("link", name="Overleg om 14 uur"))
    more = cell.get_by_role("link", name=re.compile("^Nog 1 meer"))
    expect(more).to_be_visible()
    cell_box, more_box = cell.bounding_box(), more.bounding_box()
    assert more_box["y"] + more_box["height"] <= cell_box["y"] + cell_box["height"]
    assert more.locator(".visually-hidden").bounding_box()["width"] <= 1  # the date: for screen readers only
    assert page.evaluate("document.documentElement.scrollWidth") <= width
