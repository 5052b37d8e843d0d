"""The layout of docs/architecture.md: three layers, and imports that only go down.

`cpweb.core` is what every feature builds on, `cpweb.web` how a request is answered, and each feature
package (signals, meetings, …) uses both. Core imports nothing of web or of a feature; web imports core
and no feature; a feature imports core, web and other features' logic, never their views. Only the
wiring (`cpweb/__init__.py`, the site's commands and the demo) stands beside them at the root.
"""
import ast
from pathlib import Path

import pytest

CPWEB = Path(__file__).resolve().parents[1] / "cpweb"
LAYERS = ("core", "web")
AT_THE_ROOT = ["__init__.py", "cli.py", "demo.py"]
NOT_CODE = {"migrations", "translations"}
# What a feature may take from the wiring at the root, and why.
FROM_THE_ROOT = {
    "demo.py": ({"cpweb.demo.DemoRegion"}, "a feature's demo step builds on the region the site's demo made"),
    "postgres.py": ({"cpweb.create_app", "cpweb.init_migrations"},
                    "copying a site to PostgreSQL makes the site once more, on the new database"),
}


def features(root: Path = CPWEB) -> list[str]:
    return sorted(path.name for path in root.iterdir()
                  if path.name not in {*LAYERS, *NOT_CODE} and (path / "__init__.py").exists())


def imported(path: Path, root: Path = CPWEB) -> set[str]:
    """Every cpweb name the file imports, at the top or inside a function: `cpweb.core.db` for
    `from ..core import db`, so a module imported by name counts as well as its package."""
    package = list(path.relative_to(root.parent).parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            if module.split(".")[0] == "cpweb":
                found.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "cpweb")
    return found


def wrong_imports(root: Path, package: str, allowed: set[str], exceptions: dict | None = None) -> list[str]:
    """Imports from `package` of a part of cpweb other than `allowed` (the wiring at the root included),
    but for the names `exceptions` allows a module of that file name."""
    exceptions = {file: names for file, (names, _why) in (exceptions or {}).items()}
    return [f"{path.relative_to(root)} imports {name}" for path in sorted((root / package).rglob("*.py"))
            for name in sorted(imported(path, root)) if name.split(".")[1] not in allowed
            and name not in exceptions.get(path.name, set())]


def views_of_others(root: Path, feature: str) -> list[str]:
    return [f"{path.relative_to(root)} imports {name}" for path in sorted((root / feature).rglob("*.py"))
            for name in sorted(imported(path, root))
            if name.split(".")[1] in set(features(root)) - {feature}
            and any("views" in part for part in name.split(".")[2:])]


def test_only_the_wiring_stands_at_the_root():
    assert sorted(path.name for path in CPWEB.glob("*.py")) == AT_THE_ROOT


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_says_what_belongs_there_and_who_may_import_it(layer):
    text = ast.get_docstring(ast.parse((CPWEB / layer / "__init__.py").read_text()))
    assert text and "import" in text


def test_core_imports_nothing_of_web_or_of_a_feature():
    assert wrong_imports(CPWEB, "core", {"core"}) == []


def test_web_imports_core_and_no_feature():
    assert wrong_imports(CPWEB, "web", {"core", "web"}) == []


@pytest.mark.parametrize("feature", features())
def test_a_feature_imports_the_layers_and_other_features_logic_but_not_their_views(feature):
    assert wrong_imports(CPWEB, feature, {"core", "web", *features()}, FROM_THE_ROOT) == []
    assert views_of_others(CPWEB, feature) == []


def test_the_rules_catch_a_wrong_import(tmp_path):
    root = tmp_path / "cpweb"
    for package in ("core", "web", "signals", "meetings"):
        (root / package).mkdir(parents=True)
        (root / package / "__init__.py").write_text("")
    (root / "core" / "bad.py").write_text("from ..web import forms\n\ndef later():\n    from cpweb.signals import logic\n")
    (root / "web" / "bad.py").write_text("from .. import demo\nfrom ..core.database import db\n")
    (root / "signals" / "demo.py").write_text("from ..demo import DemoRegion, load_demo\n")
    (root / "meetings" / "bad.py").write_text("from ..signals.views import bp\nfrom ..signals import logic\n")
    assert wrong_imports(root, "core", {"core"}) == ["core/bad.py imports cpweb.signals.logic",
                                                     "core/bad.py imports cpweb.web.forms"]
    assert wrong_imports(root, "web", {"core", "web"}) == ["web/bad.py imports cpweb.demo"]
    assert wrong_imports(root, "signals", {"core", "web", "signals"}, FROM_THE_ROOT) == [
        "signals/demo.py imports cpweb.demo.load_demo"]
    assert views_of_others(root, "meetings") == ["meetings/bad.py imports cpweb.signals.views.bp"]
