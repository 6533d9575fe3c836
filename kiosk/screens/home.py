"""The home screen: a card for each service with its queue, the priority and dossier
lookup entries, the language and larger-text switches. The priority flow's choice of service
is the same screen for a chosen group."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QWidget

from kiosk.model import GroupChoice, HomeData
from kiosk.paint import ALERT, WHITE
from kiosk.screens.base import TopBarScreen, grid_columns, lay_grid
from kiosk.screens.buttons import (
    LargeTextButton,
    LookupEntryButton,
    PriorityButton,
    ServiceButton,
    TouchButton,
)
from shared.i18n import tr


class HomeScreen(TopBarScreen):
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
