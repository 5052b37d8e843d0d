"""The proposals part of the annual report: per body, proposals closed in the year and their outcomes.
Counts only: no answer and no name."""
from flask_babel import gettext as _

from ..bodies.logic import active_bodies
from ..core.annual import AnnualSection, AnnualTable
from . import logic, rules


def proposals_section(year: int, _reader, _longest: int | None) -> AnnualSection | None:
    numbers = logic.year_numbers(year)
    if not numbers:
        return None
    header = [_("Orgaan"), _("Voorstellen"), *(str(label) for label in rules.OUTCOMES.values()), _("Nog geen uitkomst")]
    rows = [[body.name, sum(numbers[body.id].values()), *(numbers[body.id].get(key, 0) for key in rules.OUTCOMES),
             numbers[body.id].get(None, 0)] for body in active_bodies() if body.id in numbers]
    return AnnualSection(_("Besluiten buiten de vergadering"), [AnnualTable(header, rows)])
