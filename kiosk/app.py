"""The kiosk: ``motcua kiosk`` (and the ``motcua-kiosk`` program).

One window, one screen at a time: home (services), priority group → priority service,
confirmation, dossier lookup, and three calm messages (taking a number…, out of service,
something went wrong). The window only draws: every touch, scan and key goes to its
:class:`~kiosk.controller.KioskController`, which decides what comes next and tells the window
what to show (the window is its :class:`~kiosk.ports.KioskView`).

Database and printer work never runs on the UI thread: it goes to one-thread pools (so issue,
print and status reads run in order) and comes back by signal. The change-feed
(:class:`shared.qt.feed.FeedThread`) tells when figures changed and when the database is lost or
back. A barcode scanner (keyboard wedge) is recognised on every screen by :mod:`kiosk.scanner`;
the admin gesture is five taps on the clock corner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Signal
from PySide6.QtGui import QCloseEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QStackedLayout, QWidget

from kiosk.controller import SCREENS, KioskController, log
from kiosk.logo import Logo, initials
from kiosk.model import Confirmation, GroupChoice, HomeData
from kiosk.ports import KioskView
from kiosk.qt_ports import qt_feeds, qt_timers
from kiosk.scanner import ScannerFilter
from kiosk.screens import (
    ConfirmScreen,
    GroupScreen,
    HomeScreen,
    LookupScreen,
    MessageScreen,
    PinScreen,
)
from shared.qt.tasks import TaskRunner
from shared.settings import Settings

__all__ = ["SCREENS", "KioskWindow", "run"]


class _Shared:
    """An attribute of the window that is its controller's (read and written there)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, window: Any, owner: type | None = None) -> Any:
        return self if window is None else getattr(window.controller, self.name)

    def __set__(self, window: Any, value: Any) -> None:
        setattr(window.controller, self.name, value)


class KioskWindow(QWidget, KioskView):
    """The whole kiosk screen."""

    screen_changed = Signal(str)
    """The name of the screen now shown (one of :data:`~kiosk.controller.SCREENS`)."""
    ticket_shown = Signal(object)
    """A :class:`~kiosk.model.Confirmation` now on screen (the ticket is issued)."""
    print_finished = Signal(str)
    """"printed" or "printer_failed"."""
    home_refreshed = Signal(object)
    """New :class:`~kiosk.model.HomeData` (figures after a change, or reloaded after an outage)."""
    flow_reset = Signal()
    """The idle timeout sent a half-done flow home."""
    lookup_finished = Signal(object)
    """A lookup ended: the :class:`~shared.dossier_views.DossierPublicView` shown, or the
    translation key of the message shown instead."""

    # The controller's state and input, reachable on the window too.
    current = _Shared()
    home = _Shared()
    language = _Shared()
    large = _Shared()
    online = _Shared()
    busy = _Shared()
    pending = _Shared()
    group = _Shared()
    db = _Shared()
    offline_numbers = _Shared()
    admin_unlocked = _Shared()
    idle_ms = _Shared()
    confirm_ms = _Shared()
    confirm_failed_ms = _Shared()
    error_ms = _Shared()
    admin_message_ms = _Shared()
    show_screen = _Shared()
    set_language = _Shared()
    set_large = _Shared()
    check_hours = _Shared()
    go_home = _Shared()
    take = _Shared()
    on_group_chosen = _Shared()
    open_lookup = _Shared()
    on_lookup_submitted = _Shared()
    on_lookup_failed = _Shared()
    admin_tap = _Shared()
    on_unexpected = _Shared()
    on_connection_changed = _Shared()
    start = _Shared()
    start_feed = _Shared()

    def __init__(
        self,
        db: Any,
        centre: str | None,
        settings: Settings,
        family: str,
        home: HomeData | None,
        parent: QWidget | None = None,
        *,
        starting: bool = False,
        db_source: Callable[[], Any] | None = None,
    ) -> None:
        """``starting``: no data yet, show "Đang khởi động…" until :meth:`start` has read the
        database in the background (the first frame needs no database). ``db_source`` gives the
        database when it is first needed (in the worker), instead of ``db``."""
        super().__init__(parent)
        self.settings = settings
        self.controller = KioskController(
            db,
            centre,
            settings,
            home,
            view=self,
            tasks=TaskRunner(self),
            take_tasks=TaskRunner(self),
            timer=qt_timers(self),
            feeds=qt_feeds(self),
            db_source=db_source,
        )
        c = self.controller
        self._last_press: tuple[int, int, int] | None = None
        self.setWindowTitle(c.home.centre_name or "MotCua")

        # Widgets
        self.home_screen = HomeScreen(family, c.clock, priority=False)
        self.group_screen = GroupScreen(family, c.clock)
        self.priority_screen = HomeScreen(family, c.clock, priority=True)
        self.busy_screen = MessageScreen(family, "kiosk.busy", None)
        self.confirm_screen = ConfirmScreen(family)
        self.offline_screen = MessageScreen(family, "kiosk.offline.title", "kiosk.offline.body")
        self.error_screen = MessageScreen(family, "kiosk.error.title", "kiosk.error.body")
        self.pin_screen = PinScreen(family)
        self.admin_off_screen = MessageScreen(family, "kiosk.admin.not_configured", None)
        self.starting_screen = MessageScreen(family, "kiosk.starting", None)
        self.lookup_screen = LookupScreen(family, c.clock)
        self.logo = Logo(settings.kiosk.logo, "", family)
        self.screens: dict[str, QWidget] = {
            "home": self.home_screen,
            "groups": self.group_screen,
            "priority_services": self.priority_screen,
            "busy": self.busy_screen,
            "confirm": self.confirm_screen,
            "offline": self.offline_screen,
            "error": self.error_screen,
            "admin": self.pin_screen,
            "admin_off": self.admin_off_screen,
            "lookup": self.lookup_screen,
            "starting": self.starting_screen,
        }

        # Layout
        self.stack = QStackedLayout(self)
        self.stack.setContentsMargins(0, 0, 0, 0)
        for screen in self.screens.values():
            self.stack.addWidget(screen)

        # Signals: every input goes to the controller.
        self.home_screen.service_chosen.connect(c.on_service_chosen)
        self.home_screen.priority_chosen.connect(c.on_priority_chosen)
        self.home_screen.lookup_chosen.connect(c.open_lookup)
        self.home_screen.large_toggled.connect(c.toggle_large)
        for screen in (self.home_screen, self.lookup_screen, self.group_screen):
            screen.language_chosen.connect(c.set_language)
        self.priority_screen.language_chosen.connect(c.set_language)
        self.lookup_screen.back_chosen.connect(c.go_home)
        self.lookup_screen.submitted.connect(c.on_lookup_submitted)
        self.group_screen.group_chosen.connect(c.on_group_chosen)
        self.group_screen.back_chosen.connect(c.go_home)
        self.priority_screen.back_chosen.connect(c.on_priority_chosen)
        self.priority_screen.service_chosen.connect(c.on_priority_service_chosen)
        self.confirm_screen.dismissed.connect(c.go_home)
        self.error_screen.touched.connect(c.go_home)
        self.admin_off_screen.touched.connect(c.go_home)
        self.pin_screen.pin_entered.connect(c.on_pin_entered)
        self.pin_screen.cancelled.connect(c.go_home)
        self.scanner = ScannerFilter(settings.kiosk.scanner_gap_ms, self)
        self.scanner.scanned.connect(c.on_scanned)
        self.scanner.typed.connect(c.on_typed)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
            app.installEventFilter(self.scanner)
        c.open(starting=starting)

    # --- what the controller shows (KioskView) ---------------------------------------------------

    def present(self, screen: str) -> None:
        self.stack.setCurrentWidget(self.screens[screen])

    def notify_screen(self, screen: str) -> None:
        self.screen_changed.emit(screen)

    def show_language(self, language: str) -> None:
        for screen in self.screens.values():
            screen.set_language(language)  # type: ignore[attr-defined]
        home = self.controller.home
        self.lookup_screen.set_centre(home.agency_eid, home.timezone, home.centre_label(language))

    def show_home(self, home: HomeData, shown: HomeData) -> None:
        language = self.controller.language
        for screen in (self.home_screen, self.priority_screen, self.group_screen):
            screen.set_home(shown)
        for screen in (self.home_screen, self.priority_screen, self.group_screen):
            screen.set_language(language)
        self.logo.letters = initials(
            self.settings.kiosk.logo_text, home.centre_code, home.centre_name
        )
        for screen in (
            self.home_screen,
            self.group_screen,
            self.priority_screen,
            self.lookup_screen,
        ):
            screen.header.logo = self.logo
        self.lookup_screen.set_centre(home.agency_eid, home.timezone, home.centre_label(language))
        if home.centre_name:
            self.setWindowTitle(home.centre_name)

    def show_large(self, large: bool) -> None:
        for screen in (self.home_screen, self.priority_screen, self.lookup_screen):
            screen.set_large(large)

    def show_busy(self, busy: bool) -> None:
        for screen in (self.home_screen, self.priority_screen):
            screen.set_busy(busy)

    def show_group(self, group: GroupChoice | None) -> None:
        self.priority_screen.set_group(group)

    def show_ticket(self, confirmation: Confirmation) -> None:
        self.confirm_screen.show_ticket(confirmation)

    def show_print_state(self, state: str) -> None:
        self.confirm_screen.set_print_state(state)

    def reset_pin(self) -> None:
        self.pin_screen.reset()

    def refuse_pin(self) -> None:
        self.pin_screen.set_keys_enabled(False)
        self.pin_screen.set_message("kiosk.admin.wrong")

    def close_kiosk(self) -> None:
        self.window().close()  # this window, or the starting one it was shown in

    def lookup_reset(self) -> None:
        self.lookup_screen.reset()

    def lookup_searching(self) -> None:
        self.lookup_screen.show_searching()

    def lookup_type(self, text: str) -> None:
        self.lookup_screen.type_text(text)

    def lookup_result(self, view: object) -> None:
        self.lookup_screen.show_result(view)

    def lookup_slow_down(self, seconds: int) -> None:
        self.lookup_screen.show_slow_down(seconds)

    def lookup_message(self, key: str) -> None:
        self.lookup_screen.show_message(key)

    def notify_ticket(self, confirmation: Confirmation) -> None:
        self.ticket_shown.emit(confirmation)

    def notify_printed(self, state: str) -> None:
        self.print_finished.emit(state)

    def notify_home(self, home: HomeData) -> None:
        self.home_refreshed.emit(home)

    def notify_flow_reset(self) -> None:
        self.flow_reset.emit()

    def notify_lookup(self, result: object) -> None:
        self.lookup_finished.emit(result)

    # --- input that is not a button: touches anywhere, closing ---------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._note_press(event)
        if event.type() in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.TouchBegin,
            QEvent.Type.KeyPress,
        ):
            self.controller.note_activity()
        return False

    def in_admin_corner(self, pos: QPoint) -> bool:
        """The top-right corner of the window (where the clock is on the home screens)."""
        w, h = self.width(), self.height()
        corner_w = max(200, round(w * 0.25))
        corner_h = max(120, round(h * 0.1))
        return w - corner_w <= pos.x() < w and 0 <= pos.y() < corner_h

    def _note_press(self, event: QMouseEvent) -> None:
        # One touch reaches this filter several times (the window, then each widget it
        # propagates through): count it once, by its timestamp and position.
        point = event.globalPosition().toPoint()
        key = (event.timestamp(), point.x(), point.y())
        if key == self._last_press:
            return
        self._last_press = key
        if self.isVisible():
            self.controller.corner_touched(self.in_admin_corner(self.mapFromGlobal(point)))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if not self.controller.admin_unlocked:
            log.info("close refused: the kiosk is left with the admin gesture and PIN")
            event.ignore()
            return
        self.stop()
        event.accept()

    def stop(self) -> None:
        """Stop the feed, timers and background work (before closing)."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
            app.removeEventFilter(self.scanner)
        self.controller.stop()


def run(ctx: Any) -> int:
    """``motcua kiosk``: the program (:func:`kiosk.program.run`)."""
    from kiosk.program import run as run_program

    return run_program(ctx)
