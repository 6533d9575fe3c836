"""The clerk's main page: who is at which counter, the open ticket large, the actions with their
function keys, and beside them the queue this counter serves, its held tickets and today's
figures. It only draws what it is given and says which button was pressed; the window
(:mod:`counter.app`) and its controller (:mod:`counter.controller`) decide."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QScreen
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter.model import ACTIONS, SHORTCUTS, save_prefs
from counter.widgets import QueuePanel, RatingPrompt, TicketPanel
from shared.i18n import tr

MESSAGE_MS = {True: 15_000, False: 6_000}
"""How long a message stays: an error, news."""


class MainPage(QWidget):
    """The clerk's page once signed in."""

    action_pressed = Signal(str)
    """A button of :data:`~counter.model.ACTIONS` was clicked."""

    def __init__(self, family: str, dossier_button: QWidget, rating_on_dialog: bool) -> None:
        super().__init__()
        self.rating_on_dialog = rating_on_dialog
        """The clerk chose the dialog even with a second screen (e.g. it faces the room)."""
        self.who = QLabel()
        self.who.setObjectName("who")
        self.who.setFont(font(family, 20))
        self.paused_label = QLabel()
        self.paused_label.setObjectName("bar_error")
        self.paused_label.setFont(font(family, 17))
        self.paused_label.setMaximumWidth(620)  # a long note wraps instead of hiding the clerk
        self.paused_label.setWordWrap(True)
        self.paused_label.hide()
        self.rating_where = QPushButton()
        self.rating_where.setObjectName("where")
        self.rating_where.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.rating_where.setFont(font(family, 14))
        self.language_button = QPushButton()
        self.language_button.setObjectName("language")
        self.language_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.language_button.setFont(font(family, 14))
        self.sign_out_button = QPushButton()
        self.sign_out_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sign_out_button.setFont(font(family, 16))
        self.offline_banner = QLabel()
        self.offline_banner.setObjectName("offline")
        self.offline_banner.setWordWrap(True)
        self.offline_banner.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setFont(font(family, 17))
        self.message.hide()
        self.ticket_panel = TicketPanel(family)
        self.queue_panel = QueuePanel(family)
        self.buttons: dict[str, QPushButton] = {}
        for action in ACTIONS:
            button = QPushButton(button_text(action))
            button.setObjectName("primary" if action == "call_next" else action)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setFont(font(family, 22 if action == "call_next" else 16))
            button.clicked.connect(lambda _=False, a=action: self.action_pressed.emit(a))
            self.buttons[action] = button

        # Layout
        top = QHBoxLayout()
        top.addWidget(self.who, 1)
        top.addWidget(self.paused_label)
        # F11 "Hồ sơ / Dossiers": the dossier window for the signed-in clerk (user id), this
        # counter and its current ticket, on the same database and centre.
        top.addWidget(dossier_button)
        top.addWidget(self.language_button)
        top.addWidget(self.sign_out_button)
        grid = QGridLayout()
        for i, action in enumerate(ACTIONS):
            if action == "call_next":
                grid.addWidget(self.buttons[action], 0, 0, 1, 4)
            else:
                j = i - 1
                grid.addWidget(self.buttons[action], 1 + j // 4, j % 4)
        left = QVBoxLayout()
        left.addWidget(self.ticket_panel, 1)
        left.addLayout(grid)
        right = QVBoxLayout()
        right.addWidget(self.queue_panel, 1)
        right.addWidget(self.rating_where)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addSpacing(16)
        body.addLayout(right, 2)
        main = QVBoxLayout(self)
        main.addLayout(top)
        main.addWidget(self.offline_banner)
        main.addWidget(self.message)
        main.addLayout(body, 1)

        self.message_timer = QTimer(self)
        self.message_timer.setSingleShot(True)
        self.message_timer.timeout.connect(self.message.hide)
        self.tick_timer = QTimer(self)
        self.tick_timer.timeout.connect(self.ticket_panel.tick)
        self.tick_timer.start(5000)
        self.rating_where.clicked.connect(self.toggle_rating_screen)
        gui = QGuiApplication.instance()
        if isinstance(gui, QGuiApplication):
            gui.screenAdded.connect(lambda _s: self.update_rating_where())
            gui.screenRemoved.connect(lambda _s: self.update_rating_where())

    def retranslate(self, paused: bool) -> None:
        """The page's own texts in the current language (the panels have theirs)."""
        self.language_button.setText(tr("counter.language.switch"))
        self.language_button.setToolTip(tr("counter.language.tip"))
        self.sign_out_button.setText(tr("counter.main.sign_out"))
        self.offline_banner.setText(tr("counter.offline"))
        for action, button in self.buttons.items():
            button.setText(button_text(action, paused))
            button.setToolTip(f"{tr(f'counter.action.{action}')} ({SHORTCUTS[action]})")

    def set_allowed(self, allowed: set[str], can_sign_out: bool) -> None:
        for action, button in self.buttons.items():
            button.setEnabled(action in allowed)
        self.sign_out_button.setEnabled(can_sign_out)

    def show_paused(self, text: str, detail: str) -> None:
        """The "paused" bar (with the reason and note), and the ticket panel's status line."""
        self.paused_label.setVisible(bool(text))
        self.paused_label.setText(
            tr("counter.main.paused_reason", reason=detail) if detail else text
        )
        panel = self.ticket_panel
        if (panel.paused_text, panel.paused_detail) != (text, detail):
            panel.paused_text, panel.paused_detail = text, detail
            panel.set_ticket(panel.ticket)

    def show_message(self, text: str, error: bool) -> None:
        self.message.setObjectName("bar_error" if error else "bar_info")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.show()
        self.message_timer.start(MESSAGE_MS[error])

    def second_screen(self) -> QScreen | None:
        return RatingPrompt.second_screen(self.window())

    def rating_screen(self) -> QScreen | None:
        """The screen the rating prompt will fill (None: a dialog on the clerk's screen)."""
        return None if self.rating_on_dialog else self.second_screen()

    def toggle_rating_screen(self) -> None:
        """The clerk's switch: with a second screen, the prompt there or as a dialog here."""
        if self.second_screen() is None:
            return
        self.rating_on_dialog = not self.rating_on_dialog
        save_prefs(rating_on_dialog=self.rating_on_dialog)
        self.update_rating_where()

    def update_rating_where(self) -> None:
        """Tell the clerk where the citizen's rating prompt will appear (and let them choose
        when a second screen is attached)."""
        second = self.second_screen()
        screen = self.rating_screen()
        if screen is not None:
            self.rating_where.setText(tr("counter.rating.where.screen", name=screen.name()))
        elif second is not None:
            self.rating_where.setText(tr("counter.rating.where.dialog_chosen", name=second.name()))
        else:
            self.rating_where.setText(tr("counter.rating.where.dialog"))
        self.rating_where.setEnabled(second is not None)
        self.rating_where.setToolTip(tr("counter.rating.where.tip"))


def button_text(action: str, paused: bool = False) -> str:
    """An action's button: its function key and its name (pause reads "resume" while paused)."""
    key = "resume_counter" if action == "pause" and paused else action
    return f"{SHORTCUTS[action]}  {tr(f'counter.action.{key}')}"


def font(family: str, pixels: int) -> QFont:
    result = QFont(family)
    result.setPixelSize(pixels)
    return result
