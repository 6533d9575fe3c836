"""Database work off the screen's thread: a task runs in a thread pool and reports back by
signals, which Qt delivers in the UI thread. Shared by the apps."""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from shiboken6 import isValid


class TaskSignals(QObject):
    progress = Signal(object)
    done = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    """Runs ``work(progress)`` in the pool; its signals arrive in the UI thread.

    The work runs in a copy of the submitting thread's context, so the language chosen on the
    screen (:func:`shared.i18n.set_language`) also words the messages made in the worker.
    """

    def __init__(self, work: Callable[[Callable[[object], None]], object]) -> None:
        super().__init__()
        self.work = work
        self.signals = TaskSignals()
        self.context = contextvars.copy_context()

    def run(self) -> None:
        try:
            result = self.context.run(self.work, self.signals.progress.emit)
        except Exception as error:  # noqa: BLE001 - handed to the UI, which decides
            self.signals.failed.emit(error)
        else:
            self.signals.done.emit(result)


class TaskRunner:
    """A one-thread pool for an app's database work, in submission order; it keeps each task's
    signals alive until the task reported back. An answer that arrives after ``parent`` (the
    window) was deleted is dropped: there is nothing left to show it on (Qt would drop it for
    the window's own methods, not for the plain functions of a controller)."""

    def __init__(self, parent: QObject) -> None:
        self.parent = parent
        self.pool = QThreadPool(parent)
        self.pool.setMaxThreadCount(1)
        self._alive: set[TaskSignals] = set()

    def submit(
        self,
        work: Callable[[Callable[[object], None]], object],
        on_progress: Callable[[object], None] | None,
        on_done: Callable[[object], None],
        on_failed: Callable[[object], None],
    ) -> None:
        task = Task(work)
        signals = task.signals
        self._alive.add(signals)

        def forget(_: object = None) -> None:
            self._alive.discard(signals)

        if on_progress is not None:
            signals.progress.connect(self._while_alive(on_progress))
        signals.done.connect(self._while_alive(on_done))
        signals.failed.connect(self._while_alive(on_failed))
        signals.done.connect(forget)
        signals.failed.connect(forget)
        self.pool.start(task)

    def wait(self, ms: int = 10_000) -> bool:
        return self.pool.waitForDone(ms)

    def _while_alive(self, callback: Callable[[object], None]) -> Callable[[object], None]:
        parent = self.parent

        def deliver(value: object) -> None:
            if isValid(parent):
                callback(value)

        return deliver
