"""A USB barcode scanner in keyboard-wedge mode, recognised on any kiosk screen.

Such a scanner "types" the QR's text as keystrokes a few milliseconds apart and ends with Enter.
:class:`ScannerFilter` is an application-wide event filter: it keeps the printable keystrokes in a
buffer, and

* when Enter arrives after at least :data:`MIN_LENGTH` characters, each at most ``gap_ms`` after
  the previous one (and Enter too), the buffer is a **scan**: ``scanned(text)``;
* otherwise the keys are a **person** typing (a gap longer than ``gap_ms``, too short a burst, or
  nothing more for ``2 × gap_ms``): ``typed(text)`` with the characters, ``"\\n"`` for Enter,
  ``"\\b"`` for Backspace. The lookup screen puts them in its fields; elsewhere they are ignored.

The kiosk has no text widget that needs the physical keyboard, so every printable key, Enter and
Backspace stop here: a scan never reaches a button. Times are taken when Qt delivers the event
(``time.monotonic``), so a burst that waited in the event queue only looks faster.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent

MIN_LENGTH = 6
"""A scan is at least this many characters (a dossier slip's QR holds far more)."""
MAX_LENGTH = 2000
"""Longer bursts are cut (garbage)."""

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ScannerFilter(QObject):
    """Install with ``QApplication.instance().installEventFilter(filter)``."""

    scanned = Signal(str)
    typed = Signal(str)

    def __init__(
        self,
        gap_ms: int = 60,
        parent: QObject | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.gap = gap_ms / 1000.0
        self.clock = clock
        self._buffer: list[str] = []
        self._last = 0.0
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(max(20, gap_ms * 2))
        self._flush_timer.timeout.connect(self.flush)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return False
        if not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        text = event.text()
        handled = key in _ENTER or key == Qt.Key.Key_Backspace or (text and text.isprintable())
        if kind == QEvent.Type.KeyRelease or not handled:
            return bool(handled)
        self.key_pressed(key, text, self.clock())
        return True

    def key_pressed(self, key: int, text: str, now: float) -> None:
        """One keystroke at ``now`` (seconds)."""
        late = bool(self._buffer) and now - self._last > self.gap
        if key in _ENTER:
            if self._buffer and not late and len(self._buffer) >= MIN_LENGTH:
                code = "".join(self._buffer)
                self._buffer.clear()
                self._flush_timer.stop()
                self.scanned.emit(code)
            else:
                self.flush()
                self.typed.emit("\n")
            return
        if key == Qt.Key.Key_Backspace:
            self.flush()
            self.typed.emit("\b")
            return
        if late:
            self.flush()
        if len(self._buffer) < MAX_LENGTH:
            self._buffer.append(text)
        self._last = now
        self._flush_timer.start()

    def flush(self) -> None:
        """Hand what is in the buffer over as typed by a person."""
        self._flush_timer.stop()
        if self._buffer:
            text = "".join(self._buffer)
            self._buffer.clear()
            self.typed.emit(text)
