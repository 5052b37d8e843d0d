"""Markdown that a person typed, made safe to show: Markdown first, then nh3."""
import threading
from functools import lru_cache

import markdown as markdown_lib
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


_local = threading.local()


def _converter() -> markdown_lib.Markdown:
    # Building a converter costs more than converting a short text; one per thread (they are not thread-safe).
    if not hasattr(_local, "converter"):
        _local.converter = markdown_lib.Markdown(extensions=["tables", "sane_lists"])
    return _local.converter.reset()


def render_markdown(text: str | None) -> Markup:
    return _render(text or "")


@lru_cache(maxsize=2048)
def _render(text: str) -> Markup:
    """A pure function of the text, so an agenda shown again costs nothing."""
    html = _converter().convert(text)
    # Headings start at h2: a page has one h1, its own title.
    for level in (5, 4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(f"</h{level}>", f"</h{level + 1}>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(clean)
