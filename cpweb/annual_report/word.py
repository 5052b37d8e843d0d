"""The annual report as a Word file (.docx, which LibreOffice and Google Docs open too): the form in
which a secretary edits it further and sends it on, so it must need no repair first: A4, text
marked as Dutch, Word's own heading styles, and tables whose columns fit their words."""
import re
from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..core.annual import AnnualSection, AnnualTable

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

LANGUAGES = {"nl": "nl-NL", "en": "en-GB"}

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 210, 297, 20  # A4, in mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FONT = "Arial"  # on every Windows and Mac; LibreOffice takes a look-alike
TABLE_POINTS = 9
# Room per character at 9 pt: more than Arial needs, so that a wider stand-in font (DejaVu Sans,
# where Arial is missing) still keeps each word on one line; bold header text is wider still.
CHAR_MM, BOLD_CHAR_MM = 2.0, 2.35
CELL_PADDING_MM = 2.0  # left and right each, set on the table so Word and LibreOffice agree
SLACK_MM = 1.5
LONGEST_WISH = 40  # characters: beyond this a cell may wrap (between words) rather than widen its column
SHORT_TEXT = 18  # characters: "10 september 2025" stays on one line when the page has room
NUMBER = re.compile(r"^-?[\d.,]+%?$|^-$")


def word_file(title: str, intro: str, sections: list[AnnualSection], empty: str, language: str) -> bytes:
    """Real headings and tables, not look-alikes: screen readers and Word's navigation pane use them."""
    document = Document()
    tag = LANGUAGES.get(language, language)
    document.core_properties.title = title
    document.core_properties.language = tag
    _set_page(document)
    _set_styles(document, tag)
    document.add_heading(title, level=0)
    document.add_paragraph(intro)
    for section in sections:
        document.add_heading(section.title, level=1)
        if section.placeholder:
            _add_placeholder(document, section.placeholder)
        elif not section.has_facts:
            document.add_paragraph(empty)
        for table in section.tables:
            if table.rows:
                if table.lead:
                    lead = document.add_paragraph(table.lead)
                    lead.paragraph_format.space_before = Pt(12)  # apart from the table above
                    lead.paragraph_format.keep_with_next = True
                _add_table(document, table)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _set_page(document) -> None:
    """A4 portrait (the template is US Letter), with page numbers at the foot."""
    for section in document.sections:
        section.page_width, section.page_height = Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(MARGIN)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        footer._p.append(field)


def _set_styles(document, tag: str) -> None:
    """Word's built-in styles (a Dutch Word shows them as Titel, Kop 1), in one plain font and dark
    text, and all text marked as Dutch for the spelling check and screen readers."""
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_child(defaults, "w:lang", {"w:val": tag, "w:eastAsia": tag, "w:bidi": tag})
    fonts = defaults.find(qn("w:rFonts"))
    fonts.attrib.clear()  # theme fonts (Calibri, Cambria) would win over the font set here
    _set_child(defaults, "w:rFonts", {f"w:{kind}": FONT for kind in ("ascii", "hAnsi", "cs", "eastAsia")})
    settings_language = document.settings.element.find(qn("w:themeFontLang"))
    if settings_language is not None:
        settings_language.set(qn("w:val"), tag)
    for name, size in (("Normal", 11), ("Title", 24), ("Heading 1", 15), ("Heading 2", 13)):
        style = document.styles[name]
        fonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
        if fonts is not None:  # as above: the theme's font would win
            fonts.getparent().remove(fonts)
        style.font.name, style.font.size = FONT, Pt(size)
        if name != "Normal":
            style.font.color.rgb = RGBColor(0x1F, 0x2A, 0x44)


def _set_child(parent, tag: str, values: dict) -> None:
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.append(child)
    for key, value in values.items():
        child.set(qn(key), value)


def _add_placeholder(document, text: str) -> None:
    """Marked so it is found and replaced: italic on a yellow background."""
    run = document.add_paragraph().add_run(text)
    run.italic = True
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _add_table(document, data: AnnualTable) -> None:
    table = document.add_table(rows=1, cols=len(data.header))
    table.style = "Table Grid"
    widths = column_widths(data.header, data.rows)
    numbers = [all(NUMBER.match(str(row[i])) for row in data.rows) for i in range(len(data.header))]
    _fix_layout(table, sum(widths))
    for cell, text in zip(table.rows[0].cells, data.header):
        _fill(cell, text, bold=True)
    _mark_as_header(table.rows[0])
    for values in data.rows:
        for cell, value, number in zip(table.add_row().cells, values, numbers):
            _fill(cell, value, right=number)
    for column, width in zip(table.columns, widths):
        column.width = Mm(width)
        for cell in column.cells:  # Word reads the cells' widths, LibreOffice the grid's
            cell.width = Mm(width)


def _fill(cell, value, bold: bool = False, right: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(str(value))
    run.bold, run.font.size = bold or None, Pt(TABLE_POINTS)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def column_widths(header: list, rows: list[list]) -> list[float]:
    """Widths in mm: each column as wide as its longest text if the page has room; else at least as
    wide as its longest word, the room left shared by how much more each column would like."""
    least, wish = [], []
    for i, title in enumerate(header):
        cells = [str(row[i]) for row in rows]
        least.append(max([_width(word, BOLD_CHAR_MM) for word in str(title).split()]
                         + [_width(word, CHAR_MM) for cell in cells for word in cell.split()]))
        wish.append(max([_width(str(title)[:LONGEST_WISH], BOLD_CHAR_MM)]
                        + [_width(cell[:LONGEST_WISH], CHAR_MM) for cell in cells]))
    if sum(wish) <= TEXT_WIDTH:
        return wish  # a short table stays narrow: its numbers stay next to their names
    if sum(least) >= TEXT_WIDTH:
        return [w * TEXT_WIDTH / sum(least) for w in least]
    short = [max(low, min(want, _width("x" * SHORT_TEXT, CHAR_MM))) for low, want in zip(least, wish)]
    if sum(short) <= TEXT_WIDTH:
        least = short  # a date or an outcome on one line; long titles wrap instead
    more = [w - m for w, m in zip(wish, least)]
    return [m + extra * (TEXT_WIDTH - sum(least)) / sum(more) for m, extra in zip(least, more)]


def _width(text: str, per_char: float) -> float:
    return len(text) * per_char + 2 * CELL_PADDING_MM + SLACK_MM


def _fix_layout(table, width_mm: float) -> None:
    """Fixed widths, so neither program shares the width out equally and breaks words letter by letter."""
    table.autofit = False
    properties = table._tbl.tblPr
    _set_child(properties, "w:tblW", {"w:w": str(round(width_mm * 1440 / 25.4)), "w:type": "dxa"})
    margins = OxmlElement("w:tblCellMar")
    properties.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    for side in ("left", "right"):
        _set_child(margins, f"w:{side}", {"w:w": str(round(CELL_PADDING_MM * 1440 / 25.4)), "w:type": "dxa"})


def _mark_as_header(row) -> None:
    """Screen readers announce the first row as the header, and Word repeats it on each page."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)
