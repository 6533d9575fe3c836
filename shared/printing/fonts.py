"""The shipped fonts (Noto Sans, OFL): loaded once per (style, size), with coverage checks."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Final

from PIL import ImageFont

from shared.resources import asset

REGULAR: Final = "NotoSans-Regular.ttf"
BOLD: Final = "NotoSans-Bold.ttf"

# A code point no font maps: FreeType draws the font's .notdef glyph (the "tofu" box) for it.
_UNMAPPED: Final = "\U000f0000"


def font_path(bold: bool = False) -> Path:
    """Path of the shipped regular or bold font."""
    return asset("fonts", BOLD if bold else REGULAR)


@lru_cache(maxsize=256)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The shipped Noto Sans at ``size`` pixels (= printer dots), cached by (size, style)."""
    if size < 1:
        raise ValueError(f"font size must be positive, not {size}")
    return ImageFont.truetype(str(font_path(bold)), size)


@lru_cache(maxsize=256)
def space_width(size: int, bold: bool = False) -> float:
    return font(size, bold).getlength(" ")


@lru_cache(maxsize=8)
def _notdef(bold: bool, size: int) -> tuple[tuple[int, int], bytes]:
    mask = font(size, bold).getmask(_UNMAPPED)
    return mask.size, bytes(mask)


def missing_glyphs(text: str, bold: bool = False) -> set[str]:
    """Characters of ``text`` the font has no glyph for (they would print as a box).

    Pillow exposes no character map, so each character is drawn and compared with the font's
    .notdef glyph; white space and control characters are skipped.
    """
    size = 48
    notdef = _notdef(bold, size)
    missing: set[str] = set()
    for char in set(text):
        if char.isspace() or not char.isprintable():
            continue
        mask = font(size, bold).getmask(char)
        if (mask.size, bytes(mask)) == notdef:
            missing.add(char)
    return missing
