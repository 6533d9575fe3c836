"""The forms' serif font (Noto Serif, OFL): exact metrics read from the TTF files.

Widths come from the fonts' own advance widths (``hmtx``), the numbers fpdf2 writes into the
PDF, so a line measured here is exactly as long in the PDF; the PNG renderer draws with Pillow
at the same positions. Vertical ink extents come from each glyph's outline box, so the page
model knows how far stacked Vietnamese marks ("Ễ", "Ỗ") reach above the baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final, Literal

from fontTools.ttLib import TTFont
from PIL import ImageFont

from shared.resources import asset

Style = Literal["regular", "bold", "italic", "bolditalic"]
STYLES: Final[tuple[Style, ...]] = ("regular", "bold", "italic", "bolditalic")
FILES: Final[dict[Style, str]] = {
    "regular": "NotoSerif-Regular.ttf",
    "bold": "NotoSerif-Bold.ttf",
    "italic": "NotoSerif-Italic.ttf",
    "bolditalic": "NotoSerif-BoldItalic.ttf",
}
FAMILY: Final = "NotoSerif"
MM_PER_PT: Final = 25.4 / 72
REPLACEMENT: Final = "?"
"""Printed instead of a character the font cannot draw (never a blank box)."""


def font_file(style: Style) -> Path:
    return asset("fonts", FILES[style])


@dataclass(frozen=True)
class FontMetrics:
    """Advance widths and ink extents of one style, in font units."""

    style: Style
    units_per_em: int
    ascent: int
    """Font ascent (hhea): where line boxes start."""
    descent: int
    """Font descent (hhea), positive."""
    advances: dict[int, int]
    tops: dict[int, int]
    bottoms: dict[int, int]

    def has(self, char: str) -> bool:
        return ord(char) in self.advances

    def width(self, text: str, size_pt: float) -> float:
        """Advance width of ``text`` at ``size_pt``, in millimetres."""
        units = sum(self.advances.get(ord(char), 0) for char in text)
        return units * size_pt * MM_PER_PT / self.units_per_em

    def ink(self, text: str, size_pt: float) -> tuple[float, float]:
        """How far the ink of ``text`` reaches above and below the baseline, in mm (>= 0)."""
        scale = size_pt * MM_PER_PT / self.units_per_em
        top = max((self.tops.get(ord(char), 0) for char in text), default=0)
        bottom = min((self.bottoms.get(ord(char), 0) for char in text), default=0)
        return max(0, top) * scale, max(0, -bottom) * scale

    def em(self, size_pt: float) -> float:
        return size_pt * MM_PER_PT


@lru_cache(maxsize=4)
def metrics(style: Style = "regular") -> FontMetrics:
    """Metrics of the shipped Noto Serif ``style`` (read once)."""
    font = TTFont(str(font_file(style)), lazy=True)
    try:
        cmap = font.getBestCmap()
        hmtx = font["hmtx"].metrics
        glyf = font["glyf"]
        advances: dict[int, int] = {}
        tops: dict[int, int] = {}
        bottoms: dict[int, int] = {}
        for code, name in cmap.items():
            advances[code] = hmtx[name][0]
            glyph = glyf[name]
            if getattr(glyph, "numberOfContours", 0):
                tops[code] = int(glyph.yMax)
                bottoms[code] = int(glyph.yMin)
        return FontMetrics(
            style=style,
            units_per_em=int(font["head"].unitsPerEm),
            ascent=int(font["hhea"].ascent),
            descent=-int(font["hhea"].descent),
            advances=advances,
            tops=tops,
            bottoms=bottoms,
        )
    finally:
        font.close()


def printable(text: str, style: Style = "regular") -> str:
    """``text`` with every character the font lacks replaced by :data:`REPLACEMENT`."""
    font = metrics(style)
    return "".join(char if font.has(char) else REPLACEMENT for char in text)


@lru_cache(maxsize=64)
def pillow_font(style: Style, size_px: float) -> ImageFont.FreeTypeFont:
    """The same font for Pillow at ``size_px`` pixels (fractional sizes allowed)."""
    return ImageFont.truetype(str(font_file(style)), size_px, layout_engine=ImageFont.Layout.BASIC)
