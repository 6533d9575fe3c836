"""Painting helpers: colours, and text sized with QFontMetrics so tone marks never clip.

Text is drawn as large as fits its box (bounded by a maximum), on one line or wrapped on two when
that gives a larger size. Sizes are measured with the ink of the glyphs *and* the font's line
height, so "Ễ", "Ộ" and "g" all stay inside.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter

from shared.qt.text import qfont, text_extent

NAVY = QColor("#0a1a33")
PANEL = QColor("#12294d")
WHITE = QColor("#ffffff")
INK = QColor("#0a1a33")
CARD = QColor("#ffffff")
CARD_DOWN = QColor("#d6e4ff")
CARD_OFF = QColor("#5b6b82")
INK_OFF = QColor("#f0f0f0")
YELLOW = QColor("#ffd400")
MUTED = QColor("#c9d6ea")
BLUE = QColor("#0b57d0")
ALERT = QColor("#ffb300")
BLACK = QColor("#000000")


font = qfont


def _fits(family: str, bold: bool, px: int, lines: tuple[str, ...], w: float, h: float) -> bool:
    fm = QFontMetricsF(font(family, bold, px))
    total = 0.0
    for line in lines:
        lw, up, down = text_extent(fm, line, False)
        if lw > w:
            return False
        total += up + down
    return total <= h


@lru_cache(maxsize=8192)
def fitted_lines(
    family: str, bold: bool, text: str, width: int, height: int, max_px: int, max_lines: int
) -> tuple[int, tuple[str, ...]]:
    """The largest pixel size and line split (at most ``max_lines``) at which ``text`` fits."""
    words = text.split()
    candidates: list[tuple[str, ...]] = [(text,)]
    if max_lines >= 2 and len(words) > 1:
        for i in range(1, len(words)):
            candidates.append((" ".join(words[:i]), " ".join(words[i:])))
    if max_lines >= 3 and len(words) > 2:
        for i in range(1, len(words) - 1):
            for j in range(i + 1, len(words)):
                candidates.append((" ".join(words[:i]), " ".join(words[i:j]), " ".join(words[j:])))
    # The largest size wins; at equal size, fewer lines, then the most even lines (no lone
    # first word on a line of its own).
    best_px, best, best_w = 4, (text,), float("inf")
    for lines in candidates:
        if not _fits(family, bold, best_px, lines, width, height):
            continue
        lo, hi, found = best_px, max(4, max_px), best_px
        while lo <= hi:
            mid = (lo + hi) // 2
            if _fits(family, bold, mid, lines, width, height):
                found, lo = mid, mid + 1
            else:
                hi = mid - 1
        fm = QFontMetricsF(font(family, bold, found))
        widest = max(fm.horizontalAdvance(line) for line in lines)
        if found > best_px or (found == best_px and (len(lines), widest) < (len(best), best_w)):
            best_px, best, best_w = found, lines, widest
    return best_px, best


def draw_text(
    painter: QPainter,
    rect: QRectF,
    text: str,
    family: str,
    *,
    color: QColor = WHITE,
    bold: bool = False,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter,
    max_px: int = 10_000,
    max_lines: int = 1,
    tight: bool = False,
) -> int:
    """Draw ``text`` as large as fits ``rect`` (≤ ``max_px``); return the pixel size used.

    ``tight`` sizes a single line by its ink (plain digits and ASCII letters, e.g. "A012").
    """
    if not text or rect.width() < 2 or rect.height() < 2:
        return 0
    if tight:
        px = _tight_size(family, bold, text, int(rect.width()), int(rect.height()), max_px)
        lines: tuple[str, ...] = (text,)
    else:
        px, lines = fitted_lines(
            family, bold, text, int(rect.width()), int(rect.height()), int(max_px), max_lines
        )
    f = font(family, bold, px)
    fm = QFontMetricsF(f)
    extents = [text_extent(fm, line, tight) for line in lines]
    total = sum(up + down for _, up, down in extents)
    y = rect.top() + (rect.height() - total) / 2
    painter.setFont(f)
    painter.setPen(color)
    for line, (width, up, down) in zip(lines, extents, strict=True):
        if align & Qt.AlignmentFlag.AlignLeft:
            x = rect.left()
        elif align & Qt.AlignmentFlag.AlignRight:
            x = rect.right() - width
        else:
            x = rect.left() + (rect.width() - width) / 2
        painter.drawText(QPointF(x, y + up), line)
        y += up + down
    return px


@lru_cache(maxsize=1024)
def _tight_size(family: str, bold: bool, text: str, width: int, height: int, max_px: int) -> int:
    lo, hi, best = 4, max(4, min(max_px, height * 2)), 4
    while lo <= hi:
        mid = (lo + hi) // 2
        w, up, down = text_extent(QFontMetricsF(font(family, bold, mid)), text, True)
        if w <= width and up + down <= height:
            best, lo = mid, mid + 1
        else:
            hi = mid - 1
    return best


def painter_for(device: object) -> QPainter:
    p = QPainter(device)  # type: ignore[call-overload]
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    return p
