"""The priority flow's first step: the priority groups, big yellow cards."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QWidget

from kiosk.model import HomeData
from kiosk.screens.base import TopBarScreen, lay_grid
from kiosk.screens.buttons import GroupButton
from shared.i18n import tr


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
