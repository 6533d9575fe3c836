"""The centre's daily backup, taken by whichever of its programs is running when it is due
(``[backup]``; see :mod:`shared.backup`), in a thread of its own: the screen never waits."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer

from shared.qt.tasks import TaskRunner
from shared.settings import BackupSettings

log = logging.getLogger("motcua.backup")

CHECK_MS = 5 * 60 * 1000
"""How often a running program looks whether the day's backup is due."""
FIRST_CHECK_MS = 60 * 1000
"""The first look, a minute after the start (not on the way to the first frame)."""


class DailyBackups(QObject):
    def __init__(
        self,
        db: Callable[[], Any],
        settings: BackupSettings,
        centre: str | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self.settings = settings
        self.centre = centre
        self.busy = False
        self.tasks = TaskRunner(self)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        if settings.keep > 0:
            QTimer.singleShot(FIRST_CHECK_MS, self.check)
            self.timer.start(CHECK_MS)

    def check(self) -> None:
        """Take the day's backup in the background if it is due (nothing to do otherwise)."""
        if self.busy:
            return
        self.busy = True
        db, settings, centre = self._db, self.settings, self.centre

        def work(_progress: Callable[[object], None]) -> object:
            from shared.backup import centre_timezone, daily_backup

            database = db()
            return daily_backup(database, settings, timezone=centre_timezone(database, centre))

        self.tasks.submit(work, None, self._done, self._failed)

    def _done(self, result: object) -> None:
        self.busy = False
        if result is not None:
            log.info("daily backup taken: %s", getattr(result, "path", result))

    def _failed(self, error: object) -> None:
        self.busy = False
        log.warning("daily backup not taken: %s", getattr(error, "message", error))

    def stop(self) -> None:
        self.timer.stop()
        self.tasks.wait()
