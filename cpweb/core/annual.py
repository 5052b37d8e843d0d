"""Sections of the annual report. Each feature registers one; the report shows them in order.

A section is built from the year's records only, so the numbers can be checked against them. Its
lists of single things (an advice, a meeting) hold only what the reader may open; the counts cover
every body, as they name nobody.
"""
from dataclasses import dataclass, field

from .database import all_rows
from .hooks import hooks


@dataclass
class AnnualTable:
    """A header row and one row per body, kind or thing; the first column says what the row is about."""

    header: list[str]
    rows: list[list]
    lead: str = ""  # one sentence above the table that says what it lists
    cut: bool = False  # rows are the first of a longer list (on the page; the downloads have all)

    @property
    def markdown(self) -> str:
        lines = ["| " + " | ".join(str(h) for h in self.header) + " |", "|" + "---|" * len(self.header)]
        lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in self.rows]
        return "\n\n".join(part for part in (self.lead, "\n".join(lines)) if part)


@dataclass
class AnnualSection:
    """One part of the report: tables of facts, or (with `placeholder`) room for the council's own text."""

    title: str
    tables: list[AnnualTable] = field(default_factory=list)
    placeholder: str = ""  # a sentence the council replaces with its own words

    @property
    def has_facts(self) -> bool:
        return any(table.rows for table in self.tables)


def sections_for(year: int, reader, longest: int | None = None) -> list[AnnualSection]:
    """What the features registered (hooks.annual_section: fn(year, reader, longest) -> AnnualSection
    or None), in order. `longest`: at most this many rows in a list of single things (the page,
    which then costs the same for a busy year as for a quiet one); None: all (the downloads)."""
    return [section for _order, fn in hooks().annual_sections if (section := fn(year, reader, longest)) is not None]


def year_list(select, longest: int | None) -> tuple[list, bool]:
    """A section's list of single things: all its rows, or the first `longest` and whether there are more."""
    if longest is None:
        return all_rows(select), False
    rows = all_rows(select.limit(longest + 1))  # one more than shown tells whether there are more
    return rows[:longest], len(rows) > longest
