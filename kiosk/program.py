"""The kiosk program: the window opened full screen (or in a window), ``--smoke`` and
``--screenshot`` runs, the main loop with its calm handling of unexpected errors, and the daily
backups."""

from __future__ import annotations

import sys
import time
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.app import KioskWindow
from kiosk.starting import DEFAULT_WINDOW, take_early
from shared.errors import ConfigError
from shared.qt.platform import report_first_frame, start_app
from shared.qt.screens import show_full_screen

SMOKE_LOAD_SECONDS = 30.0
"""``--smoke``: how long to wait for the data after the first frame."""


def save_screenshot(window: QWidget, path: Any) -> None:
    from pathlib import Path

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(target), "PNG"):
        raise ConfigError(file=str(target), detail="không ghi được / cannot write")


def run(ctx: Any) -> int:
    """``motcua kiosk``: open the kiosk; ``--smoke``/``--screenshot`` paint one frame, exit.

    Through the launcher the first frame is already on screen (:mod:`kiosk.starting`): the
    window built here is shown inside that same top-level window, on the same "starting"
    screen, and the start goes on from there."""
    early = take_early()
    if early is not None:
        start: Any = early.start
    else:
        start = start_app(ctx.args)
        if isinstance(start, int):
            return start
    app, family, started = start.app, start.family, start.started
    smoke, screenshot, size, windowed = start.smoke, start.screenshot, start.size, start.windowed
    # The first frame needs no database: the window opens on "Đang khởi động…" and reads the
    # data in its worker right after (SQLAlchemy and the catalogue load off the first frame).
    window = KioskWindow(
        None, ctx.centre, ctx.settings, family, None, starting=True, db_source=lambda: ctx.db
    )
    if windowed:
        # A window (tests, the demo on a desktop) closes like any other; the full-screen kiosk
        # in a centre only with the technician's gesture and PIN.
        window.admin_unlocked = True
    if early is not None:
        # The same top-level window, now showing the real kiosk (on the same "starting" screen).
        early.window.adopt(window)
        if not windowed:
            show_full_screen(early.window, ctx.settings.kiosk.screen)
        app.processEvents()
    elif windowed:
        window.resize(*(size or DEFAULT_WINDOW))
        start.place(window)
        window.show()
    else:
        show_full_screen(window, ctx.settings.kiosk.screen)

    if smoke:
        if early is None:
            report_first_frame(app, window, started, "kiosk", None)
        window.controller.reload()
        deadline = time.monotonic() + SMOKE_LOAD_SECONDS
        while window.controller.reloading and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.005)
        app.processEvents()
        state = "home" if window.online else "out of service"
        print(f"kiosk: {state} in {(time.perf_counter() - started) * 1000:.0f} ms", flush=True)
        try:
            if screenshot is not None:
                save_screenshot(window, screenshot)
            if isinstance(window.controller.last_reload_error, ConfigError):
                raise window.controller.last_reload_error
        finally:
            window.stop()
            window.admin_unlocked = True
            window.window().close()
        return 0

    previous_hook = sys.excepthook

    def excepthook(kind: type[BaseException], error: BaseException, tb: Any) -> None:
        if not isinstance(error, Exception):
            previous_hook(kind, error, tb)
            return
        window.on_unexpected(error)

    sys.excepthook = excepthook
    app.processEvents()  # the first frame, then the data
    window.start()
    from shared.qt.backup import DailyBackups

    backups = DailyBackups(lambda: ctx.db, ctx.settings.backup, ctx.centre, window)
    try:
        return int(app.exec())
    finally:
        sys.excepthook = previous_hook
        backups.stop()
        window.stop()
