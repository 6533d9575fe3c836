"""Database work off the screen's thread: a task runs in a thread pool and reports back by
signals, which Qt delivers in the UI thread. Shared by the apps."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Signal


class TaskSignals(QObject):
    progress = Signal(object)
    done = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    """Runs ``work(progress)`` in the pool; its signals arrive in the UI thread."""

    def __init__(self, work: Callable[[Callable[[object], None]], object]) -> None:
        super().__init__()
        self.work = work
        self.signals = TaskSignals()

    def run(self) -> None:
        try:
            result = self.work(self.signals.progress.emit)
        except Exception as error:  # noqa: BLE001 - handed to the UI, which decides
            self.signals.failed.emit(error)
        else:
            self.signals.done.emit(result)
