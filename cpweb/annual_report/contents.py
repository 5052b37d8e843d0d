"""What the annual report holds: the council's own text around the facts the features give."""
from flask_babel import gettext as _

from ..core.annual import AnnualSection, sections_for


def own_text(year: int) -> tuple[list[AnnualSection], list[AnnualSection]]:
    """The parts only the council can write, before and after the facts, each with a sentence to replace."""
    before = [
        AnnualSection(_("Voorwoord"), placeholder=_(
            "Vervang deze zin door het voorwoord: wat speelde er in %(year)s, en wat heeft de raad bereikt?", year=year)),
        AnnualSection(_("Samenstelling"), placeholder=_(
            "Vervang deze zin: wie zaten er in %(year)s in de raad, wie kwamen erbij en wie gingen weg?", year=year)),
    ]
    after = [AnnualSection(_("Vooruitblik"), placeholder=_(
        "Vervang deze zin: wat wil de raad in %(year)s doen?", year=year + 1))]
    return before, after


def outline(year: int, reader) -> list[AnnualSection]:
    """The whole report in order: voorwoord, samenstelling, the year's facts, vooruitblik."""
    before, after = own_text(year)
    return before + sections_for(year, reader) + after


def markdown_text(title: str, intro: str, sections: list[AnnualSection], empty: str) -> str:
    parts = [f"# {title}", intro]
    for section in sections:
        parts.append(f"## {section.title}")
        if section.placeholder:
            parts.append(f"_{section.placeholder}_")
        elif section.has_facts:
            parts += [table.markdown for table in section.tables if table.rows]
        else:
            parts.append(empty)
    return "\n\n".join(parts) + "\n"
