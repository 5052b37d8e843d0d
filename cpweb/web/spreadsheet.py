"""CSV downloads that open in Excel and LibreOffice as plain text, never as formulas.

Every CSV export goes through `csv_response`, so a name typed on a public form cannot become a
live formula (CSV injection) on the computer of the secretary who opens the file.
"""
import csv
import io

from flask import make_response

from .security import no_store

# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value) -> object:
    """The cell as it may go into the file: numbers stay numbers, text that could start a
    formula gets a leading single quote, which spreadsheets show as text."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, header, rows):
    """A download of header and rows; semicolons, as Dutch Excel expects."""
    out = io.StringIO()
    # Text is always quoted: a spreadsheet that splits on commas instead still keeps each cell whole.
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_NONNUMERIC)
    for row in [header, *rows]:
        writer.writerow([inert(cell) for cell in row])
    response = make_response("\ufeff" + out.getvalue())  # the BOM makes Excel read UTF-8
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return no_store(response)  # every export here lists people
