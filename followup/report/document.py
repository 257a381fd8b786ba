"""A thin layer over python-docx: an A4 document in Swedish with Word's own heading styles (so a
table of contents works), tables with a header row that repeats and numbers set right, images
with alt text, and a table-of-contents field.

Every text that reaches the document goes through ``clean``: characters XML cannot hold are
dropped, and text is only ever written as the text of a run — never as field codes or markup —
so a name or an observation cannot inject a field, a hyperlink or formatting.
"""

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

LANGUAGE = "sv-SE"
BRAND = RGBColor(0x0B, 0x4F, 0x6C)  # the site's blue (followup/static/site/site.css)
HEADER_FILL = "E3EEF5"
TOTAL_FILL = "F3F5F7"
# Characters XML 1.0 cannot hold (control characters but tab and line breaks, lone surrogates,
# the two non-characters): a document with one would not open.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A browser sends a textarea's line breaks as CR LF (and so they are stored); python-docx would
# write each CR as a line break of its own, an empty line after every line in Word.
_LINE_END = re.compile("\r\n?")
# The paragraphs one text may take (a county's summary of several pages takes a hundred).
MOST_LINES = 1000
_LINE_BREAKS = re.compile(r"[ \t]*\n\s*")


def clean(text) -> str:
    """``text`` as a document may hold it: a string without characters XML forbids, each line
    ending in a line feed alone."""
    return _NOT_XML.sub("", _LINE_END.sub("\n", "" if text is None else str(text)))


@dataclass(frozen=True)
class Cell:
    """A table cell: its text and whether it is a number (set right, never wrapped)."""

    text: str
    number: bool = False
    bold: bool = False


def number(text: str) -> Cell:
    return Cell(text, number=True)


class Report:
    """The document being written, top to bottom."""

    def __init__(self, *, title: str, subject: str, author: str):
        self.doc = new_document()
        properties = self.doc.core_properties
        properties.title, properties.subject, properties.author = title, subject, author
        properties.language = LANGUAGE
        self._set_up_styles()
        # The body's last element, which stays last (a new section leaves it there): new
        # paragraphs and tables go in before it. python-docx's own ``add_paragraph`` looks for
        # it through the whole body every time, so a text of many lines cost quadratic time.
        self._end = self.doc.element.body.sectPr
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.2))
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
        self._page_numbers(section)
        self._update_fields_on_open()

    # --- set-up -------------------------------------------------------------------------------

    def _set_up_styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(10)
        normal.paragraph_format.space_after = Pt(3)
        # Swedish for spelling, hyphenation and quotes, in every style that inherits Normal.
        fonts = normal.element.get_or_add_rPr()
        language = OxmlElement("w:lang")
        language.set(qn("w:val"), LANGUAGE)
        fonts.append(language)
        for level, size in ((1, 18), (2, 13.5), (3, 11.5)):
            heading = styles[f"Heading {level}"]
            heading.font.size = Pt(size)
            heading.font.color.rgb = BRAND
            heading.paragraph_format.keep_with_next = True
        styles["Heading 1"].paragraph_format.page_break_before = True
        styles["Title"].font.color.rgb = BRAND

    def _page_numbers(self, section) -> None:
        """ "Sida N" centred in the footer (a PAGE field of our own)."""
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run("Sida ")
        self._field(paragraph, "PAGE", "1")

    def _update_fields_on_open(self) -> None:
        """Word fills in the table of contents (and page numbers) when the document opens."""
        settings = self.doc.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)

    @staticmethod
    def _field(paragraph, instruction: str, shown: str) -> None:
        """A field (Word computes it) with ``shown`` as its text until it does."""
        run = paragraph.add_run()
        begin = OxmlElement("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        run._r.append(begin)
        run = paragraph.add_run()
        code = OxmlElement("w:instrText")
        code.set(qn("xml:space"), "preserve")
        code.text = f" {instruction} "
        run._r.append(code)
        run = paragraph.add_run()
        separate = OxmlElement("w:fldChar")
        separate.set(qn("w:fldCharType"), "separate")
        run._r.append(separate)
        paragraph.add_run(shown)
        run = paragraph.add_run()
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        run._r.append(end)

    def _paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        """A new paragraph at the end of the body (``text`` already clean)."""
        element = OxmlElement("w:p")
        self._end.addprevious(element)
        paragraph = Paragraph(element, self.doc._body)
        if text:
            paragraph.add_run(text)
        if style is not None:
            paragraph.style = style
        return paragraph

    def _table(self, rows: int, cols: int) -> Table:
        """A new table at the end of the body, as wide as the text."""
        element = CT_Tbl.new_tbl(rows, cols, self.doc._block_width)
        self._end.addprevious(element)
        return Table(element, self.doc._body)

    # --- content ------------------------------------------------------------------------------

    def title_page(self, *, title: str, subtitle: str, lines: Sequence[str]) -> None:
        self._paragraph(clean(title), style="Title")
        paragraph = self._paragraph()
        run = paragraph.add_run(clean(subtitle))
        run.font.size = Pt(14)
        for line in lines:
            self._paragraph(clean(line))

    def contents(self, heading: str) -> None:
        """A table of contents (headings 1–2), filled in by Word when the document opens."""
        paragraph = self._paragraph()
        run = paragraph.add_run(clean(heading))
        run.bold, run.font.size, run.font.color.rgb = True, Pt(14), BRAND
        self._field(
            self._paragraph(),
            'TOC \\o "1-2" \\h \\z \\u',
            "Innehållsförteckningen fylls i när dokumentet öppnas i Word "
            "(eller högerklicka här och välj Uppdatera fält).",
        )

    def heading(self, text: str, level: int = 1) -> None:
        self._paragraph(clean(text), style=f"Heading {level}")

    def paragraph(self, text: str = "", *, bold_lead: str = "", note: bool = False) -> None:
        """A paragraph per line of ``text``; ``bold_lead`` in bold before the first. A text of
        more than ``MOST_LINES`` lines has its last lines run together in its last paragraph:
        every word is kept, but a paragraph costs far more than the line it is made of (a text
        of a million short lines took 600 MB and a minute)."""
        lines = clean(text).split("\n", MOST_LINES - 1)
        lines[-1] = _LINE_BREAKS.sub(" ", lines[-1])  # the rest of a text of more lines
        for index, line in enumerate(lines):
            paragraph = self._paragraph()
            if bold_lead and index == 0:
                paragraph.add_run(clean(bold_lead)).bold = True
            run = paragraph.add_run(line)
            if note:
                run.italic = True
                run.font.size = Pt(9)

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            self._paragraph(clean(item), style="List Bullet")

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[Cell | str]],
        *,
        total: Sequence[Cell | str] | None = None,
        widths: Sequence[float] | None = None,
        caption: str = "",
        size: float = 9,
    ) -> None:
        """A table: a header row repeated on every page, then ``rows``, then a ``total`` row."""
        if caption:
            paragraph = self._paragraph()
            run = paragraph.add_run(clean(caption))
            run.bold, run.font.size = True, Pt(9.5)
            paragraph.paragraph_format.keep_with_next = True
        table = self._table(rows=0, cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        sample = rows[0] if rows else (total or [])
        numeric = [isinstance(c, Cell) and c.number for c in sample] or [False] * len(headers)
        headings = [
            Cell(text, number=n, bold=True) for text, n in zip(headers, numeric, strict=True)
        ]
        self._row(table, headings, size, fill=HEADER_FILL, header=True)
        for row in rows:
            self._row(table, row, size)
        if total is not None:
            bold = [
                Cell(c.text, c.number, True) if isinstance(c, Cell) else Cell(c, bold=True)
                for c in total
            ]
            self._row(table, bold, size, fill=TOTAL_FILL)
        if widths:  # the grid (LibreOffice reads it) and every cell (Word reads those)
            table.autofit = False
            for column, width in zip(table.columns, widths, strict=True):
                column.width = Cm(width)
            for row in table.rows:
                for cell, width in zip(row.cells, widths, strict=True):
                    cell.width = Cm(width)
        self._paragraph().paragraph_format.space_after = Pt(2)

    @staticmethod
    def _row(table, cells: Sequence[Cell | str], size: float, *, fill: str = "", header=False):
        row = table.add_row()
        if header:  # repeated at the top of every page the table runs over
            flag = OxmlElement("w:tblHeader")
            flag.set(qn("w:val"), "true")
            row._tr.get_or_add_trPr().append(flag)
        cant_split = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().append(cant_split)
        for target, value in zip(row.cells, cells, strict=True):
            cell = value if isinstance(value, Cell) else Cell(value)
            paragraph = target.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            if cell.number:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            lines = clean(cell.text).split("\n")
            run = paragraph.add_run(lines[0])
            for line in lines[1:]:
                run.add_break(WD_BREAK.LINE)
                run = paragraph.add_run(line)
            for run in paragraph.runs:
                run.font.size = Pt(size)
                run.bold = cell.bold or None
            if fill:
                shading = OxmlElement("w:shd")
                shading.set(qn("w:val"), "clear")
                shading.set(qn("w:color"), "auto")
                shading.set(qn("w:fill"), fill)
                target._tc.get_or_add_tcPr().append(shading)

    def picture(self, png: bytes, *, alt: str, title: str, width_cm: float = 16.5) -> None:
        """An image with its alt text (Word's *Alternativ text*: description and title)."""
        picture_paragraph = self._paragraph()
        shape = picture_paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
        picture_paragraph.paragraph_format.keep_with_next = False
        properties = shape._inline.docPr
        properties.set("descr", clean(alt))
        properties.set("title", clean(title))

    def pictures_side_by_side(
        self, pictures: Sequence[tuple[bytes, str, str]], width_cm: float
    ) -> None:
        """Images (png, alt, title) next to each other in a table without borders."""
        table = self._table(rows=1, cols=len(pictures))
        table.autofit = False
        for cell, (png, alt, title) in zip(table.rows[0].cells, pictures, strict=True):
            cell.width = Cm(width_cm + 0.7)  # room for the cell's own margins
            run = cell.paragraphs[0].add_run()
            shape = run.add_picture(io.BytesIO(png), width=Cm(width_cm))
            shape._inline.docPr.set("descr", clean(alt))
            shape._inline.docPr.set("title", clean(title))
        for column in table.columns:
            column.width = Cm(width_cm + 0.7)

    def page_break(self) -> None:
        self._paragraph().add_run().add_break(WD_BREAK.PAGE)

    def landscape(self, landscape: bool) -> None:
        """A new section on a page of its own, lying down (or standing up again)."""
        section = self.doc.add_section()
        width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = width, height

    def save(self, output) -> None:
        self.doc.save(output)
