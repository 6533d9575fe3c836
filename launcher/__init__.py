"""The ``motcua`` program: the command's groups (``cli``) plus ``kiosk``, ``counter`` and
``display``. It lives outside ``shared`` so that the core never imports an app, and outside the
apps so that no app imports another; each app is imported only when its command runs.

``motcua kiosk …`` and ``motcua-kiosk`` take a fast path to the first frame: a parser of the
kiosk's own options only (the same options, defaults and behaviour), instead of building the
parser of every core command. Anything it does not recognise (``--help``, a wrong option, global
options before the command) goes through the full parser, so messages and help stay the same.
The kiosk's fast path also paints its first frame ("Đang khởi động…", :mod:`kiosk.starting`)
before the command's modules (``cli``), the settings and the log file are loaded; this module
therefore imports the command (:mod:`cli`) only when it is needed (``APPS`` is built on first use).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from cli.core import AppCommand, Context


def _lighten_qt() -> None:
    """Before an app's modules load: PySide6 without its per-import source scan."""
    from shared.qt.platform import lighten_pyside_imports

    lighten_pyside_imports()


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
    _lighten_qt()
    from display.app import run

    return run(ctx)


def _run_kiosk(ctx: Context) -> int:
    _lighten_qt()
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
    _lighten_qt()
    from counter.app import run

    return run(ctx)


_APP_HELP = {
    "display": "the waiting-room screen (shows and speaks each call)",
    "kiosk": "the touchscreen where visitors take a number",
    "counter": "the clerk's desktop: call, serve and transfer citizens, rating prompt",
}
_APP_PARTS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Callable[[Any], int]]] = {
    "display": (_app_arguments, _run_display),
    "kiosk": (_app_arguments, _run_kiosk),
    "counter": (_counter_arguments, _run_counter),
}
_apps: tuple[AppCommand, ...] | None = None


def apps() -> tuple[AppCommand, ...]:
    """The apps' commands for the core's parser (``launcher.APPS``)."""
    global _apps
    if _apps is None:
        from cli.core import AppCommand

        _apps = tuple(
            AppCommand(name, _APP_HELP[name], arguments, handler)
            for name, (arguments, handler) in _APP_PARTS.items()
        )
    return _apps


def __getattr__(name: str) -> Any:
    if name == "APPS":
        return apps()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _NotForFastPath(Exception):
    """The fast parser met something only the full parser answers (help, errors)."""


class _FastParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotForFastPath(message)


_FAST_APPS = ("kiosk",)
"""Apps whose command line is parsed without the core's commands (not ``counter``: its name is
also a group of core actions, ``motcua counter pause 3``)."""


def _fast_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """``kiosk [options]`` parsed by the app's own options and the global ones: the namespace the
    full parser would give, or None when the full parser must answer."""
    if not argv or argv[0] not in _FAST_APPS:
        return None
    if any(a in ("-h", "--help") for a in argv[1:]):
        return None
    name = argv[0]
    add_arguments, handler = _APP_PARTS[name]
    parser = _FastParser(prog=f"motcua {name}", add_help=False, allow_abbrev=False)
    _global_options(parser)
    add_arguments(parser)
    parser.set_defaults(command=name, handler=handler)
    try:
        return parser.parse_args(argv[1:])
    except _NotForFastPath:
        return None


def _global_options(parser: argparse.ArgumentParser) -> None:
    """``--db``, ``--config``, ``--centre``, ``--lang``, ``--json`` with their defaults: the
    command's global options (``cli.core``, not imported here; the tests compare both parsers)."""
    for option in ("--db", "--config", "--centre"):
        parser.add_argument(option, default=None)
    parser.add_argument("--lang", choices=("vi", "en"), default=None)
    parser.add_argument("--json", action="store_true", default=False)


def _open_early(args: argparse.Namespace) -> None:
    """The kiosk: its starting window painted before the settings, the log and its screens."""
    if args.command == "kiosk":
        _lighten_qt()
        from kiosk.starting import open_early

        open_early(args)


def main(argv: Sequence[str] | None = None) -> int:
    args = _fast_args(sys.argv[1:] if argv is None else list(argv))
    if args is None:
        from cli.commands import main as core_main

        return core_main(argv, apps())
    _open_early(args)
    from cli.core import execute

    return execute(args)


def run() -> None:
    sys.exit(main())


def kiosk_gui() -> None:
    """The ``motcua-kiosk`` program (no console window on Windows)."""
    sys.exit(main(["kiosk", *sys.argv[1:]]))


def display_gui() -> None:
    """The ``motcua-display`` program (no console window on Windows)."""
    sys.exit(main(["display", *sys.argv[1:]]))


def counter_gui() -> None:
    """The ``motcua-counter`` program (no console window on Windows)."""
    sys.exit(main(["counter", *sys.argv[1:]]))
