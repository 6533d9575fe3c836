"""Logging set-up: one log file per PC user, shared by every MotCua program running there (the
kiosk, the counters, the display, the commands), set aside at a size and kept for a while.

Log records carry ids, numbers and codes, never a citizen's name, phone, address or ID number.

Several programs write the same file. A plain rotating handler lets each program set the file
aside by itself, so one renames it from under another and lines go to a file already rotated,
or two rotations in a row drop a file. Here every write happens under a lock on
``motcua.log.lock`` (``flock``; ``msvcrt.locking`` on Windows): the writer checks that the file it
has open is still ``motcua.log`` (reopening it if another program set it aside), rotates if it
is full, then writes. Nothing is lost or duplicated, whichever program rotates.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path
from typing import IO

LOG_FILE = "motcua.log"


class _FileLock:
    """An exclusive lock on a small file, between processes."""

    def __init__(self, path: Path) -> None:
        self.handle: IO[bytes] = open(path, "a+b")  # noqa: SIM115 - kept for the handler's life

    def __enter__(self) -> None:
        if sys.platform == "win32":
            import msvcrt

            self.handle.seek(0)
            msvcrt.locking(self.handle.fileno(), msvcrt.LK_LOCK, 1)
        else:
            import fcntl

            fcntl.flock(self.handle.fileno(), fcntl.LOCK_EX)

    def __exit__(self, *_exc: object) -> None:
        if sys.platform == "win32":
            import msvcrt

            self.handle.seek(0)
            msvcrt.locking(self.handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(self.handle.fileno(), fcntl.LOCK_UN)

    def close(self) -> None:
        self.handle.close()


class SharedRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A :class:`~logging.handlers.RotatingFileHandler` that several processes can share."""

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
        self._lock_file = _FileLock(path.with_name(path.name + ".lock"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            with self._lock_file:
                self._follow()
                if self.shouldRollover(record):
                    self.doRollover()
                logging.FileHandler.emit(self, record)
                if self.stream is not None:
                    self.stream.flush()
        except Exception:  # noqa: BLE001 - logging must never stop the program
            self.handleError(record)

    def shouldRollover(self, record: logging.LogRecord) -> bool:  # noqa: N802 - logging API
        """Full by the file's own size (another program may have written to it meanwhile)."""
        try:
            size = os.stat(self.baseFilename).st_size
        except OSError:
            return False
        return size + len(self.format(record)) + 1 > self.maxBytes > 0

    def _follow(self) -> None:
        """Reopen ``motcua.log`` if the file this process has open was set aside by another."""
        if self.stream is None:
            return
        try:
            current = os.stat(self.baseFilename)
            mine = os.fstat(self.stream.fileno())
        except OSError:
            current = None
            mine = None
        if (
            current is None
            or mine is None
            or (current.st_dev, current.st_ino)
            != (
                mine.st_dev,
                mine.st_ino,
            )
        ):
            self.stream.close()
            self.stream = self._open()

    def close(self) -> None:
        super().close()
        self._lock_file.close()


def configure(
    directory: Path, level: str = "INFO", *, max_kb: int = 5000, files: int = 5
) -> Path | None:
    """Send ``motcua.*`` records to ``directory/motcua.log``; the path, or None if unusable."""
    root = logging.getLogger("motcua")
    root.setLevel(level)
    root.propagate = False
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / LOG_FILE
        handler: logging.Handler = SharedRotatingFileHandler(path, max_kb * 1024, files)
    except OSError:
        root.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(process)d %(name)s %(levelname)s %(message)s")
    )
    root.addHandler(handler)
    return path
