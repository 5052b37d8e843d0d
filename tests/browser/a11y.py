"""axe-core on the page as shipped: WCAG 2.1 A and AA rules, failing on any violation."""
from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def assert_accessible(page) -> None:
    """Run axe on the current page (injected with page.evaluate, which the strict CSP allows)."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                      "resultTypes": ["violations"]})
    violations = results.response["violations"]
    assert not violations, f"axe found {len(violations)} violation(s) on {page.url}:\n" + "\n".join(
        _describe(v) for v in violations)


def _describe(violation: dict) -> str:
    lines = [f"- {violation['id']} ({violation.get('impact')}): {violation['help']} {violation['helpUrl']}"]
    for node in violation["nodes"]:
        target = " ".join(str(t) for t in node["target"])
        lines.append(f"    {target}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
    return "\n".join(lines)
