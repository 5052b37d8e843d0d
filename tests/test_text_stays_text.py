"""Text is text: a translated message fills in its values escaped.

Flask-Babel's lazy strings carry __html__, so Jinja and WTForms put them on a page as they are;
`_l("… %(title)s", title=…)` put a member's title on an admin's page as markup, and htmx acted on
the hx-* attributes in it. Messages with values go through cpweb.core.i18n.gettext_markup (or its lazy
form), which escapes each value.
"""
import ast
from pathlib import Path

from markupsafe import Markup, escape

from cpweb.core.i18n import gettext_markup, lazy_gettext_markup

PACKAGE = Path(__file__).resolve().parents[1] / "cpweb"
HELPERS = PACKAGE / "core" / "i18n.py"
LAZY = {"_l", "lazy_gettext", "lazy_ngettext", "lazy_pgettext", "lazy_npgettext"}
GETTEXT = LAZY | {"_", "gettext", "ngettext", "pgettext", "npgettext"}


def _name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _calls(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Call):
            yield node


def unsafe_messages(root: Path = PACKAGE) -> list[str]:
    """Lazy messages with values, and Markup() around a translated text: both trust the values."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if path == HELPERS:
            continue
        for call in _calls(path):
            where = f"{path.relative_to(root.parent)}:{call.lineno}"
            if _name(call) in LAZY and call.keywords:
                found.append(f"{where}: {_name(call)}() with values; use lazy_gettext_markup")
            if _name(call) == "Markup" and any(isinstance(inner, ast.Call) and _name(inner) in GETTEXT
                                               for arg in call.args for inner in ast.walk(arg)):
                found.append(f"{where}: Markup() around a translated text trusts its values; use gettext_markup")
    return found


def test_no_message_fills_in_a_value_without_escaping_it():
    assert unsafe_messages() == []


def test_the_scan_finds_both_kinds(tmp_path):
    package = tmp_path / "cpweb"
    package.mkdir()
    (package / "bad.py").write_text(
        'from flask_babel import lazy_gettext as _l\nfrom markupsafe import Markup\n'
        'A = _l("Van %(body)s", body=name)\nB = Markup(_("Van %(body)s", body=name))\n'
        'C = _l("Zonder waarden")\nD = flask_babel.lazy_gettext("%(n)s", n=1)\n', encoding="utf-8")
    assert [line.split(": ")[0] for line in unsafe_messages(package)] == ["cpweb/bad.py:3", "cpweb/bad.py:4",
                                                                          "cpweb/bad.py:6"]


def test_values_are_escaped_and_the_message_is_not(app):
    hostile = '<i hx-get="/x" hx-trigger="load">&'
    with app.test_request_context():
        message = gettext_markup("Dit bestand staat al in de bibliotheek: ‘%(title)s’.", title=hostile)
        assert isinstance(message, Markup)
        assert message == f"Dit bestand staat al in de bibliotheek: ‘{escape(hostile)}’."
        # A lazy one inside another is escaped once, as the page shows it.
        inner = lazy_gettext_markup("Alleen leden van %(body)s", body=hostile)
        outer = lazy_gettext_markup("%(sentence)s Ook in de bibliotheek.", sentence=inner)
        assert escape(outer) == f"Alleen leden van {escape(hostile)} Ook in de bibliotheek."
        assert gettext_markup("Gebruik hoogstens %(n)s tekens.", n=5) == "Gebruik hoogstens 5 tekens."


def test_a_body_name_in_a_label_stays_text(app, make_body):
    from cpweb.documents.models import BODY, audience_label

    body = make_body(name='<img src=x onerror=alert(1)>')
    with app.test_request_context():
        assert escape(audience_label(BODY, body)) == "Alleen leden van &lt;img src=x onerror=alert(1)&gt;"
