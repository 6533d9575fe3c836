"""The announcement queue: one queue, one worker thread, one call spoken at a time.

Qt-free. :meth:`Announcer.announce` only enqueues and returns at once (it is safe to call from
the UI thread or a feed callback). The worker renders each item to a WAV (``render``, by default
:func:`shared.voice.announcement_wav`) and hands it to ``play``, which must BLOCK until the sound
has finished: that is what makes announcements never overlap. Items are never dropped and are
spoken in the order they were announced; a recall is simply a new item, so it is spoken again.
A failing render or play is logged (logger ``motcua.voice``) and the next item goes on.
"""

from __future__ import annotations

import logging
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shared.settings import VoiceSettings
from shared.voice import announcement_wav, wav_duration

log = logging.getLogger("motcua.voice")

Player = Callable[[bytes], None]
"""``play(wav)``: plays a WAV and returns only when it has finished (or was stopped)."""


@dataclass(frozen=True)
class Announcement:
    """One call to speak. ``key`` identifies the event it came from (for logs only)."""

    number: str
    counter: int
    key: str = ""


_STOP = object()


class Announcer:
    """Speaks announcements one at a time, in order, on its own worker thread."""

    def __init__(
        self,
        play: Player,
        *,
        settings: VoiceSettings | None = None,
        render: Callable[[Announcement], bytes] | None = None,
        stop_playback: Callable[[], None] | None = None,
        name: str = "motcua-announcer",
    ) -> None:
        self._play = play
        self._settings = settings or VoiceSettings()
        self._render = render or self._render_with_espeak
        self._stop_playback = stop_playback
        self._queue: queue.Queue[object] = queue.Queue()
        self._lock = threading.Lock()
        self._pending = 0
        self._idle = threading.Condition(self._lock)
        self._closed = False
        self._abort = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    # --- public API ------------------------------------------------------------------------

    def announce(self, item: Announcement) -> None:
        """Queue ``item``; returns at once. Ignored (with a warning) after :meth:`close`."""
        with self._lock:
            if self._closed:
                log.warning("announcement %s after close: ignored", item.key or item.number)
                return
            self._pending += 1
        self._queue.put(item)

    @property
    def pending(self) -> int:
        """Items queued or being spoken."""
        with self._lock:
            return self._pending

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every queued item was spoken; False if ``timeout`` ran out first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._idle:
            while self._pending:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def close(self, *, drain: bool = False, timeout: float = 5.0) -> bool:
        """Stop the worker. ``drain``: speak what is queued first (up to ``timeout``);
        otherwise drop the queued items, stop the current sound if ``stop_playback`` was given,
        and return promptly. True if the worker ended within ``timeout``."""
        with self._lock:
            self._closed = True
        if not drain:
            self._abort.set()
            dropped = 0
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is not _STOP:
                    dropped += 1
            if dropped:
                log.info("announcer closed: %d queued announcement(s) not spoken", dropped)
                self._done(dropped)
            if self._stop_playback is not None:
                try:
                    self._stop_playback()
                except Exception:
                    log.exception("could not stop the current announcement")
        self._queue.put(_STOP)
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # --- worker ----------------------------------------------------------------------------

    def _render_with_espeak(self, item: Announcement) -> bytes:
        return announcement_wav(item.number, item.counter, self._settings)

    def _done(self, count: int = 1) -> None:
        with self._idle:
            self._pending = max(0, self._pending - count)
            if not self._pending:
                self._idle.notify_all()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            assert isinstance(item, Announcement)
            try:
                if not self._abort.is_set():
                    self._speak(item)
            finally:
                self._done()

    def _speak(self, item: Announcement) -> None:
        label = item.key or item.number
        try:
            wav = self._render(item)
        except Exception as exc:
            log.error("announcement %s (counter %s) not synthesised: %s", label, item.counter, exc)
            return
        started = time.monotonic()
        try:
            self._play(wav)
        except Exception:
            log.exception("announcement %s (counter %s) not played", label, item.counter)
            return
        log.debug(
            "announced %s to counter %s (%.2f s, played %.2f s)",
            label,
            item.counter,
            wav_duration(wav),
            time.monotonic() - started,
        )


class TimedPlayer:
    """Makes no sound and waits for the WAV's duration (divided by ``speed``).

    For machines without a sound card (CI, offscreen): the queue keeps real timing.
    :meth:`stop` ends the current and every later wait at once (it is meant for closing).
    """

    def __init__(self, *, speed: float = 1.0) -> None:
        self.speed = speed
        self._stop = threading.Event()

    def __call__(self, wav: bytes) -> None:
        self._stop.wait(wav_duration(wav) / self.speed)

    def stop(self) -> None:
        self._stop.set()


PLAY_MARGIN = 2.0
"""Seconds a player may run past the WAV's duration before it is considered stuck."""

_PLAY_COMMANDS = (("pw-play",), ("paplay",), ("aplay", "-q"))


class SystemPlayer:
    """Plays through the operating system without Qt: ``winsound`` on Windows, else the first of
    ``pw-play``, ``paplay``, ``aplay`` found; waits at most duration + :data:`PLAY_MARGIN`.
    Without either it behaves as :class:`TimedPlayer` (silent, same timing)."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._process: subprocess.Popen[bytes] | None = None
        self._command = None
        if sys.platform != "win32":
            self._command = next(
                (list(c) for c in _PLAY_COMMANDS if shutil.which(c[0]) is not None), None
            )

    @property
    def silent(self) -> bool:
        return sys.platform != "win32" and self._command is None

    def __call__(self, wav: bytes) -> None:
        duration = wav_duration(wav)
        if self._stop.is_set():
            return
        if self.silent:
            self._stop.wait(duration)
            return
        handle, name = tempfile.mkstemp(prefix="motcua-call-", suffix=".wav")
        path = Path(name)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(wav)
            if sys.platform == "win32":
                self._play_winsound(path, duration)
            else:
                self._play_command(path, duration)
        finally:
            path.unlink(missing_ok=True)

    def _play_winsound(self, path: Path, duration: float) -> None:
        import winsound  # noqa: PLC0415 (Windows only)

        winsound.PlaySound(str(path), winsound.SND_FILENAME | winsound.SND_ASYNC)
        try:
            self._stop.wait(duration)
        finally:
            winsound.PlaySound(None, 0)

    def _play_command(self, path: Path, duration: float) -> None:
        assert self._command is not None
        process = subprocess.Popen(
            [*self._command, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self._process = process
        try:
            process.wait(duration + PLAY_MARGIN)
        except subprocess.TimeoutExpired:
            log.warning("%s did not finish in time; stopped", self._command[0])
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            self._process = None

    def stop(self) -> None:
        self._stop.set()
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()


__all__ = [
    "Announcement",
    "Announcer",
    "Player",
    "SystemPlayer",
    "TimedPlayer",
    "wav_duration",
]
