"""Sections on a member's home page. Each feature registers one; pages.home shows them in order."""
from collections.abc import Callable

# fn(user) -> (template name, context dict), or None when there is nothing to show.
Section = Callable[[object], tuple[str, dict] | None]
_sections: list[tuple[int, Section]] = []


def home_section(order: int):
    """Register a section; lower numbers come first (meetings 10, action items 20, …)."""

    def register(fn: Section) -> Section:
        _sections.append((order, fn))
        _sections.sort(key=lambda item: item[0])
        return fn

    return register


def sections_for(user) -> list[tuple[str, dict]]:
    return [section for _order, fn in _sections if (section := fn(user)) is not None]
