"""The ``motcua`` parser: the one place where every command group is registered, in the order
``motcua --help`` lists them, and the apps' commands after them."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any

from cli import (
    announce,
    calendar,
    catalog,
    config,
    counters,
    db,
    demo,
    doctor,
    dossier,
    printer,
    queue,
    report,
    tickets,
    users,
)
from cli.core import AppCommand, CommandParser, Registrar, execute, global_options, utf8_streams
from shared import __version__

GROUPS = (
    db,
    doctor,
    catalog,
    tickets,
    counters,
    printer,
    announce,
    queue,
    users,
    config,
    calendar,
    demo,
    dossier,
    report,
)
"""Every command group's module; each has ``register(r: Registrar)``."""


def build_parser(apps: Sequence[AppCommand] = ()) -> argparse.ArgumentParser:
    """The whole ``motcua`` parser: the core's command groups, then ``apps`` (from the
    launcher; an app named like a group, ``counter``, opens when no action is given)."""
    parser = CommandParser(
        prog="motcua",
        description="MotCua Queue — quản lý hàng đợi và hồ sơ một cửa / queue and one-stop "
        "desk management.",
    )
    parser.add_argument("--version", action="version", version=f"motcua {__version__}")
    global_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    groups: dict[str, tuple[argparse.ArgumentParser, Any]] = {}

    def leaf(sub: Any, name: str, handler: Callable[..., int], help_: str) -> Any:
        p = sub.add_parser(name, help=help_, description=help_)
        global_options(p, top=False)
        p.set_defaults(handler=handler)
        return p

    def group(name: str, help_: str) -> Any:
        p = commands.add_parser(name, help=help_, description=help_)
        sub = p.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True)
        groups[name] = (p, sub)
        return sub

    registrar = Registrar(commands=commands, group=group, leaf=leaf)
    for module in GROUPS:
        module.register(registrar)

    for app in apps:
        if app.name in groups:
            # "motcua counter" opens the app; "motcua counter pause 3" stays the core's action.
            p, sub = groups[app.name]
            sub.required = False
            p.description = f"{p.description}; without ACTION: {app.help}"
        else:
            p = commands.add_parser(app.name, help=app.help, description=app.help)
        global_options(p, top=False)
        app.add_arguments(p)
        p.set_defaults(handler=app.run)
    return parser


def main(argv: Sequence[str] | None = None, apps: Sequence[AppCommand] = ()) -> int:
    """Parse ``argv`` (default: the process's arguments) and run the command."""
    utf8_streams()
    parser = build_parser(apps)
    return execute(parser.parse_args(argv))


def run() -> None:
    import sys

    sys.exit(main())


if __name__ == "__main__":
    run()
