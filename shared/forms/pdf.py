"""The page model written as a PDF with fpdf2: embedded (subset) Noto Serif, vector codes.

Each text run is written as one string at its baseline, so text extraction gives back the
runs exactly (NFC, tone marks included). QR modules and barcode bars are filled rectangles:
sharp at any zoom and on any printer.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

from fpdf import FPDF

from shared.forms.fonts import FAMILY, STYLES, font_file
from shared.forms.page import FillItem, LineItem, Page, TextItem

_STYLE_CODES: Final = {"regular": "", "bold": "B", "italic": "I", "bolditalic": "BI"}


def write_pdf(pages: Sequence[Page], path: Path, *, title: str = "") -> Path:
    """Write ``pages`` to ``path`` (folders created); returns ``path``."""
    if not pages:
        raise ValueError("no pages to write")
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.set_creator("MotCua Queue")
    if title:
        pdf.set_title(title)
    for style in STYLES:
        pdf.add_font(FAMILY, _STYLE_CODES[style], str(font_file(style)))
    pdf.set_draw_color(0)
    pdf.set_fill_color(0)
    pdf.set_text_color(0)
    for page in pages:
        orientation = "L" if page.width > page.height else "P"
        pdf.add_page(orientation=orientation, format="A4")
        for item in page.items:
            if isinstance(item, TextItem):
                pdf.set_font(FAMILY, _STYLE_CODES[item.style], item.size)
                pdf.text(item.x, item.y, item.text)
            elif isinstance(item, LineItem):
                pdf.set_line_width(item.width)
                pdf.line(item.x1, item.y1, item.x2, item.y2)
            elif isinstance(item, FillItem):
                pdf.rect(item.x, item.y, item.w, item.h, style="F")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path
