"""The "Tra cứu hồ sơ / Track a dossier" screen: scan the appointment slip's QR, or type the
dossier code and the lookup code on big on-screen keys; the answer on a white card.

Entry helpers: the code field starts with the centre's agency e-ID ("000.00.10.H39-") so the
citizen types only the date and number printed after it, a "-" is added after the 6 digits of
the date, letters are upper-cased; the lookup-code keys offer only the symbols a lookup code can
hold (no 0/O, 1/I look-alikes). The screen itself never reads the database: the window runs the
lookup in its worker and calls :meth:`LookupScreen.show_result` / :meth:`show_message`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from kiosk.model import lookup_rows, next_step_text
from kiosk.paint import (
    ALERT,
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
from kiosk.screens.base import TopBarScreen
from kiosk.screens.buttons import TouchButton, draw_magnifier, paint_card, paint_framed
from shared.codes import ALPHABET
from shared.i18n import tr

LEFT = Qt.AlignmentFlag.AlignLeft

SECRET_SYMBOLS = ALPHABET
"""What a lookup code is made of (no 0/O, no 1/I)."""
CODE_MAX = 40
SECRET_MAX = 12
_DATE_PART = re.compile(r"^[0-9A-Z.]+-\d{6}$")

ACTION_KEYS = {
    "delete": "kiosk.lookup.delete",
    "clear": "kiosk.lookup.clear",
    "next": "kiosk.lookup.next_field",
}
KEY_ROWS: tuple[tuple[str, ...], ...] = (
    tuple("1234567890"),
    tuple("ABCDEFGHI"),
    tuple("JKLMNOPQR"),
    (*"STUVWXYZ", ".", "-"),
    ("delete", "clear", "next"),
)


class FieldBox(TouchButton):
    """A text field drawn big: its label, the typed value, a frame when it is the active one."""

    def __init__(self, family: str, label_key: str, parent: QWidget | None = None) -> None:
        super().__init__(family, parent)
        self.label_key = label_key
        self.value = ""
        self.hint = ""

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        frame, width = (YELLOW, 7) if self.selected else (MUTED, 3)
        p, r = paint_card(self, 4, CARD, frame, width, 16)
        h = r.height()
        label = QRectF(r.left() + h * 0.16, r.top() + h * 0.06, r.width() - h * 0.32, h * 0.3)
        draw_text(
            p,
            label,
            tr(self.label_key, language=self.language),
            self.family,
            color=INK,
            align=LEFT,
            max_px=int(h * 0.26),
        )
        value = QRectF(label.left(), label.bottom(), label.width(), h * 0.58)
        if self.value:
            shown = self.value + ("▏" if self.selected else "")
            draw_text(
                p, value, shown, self.family, color=INK, bold=True, align=LEFT, max_px=int(h * 0.46)
            )
        else:
            draw_text(
                p,
                value,
                self.hint or tr("kiosk.lookup.touch_field", language=self.language),
                self.family,
                color=CARD_OFF,
                align=LEFT,
                max_px=int(h * 0.34),
            )
        p.end()


class KeyButton(TouchButton):
    """One key of the on-screen keyboard; ``action`` keys are navy with white text."""

    def __init__(self, key: str, family: str, parent: QWidget | None = None) -> None:
        super().__init__(family, parent)
        self.key = key
        self.action = key in ("delete", "clear", "next")

    def colours(self) -> tuple[QColor, QColor]:
        if not self.isEnabled():
            return QColor("#26395a"), QColor("#6f809b")
        if self.action:
            return (NAVY if self.isDown() else PANEL), WHITE
        return (CARD_DOWN if self.isDown() else CARD), INK

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        fill, ink = self.colours()
        p, r = paint_card(self, 3, fill, WHITE if self.action and self.isEnabled() else fill, 3, 14)
        text = tr(ACTION_KEYS[self.key], language=self.language) if self.action else self.key
        inner = r.adjusted(r.width() * 0.1, r.height() * 0.18, -r.width() * 0.1, -r.height() * 0.18)
        draw_text(p, inner, text, self.family, color=ink, bold=True, max_px=int(r.height() * 0.5))
        p.end()


class SearchButton(TouchButton):
    """ "TRA CỨU": yellow with black text, greyed while waiting after too many attempts."""

    def colours(self) -> tuple[QColor, QColor]:
        if not self.isEnabled():
            return CARD_OFF, INK_OFF
        return (QColor("#ffe766") if self.isDown() else YELLOW), BLACK

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p, r, ink = paint_framed(self)
        h = r.height()
        icon = QRectF(r.left() + h * 0.2, r.top() + h * 0.25, h * 0.5, h * 0.5)
        draw_magnifier(p, icon, ink)
        text = QRectF(
            icon.right() + h * 0.12,
            r.top() + h * 0.18,
            r.right() - icon.right() - h * 0.3,
            h * 0.64,
        )
        draw_text(
            p,
            text,
            self.text() or tr("kiosk.lookup.search", language=self.language),
            self.family,
            color=ink,
            bold=True,
            max_px=int(h * 0.46),
        )
        p.end()


class WideButton(TouchButton):
    """A full-width navy button with white text ("Tra cứu hồ sơ khác")."""

    def colours(self) -> tuple[QColor, QColor]:
        return (NAVY if self.isDown() else PANEL), WHITE

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p, r, ink = paint_framed(self)
        draw_text(
            p,
            r.adjusted(r.height() * 0.3, r.height() * 0.2, -r.height() * 0.3, -r.height() * 0.2),
            self.text(),
            self.family,
            color=ink,
            bold=True,
            max_px=int(r.height() * 0.45),
        )
        p.end()


class LookupScreen(TopBarScreen):
    """Scan or type, then the answer. States: ``entry``, ``searching``, ``result``."""

    submitted = Signal(str, str)
    """(code, secret) typed on the keys."""

    def __init__(
        self, family: str, clock: Callable[[], datetime], parent: QWidget | None = None
    ) -> None:
        super().__init__(family, clock, parent)
        self.state = "entry"
        self.agency_eid = ""
        self.timezone = "Asia/Ho_Chi_Minh"
        self.result: Any = None
        self.message_key: str | None = None
        self.message_params: dict[str, object] = {}
        self.wait_until = 0.0
        self.active = "code"
        self.code_field = FieldBox(family, "kiosk.lookup.code", self)
        self.secret_field = FieldBox(family, "kiosk.lookup.secret", self)
        self.search = SearchButton(family, self)
        self.again = WideButton(family, self)
        self.keys: dict[str, KeyButton] = {}
        for row in KEY_ROWS:
            for key in row:
                button = KeyButton(key, family, self)
                button.clicked.connect(lambda _=False, k=key: self.press(k))
                self.keys[key] = button
        self.code_field.clicked.connect(lambda: self.activate("code"))
        self.secret_field.clicked.connect(lambda: self.activate("secret"))
        self.search.clicked.connect(self.submit)
        self.again.clicked.connect(self.reset)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._on_countdown)
        self.reset()

    # --- state ---------------------------------------------------------------------------------

    @property
    def code(self) -> str:
        return self.code_field.value

    @property
    def secret(self) -> str:
        return self.secret_field.value

    def set_centre(self, agency_eid: str, timezone: str, name: str) -> None:
        self.agency_eid = agency_eid.strip().upper()
        self.timezone = timezone
        self.header.name = name
        self.code_field.hint = f"{self.agency_eid}-…" if self.agency_eid else ""
        self.header.update()

    def reset(self) -> None:
        """Empty fields, no message, the keyboard shown (keeps a running slow-down)."""
        self.state = "entry"
        self.result = None
        self.code_field.value = ""
        self.secret_field.value = ""
        if not self.slowed:
            self.message_key, self.message_params = None, {}
        self.activate("code")
        self._show_parts()

    def activate(self, field: str) -> None:
        self.active = field
        self.code_field.selected = field == "code"
        self.secret_field.selected = field == "secret"
        if field == "code" and not self.code_field.value and self.agency_eid:
            self.code_field.value = f"{self.agency_eid}-"
        secret = field == "secret"
        for key, button in self.keys.items():
            button.setEnabled(not secret or button.action or key in SECRET_SYMBOLS)
        self.keys["next"].setEnabled(True)
        self.update_all()

    @property
    def slowed(self) -> bool:
        return time.monotonic() < self.wait_until

    def seconds_left(self) -> int:
        return max(0, int(self.wait_until - time.monotonic() + 0.999))

    def show_searching(self) -> None:
        self.state = "searching"
        self.message_key, self.message_params = "kiosk.lookup.searching", {}
        self._show_parts()

    def show_result(self, view: Any) -> None:
        self.state = "result"
        self.result = view
        self.message_key, self.message_params = None, {}
        self.code_field.value = ""
        self.secret_field.value = ""
        self._show_parts()

    def show_message(self, key: str, **params: object) -> None:
        """Back to the keys with a calm message (wrong code, unavailable…)."""
        self.state = "entry"
        self.result = None
        self.message_key, self.message_params = key, params
        self.secret_field.value = ""
        self.activate("secret" if self.code_typed() else "code")
        self._show_parts()

    def show_slow_down(self, seconds: int) -> None:
        self.wait_until = time.monotonic() + max(1, seconds)
        self.show_message("kiosk.lookup.slow", seconds=self.seconds_left())
        self._countdown.start()
        self.search.setEnabled(False)

    def _on_countdown(self) -> None:
        left = self.seconds_left()
        if left <= 0:
            self._countdown.stop()
            self.search.setEnabled(True)
            if self.message_key == "kiosk.lookup.slow":
                self.message_key, self.message_params = None, {}
        elif self.message_key == "kiosk.lookup.slow":
            self.message_params = {"seconds": left}
        self.update_all()

    def message_text(self) -> str:
        if not self.message_key:
            return ""
        return tr(self.message_key, language=self.language, **self.message_params)

    # --- typing --------------------------------------------------------------------------------

    def press(self, key: str) -> None:
        if self.state != "entry":
            return
        field = self.code_field if self.active == "code" else self.secret_field
        if key == "delete":
            field.value = field.value[:-1]
        elif key == "clear":
            field.value = ""
            if self.active == "code" and self.agency_eid:
                field.value = f"{self.agency_eid}-"
        elif key == "next":
            if self.active == "code":
                self.activate("secret")
            elif self.code_field.value and self.secret_field.value:
                self.submit()
            else:
                self.activate("code")
            return
        else:
            self.type_text(key)
            return
        if self.message_key != "kiosk.lookup.slow":
            self.message_key = None
        self.update_all()

    def type_text(self, text: str) -> None:
        """Characters from the keys or a person's keyboard ("\\n" moves on, "\\b" deletes)."""
        if self.state == "result" and text.strip():
            self.reset()
        if self.state != "entry":
            return
        for char in text:
            if char == "\n":
                self.press("next")
                continue
            if char == "\b":
                self.press("delete")
                continue
            self._type_char(char.upper())
        self.update_all()

    def _type_char(self, char: str) -> None:
        if self.active == "secret":
            if char in SECRET_SYMBOLS and len(self.secret_field.value) < SECRET_MAX:
                self.secret_field.value += char
        elif (char.isalnum() and char.isascii()) or char in ".-":
            if len(self.code_field.value) < CODE_MAX:
                self.code_field.value += char
                if _DATE_PART.match(self.code_field.value):
                    self.code_field.value += "-"
        if self.message_key not in ("kiosk.lookup.slow", None):
            self.message_key = None

    def code_typed(self) -> str:
        """The dossier code typed so far, "" when it is only the pre-filled agency e-ID."""
        code = self.code_field.value.strip("-. ")
        return "" if code == self.agency_eid else code

    def submit(self) -> None:
        if self.state != "entry" or self.slowed:
            return
        code, secret = self.code_typed(), self.secret_field.value
        if not code or not secret:
            self.message_key, self.message_params = "kiosk.lookup.missing_fields", {}
            self.activate("secret" if code else "code")
            return
        self.submitted.emit(code, secret)

    # --- drawing -------------------------------------------------------------------------------

    def set_language(self, language: str) -> None:
        self.title.text = tr("kiosk.lookup.title", language=language)
        self.again.setText(tr("kiosk.lookup.again", language=language))
        super().set_language(language)

    def set_large(self, large: bool) -> None:
        self.large = large
        self.update()

    def update_all(self) -> None:
        for child in self.findChildren(QWidget):
            child.update()
        self.update()

    def _show_parts(self) -> None:
        entry = self.state == "entry"
        for widget in (self.code_field, self.secret_field, self.search, *self.keys.values()):
            widget.setVisible(entry)
        self.again.setVisible(self.state == "result")
        self.search.setEnabled(not self.slowed)
        self._layout()
        self.update_all()

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        self._layout()

    def _layout(self) -> None:
        w, h = self.width(), self.height()
        bar = self.lay_top_bar(header_share=0.1, bar_share=0.09)
        portrait, gap, y, bar_h, back_w = bar.portrait, bar.gap, bar.top, bar.height, bar.back_w
        if portrait:
            y += bar.title_below(self.title, round(bar_h * 0.8))
        else:
            self.title.setGeometry(back_w + 3 * gap, y, bar.right - back_w - 4 * gap, bar_h)
        y += bar_h + gap
        self.body = QRectF(gap * 2, y, w - 4 * gap, h - y - gap * 2)
        body = self.body
        again_h = round(h * (0.07 if portrait else 0.1))
        self.again.setGeometry(
            round(body.left()), round(body.bottom() - again_h), round(body.width()), again_h
        )
        rows = len(KEY_ROWS)
        kgap = gap * 0.8
        if portrait:
            key_w = (body.width() - 9 * kgap) / 10
            key_h = key_w * 1.15
            kb_h = rows * key_h + (rows - 1) * kgap
            keyboard = QRectF(body.left(), body.bottom() - kb_h, body.width(), kb_h)
            form = QRectF(body.left(), body.top(), body.width(), keyboard.top() - body.top() - gap)
        else:
            form = QRectF(body.left(), body.top(), body.width() * 0.46, body.height())
            keyboard = QRectF(
                form.right() + gap * 2,
                body.top(),
                body.right() - form.right() - gap * 2,
                body.height(),
            )
            key_w = (keyboard.width() - 9 * kgap) / 10
            key_h = min((keyboard.height() - (rows - 1) * kgap) / rows, key_w * 1.3)
            kb_h = rows * key_h + (rows - 1) * kgap
            keyboard.setTop(body.bottom() - kb_h)
        self.form = form
        # Form: scan panel, "or type", code, secret + search, message.
        fh = form.height()
        self.scan_box = QRectF(form.left(), form.top(), form.width(), fh * 0.22)
        self.or_box = QRectF(form.left(), self.scan_box.bottom(), form.width(), fh * 0.1)
        field_h = fh * 0.21
        top = self.or_box.bottom()
        self.code_field.setGeometry(
            round(form.left()), round(top), round(form.width()), round(field_h)
        )
        top += field_h + gap
        secret_w = form.width() * 0.55
        self.secret_field.setGeometry(
            round(form.left()), round(top), round(secret_w), round(field_h)
        )
        self.search.setGeometry(
            round(form.left() + secret_w + gap),
            round(top),
            round(form.width() - secret_w - gap),
            round(field_h),
        )
        top += field_h + gap
        self.message_box = QRectF(form.left(), top, form.width(), max(10.0, form.bottom() - top))
        # Keyboard: 5 rows on a 10-column grid, rows of 9 centred.
        for r, row in enumerate(KEY_ROWS):
            yk = keyboard.top() + r * (key_h + kgap)
            if r == rows - 1:
                width = (keyboard.width() - 2 * kgap) / 3
                for c, key in enumerate(row):
                    self.keys[key].setGeometry(
                        round(keyboard.left() + c * (width + kgap)),
                        round(yk),
                        round(width),
                        round(key_h),
                    )
                continue
            offset = (keyboard.width() - (len(row) * key_w + (len(row) - 1) * kgap)) / 2
            for c, key in enumerate(row):
                self.keys[key].setGeometry(
                    round(keyboard.left() + offset + c * (key_w + kgap)),
                    round(yk),
                    round(key_w),
                    round(key_h),
                )

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        if not hasattr(self, "body"):
            self._layout()
        p = painter_for(self)
        if self.state == "result" and self.result is not None:
            self._paint_result(p)
        else:
            self._paint_form(p)
        p.end()

    def _paint_form(self, p: QPainter) -> None:
        lang = self.language
        box = self.scan_box
        h = box.height()
        p.setPen(QPen(MUTED, 3, Qt.PenStyle.DashLine))
        p.setBrush(PANEL)
        p.drawRoundedRect(box.adjusted(2, 2, -2, -h * 0.08), 18, 18)
        icon = QRectF(box.left() + h * 0.18, box.top() + h * 0.16, h * 0.6, h * 0.6)
        draw_qr_sign(p, icon)
        draw_text(
            p,
            QRectF(
                icon.right() + h * 0.2,
                box.top() + h * 0.08,
                box.right() - icon.right() - h * 0.4,
                h * 0.76,
            ),
            tr("kiosk.lookup.scan", language=lang),
            self.family,
            color=WHITE,
            bold=True,
            align=LEFT,
            max_px=int(h * (0.32 if self.large else 0.26)),
            max_lines=2,
        )
        draw_text(
            p,
            self.or_box,
            tr("kiosk.lookup.or_type", language=lang),
            self.family,
            color=MUTED,
            align=LEFT,
            max_px=int(self.or_box.height() * 0.6),
            max_lines=2,
        )
        text = self.message_text()
        if not text and self.agency_eid:
            # Where the typed part goes: the agency e-ID, the receipt date, the number.
            example = f"{self.agency_eid}-{self.header.clock():%y%m%d}-0001"
            box = self.message_box
            draw_text(
                p,
                QRectF(box.left(), box.top(), box.width(), min(box.height(), self.or_box.height())),
                tr("kiosk.lookup.example", language=lang, example=example),
                self.family,
                color=MUTED,
                align=LEFT,
                max_px=int(self.or_box.height() * 0.6),
            )
        if text:
            box = self.message_box.adjusted(0, 0, 0, -4)
            calm = self.message_key == "kiosk.lookup.searching"
            if calm:
                draw_text(
                    p,
                    box,
                    text,
                    self.family,
                    color=YELLOW,
                    bold=True,
                    max_px=int(box.height() * 0.4),
                    max_lines=2,
                )
            else:
                p.setPen(QPen(BLACK, 2))
                p.setBrush(ALERT)
                p.drawRoundedRect(box, 18, 18)
                pad = box.height() * 0.12
                draw_text(
                    p,
                    box.adjusted(pad, pad, -pad, -pad),
                    "⚠ " + text,
                    self.family,
                    color=BLACK,
                    bold=True,
                    max_px=int(box.height() * 0.3),
                    max_lines=3,
                )

    def _paint_result(self, p: QPainter) -> None:
        lang = self.language
        view = self.result
        body = self.body
        gap = max(10.0, min(self.width(), self.height()) * 0.014)
        card = QRectF(body.left(), body.top(), body.width(), self.again.y() - body.top() - gap * 2)
        p.setPen(QPen(WHITE, 6))
        p.setBrush(CARD)
        p.drawRoundedRect(card, 24, 24)
        inner = card.adjusted(
            card.width() * 0.04, card.height() * 0.03, -card.width() * 0.04, -card.height() * 0.03
        )
        rows = lookup_rows(view, lang, self.timezone)
        next_text = next_step_text(view, lang)
        portrait = self.height() > self.width()
        # Portrait: the table, the "what next" box under it; landscape: side by side.
        table = QRectF(inner)
        if portrait:
            table.setHeight(inner.height() * 0.7)
        else:
            table.setWidth(inner.width() * 0.62)
        rows_h = table.height()
        procedure_label = tr("kiosk.lookup.procedure", language=lang)
        status_label = tr("kiosk.lookup.status", language=lang)
        weights = [1.7 if label == procedure_label else 1.0 for label, _ in rows]
        unit = rows_h / sum(weights)
        label_w = table.width() * (0.32 if portrait else 0.3)
        cap = int(min(unit * (0.5 if self.large else 0.42), 76 if self.large else 58))
        # One size for all labels and one for all values (the status larger), so the card
        # reads as a table; each is the largest at which every line fits.
        label_px = min(
            fitted_lines(self.family, False, label, int(label_w - gap), int(unit * 0.76), cap, 2)[0]
            for label, _ in rows
        )
        value_w = int(table.width() - label_w)
        value_px = min(
            fitted_lines(self.family, True, value, value_w, int(unit * 0.84), cap, 1)[0]
            for label, value in rows
            if label not in (procedure_label, status_label)
        )
        y = inner.top()
        for i, ((label, value), weight) in enumerate(zip(rows, weights, strict=True)):
            row_h = unit * weight
            if i:
                p.setPen(QPen(QColor("#d5dceb"), 2))
                p.drawLine(table.left(), y, table.right(), y)
            lbox = QRectF(inner.left(), y + row_h * 0.1, label_w - gap, row_h * 0.8)
            vbox = QRectF(inner.left() + label_w, y + row_h * 0.08, value_w, row_h * 0.84)
            draw_text(
                p,
                lbox,
                label,
                self.family,
                color=QColor("#3d4b63"),
                align=LEFT,
                max_px=label_px,
                max_lines=2,
            )
            size = value_px
            if label == status_label:
                size = int(value_px * 1.3)
            draw_text(
                p,
                vbox,
                value,
                self.family,
                color=INK,
                bold=True,
                align=LEFT,
                max_px=size,
                max_lines=3 if label == procedure_label else 2,
            )
            y += row_h
        max_px = value_px
        # What to do next: a yellow box with a black frame (words, not only colour).
        if portrait:
            box = QRectF(
                inner.left(),
                table.bottom() + gap,
                inner.width(),
                inner.bottom() - table.bottom() - gap,
            )
        else:
            box = QRectF(
                table.right() + gap * 2,
                inner.top() + inner.height() * 0.1,
                inner.right() - table.right() - gap * 2,
                inner.height() * 0.8,
            )
        p.setPen(QPen(BLACK, 3))
        p.setBrush(YELLOW)
        p.drawRoundedRect(box, 18, 18)
        pad = min(box.height() * 0.1, gap * 1.5)
        title = QRectF(
            box.left() + pad * 1.5,
            box.top() + pad,
            box.width() - pad * 3,
            box.height() * (0.28 if portrait else 0.16),
        )
        draw_text(
            p,
            title,
            tr("kiosk.lookup.next", language=lang),
            self.family,
            color=BLACK,
            bold=True,
            align=LEFT,
            max_px=max_px,
        )
        draw_text(
            p,
            QRectF(
                title.left(), title.bottom(), title.width(), box.bottom() - title.bottom() - pad
            ),
            next_text,
            self.family,
            color=BLACK,
            align=LEFT,
            max_px=int(max_px * 1.1),
            max_lines=3,
        )


def draw_qr_sign(p: QPainter, box: QRectF) -> None:
    """A small QR-like sign (three finder squares) telling "scan here"."""
    side = min(box.width(), box.height())
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(WHITE)
    p.drawRoundedRect(QRectF(box.left(), box.top(), side, side), side * 0.08, side * 0.08)
    cell = side / 7
    for cx, cy in ((0.6, 0.6), (4.0, 0.6), (0.6, 4.0)):
        outer = QRectF(box.left() + cx * cell, box.top() + cy * cell, cell * 2.4, cell * 2.4)
        p.setBrush(NAVY)
        p.drawRect(outer)
        p.setBrush(WHITE)
        p.drawRect(outer.adjusted(cell * 0.45, cell * 0.45, -cell * 0.45, -cell * 0.45))
        p.setBrush(NAVY)
        p.drawRect(outer.adjusted(cell * 0.8, cell * 0.8, -cell * 0.8, -cell * 0.8))
    p.setBrush(NAVY)
    for cx, cy in ((4.2, 4.2), (5.4, 5.0), (4.6, 5.6), (5.6, 4.0)):
        p.drawRect(QRectF(box.left() + cx * cell, box.top() + cy * cell, cell * 0.7, cell * 0.7))
