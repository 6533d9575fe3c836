"""The counter desktop: ``motcua counter`` (and the ``motcua-counter`` program).

Sign in (user name, password, counter number remembered on this PC), then one window: the open
ticket large, the clerk's actions with their function keys, and beside it the queue this counter
serves, its held tickets and today's figures, refreshed live by the change-feed. The clerk's
language (Tiếng Việt by default, English by a switch) is remembered on this PC.

The window only draws and forwards the clerk's input. Its
:class:`~counter.controller.CounterController` holds the ticket state and runs the actions, in
two one-thread pools each with its own engine: the clerk's actions in one, in order; the reads
of what the window shows in the other, so a press never waits behind a refresh. When the
database is unreachable a red banner says so, the ticket stays on screen, every action is
disabled (nothing is queued silently) and the window reloads by itself when the change-feed
reaches the database again. After a crash the same clerk signs in again and the counter's open
ticket comes back (the engine keeps it with the counter).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QMessageBox, QPushButton, QStackedLayout, QWidget

from counter import clerk_dialogs
from counter.controller import CounterController
from counter.main_page import MainPage, button_text
from counter.model import (
    REFRESH_THROTTLE_MS,
    RETRY_SECONDS,
    SHORTCUTS,
    CounterSnapshot,
    as_int,
    load_prefs,
    save_prefs,
)
from counter.widgets import STYLE, PauseDialog, RatingPrompt, SignInPage, TransferDialog
from shared.i18n import current_language, set_language, tr
from shared.qt.tasks import TaskRunner
from shared.settings import Settings
from shared.views import TicketView

DEFAULT_WINDOW = (1366, 768)

_KEYS = {getattr(Qt.Key, f"Key_{key}"): action for action, key in SHORTCUTS.items()}


class _Controllers:
    """A window attribute that is its controller's (read only)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, window: Any, owner: type | None = None) -> Any:
        return getattr(window.controller, self.name)


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
        self.tasks, self.reads = TaskRunner(self), TaskRunner(self)
        self.controller = CounterController(db, centre, self, actions=self.tasks, reads=self.reads)
        self.feed: Any = None
        self._stopped = False
        self.open_ticket_box: QMessageBox | None = None
        self.open_ticket_choices: dict[str, QPushButton | None] = {}
        """The buttons of :attr:`open_ticket_box`: "finish", "no_show", "cancel"."""
        self.transfer_dialog: TransferDialog | None = None
        self.pause_dialog: PauseDialog | None = None
        self.rating_prompt: RatingPrompt | None = None
        prefs = load_prefs()
        language = prefs.get("language")
        if language in ("vi", "en"):
            set_language(str(language))
        self.setWindowTitle(tr("counter.window.title"))
        self.setStyleSheet(STYLE)
        base = QFont(family)
        base.setPixelSize(15)
        self.setFont(base)

        from counter.dossier_window import DossierButton

        self.sign_in_page = SignInPage(family)
        self.dossier_button = DossierButton(self, family)
        rating_on_dialog = bool(prefs.get("rating_on_dialog", False))
        self.main_page = page = MainPage(family, self.dossier_button, rating_on_dialog)
        self.who, self.paused_label, self.message = page.who, page.paused_label, page.message
        self.rating_where, self.offline_banner = page.rating_where, page.offline_banner
        self.language_button, self.sign_out_button = page.language_button, page.sign_out_button
        self.ticket_panel, self.queue_panel = page.ticket_panel, page.queue_panel
        self.buttons = page.buttons
        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.sign_in_page)
        self.stack.addWidget(self.main_page)

        self._refresh_timer = QTimer(self, singleShot=True)
        self._retry_timer = QTimer(self, interval=RETRY_SECONDS * 1000)
        for timer in (self._refresh_timer, self._retry_timer):
            timer.timeout.connect(self.refresh_now)

        page.action_pressed.connect(self.trigger)
        self.sign_in_page.submitted.connect(self.sign_in)
        self.sign_out_button.clicked.connect(self.sign_out)
        self.queue_panel.held_activated.connect(self._resume_ticket)
        for button in (self.language_button, self.sign_in_page.language_button):
            button.clicked.connect(self.toggle_language)

        self.sign_in_page.fill(str(prefs.get("username", "")), as_int(prefs.get("counter")))
        self.retranslate()

    # --- the controller's state ------------------------------------------------------------------

    engine = _Controllers()
    read_engine = _Controllers()
    session = _Controllers()
    snapshot = _Controllers()
    ticket = _Controllers()
    online = _Controllers()
    busy = _Controllers()
    counter_number = _Controllers()

    def legal(self) -> set[str]:
        return self.controller.legal()

    @property
    def page(self) -> str:
        return "main" if self.stack.currentWidget() is self.main_page else "sign_in"

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
        self.main_page.retranslate(self.controller.paused)
        self.ticket_panel.retranslate()
        self.queue_panel.retranslate()
        self._show_who()
        self._show_paused()
        self.main_page.update_rating_where()
        self._update_buttons()

    # --- signing in and out ----------------------------------------------------------------------

    def sign_in(self, username: str, password: str, number: int) -> None:
        self.sign_in_page.set_busy(True)
        self.controller.sign_in(username, password, number)

    def on_signed_in(self, session: Any) -> None:
        self.sign_in_page.set_busy(False)
        self.sign_in_page.password.clear()
        save_prefs(session.username, session.counter)

    def show_signed_in(self, session: Any, engine: Any, snap: CounterSnapshot) -> None:
        """Show the main page for a signed-in clerk with what the database says now."""
        self.controller.open(session, engine, snap)

    def on_opened(self, session: Any) -> None:
        self._show_who()
        self.stack.setCurrentWidget(self.main_page)
        self.setFocus()
        self.signed_in.emit(session)

    def on_sign_in_failed(self, text: str) -> None:
        self.sign_in_page.set_busy(False)
        self.sign_in_page.show_error(text)
        self.sign_in_failed.emit(text)

    def sign_out(self) -> None:
        self.controller.sign_out()

    def on_signed_out(self) -> None:
        self.ticket_panel.set_ticket(None)
        self.message.hide()
        self.stack.setCurrentWidget(self.sign_in_page)
        self.sign_in_page.password.setFocus()
        self.signed_out.emit()

    # --- state on screen --------------------------------------------------------------------------

    def _show_who(self) -> None:
        text, title = self.controller.who()
        self.who.setText(text)
        self.setWindowTitle(title)

    def _show_paused(self) -> None:
        self.main_page.show_paused(*self.controller.pause_texts())

    def apply_snapshot(self, snap: CounterSnapshot) -> None:
        self.controller.apply_snapshot(snap)

    def on_snapshot(self, snap: CounterSnapshot) -> None:
        self.ticket_panel.timezone = snap.timezone
        self.ticket_panel.service_names = {c.code: c for c in snap.services}
        self._show_ticket(snap.state.ticket)
        self.queue_panel.set_snapshot(snap)
        self._show_paused()
        self.buttons["pause"].setText(button_text("pause", snap.state.paused))
        self._update_buttons()
        if self.feed is None:
            self.start_feed()
        self.snapshot_loaded.emit(snap)

    def on_called(self, ticket: TicketView | None) -> None:
        self._show_ticket(ticket)
        self.ticket_panel.repaint()

    def _show_ticket(self, ticket: TicketView | None) -> None:
        c = self.controller
        self.ticket_panel.set_ticket(ticket, c.priority_names(), c.history(ticket))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.main_page.set_allowed(self.controller.legal(), self.controller.can_sign_out())

    def on_busy(self, _busy: bool) -> None:
        self._update_buttons()

    def show_message(self, text: str, *, error: bool = True) -> None:
        self.main_page.show_message(text, error)
        if error:
            self.message_shown.emit(text)

    def set_online(self, online: bool) -> None:
        self.controller.set_online(online)

    def on_online(self, online: bool, changed: bool) -> None:
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
        if self.open_dialog() is not None:
            return
        held = self.queue_panel.selected_held() if action == "resume" else None
        step = self.controller.decide(action, held)
        if step is None:
            return
        if step.kind == "ask_open_ticket" and step.ticket is not None:
            clerk_dialogs.ask_open_ticket(self, step.ticket)
        elif step.kind == "transfer":
            clerk_dialogs.open_transfer(self)
        elif step.kind == "resume" and step.held_id is not None:
            self._resume_ticket(step.held_id)
        elif step.kind == "pause":
            clerk_dialogs.open_pause(self)
        elif step.request is not None:
            self.controller.run(step.request)

    def _resume_ticket(self, ticket_id: int) -> None:
        if "resume" in self.legal() and self.open_dialog() is None:
            self.run_action("resume", ticket_id=ticket_id)

    def run_action(
        self, action: str, *, ticket_id: int | None = None, first: str | None = None, **kw: Any
    ) -> None:
        """Run one engine call in the action pool; then read the counter again (read pool)."""
        if self.controller.engine is not None and self.controller.counter_number is not None:
            self.controller.run(
                self.controller.request(action, ticket_id=ticket_id, first=first, **kw)
            )

    def on_action_done(self, action: str) -> None:
        self.action_done.emit(action)

    # --- satisfaction -----------------------------------------------------------------------------

    def on_rating_due(self, ticket: TicketView, language: str) -> None:
        clerk_dialogs.prompt_rating(self, ticket, language)

    def on_rated(self, view: Any) -> None:
        self.rating_recorded.emit(view)

    # --- live figures and recovery ----------------------------------------------------------------

    def on_events_arrived(self, _events: list[Any]) -> None:
        if self.session is not None and not self._refresh_timer.isActive():
            self._refresh_timer.start(REFRESH_THROTTLE_MS)

    def on_connection_changed(self, online: bool) -> None:
        self.controller.connection_changed(online)

    def refresh_now(self) -> None:
        self.controller.refresh()

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
        for timer in (self._retry_timer, self._refresh_timer, self.main_page.tick_timer):
            timer.stop()
        if self.rating_prompt is not None:
            self.rating_prompt.timer.stop()
        self.tasks.wait()
        self.reads.wait()
        if self.feed is not None:
            self.feed.stop()
            self.feed = None


def run(ctx: Any) -> int:
    """``motcua counter``: open the counter; ``--smoke``/``--screenshot`` paint one frame, exit."""
    from counter.launch import run_counter

    return run_counter(ctx)
