"""The kiosk: ``motcua kiosk`` (and the ``motcua-kiosk`` program).

One window, one screen at a time: home (services), priority group → priority service,
confirmation, and three calm messages (taking a number…, out of service, something went wrong).

Database and printer work never runs on the UI thread: it goes to a one-thread pool (so issue,
print and status reads run in order) and comes back by signal. Taking a number uses one request
id per touch flow: the buttons are disabled while it runs, and a retry after a failure reuses the
same id, so the core returns the same ticket instead of issuing a second one. The change-feed
(:class:`shared.qt.feed.FeedThread`) tells when figures changed (status re-read, throttled) and
when the database is lost or back (out-of-service screen, which also retries by itself).
"""

from __future__ import annotations

import logging
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QStackedLayout, QWidget

from kiosk.model import (
    BUSY_NOTICE_MS,
    CONFIRM_PRINTER_FAILED_SECONDS,
    CONFIRM_SECONDS,
    ERROR_SECONDS,
    IDLE_SECONDS,
    REFRESH_THROTTLE_MS,
    RETRY_SECONDS,
    GroupChoice,
    HomeData,
    home_from_status,
    load_home,
)
from kiosk.screens import (
    Confirmation,
    ConfirmScreen,
    GroupScreen,
    MessageScreen,
    ServiceScreen,
    local_clock,
)
from shared.errors import ConfigError, DatabaseError, MotcuaError, PrinterError
from shared.qt.platform import parse_size, prepare_platform, report_first_frame
from shared.qt.tasks import TaskRunner
from shared.settings import Settings

log = logging.getLogger("motcua.kiosk")

DEFAULT_WINDOW = (1080, 1920)

SCREENS = ("home", "groups", "priority_services", "busy", "confirm", "offline", "error")


# --- background work ---------------------------------------------------------------------------


# --- the window ----------------------------------------------------------------------------------


class KioskWindow(QWidget):
    """The whole kiosk screen."""

    screen_changed = Signal(str)
    """The name of the screen now shown (one of :data:`SCREENS`)."""
    ticket_shown = Signal(object)
    """A :class:`~kiosk.screens.Confirmation` now on screen (the ticket is issued)."""
    print_finished = Signal(str)
    """"printed" or "printer_failed"."""
    home_refreshed = Signal(object)
    """New :class:`~kiosk.model.HomeData` (figures after a change, or reloaded after an outage)."""
    flow_reset = Signal()
    """The idle timeout sent a half-done flow home."""

    def __init__(
        self,
        db: Any,
        centre: str | None,
        settings: Settings,
        family: str,
        home: HomeData | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from shared.queue import QueueEngine

        self.db = db
        self.centre = centre
        self.settings = settings
        self.engine = QueueEngine(db, centre)
        self.home = home or HomeData()
        self.language = "vi"
        self.online = home is not None
        self.busy = False
        self.pending: tuple[str, str | None, str] | None = None
        """(service, priority, request id) of the take in progress or failed: reused on retry."""
        self.group: GroupChoice | None = None
        self.idle_ms = IDLE_SECONDS * 1000
        self.confirm_ms = CONFIRM_SECONDS * 1000
        self.confirm_failed_ms = CONFIRM_PRINTER_FAILED_SECONDS * 1000
        self.error_ms = ERROR_SECONDS * 1000
        self.feed: Any = None
        self._reloading = False
        self._refreshing = False
        self._refresh_again = False
        self._current = ""
        self.tasks = TaskRunner(self)
        self.setWindowTitle(self.home.centre_name or "MotCua")
        clock = local_clock(lambda: self.home.timezone)

        # Widgets
        self.home_screen = ServiceScreen(family, clock, priority=False)
        self.group_screen = GroupScreen(family, clock)
        self.priority_screen = ServiceScreen(family, clock, priority=True)
        self.busy_screen = MessageScreen(family, "kiosk.busy", None)
        self.confirm_screen = ConfirmScreen(family)
        self.offline_screen = MessageScreen(family, "kiosk.offline.title", "kiosk.offline.body")
        self.error_screen = MessageScreen(family, "kiosk.error.title", "kiosk.error.body")
        self.screens: dict[str, QWidget] = {
            "home": self.home_screen,
            "groups": self.group_screen,
            "priority_services": self.priority_screen,
            "busy": self.busy_screen,
            "confirm": self.confirm_screen,
            "offline": self.offline_screen,
            "error": self.error_screen,
        }

        # Layout
        self.stack = QStackedLayout(self)
        self.stack.setContentsMargins(0, 0, 0, 0)
        for screen in self.screens.values():
            self.stack.addWidget(screen)

        # Signals
        self.home_screen.service_chosen.connect(self.on_service_chosen)
        self.home_screen.priority_chosen.connect(self.on_priority_chosen)
        self.home_screen.language_chosen.connect(self.set_language)
        self.group_screen.language_chosen.connect(self.set_language)
        self.priority_screen.language_chosen.connect(self.set_language)
        self.group_screen.group_chosen.connect(self.on_group_chosen)
        self.group_screen.back_chosen.connect(self.go_home)
        self.priority_screen.back_chosen.connect(self.on_priority_chosen)
        self.priority_screen.service_chosen.connect(self.on_priority_service_chosen)
        self.confirm_screen.dismissed.connect(self.go_home)
        self.error_screen.touched.connect(self.go_home)
        self._confirm_timer = self._timer(self.go_home)
        self._error_timer = self._timer(self.go_home)
        self._idle_timer = self._timer(self.on_idle_elapsed)
        self._busy_timer = self._timer(self.on_busy_elapsed)
        self._refresh_timer = self._timer(self.refresh_now)
        self._retry_timer = QTimer(self)
        self._retry_timer.setInterval(RETRY_SECONDS * 1000)
        self._retry_timer.timeout.connect(self.reload)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

        self.set_home(self.home)
        self.set_language("vi")
        if self.online:
            self.show_screen("home")
        else:
            self.go_offline()

    def _timer(self, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(slot)
        return timer

    # --- reading (tests, screenshots) -----------------------------------------------------------

    @property
    def current(self) -> str:
        return self._current

    def show_screen(self, name: str) -> None:
        self.stack.setCurrentWidget(self.screens[name])
        if name != self._current:
            self._current = name
            self.screen_changed.emit(name)

    # --- language and data ---------------------------------------------------------------------

    def set_language(self, language: str) -> None:
        self.language = language
        for screen in self.screens.values():
            screen.set_language(language)  # type: ignore[attr-defined]

    def set_home(self, home: HomeData) -> None:
        self.home = home
        self.home_screen.set_home(home)
        self.priority_screen.set_home(home)
        self.group_screen.set_home(home)
        self.home_screen.set_language(self.language)
        self.priority_screen.set_language(self.language)
        self.group_screen.set_language(self.language)
        if home.centre_name:
            self.setWindowTitle(home.centre_name)

    # --- the touch flows -----------------------------------------------------------------------

    def go_home(self) -> None:
        for timer in (self._confirm_timer, self._error_timer, self._idle_timer):
            timer.stop()
        if self.busy:
            return
        self.group = None
        self.priority_screen.set_group(None)
        if not self.online:
            self.go_offline()
            return
        if self.current == "confirm" or self.current == "error":
            self.set_language("vi")  # the next visitor starts in Vietnamese
        self.show_screen("home")

    def on_priority_chosen(self) -> None:
        if self.busy:
            return
        self.show_screen("groups")
        self._idle_timer.start(self.idle_ms)

    def on_group_chosen(self, code: str) -> None:
        group = next((g for g in self.home.groups if g.code == code), None)
        if group is None or self.busy:
            return
        self.group = group
        self.priority_screen.set_group(group)
        self.show_screen("priority_services")
        self._idle_timer.start(self.idle_ms)

    def on_service_chosen(self, code: str) -> None:
        self.take(code, None)

    def on_priority_service_chosen(self, code: str) -> None:
        self.take(code, self.group.code if self.group else None)

    def take(self, service: str, priority: str | None) -> None:
        """Issue (once) and print a ticket for ``service``, in the background."""
        if self.busy:
            return
        if self.pending is None or self.pending[:2] != (service, priority):
            self.pending = (service, priority, uuid.uuid4().hex)
        request_id = self.pending[2]
        self.busy = True
        self._idle_timer.stop()
        for screen in (self.home_screen, self.priority_screen):
            screen.set_busy(True)
        self._busy_timer.start(BUSY_NOTICE_MS)
        language = self.language
        engine, settings = self.engine, self.settings

        def work(progress: Callable[[object], None]) -> object:
            from shared.printing.jobs import print_ticket, ticket_print_data

            view = engine.issue(
                service, priority=priority, request_id=request_id, language=language
            )
            info = engine.print_details(view.id)
            data = ticket_print_data(info, settings.lookup.base_url)
            progress(
                Confirmation(
                    ticket_id=view.id,
                    number=view.number,
                    service_name=view.service_name,
                    service_name_en=view.service_name_en,
                    ahead=view.ahead,
                    estimated_wait_min=info.estimated_wait_min,
                    counters=info.counters,
                    qr_text=data.qr_text,
                    priority_name=info.priority_name,
                )
            )
            try:
                print_ticket(engine, view.id, settings)
            except PrinterError as error:
                log.warning("ticket %s shown, not printed: %s", view.number, error.code)
                return ConfirmScreen.PRINTER_FAILED
            return ConfirmScreen.PRINTED

        self._submit(work, self.on_ticket_issued, self.on_print_finished, self.on_take_failed)

    def on_ticket_issued(self, confirmation: object) -> None:
        assert isinstance(confirmation, Confirmation)
        self._end_busy()
        self.pending = None
        self.confirm_screen.show_ticket(confirmation)
        self.show_screen("confirm")
        self._confirm_timer.start(self.confirm_ms)
        self.ticket_shown.emit(confirmation)

    def on_print_finished(self, state: object) -> None:
        self.confirm_screen.set_print_state(str(state))
        if state == ConfirmScreen.PRINTER_FAILED and self.current == "confirm":
            self._confirm_timer.start(self.confirm_failed_ms)
        self.print_finished.emit(str(state))

    def on_take_failed(self, error: object) -> None:
        if self.current == "confirm" and not self.busy:
            # Issued and shown; the printing step failed in an unexpected way.
            log.error("printing failed after the ticket was shown: %r", error)
            self.on_print_finished(ConfirmScreen.PRINTER_FAILED)
            return
        self._end_busy()
        if isinstance(error, DatabaseError):
            log.warning("cannot take a number: %s", error.message_in("en"))
            self.go_offline()
        elif isinstance(error, MotcuaError):
            log.warning("number refused: %s", error.message_in("en"))
            self.pending = None
            self.show_error()
        else:
            log.error("unexpected error while taking a number", exc_info=error)  # type: ignore[arg-type]
            self.pending = None
            self.show_error()

    def _end_busy(self) -> None:
        self.busy = False
        self._busy_timer.stop()
        for screen in (self.home_screen, self.priority_screen):
            screen.set_busy(False)

    def on_busy_elapsed(self) -> None:
        if self.busy:
            self.show_screen("busy")

    def on_idle_elapsed(self) -> None:
        if self.busy or self.current not in ("groups", "priority_services"):
            return
        self.pending = None
        self.go_home()
        self.flow_reset.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (
            event.type()
            in (
                QEvent.Type.MouseButtonPress,
                QEvent.Type.TouchBegin,
                QEvent.Type.KeyPress,
            )
            and self._idle_timer.isActive()
        ):
            self._idle_timer.start(self.idle_ms)
        return False

    # --- failures ------------------------------------------------------------------------------

    def show_error(self) -> None:
        self.show_screen("error")
        self._error_timer.start(self.error_ms)

    def on_unexpected(self, error: BaseException) -> None:
        """An exception escaped a slot (via ``sys.excepthook``): calm message, then home."""
        log.error("unexpected error in the kiosk", exc_info=error)
        if self.busy:
            self._end_busy()
        self.show_error()

    def go_offline(self) -> None:
        self.online = False
        if self.current != "confirm":
            self.show_screen("offline")
        if not self._retry_timer.isActive():
            self._retry_timer.start()

    def on_connection_changed(self, online: bool) -> None:
        """From the change-feed: the database was lost (False) or reached again (True)."""
        if online:
            self.reload()
        else:
            self.go_offline()

    def reload(self) -> None:
        """Read everything again in the background; back to home when it works."""
        if self._reloading:
            return
        self._reloading = True
        db, centre = self.db, self.centre
        self._submit(
            lambda _progress: load_home(db, centre), None, self.on_reloaded, self.on_reload_failed
        )

    def on_reloaded(self, home: object) -> None:
        assert isinstance(home, HomeData)
        self._reloading = False
        self._retry_timer.stop()
        was_offline = not self.online
        self.online = True
        self.set_home(home)
        if was_offline and self.current in ("offline", ""):
            self.show_screen("home")
        self.home_refreshed.emit(home)

    def on_reload_failed(self, error: object) -> None:
        self._reloading = False
        detail = error.message_in("en") if isinstance(error, MotcuaError) else repr(error)
        log.info("database still unavailable: %s", detail)
        self.go_offline()

    # --- live figures --------------------------------------------------------------------------

    def on_events_arrived(self, events: list[Any]) -> None:
        if not self._refresh_timer.isActive():
            self._refresh_timer.start(REFRESH_THROTTLE_MS)

    def refresh_now(self) -> None:
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        engine = self.engine
        self._submit(
            lambda _progress: engine.status(), None, self.on_status_read, self.on_status_failed
        )

    def on_status_read(self, status: object) -> None:
        self._refreshing = False
        home = home_from_status(self.home, status)  # type: ignore[arg-type]
        self.set_home(home)
        if not self.online:
            self.reload()
        self.home_refreshed.emit(home)
        if self._refresh_again:
            self._refresh_again = False
            self.refresh_now()

    def on_status_failed(self, error: object) -> None:
        self._refreshing = False
        self._refresh_again = False
        if isinstance(error, DatabaseError):
            self.go_offline()
        else:
            log.error("cannot read the queue status", exc_info=error)  # type: ignore[arg-type]

    def start_feed(self, poll_interval: float = 0.2) -> Any:
        """Start the change-feed thread (call ``stop_feed`` at the end)."""
        from shared.qt.feed import FeedThread

        after = self.home.last_event_id if self.online else None
        self.feed = FeedThread(
            self.db,
            after_id=after,
            poll_interval=poll_interval,
            centre_id=self.home.centre_id,
            parent=self,
        )
        self.feed.events_arrived.connect(self.on_events_arrived)
        self.feed.connection_changed.connect(self.on_connection_changed)
        self.feed.start()
        return self.feed

    def stop(self) -> None:
        """Stop the feed, timers and background work (before closing)."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self.feed is not None:
            self.feed.stop()
            self.feed = None
        self._retry_timer.stop()
        self.tasks.wait()

    # --- internals -----------------------------------------------------------------------------

    def _submit(
        self,
        work: Callable[[Callable[[object], None]], object],
        on_progress: Callable[[object], None] | None,
        on_done: Callable[[object], None],
        on_failed: Callable[[object], None],
    ) -> None:
        self.tasks.submit(work, on_progress, on_done, on_failed)


# --- wiring ------------------------------------------------------------------------------------


def read_home(db: Any, centre: str | None) -> HomeData | None:
    """The initial data, or None when the database cannot be read now (configuration errors
    still stop the start)."""
    try:
        return load_home(db, centre)
    except ConfigError:
        raise
    except MotcuaError as error:
        log.warning("kiosk starts without the database: %s", error.message_in("en"))
        return None


def run(ctx: Any) -> int:
    """``motcua kiosk``: open the kiosk; ``--smoke``/``--screenshot`` paint one frame, exit."""
    started = time.perf_counter()
    args = ctx.args
    screenshot: Path | None = getattr(args, "screenshot", None)
    smoke = bool(getattr(args, "smoke", False)) or screenshot is not None
    size = parse_size(getattr(args, "size", None))
    windowed = bool(getattr(args, "windowed", False)) or size is not None

    refusal = prepare_platform(smoke=smoke)
    if refusal is not None:
        print(refusal, file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "motcua"])
    from shared.qt.fonts import load_fonts

    family = load_fonts()
    home = read_home(ctx.db, ctx.centre)
    window = KioskWindow(ctx.db, ctx.centre, ctx.settings, family, home)
    if windowed:
        window.resize(*(size or DEFAULT_WINDOW))
        window.show()
    else:
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        window.showFullScreen()

    if smoke:
        report_first_frame(app, window, started, "kiosk", screenshot)
        window.stop()
        window.close()
        return 0

    previous_hook = sys.excepthook

    def excepthook(kind: type[BaseException], error: BaseException, tb: Any) -> None:
        if not isinstance(error, Exception):
            previous_hook(kind, error, tb)
            return
        window.on_unexpected(error)

    sys.excepthook = excepthook
    window.start_feed()
    try:
        return int(app.exec())
    finally:
        sys.excepthook = previous_hook
        window.stop()
