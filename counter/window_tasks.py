"""The counter window's database work: the app's one-thread pools
(:class:`~shared.qt.tasks.TaskRunner`), whose answers reach the controller only while the
window still exists. An answer that arrives after the clerk's window was closed and deleted is
dropped: there is nothing left to show it on."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from counter.controller import Work
from shared.qt.tasks import TaskRunner


class WindowTasks:
    """A :class:`~counter.controller.Runner` tied to the life of ``window``."""

    def __init__(self, window: QWidget) -> None:
        self.window = window
        self.pool = TaskRunner(window)

    def submit(
        self,
        work: Work,
        on_progress: Callable[[object], None] | None,
        on_done: Callable[[object], None],
        on_failed: Callable[[object], None],
    ) -> None:
        progress = self._while_shown(on_progress) if on_progress is not None else None
        self.pool.submit(work, progress, self._while_shown(on_done), self._while_shown(on_failed))

    def wait(self, ms: int = 10_000) -> bool:
        return self.pool.wait(ms)

    def _while_shown(self, callback: Callable[[object], None]) -> Callable[[object], None]:
        window = self.window

        def deliver(value: object) -> None:
            if isValid(window):
                callback(value)

        return deliver
