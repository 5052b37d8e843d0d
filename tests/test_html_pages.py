"""Every page in tests/pages.py, without a browser: valid HTML, unique ids, headings that skip no
level, nothing from other hosts, no date written as 2026-05 for a person to read, and a light home page. The browser suite runs axe and the Nu Html
Checker on the same pages."""
import gzip
import re
from pathlib import Path

import html5lib
import pyotp
import pytest
from flask import current_app, has_app_context
from werkzeug.exceptions import NotFound

from cpweb.core.config import TWO_FACTOR_ROLES as DEFAULT_TWO_FACTOR_ROLES
from cpweb.demo import load_demo
from tests.conftest import make_test_app, shared_app_context, shared_test_app
from tests.pages import ACCOUNTS, FORM_ERRORS, HALFWAY, NOT_HTML, PAGES, all_pages, expected_status, page_id, resolve

HOME_BUDGET = 50 * 1024  # bytes, gzipped: the home page with its CSS and JS
# Attributes that load or send something; <a href> is a link a person chooses, so it may leave.
RESOURCE_ATTRIBUTES = ("src", "srcset", "href", "action", "formaction", "poster", "data",
                       "hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete")

# A date or month as a machine writes it. People read "mei 2026"; the machine's form belongs in
# attributes (value=, datetime=, href=), which are not text on the page.
ISO_DATE = re.compile(r"\b\d{4}-\d{2}(-\d{2})?\b")
# Text that is not shown, or shown as the person typed it.
UNSHOWN = {"head", "script", "style", "template", "textarea"}


# Known app problems, reported to the lead; strict: the test fails once they are fixed, so remove them.
KNOWN_PROBLEMS: dict[str, str] = {}  # path -> reason; such a page is a strict xfail


def with_known_problems(entries):
    """pytest params; a page with a known problem is an xfail."""
    params = []
    for role, path, *rest in entries:
        reason = KNOWN_PROBLEMS.get(path) if isinstance(path, str) else None
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(role, path, *rest, id=page_id(role, path), marks=marks))
    return params


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory, schema_template):
    """One app with the demo data for the whole module: its tests only read and log in (loading the
    demo for each of them made this the slowest module). CSRF is on, so pages carry their tokens
    as shipped, and the second factor is required as on a real site."""
    with shared_test_app(tmp_path_factory.mktemp("demo"), schema_template, load_demo,
                         WTF_CSRF_ENABLED=True, TWO_FACTOR_ROLES=DEFAULT_TWO_FACTOR_ROLES) as app:
        yield app


@pytest.fixture
def csrf_app(demo_app):
    with shared_app_context(demo_app) as app:
        yield app


@pytest.fixture
def demo(csrf_app):
    """The demo data's password."""
    return (Path(csrf_app.instance_path) / "demo-login.txt").read_text().strip()


def log_in(client, role: str, password: str, code=None) -> None:
    """Log in as the role's demo account, with code(email) from the app where asked (not for HALFWAY)."""
    response = client.post("/inloggen", data={"email": ACCOUNTS[role], "password": password,
                                              "csrf_token": form_for(client, "/inloggen", "email")[1]})
    assert response.status_code == 303, f"login as {role} failed"
    if response.headers["Location"] == "/inloggen/code" and role != HALFWAY:
        code = code or (lambda email: pyotp.TOTP(
            (Path(current_app.instance_path) / "demo-app-key.txt").read_text().strip()).now())
        response = client.post("/inloggen/code", data={"code": code(ACCOUNTS[role]),
                                                       "csrf_token": form_for(client, "/inloggen/code", "code")[1]})
        assert response.status_code == 303, f"second step as {role} failed"


@pytest.fixture
def client(csrf_app):
    return csrf_app.test_client()


def form_for(client, path: str, field: str) -> tuple[str, str]:
    """(action, csrf token) of the form on this page that has this field, as a browser sends it."""
    tree = parse(client.get(path).text)
    for form in tree.iter("form"):
        if form.find(f".//*[@name='{field}']") is not None:
            token = form.find(".//input[@name='csrf_token']")
            return form.get("action") or path, token.get("value")
    raise AssertionError(f"no form with field {field} on {path}")


def visit(client, demo, role, entry, data=None):
    """The page of an entry in tests/pages.py, as that role; with data, its form sent with them."""
    if ACCOUNTS[role]:
        log_in(client, role, demo)
    path = resolve(entry)
    if data is None:
        response = client.get(path)
        expected = (expected_status(role, entry),)
    else:
        action, token = form_for(client, path, next(iter(data)))
        response = client.post(action, data={**data, "csrf_token": token})
        expected = (200, 422)  # a form with errors is shown again
    assert response.status_code in expected, f"{path}: {response.status_code}"
    return response.text


def parse(html: str):
    """Strict html5lib: any parse error (stray tag, bad nesting, duplicate attribute) fails."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)


def problems(html: str) -> list[str]:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        tree = parser.parse(html)
    except html5lib.html5parser.ParseError as error:
        (line, column), _, _ = parser.errors[-1]
        text = html.splitlines()[line - 1] if line else ""
        return [f"invalid HTML at line {line}, column {column}: {error}: {text.strip()[:200]}"]
    found, ids, level = [], set(), 0
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if re.fullmatch(r"h[1-6]", element.tag):
            if int(element.tag[1]) > level + 1:
                found.append(f"<{element.tag}> after <h{level}>: {''.join(element.itertext()).strip()[:60]}")
            level = int(element.tag[1])
        if element.tag == "form" and (element.get("method") or "").lower() == "post" and _checks_csrf() \
                and element.find(".//input[@name='csrf_token'][@type='hidden']") is None:
            found.append(f'<form action="{element.get("action")}"> posts without a hidden CSRF token')
        if (id_ := element.get("id")) is not None:
            if id_ in ids:
                found.append(f'duplicate id="{id_}"')
            ids.add(id_)
        for name in RESOURCE_ATTRIBUTES:
            value = (element.get(name) or "").strip()
            if name == "href" and element.tag == "a":
                continue
            if _other_host(value):
                found.append(f'<{element.tag} {name}="{value}"> comes from another host')
    found += [f"a date for a machine in the text: {date}" for date in iso_dates(tree)]
    return found


def iso_dates(tree) -> list[str]:
    """The dates written as 2026-05 or 2026-05-12 in the page's text (not its attributes), each with
    the words around it."""
    def texts(element):
        if isinstance(element.tag, str) and element.tag not in UNSHOWN:
            yield element.text or ""
            for child in element:
                yield from texts(child)
                yield child.tail or ""

    text = " ".join(" ".join(texts(tree)).split())
    return [f"{match.group()} in ‘{text[max(0, match.start() - 40):match.end() + 20]}’" for match in ISO_DATE.finditer(text)]


def _other_host(value: str) -> bool:
    return value.lower().startswith(("http://", "https://", "//")) or " http" in value.lower()


@pytest.mark.parametrize("role, path", with_known_problems(all_pages()))
def test_page_is_valid_html_with_unique_ids_and_no_other_hosts(client, demo, role, path):
    html = visit(client, demo, role, path)
    assert html.startswith("<!doctype html>")
    assert problems(html) == []


@pytest.mark.parametrize("role, path, data", with_known_problems(FORM_ERRORS))
def test_page_with_form_errors_is_valid_html(client, demo, role, path, data):
    html = visit(client, demo, role, path, data=data)
    assert "<title>Fout:" in html
    assert problems(html) == []


def _checks_csrf() -> bool:
    """Whether the site checks CSRF tokens (most request tests switch that off, and with it the field)."""
    return not has_app_context() or current_app.config.get("WTF_CSRF_ENABLED", True)


def test_checker_finds_what_it_should():
    page = ('<!doctype html><html lang="nl"><head><title>t</title>'
            '<script src="https://cdn.example/x.js"></script></head>'
            '<body><h1>t</h1><h2>a</h2><h4>b</h4><h2>c</h2>'
            '<p id="a">1</p><p id="a"><a href="https://example.org/">ok</a></p>'
            '<form method="post" action="/x"><button>x</button></form>'
            '<p>Maand: <time datetime="2026-05">2026-05</time>, <input name="d" value="2026-05-12"></p>'
            '<textarea name="t">typed 2026-05-13</textarea><p>Kenmerk S-2026-0043</p></body></html>')
    assert sorted(problems(page)) == ['<form action="/x"> posts without a hidden CSRF token',
                                      '<h4> after <h2>: b',
                                      '<script src="https://cdn.example/x.js"> comes from another host',
                                      'a date for a machine in the text: 2026-05 in ‘t a b c 1 ok x Maand: 2026-05 , '
                                      'Kenmerk S-2026-00’',
                                      'duplicate id="a"']
    assert problems("<!doctype html><html><body><p></div></body></html>")[0].startswith("invalid HTML")


def test_every_page_is_audited(csrf_app, demo):
    """A new page cannot be forgotten: every GET route is reached by an entry in tests/pages.py."""
    app = csrf_app
    adapter = app.url_map.bind("localhost")
    audited = set()
    for paths in PAGES.values():
        for path in paths:
            try:
                audited.add(adapter.match(resolve(path).split("?")[0], method="GET")[0])
            except NotFound:
                pass  # the 404 page
    routes = {rule.endpoint for rule in app.url_map.iter_rules()
              if "GET" in rule.methods and rule.endpoint != "static"} - NOT_HTML
    assert routes - audited == set(), "add a page of these endpoints to tests/pages.py"


def test_home_page_with_its_css_and_js_is_small(csrf_app, client, demo):
    app = csrf_app
    html = client.get("/").text
    tree = parse(html)
    static = Path(app.static_folder)
    files = [element.get("href") for element in tree.iter("link") if element.get("rel") == "stylesheet"]
    files += [element.get("src") for element in tree.iter("script") if element.get("src")]
    assert files, "the home page links no CSS or JS?"
    sizes = {"HTML": len(gzip.compress(html.encode()))}
    for url in files:
        assert url.startswith(app.static_url_path + "/"), url
        path = static / url.removeprefix(app.static_url_path + "/").split("?")[0]
        sizes[url] = len(gzip.compress(path.read_bytes()))
    assert sum(sizes.values()) <= HOME_BUDGET, sizes


def test_error_pages_for_missing_token_and_too_many_tries_are_valid_html(tmp_path, monkeypatch, schema_template):
    """400 (no CSRF token) and 429 (too many wrong passwords): Dutch pages in the site layout. The
    tries lock an account (and log it), so this test has an app of its own."""
    app = make_test_app(tmp_path, monkeypatch, WTF_CSRF_ENABLED=True, SQLALCHEMY_DATABASE_URI=schema_template.copy(tmp_path))
    with app.app_context():
        _too_many_tries(app.test_client())


def _too_many_tries(client):
    refused = client.post("/inloggen", data={"email": "lid@example.org", "password": "x"})
    assert refused.status_code == 400
    for _ in range(20):
        action, token = form_for(client, "/inloggen", "email")
        limited = client.post(action, data={"email": "lid@example.org", "password": "fout", "csrf_token": token})
        if limited.status_code == 429:
            break
    assert limited.status_code == 429
    for response in (refused, limited):
        assert response.text.startswith("<!doctype html>\n<html lang=\"nl\">")
        assert problems(response.text) == []
