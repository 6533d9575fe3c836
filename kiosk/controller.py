"""What the kiosk does, apart from drawing it: the screen flow, taking numbers, lookups, the
admin gesture and the database's comings and goings.

The controller decides which screen comes next for each touch, scan or timeout, and tells its
:class:`~kiosk.ports.KioskView` what to show; the window (:mod:`kiosk.app`) only draws and
passes the citizens' input on. It needs no screen and no Qt (:mod:`kiosk.ports`): background work
goes through a :class:`~kiosk.ports.Tasks` (the window's thread pool, or
:class:`~kiosk.ports.InlineTasks` that runs it at once) and timeouts through
:class:`~kiosk.ports.Timer` objects (Qt timers in the window, :class:`~kiosk.ports.ManualTimer`
otherwise).

Taking a number uses one request id per citizen attempt: the service buttons are disabled while
it runs, and a retry after a failure reuses the same id, so the core returns the same ticket
instead of issuing a second one. When the database is lost the home screen offers the numbers
this kiosk keeps for an outage, if any, else the calm "out of service" screen, and the data are
read again every few seconds until the server is back. Larger text and English last for one
visitor: they reset after a ticket and when the kiosk is left alone.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.model import (
    BUSY_NOTICE_MS,
    CONFIRM_PRINTER_FAILED_SECONDS,
    ERROR_SECONDS,
    PRINTER_FAILED,
    PRINTING,
    REFRESH_THROTTLE_MS,
    RETRY_SECONDS,
    Confirmation,
    Figures,
    GroupChoice,
    HomeData,
    home_from_figures,
    hours_from_settings,
    load_home,
    load_status_figures,
    local_clock,
    with_hours,
    with_offline,
)
from kiosk.model import online as online_home
from kiosk.ports import (
    FeedFactory,
    InlineTasks,
    KioskView,
    ManualTimer,
    Progress,
    Tasks,
    TimerFactory,
    Work,
)
from kiosk.taking import Attempt
from shared.errors import (
    ConfigError,
    DatabaseError,
    LookupRefused,
    LookupSlowDown,
    MotcuaError,
)

if TYPE_CHECKING:
    from kiosk.offline import OfflineNumbers
    from shared.settings import Settings

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

# --- the controller ----------------------------------------------------------------------------


class KioskController:
    """The kiosk's state and flow: the current screen, the visitor's language and text size,
    the data shown, the number being taken (and its request id), lookups, the admin gesture,
    the database's state and the outage numbers."""

    def __init__(
        self,
        db: Any,
        centre: str | None,
        settings: Settings,
        home: HomeData | None,
        *,
        view: KioskView | None = None,
        tasks: Tasks | None = None,
        take_tasks: Tasks | None = None,
        timer: TimerFactory = ManualTimer,
        feeds: FeedFactory | None = None,
        db_source: Callable[[], Any] | None = None,
    ) -> None:
        """``tasks`` reads the data; ``take_tasks`` takes numbers, apart from the reads, so a
        visitor never waits behind a refresh stuck on a silent server (both run work at once
        when not given). ``db_source`` gives the database when it is first needed (in the
        worker), instead of ``db``. Call :meth:`open` once the view is ready."""
        self._db = db
        self._db_source = db_source
        self._engine: Any = None
        self.centre = centre
        self.settings = settings
        self.view = view or KioskView()
        self.tasks: Tasks = tasks or InlineTasks()
        self.take_tasks: Tasks = take_tasks or InlineTasks()
        self.feeds = feeds
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
        self.current = ""
        """The screen shown (one of :data:`SCREENS`; empty before the first)."""
        self.confirmation: Confirmation | None = None
        """The ticket last shown on the confirmation."""
        self.print_state = PRINTING
        self.idle_ms = settings.kiosk.idle_seconds * 1000
        self.confirm_ms = settings.kiosk.confirm_seconds * 1000
        self.confirm_failed_ms = CONFIRM_PRINTER_FAILED_SECONDS * 1000
        self.error_ms = ERROR_SECONDS * 1000
        self.admin_message_ms = ADMIN_MESSAGE_MS
        self.admin_unlocked = False
        """Set only by the right technician PIN: then (and only then) the kiosk may close."""
        self.admin_taps: list[float] = []
        self.feed: Any = None
        self.want_feed: float | None = None
        """The feed's poll interval once :meth:`start` asked for it (None: no feed wanted)."""
        self.reloading = False
        self.last_reload_error: object = None
        self._refreshing = False
        self._refresh_again = False
        self.offline_numbers: OfflineNumbers | None = None
        """Numbers for when the database server is away (``[kiosk] offline_block``, PostgreSQL
        only: an SQLite file lives on this PC); set up by the first reading of the data."""
        self.clock = local_clock(lambda: self.home.timezone)
        """The product's clock (:mod:`shared.clock`) in the centre's time zone."""
        self.confirm_timer = timer(self.go_home, False)
        self.error_timer = timer(self.go_home, False)
        self.idle_timer = timer(self.on_idle_elapsed, False)
        self.busy_timer = timer(self.on_busy_elapsed, False)
        self.admin_timer = timer(self.go_home, False)
        self.refresh_timer = timer(self.refresh_now, False)
        self.retry_timer = timer(self.reload, True)
        self.hours_timer = timer(self.check_hours, True)

    def open(self, *, starting: bool = False) -> None:
        """Show the first screen: home with the data, "starting" until they are read, or
        offline (the data could not be read)."""
        self.hours_timer.start(HOURS_CHECK_MS)
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
        """The database (made on first use when the controller got a ``db_source``)."""
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
        self.want_feed = poll_interval
        self.reload()

    def show_screen(self, name: str) -> None:
        self.view.present(name)
        if name != self.current:
            self.current = name
            self.view.notify_screen(name)

    # --- language and data ---------------------------------------------------------------------

    def set_language(self, language: str) -> None:
        self.language = language
        self.view.show_language(language)
        self._watch_idle()

    def set_home(self, home: HomeData) -> None:
        self.home = home
        self.view.show_home(home, with_hours(home, self.clock(), self.hours))

    def check_hours(self) -> None:
        """Open or close the services as the clock passes the opening hours."""
        if self.home.services:
            self.set_home(self.home)

    def set_large(self, large: bool) -> None:
        self.large = large
        self.view.show_large(large)
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
            self.idle_timer.start(self.idle_ms)

    def note_activity(self) -> None:
        """A touch or a key anywhere: the idle time starts again (if it was running)."""
        if self.idle_timer.is_active():
            self.idle_timer.start(self.idle_ms)

    # --- the touch flows -----------------------------------------------------------------------

    def go_home(self) -> None:
        for timer in (self.confirm_timer, self.error_timer, self.idle_timer, self.admin_timer):
            timer.stop()
        if self.busy:
            return
        self.group = None
        self.view.show_group(None)
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
        self.idle_timer.start(self.idle_ms)

    def on_group_chosen(self, code: str) -> None:
        group = next((g for g in self.home.groups if g.code == code), None)
        if group is None or self.busy:
            return
        self.group = group
        self.view.show_group(group)
        self.show_screen("priority_services")
        self.idle_timer.start(self.idle_ms)

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
        self.idle_timer.stop()
        self.view.show_busy(True)
        self.busy_timer.start(BUSY_NOTICE_MS)
        attempt = Attempt(
            service,
            priority,
            request_id,
            self.language,
            next((g.name for g in self.home.groups if g.code == priority), ""),
            self.settings,
            self.offline_numbers,
        )
        engine = None if away else self.engine

        def work(progress: Progress) -> object:
            if engine is None:  # the server is away: a number from this kiosk's block
                return attempt.from_block(progress)
            return attempt.from_server(engine, progress)

        self.take_tasks.submit(
            work, self.on_ticket_issued, self.on_print_finished, self.on_take_failed
        )

    def on_ticket_issued(self, confirmation: object) -> None:
        assert isinstance(confirmation, Confirmation)
        self._end_busy()
        self.pending = None
        if confirmation.offline:
            self.go_offline()  # the count of numbers left changed; the server is away
        self.confirmation = confirmation
        self.print_state = PRINTING
        self.view.show_ticket(confirmation)
        self.show_screen("confirm")
        self.confirm_timer.start(self.confirm_ms)
        self.view.notify_ticket(confirmation)

    def on_print_finished(self, state: object) -> None:
        self.print_state = str(state)
        self.view.show_print_state(str(state))
        if state == PRINTER_FAILED and self.current == "confirm":
            self.confirm_timer.start(self.confirm_failed_ms)
        self.view.notify_printed(str(state))

    def on_take_failed(self, error: object) -> None:
        if self.current == "confirm" and not self.busy:
            # Issued and shown; the printing step failed in an unexpected way.
            log.error("printing failed after the ticket was shown: %r", error)
            self.on_print_finished(PRINTER_FAILED)
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
        self.busy_timer.stop()
        self.view.show_busy(False)

    def on_busy_elapsed(self) -> None:
        if self.busy:
            self.show_screen("busy")

    def on_idle_elapsed(self) -> None:
        if self.busy:
            return
        if self.current == "home":
            self.reset_visitor()
            self.view.notify_flow_reset()
            return
        if self.current not in ("groups", "priority_services", "admin", "lookup"):
            return
        self.pending = None
        self.go_home()
        self.reset_visitor()
        self.view.notify_flow_reset()

    # --- dossier lookup ------------------------------------------------------------------------

    def open_lookup(self) -> None:
        if self.busy:
            return
        self.view.lookup_reset()
        self.show_screen("lookup")
        self.idle_timer.start(self.idle_ms)

    def on_lookup_submitted(self, code: str, secret: str) -> None:
        db = self.db

        def work(_progress: Progress) -> object:
            from shared.dossiers import lookup

            return lookup(db, code, secret, client="kiosk")

        self._lookup(work)

    def on_scanned(self, text: str) -> None:
        """A barcode scanner read a code, on whatever screen was shown."""
        if self.busy or not self.online or self.current in ("admin", "admin_off", "busy"):
            log.info("scan ignored on the %s screen", self.current or "first")
            return
        for timer in (self.confirm_timer, self.error_timer):
            timer.stop()
        if self.current != "lookup":
            self.view.lookup_reset()
            self.show_screen("lookup")
        db = self.db

        def work(_progress: Progress) -> object:
            from shared.dossiers import lookup_scan

            return lookup_scan(db, text, client="kiosk")

        self._lookup(work)

    def on_typed(self, text: str) -> None:
        """Slow keystrokes of a person on a physical keyboard: only the lookup screen uses them."""
        if self.current == "lookup":
            self.view.lookup_type(text)
            self.idle_timer.start(self.idle_ms)

    def _lookup(self, work: Work) -> None:
        if self.looking_up:
            return
        self.looking_up = True
        self.view.lookup_searching()
        self.idle_timer.start(self.idle_ms)
        self.tasks.submit(work, None, self.on_lookup_done, self.on_lookup_failed)

    def on_lookup_done(self, view: object) -> None:
        self.looking_up = False
        self.view.lookup_result(view)
        if self.current == "lookup":
            self.idle_timer.start(self.idle_ms)
        self.view.notify_lookup(view)

    def on_lookup_failed(self, error: object) -> None:
        self.looking_up = False
        if isinstance(error, LookupSlowDown):
            seconds = int(getattr(error, "retry_after", 30))
            log.info("dossier lookup slowed down for %s s", seconds)
            self.view.lookup_slow_down(seconds)
            key = "kiosk.lookup.slow"
        elif isinstance(error, DatabaseError):
            log.warning("dossier lookup: %s", error.message_in("en"))
            self.view.lookup_reset()
            self.go_offline()
            key = "kiosk.offline.title"
        elif isinstance(error, ImportError):
            log.error("dossier lookup is not installed: %s", error)
            self.view.lookup_message("kiosk.lookup.unavailable")
            key = "kiosk.lookup.unavailable"
        else:
            if not isinstance(error, LookupRefused):
                # Not the expected refusal: logged (no code, no secret), shown the same way.
                log.error("dossier lookup failed: %r", type(error).__name__)
            self.view.lookup_message("kiosk.lookup.refused")
            key = "kiosk.lookup.refused"
        if self.current == "lookup":
            self.idle_timer.start(self.idle_ms)
        self.view.notify_lookup(key)

    # --- leaving the kiosk: the admin gesture and PIN -----------------------------------------

    def corner_touched(self, inside: bool) -> None:
        """A touch on the kiosk: ``inside`` the clock corner counts towards the gesture, any
        other touch starts it again."""
        if self.current in ("admin", "admin_off"):
            return
        if not inside:
            self.admin_taps.clear()
            return
        self.admin_tap()

    def admin_tap(self, now: float | None = None) -> None:
        """One tap on the clock corner; the fifth within three seconds opens the PIN pad."""
        moment = time.monotonic() if now is None else now
        self.admin_taps = [t for t in self.admin_taps if moment - t <= ADMIN_TAP_SECONDS]
        self.admin_taps.append(moment)
        if len(self.admin_taps) >= ADMIN_TAPS:
            self.admin_taps.clear()
            self.open_admin()

    def open_admin(self) -> None:
        """The PIN pad, or "not configured" when no PIN hash is set."""
        if self.busy:
            return
        for timer in (self.confirm_timer, self.error_timer, self.idle_timer):
            timer.stop()
        if not self.settings.kiosk.admin_pin_hash:
            log.info("admin gesture at the kiosk: no admin PIN configured")
            self.show_screen("admin_off")
            self.admin_timer.start(self.admin_message_ms)
            return
        log.info("admin gesture at the kiosk: PIN pad shown")
        self.view.reset_pin()
        self.show_screen("admin")
        self.idle_timer.start(self.idle_ms)

    def on_pin_entered(self, pin: str) -> None:
        from shared.pin import verify_pin

        if self.current != "admin":
            return
        if verify_pin(self.settings.kiosk.admin_pin_hash, pin):
            log.warning("kiosk left with the technician's PIN")
            self.admin_unlocked = True
            self.view.close_kiosk()
            return
        log.warning("wrong technician PIN at the kiosk")
        self.idle_timer.stop()
        self.view.refuse_pin()
        self.admin_timer.start(self.admin_message_ms)

    # --- failures ------------------------------------------------------------------------------

    def show_error(self) -> None:
        self.show_screen("error")
        self.error_timer.start(self.error_ms)

    def on_unexpected(self, error: BaseException) -> None:
        """An exception escaped a slot: calm message, then home."""
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
        if not self.retry_timer.is_active():
            self.retry_timer.start(RETRY_SECONDS * 1000)

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
        if self.reloading:
            return
        self.reloading = True
        centre, block = self.centre, self.settings.kiosk.offline_block

        def work(_progress: Progress) -> object:
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

        self.tasks.submit(work, None, self.on_reloaded, self.on_reload_failed)

    def on_reloaded(self, home: object) -> None:
        assert isinstance(home, HomeData)
        self.reloading = False
        self.retry_timer.stop()
        was_offline = not self.online
        self.online = True
        self.set_home(home)
        if was_offline and self.current in ("offline", "", "starting"):
            self.show_screen("home")
        self._start_wanted_feed()
        self.view.notify_home(home)

    def on_reload_failed(self, error: object) -> None:
        self.reloading = False
        self.last_reload_error = error
        detail = error.message_in("en") if isinstance(error, MotcuaError) else repr(error)
        if isinstance(error, ConfigError):
            log.error("the kiosk cannot start: %s", detail)
        else:
            log.info("database still unavailable: %s", detail)
        self.go_offline()
        self._start_wanted_feed()

    def _start_wanted_feed(self) -> None:
        if self.want_feed is not None and self.feed is None:
            self.start_feed(self.want_feed)

    # --- live figures --------------------------------------------------------------------------

    def on_events_arrived(self, events: list[Any]) -> None:
        if not self.refresh_timer.is_active():
            self.refresh_timer.start(REFRESH_THROTTLE_MS)

    def refresh_now(self) -> None:
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        engine, db = self.engine, self.db
        offline, services = self.offline_numbers, [s.code for s in self.home.services]

        def work(_progress: Progress) -> object:
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

        self.tasks.submit(work, None, self.on_status_read, self.on_status_failed)

    def on_status_read(self, figures: object) -> None:
        assert isinstance(figures, Figures)
        self._refreshing = False
        home = home_from_figures(self.home, figures)
        self.set_home(home)
        if not self.online:
            self.reload()
        self.view.notify_home(home)
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
        """Start the change-feed (call :meth:`stop` at the end); None without a feed."""
        if self.feeds is None:
            return None
        after = self.home.last_event_id if self.online else None
        self.feed = self.feeds(
            self.db,
            after,
            poll_interval,
            self.home.centre_id,
            self.on_events_arrived,
            self.on_connection_changed,
        )
        return self.feed

    def stop(self) -> None:
        """Stop the feed, timers and background work (before closing)."""
        self.want_feed = None  # work still finishing must not start a feed again
        self.hours_timer.stop()
        self.retry_timer.stop()
        self.tasks.wait()
        self.take_tasks.wait()
        if self.feed is not None:
            self.feed.stop()
            self.feed = None
