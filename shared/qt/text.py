"""Text sized to its box with QFontMetrics, shared by the apps: tone marks never clip.

A size is accepted only when the glyphs' ink *and* the font's line height fit, so "Ễ", "Ộ" and
"g" all stay inside; ``tight`` measures the ink alone, right for plain digits (a called number),
wrong for Vietnamese words.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QFont, QFontMetricsF


def qfont(family: str, bold: bool, px: int) -> QFont:
    """A font of ``family`` at ``px`` pixels, unhinted (sizes scale smoothly)."""
    font = QFont(family)
    font.setPixelSize(max(1, px))
    font.setBold(bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def text_extent(fm: QFontMetricsF, text: str, tight: bool) -> tuple[float, float, float]:
    """(width, above baseline, below baseline) of ``text``; tone marks always included."""
    box = fm.tightBoundingRect(text)
    width = max(fm.horizontalAdvance(text), box.right())
    if tight:
        return width, -box.top(), max(box.bottom(), 0.0)
    return width, max(fm.ascent(), -box.top()), max(fm.descent(), box.bottom())


@lru_cache(maxsize=4096)
def fitted_size(
    family: str, bold: bool, text: str, width: int, height: int, max_px: int, tight: bool
) -> int:
    """The largest pixel size at which ``text`` fits ``width`` × ``height`` on one line."""
    lo, hi, best = 4, max(4, min(max_px, height * 2)), 4
    while lo <= hi:
        mid = (lo + hi) // 2
        w, up, down = text_extent(QFontMetricsF(qfont(family, bold, mid)), text, tight)
        if w <= width and up + down <= height:
            best, lo = mid, mid + 1
        else:
            hi = mid - 1
    return best
