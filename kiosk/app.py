"""The kiosk: ``motcua kiosk`` (and the ``motcua-kiosk`` program).

One window, one screen at a time: home (services), priority group → priority service,
confirmation, dossier lookup, and three calm messages (taking a number…, out of service,
something went wrong).

Database and printer work never runs on the UI thread: it goes to a one-thread pool (so issue,
print and status reads run in order) and comes back by signal. Taking a number uses one request
id per touch flow: the buttons are disabled while it runs, and a retry after a failure reuses the
same id, so the core returns the same ticket instead of issuing a second one. The change-feed
(:class:`shared.qt.feed.FeedThread`) tells when figures changed (status re-read, throttled) and
when the database is lost or back (out-of-service screen, which also retries by itself).

A barcode scanner (keyboard wedge) is recognised on every screen by :mod:`kiosk.scanner`: a
scanned slip opens the lookup screen with its answer. Services are re-checked against the opening
hours each half-minute (no database needed). Larger text and English last for one visitor: they
reset after a ticket and when the kiosk is left alone.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QStackedLayout, QWidget

from kiosk.logo import Logo, initials
from kiosk.lookup import LookupScreen
from kiosk.model import (
    BUSY_NOTICE_MS,
    CONFIRM_PRINTER_FAILED_SECONDS,
    ERROR_SECONDS,
    REFRESH_THROTTLE_MS,
    RETRY_SECONDS,
    Figures,
    GroupChoice,
    HomeData,
    home_from_figures,
    hours_from_settings,
    load_home,
    load_status_figures,
    with_hours,
    with_offline,
)
from kiosk.model import online as online_home
from kiosk.scanner import ScannerFilter
from kiosk.screens import (
    Confirmation,
    ConfirmScreen,
    GroupScreen,
    MessageScreen,
    PinScreen,
    ServiceScreen,
    local_clock,
)
from kiosk.starting import DEFAULT_WINDOW, take_early
from shared.errors import (
    ConfigError,
    DatabaseError,
    LookupRefused,
    LookupSlowDown,
    MotcuaError,
    OfflineNumbersUsedUp,
    PrinterError,
)
from shared.qt.platform import report_first_frame, start_app
from shared.qt.screens import show_full_screen
from shared.qt.tasks import TaskRunner
from shared.settings import Settings

if TYPE_CHECKING:
    from kiosk.offline import OfflineNumbers

log = logging.getLogger("motcua.kiosk")

SCREENS = (
    "home",
    "groups",
    "priority_services",
    "busy",
    "confirm",
    "offline",
    "error",
    "admin",
    "admin_off",
    "lookup",
    "starting",
)

ADMIN_TAPS = 5
"""The admin gesture: this many taps on the clock corner (top right)…"""
ADMIN_TAP_SECONDS = 3.0
"""…within this many seconds opens the technician's PIN pad."""
ADMIN_MESSAGE_MS = 3000
"""A wrong PIN, or "no PIN configured", stays this long, then home."""
HOURS_CHECK_MS = 30_000
"""How often the services are checked against the opening hours."""


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
    lookup_finished = Signal(object)
    """A lookup ended: the :class:`~shared.dossier_views.DossierPublicView` shown, or the
    translation key of the message shown instead."""

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
        self._db = db
        self._db_source = db_source
        self._engine: Any = None
        self._want_feed: float | None = None
        self.centre = centre
        self.settings = settings
        self.home = home or HomeData()
        self.language = "vi"
        self.large = False
        self.looking_up = False
        self.hours = hours_from_settings(settings)
        self.online = home is not None
        self.busy = False
        self.pending: tuple[str, str | None, str] | None = None
        """(service, priority, request id) of the take in progress or failed: reused on retry."""
        self.group: GroupChoice | None = None
        self.idle_ms = settings.kiosk.idle_seconds * 1000
        self.confirm_ms = settings.kiosk.confirm_seconds * 1000
        self.admin_message_ms = ADMIN_MESSAGE_MS
        self.admin_unlocked = False
        """Set only by the right technician PIN: then (and only then) the window may close."""
        self._admin_taps: list[float] = []
        self._last_press: tuple[int, int, int] | None = None
        self.confirm_failed_ms = CONFIRM_PRINTER_FAILED_SECONDS * 1000
        self.error_ms = ERROR_SECONDS * 1000
        self.feed: Any = None
        self._reloading = False
        self.last_reload_error: object = None
        self._refreshing = False
        self._refresh_again = False
        self._current = ""
        self.tasks = TaskRunner(self)
        self.take_tasks = TaskRunner(self)
        """Taking a number runs apart from the reads of the data, so a visitor never waits
        behind a refresh stuck on a silent server."""
        self.offline_numbers: OfflineNumbers | None = None
        """Numbers for when the database server is away (``[kiosk] offline_block``, PostgreSQL
        only: an SQLite file lives on this PC); set up by the first reading of the data."""
        self.setWindowTitle(self.home.centre_name or "MotCua")
        clock = local_clock(lambda: self.home.timezone)
        self.clock = clock
        """The product's clock (:mod:`shared.clock`) in the centre's time zone."""

        # Widgets
        self.home_screen = ServiceScreen(family, clock, priority=False)
        self.group_screen = GroupScreen(family, clock)
        self.priority_screen = ServiceScreen(family, clock, priority=True)
        self.busy_screen = MessageScreen(family, "kiosk.busy", None)
        self.confirm_screen = ConfirmScreen(family)
        self.offline_screen = MessageScreen(family, "kiosk.offline.title", "kiosk.offline.body")
        self.error_screen = MessageScreen(family, "kiosk.error.title", "kiosk.error.body")
        self.pin_screen = PinScreen(family)
        self.admin_off_screen = MessageScreen(family, "kiosk.admin.not_configured", None)
        self.starting_screen = MessageScreen(family, "kiosk.starting", None)
        self.lookup_screen = LookupScreen(family, clock)
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

        # Signals
        self.home_screen.service_chosen.connect(self.on_service_chosen)
        self.home_screen.priority_chosen.connect(self.on_priority_chosen)
        self.home_screen.language_chosen.connect(self.set_language)
        self.home_screen.lookup_chosen.connect(self.open_lookup)
        self.home_screen.large_toggled.connect(self.toggle_large)
        self.lookup_screen.language_chosen.connect(self.set_language)
        self.lookup_screen.back_chosen.connect(self.go_home)
        self.lookup_screen.submitted.connect(self.on_lookup_submitted)
        self.group_screen.language_chosen.connect(self.set_language)
        self.priority_screen.language_chosen.connect(self.set_language)
        self.group_screen.group_chosen.connect(self.on_group_chosen)
        self.group_screen.back_chosen.connect(self.go_home)
        self.priority_screen.back_chosen.connect(self.on_priority_chosen)
        self.priority_screen.service_chosen.connect(self.on_priority_service_chosen)
        self.confirm_screen.dismissed.connect(self.go_home)
        self.error_screen.touched.connect(self.go_home)
        self.admin_off_screen.touched.connect(self.go_home)
        self.pin_screen.pin_entered.connect(self.on_pin_entered)
        self.pin_screen.cancelled.connect(self.go_home)
        self._confirm_timer = self._timer(self.go_home)
        self._error_timer = self._timer(self.go_home)
        self._idle_timer = self._timer(self.on_idle_elapsed)
        self._busy_timer = self._timer(self.on_busy_elapsed)
        self._admin_timer = self._timer(self.go_home)
        self._refresh_timer = self._timer(self.refresh_now)
        self._retry_timer = QTimer(self)
        self._retry_timer.setInterval(RETRY_SECONDS * 1000)
        self._retry_timer.timeout.connect(self.reload)
        self._hours_timer = QTimer(self)
        self._hours_timer.setInterval(HOURS_CHECK_MS)
        self._hours_timer.timeout.connect(self.check_hours)
        self._hours_timer.start()
        self.scanner = ScannerFilter(settings.kiosk.scanner_gap_ms, self)
        self.scanner.scanned.connect(self.on_scanned)
        self.scanner.typed.connect(self.on_typed)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
            app.installEventFilter(self.scanner)

        self.set_home(self.home)
        self.set_language("vi")
        if self.online:
            self.show_screen("home")
        elif starting:
            self.show_screen("starting")
        else:
            self.go_offline()

    @property
    def db(self) -> Any:
        """The database (made on first use when the window got a ``db_source``)."""
        if self._db is None and self._db_source is not None:
            self._db = self._db_source()
        return self._db

    @property
    def engine(self) -> Any:
        if self._engine is None:
            from shared.queue import QueueEngine

            self._engine = QueueEngine(self.db, self.centre)
        return self._engine

    def start(self, poll_interval: float = 0.2) -> None:
        """After the first frame: read the data in the background, then follow the feed."""
        self._want_feed = poll_interval
        self.reload()

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
        self.lookup_screen.set_centre(
            self.home.agency_eid, self.home.timezone, self.home.centre_label(language)
        )
        self._watch_idle()

    def set_home(self, home: HomeData) -> None:
        self.home = home
        shown = with_hours(home, self.clock(), self.hours)
        self.home_screen.set_home(shown)
        self.priority_screen.set_home(shown)
        self.group_screen.set_home(shown)
        self.home_screen.set_language(self.language)
        self.priority_screen.set_language(self.language)
        self.group_screen.set_language(self.language)
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
        self.lookup_screen.set_centre(
            home.agency_eid, home.timezone, home.centre_label(self.language)
        )
        if home.centre_name:
            self.setWindowTitle(home.centre_name)

    def check_hours(self) -> None:
        """Open or close the services as the clock passes the opening hours."""
        if self.home.services:
            self.set_home(self.home)

    def set_large(self, large: bool) -> None:
        self.large = large
        self.home_screen.set_large(large)
        self.priority_screen.set_large(large)
        self.lookup_screen.set_large(large)
        self._watch_idle()

    def toggle_large(self) -> None:
        self.set_large(not self.large)

    def reset_visitor(self) -> None:
        """The next visitor starts in Vietnamese with normal text."""
        if self.language != "vi":
            self.set_language("vi")
        if self.large:
            self.set_large(False)

    def _watch_idle(self) -> None:
        """On the home screen, English or larger text are undone after the idle time."""
        if self.current == "home" and (self.language != "vi" or self.large):
            self._idle_timer.start(self.idle_ms)

    # --- the touch flows -----------------------------------------------------------------------

    def go_home(self) -> None:
        for timer in (self._confirm_timer, self._error_timer, self._idle_timer, self._admin_timer):
            timer.stop()
        if self.busy:
            return
        self.group = None
        self.priority_screen.set_group(None)
        if not self.online:
            self.go_offline()
            if not self.home.offline:
                return
        if self.current in ("confirm", "error"):
            self.reset_visitor()
        self.show_screen("home")
        self._watch_idle()

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
            import uuid  # not on the way to the first frame

            self.pending = (service, priority, uuid.uuid4().hex)
        request_id = self.pending[2]
        away = not self.online
        if away and not self.home.offline:
            return  # out of service, and no number kept for it
        self.busy = True
        self._idle_timer.stop()
        for screen in (self.home_screen, self.priority_screen):
            screen.set_busy(True)
        self._busy_timer.start(BUSY_NOTICE_MS)
        language = self.language
        settings, offline = self.settings, self.offline_numbers
        group_name = next((g.name for g in self.home.groups if g.code == priority), "")

        def take_offline(progress: Callable[[object], None], abandoned: str | None) -> object:
            """A number from this kiosk's block: kept on disk, shown, printed as such."""
            from shared.printing.jobs import offline_print_data, print_prepared

            assert offline is not None
            taken = offline.take(service, priority=priority, language=language, abandoned=abandoned)
            if taken is None:
                raise OfflineNumbersUsedUp()
            data = offline_print_data(
                taken.ticket, taken.block, settings.lookup.base_url, group_name
            )
            progress(
                Confirmation(
                    ticket_id=0,
                    number=taken.ticket.number,
                    service_name=taken.block.service_name,
                    service_name_en=taken.block.service_name_en,
                    ahead=None,
                    estimated_wait_min=None,
                    counters=taken.block.counters,
                    qr_text=data.qr_text,
                    priority_name=group_name or None,
                    offline=True,
                )
            )
            try:
                print_prepared(data, settings)
            except PrinterError as error:
                log.warning("ticket %s shown, not printed: %s", taken.ticket.number, error.code)
                return ConfirmScreen.PRINTER_FAILED
            return ConfirmScreen.PRINTED

        if away:
            self.take_tasks.submit(
                lambda progress: take_offline(progress, None),
                self.on_ticket_issued,
                self.on_print_finished,
                self.on_take_failed,
            )
            return
        engine = self.engine

        def work(progress: Callable[[object], None]) -> object:
            from shared.printing.jobs import print_ticket, ticket_print_data

            def issue() -> Any:
                return engine.issue(
                    service, priority=priority, request_id=request_id, language=language
                )

            if offline is None:
                view = issue()
            else:
                from kiosk.offline import ONLINE_PATIENCE, ServerTooSlow, within

                try:
                    view = within(ONLINE_PATIENCE, issue)
                except (DatabaseError, ServerTooSlow):
                    # The server went away, or went silent: a number from the block instead
                    # (the attempt is cancelled on the server once back, if it reached it).
                    return take_offline(progress, request_id)
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

        self.take_tasks.submit(
            work, self.on_ticket_issued, self.on_print_finished, self.on_take_failed
        )

    def on_ticket_issued(self, confirmation: object) -> None:
        assert isinstance(confirmation, Confirmation)
        self._end_busy()
        self.pending = None
        if confirmation.offline:
            self.go_offline()  # the count of numbers left changed; the server is away
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
        if self.busy:
            return
        if self.current == "home":
            self.reset_visitor()
            self.flow_reset.emit()
            return
        if self.current not in ("groups", "priority_services", "admin", "lookup"):
            return
        self.pending = None
        self.go_home()
        self.reset_visitor()
        self.flow_reset.emit()

    # --- dossier lookup ------------------------------------------------------------------------

    def open_lookup(self) -> None:
        if self.busy:
            return
        self.lookup_screen.reset()
        self.show_screen("lookup")
        self._idle_timer.start(self.idle_ms)

    def on_lookup_submitted(self, code: str, secret: str) -> None:
        db = self.db

        def work(_progress: Callable[[object], None]) -> object:
            from shared.dossiers import lookup

            return lookup(db, code, secret, client="kiosk")

        self._lookup(work)

    def on_scanned(self, text: str) -> None:
        """A barcode scanner read a code, on whatever screen was shown."""
        if self.busy or not self.online or self.current in ("admin", "admin_off", "busy"):
            log.info("scan ignored on the %s screen", self.current or "first")
            return
        for timer in (self._confirm_timer, self._error_timer):
            timer.stop()
        if self.current != "lookup":
            self.lookup_screen.reset()
            self.show_screen("lookup")
        db = self.db

        def work(_progress: Callable[[object], None]) -> object:
            from shared.dossiers import lookup_scan

            return lookup_scan(db, text, client="kiosk")

        self._lookup(work)

    def on_typed(self, text: str) -> None:
        """Slow keystrokes of a person on a physical keyboard: only the lookup screen uses them."""
        if self.current == "lookup":
            self.lookup_screen.type_text(text)
            self._idle_timer.start(self.idle_ms)

    def _lookup(self, work: Callable[[Callable[[object], None]], object]) -> None:
        if self.looking_up:
            return
        self.looking_up = True
        self.lookup_screen.show_searching()
        self._idle_timer.start(self.idle_ms)
        self._submit(work, None, self.on_lookup_done, self.on_lookup_failed)

    def on_lookup_done(self, view: object) -> None:
        self.looking_up = False
        self.lookup_screen.show_result(view)
        if self.current == "lookup":
            self._idle_timer.start(self.idle_ms)
        self.lookup_finished.emit(view)

    def on_lookup_failed(self, error: object) -> None:
        self.looking_up = False
        if isinstance(error, LookupSlowDown):
            seconds = int(getattr(error, "retry_after", 30))
            log.info("dossier lookup slowed down for %s s", seconds)
            self.lookup_screen.show_slow_down(seconds)
            key = "kiosk.lookup.slow"
        elif isinstance(error, DatabaseError):
            log.warning("dossier lookup: %s", error.message_in("en"))
            self.lookup_screen.reset()
            self.go_offline()
            key = "kiosk.offline.title"
        elif isinstance(error, ImportError):
            log.error("dossier lookup is not installed: %s", error)
            self.lookup_screen.show_message("kiosk.lookup.unavailable")
            key = "kiosk.lookup.unavailable"
        else:
            if not isinstance(error, LookupRefused):
                # Not the expected refusal: logged (no code, no secret), shown the same way.
                log.error("dossier lookup failed: %r", type(error).__name__)
            self.lookup_screen.show_message("kiosk.lookup.refused")
            key = "kiosk.lookup.refused"
        if self.current == "lookup":
            self._idle_timer.start(self.idle_ms)
        self.lookup_finished.emit(key)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._note_press(event)
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

    # --- leaving the kiosk: the admin gesture and PIN -----------------------------------------

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
        if not self.isVisible() or self.current in ("admin", "admin_off"):
            return
        if not self.in_admin_corner(self.mapFromGlobal(point)):
            self._admin_taps.clear()
            return
        self.admin_tap()

    def admin_tap(self, now: float | None = None) -> None:
        """One tap on the clock corner; the fifth within three seconds opens the PIN pad."""
        moment = time.monotonic() if now is None else now
        self._admin_taps = [t for t in self._admin_taps if moment - t <= ADMIN_TAP_SECONDS]
        self._admin_taps.append(moment)
        if len(self._admin_taps) >= ADMIN_TAPS:
            self._admin_taps.clear()
            self.open_admin()

    def open_admin(self) -> None:
        """The PIN pad, or "not configured" when no PIN hash is set."""
        if self.busy:
            return
        for timer in (self._confirm_timer, self._error_timer, self._idle_timer):
            timer.stop()
        if not self.settings.kiosk.admin_pin_hash:
            log.info("admin gesture at the kiosk: no admin PIN configured")
            self.show_screen("admin_off")
            self._admin_timer.start(self.admin_message_ms)
            return
        log.info("admin gesture at the kiosk: PIN pad shown")
        self.pin_screen.reset()
        self.show_screen("admin")
        self._idle_timer.start(self.idle_ms)

    def on_pin_entered(self, pin: str) -> None:
        from shared.pin import verify_pin

        if self.current != "admin":
            return
        if verify_pin(self.settings.kiosk.admin_pin_hash, pin):
            log.warning("kiosk left with the technician's PIN")
            self.admin_unlocked = True
            self.window().close()  # this window, or the starting one it was shown in
            return
        log.warning("wrong technician PIN at the kiosk")
        self._idle_timer.stop()
        self.pin_screen.set_keys_enabled(False)
        self.pin_screen.set_message("kiosk.admin.wrong")
        self._admin_timer.start(self.admin_message_ms)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if not self.admin_unlocked:
            log.info("close refused: the kiosk is left with the admin gesture and PIN")
            event.ignore()
            return
        self.stop()
        event.accept()

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
        """The database cannot be reached: the home screen with the numbers this kiosk keeps for
        today, if it keeps any; else the calm "out of service" screen. Retried every few s."""
        self.online = False
        left = self._offline_left()
        if left:
            self.set_home(with_offline(self.home, left))
            if self.current in ("offline", "starting", "busy", "error", ""):
                self.show_screen("home")
        else:
            if self.home.offline:
                self.set_home(online_home(self.home))
            if self.current not in ("confirm", "admin", "admin_off"):
                self.show_screen("offline")
        if not self._retry_timer.isActive():
            self._retry_timer.start()

    def _offline_left(self) -> dict[str, int]:
        """Numbers left per service in this kiosk's blocks for today ({} when none)."""
        if self.offline_numbers is None or not self.home.services:
            return {}
        try:
            self.offline_numbers.timezone = self.home.timezone
            return {k: v for k, v in self.offline_numbers.remaining().items() if v > 0}
        except Exception:  # noqa: BLE001 - its own disk trouble must not stop the kiosk
            log.exception("the kiosk's store of numbers cannot be read")
            return {}

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
        centre, block = self.centre, self.settings.kiosk.offline_block

        def work(_progress: Callable[[object], None]) -> object:
            home = load_home(self.db, centre)
            offline = self.offline_numbers
            if offline is None and block > 0 and not self.db.is_sqlite:
                from kiosk.offline import OfflineNumbers
                from shared.settings import data_dir

                offline = self.offline_numbers = OfflineNumbers(data_dir(), block)
            if offline is not None:
                offline.timezone = home.timezone
                try:
                    # What was given while away goes to the queue first, then new blocks.
                    offline.sync(self.engine)
                    offline.top_up(self.engine, [s.code for s in home.services])
                except DatabaseError:
                    raise
                except Exception:  # noqa: BLE001 - its own disk trouble must not stop the kiosk
                    log.exception("numbers for a server outage: not kept up")
            return home

        self._submit(work, None, self.on_reloaded, self.on_reload_failed)

    def on_reloaded(self, home: object) -> None:
        assert isinstance(home, HomeData)
        self._reloading = False
        self._retry_timer.stop()
        was_offline = not self.online
        self.online = True
        self.set_home(home)
        if was_offline and self.current in ("offline", "", "starting"):
            self.show_screen("home")
        self._start_wanted_feed()
        self.home_refreshed.emit(home)

    def on_reload_failed(self, error: object) -> None:
        self._reloading = False
        self.last_reload_error = error
        detail = error.message_in("en") if isinstance(error, MotcuaError) else repr(error)
        if isinstance(error, ConfigError):
            log.error("the kiosk cannot start: %s", detail)
        else:
            log.info("database still unavailable: %s", detail)
        self.go_offline()
        self._start_wanted_feed()

    def _start_wanted_feed(self) -> None:
        if self._want_feed is not None and self.feed is None:
            self.start_feed(self._want_feed)

    # --- live figures --------------------------------------------------------------------------

    def on_events_arrived(self, events: list[Any]) -> None:
        if not self._refresh_timer.isActive():
            self._refresh_timer.start(REFRESH_THROTTLE_MS)

    def refresh_now(self) -> None:
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        engine, db = self.engine, self.db
        offline, services = self.offline_numbers, [s.code for s in self.home.services]

        def work(_progress: Callable[[object], None]) -> object:
            figures = load_status_figures(engine, db)
            if offline is not None and offline.top_up_due():
                # A block for today (a new day, or numbers used during a short outage).
                try:
                    offline.top_up(engine, services)
                except DatabaseError:
                    raise
                except Exception:  # noqa: BLE001 - its own disk trouble must not stop the kiosk
                    log.exception("numbers for a server outage: not kept up")
            return figures

        self._submit(work, None, self.on_status_read, self.on_status_failed)

    def on_status_read(self, figures: object) -> None:
        assert isinstance(figures, Figures)
        self._refreshing = False
        home = home_from_figures(self.home, figures)
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
            app.removeEventFilter(self.scanner)
        self._want_feed = None  # work still finishing must not start a feed again
        self._hours_timer.stop()
        self._retry_timer.stop()
        self.tasks.wait()
        self.take_tasks.wait()
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


# --- wiring ------------------------------------------------------------------------------------


SMOKE_LOAD_SECONDS = 30.0
"""``--smoke``: how long to wait for the data after the first frame."""


def save_screenshot(window: QWidget, path: Any) -> None:
    from pathlib import Path

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(target), "PNG"):
        raise ConfigError(file=str(target), detail="không ghi được / cannot write")


def run(ctx: Any) -> int:
    """``motcua kiosk``: open the kiosk; ``--smoke``/``--screenshot`` paint one frame, exit.

    Through the launcher the first frame is already on screen (:mod:`kiosk.starting`): the
    window built here is shown inside that same top-level window, on the same "starting"
    screen, and the start goes on from there."""
    early = take_early()
    if early is not None:
        start: Any = early.start
    else:
        start = start_app(ctx.args)
        if isinstance(start, int):
            return start
    app, family, started = start.app, start.family, start.started
    smoke, screenshot, size, windowed = start.smoke, start.screenshot, start.size, start.windowed
    # The first frame needs no database: the window opens on "Đang khởi động…" and reads the
    # data in its worker right after (SQLAlchemy and the catalogue load off the first frame).
    window = KioskWindow(
        None, ctx.centre, ctx.settings, family, None, starting=True, db_source=lambda: ctx.db
    )
    if windowed:
        # A window (tests, the demo on a desktop) closes like any other; the full-screen kiosk
        # in a centre only with the technician's gesture and PIN.
        window.admin_unlocked = True
    if early is not None:
        # The same top-level window, now showing the real kiosk (on the same "starting" screen).
        early.window.adopt(window)
        if not windowed:
            show_full_screen(early.window, ctx.settings.kiosk.screen)
        app.processEvents()
    elif windowed:
        window.resize(*(size or DEFAULT_WINDOW))
        start.place(window)
        window.show()
    else:
        show_full_screen(window, ctx.settings.kiosk.screen)

    if smoke:
        if early is None:
            report_first_frame(app, window, started, "kiosk", None)
        window.reload()
        deadline = time.monotonic() + SMOKE_LOAD_SECONDS
        while window._reloading and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.005)
        app.processEvents()
        state = "home" if window.online else "out of service"
        print(f"kiosk: {state} in {(time.perf_counter() - started) * 1000:.0f} ms", flush=True)
        try:
            if screenshot is not None:
                save_screenshot(window, screenshot)
            if isinstance(window.last_reload_error, ConfigError):
                raise window.last_reload_error
        finally:
            window.stop()
            window.admin_unlocked = True
            window.window().close()
        return 0

    previous_hook = sys.excepthook

    def excepthook(kind: type[BaseException], error: BaseException, tb: Any) -> None:
        if not isinstance(error, Exception):
            previous_hook(kind, error, tb)
            return
        window.on_unexpected(error)

    sys.excepthook = excepthook
    app.processEvents()  # the first frame, then the data
    window.start()
    from shared.qt.backup import DailyBackups

    backups = DailyBackups(lambda: ctx.db, ctx.settings.backup, ctx.centre, window)
    try:
        return int(app.exec())
    finally:
        sys.excepthook = previous_hook
        backups.stop()
        window.stop()
