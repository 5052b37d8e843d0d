"""Sections of the annual report. Each feature registers one; the report shows them in order.

A section is built from the year's records only, so the numbers can be checked against them.
"""
from collections.abc import Callable
from dataclasses import dataclass


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


_sections: list[tuple[int, Callable[[int], AnnualSection | None]]] = []


def annual_section(order: int):
    def register(fn):
        _sections.append((order, fn))
        _sections.sort(key=lambda item: item[0])
        return fn

    return register


def sections_for(year: int) -> list[AnnualSection]:
    return [section for _order, fn in _sections if (section := fn(year)) is not None]
