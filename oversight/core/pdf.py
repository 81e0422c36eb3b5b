"""PDF building blocks on reportlab: the CJK font, paragraph styles, an A4 page template with page numbers, tables.

The font (``fonts/wqy-microhei.ttc``, WenQuanYi Micro Hei, Apache-2.0) has Latin and CJK glyphs with
TrueType outlines, so reportlab embeds a subset of it (``/FontFile2``) and Chinese renders on any reader.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils.translation import gettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

FONT_NAME = "OversightSans"
FONT_FILE = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"
MARGIN = 18 * mm
GRID = colors.HexColor("#b0b7c3")
HEADER_FILL = colors.HexColor("#e8ecf2")


def register_fonts() -> str:
    """Register the CJK font with reportlab once; return its name."""
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_FILE), subfontIndex=0))
    return FONT_NAME


def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles in the CJK font: title, heading, body, small, cell and right-aligned cell."""
    font = register_fonts()
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=body, fontSize=16, leading=22, spaceAfter=4 * mm),
        "heading": ParagraphStyle(
            "heading", parent=body, fontSize=11.5, leading=16, spaceBefore=4 * mm, spaceAfter=2 * mm
        ),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=10, textColor=colors.HexColor("#4a5160")),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11),
        "cell_right": ParagraphStyle("cell_right", parent=body, fontSize=8.5, leading=11, alignment=TA_RIGHT),
    }


def para(text, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped; line breaks kept)."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def table(
    rows: Sequence[Sequence[object]],
    *,
    col_widths: Sequence[float],
    header_rows: int = 1,
    right_cols: Sequence[int] = (),
    bold_last_row: bool = False,
) -> Table:
    """A grid table: text cells become wrapped paragraphs, the header is shaded, numeric columns right-aligned."""
    st = styles()
    cells = []
    for row in rows:
        out = []
        for c, value in enumerate(row):
            if isinstance(value, Paragraph | Table):
                out.append(value)
            else:
                out.append(para("" if value is None else value, st["cell_right"] if c in right_cols else st["cell"]))
        cells.append(out)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL))
    if bold_last_row:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 1.2, colors.black))
    result = Table(cells, colWidths=list(col_widths), repeatRows=header_rows)
    result.setStyle(TableStyle(commands))
    return result


def numbered_canvas(footer: str) -> type:
    """A canvas class that writes "footer · page n of N" at the bottom of every page (N known at the end)."""

    class NumberedCanvas(pdf_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            self.setFont(register_fonts(), 7.5)
            self.setFillColor(colors.HexColor("#4a5160"))
            text = gettext("Page %(page)s of %(pages)s") % {"page": self._pageNumber, "pages": total}
            self.drawString(MARGIN, 10 * mm, footer)
            self.drawRightString(A4[0] - MARGIN, 10 * mm, text)

    return NumberedCanvas


def build(story: list, *, title: str, author: str = "Oversight", footer: str = "") -> bytes:
    """Render a story of flowables to A4 PDF bytes with page numbers (the document's metadata set)."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=title,
        author=author,
        creator="Oversight",
    )
    doc.build(story, canvasmaker=numbered_canvas(footer))
    return buffer.getvalue()


def usable_width() -> float:
    """The text width of an A4 page between the margins."""
    return A4[0] - 2 * MARGIN
