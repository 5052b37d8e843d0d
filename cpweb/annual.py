"""Sections of the annual report. Each feature registers one; the report shows them in order.

A section is built from the year's records only, so the numbers can be checked against them.
"""
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class AnnualSection:
    title: str
    template: str  # renders `section.data`
    data: dict
    markdown: str  # the same numbers, for the download the secretary edits further


_sections: list[tuple[int, Callable[[int], AnnualSection | None]]] = []


def annual_section(order: int):
    def register(fn):
        _sections.append((order, fn))
        _sections.sort(key=lambda item: item[0])
        return fn

    return register


def sections_for(year: int) -> list[AnnualSection]:
    return [section for _order, fn in _sections if (section := fn(year)) is not None]


def markdown_table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(str(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
