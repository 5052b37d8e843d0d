"""Forms show only the fields of the choice made, by CSS alone: the same with JavaScript off."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _login_form

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False])
def test_planning_shows_the_series_and_date_fields_only_when_chosen(new_context, live_server, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    _login_form(page, live_server, "secretaris@example.org")
    page.goto(live_server.url + "/vergaderingen/nieuw")
    every, count = page.get_by_label("Om de hoeveel weken?"), page.get_by_label("Hoeveel vergaderingen?")
    dates, publish_on = page.get_by_label("Data", exact=True), page.get_by_label("Zichtbaar vanaf")
    for hidden in (every, count, dates, publish_on):  # "Eén keer" and "Meteen" are chosen
        expect(hidden).to_be_hidden()
    page.get_by_label("Elke paar weken").check()
    expect(every).to_be_visible()
    expect(count).to_be_visible()
    expect(dates).to_be_hidden()
    page.get_by_label("Op de data die ik opgeef").check()
    expect(dates).to_be_visible()
    expect(every).to_be_hidden()
    page.get_by_label("Vanaf een datum").check()
    expect(publish_on).to_be_visible()
    # A time is five characters: its input is narrow, and the end time's label does not touch it.
    start = page.get_by_label("Begintijd").bounding_box()
    assert start["width"] < 200
    assert page.get_by_text("Eindtijd", exact=True).bounding_box()["x"] >= start["x"] + start["width"] + 16
