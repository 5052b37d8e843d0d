"""The advice part of the annual report: advice given per body, asked or not, and outcomes."""
from flask_babel import gettext as _

from ..annual import AnnualSection
from ..bodies.logic import active_bodies
from ..i18n import number
from . import logic, rules


def advice_section(year: int) -> AnnualSection:
    bodies = active_bodies()
    numbers = logic.overview([b.id for b in bodies], year)
    header = [_("Orgaan"), _("Uitgebracht"), _("Gevraagd"), _("Ongevraagd"), *rules.OUTCOMES.values(), _("Nog open"),
              _("Dagen tot reactie (gemiddeld)")]
    table = []
    for body in bodies:
        n = numbers.get(body.id)
        if n is None:
            continue
        table.append([body.name, n["total"], n["asked"], n["unasked"], *(n["outcomes"][k] for k in rules.OUTCOMES),
                      n["outcomes"]["open"], number(n["average_days"])])
    return AnnualSection(_("Adviezen"), [str(h) for h in header], table)
