"""The counter desktop: ``motcua counter`` (and the ``motcua-counter`` program).

Sign in (user name, password, counter number remembered on this PC), then one window: the open
ticket large, the clerk's actions with their function keys, and beside it the queue this counter
serves, its held tickets and today's figures, refreshed live by the change-feed.

Every database call runs in a one-thread pool (so actions run in order, and the engine's
catalogue cache is never shared between threads) and comes back by signal. While an action runs
the buttons are disabled. When the database is unreachable a red banner says so, the ticket stays
on screen, every action is disabled (nothing is queued silently) and the window reloads by itself
when the feed reaches the database again. After a crash the same clerk signs in again and the
counter's open ticket comes back (the engine keeps it with the counter).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent
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
    QueuePanel,
    RatingPrompt,
    SignInPage,
    TicketPanel,
    TransferDialog,
)
from shared.errors import DatabaseError, MotcuaError
from shared.i18n import tr
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
        self.rating_prompt: RatingPrompt | None = None
        self._refreshing = False
        self._refresh_again = False
        self.tasks = TaskRunner(self)
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
        self.paused_label = QLabel(tr("counter.main.paused"))
        self.paused_label.setObjectName("bar_error")
        self.paused_label.hide()
        self.sign_out_button = QPushButton(tr("counter.main.sign_out"))
        self.sign_out_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sign_out_button.setFont(_font(family, 16))
        self.offline_banner = QLabel(tr("counter.offline"))
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
            button.setToolTip(SHORTCUTS[action])
            button.setFont(_font(family, 22 if action == "call_next" else 17))
            button.clicked.connect(lambda _=False, a=action: self.trigger(a))
            self.buttons[action] = button

        # Layout
        top = QHBoxLayout()
        top.addWidget(self.who, 1)
        top.addWidget(self.paused_label)
        top.addWidget(self.sign_out_button)
        grid = QGridLayout()
        for i, action in enumerate(ACTIONS):
            if action == "call_next":
                grid.addWidget(self.buttons[action], 0, 0, 1, 3)
            else:
                j = i - 1
                grid.addWidget(self.buttons[action], 1 + j // 3, j % 3)
        left = QVBoxLayout()
        left.addWidget(self.ticket_panel, 1)
        left.addLayout(grid)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addSpacing(16)
        body.addWidget(self.queue_panel, 2)
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

        prefs = load_prefs()
        self.sign_in_page.fill(str(prefs.get("username", "")), _int(prefs.get("counter")))
        self._update_buttons()

    def _timer(self, slot: Callable[[], None], *, single: bool = False) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single)
        timer.timeout.connect(slot)
        return timer

    @staticmethod
    def _button_text(action: str, paused: bool = False) -> str:
        key = "resume_counter" if action == "pause" and paused else action
        return f"{SHORTCUTS[action]}  {tr(f'counter.action.{key}')}"

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
        self.session, self.engine = session, engine
        name = session.full_name or session.username
        self.who.setText(
            tr(
                "counter.main.who",
                name=name,
                username=session.username,
                counter=snap.state.name or tr("counter.transfer.counter", number=session.counter),
            )
        )
        self.setWindowTitle(f"{tr('counter.window.title')} — {snap.state.name} — {name}")
        self.stack.setCurrentWidget(self.main_page)
        self.set_online(True)
        self.apply_snapshot(snap)
        if snap.state.ticket is not None:
            self.show_message(
                tr("counter.main.recovered", number=snap.state.ticket.number), error=False
            )
        self.setFocus()
        self.signed_in.emit(session)

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
        self.set_ticket(snap.state.ticket, snap)
        self.queue_panel.set_snapshot(snap)
        paused = snap.state.paused
        self.paused_label.setVisible(paused)
        self.buttons["pause"].setText(self._button_text("pause", paused))
        self._update_buttons()
        if self.feed is None:
            self.start_feed()
        self.snapshot_loaded.emit(snap)

    def set_ticket(self, ticket: TicketView | None, snap: CounterSnapshot | None = None) -> None:
        self.ticket = ticket
        snap = snap or self.snapshot
        transfers = snap.transfers if snap is not None and ticket is not None else []
        if snap is not None and ticket is not None and snap.state.ticket is not None:
            if snap.state.ticket.id != ticket.id:
                transfers = []
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
        action = _KEYS.get(Qt.Key(event.key())) if self.page == "main" else None
        if action is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            super().keyPressEvent(event)
            return
        event.accept()
        self.trigger(action)

    def trigger(self, action: str) -> None:
        """A button or its function key: act when the action is legal now."""
        if action not in self.legal():
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
            paused = self.snapshot is not None and self.snapshot.state.paused
            self.run_action("resume_counter" if paused else "pause_counter")
        else:
            self.run_action(action)

    def _resume_ticket(self, ticket_id: int) -> None:
        if "resume" in self.legal():
            self.run_action("resume", ticket_id=ticket_id)

    def ask_open_ticket(self, ticket: TicketView) -> None:
        """Calling while a ticket is open: finish it, mark a no-show, or do not call."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(tr("counter.ask.title"))
        box.setText(tr("counter.ask.text", number=ticket.number))
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

        box.buttonClicked.connect(on_clicked)
        box.finished.connect(lambda _r: box.deleteLater())
        self.open_ticket_box = box
        box.open()

    def open_transfer(self) -> None:
        snap, ticket = self.snapshot, self.ticket
        if snap is None or ticket is None:
            return
        services = [(c, n) for c, n in snap.services if c != ticket.service]
        dialog = TransferDialog(ticket.number, services, snap.counters, self)
        ticket_id = ticket.id

        def on_accepted() -> None:
            self.run_action("transfer", ticket_id=ticket_id, **dialog.target())

        dialog.accepted.connect(on_accepted)
        dialog.finished.connect(lambda _r: setattr(self, "transfer_dialog", None))
        self.transfer_dialog = dialog
        dialog.open()

    def run_action(
        self, action: str, *, ticket_id: int | None = None, first: str | None = None, **kw: Any
    ) -> None:
        """Run one engine call in the pool, then re-read the counter."""
        engine, number = self.engine, self.counter_number
        if engine is None or number is None:
            return
        target = ticket_id if ticket_id is not None else (self.ticket.id if self.ticket else None)
        finished_ticket = self.ticket if action == "finish" or first == "finish" else None

        def work(progress: Callable[[object], None]) -> object:
            if first is not None:
                getattr(engine, first)(target)
            if action == "call_next":
                result = engine.call_next(number)
                progress(("ticket", result))
            elif action in ("pause_counter", "resume_counter"):
                result = getattr(engine, action)(number)
            else:
                result = getattr(engine, action)(target, **kw)
            return action, result, load_snapshot(engine, number)

        self._begin_busy()
        self._submit(
            work,
            self._on_action_progress,
            lambda result: self._on_action_done(result, finished_ticket),
            self._on_action_failed,
        )

    def _on_action_progress(self, item: object) -> None:
        kind, value = item  # type: ignore[misc]
        if kind == "ticket":
            # The call is committed: show the citizen's number at once, figures follow.
            self.set_ticket(value)  # type: ignore[arg-type]

    def _on_action_done(self, result: object, finished: TicketView | None) -> None:
        action, value, snap = result  # type: ignore[misc]
        self._end_busy()
        self.apply_snapshot(snap)
        if action == "call_next" and value is None:
            self.show_message(tr("counter.main.nobody"), error=False)
        self.action_done.emit(action)
        if finished is not None:
            self.prompt_rating(finished)

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

    @staticmethod
    def _describe(error: object) -> str:
        if isinstance(error, MotcuaError):
            return error.message
        log.error("unexpected error at the counter", exc_info=error)  # type: ignore[arg-type]
        return tr("counter.unexpected")

    # --- satisfaction -----------------------------------------------------------------------------

    def prompt_rating(self, ticket: TicketView) -> RatingPrompt:
        """The citizen's rating of the service just finished (second screen or dialog)."""
        if self.rating_prompt is not None:
            self.rating_prompt.reject()  # an earlier prompt still open: "no rating" for it
        rating = self.settings.rating
        reasons = [r.strip() for r in rating.reasons.split(",") if r.strip()]
        prompt = RatingPrompt(
            self.family,
            ticket.number,
            rating.scale,
            rating.timeout,
            reasons,
            on_second_screen=RatingPrompt.second_screen() is not None,
            parent=self,
        )
        engine, scale, ticket_id = self.engine, rating.scale, ticket.id

        def on_answered(level: object, source: str, chosen: list[str]) -> None:
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
        label = getattr(view, "label", None) or tr("counter.rating.none")
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
        engine, number = self.engine, self.counter_number
        if engine is None or number is None:
            return
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        self._submit(
            lambda _p: load_snapshot(engine, number),
            None,
            self._on_refreshed,
            self._on_refresh_failed,
        )

    def _on_refreshed(self, snap: object) -> None:
        self._refreshing = False
        if self.session is None:
            return
        was_offline = not self.online
        self.set_online(True)
        self.apply_snapshot(snap)  # type: ignore[arg-type]
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
        self.tasks.submit(work, on_progress, on_done, on_failed)


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
    user = getattr(args, "user", None)
    number = getattr(args, "counter", None)
    if user and number:
        sign_in_now(window, user, int(number))
    if windowed or smoke:
        window.resize(*(size or DEFAULT_WINDOW))
        window.show()
    else:
        window.showMaximized()

    if smoke:
        report_first_frame(app, window, started, "counter", screenshot)
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
    try:
        return int(app.exec())
    finally:
        sys.excepthook = previous_hook
        window.stop()
