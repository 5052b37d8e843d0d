"""The write path of docs/architecture.md, for the features that follow it: a view loads, checks,
calls one logic function and answers; that function commits, and never reads the request."""
import ast
from pathlib import Path

import pytest

CPWEB = Path(__file__).resolve().parent.parent / "cpweb"
FEATURES = ["meetings", "activities", "calendar", "bodies", "signals", "advice", "documents", "handbook", "search",
            "admin", "auth", "annual_report", "ops", "pages", "mail", "proposals", "feeds", "following"]
VIEW_ONLY = {"abort", "flash", "request", "current_user"}
# Modules that are part of answering a request, shared by several views: they may read it.
VIEW_SIDE = {
    "documents/attaching.py": "the attach form and its answer, for agenda items, activities and dossiers",
    "documents/uploads.py": "serving a file: conditional and range requests",
    "auth/access.py": "the decorators that check who may open a page",
    "ops/logs.py": "the request log line",
    "ops/static.py": "static files with their cache headers",
}


def _imported_names(path: Path) -> set[str]:
    return {alias.name for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.ImportFrom) and node.module in ("flask", "flask_login") for alias in node.names}


def _modules(feature: str, views: bool):
    return [path for path in (CPWEB / feature).glob("*.py") if ("views" in path.stem) == views]


@pytest.mark.parametrize("feature", FEATURES)
def test_views_leave_the_commit_to_logic(feature):
    for path in _modules(feature, views=True):
        assert "session.commit" not in path.read_text(), path.name


@pytest.mark.parametrize("feature", FEATURES)
def test_logic_reads_no_request_and_answers_nothing(feature):
    for path in _modules(feature, views=False):
        if f"{feature}/{path.name}" not in VIEW_SIDE:
            assert not _imported_names(path) & VIEW_ONLY, path.name


def test_views_stay_small_and_imports_are_used():
    for path in CPWEB.rglob("*.py"):
        text = path.read_text()
        assert "noqa: F401" not in text, path  # a feature is wired by init_app, not by importing it
        if "views" in path.stem:
            assert len(text.splitlines()) <= 400, path
