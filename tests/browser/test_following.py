"""Two councils' sites, each with its own database: A follows B's public agenda, and a visitor of A
sees both in A's agenda with "Ook van andere raden", B's events labelled with B's name."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import start_live_server

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 740}
SOURCE = "Cliëntenraad Buurgemeente"


@pytest.fixture(scope="module")
def councils(tmp_path_factory):
    from cpweb.core.extensions import db
    from cpweb.following import logic
    from cpweb.following.models import RemoteEvent

    council_b = start_live_server(tmp_path_factory.mktemp("council-b"))
    council_a = start_live_server(tmp_path_factory.mktemp("council-a"))
    council_a.app.config["FEDERATION_ALLOW_HOSTS"] = [council_b.url.removeprefix("http://")]
    with council_a.app.app_context():
        source = logic.add_source(SOURCE, council_b.url + "/agenda.ics")
        assert logic.refresh(source.id), logic.sources()[0].last_error_detail
        assert db.session.scalar(db.select(db.func.count()).select_from(RemoteEvent)) > 0
    yield council_a, council_b
    council_a.stop()
    council_b.stop()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_agenda_shows_the_followed_councils_events_on_request(browser, councils, javascript):
    council_a, _council_b = councils
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(council_a.url + "/agenda")  # on a phone: what is coming
    calendar = page.locator("#calendar")
    expect(calendar.get_by_text(f"Van {SOURCE}").first).to_be_hidden()
    page.locator("details.folded-filters summary").click()
    page.get_by_label("Ook van andere raden").check()
    if not javascript:
        page.get_by_role("button", name="Tonen").click()
    expect(calendar.get_by_text(f"Van {SOURCE}").first).to_be_visible()
    assert "andere=1" in page.url
    own = calendar.locator("li", has_not_text=f"Van {SOURCE}")
    expect(own.first).to_be_visible()  # A's own meetings and activities stay in the list
    context.close()
