"""The pieces of the waiting-room screen: thin widgets that draw a :class:`~shared.board.Board`.

Every text is sized with QFontMetrics to fit its box (the largest size that fits, tone marks
included), in the shipped Noto Sans. Vietnamese first, English small underneath. Colours: white
and yellow on dark navy; state is always written out too (a highlight says "MỜI SỐ", a paused
counter says "Tạm dừng"), never shown by colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from shared.board import Board, Call, CounterTile
from shared.i18n import tr
from shared.qt.text import fitted_size, qfont, text_extent

# --- colours ---------------------------------------------------------------------------------

NAVY = QColor("#0a1a33")
PANEL = QColor("#12294d")
PANEL_DIM = QColor("#0e2140")
LINE = QColor("#2f4f80")
WHITE = QColor("#ffffff")
YELLOW = QColor("#ffd400")
MUTED = QColor("#b9c8e0")
BANNER = QColor("#ffb300")
BLACK = QColor("#000000")


def vi(key: str, **params: object) -> str:
    return tr(key, language="vi", **params)


def en(key: str, **params: object) -> str:
    return tr(key, language="en", **params)


# --- fitting text ----------------------------------------------------------------------------


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
    tight: bool = False,
) -> int:
    """Draw ``text`` as large as fits in ``rect`` (at most ``max_px``); return the size used.

    ``tight`` sizes by the ink of the glyphs rather than the font's line height: right for
    plain digits and letters without marks (the called number), wrong for Vietnamese words.
    """
    if not text or rect.width() < 2 or rect.height() < 2:
        return 0
    px = fitted_size(family, bold, text, int(rect.width()), int(rect.height()), int(max_px), tight)
    font = qfont(family, bold, px)
    fm = QFontMetricsF(font)
    width, up, down = text_extent(fm, text, tight)
    if align & Qt.AlignmentFlag.AlignLeft:
        x = rect.left()
    elif align & Qt.AlignmentFlag.AlignRight:
        x = rect.right() - width
    else:
        x = rect.left() + (rect.width() - width) / 2
    y = rect.top() + (rect.height() - (up + down)) / 2 + up
    painter.setFont(font)
    painter.setPen(color)
    painter.drawText(QPointF(x, y), text)
    return px


def is_plain(text: str) -> bool:
    """Digits and ASCII letters only: safe to size by the ink (no tone marks)."""
    return text.isascii()


class _Painted(QWidget):
    """A widget that paints itself with the display's font family (subclasses: ``paint``)."""

    def __init__(self, family: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.family = family
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        self.paint()

    def paint(self) -> None:
        raise NotImplementedError

    def _painter(self) -> QPainter:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        return painter


# --- header ----------------------------------------------------------------------------------


def date_line(moment: datetime) -> str:
    """ "Thứ Tư, 21/05/2025"."""
    return vi(
        "display.date",
        weekday=vi(f"display.weekday.{moment.weekday()}"),
        day=moment.day,
        month=moment.month,
        year=moment.year,
    )


class HeaderBar(_Painted):
    """The centre's name, the date with its weekday, and a clock."""

    def __init__(
        self, board: Board, family: str, now: Callable[[], datetime], parent: QWidget | None = None
    ) -> None:
        super().__init__(family, parent)
        self.board = board
        self.now = now
        self._minute = ""
        # Signals
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.on_tick_elapsed)
        self._timer.start()

    def clock_text(self) -> str:
        return f"{self.now():%H:%M}"

    def date_text(self) -> str:
        return date_line(self.now())

    def on_tick_elapsed(self) -> None:
        minute = self.clock_text()
        if minute != self._minute:
            self._minute = minute
            self.update()

    def paint(self) -> None:
        p = self._painter()
        r = QRectF(self.rect())
        p.fillRect(r, PANEL)
        p.fillRect(QRectF(r.left(), r.bottom() - 3, r.width(), 4), YELLOW)
        pad = r.height() * 0.12
        left = Qt.AlignmentFlag.AlignLeft
        right = Qt.AlignmentFlag.AlignRight
        stacked = r.width() / max(r.height(), 1.0) < 12
        if stacked:
            # Narrow (portrait) screen: the clock over the date, the name gets the width.
            block_w = r.width() * 0.3
            block = QRectF(r.right() - block_w - pad, pad * 0.5, block_w, r.height() - pad)
            clock_box = QRectF(block.left(), block.top(), block.width(), block.height() * 0.66)
            date_box = QRectF(
                block.left(), clock_box.bottom(), block.width(), block.height() * 0.34
            )
            name_w = r.width() - block_w - 3 * pad
        else:
            clock_w = r.height() * 2.4
            date_w = r.width() * 0.24
            clock_box = QRectF(r.right() - clock_w - pad, pad, clock_w, r.height() - 2 * pad)
            date_box = QRectF(clock_box.left() - date_w - pad, pad, date_w, r.height() - 2 * pad)
            name_w = r.width() - clock_w - date_w - 4 * pad
        name_box = QRectF(pad, pad, name_w, r.height() - 2 * pad)
        name, name_en = self.board.centre_name, self.board.centre_name_en
        if name_en:
            main = QRectF(
                name_box.left(), name_box.top(), name_box.width(), name_box.height() * 0.64
            )
            sub = QRectF(name_box.left(), main.bottom(), name_box.width(), name_box.height() * 0.36)
            draw_text(p, main, name, self.family, bold=True, align=left)
            draw_text(p, sub, name_en, self.family, color=MUTED, align=left)
        else:
            draw_text(p, name_box, name, self.family, bold=True, align=left)
        date_px = int(date_box.height() if stacked else r.height() * 0.36)
        draw_text(p, date_box, self.date_text(), self.family, align=right, max_px=date_px)
        draw_text(
            p,
            clock_box,
            self.clock_text(),
            self.family,
            color=YELLOW,
            bold=True,
            tight=True,
            align=right if stacked else Qt.AlignmentFlag.AlignCenter,
        )
        p.end()


# --- the latest call -------------------------------------------------------------------------


class CallPanel(_Painted):
    """The latest call, very large: "MỜI SỐ / 1023 / → QUẦY 5"; inverse colours while new."""

    number_painted = Signal(str)
    """A frame showing this number was painted (latency measurements hook on it)."""

    def __init__(self, board: Board, family: str, parent: QWidget | None = None) -> None:
        super().__init__(family, parent)
        self.board = board
        self.highlighted = False
        self._blink_on = True
        # Signals
        self._blink = QTimer(self)
        self._blink.setInterval(500)
        self._blink.timeout.connect(self.on_blink_elapsed)

    def set_highlighted(self, on: bool) -> None:
        self.highlighted = on
        self._blink_on = True
        if on:
            self._blink.start()
        else:
            self._blink.stop()
        self.update()

    def on_blink_elapsed(self) -> None:
        self._blink_on = not self._blink_on
        self.update()

    def number_text(self) -> str:
        call = self.board.latest
        return call.number if call is not None else ""

    def counter_text(self) -> str:
        call = self.board.latest
        return vi("display.arrow_counter", counter=call.counter) if call is not None else ""

    def paint(self) -> None:
        p = self._painter()
        r = QRectF(self.rect())
        call = self.board.latest
        hot = self.highlighted and call is not None
        background, ink, accent = (YELLOW, NAVY, NAVY) if hot else (NAVY, WHITE, YELLOW)
        p.fillRect(r, background)
        border = max(6.0, r.height() * 0.018)
        if hot and self._blink_on:
            pen = QPen(WHITE if not hot else NAVY, border * 1.6)
            p.setPen(pen)
            inset = border * 0.8
            p.drawRect(r.adjusted(inset, inset, -inset, -inset))
        else:
            p.setPen(QPen(LINE, border / 2))
            p.drawRect(r.adjusted(border / 4, border / 4, -border / 4, -border / 4))
        pad = border * 3
        inner = r.adjusted(pad, pad * 0.6, -pad, -pad * 0.6)
        h = inner.height()
        if call is None:
            draw_text(p, inner, vi("display.no_calls"), self.family, color=MUTED)
            p.end()
            self.number_painted.emit("")
            return
        title_key = "display.recall" if call.recall else "display.now_calling"
        title = QRectF(inner.left(), inner.top(), inner.width(), h * 0.13)
        draw_text(p, title, vi(title_key), self.family, color=accent, bold=True)
        title_en = QRectF(inner.left(), title.bottom(), inner.width(), h * 0.06)
        draw_text(p, title_en, en(title_key), self.family, color=ink)
        number_box = QRectF(inner.left(), title_en.bottom() + h * 0.02, inner.width(), h * 0.5)
        draw_text(
            p,
            number_box,
            call.number,
            self.family,
            color=ink,
            bold=True,
            tight=is_plain(call.number),
        )
        counter_box = QRectF(inner.left(), number_box.bottom() + h * 0.03, inner.width(), h * 0.2)
        draw_text(p, counter_box, self.counter_text(), self.family, color=accent, bold=True)
        counter_en = QRectF(inner.left(), counter_box.bottom(), inner.width(), h * 0.06)
        draw_text(
            p, counter_en, en("display.to_counter", counter=call.counter), self.family, color=ink
        )
        p.end()
        self.number_painted.emit(call.number)


# --- counters --------------------------------------------------------------------------------


def tile_state_text(tile: CounterTile) -> tuple[str, str]:
    """(Vietnamese, English) of what a tile shows in its number box."""
    if tile.paused:
        return vi("display.paused"), en("display.paused")
    if tile.serving:
        return tile.serving, ""
    return vi("display.free"), ""


class CounterGrid(_Painted):
    """The "now serving" number of every counter shown: "Quầy 05 – 1023", or "Tạm dừng"."""

    def __init__(self, board: Board, family: str, parent: QWidget | None = None) -> None:
        super().__init__(family, parent)
        self.board = board
        self.columns = 2
        self.hot_counter: int | None = None
        """The counter of the call highlighted now (its tile is drawn inverse too)."""

    def set_columns(self, columns: int) -> None:
        self.columns = max(1, columns)
        self.update()

    def tile_texts(self) -> list[str]:
        """Each tile as one line, e.g. "Quầy 05 – 1023" (for tests and accessibility)."""
        return [
            f"{vi('display.counter', counter=t.number)} – {tile_state_text(t)[0]}"
            for t in self.board.tiles()
        ]

    def paint(self) -> None:
        p = self._painter()
        r = QRectF(self.rect())
        p.fillRect(r, NAVY)
        head = QRectF(r.left(), r.top(), r.width(), min(r.height() * 0.12, 80.0))
        draw_text(
            p,
            head.adjusted(8, 4, -8, -4),
            f"{vi('display.serving')}  ·  {en('display.serving')}",
            self.family,
            color=MUTED,
            bold=True,
            align=Qt.AlignmentFlag.AlignLeft,
        )
        tiles = self.board.tiles()
        if not tiles:
            p.end()
            return
        cols = min(self.columns, len(tiles))
        rows = math.ceil(len(tiles) / cols)
        area = QRectF(r.left(), head.bottom(), r.width(), r.height() - head.height())
        gap = max(6.0, min(area.width(), area.height()) * 0.015)
        tw = (area.width() - gap * (cols - 1)) / cols
        th = (area.height() - gap * (rows - 1)) / rows
        # One size for every tile's label and number, so the grid reads evenly.
        for i, tile in enumerate(tiles):
            row, col = divmod(i, cols)
            box = QRectF(area.left() + col * (tw + gap), area.top() + row * (th + gap), tw, th)
            self._paint_tile(p, box, tile)
        p.end()

    def _paint_tile(self, p: QPainter, box: QRectF, tile: CounterTile) -> None:
        hot = tile.number == self.hot_counter
        background = YELLOW if hot else (PANEL_DIM if tile.paused else PANEL)
        ink = NAVY if hot else WHITE
        p.fillRect(box, background)
        if tile.paused:
            p.setPen(QPen(MUTED, 3, Qt.PenStyle.DashLine))
            p.drawRect(box.adjusted(2, 2, -2, -2))
        pad = min(box.width(), box.height()) * 0.08
        side = max(pad, box.width() * 0.06)
        inner = box.adjusted(side, pad * 0.6, -side, -pad * 0.6)
        label = vi("display.counter", counter=tile.number)
        state, state_en = tile_state_text(tile)
        number_color = ink if (tile.paused or hot) else YELLOW
        if inner.width() / max(inner.height(), 1.0) > 2.4:
            left = QRectF(inner.left(), inner.top(), inner.width() * 0.38, inner.height())
            right = QRectF(
                left.right() + inner.width() * 0.05,
                inner.top(),
                inner.width() * 0.57,
                inner.height(),
            )
            draw_text(p, left, label, self.family, color=ink, align=Qt.AlignmentFlag.AlignLeft)
            self._paint_state(p, right, state, state_en, number_color, Qt.AlignmentFlag.AlignRight)
        else:
            top = QRectF(inner.left(), inner.top(), inner.width(), inner.height() * 0.34)
            bottom = QRectF(inner.left(), top.bottom(), inner.width(), inner.height() * 0.66)
            draw_text(p, top, label, self.family, color=ink)
            self._paint_state(
                p, bottom, state, state_en, number_color, Qt.AlignmentFlag.AlignCenter
            )

    def _paint_state(
        self,
        p: QPainter,
        box: QRectF,
        state: str,
        state_en: str,
        color: QColor,
        align: Qt.AlignmentFlag,
    ) -> None:
        if state_en:
            main = QRectF(box.left(), box.top(), box.width(), box.height() * 0.62)
            sub = QRectF(box.left(), main.bottom(), box.width(), box.height() * 0.38)
            draw_text(p, main, state, self.family, color=color, bold=True, align=align)
            draw_text(p, sub, state_en, self.family, color=color, align=align)
        else:
            draw_text(
                p,
                box,
                state,
                self.family,
                color=color,
                bold=True,
                align=align,
                tight=is_plain(state),
            )


# --- recent calls ----------------------------------------------------------------------------


class RecentList(_Painted):
    """The last calls, most recent first: "1023" over "Quầy 05", in a grid of cells."""

    def __init__(self, board: Board, family: str, parent: QWidget | None = None) -> None:
        super().__init__(family, parent)
        self.board = board
        self.columns = 6
        self.rows = 1

    def set_grid(self, columns: int, rows: int) -> None:
        self.columns, self.rows = max(1, columns), max(1, rows)
        self.update()

    def calls(self) -> list[Call]:
        return self.board.earlier()[: self.columns * self.rows]

    def row_texts(self) -> list[str]:
        return [f"{c.number} → {vi('display.counter', counter=c.counter)}" for c in self.calls()]

    def paint(self) -> None:
        p = self._painter()
        r = QRectF(self.rect())
        p.fillRect(r, NAVY)
        title_w = r.width() * (0.16 if self.rows == 1 else 1.0)
        title_h = r.height() if self.rows == 1 else min(r.height() * 0.18, 80.0)
        title = QRectF(r.left(), r.top(), title_w, title_h).adjusted(8, 4, -8, -4)
        self._paint_title(p, title)
        if self.rows == 1:
            area = QRectF(title.right() + 12, r.top(), r.width() - title_w - 12, r.height())
        else:
            area = QRectF(r.left(), r.top() + title_h, r.width(), r.height() - title_h)
        gap = max(6.0, min(area.width(), area.height()) * 0.03)
        cw = (area.width() - gap * (self.columns - 1)) / self.columns
        ch = (area.height() - gap * (self.rows - 1)) / self.rows
        for i, call in enumerate(self.calls()):
            row, col = divmod(i, self.columns)
            box = QRectF(area.left() + col * (cw + gap), area.top() + row * (ch + gap), cw, ch)
            p.fillRect(box, PANEL)
            inner = box.adjusted(box.width() * 0.06, box.height() * 0.06, -box.width() * 0.06, 0)
            num = QRectF(inner.left(), inner.top(), inner.width(), inner.height() * 0.6)
            draw_text(
                p,
                num,
                call.number,
                self.family,
                color=YELLOW,
                bold=True,
                tight=is_plain(call.number),
            )
            lab = QRectF(inner.left(), num.bottom(), inner.width(), inner.height() * 0.34)
            draw_text(p, lab, vi("display.arrow_counter", counter=call.counter), self.family)
        p.end()

    def _paint_title(self, p: QPainter, box: QRectF) -> None:
        if self.rows == 1:
            main = QRectF(box.left(), box.top(), box.width(), box.height() * 0.55)
            sub = QRectF(box.left(), main.bottom(), box.width(), box.height() * 0.3)
            draw_text(
                p,
                main,
                vi("display.recent"),
                self.family,
                color=MUTED,
                bold=True,
                max_px=int(box.height() * 0.3),
            )
            draw_text(
                p,
                sub,
                en("display.recent"),
                self.family,
                color=MUTED,
                max_px=int(box.height() * 0.2),
            )
        else:
            draw_text(
                p,
                box,
                f"{vi('display.recent')}  ·  {en('display.recent')}",
                self.family,
                color=MUTED,
                bold=True,
                align=Qt.AlignmentFlag.AlignLeft,
            )


# --- notice and banner -----------------------------------------------------------------------


class NoticeTicker(_Painted):
    """The notice text from the settings, scrolling right to left."""

    SPEED = 120.0
    """Pixels per second."""

    def __init__(self, text: str, family: str, parent: QWidget | None = None) -> None:
        super().__init__(family, parent)
        self.text = " ".join(text.split())
        self.offset = 0.0
        # Signals
        self._timer = QTimer(self)
        self._timer.setInterval(33)
        self._timer.timeout.connect(self.on_frame_elapsed)
        if self.text:
            self._timer.start()

    def on_frame_elapsed(self) -> None:
        self.offset += self.SPEED * self._timer.interval() / 1000
        self.update()

    def paint(self) -> None:
        p = self._painter()
        r = QRectF(self.rect())
        p.fillRect(r, PANEL)
        p.fillRect(QRectF(r.left(), r.top(), r.width(), 3), YELLOW)
        px = fitted_size(self.family, False, "ẤỖyg", 10_000, int(r.height() * 0.8), 10_000, False)
        font = qfont(self.family, False, px)
        fm = QFontMetricsF(font)
        spacing = r.height() * 3
        span = fm.horizontalAdvance(self.text) + spacing
        y = r.top() + (r.height() - fm.height()) / 2 + fm.ascent()
        x = r.width() * 0.3 - (self.offset % span)
        p.setFont(font)
        p.setPen(WHITE)
        while x < r.width():
            p.drawText(QPointF(x, y), self.text)
            x += span
        p.end()


class Banner(_Painted):
    """ "Mất kết nối – đang kết nối lại…" across the screen while the feed is down."""

    def paint(self) -> None:
        p = self._painter()
        r = QRectF(self.rect())
        p.fillRect(r, BANNER)
        pad = r.height() * 0.1
        main = QRectF(pad, pad, r.width() - 2 * pad, (r.height() - 2 * pad) * 0.62)
        sub = QRectF(pad, main.bottom(), r.width() - 2 * pad, (r.height() - 2 * pad) * 0.38)
        draw_text(p, main, vi("display.disconnected"), self.family, color=BLACK, bold=True)
        draw_text(p, sub, en("display.disconnected"), self.family, color=BLACK)
        p.end()

    def text(self) -> str:
        return vi("display.disconnected")


def grid_columns(count: int, width: float, height: float, target_ratio: float) -> int:
    """Columns for ``count`` tiles in ``width`` × ``height`` so tiles are near ``target_ratio``
    (width / height)."""
    if count <= 0:
        return 1
    best, best_score = 1, math.inf
    for cols in range(1, count + 1):
        rows = math.ceil(count / cols)
        ratio = (width / cols) / (height / rows)
        score = abs(math.log(ratio / target_ratio)) + 0.05 * (cols * rows - count)
        if score < best_score:
            best, best_score = cols, score
    return best


__all__: Sequence[str] = (
    "Banner",
    "CallPanel",
    "CounterGrid",
    "HeaderBar",
    "NoticeTicker",
    "RecentList",
    "date_line",
    "draw_text",
    "fitted_size",
    "grid_columns",
)
