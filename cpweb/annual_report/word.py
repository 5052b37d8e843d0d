"""The annual report as a Word file (.docx, which LibreOffice and Google Docs open too): the form in
which a secretary edits it further and sends it on."""
from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..annual import AnnualSection

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


LANGUAGES = {"nl": "nl-NL", "en": "en-GB"}


def word_file(title: str, intro: str, sections: list[AnnualSection], empty: str, language: str) -> bytes:
    """Real headings and tables, not look-alikes: screen readers and Word's navigation pane use them."""
    document = Document()
    document.core_properties.title = title
    document.core_properties.language = language
    _set_text_language(document, LANGUAGES.get(language, language))
    document.add_heading(title, level=0)
    document.add_paragraph(intro)
    for section in sections:
        document.add_heading(section.title, level=1)
        if section.rows:
            _add_table(document, section)
        else:
            document.add_paragraph(empty)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _add_table(document, section: AnnualSection) -> None:
    table = document.add_table(rows=1, cols=len(section.header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, section.header):
        cell.paragraphs[0].add_run(str(text)).bold = True
    _mark_as_header(table.rows[0])
    for values in section.rows:
        cells = table.add_row().cells
        cells[0].text = str(values[0])  # what the row is about; the numbers follow, right-aligned
        for cell, value in zip(cells[1:], values[1:]):
            cell.text = str(value)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _mark_as_header(row) -> None:
    """Screen readers announce the first row as the header, and Word repeats it on each page."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _set_text_language(document, tag: str) -> None:
    """The default template marks all text as en-US; Word's spelling check and screen readers follow this."""
    run_defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run_defaults.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_defaults.append(language)
    language.set(qn("w:val"), tag)
