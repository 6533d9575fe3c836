"""What the kiosk's screens share: the navy background, the header (centre name, time and
date), the top bar (back, title, language switch) and the grid the cards are laid in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QRectF, QTimer, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QWidget

from kiosk.logo import Logo
from kiosk.paint import NAVY, PANEL, WHITE, YELLOW, draw_text, painter_for
from kiosk.screens.buttons import LEFT, RIGHT, BackButton, LanguageButton
from shared.i18n import tr


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


class Screen(QWidget):
    """A full-window screen on the navy background, in the visitor's language."""

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


class TopBarScreen(Screen):
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
