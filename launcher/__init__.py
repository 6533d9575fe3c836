"""The ``motcua`` command with the apps: the core's commands plus ``kiosk``, ``counter`` and
``display``. It lives outside ``shared`` so that the core never imports an app, and outside the
apps so that no app imports another; each app is imported only when its command runs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from shared.cli import AppCommand, Context
from shared.cli import main as core_main


def _app_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--smoke",
        action="store_true",
        help="start, paint the first frame, print the start-up time and exit",
    )
    p.add_argument(
        "--screenshot",
        type=Path,
        metavar="PATH",
        help="save the first painted frame as a PNG (implies --smoke)",
    )
    p.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    p.add_argument("--size", metavar="WxH", help="window size, e.g. 1920x1080 or 1080x1920")
    p.add_argument(
        "--tile",
        metavar="CxR:N",
        help="a window in cell N of a C×R grid over the screen, e.g. 2x2:0 (the one-PC demo)",
    )


def _run_display(ctx: Context) -> int:
    from display.app import run

    return run(ctx)


def _run_kiosk(ctx: Context) -> int:
    from kiosk.app import run

    return run(ctx)


def _counter_arguments(p: argparse.ArgumentParser) -> None:
    _app_arguments(p)
    p.add_argument(
        "--user",
        metavar="NAME",
        help="sign in at once (with --counter; the password comes from MOTCUA_PASSWORD)",
    )
    p.add_argument("--counter", type=int, metavar="N", help="the counter number for --user")


def _run_counter(ctx: Context) -> int:
    from counter.app import run

    return run(ctx)


APPS: tuple[AppCommand, ...] = (
    AppCommand(
        "display",
        "the waiting-room screen (shows and speaks each call)",
        _app_arguments,
        _run_display,
    ),
    AppCommand(
        "kiosk",
        "the touchscreen where visitors take a number",
        _app_arguments,
        _run_kiosk,
    ),
    AppCommand(
        "counter",
        "the clerk's desktop: call, serve and transfer citizens, rating prompt",
        _counter_arguments,
        _run_counter,
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    return core_main(argv, APPS)


def run() -> None:
    sys.exit(main())


def bundled_main(argv: Sequence[str]) -> int:
    """The bundled ``motcua`` program. The windowed demo starts each app as
    ``<interpreter> -m launcher …``; in the bundle the interpreter is this program itself, so a
    leading ``-m launcher`` is dropped and the rest is an ordinary ``motcua`` command line."""
    args = list(argv)
    if args[:2] == ["-m", "launcher"]:
        args = args[2:]
    return main(args)


def kiosk_gui() -> None:
    """The ``motcua-kiosk`` program (no console window on Windows)."""
    sys.exit(main(["kiosk", *sys.argv[1:]]))


def display_gui() -> None:
    """The ``motcua-display`` program (no console window on Windows)."""
    sys.exit(main(["display", *sys.argv[1:]]))


def counter_gui() -> None:
    """The ``motcua-counter`` program (no console window on Windows)."""
    sys.exit(main(["counter", *sys.argv[1:]]))
