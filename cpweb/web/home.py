"""Sections on a member's home page. Each feature registers one; pages.home shows them in order."""
from collections.abc import Callable

from ..core.hooks import hooks

# fn(user) -> (template name, context dict), or None when there is nothing to show.
Section = Callable[[object], tuple[str, dict] | None]


def sections_for(user) -> list[tuple[str, dict]]:
    return [section for _order, fn in hooks().home_sections if (section := fn(user)) is not None]
