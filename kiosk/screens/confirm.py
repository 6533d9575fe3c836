"""The confirmation: the ticket's big number, service, people ahead, estimated wait, QR
and the printer's state."""

from __future__ import annotations

import time

from PySide6.QtCore import QRectF, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from kiosk.model import (
    PRINTED,
    PRINTER_FAILED,
    PRINTING,
    TOUCH_GRACE_SECONDS,
    Confirmation,
    ahead_text,
    wait_text,
)
from kiosk.paint import ALERT, BLACK, CARD, INK, MUTED, NAVY, WHITE, YELLOW, draw_text, painter_for
from kiosk.screens.base import Screen
from shared.i18n import tr


class ConfirmScreen(Screen):
    """The big number, service, people ahead, estimated wait, QR and the printer's state."""

    dismissed = Signal()

    PRINTING, PRINTED, PRINTER_FAILED = PRINTING, PRINTED, PRINTER_FAILED

    def __init__(self, family: str, parent: QWidget | None = None) -> None:
        super().__init__(family, parent)
        self.confirmation: Confirmation | None = None
        self.print_state = self.PRINTING
        self.shown_at = 0.0

    def show_ticket(self, confirmation: Confirmation) -> None:
        self.confirmation = confirmation
        self.print_state = self.PRINTING
        self.shown_at = time.monotonic()
        self.update()

    def set_print_state(self, state: str) -> None:
        self.print_state = state
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if time.monotonic() - self.shown_at >= TOUCH_GRACE_SECONDS:
            self.dismissed.emit()

    def status_text(self) -> str:
        key = {
            self.PRINTING: "kiosk.confirm.printing",
            self.PRINTED: "kiosk.confirm.printed",
            self.PRINTER_FAILED: "kiosk.confirm.printer_failed",
        }[self.print_state]
        return tr(key, language=self.language)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        c = self.confirmation
        if c is None:
            return
        lang = self.language
        p = painter_for(self)
        w, h = self.width(), self.height()
        portrait = h > w
        p.fillRect(self.rect(), NAVY)
        pad = min(w, h) * 0.04
        failed = self.print_state == self.PRINTER_FAILED
        # The ticket card: white, like the paper ticket.
        card = QRectF(pad, pad, w - 2 * pad, h * (0.66 if portrait else 0.8) - pad)
        p.setPen(QPen(YELLOW if failed else WHITE, 8))
        p.setBrush(CARD)
        p.drawRoundedRect(card, 28, 28)
        inner = card.adjusted(pad, pad * 0.6, -pad, -pad * 0.6)
        if portrait:
            text_area = QRectF(inner.left(), inner.top(), inner.width(), inner.height() * 0.62)
            side = min(inner.height() * 0.31, inner.width() * 0.5)
            qr_box = QRectF(
                inner.center().x() - side / 2, text_area.bottom() + pad * 0.2, side, side
            )
        else:
            text_area = QRectF(inner.left(), inner.top(), inner.width() * 0.64, inner.height())
            side = min(inner.width() * 0.32, inner.height() * 0.78)
            qr_box = QRectF(inner.right() - side, inner.top() + pad * 0.3, side, side)
        t = text_area
        rows = [0.11, 0.42, 0.13, 0.12, 0.11, 0.11]
        y = t.top()
        boxes = []
        for share in rows:
            boxes.append(QRectF(t.left(), y, t.width(), t.height() * share))
            y += t.height() * share
        draw_text(
            p, boxes[0], tr("kiosk.confirm.title", language=lang), self.family, color=INK, bold=True
        )
        draw_text(p, boxes[1], c.number, self.family, color=INK, bold=True, tight=True)
        service = c.service_name_en if lang == "en" and c.service_name_en else c.service_name
        draw_text(p, boxes[2], service, self.family, color=INK, bold=True, max_lines=2)
        draw_text(p, boxes[3], ahead_text(c.ahead, lang), self.family, color=INK)
        wait = wait_text(c.estimated_wait_min, lang)
        if wait:
            draw_text(
                p,
                boxes[4],
                tr("kiosk.confirm.wait", language=lang, wait=wait),
                self.family,
                color=INK,
            )
        if c.counters:
            numbers = ", ".join(f"{n:02d}" for n in c.counters)
            draw_text(
                p,
                boxes[5],
                tr("kiosk.confirm.counters", language=lang, numbers=numbers),
                self.family,
                color=INK,
            )
        self._paint_qr(p, qr_box, c.qr_text)
        hint = QRectF(
            qr_box.left() - pad, qr_box.bottom() + pad * 0.2, qr_box.width() + 2 * pad, h * 0.035
        )
        draw_text(p, hint, tr("kiosk.confirm.qr", language=lang), self.family, color=INK)
        # Under the card: the printer's state, then how to go back.
        below = QRectF(pad, card.bottom() + pad * 0.5, w - 2 * pad, h - card.bottom() - pad * 1.5)
        status = QRectF(below.left(), below.top(), below.width(), below.height() * 0.55)
        if failed:
            p.setPen(QPen(BLACK, 2))
            p.setBrush(ALERT)
            p.drawRoundedRect(status, 20, 20)
            draw_text(
                p,
                status.adjusted(pad * 0.5, pad * 0.2, -pad * 0.5, -pad * 0.2),
                "⚠ " + self.status_text(),
                self.family,
                color=BLACK,
                bold=True,
                max_lines=3,
                max_px=int(h * 0.05),
            )
        else:
            draw_text(
                p,
                status,
                self.status_text(),
                self.family,
                color=YELLOW,
                bold=True,
                max_px=int(h * 0.05),
            )
        foot = QRectF(
            below.left(),
            status.bottom() + pad * 0.3,
            below.width(),
            below.bottom() - status.bottom() - pad * 0.3,
        )
        foot_text = tr("kiosk.confirm.touch", language=lang)
        draw_text(p, foot, foot_text, self.family, color=MUTED, max_px=int(h * 0.032))
        p.end()

    def _paint_qr(self, p: object, box: QRectF, text: str) -> None:
        from shared.printing.qrimage import qr_matrix

        try:
            matrix = qr_matrix(text)
        except ValueError:
            return
        n = len(matrix)
        module = int(box.width() // n)
        if module < 1:
            return
        side = module * n
        x0 = box.left() + (box.width() - side) / 2
        y0 = box.top() + (box.height() - side) / 2
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # type: ignore[attr-defined]
        p.fillRect(QRectF(x0, y0, side, side), WHITE)  # type: ignore[attr-defined]
        for r, row in enumerate(matrix):
            for col, dark in enumerate(row):
                if dark:
                    p.fillRect(  # type: ignore[attr-defined]
                        QRectF(x0 + col * module, y0 + r * module, module, module), BLACK
                    )
