"""The technician's PIN pad, opened by the admin gesture."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QWidget

from kiosk.paint import ALERT, WHITE, YELLOW, draw_text, painter_for
from kiosk.screens.base import Screen
from kiosk.screens.buttons import TouchButton
from shared.i18n import tr


class PinScreen(Screen):
    """The technician's PIN pad: big digits for a finger, the PIN shown as dots only.

    The typed digits live in this widget until OK or Cancel; they are never logged.
    """

    pin_entered = Signal(str)
    cancelled = Signal()
    MAX_DIGITS = 12

    def __init__(self, family: str, parent: QWidget | None = None) -> None:
        super().__init__(family, parent)
        self._digits = ""
        self.message_key: str | None = None
        self.keys: dict[str, TouchButton] = {}
        for label in (*"123456789", "clear", "0", "ok", "cancel"):
            button = TouchButton(family, self)
            button.clicked.connect(lambda _=False, k=label: self.press(k))
            self.keys[label] = button
        self.reset()

    @property
    def length(self) -> int:
        return len(self._digits)

    def reset(self) -> None:
        self._digits = ""
        self.message_key = None
        self.set_keys_enabled(True)
        self.update()

    def set_message(self, key: str | None) -> None:
        self.message_key = key
        self.update()

    def set_keys_enabled(self, enabled: bool) -> None:
        for label, button in self.keys.items():
            button.setEnabled(enabled or label == "cancel")

    def set_language(self, language: str) -> None:
        for label in ("clear", "ok", "cancel"):
            self.keys[label].setText(tr(f"kiosk.admin.{label}", language=language))
        for digit in "0123456789":
            self.keys[digit].setText(digit)
        super().set_language(language)

    def press(self, key: str) -> None:
        if key == "cancel":
            self._digits = ""
            self.cancelled.emit()
        elif key == "clear":
            self._digits = ""
            self.message_key = None
        elif key == "ok":
            pin, self._digits = self._digits, ""
            self.pin_entered.emit(pin)
        elif len(self._digits) < self.MAX_DIGITS:
            self._digits += key
            self.message_key = None
        self.update()

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        w, h = self.width(), self.height()
        gap = max(10, round(min(w, h) * 0.016))
        pad_w = min(w - 4 * gap, round(h * 0.5))
        key = (pad_w - 2 * gap) // 3
        key_h = min(key, round(h * 0.11))
        left = (w - pad_w) // 2
        top = round(h * 0.3)
        rows = ("123", "456", "789", ("clear", "0", "ok"))
        for row, labels in enumerate(rows):
            for col, label in enumerate(labels):
                self.keys[label].setGeometry(
                    left + col * (key + gap), top + row * (key_h + gap), key, key_h
                )
        self.keys["cancel"].setGeometry(left, top + 4 * (key_h + gap), pad_w, key_h)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = painter_for(self)
        w, h = self.width(), self.height()
        pad = min(w, h) * 0.05
        top = QRectF(pad, h * 0.03, w - 2 * pad, h * 0.08)
        draw_text(
            p,
            top,
            tr("kiosk.admin.title", language=self.language),
            self.family,
            color=YELLOW,
            bold=True,
            max_px=int(h * 0.05),
        )
        dots = " ".join("●" * len(self._digits)) or tr("kiosk.admin.hint", language=self.language)
        draw_text(
            p,
            QRectF(pad, h * 0.12, w - 2 * pad, h * 0.08),
            dots,
            self.family,
            color=WHITE,
            bold=bool(self._digits),
            max_px=int(h * 0.05),
        )
        if self.message_key:
            draw_text(
                p,
                QRectF(pad, h * 0.21, w - 2 * pad, h * 0.07),
                tr(self.message_key, language=self.language),
                self.family,
                color=ALERT,
                bold=True,
                max_px=int(h * 0.045),
                max_lines=2,
            )
        p.end()
