"""A calm full-screen message: taking a number…, out of service, something went wrong."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPaintEvent
from PySide6.QtWidgets import QWidget

from kiosk.paint import MUTED, WHITE, YELLOW, draw_text, painter_for
from kiosk.screens.base import Screen
from shared.i18n import tr


class MessageScreen(Screen):
    """A calm full-screen message, Vietnamese large and English under it (busy, offline, error)."""

    touched = Signal()

    def __init__(
        self, family: str, title_key: str, body_key: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(family, parent)
        self.title_key = title_key
        self.body_key = body_key

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self.touched.emit()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = painter_for(self)
        w, h = self.width(), self.height()
        pad = min(w, h) * 0.07
        first, second = ("en", "vi") if self.language == "en" else ("vi", "en")
        area = QRectF(pad, h * 0.22, w - 2 * pad, h * 0.56)
        parts: list[tuple[str, QColor, bool, float]] = [
            (tr(self.title_key, language=first), YELLOW, True, 0.24)
        ]
        if self.body_key:
            parts.append((tr(self.body_key, language=first), WHITE, False, 0.30))
        parts.append((tr(self.title_key, language=second), MUTED, True, 0.16))
        if self.body_key:
            parts.append((tr(self.body_key, language=second), MUTED, False, 0.22))
        total = sum(share for *_, share in parts)
        y = area.top()
        used: dict[bool, int] = {}
        for text, colour, bold, share in parts:
            box = QRectF(area.left(), y, area.width(), area.height() * share / total)
            cap = int(h * 0.06)
            if colour == MUTED and bold in used:
                cap = min(cap, int(used[bold] * 0.75))  # the second language is smaller
            elif not bold and True in used:
                cap = min(cap, int(used[True] * 0.8))  # the body under its title
            px = draw_text(
                p,
                box.adjusted(0, 6, 0, -6),
                text,
                self.family,
                color=colour,
                bold=bold,
                max_lines=3 if not bold else 2,
                max_px=cap,
            )
            used.setdefault(bold, px)
            y = box.bottom()
        p.end()
