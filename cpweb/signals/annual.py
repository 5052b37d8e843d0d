"""The signals part of the annual report: counts by subject, no content ("aard en aantal")."""
from flask_babel import gettext as _

from ..core.annual import AnnualSection, AnnualTable
from . import logic


def signals_section(year: int, _reader, _longest: int | None) -> AnnualSection:
    rows = logic.year_category_counts(year)
    header = [_("Onderwerp"), _("Het ging goed"), _("Het kan beter"), _("Totaal")]
    table = [[r["label"], r["goed"], r["beter"], r["total"]] for r in rows if r["total"]]
    if table:
        table.append([_("Totaal"), *(sum(row[i] for row in table) for i in (1, 2, 3))])
    return AnnualSection(_("Signalen van cliënten"), [AnnualTable(header, table)])
