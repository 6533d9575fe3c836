"""What the kiosk's controller (:mod:`kiosk.controller`) works through: where its background
work runs (:class:`Tasks`), its timeouts (:class:`Timer`) and what it shows (:class:`KioskView`).

The window gives it a thread pool, Qt timers and itself (:mod:`kiosk.qt_ports`,
:mod:`kiosk.app`). Without a window, :class:`InlineTasks` runs the work at once and a
:class:`ManualTimer` times out when told to, so the kiosk's whole behaviour runs with no screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kiosk.model import Confirmation, GroupChoice, HomeData

Progress = Callable[[object], None]
Work = Callable[[Progress], object]


class Tasks(Protocol):
    """Runs ``work(progress)`` away from the screen; the callbacks come back on the screen's
    side: ``on_progress`` for each step reported, then ``on_done`` or ``on_failed``."""

    def submit(
        self,
        work: Work,
        on_progress: Progress | None,
        on_done: Callable[[object], None],
        on_failed: Callable[[object], None],
    ) -> None: ...

    def wait(self, ms: int = ...) -> bool: ...


class Timer(Protocol):
    """A timeout: ``start`` (again) for ``ms``, ``stop``, and whether it is running."""

    def start(self, ms: int) -> None: ...

    def stop(self) -> None: ...

    def is_active(self) -> bool: ...


TimerFactory = Callable[[Callable[[], None], bool], Timer]
"""Makes a timer that calls its callback once (``False``) or every interval (``True``)."""

FeedFactory = Callable[..., Any]
"""Starts the change-feed: ``(db, after_id, poll_interval, centre_id, on_events,
on_connection)`` → an object with ``stop()``."""


class InlineTasks:
    """Runs each piece of work at once, in the caller's thread, and reports straight away."""

    def submit(
        self,
        work: Work,
        on_progress: Progress | None,
        on_done: Callable[[object], None],
        on_failed: Callable[[object], None],
    ) -> None:
        def progress(value: object) -> None:
            if on_progress is not None:
                on_progress(value)

        try:
            result = work(progress)
        except Exception as error:  # noqa: BLE001 - handed to the caller, which decides
            on_failed(error)
        else:
            on_done(result)

    def wait(self, ms: int = 10_000) -> bool:
        return True


class ManualTimer:
    """A timer that runs only when told: :meth:`fire` does what the timeout would do."""

    def __init__(self, callback: Callable[[], None], repeat: bool = False) -> None:
        self.callback = callback
        self.repeat = repeat
        self.active = False
        self.interval = 0

    def start(self, ms: int) -> None:
        self.interval = ms
        self.active = True

    def stop(self) -> None:
        self.active = False

    def is_active(self) -> bool:
        return self.active

    def fire(self) -> None:
        """The time is up: call back, if running (once, unless repeating)."""
        if not self.active:
            return
        if not self.repeat:
            self.active = False
        self.callback()


class KioskView:
    """What the controller shows; each method does nothing here (a window overrides them)."""

    def present(self, screen: str) -> None:
        """Put ``screen`` (one of :data:`SCREENS`) on the screen."""

    def notify_screen(self, screen: str) -> None:
        """A different screen than before is now shown."""

    def show_language(self, language: str) -> None:
        """Every screen in ``language``."""

    def show_home(self, home: HomeData, shown: HomeData) -> None:
        """New data: ``shown`` is ``home`` with the services marked open or closed now."""

    def show_large(self, large: bool) -> None:
        """Larger-text mode on or off."""

    def show_busy(self, busy: bool) -> None:
        """A number is being taken: the service buttons are disabled meanwhile."""

    def show_group(self, group: GroupChoice | None) -> None:
        """The priority group whose services are offered (None: none chosen)."""

    def show_ticket(self, confirmation: Confirmation) -> None:
        """The confirmation of a ticket, the printer still at work."""

    def show_print_state(self, state: str) -> None:
        """The printer's outcome: ``printed`` or ``printer_failed``."""

    def reset_pin(self) -> None:
        """An empty PIN pad."""

    def refuse_pin(self) -> None:
        """A wrong PIN: say so, keys off until the pad goes."""

    def close_kiosk(self) -> None:
        """The technician's PIN was right: the kiosk closes."""

    def lookup_reset(self) -> None:
        """An empty dossier lookup."""

    def lookup_searching(self) -> None:
        """The lookup is running."""

    def lookup_type(self, text: str) -> None:
        """Keystrokes of a physical keyboard into the lookup's fields."""

    def lookup_result(self, view: object) -> None:
        """The answer of a lookup."""

    def lookup_slow_down(self, seconds: int) -> None:
        """Too many attempts: the lookup waits ``seconds``."""

    def lookup_message(self, key: str) -> None:
        """A lookup answered with the message of translation key ``key``."""

    def notify_ticket(self, confirmation: Confirmation) -> None:
        """A ticket is issued and on screen."""

    def notify_printed(self, state: str) -> None:
        """The printer finished: ``printed`` or ``printer_failed``."""

    def notify_home(self, home: HomeData) -> None:
        """The figures were read again (after a change, or after an outage)."""

    def notify_flow_reset(self) -> None:
        """The idle timeout sent a half-done flow (or a visitor's choices) home."""

    def notify_lookup(self, result: object) -> None:
        """A lookup ended: its answer, or the translation key of the message shown instead."""
