"""The Qt side of the kiosk's controller (:mod:`kiosk.controller`): its timeouts as Qt timers and
the change-feed as a :class:`shared.qt.feed.FeedThread`, both living with the window: once the
window is gone, what they would still report is dropped. Its background work runs on
:class:`shared.qt.tasks.TaskRunner`, which drops late answers the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer
from shiboken6 import isValid

from kiosk.ports import FeedFactory, Timer, TimerFactory


def while_alive(owner: QObject, callback: Callable[[Any], None]) -> Callable[[Any], None]:
    """``callback``, called only while ``owner`` (the window) still exists."""

    def call(value: Any) -> None:
        if isValid(owner):
            callback(value)

    return call


class QtTimer:
    """A :class:`~kiosk.controller.Timer` on a :class:`QTimer` of the window."""

    def __init__(self, callback: Callable[[], None], repeat: bool, parent: QObject) -> None:
        self.timer = QTimer(parent)
        self.timer.setSingleShot(not repeat)
        self.timer.timeout.connect(callback)

    def start(self, ms: int) -> None:
        self.timer.start(ms)

    def stop(self) -> None:
        self.timer.stop()

    def is_active(self) -> bool:
        return self.timer.isActive()


def qt_timers(parent: QObject) -> TimerFactory:
    """Makes the controller's timers as Qt timers owned by ``parent``."""

    def make(callback: Callable[[], None], repeat: bool) -> Timer:
        return QtTimer(callback, repeat, parent)

    return make


def qt_feeds(parent: QObject) -> FeedFactory:
    """Starts the change-feed thread, owned by ``parent``, reporting to the controller."""

    def start(
        db: Any,
        after_id: int | None,
        poll_interval: float,
        centre_id: int | None,
        on_events: Callable[[list[Any]], None],
        on_connection: Callable[[bool], None],
    ) -> Any:
        from shared.qt.feed import FeedThread

        feed = FeedThread(
            db,
            after_id=after_id,
            poll_interval=poll_interval,
            centre_id=centre_id,
            parent=parent,
        )
        feed.events_arrived.connect(while_alive(parent, on_events))
        feed.connection_changed.connect(while_alive(parent, on_connection))
        feed.start()
        return feed

    return start
