"""The change-feed in a worker thread, with Qt signals: database work never runs on the UI thread.

>>> feed = FeedThread(db, centre_id=centre.id)
>>> feed.events_arrived.connect(board.apply)          # list[EventView], id order, UI thread
>>> feed.connection_changed.connect(banner.set_online)  # False: show "mất kết nối"
>>> feed.start()
... (at exit) feed.stop()

The worker builds its :class:`~shared.feed.ChangeFeed` inside the thread (even the first query
that finds "now"), waits on it in slices of at most ``poll_interval`` and checks a stop flag in
between, so :meth:`FeedThread.stop` returns within about one slice.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

from shared.db import Database
from shared.feed import ChangeFeed

log = logging.getLogger("motcua.feed")

STOP_TIMEOUT_MS = 5000
"""Upper bound on waiting for the thread: a connect to a host that vanished may take 2 s."""


class FeedWorker(QObject):
    """Runs a :class:`ChangeFeed` loop; lives in a :class:`QThread` (see :class:`FeedThread`)."""

    events_arrived = Signal(list)
    """New events (a list of :class:`~shared.views.EventView`), in id order."""
    connection_changed = Signal(bool)
    """True once the database is reached, False when it is lost, True again when it is back."""
    finished = Signal()

    def __init__(
        self,
        db: Database,
        *,
        after_id: int | None = None,
        poll_interval: float = 0.2,
        centre_id: int | None = None,
    ) -> None:
        super().__init__()
        self._db = db
        self._after_id = after_id
        self._poll_interval = poll_interval
        self._centre_id = centre_id
        self._stop = threading.Event()
        self._connected: bool | None = None
        self._feed: ChangeFeed | None = None
        self.last_error: str | None = None
        self.last_id: int | None = None

    @property
    def connected(self) -> bool:
        return bool(self._connected)

    def request_stop(self) -> None:
        """Thread-safe: ask the loop to end (it does within about one poll interval, or at once
        when it is waiting for a silent server)."""
        self._stop.set()
        feed = self._feed
        if feed is not None:
            feed.interrupt()

    def run(self) -> None:
        """The loop (called in the worker thread)."""
        feed: ChangeFeed | None = None
        try:
            feed = self._feed = ChangeFeed(
                self._db,
                after_id=self._after_id,
                poll_interval=self._poll_interval,
                centre_id=self._centre_id,
            )
            self._report(feed)
            slice_ = min(self._poll_interval, 0.25)
            while not self._stop.is_set():
                events = feed.wait(slice_)
                self.last_id = feed.last_id
                self._report(feed)
                if events and not self._stop.is_set():
                    self.events_arrived.emit(events)
        except Exception:  # noqa: BLE001 - a bug: keep the app alive, say so in the log
            log.exception("change-feed worker stopped by an unexpected error")
            self._connected = False
            self.connection_changed.emit(False)
        finally:
            if feed is not None:
                feed.close()
            self.finished.emit()

    def _report(self, feed: ChangeFeed) -> None:
        self.last_error = feed.last_error
        if feed.connected != self._connected:
            self._connected = feed.connected
            self.connection_changed.emit(feed.connected)


class FeedThread(QObject):
    """Owns a :class:`QThread` and its :class:`FeedWorker`.

    Its own ``events_arrived`` and ``connection_changed`` repeat the worker's in the thread that
    made the :class:`FeedThread` (the UI thread), so even a plain function or lambda connected to
    them runs there, never in the worker thread.
    """

    events_arrived = Signal(list)
    connection_changed = Signal(bool)

    def __init__(
        self,
        db: Database,
        *,
        after_id: int | None = None,
        poll_interval: float = 0.2,
        centre_id: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.worker = FeedWorker(
            db, after_id=after_id, poll_interval=poll_interval, centre_id=centre_id
        )
        self.thread = QThread()
        self.thread.setObjectName("motcua-feed")
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.finished.connect(self.thread.quit)
        # Queued: the worker lives in the feed thread, this object in the UI thread.
        self.worker.events_arrived.connect(self._relay_events, Qt.ConnectionType.QueuedConnection)
        self.worker.connection_changed.connect(
            self._relay_connection, Qt.ConnectionType.QueuedConnection
        )
        self._started = False

    @Slot(list)
    def _relay_events(self, events: list[Any]) -> None:
        self.events_arrived.emit(events)

    @Slot(bool)
    def _relay_connection(self, connected: bool) -> None:
        self.connection_changed.emit(connected)

    @property
    def connected(self) -> bool:
        return self.worker.connected

    def start(self) -> None:
        if not self._started:
            self._started = True
            app = QCoreApplication.instance()
            if app is not None:
                # Never leave the thread running into the application's teardown.
                app.aboutToQuit.connect(self.stop)
            self.thread.start()

    def is_running(self) -> bool:
        return self.thread.isRunning()

    def stop(self, timeout_ms: int = STOP_TIMEOUT_MS) -> bool:
        """Stop the loop and wait for the thread to end; True when it has."""
        self.worker.request_stop()
        if not self._started:
            return True
        self.thread.quit()
        done = self.thread.wait(timeout_ms)
        if not done:
            log.warning("change-feed thread did not stop within %d ms", timeout_ms)
        return bool(done)
