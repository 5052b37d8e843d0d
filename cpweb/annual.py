"""Sections of the annual report. Each feature registers one; the report shows them in order.

A section is built from the year's records only, so the numbers can be checked against them.
"""
from dataclasses import dataclass

from .hooks import hooks


@dataclass
class AnnualSection:
    """One part of the report: a table with a header row and one row per body or kind."""

    title: str
    header: list[str]
    rows: list[list]

    @property
    def markdown(self) -> str:
        """The same table in Markdown, for the text download."""
        lines = ["| " + " | ".join(str(h) for h in self.header) + " |", "|" + "---|" * len(self.header)]
        lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in self.rows]
        return "\n".join(lines)


def sections_for(year: int) -> list[AnnualSection]:
    """What the features registered (hooks.annual_section: fn(year) -> AnnualSection or None), in order."""
    return [section for _order, fn in hooks().annual_sections if (section := fn(year)) is not None]
