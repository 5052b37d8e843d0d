"""The one CSV helper every export uses: formulas typed by people come out as plain text."""
import csv
import io
import re
from pathlib import Path

import pytest

from cpweb.web.spreadsheet import csv_response, inert


@pytest.mark.parametrize("typed, written", [
    ("=HYPERLINK(\"http://evil.example\",\"klik\")", "'=HYPERLINK(\"http://evil.example\",\"klik\")"),
    ("+31 6 12345678", "'+31 6 12345678"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("Jan de Vries", "Jan de Vries"),
    ("jan=piet@example.org", "jan=piet@example.org"),  # only the first character starts a formula
    ("", ""),
    (None, ""),
    (7, 7),
    (-3, -3),  # a number is written as a number, not as text
])
def test_cells_that_start_a_formula_get_a_leading_quote(typed, written):
    assert inert(typed) == written


def test_the_download_quotes_text_and_keeps_numbers(app):
    with app.test_request_context():
        response = csv_response("lijst.csv", ["Naam", "Aantal"], [["=1+1", 2], ["a,=1+1", 0]])
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    assert response.headers["Content-Disposition"] == 'attachment; filename="lijst.csv"'
    assert text[1:].splitlines() == ['"Naam";"Aantal"', '"\'=1+1";2', '"a,=1+1";0']
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows == [["Naam", "Aantal"], ["'=1+1", "2"], ["a,=1+1", "0"]]


def test_every_csv_export_goes_through_the_helper():
    package = Path(__file__).resolve().parents[1] / "cpweb"
    writers = [str(path.relative_to(package)) for path in package.rglob("*.py")
               if re.search(r"csv\.(writer|DictWriter)\(", path.read_text(encoding="utf-8"))]
    assert writers == ["web/spreadsheet.py"]
