"""The kiosk's screens: thin painted widgets over :class:`~kiosk.model.HomeData`.

Big white cards with dark text on a dark navy background; the priority entry is yellow with black
text and says "ƯU TIÊN" in words. A service that cannot be taken now is a grey card that says why
(never hidden, never told by colour alone). Every text is fitted with QFontMetrics
(:mod:`kiosk.paint`), so tone marks are never clipped, whatever the screen size.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton, QWidget

from kiosk.logo import Logo
from kiosk.model import (
    TOUCH_GRACE_SECONDS,
    GroupChoice,
    HomeData,
    ServiceChoice,
    ahead_text,
    wait_text,
    waiting_text,
)
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
from shared.clock import utcnow
from shared.i18n import tr

LEFT = Qt.AlignmentFlag.AlignLeft
RIGHT = Qt.AlignmentFlag.AlignRight
CENTER = Qt.AlignmentFlag.AlignCenter


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except Exception:  # noqa: BLE001 - a bad name must not stop the kiosk
        return ZoneInfo("Asia/Ho_Chi_Minh")


# --- buttons -------------------------------------------------------------------------------------


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
        p = painter_for(self)
        r = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        fill, ink = self.colours()
        radius = min(r.height() * 0.12, 24.0)
        p.setPen(QPen(WHITE if self.unavailable else fill, 3))
        p.setBrush(fill)
        p.drawRoundedRect(r, radius, radius)
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
        p = painter_for(self)
        r = QRectF(self.rect()).adjusted(3, 3, -3, -3)
        fill, ink = self.colours()
        radius = min(r.height() * 0.12, 24.0)
        p.setPen(QPen(WHITE, 4))
        p.setBrush(fill)
        p.drawRoundedRect(r, radius, radius)
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
    p = painter_for(button)
    r = QRectF(button.rect()).adjusted(3, 3, -3, -3)
    radius = min(r.height() * 0.2, 20.0)
    if button.selected:
        p.setPen(QPen(WHITE, 5))
        p.setBrush(YELLOW)
        ink = BLACK
    else:
        p.setPen(QPen(MUTED, 3))
        p.setBrush(PANEL)
        ink = WHITE
    p.drawRoundedRect(r, radius, radius)
    h = r.height()
    inner = r.adjusted(h * pad_x, h * 0.18, -h * pad_x, -h * 0.18)
    draw_text(p, inner, label, button.family, color=ink, bold=bold, max_px=int(h * 0.42))
    p.end()


def paint_framed(button: TouchButton, radius: float = 18.0) -> tuple[QPainter, QRectF, QColor]:
    """Start painting ``button`` as a card of its colours in a white frame; return the painter
    (the caller ends it), the card's rectangle and the ink for its text."""
    p = painter_for(button)
    r = QRectF(button.rect()).adjusted(3, 3, -3, -3)
    fill, ink = button.colours()
    p.setPen(QPen(WHITE, 4))
    p.setBrush(fill)
    p.drawRoundedRect(r, radius, radius)
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


# --- header --------------------------------------------------------------------------------------


class HeaderBar(QWidget):
    """Centre name on the left, the time and date on the right."""

    def __init__(
        self, family: str, clock: Callable[[], datetime], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.family = family
        self.clock = clock
        self.name = ""
        self.language = "vi"
        self.logo: Logo | None = None
        self._minute = ""
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.on_tick_elapsed)
        self._timer.start()

    def on_tick_elapsed(self) -> None:
        minute = f"{self.clock():%H:%M %d}"
        if minute != self._minute:
            self._minute = minute
            self.update()

    def date_text(self) -> str:
        now = self.clock()
        weekday = tr(f"display.weekday.{now.weekday()}", language=self.language)
        return tr(
            "display.date",
            language=self.language,
            weekday=weekday,
            day=now.day,
            month=now.month,
            year=now.year,
        )

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = painter_for(self)
        r = QRectF(self.rect())
        p.fillRect(r, PANEL)
        p.fillRect(QRectF(r.left(), r.bottom() - 4, r.width(), 5), YELLOW)
        pad = r.height() * 0.12
        block_w = max(r.width() * 0.26, r.height() * 2.6)
        block = QRectF(r.right() - block_w - pad, pad * 0.6, block_w, r.height() - pad * 1.4)
        clock = QRectF(block.left(), block.top(), block.width(), block.height() * 0.62)
        date = QRectF(block.left(), clock.bottom(), block.width(), block.height() * 0.38)
        draw_text(
            p,
            clock,
            f"{self.clock():%H:%M}",
            self.family,
            color=YELLOW,
            bold=True,
            align=RIGHT,
            tight=True,
            max_px=int(r.height() * 0.5),
        )
        draw_text(p, date, self.date_text(), self.family, color=WHITE, align=RIGHT)
        left = pad
        if self.logo is not None:
            side = r.height() - 2 * pad
            box = QRectF(pad, pad, min(side * 2.2, r.width() * 0.2), side)
            if not self.logo.from_file:
                box.setWidth(side)
            self.logo.paint(p, box)
            left = pad + self.logo.fitted(box).width() + pad
        name = QRectF(left, pad, r.width() - block_w - 2 * pad - left, r.height() - 2 * pad)
        draw_text(
            p,
            name,
            self.name,
            self.family,
            color=WHITE,
            bold=True,
            align=LEFT,
            max_px=int(r.height() * 0.36),
            max_lines=2,
        )
        p.end()


# --- screens -------------------------------------------------------------------------------------


class _Screen(QWidget):
    def __init__(self, family: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.family = family
        self.language = "vi"
        self.large = False
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), NAVY)
        self.setPalette(palette)

    def set_language(self, language: str) -> None:
        self.language = language
        for child in self.findChildren(QWidget):
            if hasattr(child, "language"):
                child.language = language  # type: ignore[attr-defined]
            child.update()
        self.update()


def grid_columns(count: int, portrait: bool) -> int:
    if count <= 2:
        return 1
    if portrait:
        return 1 if count <= 9 else 2
    return 2 if count <= 10 else 3


def lay_grid(
    buttons: Sequence[QWidget], rect: QRectF, columns: int, gap: float, max_h: float
) -> None:
    if not buttons:
        return
    rows = -(-len(buttons) // columns)
    cell_w = (rect.width() - gap * (columns - 1)) / columns
    cell_h = min(max_h, (rect.height() - gap * (rows - 1)) / rows)
    for i, button in enumerate(buttons):
        row, col = divmod(i, columns)
        x = rect.left() + col * (cell_w + gap)
        y = rect.top() + row * (cell_h + gap)
        button.setGeometry(round(x), round(y), round(cell_w), round(cell_h))


@dataclass(frozen=True)
class TopBar:
    """Where :meth:`TopBarScreen.lay_top_bar` put the header and the bar of buttons under it."""

    portrait: bool
    gap: int
    screen_w: int
    top: int
    """The bar's top edge."""
    height: int
    back_w: int
    """The back button's width (0 on a screen without one)."""
    right: int
    """Where the room left of the language buttons ends."""

    def title_below(self, title: QWidget, height: int) -> int:
        """Put ``title`` on a line of its own under the bar; return the height it takes."""
        title.setGeometry(
            self.gap * 2, self.top + self.height + self.gap, self.screen_w - 4 * self.gap, height
        )
        return height + self.gap


class TitleBar(QWidget):
    """A line of text on the navy background (screen titles)."""

    def __init__(self, family: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.family = family
        self.text = ""
        self.color = WHITE

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = painter_for(self)
        r = QRectF(self.rect())
        draw_text(
            p,
            r.adjusted(0, r.height() * 0.1, 0, -r.height() * 0.1),
            self.text,
            self.family,
            color=self.color,
            bold=True,
            align=LEFT,
            max_px=int(r.height() * 0.5),
            max_lines=2,
        )
        p.end()


class TopBarScreen(_Screen):
    """A screen under the header, with a back button, a title and the language switch on its
    top bar (the home screen shows its back button only in the priority flow)."""

    back_chosen = Signal()
    language_chosen = Signal(str)

    def __init__(
        self, family: str, clock: Callable[[], datetime], parent: QWidget | None = None
    ) -> None:
        super().__init__(family, parent)
        self.header = HeaderBar(family, clock, self)
        self.title = TitleBar(family, self)
        self.back = BackButton(family, self)
        self.languages = [LanguageButton(code, family, self) for code in ("vi", "en")]
        for button in self.languages:
            button.clicked.connect(lambda _=False, b=button: self.language_chosen.emit(b.code))
        self.back.clicked.connect(self.back_chosen)

    def set_language(self, language: str) -> None:
        for button in self.languages:
            button.selected = button.code == language
        super().set_language(language)

    def lay_top_bar(self, *, header_share: float, bar_share: float, back: bool = True) -> TopBar:
        """Lay out the header across the top and under it the back button on the left (when
        ``back``) and the language buttons on the right. In landscape the header and the bar
        take ``header_share`` and ``bar_share`` of the screen's height."""
        w, h = self.width(), self.height()
        portrait = h > w
        gap = max(10, round(min(w, h) * 0.014))
        header_h = round(h * (0.085 if portrait else header_share))
        self.header.setGeometry(0, 0, w, header_h)
        bar_h = max(100, round(h * (0.062 if portrait else bar_share)))
        y = header_h + gap
        back_w = 0
        if back:
            back_w = round(bar_h * 2.4)
            self.back.setGeometry(gap, y, back_w, bar_h)
        lang_w = round(bar_h * 2.3)
        right = w - gap
        for button in reversed(self.languages):
            button.setGeometry(right - lang_w, y, lang_w, bar_h)
            right -= lang_w + gap // 2
        return TopBar(portrait, gap, w, y, bar_h, back_w, right)


class ServiceScreen(TopBarScreen):
    """The home screen (``priority=False``) or the priority flow's service choice."""

    service_chosen = Signal(str)
    """The code of the touched service."""
    priority_chosen = Signal()
    lookup_chosen = Signal()
    large_toggled = Signal()

    def __init__(
        self,
        family: str,
        clock: Callable[[], datetime],
        *,
        priority: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(family, clock, parent)
        self.priority = priority
        self.home = HomeData()
        self.group: GroupChoice | None = None
        # Widgets
        self.back.setVisible(priority)
        self.priority_button = PriorityButton(family, self)
        self.priority_button.setVisible(not priority)
        self.lookup_button = LookupEntryButton(family, self)
        self.lookup_button.setVisible(not priority)
        self.large_button = LargeTextButton(family, self)
        self.large_button.setVisible(not priority)
        self.buttons: list[ServiceButton] = []
        self.clock = clock
        # Signals
        self.priority_button.clicked.connect(self.priority_chosen)
        self.lookup_button.clicked.connect(self.lookup_chosen)
        self.large_button.clicked.connect(self.large_toggled)
        self.set_language("vi")

    def set_large(self, large: bool) -> None:
        """Larger-text mode: fewer, taller cards with the names across the whole card."""
        self.large_button.selected = large
        for child in self.findChildren(TouchButton):
            child.large = large
        self.large = large
        self._layout()
        self.update()

    def set_language(self, language: str) -> None:
        self.header.name = self.home.centre_label(language)
        self._retitle(language)
        super().set_language(language)
        self._uniform()

    def _retitle(self, language: str) -> None:
        self.title.color = ALERT if self.home.offline else WHITE
        if self.priority and self.group is not None:
            self.title.text = tr(
                "kiosk.priority.services", language=language, group=self.group.label(language)
            )
        elif self.home.offline:
            self.title.text = tr("kiosk.home.offline", language=language)
        else:
            self.title.text = tr("kiosk.home.title", language=language)

    def set_home(self, home: HomeData) -> None:
        codes = [s.code for s in home.services]
        self.home = home
        if codes != [b.choice.code for b in self.buttons]:
            for button in self.buttons:
                button.deleteLater()
            self.buttons = []
            for choice in home.services:
                button = ServiceButton(choice, self.family, self)
                button.language = self.language
                button.large = self.large
                button.clock = self.clock
                button.clicked.connect(lambda _=False, c=choice.code: self.service_chosen.emit(c))
                button.show()
                self.buttons.append(button)
            self._layout()
        else:
            for button, choice in zip(self.buttons, home.services, strict=True):
                button.set_choice(choice)
        self.header.name = home.centre_label(self.language)
        self.header.update()
        self._retitle(self.language)
        self.title.update()
        self.lookup_button.setEnabled(not home.offline)  # dossiers live on the server
        self._uniform()

    def set_group(self, group: GroupChoice | None) -> None:
        self.group = group
        self._retitle(self.language)
        self.title.update()

    def set_busy(self, busy: bool) -> None:
        for button in self.buttons:
            button.setEnabled(not busy and button.choice.available)
        self.priority_button.setEnabled(not busy)
        self.lookup_button.setEnabled(not busy and not self.home.offline)
        self.back.setEnabled(not busy)

    def button(self, code: str) -> ServiceButton:
        return next(b for b in self.buttons if b.choice.code == code)

    def _uniform(self) -> None:
        if not self.buttons or self.buttons[0].height() < 20 or self.large:
            return
        px = min(b.detail_fit() for b in self.buttons)
        for button in self.buttons:
            button.detail_px = px
            button.update()

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        self._layout()

    def _layout(self) -> None:
        w, h = self.width(), self.height()
        bar = self.lay_top_bar(header_share=0.1, bar_share=0.09, back=self.priority)
        portrait, gap, y, bar_h, right = bar.portrait, bar.gap, bar.top, bar.height, bar.right
        left = gap * 2 + bar.back_w
        if not self.priority and portrait:
            # The larger-text switch on the left, the title on its own line under the bar.
            large_w = round(bar_h * 2.6)
            self.large_button.setGeometry(gap, y, large_w, bar_h)
            y += bar.title_below(self.title, round(bar_h * 0.8))
        elif not self.priority:
            large_w = round(bar_h * 2.6)
            self.large_button.setGeometry(right - large_w - gap // 2, y, large_w, bar_h)
            right -= large_w + gap
            self.title.setGeometry(left, y, right - left - gap, bar_h)
        elif portrait:
            y += bar.title_below(self.title, bar_h)
        else:
            self.title.setGeometry(left, y, right - left - gap, bar_h)
        y += bar_h + gap
        bottom = h - gap
        if not self.priority:
            # The two entries that are not services, apart at the bottom: priority (yellow)
            # and dossier tracking (framed navy), each as wide as a thumb can't miss.
            prio_h = max(130, round(h * (0.095 if portrait else 0.12)))
            prio_w = round((w - 3 * gap) * 0.56)
            self.priority_button.setGeometry(gap, bottom - prio_h, prio_w, prio_h)
            self.lookup_button.setGeometry(
                2 * gap + prio_w, bottom - prio_h, w - 3 * gap - prio_w, prio_h
            )
            bottom -= prio_h + gap * 3
        area = QRectF(gap, y, w - 2 * gap, bottom - y)
        max_h = h * (0.16 if portrait else 0.3)
        columns = grid_columns(len(self.buttons), portrait)
        if self.large:
            columns = 1 if portrait or len(self.buttons) <= 4 else 2
            max_h *= 1.4
        lay_grid(self.buttons, area, columns, gap, max_h)
        self._uniform()


class GroupScreen(TopBarScreen):
    """The priority flow's first step: which priority group."""

    group_chosen = Signal(str)

    def __init__(
        self, family: str, clock: Callable[[], datetime], parent: QWidget | None = None
    ) -> None:
        super().__init__(family, clock, parent)
        self.home = HomeData()
        self.buttons: list[GroupButton] = []

    def set_language(self, language: str) -> None:
        self.title.text = tr("kiosk.priority.title", language=language)
        self.header.name = self.home.centre_label(language)
        super().set_language(language)

    def set_home(self, home: HomeData) -> None:
        self.home = home
        if [g.code for g in home.groups] != [b.group.code for b in self.buttons]:
            for button in self.buttons:
                button.deleteLater()
            self.buttons = []
            for group in home.groups:
                button = GroupButton(group, self.family, self)
                button.language = self.language
                button.clicked.connect(lambda _=False, c=group.code: self.group_chosen.emit(c))
                button.show()
                self.buttons.append(button)
            self._layout()
        self.header.name = home.centre_label(self.language)

    def button(self, code: str) -> GroupButton:
        return next(b for b in self.buttons if b.group.code == code)

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        self._layout()

    def _layout(self) -> None:
        w, h = self.width(), self.height()
        bar = self.lay_top_bar(header_share=0.12, bar_share=0.1)
        portrait, gap, y, bar_h, back_w = bar.portrait, bar.gap, bar.top, bar.height, bar.back_w
        if portrait:
            y += bar.title_below(self.title, bar_h)
        else:
            self.title.setGeometry(back_w + 2 * gap, y, bar.right - back_w - 3 * gap, bar_h)
        y += bar_h + gap * 2
        area = QRectF(gap * 2, y, w - 4 * gap, h - y - 2 * gap)
        columns = 1 if portrait or len(self.buttons) <= 3 else 2
        lay_grid(self.buttons, area, columns, gap * 1.5, h * (0.13 if portrait else 0.22))


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation shows (plain data from the worker)."""

    ticket_id: int
    number: str
    service_name: str
    service_name_en: str
    ahead: int | None
    estimated_wait_min: int | None
    counters: tuple[int, ...]
    qr_text: str
    priority_name: str | None = None
    offline: bool = False
    """Given from this kiosk's block while the server is away."""


class ConfirmScreen(_Screen):
    """The big number, service, people ahead, estimated wait, QR and the printer's state."""

    dismissed = Signal()

    PRINTING, PRINTED, PRINTER_FAILED = "printing", "printed", "printer_failed"

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


class MessageScreen(_Screen):
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


class PinScreen(_Screen):
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


def local_clock(timezone: Callable[[], str]) -> Callable[[], datetime]:
    """A clock in the centre's time zone (read each time: the zone arrives with the data)."""

    def now() -> datetime:
        return utcnow().astimezone(_zone(timezone()))

    return now
