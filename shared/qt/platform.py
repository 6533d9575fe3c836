"""Choosing Qt's platform before the application object exists (shared by every app)."""

from __future__ import annotations

import os
import sys


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
