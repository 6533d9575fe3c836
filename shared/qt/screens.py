"""Full-screen windows that really fill their screen, with or without a window manager.

Many kiosk and waiting-room PCs start a bare X session at boot, with no window manager. There
``showFullScreen()`` alone leaves a window at the size it happened to have (a few hundred or
even a hundred pixels, in the top-left corner): nobody is there to honour the full-screen
request. So a full-screen window here is also given its screen's whole geometry, explicitly,
and follows that screen when its resolution or orientation changes or when it is unplugged. With
a window manager (X11, Wayland, Windows) the full-screen request does the rest.

Which screen: a setting (``[kiosk] screen``, ``[display] screen``): empty for the primary
screen, a number 1, 2, … in the order the system lists them, or the system's name of the
output (``HDMI-1``, ``DP-2``, ``\\\\.\\DISPLAY2``).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRect, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

log = logging.getLogger("motcua.screens")


def pick_screen(wanted: str = "") -> QScreen:
    """The screen a setting names (see the module's notes); the primary one when it names
    none that is connected (logged, never an error: the window must open somewhere)."""
    screens = QGuiApplication.screens()
    primary = QGuiApplication.primaryScreen()
    text = (wanted or "").strip()
    if not text:
        return primary
    if text.isdigit():
        index = int(text) - 1
        if 0 <= index < len(screens):
            return screens[index]
    for screen in screens:
        if screen.name() == text:
            return screen
    log.warning(
        "screen %r not found (connected: %s); using the primary screen",
        text,
        ", ".join(f"{n}={s.name()}" for n, s in enumerate(screens, 1)),
    )
    return primary


def screen_names() -> list[str]:
    """``"1: HDMI-1 1920×1080"``, one line per connected screen (for messages and the log)."""
    return [
        f"{n}: {s.name()} {s.geometry().width()}×{s.geometry().height()}"
        for n, s in enumerate(QGuiApplication.screens(), 1)
    ]


class _Follower(QObject):
    """Keeps a full-screen window on its screen's whole area."""

    def __init__(self, window: QWidget, screen: QScreen, wanted: str) -> None:
        super().__init__(window)
        self.window = window
        self.wanted = wanted
        self.screen: QScreen | None = None
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.screenAdded.connect(self.on_screens_changed)
        app.screenRemoved.connect(self.on_screens_changed)
        self.attach(screen)

    def attach(self, screen: QScreen) -> None:
        if self.screen is not None:
            try:
                self.screen.geometryChanged.disconnect(self.on_geometry_changed)
            except (RuntimeError, TypeError):
                pass
        self.screen = screen
        screen.geometryChanged.connect(self.on_geometry_changed)
        self.on_geometry_changed(screen.geometry())

    def on_geometry_changed(self, geometry: QRect) -> None:
        handle = self.window.windowHandle()
        if handle is not None and self.screen is not None and handle.screen() is not self.screen:
            handle.setScreen(self.screen)
        if self.window.geometry() != geometry:
            self.window.setGeometry(geometry)

    def on_screens_changed(self, _screen: QScreen) -> None:
        """A screen came or went: the chosen one again, or the primary one meanwhile."""
        screen = pick_screen(self.wanted)
        if screen is not self.screen:
            log.info("moving the window to screen %s", screen.name())
            self.attach(screen)
            if self.window.isVisible():
                self.window.showFullScreen()


def show_full_screen(window: QWidget, wanted: str = "") -> QScreen:
    """Show ``window`` frameless over the whole of the screen ``wanted`` names, and keep it
    there; returns that screen."""
    screen = pick_screen(wanted)
    if not window.windowFlags() & Qt.WindowType.FramelessWindowHint:
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint)
    window.create()  # a native window now, so it can be placed on its screen before showing
    handle = window.windowHandle()
    if handle is not None:
        handle.setScreen(screen)
    follower = window.findChild(_Follower)
    if follower is None:
        _Follower(window, screen, wanted)
    else:
        follower.wanted = wanted
        follower.attach(screen)
    window.setGeometry(screen.geometry())
    window.showFullScreen()
    log.info("full screen on %s; screens: %s", screen.name(), "; ".join(screen_names()))
    return screen
