"""A stuk on a public meeting, added with the form's defaults, stays with the body's members: a guest
does not see it on the meeting, cannot download it, and search does not find it (issue 15).

It adds a document, so it runs on a server of its own (see live_server's docstring).
"""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _login_form, next_meeting, start_live_server

pytestmark = [pytest.mark.browser, pytest.mark.dates]

WORD = "concepttekstgeheim"
BODY = "Klankbordgroep Werkplein Hart van Brabant"


@pytest.fixture(scope="module")
def own_server(tmp_path_factory, browser_type_launch_args):
    server = start_live_server(tmp_path_factory.mktemp("audiences-instance"))
    yield server
    server.stop()


def guest_sees(guest, server, meeting_id: int, download: str) -> dict[str, bool]:
    guest.goto(f"{server.url}/vergaderingen/{meeting_id}")
    on_meeting = guest.locator("ul.stukken", has_text="concept-advies.txt").count() > 0
    downloadable = guest.request.get(server.url + download).status == 200
    guest.goto(f"{server.url}/documenten?q={WORD}")
    found = guest.locator("#document-list", has_text="concept-advies.txt").count() > 0
    return {"on the meeting": on_meeting, "download": downloadable, "search": found}


def test_a_stuk_added_with_the_defaults_stays_with_the_members(page, new_context, own_server, watcher, tmp_path):
    """The secretary adds a stuk, a guest and a member look for it, the secretary makes it public and
    the guest looks again, each in a browser of their own, with axe on the way: several seconds."""
    watcher.origin = own_server.url
    meeting_id, items = next_meeting(own_server, visibility="public")
    item_title = items[2]  # the demo's topic of the evening
    file = tmp_path / "concept-advies.txt"
    file.write_text(f"Concept advies, nog niet openbaar: {WORD}.", encoding="utf-8")

    _login_form(page, own_server, "secretaris@example.org")
    page.goto(f"{own_server.url}/vergaderingen/{meeting_id}")
    item = page.locator("ol.agenda > li", has=page.get_by_role("heading", name=item_title))
    with page.expect_navigation():
        item.get_by_role("link", name="Stuk toevoegen").click()
    # The form, on a page of its own, says who may see it, starting at the body's members.
    expect(page.get_by_text(f"Bij agendapunt ‘{item_title}’")).to_be_visible()
    expect(page.get_by_role("radio", name=f"Alleen leden van {BODY}")).to_be_checked()
    expect(page.get_by_text("Wie de vergadering niet mag zien, ziet het stuk ook niet.")).to_be_visible()
    assert_accessible(page)
    page.locator("input[type=file]").set_input_files(str(file))
    with page.expect_navigation():
        page.get_by_role("button", name="Toevoegen aan dit punt").click()
    expect(page.locator("#flash")).to_contain_text(f"‘concept-advies.txt’ hoort nu bij ‘{item_title}’.")
    item = page.locator("ol.agenda > li", has=page.get_by_role("heading", name=item_title))
    stuk = item.locator("ul.stukken > li", has_text="concept-advies.txt")  # the item may have others
    expect(stuk).to_contain_text(f"Wie mag het zien: Alleen leden van {BODY}")
    assert_accessible(page)
    download = stuk.get_by_role("link", name=re.compile("^Downloaden")).get_attribute("href")

    guest = new_context().new_page()
    assert guest_sees(guest, own_server, meeting_id, download) == {
        "on the meeting": False, "download": False, "search": False}
    member = new_context().new_page()
    _login_form(member, own_server, "lid@example.org")  # a member of the body
    assert guest_sees(member, own_server, meeting_id, download) == {
        "on the meeting": True, "download": True, "search": True}

    # The secretary changes it next to the file; only then does the guest see it.
    stuk.get_by_text("Veranderen").click()
    stuk.get_by_role("radio", name="Openbaar: iedereen, ook mensen zonder account").check()
    with page.expect_navigation():
        stuk.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#flash")).to_contain_text("Wie ‘concept-advies.txt’ mag zien: Openbaar.")
    assert guest_sees(guest, own_server, meeting_id, download) == {
        "on the meeting": True, "download": True, "search": True}
