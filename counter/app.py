"""The counter desktop: ``motcua counter`` (and the ``motcua-counter`` program).

Sign in (user name, password, counter number remembered on this PC), then one window: the open
ticket large, the clerk's actions with their function keys, and beside it the queue this counter
serves, its held tickets and today's figures, refreshed live by the change-feed.

Database work runs in two one-thread pools, each with its own engine (the engine's catalogue
cache is never shared between threads): the clerk's actions in one, in order; the reads of what
the window shows (after an action, and when the change-feed says something moved) in the other,
so a press never waits behind a refresh. A called number is shown as soon as its transaction
committed, before the figures around it are read again. While an action runs the buttons are
disabled; a refresh read before an action finished is dropped (never shows an older state).
The clerk's language (Tiếng Việt by default, English by a switch) is remembered on this PC.
When the database is unreachable a red banner says so, the ticket stays on screen, every action
is disabled (nothing is queued silently) and the window reloads by itself when the feed reaches
the database again. After a crash the same clerk signs in again and the
counter's open ticket comes back (the engine keeps it with the counter).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from counter.model import (
    ACTIONS,
    REFRESH_THROTTLE_MS,
    RETRY_SECONDS,
    SHORTCUTS,
    CounterSnapshot,
    legal_actions,
    load_prefs,
    load_snapshot,
    save_prefs,
)
from counter.widgets import (
    STYLE,
    PauseDialog,
    QueuePanel,
    RatingPrompt,
    SignInPage,
    TicketPanel,
    TransferDialog,
)
from shared.errors import DatabaseError, MotcuaError
from shared.i18n import current_language, set_language, tr
from shared.qt.platform import report_first_frame, start_app
from shared.qt.tasks import TaskRunner
from shared.settings import Settings
from shared.views import TicketView

log = logging.getLogger("motcua.counter")

DEFAULT_WINDOW = (1366, 768)

_KEYS = {getattr(Qt.Key, f"Key_{key}"): action for action, key in SHORTCUTS.items()}


# --- background work ---------------------------------------------------------------------------


# --- the window ----------------------------------------------------------------------------------


class CounterWindow(QWidget):
    """Sign-in page, then the clerk's main page."""

    signed_in = Signal(object)
    """A :class:`~shared.counters.CounterSessionView`: the main page is shown."""
    signed_out = Signal()
    sign_in_failed = Signal(str)
    """The message shown on the sign-in page."""
    snapshot_loaded = Signal(object)
    """A new :class:`~counter.model.CounterSnapshot` is on screen."""
    action_done = Signal(str)
    """An action succeeded (its name, one of :data:`~counter.model.ACTIONS`)."""
    message_shown = Signal(str)
    """An error text in the message bar."""
    rating_prompted = Signal(object)
    """The :class:`~counter.widgets.RatingPrompt` now open."""
    rating_recorded = Signal(object)
    """A :class:`~shared.queue.RatingView`."""
    online_changed = Signal(bool)
    language_changed = Signal(str)
    dialog_opened = Signal(object)
    """A dialog of the clerk's (transfer, pause, "ticket still open") is open and has the keys."""

    def __init__(
        self,
        db: Any,
        centre: str | None,
        settings: Settings,
        family: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.centre = centre
        self.settings = settings
        self.family = family
        self.engine: Any = None
        self.read_engine: Any = None
        """A second engine for the reads (its own thread, its own catalogue cache)."""
        self.session: Any = None
        self.snapshot: CounterSnapshot | None = None
        self.ticket: TicketView | None = None
        self.online = True
        self.busy = False
        self.feed: Any = None
        self._stopped = False
        self.open_ticket_box: QMessageBox | None = None
        self.open_ticket_choices: dict[str, QPushButton | None] = {}
        """The buttons of :attr:`open_ticket_box`: "finish", "no_show", "cancel"."""
        self.transfer_dialog: TransferDialog | None = None
        self.pause_dialog: PauseDialog | None = None
        self.rating_prompt: RatingPrompt | None = None
        self._refreshing = False
        self._refresh_again = False
        self._action_seq = 0
        """Grows when an action starts: reads begun before it are dropped."""
        self.tasks = TaskRunner(self)
        self.reads = TaskRunner(self)
        prefs = load_prefs()
        language = prefs.get("language")
        if language in ("vi", "en"):
            set_language(str(language))
        self.setWindowTitle(tr("counter.window.title"))
        self.setStyleSheet(STYLE)
        base = QFont(family)
        base.setPixelSize(15)
        self.setFont(base)

        # Widgets
        self.sign_in_page = SignInPage(family)
        self.main_page = QWidget()
        self.who = QLabel()
        self.who.setObjectName("who")
        self.who.setFont(_font(family, 20))
        self.paused_label = QLabel()
        self.paused_label.setObjectName("bar_error")
        self.paused_label.setFont(_font(family, 17))
        self.paused_label.setMaximumWidth(620)  # a long note wraps instead of hiding the clerk
        self.paused_label.setWordWrap(True)
        self.paused_label.hide()
        self.rating_where = QPushButton()
        self.rating_where.setObjectName("where")
        self.rating_where.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.rating_where.setFont(_font(family, 14))
        self.rating_on_dialog = bool(prefs.get("rating_on_dialog", False))
        """The clerk chose the dialog even with a second screen (e.g. it faces the room)."""
        self.language_button = QPushButton()
        self.language_button.setObjectName("language")
        self.language_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.language_button.setFont(_font(family, 14))
        self.sign_out_button = QPushButton()
        self.sign_out_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sign_out_button.setFont(_font(family, 16))
        self.offline_banner = QLabel()
        self.offline_banner.setObjectName("offline")
        self.offline_banner.setWordWrap(True)
        self.offline_banner.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setFont(_font(family, 17))
        self.message.hide()
        self.ticket_panel = TicketPanel(family)
        self.queue_panel = QueuePanel(family)
        self.buttons: dict[str, QPushButton] = {}
        for action in ACTIONS:
            button = QPushButton(self._button_text(action))
            button.setObjectName("primary" if action == "call_next" else action)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setFont(_font(family, 22 if action == "call_next" else 16))
            button.clicked.connect(lambda _=False, a=action: self.trigger(a))
            self.buttons[action] = button

        # Layout
        top = QHBoxLayout()
        top.addWidget(self.who, 1)
        top.addWidget(self.paused_label)
        # F11 "Hồ sơ / Dossiers": the dossier window for the signed-in clerk (user id), this
        # counter and its current ticket, on the same database and centre.
        from counter.dossier_window import DossierButton

        self.dossier_button = DossierButton(self, family)
        top.addWidget(self.dossier_button)
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
        main = QVBoxLayout(self.main_page)
        main.addLayout(top)
        main.addWidget(self.offline_banner)
        main.addWidget(self.message)
        main.addLayout(body, 1)
        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.sign_in_page)
        self.stack.addWidget(self.main_page)

        # Timers
        self._refresh_timer = self._timer(self.refresh_now, single=True)
        self._retry_timer = self._timer(self.refresh_now)
        self._retry_timer.setInterval(RETRY_SECONDS * 1000)
        self._message_timer = self._timer(self.message.hide, single=True)
        self._tick_timer = self._timer(self.ticket_panel.tick)
        self._tick_timer.start(5000)

        # Signals
        self.sign_in_page.submitted.connect(self.sign_in)
        self.sign_out_button.clicked.connect(self.sign_out)
        self.queue_panel.held_activated.connect(self._resume_ticket)
        for button in (self.language_button, self.sign_in_page.language_button):
            button.clicked.connect(self.toggle_language)
        self.rating_where.clicked.connect(self.toggle_rating_screen)
        gui = QGuiApplication.instance()
        if isinstance(gui, QGuiApplication):
            gui.screenAdded.connect(lambda _s: self.update_rating_where())
            gui.screenRemoved.connect(lambda _s: self.update_rating_where())

        self.sign_in_page.fill(str(prefs.get("username", "")), _int(prefs.get("counter")))
        self.retranslate()

    def _timer(self, slot: Callable[[], None], *, single: bool = False) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single)
        timer.timeout.connect(slot)
        return timer

    @staticmethod
    def _button_text(action: str, paused: bool = False) -> str:
        key = "resume_counter" if action == "pause" and paused else action
        return f"{SHORTCUTS[action]}  {tr(f'counter.action.{key}')}"

    # --- language ---------------------------------------------------------------------------------

    @property
    def language(self) -> str:
        return current_language()

    def toggle_language(self) -> None:
        self.set_ui_language("en" if self.language == "vi" else "vi")

    def set_ui_language(self, language: str) -> None:
        """Switch the clerk's screen between Tiếng Việt and English (remembered on this PC)."""
        set_language(language)
        save_prefs(language=language)
        self.retranslate()
        self.language_changed.emit(language)

    def retranslate(self) -> None:
        """Every text of the window in the current language."""
        self.sign_in_page.retranslate()
        self.language_button.setText(tr("counter.language.switch"))
        self.language_button.setToolTip(tr("counter.language.tip"))
        self.sign_out_button.setText(tr("counter.main.sign_out"))
        self.offline_banner.setText(tr("counter.offline"))
        paused = self.snapshot is not None and self.snapshot.state.paused
        for action, button in self.buttons.items():
            button.setText(self._button_text(action, paused))
            button.setToolTip(f"{tr(f'counter.action.{action}')} ({SHORTCUTS[action]})")
        self.ticket_panel.retranslate()
        self.queue_panel.retranslate()
        self._show_who()
        self._show_paused()
        self.update_rating_where()
        self._update_buttons()

    def rating_screen(self) -> Any:
        """The screen the rating prompt will fill (None: a dialog on the clerk's screen)."""
        return None if self.rating_on_dialog else RatingPrompt.second_screen(self)

    def toggle_rating_screen(self) -> None:
        """The clerk's switch: with a second screen, the prompt there or as a dialog here."""
        if RatingPrompt.second_screen(self) is None:
            return
        self.rating_on_dialog = not self.rating_on_dialog
        save_prefs(rating_on_dialog=self.rating_on_dialog)
        self.update_rating_where()

    def update_rating_where(self) -> None:
        """Tell the clerk where the citizen's rating prompt will appear (and let them choose
        when a second screen is attached)."""
        second = RatingPrompt.second_screen(self)
        screen = self.rating_screen()
        if screen is not None:
            self.rating_where.setText(tr("counter.rating.where.screen", name=screen.name()))
        elif second is not None:
            self.rating_where.setText(tr("counter.rating.where.dialog_chosen", name=second.name()))
        else:
            self.rating_where.setText(tr("counter.rating.where.dialog"))
        self.rating_where.setEnabled(second is not None)
        self.rating_where.setToolTip(tr("counter.rating.where.tip"))

    @property
    def page(self) -> str:
        return "main" if self.stack.currentWidget() is self.main_page else "sign_in"

    @property
    def counter_number(self) -> int | None:
        return self.session.counter if self.session is not None else None

    # --- signing in and out ----------------------------------------------------------------------

    def sign_in(self, username: str, password: str, number: int) -> None:
        self.sign_in_page.set_busy(True)
        db, centre = self.db, self.centre

        def work(_progress: Callable[[object], None]) -> object:
            from shared.counters import sign_in
            from shared.queue import QueueEngine

            session = sign_in(db, username, password, number, centre=centre)
            engine = QueueEngine(db, centre, user_id=session.user_id)
            return session, engine, load_snapshot(engine, number)

        self._submit(work, None, self._on_signed_in, self._on_sign_in_failed)

    def _on_signed_in(self, result: object) -> None:
        session, engine, snap = result  # type: ignore[misc]
        self.sign_in_page.set_busy(False)
        self.sign_in_page.password.clear()
        save_prefs(session.username, session.counter)
        self.show_signed_in(session, engine, snap)

    def show_signed_in(self, session: Any, engine: Any, snap: CounterSnapshot) -> None:
        """Show the main page for a signed-in clerk with what the database says now."""
        from shared.queue import QueueEngine

        self.session, self.engine = session, engine
        self.read_engine = QueueEngine(engine.db, engine.centre_code, user_id=session.user_id)
        self.snapshot = snap
        self._show_who()
        self.stack.setCurrentWidget(self.main_page)
        self.set_online(True)
        self.apply_snapshot(snap)
        if snap.state.ticket is not None:
            self.show_message(
                tr("counter.main.recovered", number=snap.state.ticket.number), error=False
            )
        self.setFocus()
        self.signed_in.emit(session)

    def _show_who(self) -> None:
        session, snap = self.session, self.snapshot
        if session is None or snap is None:
            self.who.setText("")
            self.setWindowTitle(tr("counter.window.title"))
            return
        name = session.full_name or session.username
        counter = snap.state.name or tr("counter.transfer.counter", number=session.counter)
        self.who.setText(
            tr("counter.main.who", name=name, username=session.username, counter=counter)
        )
        self.setWindowTitle(f"{tr('counter.window.title')} — {counter} — {name}")

    def _show_paused(self) -> None:
        snap = self.snapshot
        paused = snap is not None and snap.state.paused
        self.paused_label.setVisible(paused)
        text = detail = ""
        if snap is not None and paused:
            text = tr("counter.main.paused")
            if snap.pause_reason:
                detail = tr(f"counter.pause_reason.{snap.pause_reason}")
                if snap.pause_note:
                    detail += f": {snap.pause_note}"
        self.paused_label.setText(
            tr("counter.main.paused_reason", reason=detail) if detail else text
        )
        panel = self.ticket_panel
        if (panel.paused_text, panel.paused_detail) != (text, detail):
            panel.paused_text, panel.paused_detail = text, detail
            panel.set_ticket(panel.ticket)

    def _on_sign_in_failed(self, error: object) -> None:
        self.sign_in_page.set_busy(False)
        text = self._describe(error)
        self.sign_in_page.show_error(text)
        self.sign_in_failed.emit(text)

    def sign_out(self) -> None:
        if self.session is None or self.busy:
            return
        db, centre, number = self.db, self.centre, self.session.counter

        def work(_progress: Callable[[object], None]) -> object:
            from shared.counters import sign_out

            return sign_out(db, number, centre=centre)

        self._begin_busy()
        self._submit(work, None, self._on_signed_out, self._on_action_failed)

    def _on_signed_out(self, _result: object) -> None:
        self._end_busy()
        self.session = None
        self.engine = None
        self.read_engine = None
        self.snapshot = None
        self.ticket = None
        self.ticket_panel.set_ticket(None)
        self.message.hide()
        self.stack.setCurrentWidget(self.sign_in_page)
        self.sign_in_page.password.setFocus()
        self.signed_out.emit()

    # --- state on screen --------------------------------------------------------------------------

    def apply_snapshot(self, snap: CounterSnapshot) -> None:
        self.snapshot = snap
        self.ticket_panel.timezone = snap.timezone
        self.ticket_panel.service_names = {c.code: c for c in snap.services}
        self.set_ticket(snap.state.ticket, snap)
        self.queue_panel.set_snapshot(snap)
        self._show_paused()
        self.buttons["pause"].setText(self._button_text("pause", snap.state.paused))
        self._update_buttons()
        if self.feed is None:
            self.start_feed()
        self.snapshot_loaded.emit(snap)

    def set_ticket(self, ticket: TicketView | None, snap: CounterSnapshot | None = None) -> None:
        self.ticket = ticket
        snap = snap or self.snapshot
        transfers = snap.transfers if snap is not None and ticket is not None else []
        if snap is not None and ticket is not None:
            if snap.state.ticket is None or snap.state.ticket.id != ticket.id:
                transfers = []  # the snapshot's history is another ticket's
        self.ticket_panel.set_ticket(
            ticket, snap.priority_names if snap is not None else None, transfers
        )
        self._update_buttons()

    def legal(self) -> set[str]:
        snap = self.snapshot
        if self.session is None or snap is None or self.busy:
            return set()
        return legal_actions(
            self.ticket.status if self.ticket is not None else None,
            paused=snap.state.paused,
            has_held=bool(snap.held),
            online=self.online,
        )

    def _update_buttons(self) -> None:
        allowed = self.legal()
        for action, button in self.buttons.items():
            button.setEnabled(action in allowed)
        self.sign_out_button.setEnabled(self.online and not self.busy)

    def show_message(self, text: str, *, error: bool = True) -> None:
        self.message.setObjectName("bar_error" if error else "bar_info")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.show()
        self._message_timer.start(15_000 if error else 6_000)
        if error:
            self.message_shown.emit(text)

    def set_online(self, online: bool) -> None:
        changed = online != self.online
        self.online = online
        self.offline_banner.setVisible(not online)
        if online:
            self._retry_timer.stop()
        elif not self._retry_timer.isActive():
            self._retry_timer.start()
        self._update_buttons()
        if changed:
            self.online_changed.emit(online)

    # --- actions ----------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        """The function keys, whichever widget of the main page has the focus (keys a child
        does not use come up to the window); never while one of the clerk's dialogs is open."""
        action = _KEYS.get(Qt.Key(event.key())) if self.page == "main" else None
        if action is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            super().keyPressEvent(event)
            return
        event.accept()
        self.trigger(action)

    def open_dialog(self) -> QWidget | None:
        """The clerk's dialog now open (it has the keyboard), or None."""
        for dialog in (self.open_ticket_box, self.transfer_dialog, self.pause_dialog):
            if dialog is not None and dialog.isVisible():
                return dialog
        return None

    def trigger(self, action: str) -> None:
        """A button or its function key: act when the action is legal now."""
        if action not in self.legal() or self.open_dialog() is not None:
            return
        ticket = self.ticket
        if action == "call_next":
            if ticket is not None and ticket.status in ("called", "serving"):
                self.ask_open_ticket(ticket)
            else:
                self.run_action("call_next")
        elif action == "transfer":
            self.open_transfer()
        elif action == "resume":
            held = self.queue_panel.selected_held()
            snap = self.snapshot
            if held is None and snap is not None and snap.held:
                held = snap.held[0].id
            if held is not None:
                self._resume_ticket(held)
        elif action == "pause":
            if self.snapshot is not None and self.snapshot.state.paused:
                self.run_action("resume_counter")
            else:
                self.open_pause()
        else:
            self.run_action(action)

    def _resume_ticket(self, ticket_id: int) -> None:
        if "resume" in self.legal() and self.open_dialog() is None:
            self.run_action("resume", ticket_id=ticket_id)

    def ask_open_ticket(self, ticket: TicketView) -> None:
        """Calling while a ticket is open: finish it, mark a no-show, or do not call.
        Keyboard: Enter finishes and calls, Esc does not call, Tab/arrows reach the others."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(tr("counter.ask.title"))
        box.setText(tr("counter.ask.text", number=ticket.number))
        box.setInformativeText(tr("counter.ask.keys"))
        finish = box.addButton(tr("counter.ask.finish"), QMessageBox.ButtonRole.AcceptRole)
        no_show = None
        if ticket.status == "called":
            no_show = box.addButton(tr("counter.ask.no_show"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(tr("counter.ask.cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(finish)
        box.setEscapeButton(cancel)
        self.open_ticket_choices = {"finish": finish, "no_show": no_show, "cancel": cancel}

        def on_clicked(button: object) -> None:
            self.open_ticket_box = None
            if button is finish:
                self.run_action("call_next", first="finish", ticket_id=ticket.id)
            elif no_show is not None and button is no_show:
                self.run_action("call_next", first="no_show", ticket_id=ticket.id)

        def on_finished(_result: int) -> None:
            if self.open_ticket_box is box:
                self.open_ticket_box = None
            box.deleteLater()

        box.buttonClicked.connect(on_clicked)
        box.finished.connect(on_finished)
        self.open_ticket_box = box
        box.open()
        finish.setFocus()
        self.dialog_opened.emit(box)

    def open_transfer(self) -> None:
        snap, ticket = self.snapshot, self.ticket
        if snap is None or ticket is None:
            return
        services = [c for c in snap.services if c.code != ticket.service]
        dialog = TransferDialog(ticket.number, services, snap.counters, self)
        ticket_id = ticket.id

        def on_accepted() -> None:
            self.run_action("transfer", ticket_id=ticket_id, **dialog.target())

        dialog.accepted.connect(on_accepted)
        dialog.finished.connect(lambda _r: setattr(self, "transfer_dialog", None))
        self.transfer_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def open_pause(self) -> None:
        """ "Tạm ngưng quầy": ask the reason (and a note), then pause."""
        snap = self.snapshot
        if snap is None or self.session is None:
            return
        name = snap.state.name or tr("counter.transfer.counter", number=self.session.counter)
        dialog = PauseDialog(name, self)

        def on_accepted() -> None:
            self.run_action("pause_counter", **dialog.values())

        dialog.accepted.connect(on_accepted)
        dialog.finished.connect(lambda _r: setattr(self, "pause_dialog", None))
        self.pause_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def run_action(
        self, action: str, *, ticket_id: int | None = None, first: str | None = None, **kw: Any
    ) -> None:
        """Run one engine call in the action pool; then read the counter again (read pool)."""
        engine, number = self.engine, self.counter_number
        if engine is None or number is None:
            return
        target = ticket_id if ticket_id is not None else (self.ticket.id if self.ticket else None)
        finished_ticket = self.ticket if action == "finish" or first == "finish" else None
        language = self.snapshot.ticket_language if self.snapshot is not None else "vi"

        def work(progress: Callable[[object], None]) -> object:
            if first is not None:
                getattr(engine, first)(target)
            if action == "call_next":
                result = engine.call_next(number)
                progress(("ticket", result))
            elif action in ("pause_counter", "resume_counter"):
                result = getattr(engine, action)(number, **kw)
            else:
                result = getattr(engine, action)(target, **kw)
            return action, result

        self._action_seq += 1
        self._begin_busy()
        self._submit(
            work,
            self._on_action_progress,
            lambda result: self._on_action_done(result, finished_ticket, language),
            self._on_action_failed,
        )

    def _on_action_progress(self, item: object) -> None:
        kind, value = item  # type: ignore[misc]
        if kind == "ticket":
            # The call is committed: show the citizen's number at once, figures follow.
            self.set_ticket(value)  # type: ignore[arg-type]
            self.ticket_panel.repaint()

    def _on_action_done(self, result: object, finished: TicketView | None, language: str) -> None:
        action, value = result  # type: ignore[misc]
        read, number, seq = self.read_engine, self.counter_number, self._action_seq
        if read is None or number is None:
            self._end_busy()
            return

        def done(snap: object) -> None:
            self._end_busy()
            if self.session is None:
                return
            self.apply_snapshot(snap)  # type: ignore[arg-type]
            if action == "call_next" and value is None:
                self.show_message(tr("counter.main.nobody"), error=False)
            self.action_done.emit(action)
            if finished is not None:
                self.prompt_rating(finished, language)

        def failed(error: object) -> None:
            # The action itself is committed: say the figures could not be read.
            self._end_busy()
            self._on_refresh_failed(error)
            self.action_done.emit(action)
            if finished is not None:
                self.prompt_rating(finished, language)

        self.reads.submit(
            in_language(lambda _p: (seq, load_snapshot(read, number))), None, done_seq(done), failed
        )

    def _on_action_failed(self, error: object) -> None:
        self._end_busy()
        if isinstance(error, DatabaseError):
            self.set_online(False)
        self.show_message(self._describe(error))
        if not isinstance(error, DatabaseError):
            self.refresh_now()

    def _begin_busy(self) -> None:
        self.busy = True
        self._update_buttons()

    def _end_busy(self) -> None:
        self.busy = False
        self._update_buttons()

    def _describe(self, error: object) -> str:
        if isinstance(error, MotcuaError):
            return error.message_in(self.language)
        log.error("unexpected error at the counter", exc_info=error)  # type: ignore[arg-type]
        return tr("counter.unexpected")

    # --- satisfaction -----------------------------------------------------------------------------

    def prompt_rating(self, ticket: TicketView, language: str = "vi") -> RatingPrompt:
        """The citizen's rating of the service just finished, in the language the citizen chose
        at the kiosk: full screen on a second screen when one is attached, else a dialog."""
        if self.rating_prompt is not None:
            self.rating_prompt.reject()  # an earlier prompt still open: "no rating" for it
        self.update_rating_where()
        rating = self.settings.rating
        reasons = [r.strip() for r in rating.reasons.split(",") if r.strip()]
        prompt = RatingPrompt(
            self.family,
            ticket.number,
            rating.scale,
            rating.timeout,
            reasons,
            screen=self.rating_screen(),
            language=language if language in ("vi", "en") else "vi",
            parent=self,
        )
        engine, scale, ticket_id = self.engine, rating.scale, ticket.id

        def on_answered(level: object, source: str, chosen: list[str]) -> None:
            if self.rating_prompt is prompt:
                self.rating_prompt = None

            def work(_progress: Callable[[object], None]) -> object:
                return engine.rate(
                    ticket_id, level, scale=scale, source=source, reasons=tuple(chosen)
                )

            self._submit(work, None, self._on_rated, self._on_rating_failed)

        prompt.answered.connect(on_answered)
        self.rating_prompt = prompt
        prompt.present()
        self.rating_prompted.emit(prompt)
        return prompt

    def _on_rated(self, view: object) -> None:
        level, scale = getattr(view, "level", None), getattr(view, "scale", 3)
        label = tr(f"rating.{scale}.{level}") if level is not None else tr("counter.rating.none")
        self.show_message(
            tr("counter.rating.recorded", number=getattr(view, "number", ""), label=label),
            error=False,
        )
        self.rating_recorded.emit(view)

    def _on_rating_failed(self, error: object) -> None:
        if isinstance(error, DatabaseError):
            self.set_online(False)
        self.show_message(self._describe(error))

    # --- live figures and recovery ----------------------------------------------------------------

    def on_events_arrived(self, _events: list[Any]) -> None:
        if self.session is not None and not self._refresh_timer.isActive():
            self._refresh_timer.start(REFRESH_THROTTLE_MS)

    def on_connection_changed(self, online: bool) -> None:
        if online:
            self.refresh_now()
        else:
            self.set_online(False)

    def refresh_now(self) -> None:
        engine, number = self.read_engine, self.counter_number
        if engine is None or number is None:
            return
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        seq = self._action_seq
        self.reads.submit(
            in_language(lambda _p: (seq, load_snapshot(engine, number))),
            None,
            self._on_refreshed,
            self._on_refresh_failed,
        )

    def _on_refreshed(self, result: object) -> None:
        seq, snap = result  # type: ignore[misc]
        self._refreshing = False
        if self.session is None:
            return
        if seq != self._action_seq or self.busy:
            # Read before (or while) an action ran: the action's own read brings the news.
            self._refresh_again = False
            return
        was_offline = not self.online
        self.set_online(True)
        self.apply_snapshot(snap)
        if was_offline:
            self.show_message(tr("counter.online_again"), error=False)
        if self._refresh_again:
            self._refresh_again = False
            self.refresh_now()

    def _on_refresh_failed(self, error: object) -> None:
        self._refreshing = False
        self._refresh_again = False
        if isinstance(error, DatabaseError):
            self.set_online(False)
        else:
            log.error("cannot read the counter", exc_info=error)  # type: ignore[arg-type]

    def start_feed(self, poll_interval: float = 0.2) -> Any:
        """Start the change-feed thread once the centre is known (``stop`` ends it)."""
        from shared.qt.feed import FeedThread

        if self.snapshot is None or self.feed is not None or self._stopped:
            return self.feed
        self.feed = FeedThread(
            self.db, poll_interval=poll_interval, centre_id=self.snapshot.centre_id, parent=self
        )
        self.feed.events_arrived.connect(self.on_events_arrived)
        self.feed.connection_changed.connect(self.on_connection_changed)
        self.feed.start()
        return self.feed

    def stop(self) -> None:
        """Stop the feed, timers and background work (before closing). Work still finishing
        may not start the feed again (it would outlive the window)."""
        self._stopped = True
        for timer in (self._retry_timer, self._refresh_timer, self._tick_timer):
            timer.stop()
        if self.rating_prompt is not None:
            self.rating_prompt.timer.stop()
        self.tasks.wait()
        self.reads.wait()
        if self.feed is not None:
            self.feed.stop()
            self.feed = None

    # --- internals -----------------------------------------------------------------------------

    def _submit(
        self,
        work: Callable[[Callable[[object], None]], object],
        on_progress: Callable[[object], None] | None,
        on_done: Callable[[object], None],
        on_failed: Callable[[object], None],
    ) -> None:
        self.tasks.submit(in_language(work), on_progress, on_done, on_failed)


def in_language(
    work: Callable[[Callable[[object], None]], object],
) -> Callable[[Callable[[object], None]], object]:
    """Run ``work`` in a worker thread with the window's language (a thread starts in the
    default one): texts the engine puts into its errors follow the clerk's switch."""
    language = current_language()

    def run(progress: Callable[[object], None]) -> object:
        set_language(language)
        return work(progress)

    return run


def done_seq(on_done: Callable[[object], None]) -> Callable[[object], None]:
    """Unwrap a read's ``(action sequence, snapshot)`` result for a callback wanting the
    snapshot only."""

    def unwrap(result: object) -> None:
        on_done(result[1])  # type: ignore[index]

    return unwrap


def _font(family: str, pixels: int) -> QFont:
    font = QFont(family)
    font.setPixelSize(pixels)
    return font


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload,no-any-return]
    except (TypeError, ValueError):
        return None


# --- wiring ------------------------------------------------------------------------------------


def sign_in_now(window: CounterWindow, username: str, number: int) -> None:
    """Sign in synchronously (smoke runs of the main window): password from MOTCUA_PASSWORD."""
    from shared.counters import sign_in
    from shared.queue import QueueEngine

    password = os.environ.get("MOTCUA_PASSWORD", "")
    session = sign_in(window.db, username, password, number, centre=window.centre)
    engine = QueueEngine(window.db, window.centre, user_id=session.user_id)
    window.show_signed_in(session, engine, load_snapshot(engine, number))


def run(ctx: Any) -> int:
    """``motcua counter``: open the counter; ``--smoke``/``--screenshot`` paint one frame, exit."""
    start = start_app(ctx.args)
    if isinstance(start, int):
        return start
    app, family, started = start.app, start.family, start.started
    smoke, screenshot, size, windowed = start.smoke, start.screenshot, start.size, start.windowed
    args = ctx.args
    app.setFont(family)
    window = CounterWindow(ctx.db, ctx.centre, ctx.settings, family)
    if getattr(args, "lang", None):
        set_language(args.lang)  # an explicit --lang wins over the language this PC remembers
        window.retranslate()
    user = getattr(args, "user", None)
    number = getattr(args, "counter", None)
    if user and number:
        sign_in_now(window, user, int(number))
    if windowed or smoke:
        window.resize(*(size or DEFAULT_WINDOW))
        start.place(window)
        window.show()
    else:
        window.showMaximized()

    if smoke:
        report_first_frame(app, window, started, "counter", screenshot)
        if window.session is not None:
            # What a technician (or a test) checks after a restart: the open ticket came back.
            ticket = window.ticket
            state = f"{ticket.number} {ticket.status}" if ticket is not None else "-"
            print(f"counter {window.session.counter}: open ticket {state}", flush=True)
        window.stop()
        window.close()
        return 0

    previous_hook = sys.excepthook

    def excepthook(kind: type[BaseException], error: BaseException, tb: Any) -> None:
        if not isinstance(error, Exception):
            previous_hook(kind, error, tb)
            return
        log.error("unexpected error in the counter", exc_info=error)
        window.show_message(tr("counter.unexpected"))

    sys.excepthook = excepthook
    from shared.qt.backup import DailyBackups

    backups = DailyBackups(lambda: ctx.db, ctx.settings.backup, ctx.centre, window)
    try:
        return int(app.exec())
    finally:
        sys.excepthook = previous_hook
        backups.stop()
        window.stop()
