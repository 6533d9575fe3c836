"""The counter's widgets: sign-in page, the large current ticket, the queue beside it, the
transfer dialog and the citizen's rating prompt. They only display and emit; the window
(:mod:`counter.app`) does the database work."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from counter.model import CounterSnapshot
from shared.clock import ensure_aware, zone
from shared.i18n import tr
from shared.views import TicketView

STYLE = """
QLabel#bar_error { background: #fde2e1; color: #8a1c14; padding: 8px 12px; border-radius: 4px; }
QLabel#bar_info { background: #e3f1e6; color: #1e5b2c; padding: 8px 12px; border-radius: 4px; }
QLabel#offline { background: #b3261e; color: white; padding: 10px; font-weight: bold; }
QLabel#who { font-weight: bold; }
QFrame#ticket { background: white; border: 2px solid #1f4e8c; border-radius: 8px; }
QLabel#number { color: #1f4e8c; font-weight: bold; }
QLabel#status_called { background: #fff3c4; color: #6b5200; padding: 4px 10px; }
QLabel#status_serving { background: #d6ecff; color: #0b3d6b; padding: 4px 10px; }
QLabel#status_none { color: #666; padding: 4px 10px; }
QPushButton { padding: 10px 8px; min-height: 34px; }
QPushButton#primary { background: #1f4e8c; color: white; font-weight: bold; }
QPushButton#primary:disabled { background: #9fb2cc; }
QPushButton#level { font-size: 26px; font-weight: bold; min-height: 110px; }
QPushButton#chip { border: 1px solid #888; border-radius: 14px; padding: 6px 14px; }
QPushButton#chip:checked { background: #1f4e8c; color: white; }
"""


def big_font(family: str, size: int, bold: bool = True) -> QFont:
    font = QFont(family)
    font.setPixelSize(size)
    font.setBold(bold)
    return font


def minutes_between(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(0, int((ensure_aware(end) - ensure_aware(start)).total_seconds() // 60))


# --- sign-in -------------------------------------------------------------------------------------


class SignInPage(QWidget):
    """User name, password and counter number; the last two stay remembered on this PC."""

    submitted = Signal(str, str, int)
    """(user name, password, counter number)."""

    def __init__(self, family: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Widgets
        title = QLabel(tr("counter.sign_in.title"))
        title.setFont(big_font(family, 30))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.counter = QLineEdit()
        self.counter.setObjectName("counter")
        self.counter.setValidator(QIntValidator(1, 999, self))
        self.counter.setMaximumWidth(120)
        self.button = QPushButton(tr("counter.sign_in.button"))
        self.button.setObjectName("primary")
        self.message = QLabel()
        self.message.setObjectName("bar_error")
        self.message.setWordWrap(True)
        self.message.hide()
        # Layout
        form = QFormLayout()
        form.addRow(tr("counter.sign_in.username"), self.username)
        form.addRow(tr("counter.sign_in.password"), self.password)
        form.addRow(tr("counter.sign_in.counter"), self.counter)
        box = QFrame()
        box.setObjectName("ticket")
        box.setMaximumWidth(560)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(32, 28, 32, 28)
        inner.setSpacing(16)
        inner.addWidget(title)
        inner.addLayout(form)
        inner.addWidget(self.message)
        inner.addWidget(self.button)
        hint = QLabel(tr("counter.sign_in.hint"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        inner.addWidget(hint)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 2)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        # Signals
        self.button.clicked.connect(self.on_submit)
        for edit in (self.username, self.password, self.counter):
            edit.returnPressed.connect(self.on_submit)

    def fill(self, username: str, counter: int | None) -> None:
        self.username.setText(username)
        self.counter.setText(str(counter) if counter else "")
        (self.password if username else self.username).setFocus()

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.button.setText(tr("counter.sign_in.busy" if busy else "counter.sign_in.button"))

    def show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def on_submit(self) -> None:
        if not self.button.isEnabled():
            return
        name = self.username.text().strip()
        number = self.counter.text().strip()
        if not name or not self.password.text() or not number.isdigit():
            self.show_error(tr("counter.sign_in.missing"))
            return
        self.show_error("")
        self.submitted.emit(name, self.password.text(), int(number))


# --- the current ticket --------------------------------------------------------------------------


class TicketPanel(QFrame):
    """The open ticket, large: number, service, priority group, waited time, status."""

    def __init__(self, family: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticket")
        self.ticket: TicketView | None = None
        self.priority_names: dict[str, str] = {}
        self.transfers: list[str] = []
        self.timezone = "Asia/Ho_Chi_Minh"
        # Widgets
        self.caption = QLabel(tr("counter.ticket.caption"))
        self.caption.setFont(big_font(family, 18, bold=False))
        self.number = QLabel("—")
        self.number.setObjectName("number")
        self.number.setFont(big_font(family, 120))
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = QLabel()
        self.status.setFont(big_font(family, 22))
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.service = QLabel()
        self.service.setFont(big_font(family, 24))
        self.service.setWordWrap(True)
        self.service.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.priority = QLabel()
        self.priority.setFont(big_font(family, 20))
        self.priority.setStyleSheet("color: #a0410d;")
        self.priority.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.times = QLabel()
        self.times.setFont(big_font(family, 18, bold=False))
        self.times.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.history.setStyleSheet("color: #555;")
        # Layout
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.caption)
        layout.addStretch(1)
        layout.addWidget(self.number)
        layout.addWidget(self.status, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.service)
        layout.addWidget(self.priority)
        layout.addWidget(self.times)
        layout.addWidget(self.history)
        layout.addStretch(1)
        self.set_ticket(None)

    def set_ticket(
        self,
        ticket: TicketView | None,
        priority_names: dict[str, str] | None = None,
        transfers: list[str] | None = None,
    ) -> None:
        self.ticket = ticket
        if priority_names is not None:
            self.priority_names = priority_names
        if transfers is not None:
            self.transfers = transfers
        if ticket is None:
            self.number.setText("—")
            self.status.setObjectName("status_none")
            self.status.setText(tr("counter.ticket.none"))
            for label in (self.service, self.priority, self.times, self.history):
                label.setText("")
        else:
            self.number.setText(ticket.number)
            self.status.setObjectName(f"status_{ticket.status}")
            self.status.setText(tr(f"status.{ticket.status}").upper())
            self.service.setText(ticket.service_name)
            group = ticket.priority
            self.priority.setText(
                tr("counter.ticket.priority", group=self.priority_names.get(group, group))
                if group
                else ""
            )
            self.history.setText(
                tr("counter.ticket.transfers", steps="; ".join(self.transfers))
                if self.transfers
                else ""
            )
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.tick()

    def tick(self, now: datetime | None = None) -> None:
        """Refresh the waited and service times (called every few seconds)."""
        ticket = self.ticket
        if ticket is None:
            return
        moment = ensure_aware(now)
        waited = minutes_between(ticket.issued_at, ticket.called_at or moment)
        issued = ensure_aware(ticket.issued_at).astimezone(zone(self.timezone)).strftime("%H:%M")
        parts = [tr("counter.ticket.waited", minutes=waited, issued=issued)]
        if ticket.started_at is not None:
            parts.append(
                tr("counter.ticket.serving_for", minutes=minutes_between(ticket.started_at, moment))
            )
        if ticket.recall_count:
            parts.append(tr("counter.ticket.recalls", count=ticket.recall_count))
        self.times.setText(" · ".join(parts))


# --- the queue beside it --------------------------------------------------------------------------


class QueuePanel(QWidget):
    """Waiting per service this counter serves, the longest wait, held tickets, today's figures."""

    held_activated = Signal(int)
    """A held ticket was double-clicked (its id): resume it."""

    def __init__(self, family: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Widgets
        self.waiting_title = QLabel(tr("counter.queue.title"))
        self.waiting_title.setFont(big_font(family, 18))
        self.waiting = QLabel()
        self.waiting.setWordWrap(True)
        self.waiting.setTextFormat(Qt.TextFormat.RichText)
        self.waiting.setFont(big_font(family, 17, bold=False))
        self.longest = QLabel()
        self.longest.setFont(big_font(family, 17, bold=False))
        held_title = QLabel(tr("counter.queue.held"))
        held_title.setFont(big_font(family, 18))
        self.held = QListWidget()
        self.held.setObjectName("held")
        self.held.setMaximumHeight(150)
        self.held.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        figures_title = QLabel(tr("counter.figures.title"))
        figures_title.setFont(big_font(family, 18))
        self.figures = QLabel()
        self.figures.setFont(big_font(family, 17, bold=False))
        self.figures.setWordWrap(True)
        # Layout
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.waiting_title)
        layout.addWidget(self.waiting)
        layout.addWidget(self.longest)
        layout.addSpacing(12)
        layout.addWidget(held_title)
        layout.addWidget(self.held)
        layout.addSpacing(12)
        layout.addWidget(figures_title)
        layout.addWidget(self.figures)
        layout.addStretch(1)
        # Signals
        self.held.itemDoubleClicked.connect(
            lambda item: self.held_activated.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        )

    def set_snapshot(self, snap: CounterSnapshot) -> None:
        rows = []
        for svc in snap.waiting:
            extra = (
                tr("counter.queue.priority", count=svc.priority_waiting)
                if svc.priority_waiting
                else ""
            )
            rows.append(
                f"<tr><td style='padding-right:12px'>{svc.name}</td>"
                f"<td align='right'><b style='font-size:22px'>{svc.waiting}</b></td>"
                f"<td style='padding-left:8px;color:#a0410d'>{extra}</td></tr>"
            )
        self.waiting.setText(f"<table>{''.join(rows)}</table>" if rows else "—")
        self.longest.setText(
            tr("counter.queue.longest", minutes=snap.longest_wait_min)
            if snap.longest_wait_min is not None
            else tr("counter.queue.empty")
        )
        selected = self.selected_held()
        self.held.clear()
        for held in snap.held:
            item = QListWidgetItem(f"{held.number} — {held.service_name}")
            item.setData(Qt.ItemDataRole.UserRole, held.id)
            self.held.addItem(item)
            if held.id == selected:
                self.held.setCurrentItem(item)
        if not snap.held:
            self.held.addItem(tr("counter.queue.held_none"))
            self.held.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        fig = snap.figures
        mean = f"{fig.mean_service_min:.1f}" if fig.mean_service_min is not None else "—"
        self.figures.setText(
            tr("counter.figures.body", served=fig.served, mean=mean, no_shows=fig.no_shows)
        )

    def selected_held(self) -> int | None:
        item = self.held.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return int(value) if value is not None else None


# --- transfer -------------------------------------------------------------------------------------


class TransferDialog(QDialog):
    """Where to send the ticket: another service's queue or one counter, and where in it."""

    def __init__(
        self,
        number: str,
        services: list[tuple[str, str]],
        counters: list[tuple[int, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("counter.transfer.title", number=number))
        # Widgets
        self.to_service = QRadioButton(tr("counter.transfer.to_service"))
        self.to_counter = QRadioButton(tr("counter.transfer.to_counter"))
        self.to_service.setChecked(True)
        self.service = QComboBox()
        for code, name in services:
            self.service.addItem(f"{name} ({code})", code)
        self.counter = QComboBox()
        for counter_number, name in counters:
            self.counter.addItem(
                name or tr("counter.transfer.counter", number=counter_number), counter_number
            )
        self.placement = QComboBox()
        for key in ("keep", "front", "back"):
            self.placement.addItem(tr(f"counter.transfer.placement.{key}"), key)
        self.ok = QPushButton(tr("counter.transfer.ok"))
        self.ok.setObjectName("primary")
        self.ok.setDefault(True)
        cancel = QPushButton(tr("counter.transfer.cancel"))
        # Layout
        title = QLabel(tr("counter.transfer.title", number=number))
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        grid = QGridLayout()
        grid.addWidget(self.to_service, 0, 0)
        grid.addWidget(self.service, 0, 1)
        grid.addWidget(self.to_counter, 1, 0)
        grid.addWidget(self.counter, 1, 1)
        grid.addWidget(QLabel(tr("counter.transfer.placement")), 2, 0)
        grid.addWidget(self.placement, 2, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        self.resize(620, 240)
        # Signals
        self.ok.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        self.to_service.toggled.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        by_service = self.to_service.isChecked()
        self.service.setEnabled(by_service)
        self.counter.setEnabled(not by_service)
        self.to_counter.setEnabled(self.counter.count() > 0)

    def choose_service(self, code: str) -> None:
        self.to_service.setChecked(True)
        self.service.setCurrentIndex(self.service.findData(code))

    def choose_counter(self, number: int) -> None:
        self.to_counter.setChecked(True)
        self.counter.setCurrentIndex(self.counter.findData(number))

    def target(self) -> dict[str, object]:
        """Keyword arguments for :meth:`QueueEngine.transfer`."""
        placement = self.placement.currentData()
        if self.to_service.isChecked():
            return {"to_service": self.service.currentData(), "placement": placement}
        return {"to_counter": int(self.counter.currentData()), "placement": placement}


# --- satisfaction ---------------------------------------------------------------------------------


class RatingPrompt(QDialog):
    """The citizen's rating of the service just finished: big buttons, highest level first.

    On a second screen it is a frameless full-screen window there; otherwise a dialog the clerk
    turns toward the citizen. After ``timeout`` seconds without an answer it reports "no rating"
    (``level`` None). A clearly labelled clerk switch records that the clerk entered it.
    """

    answered = Signal(object, str, list)
    """(level 1…scale or None for no rating, source "citizen"|"clerk", reasons)."""

    def __init__(
        self,
        family: str,
        number: str,
        scale: int,
        timeout: float,
        reasons: list[str],
        *,
        on_second_screen: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.scale = scale
        self._done = False
        self._level: int | None = None
        self.setWindowTitle(tr("counter.rating.title"))
        self.setStyleSheet(STYLE)
        self.setFont(big_font(family, 20, bold=False))
        # Widgets
        title = QLabel(tr("counter.rating.question", number=number))
        title.setFont(big_font(family, 32))
        title.setWordWrap(True)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.level_buttons: dict[int, QPushButton] = {}
        colours = {scale: "#1e7b34", 1: "#b3261e"}
        for level in range(scale, 0, -1):
            button = QPushButton(tr(f"rating.{scale}.{level}"))
            button.setObjectName("level")
            colour = colours.get(level, "#1f4e8c")
            button.setStyleSheet(
                f"QPushButton {{ background: {colour}; color: white; }}"
                "QPushButton:disabled { background: #c9c9c9; color: #f4f4f4; }"
            )
            button.clicked.connect(lambda _=False, lv=level: self.on_level(lv))
            self.level_buttons[level] = button
        self.reason_title = QLabel(tr("counter.rating.reasons"))
        self.reason_title.setFont(big_font(family, 22))
        self.chips: list[QPushButton] = []
        for reason in reasons:
            chip = QPushButton(reason)
            chip.setObjectName("chip")
            chip.setCheckable(True)
            chip.setFont(big_font(family, 20, bold=False))
            self.chips.append(chip)
        self.send = QPushButton(tr("counter.rating.send"))
        self.send.setObjectName("primary")
        self.send.setFont(big_font(family, 22))
        self.by_clerk = QCheckBox(tr("counter.rating.by_clerk"))
        self.by_clerk.setObjectName("by_clerk")
        self.by_clerk.setFont(big_font(family, 16))
        self.by_clerk.setStyleSheet("color: #8a1c14; font-weight: bold;")
        self.countdown = QLabel()
        self.countdown.setStyleSheet("color: #666;")
        # Layout
        levels = QHBoxLayout()
        levels.setSpacing(16)
        for button in self.level_buttons.values():
            levels.addWidget(button)
        self.reason_box = QWidget()
        chips = QGridLayout(self.reason_box)
        chips.addWidget(self.reason_title, 0, 0, 1, 2)
        for i, chip in enumerate(self.chips):
            chips.addWidget(chip, 1 + i // 2, i % 2)
        chips.addWidget(self.send, 2 + len(self.chips) // 2, 0, 1, 2)
        self.reason_box.hide()
        footer = QHBoxLayout()
        footer.addWidget(self.by_clerk)
        footer.addStretch(1)
        footer.addWidget(self.countdown)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.addWidget(title)
        layout.addSpacing(16)
        layout.addLayout(levels)
        layout.addWidget(self.reason_box)
        layout.addStretch(1)
        layout.addLayout(footer)
        # Timers and signals
        self.remaining = int(timeout)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(int(timeout * 1000))
        self.timer.timeout.connect(self.on_timeout)
        self._seconds = QTimer(self)
        self._seconds.setInterval(1000)
        self._seconds.timeout.connect(self._count_down)
        self.send.clicked.connect(self.on_send)
        self._count_down(initial=True)
        if on_second_screen:
            self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        else:
            self.resize(820, 420)

    @staticmethod
    def second_screen():  # noqa: ANN205 - QScreen | None
        screens = QGuiApplication.screens()
        return screens[1] if len(screens) > 1 else None

    def present(self) -> None:
        """Show on the citizen's screen (or as a dialog) and start the timeout."""
        screen = self.second_screen()
        if screen is not None:
            self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            self.setModal(False)
            self.show()
        self.timer.start()
        self._seconds.start()

    def _count_down(self, initial: bool = False) -> None:
        if not initial:
            self.remaining = max(0, self.remaining - 1)
        self.countdown.setText(tr("counter.rating.countdown", seconds=self.remaining))

    def source(self) -> str:
        return "clerk" if self.by_clerk.isChecked() else "citizen"

    def on_level(self, level: int) -> None:
        if self._done:
            return
        if level == 1 and self.chips:
            self._level = 1
            for lv, button in self.level_buttons.items():
                button.setEnabled(lv == 1)
            self.reason_box.show()
            self.timer.start()  # the citizen is answering: give them the full time again
            return
        self._finish(level, [])

    def on_send(self) -> None:
        self._finish(self._level or 1, [c.text() for c in self.chips if c.isChecked()])

    def on_timeout(self) -> None:
        if self._level is not None:
            # Chose the lowest level but never sent the reasons: the level stands.
            self.on_send()
            return
        self._finish(None, [], source="citizen")

    def _finish(self, level: int | None, reasons: list[str], source: str | None = None) -> None:
        if self._done:
            return
        self._done = True
        self.timer.stop()
        self._seconds.stop()
        self.answered.emit(level, source or self.source(), reasons)
        self.accept()

    def reject(self) -> None:  # Esc or closing the window: no rating, never a guess
        if not self._done:
            self._finish(None, [], source="citizen")
            return
        super().reject()
