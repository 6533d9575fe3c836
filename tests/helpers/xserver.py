"""A real X server for the tests: Xvfb with no window manager, as kiosk PCs boot.

``with XServer([(1920, 1080)]) as x:`` starts Xvfb on a free display with one X screen per size
(two sizes: a PC with two monitors, ``:N.0`` and ``:N.1``); ``x.display`` is its DISPLAY,
``x.windows(screen)`` the geometries of the top-level windows shown on an X screen,
``x.grab(screen)`` a picture of it, ``x.click(px, py)`` and ``x.keys(...)`` a person's input
through xdotool.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from types import TracebackType

from PIL import Image


@dataclass(frozen=True)
class Window:
    """A top-level window the X server shows."""

    id: str
    title: str
    width: int
    height: int
    x: int
    y: int

    @property
    def geometry(self) -> str:
        return f"{self.width}x{self.height}+{self.x}+{self.y}"


def have_xvfb() -> bool:
    return all(shutil.which(tool) for tool in ("Xvfb", "xwininfo", "xdotool"))


class XServer:
    def __init__(self, sizes: list[tuple[int, int]]) -> None:
        self.sizes = sizes
        self.display = ""
        self._server: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> XServer:
        read, write = os.pipe()
        screens: list[str] = []
        for n, (width, height) in enumerate(self.sizes):
            screens += ["-screen", str(n), f"{width}x{height}x24"]
        self._server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), *screens, "-nolisten", "tcp"],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number.isdigit():
            self.__exit__(None, None, None)
            raise RuntimeError("Xvfb did not start")
        self.display = f":{number}"
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._server is not None:
            self._server.terminate()
            self._server.wait(timeout=10)
            self._server = None

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """``base`` (default: this process's environment) for a program on this X server."""
        env = dict(os.environ if base is None else base)
        for name in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY"):
            env.pop(name, None)
        env["DISPLAY"] = self.display
        return env

    def _run(self, *command: str, screen: int = 0) -> str:
        env = {**os.environ, "DISPLAY": f"{self.display}.{screen}"}
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=30).stdout

    def windows(self, screen: int = 0) -> list[Window]:
        """The top-level windows shown (mapped) on X screen ``screen``."""
        shown = []
        for line in self._run("xwininfo", "-root", "-children", screen=screen).splitlines():
            parts = line.split()
            if not parts or not parts[0].startswith("0x"):
                continue
            info = self._run("xwininfo", "-id", parts[0], screen=screen)
            if "IsViewable" not in info:
                continue

            def field(name: str, text: str = info) -> int:
                return int(next(x.split()[-1] for x in text.splitlines() if name in x))

            title = line.split('"')[1] if line.count('"') >= 2 else ""
            shown.append(
                Window(
                    parts[0],
                    title,
                    field("Width:"),
                    field("Height:"),
                    field("Absolute upper-left X:"),
                    field("Absolute upper-left Y:"),
                )
            )
        return shown

    def wait_for_windows(
        self,
        count: int,
        *,
        screen: int = 0,
        timeout: float = 60.0,
        alive: subprocess.Popen[str] | None = None,
    ) -> list[Window]:
        """Wait until ``count`` windows are shown on ``screen`` (and, when given, ``alive`` has
        not exited meanwhile)."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.windows(screen)
            if len(shown) >= count:
                return shown
            if alive is not None and alive.poll() is not None:
                raise AssertionError(f"the program ended: {alive.communicate()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(shown)} of {count} windows shown: {shown}")
            time.sleep(0.2)

    def grab(self, screen: int = 0) -> Image.Image:
        """What X screen ``screen`` shows, as a picture."""
        from PIL import ImageGrab

        return ImageGrab.grab(xdisplay=f"{self.display}.{screen}").convert("RGB")

    def click(self, x: int, y: int, *, screen: int = 0) -> None:
        """A touch (a left click) at (x, y) of X screen ``screen``."""
        self._run("xdotool", "mousemove", "--sync", str(x), str(y), "click", "1", screen=screen)

    def keys(self, window: Window, *keys: str, screen: int = 0) -> None:
        """Keys typed into ``window`` (``"F2"``, ``"Return"``), as from its keyboard."""
        self._run("xdotool", "windowfocus", "--sync", window.id, screen=screen)
        for key in keys:
            self._run("xdotool", "key", "--window", window.id, key, screen=screen)
