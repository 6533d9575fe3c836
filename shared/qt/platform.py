"""Choosing Qt's platform before the application object exists (shared by every app)."""

from __future__ import annotations

import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def lighten_pyside_imports() -> None:
    """Import PySide6 and make its per-import hook cheap; call it before the app's other imports.

    PySide6 inspects every module imported after it for its opt-in ``__feature__`` switches,
    with ``inspect.getsource`` just to look for the word "PySide6": that reads and tokenizes each
    source file and keeps every line in :mod:`linecache` for the life of the process (about
    19 MiB and a few dozen milliseconds for the kiosk's SQLAlchemy stack, none of it needed).
    The same question is answered here from the file's bytes, which are not kept. Without the
    hook (another PySide6 version) nothing changes.
    """
    import PySide6.QtCore  # noqa: F401 - installs the hook

    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "motcua_light", False):
        return

    def mod_uses_pyside(module: Any) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return bool(original(module))
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return bool(original(module))

    mod_uses_pyside.motcua_light = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = mod_uses_pyside  # type: ignore[union-attr]


def headless() -> bool:
    """True on a Linux machine without a screen (no X11 or Wayland display to open)."""
    return sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def prepare_platform(*, smoke: bool) -> str | None:
    """Pick the platform for this start, or return a message saying why the app cannot start.

    A smoke run or a screenshot on a machine without a screen uses Qt's ``offscreen``
    platform, so a technician can check an installation over SSH; a real start there says so
    instead of aborting inside Qt. An explicit ``QT_QPA_PLATFORM`` always wins.
    """
    if "QT_QPA_PLATFORM" in os.environ or not headless():
        return None
    if smoke:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return None
    return (
        "Máy này không có màn hình (không có DISPLAY/WAYLAND_DISPLAY). Chạy trên máy có màn "
        "hình, hoặc dùng --smoke / --screenshot để kiểm tra. / This computer has no screen "
        "(no DISPLAY or WAYLAND_DISPLAY). Run it on a computer with a screen, or use --smoke "
        "/ --screenshot to check the installation."
    )


def parse_size(text: str | None) -> tuple[int, int] | None:
    """``--size`` "1920x1080" -> (1920, 1080); None when not given; bad text: ConfigError."""
    if not text:
        return None
    match = re.fullmatch(r"\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*", text)
    if match is None:
        from shared.errors import ConfigError

        raise ConfigError(
            file="--size", detail=f"“{text}”: cần dạng / expected WxH, e.g. 1920x1080"
        )
    return int(match.group(1)), int(match.group(2))


def parse_tile(text: str | None) -> tuple[int, int, int] | None:
    """``--tile`` "2x2:3" -> (2 columns, 2 rows, cell 3 counted left to right, top to bottom);
    None when not given; bad text: ConfigError."""
    if not text:
        return None
    from shared.errors import ConfigError

    match = re.fullmatch(r"\s*(\d)\s*[xX×]\s*(\d)\s*:\s*(\d{1,2})\s*", text)
    if match is None:
        raise ConfigError(file="--tile", detail=f"“{text}”: cần dạng / expected CxR:N, e.g. 2x2:0")
    columns, rows, cell = (int(group) for group in match.groups())
    if not (columns and rows and cell < columns * rows):
        raise ConfigError(file="--tile", detail=f"“{text}”: ô ngoài lưới / cell outside the grid")
    return columns, rows, cell


def tile_window(window: Any, tile: tuple[int, int, int] | None) -> None:
    """Put a window in its cell of a grid over its screen's free area (the one-PC demo shows
    the waiting-room screen, the kiosk and two counters side by side this way)."""
    if tile is None:
        return
    columns, rows, cell = tile
    screen = window.screen()
    if screen is None:
        return
    area = screen.availableGeometry()
    width, height = area.width() // columns, area.height() // rows
    x = area.x() + (cell % columns) * width
    y = area.y() + (cell // columns) * height
    window.resize(width, height)
    window.move(x, y)


def report_first_frame(
    app: Any, window: Any, started: float, name: str, screenshot: Path | None
) -> None:
    """For ``--smoke``: paint the first frame, print how long it took, save it if asked."""
    app.processEvents()
    image = window.grab()
    elapsed = (time.perf_counter() - started) * 1000
    print(f"{name}: first frame in {elapsed:.0f} ms", flush=True)
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(screenshot), "PNG"):
            from shared.errors import ConfigError

            raise ConfigError(file=str(screenshot), detail="không ghi được / cannot write")


@dataclass(frozen=True)
class AppStart:
    """What every app's ``run(ctx)`` begins with: the options, the Qt application, the font."""

    app: Any
    family: str
    started: float
    smoke: bool
    screenshot: Path | None
    size: tuple[int, int] | None
    windowed: bool
    tile: tuple[int, int, int] | None = None
    """``--tile``: the window's cell of a grid over the screen (implies a window)."""

    def place(self, window: Any) -> None:
        """After the app sized its window: move it into its ``--tile`` cell, if any."""
        tile_window(window, self.tile)


def start_app(args: Any, *, quiet: bool = False) -> AppStart | int:
    """Read ``--smoke/--screenshot/--size/--tile/--windowed``, choose the platform, create the
    application and load the shipped fonts; an exit code (2) when the app cannot open here
    (with its message on stderr, unless ``quiet``: a caller that will start again later)."""
    started = time.perf_counter()
    screenshot: Path | None = getattr(args, "screenshot", None)
    smoke = bool(getattr(args, "smoke", False)) or screenshot is not None
    size = parse_size(getattr(args, "size", None))
    tile = parse_tile(getattr(args, "tile", None))
    windowed = bool(getattr(args, "windowed", False)) or size is not None or tile is not None
    refusal = prepare_platform(smoke=smoke)
    if refusal is not None:
        if not quiet:
            print(refusal, file=sys.stderr)
        return 2
    lighten_pyside_imports()  # (the launcher did it already; for other callers)
    from PySide6.QtWidgets import QApplication

    from shared.qt.fonts import load_fonts

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "motcua"])
    return AppStart(app, load_fonts(), started, smoke, screenshot, size, windowed, tile)
