"""Signals in a real browser: the public form by keyboard only, then triage through htmx."""
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import _login_form

pytestmark = pytest.mark.browser

SHORT = "Te kort"
STORY = "De brief over mijn uitkering was niet te begrijpen. Niemand kon het uitleggen."


def focused_name(page) -> str:
    return page.evaluate("document.activeElement.name || document.activeElement.id || ''")


def tab_to(page, name: str, limit: int = 80) -> list[str]:
    """Press Tab until the field with this name has focus; returns the names passed on the way."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        passed.append(focused_name(page))
        if passed[-1] == name:
            return passed
    raise AssertionError(f"Tab never reached {name}: {passed}")


def test_visitor_sends_a_signal_with_the_keyboard_only(page, live_server):
    """The whole form with the keyboard, key by key, with axe on three pages: a few seconds."""
    page.goto(live_server.url + "/signaal")
    assert_accessible(page)
    passed = tab_to(page, "category")
    page.keyboard.press("Space")  # the first subject
    tab_to(page, "sentiment")
    page.keyboard.press("ArrowDown")  # "Het kan beter"
    tab_to(page, "organisation_kind")
    page.keyboard.press("Space")
    tab_to(page, "municipality")
    page.keyboard.press("ArrowDown")
    passed += tab_to(page, "description")
    page.keyboard.type(SHORT)
    expect(page.locator("#description-teller")).to_contain_text("U kunt nog 4.993 tekens typen.")
    passed += tab_to(page, "consent")
    assert "hp_kleur" not in passed  # the honeypot is out of the tab order
    passed += tab_to(page, "")  # on to the submit button, which has no name
    with page.expect_navigation():
        page.keyboard.press("Enter")

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    assert page.title().startswith("Fout:")
    assert page.locator("textarea[name=description]").input_value() == SHORT
    assert_accessible(page)

    page.keyboard.press("Tab")  # the summary's link to the field
    page.keyboard.press("Enter")
    page.locator("textarea[name=description]").press("End")
    expect(page.locator("textarea[name=description]")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type(STORY)
    tab_to(page, "")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text("Dank u wel voor uw signaal")
    assert page.locator(".reference").inner_text().startswith("S-")
    assert_accessible(page)


def test_secretary_changes_status_in_place(page, login, live_server):
    """Logging in and two changes in Chromium, with axe on two pages: a few seconds."""
    login(page, "secretaris@example.org")
    page.goto(live_server.url + "/signalen")
    assert_accessible(page)
    page.locator("#signal-list tbody a").first.click()
    page.wait_for_load_state()
    page.evaluate("window.notReloaded = true")
    page.locator("select[name=status]").select_option(index=0)
    chosen = page.locator("select[name=status] option:checked").inner_text()
    page.get_by_role("button", name="Status opslaan").click()
    expect(page.locator("#signal-triage .flash")).to_contain_text(f"De status is nu: {chosen}.")
    assert page.evaluate("window.notReloaded === true")  # htmx swapped the panel, no page load
    assert_accessible(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_mistake_then_sending_again_at_once_is_not_spam(new_context, live_server, javascript):
    """A visitor takes their time, forgets the consent box, ticks it and sends again within a
    second: the form's clock started when it was first opened, so the signal is not spam."""
    from cpweb.core.extensions import db
    from cpweb.signals.models import Signal

    page = new_context(java_script_enabled=javascript).new_page()
    page.goto(live_server.url + "/signaal")
    page.locator("input[name=category]").first.check()
    page.locator("input[name=sentiment][value=beter]").check()
    page.locator("input[name=organisation_kind][value=uwv]").check()
    page.locator("select[name=municipality]").select_option(index=1)
    page.locator("textarea[name=description]").fill(STORY)
    page.get_by_label("Uw e-mailadres").fill(f"bezoeker-{'js' if javascript else 'nojs'}@example.net")
    # A person needs longer than the form's minimum (SIGNAL_MIN_FILL_SECONDS) to get this far.
    page.wait_for_timeout(live_server.app.config["SIGNAL_MIN_FILL_SECONDS"] * 1000 + 200)
    with page.expect_navigation():
        page.get_by_role("button", name="Signaal versturen").click()
    expect(page.locator(".error-summary")).to_contain_text("Zet een vinkje")

    page.locator("input[name=consent]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Signaal versturen").click()
    expect(page.locator("h1")).to_have_text("Dank u wel voor uw signaal")
    expect(page.locator("main")).to_contain_text("Wij nemen binnen twee weken contact met u op.")
    reference = page.locator(".reference").inner_text()
    with live_server.app.app_context():
        signal = db.session.scalars(db.select(Signal).filter_by(reference=reference)).one()
        assert not signal.suspected_spam, signal.spam_reason


CHART_TEXTS = """() => {
    const chart = document.querySelector('.chart');
    const box = chart.getBoundingClientRect();
    const leaves = [...chart.querySelectorAll('*')].filter(e => !e.children.length && e.textContent.trim());
    return leaves.map(e => {
        const r = e.getBoundingClientRect();
        const scale = e.ownerSVGElement ? e.ownerSVGElement.getScreenCTM().a : 1;  // an SVG shrinks its text
        return {text: e.textContent.trim(), size: parseFloat(getComputedStyle(e).fontSize) * scale,
                left: r.left - box.left, right: r.right - box.left, top: r.top, bottom: r.bottom, width: box.width};
    });
}"""
BARS = "() => [...document.querySelectorAll('.chart rect')].map(e => e.getBoundingClientRect().toJSON())"


def overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] - 0.5 and b["left"] < a["right"] - 0.5 and a["top"] < b["bottom"] - 0.5 \
        and b["top"] < a["bottom"] - 0.5


@pytest.mark.parametrize("width", [1280, 375])
def test_the_report_chart_shows_whole_labels_in_readable_text(new_context, live_server, width):
    context = new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    _login_form(page, live_server, "secretaris@example.org")
    today = date.today()
    page.goto(f"{live_server.url}/signalen/overzicht?start={today.year - 1}-01-01&end={today.isoformat()}")
    labels = [label.strip() for label in page.locator(".chart + table tbody th[scope=row]").all_inner_texts()]
    assert labels, "the demo has signals in this period"
    texts = page.evaluate(CHART_TEXTS)
    assert [t["text"] for t in texts if not t["text"].isdigit()] == labels  # whole, none cut with "…"
    for text in texts:
        assert text["size"] >= 12, text
        assert -0.5 <= text["left"] and text["right"] <= text["width"] + 0.5, text  # inside the chart
    chart_left = page.evaluate("document.querySelector('.chart').getBoundingClientRect().left")
    bars = [bar for bar in page.evaluate(BARS) if bar["width"]]
    for text in texts:  # no label runs into a bar
        box = {**text, "left": text["left"] + chart_left, "right": text["right"] + chart_left}
        assert not any(overlap(box, bar) for bar in bars), text
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
