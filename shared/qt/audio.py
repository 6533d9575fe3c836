"""Qt glue: the ``play`` of :class:`shared.announcer.Announcer` through Qt Multimedia.

:class:`QtWavPlayer` is called on the announcer's worker thread and blocks it until the sound has
finished: a ``QSoundEffect`` plays the WAV on the GUI thread (queued signal), the worker waits
until playback ends, :meth:`QtWavPlayer.stop` is called, or at the latest the WAV's duration +
:data:`~shared.announcer.PLAY_MARGIN` have passed, so it never hangs (even with no event loop).
Without an audio output (offscreen CI, a PC with no sound card) it waits for the WAV's duration.

Qt Multimedia ships in **PySide6-Addons**, not in PySide6-Essentials. When it cannot be imported,
:func:`default_player` falls back to :class:`~shared.announcer.SystemPlayer` (``winsound`` on
Windows, ``pw-play``/``paplay``/``aplay`` on Linux).
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QUrl, Signal

from shared.announcer import PLAY_MARGIN, SystemPlayer
from shared.voice import wav_duration

try:
    from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
except ImportError:  # PySide6-Essentials only
    QMediaDevices = None  # type: ignore[assignment,misc]
    QSoundEffect = None  # type: ignore[assignment,misc]

log = logging.getLogger("motcua.voice")


def qt_multimedia_available() -> bool:
    return QSoundEffect is not None


@dataclass
class _Job:
    path: Path
    volume: float
    done: threading.Event = field(default_factory=threading.Event)
    started: bool = False
    failed: bool = False


class _Bridge(QObject):
    """Lives in the GUI thread, where Qt Multimedia plays; driven by queued signals."""

    start = Signal(object)
    halt = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._effect: QSoundEffect | None = None
        self.start.connect(self._on_start, Qt.ConnectionType.QueuedConnection)
        self.halt.connect(self._on_halt, Qt.ConnectionType.QueuedConnection)

    def _on_start(self, job: _Job) -> None:
        self._on_halt()
        effect = QSoundEffect(self)
        effect.setVolume(job.volume)

        def on_status() -> None:
            status = effect.status()
            if status == QSoundEffect.Status.Ready and not job.started:
                job.started = True
                effect.play()
            elif status == QSoundEffect.Status.Error:
                job.failed = True
                job.done.set()

        def on_playing() -> None:
            if job.started and not effect.isPlaying():
                job.done.set()

        effect.statusChanged.connect(on_status)
        effect.playingChanged.connect(on_playing)
        self._effect = effect
        effect.setSource(QUrl.fromLocalFile(str(job.path)))
        on_status()

    def _on_halt(self) -> None:
        if self._effect is not None:
            self._effect.stop()
            self._effect.deleteLater()
            self._effect = None


class QtWavPlayer:
    """Blocking WAV player for the announcer's worker thread.

    Create it on the GUI thread (after the QApplication): the sound is played there by Qt
    Multimedia while the worker thread waits, at most the WAV's duration + ``margin``.
    """

    def __init__(self, *, volume: float = 1.0, margin: float = PLAY_MARGIN) -> None:
        if QSoundEffect is None:
            raise RuntimeError("Qt Multimedia is not installed (it comes with PySide6-Addons)")
        self.volume = volume
        self.margin = margin
        self._stop = threading.Event()
        self._bridge = _Bridge()

    def stop(self) -> None:
        """Stop the current sound and every later one (for closing)."""
        self._stop.set()
        self._bridge.halt.emit()

    def __call__(self, wav: bytes) -> None:
        duration = wav_duration(wav)
        if self._stop.is_set():
            return
        if QCoreApplication.instance() is None or not QMediaDevices.audioOutputs():
            self._stop.wait(duration)
            return
        handle, name = tempfile.mkstemp(prefix="motcua-call-", suffix=".wav")
        path = Path(name)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(wav)
            job = _Job(path, self.volume)
            started = time.monotonic()
            self._bridge.start.emit(job)
            deadline = started + duration + self.margin
            while not job.done.is_set() and not self._stop.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    log.warning("announcement playback did not end in time; stopped")
                    break
                job.done.wait(min(0.05, remaining))
            self._bridge.halt.emit()
            if job.failed or not job.started:
                log.warning("Qt Multimedia could not play the announcement")
                # Keep the queue's pace even when the device failed.
                self._stop.wait(max(0.0, started + duration - time.monotonic()))
        finally:
            path.unlink(missing_ok=True)


def default_player(volume: float = 1.0) -> QtWavPlayer | SystemPlayer:
    """The best available player: Qt Multimedia, else the operating system's."""
    if qt_multimedia_available():
        return QtWavPlayer(volume=volume)
    return SystemPlayer()
