"""Markdown that a person typed, made safe to show: Markdown first, then nh3."""
import re
import threading
from functools import lru_cache

from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


_local = threading.local()


def _converter():
    # Building a converter costs more than converting a short text; one per thread (they are not thread-safe).
    # Markdown is loaded by the first text shown, not by every worker at start-up.
    if not hasattr(_local, "converter"):
        import markdown

        _local.converter = markdown.Markdown(extensions=["tables", "sane_lists"])
    return _local.converter.reset()


def render_markdown(text: str | None, top: int = 2) -> Markup:
    """The text as safe HTML; its headings start at level `top`: one below the heading it sits under
    (2 under the page's h1, 3 under an h2), so a page's outline never skips a level."""
    if not 2 <= top <= 6:
        raise ValueError(f"Markdown headings start at h2 to h6, not h{top}")
    return _render(text or "", top)


@lru_cache(maxsize=2048)
def _render(text: str, top: int) -> Markup:
    """A pure function of the text, so an agenda shown again costs nothing."""
    import nh3  # with Markdown: loaded by the first text shown (1.5 MB a worker that shows none)

    clean = nh3.clean(
        _converter().convert(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(_place_headings(clean, top))


_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")


def _place_headings(html: str, top: int) -> str:
    """Renumber the headings (attribute-free after nh3) so the first is `top` and each is at most one
    level below the one it follows: "## Stap 1" under an h1 becomes h2, "# A" then "### B" becomes
    h2 then h3. Deeper than h6 stays h6."""
    open_levels: list[tuple[int, int]] = []  # (level typed, level shown) of the headings above this one
    shown = top

    def renumber(tag: re.Match) -> str:
        nonlocal shown
        closing, typed = tag.group(1), int(tag.group(2))
        if not closing:
            while open_levels and open_levels[-1][0] >= typed:
                open_levels.pop()
            shown = min(open_levels[-1][1] + 1, 6) if open_levels else top
            open_levels.append((typed, shown))
        return f"<{closing}h{shown}>"

    return _HEADING_TAG.sub(renumber, html)
