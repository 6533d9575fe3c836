"""The kiosk's touch buttons and the painting they share.

Every button is a painted rounded card: :func:`paint_card` starts it (frame, fill, corners),
each button draws its content inside. Services are white cards with dark text (grey with the
reason when they cannot be taken now), the priority entry and the groups yellow with black text,
the switches of the bar (language, larger text) yellow when selected and outlined when not.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton, QWidget

from kiosk.model import GroupChoice, ServiceChoice, wait_text, waiting_text
from kiosk.paint import (
    BLACK,
    CARD,
    CARD_DOWN,
    CARD_OFF,
    INK,
    INK_OFF,
    MUTED,
    NAVY,
    PANEL,
    WHITE,
    YELLOW,
    draw_text,
    fitted_lines,
    painter_for,
)
from shared.i18n import tr

LEFT = Qt.AlignmentFlag.AlignLeft
RIGHT = Qt.AlignmentFlag.AlignRight
CENTER = Qt.AlignmentFlag.AlignCenter


def paint_card(
    widget: QWidget,
    inset: float,
    fill: QColor,
    frame: QColor,
    frame_width: float,
    radius: float,
    *,
    radius_share: float | None = None,
) -> tuple[QPainter, QRectF]:
    """Start painting ``widget`` as a rounded card: ``fill`` inside a ``frame`` line of
    ``frame_width``, ``inset`` pixels in from the widget's edges. The corners are ``radius``
    round, or less when ``radius_share`` of the card's height is smaller. Returns the painter
    (the caller ends it) and the card's rectangle."""
    p = painter_for(widget)
    r = QRectF(widget.rect()).adjusted(inset, inset, -inset, -inset)
    if radius_share is not None:
        radius = min(r.height() * radius_share, radius)
    p.setPen(QPen(frame, frame_width))
    p.setBrush(fill)
    p.drawRoundedRect(r, radius, radius)
    return p, r


class TouchButton(QAbstractButton):
    """A large painted touch target. ``unavailable`` draws it grey (and it is disabled)."""

    def __init__(self, family: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.family = family
        self.language = "vi"
        self.large = False
        self.unavailable = False
        self.selected = False
        self.detail_px = 0
        self.clock: Callable[[], datetime] | None = None
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def colours(self) -> tuple[QColor, QColor]:
        if self.unavailable:
            return CARD_OFF, INK_OFF
        if self.isDown():
            return CARD_DOWN, INK
        return CARD, INK

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        fill, ink = self.colours()
        frame = WHITE if self.unavailable else fill
        p, r = paint_card(self, 2, fill, frame, 3, 24.0, radius_share=0.12)
        self.paint_content(p, r.adjusted(r.height() * 0.14, 0, -r.height() * 0.14, 0), ink)
        p.end()

    def paint_content(self, p: object, r: QRectF, ink: QColor) -> None:
        draw_text(
            p,
            r.adjusted(0, r.height() * 0.15, 0, -r.height() * 0.15),
            self.text(),
            self.family,
            color=ink,
            bold=True,
            max_px=int(r.height() * 0.5),
        )


class ServiceButton(TouchButton):
    """One service: its name, people waiting and the estimated wait, or why it is unavailable."""

    def __init__(self, choice: ServiceChoice, family: str, parent: QWidget | None = None) -> None:
        super().__init__(family, parent)
        self.choice = choice
        self.set_choice(choice)

    def set_choice(self, choice: ServiceChoice) -> None:
        self.choice = choice
        self.unavailable = not choice.available
        self.setEnabled(choice.available)
        self.update()

    def detail_lines(self) -> tuple[str, str]:
        lang = self.language
        if self.unavailable:
            now = self.clock() if self.clock is not None else None
            return self.choice.reason_lines(lang, now)
        if self.choice.offline_left is not None:  # the server is away: nothing known of the queue
            return tr("kiosk.offline.card", language=lang), ""
        waiting = self.choice.waiting
        return waiting_text(waiting, lang), wait_text(self.choice.estimate(), lang)

    def paint_content(self, p: object, r: QRectF, ink: QColor) -> None:
        if self.large:
            self._paint_large(p, r, ink)
            return
        h = r.height()
        name_w = r.width() * 0.56
        max_px = int(min(h * 0.42, 64))
        name = QRectF(r.left(), r.top() + h * 0.08, name_w, h * 0.84)
        self._paint_name(p, name, ink, max_px)
        first, second = self.detail_lines()
        top, bottom = self._detail_boxes(r)
        small = self.detail_px or self._detail_max(h)
        draw_text(p, top, first, self.family, color=ink, bold=True, align=RIGHT, max_px=small)
        draw_text(p, bottom, second, self.family, color=ink, align=RIGHT, max_px=small)

    def _paint_large(self, p: object, r: QRectF, ink: QColor) -> None:
        """Larger-text mode: the name across the whole card, the figures on one line under it."""
        h = r.height()
        name = QRectF(r.left(), r.top() + h * 0.06, r.width(), h * 0.56)
        self._paint_name(p, name, ink, int(min(h * 0.5, 96)))
        first, second = self.detail_lines()
        detail = QRectF(r.left(), name.bottom() + h * 0.02, r.width(), h * 0.34)
        half = detail.width() * 0.5
        left = QRectF(detail.left(), detail.top(), half - h * 0.1, detail.height())
        right = QRectF(detail.left() + half, detail.top(), half, detail.height())
        size = int(min(h * 0.32, 60))
        draw_text(p, left, first, self.family, color=ink, bold=True, align=LEFT, max_px=size)
        draw_text(p, right, second, self.family, color=ink, align=RIGHT, max_px=size)

    def _paint_name(self, p: object, box: QRectF, ink: QColor, max_px: int) -> None:
        """The service's name in ``box``: bold, on the left, on two lines when that is larger."""
        draw_text(
            p,
            box,
            self.choice.label(self.language),
            self.family,
            color=ink,
            bold=True,
            align=LEFT,
            max_px=max_px,
            max_lines=2,
        )

    @staticmethod
    def _detail_max(h: float) -> int:
        return int(min(h * 0.3, 46))

    def _detail_boxes(self, r: QRectF) -> tuple[QRectF, QRectF]:
        h = r.height()
        name_w = r.width() * 0.56
        detail = QRectF(
            r.left() + name_w + h * 0.2, r.top() + h * 0.12, r.width() - name_w - h * 0.2, h * 0.76
        )
        top = QRectF(detail.left(), detail.top(), detail.width(), detail.height() * 0.52)
        bottom = QRectF(detail.left(), top.bottom(), detail.width(), detail.height() * 0.48)
        return top, bottom

    def detail_fit(self) -> int:
        """The largest size at which both detail lines fit (the screen uses the smallest of all
        buttons, so every button's figures have the same size)."""
        r = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        r = r.adjusted(r.height() * 0.14, 0, -r.height() * 0.14, 0)
        boxes = self._detail_boxes(r)
        sizes = [
            fitted_lines(
                self.family,
                True,
                text,
                int(box.width()),
                int(box.height()),
                self._detail_max(r.height()),
                1,
            )[0]
            for text, box in zip(self.detail_lines(), boxes, strict=True)
        ]
        return min(sizes)


class PriorityButton(TouchButton):
    """The separate "ƯU TIÊN / PRIORITY" entry: yellow, black text, the groups underneath."""

    def colours(self) -> tuple[QColor, QColor]:
        return (QColor("#ffe766") if self.isDown() else YELLOW), BLACK

    def paint_content(self, p: object, r: QRectF, ink: QColor) -> None:
        h = r.height()
        title = QRectF(r.left(), r.top() + h * 0.08, r.width(), h * 0.5)
        hint = QRectF(r.left(), title.bottom(), r.width(), h * 0.34)
        draw_text(
            p,
            title,
            tr("kiosk.priority.button", language=self.language),
            self.family,
            color=ink,
            bold=True,
            max_px=int(h * 0.46),
        )
        draw_text(
            p,
            hint,
            tr("kiosk.priority.hint", language=self.language),
            self.family,
            color=ink,
            max_px=int(min(h * 0.2, 34)),
            max_lines=2,
        )


class LookupEntryButton(TouchButton):
    """The separate "TRA CỨU HỒ SƠ / TRACK A DOSSIER" entry: navy with a white frame and a
    drawn magnifier, so it never looks like a service."""

    def colours(self) -> tuple[QColor, QColor]:
        return (NAVY if self.isDown() else PANEL), WHITE

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        fill, ink = self.colours()
        p, r = paint_card(self, 3, fill, WHITE, 4, 24.0, radius_share=0.12)
        h = r.height()
        icon = QRectF(r.left() + h * 0.14, r.top() + h * 0.22, h * 0.56, h * 0.56)
        draw_magnifier(p, icon, YELLOW)
        text = QRectF(icon.right() + h * 0.14, r.top(), r.right() - icon.right() - h * 0.24, h)
        title = QRectF(text.left(), text.top() + h * 0.1, text.width(), h * 0.46)
        hint = QRectF(text.left(), title.bottom(), text.width(), h * 0.32)
        draw_text(
            p,
            title,
            tr("kiosk.lookup.button", language=self.language),
            self.family,
            color=ink,
            bold=True,
            align=LEFT,
            max_px=int(h * 0.4),
        )
        draw_text(
            p,
            hint,
            tr("kiosk.lookup.button_hint", language=self.language),
            self.family,
            color=MUTED,
            align=LEFT,
            max_px=int(min(h * 0.24, 38)),
        )
        p.end()


def draw_magnifier(p: QPainter, box: QRectF, colour: QColor) -> None:
    """A magnifying glass (lens and handle) in ``box``."""
    side = min(box.width(), box.height())
    pen = QPen(colour, max(3.0, side * 0.11))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    lens = QRectF(box.left(), box.top(), side * 0.68, side * 0.68)
    p.drawEllipse(lens)
    start = lens.center() + (lens.bottomRight() - lens.center()) * 0.72
    p.drawLine(start, box.topLeft() + QPointF(side * 0.95, side * 0.95))


class LargeTextButton(TouchButton):
    """ "A+ Chữ lớn": outlined when off, yellow and framed when on (like the language switch)."""

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        paint_switch(self, tr("kiosk.large_text", language=self.language), pad_x=0.16, bold=True)


class GroupButton(TouchButton):
    def __init__(self, group: GroupChoice, family: str, parent: QWidget | None = None) -> None:
        super().__init__(family, parent)
        self.group = group

    def colours(self) -> tuple[QColor, QColor]:
        return (QColor("#ffe766") if self.isDown() else YELLOW), BLACK

    def paint_content(self, p: object, r: QRectF, ink: QColor) -> None:
        h = r.height()
        draw_text(
            p,
            r.adjusted(0, h * 0.1, 0, -h * 0.1),
            self.group.label(self.language),
            self.family,
            color=ink,
            bold=True,
            max_px=int(min(h * 0.4, 60)),
            max_lines=2,
        )


class LanguageButton(TouchButton):
    """ "Tiếng Việt" or "English"; the chosen one is yellow and framed, the other outlined."""

    def __init__(self, code: str, family: str, parent: QWidget | None = None) -> None:
        super().__init__(family, parent)
        self.code = code

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        label = tr(f"kiosk.language.{self.code}", language=self.code)
        paint_switch(self, label, pad_x=0.2, bold=self.selected)


def paint_switch(button: TouchButton, label: str, *, pad_x: float, bold: bool) -> None:
    """Paint a switch of the bar (language, larger text): yellow and framed when selected,
    outlined on the navy when not; ``pad_x`` is the side margin, a share of the height."""
    if button.selected:
        p, r = paint_card(button, 3, YELLOW, WHITE, 5, 20.0, radius_share=0.2)
        ink = BLACK
    else:
        p, r = paint_card(button, 3, PANEL, MUTED, 3, 20.0, radius_share=0.2)
        ink = WHITE
    h = r.height()
    inner = r.adjusted(h * pad_x, h * 0.18, -h * pad_x, -h * 0.18)
    draw_text(p, inner, label, button.family, color=ink, bold=bold, max_px=int(h * 0.42))
    p.end()


def paint_framed(button: TouchButton, radius: float = 18.0) -> tuple[QPainter, QRectF, QColor]:
    """Start painting ``button`` as a card of its colours in a white frame; return the painter
    (the caller ends it), the card's rectangle and the ink for its text."""
    fill, ink = button.colours()
    p, r = paint_card(button, 3, fill, WHITE, 4, radius)
    return p, r, ink


class BackButton(TouchButton):
    def colours(self) -> tuple[QColor, QColor]:
        return (PANEL if not self.isDown() else NAVY), WHITE

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p, r, ink = paint_framed(self)
        inner = r.adjusted(r.height() * 0.2, r.height() * 0.2, -r.height() * 0.2, -r.height() * 0.2)
        draw_text(
            p,
            inner,
            tr("kiosk.back", language=self.language),
            self.family,
            color=ink,
            bold=True,
            max_px=int(r.height() * 0.45),
        )
        p.end()
