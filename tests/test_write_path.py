"""The write path of docs/architecture.md, for the features that follow it: a view loads, checks,
calls one logic function and answers; that function commits, and never reads the request."""
import ast
from pathlib import Path

import pytest

CPWEB = Path(__file__).resolve().parent.parent / "cpweb"
FEATURES = ["meetings", "activities", "calendar", "bodies"]
VIEW_ONLY = {"abort", "flash", "request", "current_user"}


def _imported_names(path: Path) -> set[str]:
    return {alias.name for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.ImportFrom) and node.module in ("flask", "flask_login") for alias in node.names}


@pytest.mark.parametrize("feature", FEATURES)
def test_views_leave_the_commit_to_logic(feature):
    for path in (CPWEB / feature).glob("views*.py"):
        text = path.read_text()
        assert "db.session.commit" not in text and "saved(" not in text, path.name


@pytest.mark.parametrize("feature", FEATURES)
def test_logic_reads_no_request_and_answers_nothing(feature):
    for path in (CPWEB / feature).glob("*.py"):
        if not path.name.startswith("views"):
            assert not _imported_names(path) & VIEW_ONLY, path.name
