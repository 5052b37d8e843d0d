"""The advice part of the annual report: advice given per body, asked or not, outcomes, and each
advice the reader may open."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from ..bodies.logic import active_bodies
from ..core.annual import AnnualSection, AnnualTable, year_list
from ..core.extensions import db
from ..core.i18n import date_in_text, number
from . import logic, rules
from .models import Advice


def sent_advice(year: int, reader, longest: int | None = None) -> tuple[list[list], bool]:
    """Each advice sent in the year that the reader may open: title, date sent, addressee, outcome
    (see year_list for `longest`)."""
    advices, cut = year_list(
        db.select(Advice).options(joinedload(Advice.addressee))  # one statement, also when no advice has one
        .filter(Advice.sent_on >= date(year, 1, 1), Advice.sent_on <= date(year, 12, 31), logic.visible_filter(reader))
        .order_by(Advice.sent_on, Advice.id), longest)
    return [[advice.title, date_in_text(advice.sent_on), advice.addressee_label or "-",
             advice.outcome_label or _("Nog geen reactie")] for advice in advices], cut


def advice_section(year: int, reader, longest: int | None) -> AnnualSection:
    bodies = active_bodies()
    numbers = logic.overview([b.id for b in bodies], year)
    header = [_("Orgaan"), _("Uitgebracht"), _("Gevraagd"), _("Ongevraagd"), _("Dagen tot reactie (gemiddeld)")]
    table = [[body.name, n["total"], n["asked"], n["unasked"], number(n["average_days"])]
             for body in bodies if (n := numbers.get(body.id)) is not None]
    outcomes = [[str(label), sum(n["outcomes"][key] for n in numbers.values())] for key, label in rules.OUTCOMES.items()]
    outcomes.append([_("Nog geen reactie"), sum(n["outcomes"]["open"] for n in numbers.values())])
    sent, cut = sent_advice(year, reader, longest)
    return AnnualSection(_("Adviezen"), [
        AnnualTable(header, table),
        AnnualTable([_("Uitkomst"), _("Aantal")], outcomes if table else [],
                    _("Wat de organisaties met de adviezen deden.")),
        AnnualTable([_("Advies"), _("Verstuurd"), _("Aan"), _("Uitkomst")], sent, _("Alle adviezen van dit jaar."), cut),
    ])
