"""Screenshots of a meeting page for a secretary before, during (the confirmation) and after a
cancellation, at 375 and 1280 px wide, in Debian's Chromium against a temporary demo instance.

    .venv/bin/python bench/screenshots.py [folder]     (default: $CPWEB_SHOTS or a new temp folder)

Not a test: it only takes pictures for people to look at.
"""
import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _login_form, start_live_server  # noqa: E402
from tests.browser.test_confirming import plan  # noqa: E402

WIDTHS = (375, 1280)


def main(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    server = start_live_server(Path(tempfile.mkdtemp(prefix="cpweb-shots-instance-")))
    shots = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for width in WIDTHS:
                meeting_id = plan(server, f"Vergadering over de energietoeslag ({width})")
                page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
                _login_form(page, server, "secretaris@example.org")

                def shot(moment: str) -> None:
                    path = folder / f"meeting-{moment}-{width}.png"
                    page.screenshot(path=str(path), full_page=True)
                    shots.append(path)

                page.goto(f"{server.url}/vergaderingen/{meeting_id}")
                shot("1-before")
                page.get_by_role("link", name="Vergadering afgelasten").click()
                page.get_by_role("heading", name="Vergadering afgelasten?").wait_for()
                page.get_by_label("Persoonlijk bericht").fill("De zaal is niet beschikbaar. Tot de volgende keer!")
                shot("2-confirm")
                with page.expect_navigation():
                    page.get_by_role("button", name="Ja, vergadering afgelasten").click()
                shot("3-after")
                page.context.close()
            browser.close()
    finally:
        server.stop()
    return shots


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("CPWEB_SHOTS") or tempfile.mkdtemp())
    for path in main(target):
        print(path)
