"""The counter's widgets: sign-in page, the large current ticket, the queue beside it, the
transfer dialog and the citizen's rating prompt. They only display and emit; the window
(:mod:`counter.app`) and its controller (:mod:`counter.controller`) do the database work."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QIntValidator, QKeyEvent, QScreen
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

from counter.model import CounterSnapshot, ServiceChoice, TransferStep
from shared.clock import ensure_aware, zone
from shared.i18n import current_language, tr
from shared.queue import NOTE_MAX, PAUSE_REASONS
from shared.views import TicketView

STYLE = """
QLabel#bar_error { background: #fde2e1; color: #8a1c14; padding: 8px 12px; border-radius: 4px; }
QLabel#bar_info { background: #e3f1e6; color: #1e5b2c; padding: 8px 12px; border-radius: 4px; }
QLabel#offline { background: #b3261e; color: white; padding: 8px; font-weight: bold; }
QLabel#who { font-weight: bold; }
QFrame#ticket { background: white; border: 2px solid #1f4e8c; border-radius: 8px; }
QLabel#number { color: #1f4e8c; font-weight: bold; }
QLabel#number_none { color: #c5cedb; font-weight: bold; }
QLabel#status_called { background: #fff3c4; color: #6b5200; padding: 4px 10px; }
QLabel#status_serving { background: #d6ecff; color: #0b3d6b; padding: 4px 10px; }
QLabel#status_none { color: #666; padding: 4px 10px; }
QLabel#status_paused { background: #fde2e1; color: #8a1c14; padding: 4px 10px; }
QPushButton { padding: 7px 8px; min-height: 32px; }
QPushButton#primary { background: #1f4e8c; color: white; font-weight: bold; }
QPushButton#primary:disabled { background: #9fb2cc; }
QPushButton#level { font-size: 26px; font-weight: bold; min-height: 110px; }
QPushButton#chip { border: 1px solid #888; border-radius: 14px; padding: 6px 14px; }
QPushButton#chip:checked { background: #1f4e8c; color: white; }
QLabel#hint { color: #555; }
QLabel#keys { color: #555; font-size: 13px; }
QPushButton#where { color: #1f4e8c; text-align: left; border: 1px solid #b9c7dc;
  background: #f4f7fb; border-radius: 4px; padding: 4px 8px; min-height: 20px; }
QPushButton#where:disabled { color: #1f4e8c; border: none; background: transparent; }
QLabel#history { color: #6b3d00; background: #fff6e5; padding: 6px 10px; border-radius: 4px; }
QListWidget#held:focus { border: 2px solid #1f4e8c; }
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
        self.title = title = QLabel()
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
        self.button = QPushButton()
        self.button.setObjectName("primary")
        self.language_button = QPushButton()
        self.language_button.setObjectName("language")
        self.message = QLabel()
        self.message.setObjectName("bar_error")
        self.message.setWordWrap(True)
        self.message.hide()
        # Layout
        self.labels = {key: QLabel() for key in ("username", "password", "counter")}
        form = QFormLayout()
        form.addRow(self.labels["username"], self.username)
        form.addRow(self.labels["password"], self.password)
        form.addRow(self.labels["counter"], self.counter)
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
        self.hint = hint = QLabel()
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        inner.addWidget(hint)
        inner.addWidget(self.language_button, 0, Qt.AlignmentFlag.AlignRight)
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
        self.busy = False
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("counter.sign_in.title"))
        for key, label in self.labels.items():
            label.setText(tr(f"counter.sign_in.{key}"))
        self.hint.setText(tr("counter.sign_in.hint"))
        self.language_button.setText(tr("counter.language.switch"))
        self.language_button.setToolTip(tr("counter.language.tip"))
        self.set_busy(self.busy)

    def fill(self, username: str, counter: int | None) -> None:
        self.username.setText(username)
        self.counter.setText(str(counter) if counter else "")
        (self.password if username else self.username).setFocus()

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
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
    """The open ticket, large: number, service, priority group, waited time, status, and the
    transfer history with the clerks' notes."""

    def __init__(self, family: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticket")
        self.ticket: TicketView | None = None
        self.priority_names: dict[str, tuple[str, str]] = {}
        self.transfers: list[TransferStep] = []
        self.paused_text = ""
        """While the counter is paused and nobody is at it: what the status line says."""
        self.paused_detail = ""
        """… and under it, the reason and note."""
        self.service_names: dict[str, ServiceChoice] = {}
        """code -> names, for the transfer history (codes of services no longer listed stay)."""
        self.timezone = "Asia/Ho_Chi_Minh"
        # Widgets
        self.caption = QLabel()
        self.caption.setFont(big_font(family, 18, bold=False))
        self.number = QLabel("—")
        self.number.setObjectName("number")
        self.number.setFont(big_font(family, 112))
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
        self.history.setObjectName("history")
        self.history.setFont(big_font(family, 16, bold=False))
        self.history.setWordWrap(True)
        self.history.setTextFormat(Qt.TextFormat.PlainText)
        # Layout
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(4)
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

    def retranslate(self) -> None:
        self.caption.setText(tr("counter.ticket.caption"))
        self.set_ticket(self.ticket)

    def set_ticket(
        self,
        ticket: TicketView | None,
        priority_names: dict[str, tuple[str, str]] | None = None,
        transfers: list[TransferStep] | None = None,
    ) -> None:
        self.caption.setText(tr("counter.ticket.caption"))
        self.ticket = ticket
        english = current_language() == "en"
        if priority_names is not None:
            self.priority_names = priority_names
        if transfers is not None:
            self.transfers = transfers
        self.number.setObjectName("number" if ticket is not None else "number_none")
        self.number.style().unpolish(self.number)
        self.number.style().polish(self.number)
        if ticket is None:
            self.number.setText("—")
            self.status.setObjectName("status_paused" if self.paused_text else "status_none")
            self.status.setText(self.paused_text or tr("counter.ticket.none"))
            for label in (self.service, self.priority, self.times, self.history):
                label.setText("")
            self.service.setText(self.paused_detail if self.paused_text else "")
            self.history.hide()
        else:
            self.number.setText(ticket.number)
            self.status.setObjectName(f"status_{ticket.status}")
            self.status.setText(tr(f"status.{ticket.status}").upper())
            self.service.setText(
                ticket.service_name_en
                if english and ticket.service_name_en
                else ticket.service_name
            )
            group = ticket.priority
            names = self.priority_names.get(group or "", (group or "", ""))
            self.priority.setText(
                tr(
                    "counter.ticket.priority",
                    group=(names[1] if english and names[1] else names[0]),
                )
                if group
                else ""
            )
            lines = [self.step_text(step) for step in self.transfers]
            self.history.setText(
                "\n".join([tr("counter.history.title") + ":", *lines]) if lines else ""
            )
            self.history.setVisible(bool(lines))
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.tick()

    def step_text(self, step: TransferStep) -> str:
        """One transfer: when, by which counter, from which service to where, and the note."""
        at = ensure_aware(step.at).astimezone(zone(self.timezone)).strftime("%H:%M")
        # A waiting ticket moved from the command line has no counter: say nothing of one.
        by = tr("counter.history.by", counter=f"{step.counter:02d}") if step.counter else ""
        if step.to_service is not None:
            text = tr(
                "counter.history.to_service",
                time=at,
                by=by,
                source=self._service(step.source),
                target=self._service(step.to_service),
            )
        else:
            text = tr(
                "counter.history.to_counter",
                time=at,
                by=by,
                source=self._service(step.source),
                target=f"{step.to_counter:02d}" if step.to_counter else "?",
            )
        if step.note:
            text += " — " + tr("counter.history.note", note=step.note)
        return text

    def _service(self, code: str) -> str:
        choice = self.service_names.get(code)
        return choice.label(current_language()) if choice is not None else code

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
    """Waiting per service this counter serves, the longest wait, held tickets, today's figures.

    The held list takes the keyboard focus (Tab): arrows choose a held number, Enter or F10
    resumes it; the window's function keys keep working while it has the focus."""

    held_activated = Signal(int)
    """A held ticket was activated (Enter or double-click; its id): resume it."""

    def __init__(self, family: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.snapshot: CounterSnapshot | None = None
        # Widgets
        self.waiting_title = QLabel()
        self.waiting_title.setFont(big_font(family, 18))
        self.waiting = QLabel()
        self.waiting.setWordWrap(True)
        self.waiting.setTextFormat(Qt.TextFormat.RichText)
        self.waiting.setFont(big_font(family, 17, bold=False))
        self.longest = QLabel()
        self.longest.setFont(big_font(family, 17, bold=False))
        self.held_title = QLabel()
        self.held_title.setFont(big_font(family, 18))
        self.held = QListWidget()
        self.held.setObjectName("held")
        self.held.setMaximumHeight(150)
        self.held.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.figures_title = QLabel()
        self.figures_title.setFont(big_font(family, 18))
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
        layout.addWidget(self.held_title)
        layout.addWidget(self.held)
        layout.addSpacing(12)
        layout.addWidget(self.figures_title)
        layout.addWidget(self.figures)
        layout.addStretch(1)
        # Signals
        self.held.itemActivated.connect(self._activated)
        self.retranslate()

    def _activated(self, item: QListWidgetItem) -> None:
        value = item.data(Qt.ItemDataRole.UserRole)
        if value is not None:
            self.held_activated.emit(int(value))

    def retranslate(self) -> None:
        self.waiting_title.setText(tr("counter.queue.title"))
        self.held_title.setText(tr("counter.queue.held"))
        self.figures_title.setText(tr("counter.figures.title"))
        if self.snapshot is not None:
            self.set_snapshot(self.snapshot)

    def set_snapshot(self, snap: CounterSnapshot) -> None:
        self.snapshot = snap
        english = current_language() == "en"
        rows = []
        for svc in snap.waiting:
            extra = (
                tr("counter.queue.priority", count=svc.priority_waiting)
                if svc.priority_waiting
                else ""
            )
            name = svc.name_en if english and svc.name_en else svc.name
            rows.append(
                f"<tr><td style='padding-right:12px'>{_html(name)}</td>"
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
            name = held.service_name_en if english and held.service_name_en else held.service_name
            item = QListWidgetItem(f"{held.number} — {name}")
            item.setData(Qt.ItemDataRole.UserRole, held.id)
            self.held.addItem(item)
            if held.id == selected:
                self.held.setCurrentItem(item)
        if not snap.held:
            self.held.addItem(tr("counter.queue.held_none"))
            self.held.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        elif self.held.currentItem() is None:
            self.held.setCurrentRow(0)
        fig = snap.figures
        mean = f"{fig.mean_service_min:.1f}" if fig.mean_service_min is not None else "—"
        self.figures.setText(
            tr("counter.figures.body", served=fig.served, mean=mean, no_shows=fig.no_shows)
        )

    def selected_held(self) -> int | None:
        item = self.held.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return int(value) if value is not None else None


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- transfer -------------------------------------------------------------------------------------


class NoteEdit(QLineEdit):
    """A clerk's one-line note, limited to what the engine keeps."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaxLength(NOTE_MAX)
        self.setPlaceholderText(tr("counter.note.placeholder"))
        self.setClearButtonEnabled(True)


def _hint(text: str, name: str = "hint") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


class TransferDialog(QDialog):
    """Where to send the ticket (another service's queue or one counter), where in that queue,
    and a note for the next counter. Keyboard: Tab between fields, arrows in them, Enter
    transfers, Esc cancels."""

    def __init__(
        self,
        number: str,
        services: list[ServiceChoice],
        counters: list[tuple[int, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("counter.transfer.title", number=number))
        language = current_language()
        # Widgets
        self.to_service = QRadioButton(tr("counter.transfer.to_service"))
        self.to_counter = QRadioButton(tr("counter.transfer.to_counter"))
        self.to_service.setChecked(True)
        self.service = QComboBox()
        for choice in services:
            self.service.addItem(f"{choice.label(language)} ({choice.code})", choice.code)
        self.counter = QComboBox()
        for counter_number, name in counters:
            self.counter.addItem(
                name or tr("counter.transfer.counter", number=counter_number), counter_number
            )
        self.placement = QComboBox()
        for key in ("keep", "front", "back"):
            self.placement.addItem(tr(f"counter.transfer.placement.{key}"), key)
        self.note = NoteEdit()
        self.note.setObjectName("note")
        self.ok = QPushButton(tr("counter.transfer.ok"))
        self.ok.setObjectName("primary")
        self.ok.setDefault(True)
        self.cancel = QPushButton(tr("counter.transfer.cancel"))
        self.cancel.setAutoDefault(False)
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
        grid.addWidget(QLabel(tr("counter.transfer.note")), 3, 0)
        grid.addWidget(self.note, 3, 1)
        grid.addWidget(_hint(tr("counter.note.hint", max=NOTE_MAX)), 4, 1)
        grid.setColumnStretch(1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(_hint(tr("counter.transfer.keys"), "keys"), 1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.ok)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        self.resize(680, 320)
        # Keyboard order: where, then which, then placement, the note, the buttons.
        for first, second in (
            (self.to_service, self.service),
            (self.service, self.to_counter),
            (self.to_counter, self.counter),
            (self.counter, self.placement),
            (self.placement, self.note),
            (self.note, self.ok),
            (self.ok, self.cancel),
        ):
            QWidget.setTabOrder(first, second)
        # Signals
        self.ok.clicked.connect(self.accept)
        self.cancel.clicked.connect(self.reject)
        self.to_service.toggled.connect(self._sync)
        self._sync()
        self.service.setFocus()

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
        note = self.note.text()
        if self.to_service.isChecked():
            return {"to_service": self.service.currentData(), "placement": placement, "note": note}
        return {"to_counter": int(self.counter.currentData()), "placement": placement, "note": note}


class PauseDialog(QDialog):
    """ "Tạm ngưng quầy": a reason from the list and an optional note. Keyboard: arrows choose
    the reason, Tab goes to the note, Enter pauses, Esc cancels."""

    def __init__(self, counter_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{tr('counter.pause.title')} — {counter_name}")
        # Widgets
        title = QLabel(f"{tr('counter.pause.title')} — {counter_name}")
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.reason = QComboBox()
        self.reason.setObjectName("reason")
        for code in PAUSE_REASONS:
            self.reason.addItem(tr(f"counter.pause_reason.{code}"), code)
        self.note = NoteEdit()
        self.note.setObjectName("note")
        self.ok = QPushButton(tr("counter.pause.ok"))
        self.ok.setObjectName("primary")
        self.ok.setDefault(True)
        self.cancel = QPushButton(tr("counter.transfer.cancel"))
        self.cancel.setAutoDefault(False)
        # Layout
        form = QFormLayout()
        form.addRow(tr("counter.pause.reason"), self.reason)
        form.addRow(tr("counter.pause.note"), self.note)
        form.addRow("", _hint(tr("counter.note.hint", max=NOTE_MAX)))
        buttons = QHBoxLayout()
        buttons.addWidget(_hint(tr("counter.pause.keys"), "keys"), 1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.ok)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(_hint(tr("counter.pause.text")))
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.resize(620, 280)
        QWidget.setTabOrder(self.reason, self.note)
        QWidget.setTabOrder(self.note, self.ok)
        QWidget.setTabOrder(self.ok, self.cancel)
        # Signals
        self.ok.clicked.connect(self.accept)
        self.cancel.clicked.connect(self.reject)
        self.reason.setFocus()

    def choose(self, reason: str, note: str = "") -> None:
        self.reason.setCurrentIndex(self.reason.findData(reason))
        self.note.setText(note)

    def values(self) -> dict[str, object]:
        """Keyword arguments for :meth:`QueueEngine.pause_counter`."""
        return {"reason": self.reason.currentData(), "note": self.note.text()}


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
        screen: QScreen | None = None,
        language: str = "vi",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.scale = scale
        self.language = language
        self.target_screen = screen
        """The citizen's screen (None: a dialog on the clerk's screen)."""
        self._done = False
        self._level: int | None = None
        self.setWindowTitle(tr("counter.rating.title", language=language))
        self.setStyleSheet(STYLE)
        self.setFont(big_font(family, 20, bold=False))
        # Widgets
        title = QLabel(tr("counter.rating.question", language=language, number=number))
        title.setFont(big_font(family, 32))
        title.setWordWrap(True)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.level_buttons: dict[int, QPushButton] = {}
        colours = {scale: "#1e7b34", 1: "#b3261e"}
        for level in range(scale, 0, -1):
            button = QPushButton(tr(f"rating.{scale}.{level}", language=language))
            button.setObjectName("level")
            colour = colours.get(level, "#1f4e8c")
            button.setStyleSheet(
                f"QPushButton {{ background: {colour}; color: white; }}"
                "QPushButton:disabled { background: #c9c9c9; color: #f4f4f4; }"
            )
            button.clicked.connect(lambda _=False, lv=level: self.on_level(lv))
            self.level_buttons[level] = button
        self.reason_title = QLabel(tr("counter.rating.reasons", language=language))
        self.reason_title.setFont(big_font(family, 22))
        self.chips: list[QPushButton] = []
        for reason in reasons:
            chip = QPushButton(reason)
            chip.setObjectName("chip")
            chip.setCheckable(True)
            chip.setFont(big_font(family, 20, bold=False))
            self.chips.append(chip)
        self.send = QPushButton(tr("counter.rating.send", language=language))
        self.send.setObjectName("primary")
        self.send.setFont(big_font(family, 22))
        self.by_clerk = QCheckBox(tr("counter.rating.by_clerk", language=language))
        self.by_clerk.setObjectName("by_clerk")
        self.by_clerk.setFont(big_font(family, 16))
        self.by_clerk.setStyleSheet("color: #8a1c14; font-weight: bold;")
        self.countdown = QLabel()
        self.countdown.setStyleSheet("color: #666;")
        self.keys = _hint(tr("counter.rating.keys", language=language, scale=scale), "keys")
        self.keys.setWordWrap(False)
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
        footer.addSpacing(16)
        footer.addWidget(self.keys)
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
        if screen is not None:
            # The citizen's touch screen: big targets for a finger (many visitors are elderly),
            # and the clerk's window keeps the keyboard.
            tall = max(110, int(screen.geometry().height() * 0.32))
            for button in self.level_buttons.values():
                button.setStyleSheet(
                    button.styleSheet()
                    + f"QPushButton {{ font-size: 40px; min-height: {tall}px; }}"
                )
            title.setFont(big_font(family, 44))
            # The clerk's switch and key hint belong to the clerk's screen, not the citizen's:
            # there a touch is always the citizen's own answer.
            self.by_clerk.hide()
            self.keys.hide()
            self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
            self.setWindowFlag(Qt.WindowType.WindowDoesNotAcceptFocus)
            self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        else:
            self.resize(880, 440)

    @staticmethod
    def second_screen(clerk: QWidget | None = None) -> QScreen | None:
        """The citizen's screen: one that is not the clerk window's (None: only one screen)."""
        screens = QGuiApplication.screens()
        if len(screens) < 2:
            return None
        mine = clerk.screen() if clerk is not None else QGuiApplication.primaryScreen()
        return next((screen for screen in screens if screen is not mine), None)

    @property
    def on_second_screen(self) -> bool:
        return self.target_screen is not None

    def present(self) -> None:
        """Show on the citizen's screen (or as a dialog) and start the timeout."""
        screen = self.target_screen
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            self.setModal(False)
            self.show()
        self.timer.start()
        self._seconds.start()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        """Digits 1…scale choose a level (a clerk with the dialog turned away, or a keypad)."""
        text = event.text()
        if (
            text.isdigit()
            and 1 <= int(text) <= self.scale
            and not event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            button = self.level_buttons[int(text)]
            if button.isEnabled():
                event.accept()
                self.by_clerk.setChecked(True)  # citizens touch; a key press is the clerk's
                button.click()
                return
        super().keyPressEvent(event)

    def _count_down(self, initial: bool = False) -> None:
        if not initial:
            self.remaining = max(0, self.remaining - 1)
        self.countdown.setText(
            tr("counter.rating.countdown", language=self.language, seconds=self.remaining)
        )

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
