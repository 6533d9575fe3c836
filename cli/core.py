"""The ``motcua`` command's plumbing, which every command group builds on and which imports
none of them: the global options, the context a command runs in (settings, database, queue
engine, output), running a parsed command line with a calm message and an exit code for
whatever goes wrong, and the helpers several groups share.

Global options (``--db``, ``--config``, ``--centre``, ``--lang``, ``--json``) may stand before or
after the sub-command. JSON goes to stdout, messages for people to stderr.
Exit codes: 0 ok, 2 usage, 3 refused by the rules, 4 database unreachable or schema old,
5 the printer failed (the ticket stays issued), 1 unexpected (details in the log file).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.errors import EXIT_OK, MotcuaError
from shared.i18n import set_language, tr
from shared.settings import Settings, load_settings

log = logging.getLogger("motcua.cli")

_SUPPRESS = argparse.SUPPRESS

Leaf = Callable[[Any, str, Callable[..., int], str], Any]
"""``leaf(sub, name, handler, help)``: a sub-command that runs ``handler(ctx)``."""
Group = Callable[[str, str], Any]
"""``group(name, help)``: a command group; returns its sub-parsers for ``leaf``."""


@dataclass(frozen=True)
class Registrar:
    """What a command group's ``register`` adds itself with: the top-level sub-parsers
    (``commands``, for a command without a group), ``group`` and ``leaf``."""

    commands: Any
    group: Group
    leaf: Leaf


def global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """The global options, on the top parser (``top``, with their defaults) and on every
    sub-command (without defaults, so that one given before the sub-command stays)."""
    default = (lambda value: value) if top else (lambda value: _SUPPRESS)
    group = parser.add_argument_group("global options")
    group.add_argument(
        "--db",
        metavar="URL",
        default=default(None),
        help="database address: postgresql://USER@HOST/DB, sqlite:///PATH or a "
        "file path (overrides MOTCUA_DB_URL and the config file)",
    )
    group.add_argument(
        "--config",
        metavar="PATH",
        default=default(None),
        help="configuration file (default: MOTCUA_CONFIG, then the user's config folder)",
    )
    group.add_argument(
        "--centre",
        metavar="CODE",
        default=default(None),
        help="centre code, when the database holds several centres",
    )
    group.add_argument(
        "--lang",
        choices=("vi", "en"),
        default=default(None),
        help="language of messages (default: the config file's ui.language)",
    )
    group.add_argument(
        "--json",
        action="store_true",
        default=default(False),
        help="print the result as JSON on stdout",
    )


class CommandParser(argparse.ArgumentParser):
    """An argument parser whose sub-commands accept the global options too."""


@dataclass(frozen=True)
class AppCommand:
    """A sub-command that starts one of the apps; the apps register themselves from outside
    (the ``launcher`` package), so neither the core nor the command imports an app."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[Context], int]


class Context:
    """What a command runs with: its parsed arguments, the settings, the database (opened on
    first use), the queue engine, and the output in the language and form asked for."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.settings: Settings = load_settings(args.config, db_url=args.db)
        self._db: Any = None

    @property
    def db(self) -> Any:
        if self._db is None:
            from shared.db import Database

            self._db = Database(self.settings.database_url, self.settings.database)
        return self._db

    @property
    def centre(self) -> str | None:
        return self.args.centre or self.settings.centre.code or None

    def engine(self) -> Any:
        from shared.queue import QueueEngine

        return QueueEngine(self.db, self.centre)

    def emit(self, data: dict[str, Any], human: str | Callable[[], str]) -> int:
        if self.args.json:
            import json

            json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
            sys.stdout.write("\n")
        else:
            print(human() if callable(human) else human)
        return EXIT_OK

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def execute(args: argparse.Namespace) -> int:
    """Run a parsed command line: language, settings, log file, the handler; a calm message
    and the exit code for whatever goes wrong. (The launcher's quick kiosk start parses the
    kiosk's options itself and comes here too.)"""
    utf8_streams()
    if args.lang:
        set_language(args.lang)
    ctx: Context | None = None
    log_path = None
    try:
        ctx = Context(args)
        if not args.lang:
            set_language(ctx.settings.ui.language)
        from shared.logs import configure

        logging_ = ctx.settings.logging
        log_path = configure(
            ctx.settings.log_dir, logging_.level, max_kb=logging_.max_kb, files=logging_.files
        )
        _check_clock()
        code = int(args.handler(ctx))
    except MotcuaError as error:
        print(error.message, file=sys.stderr)
        log.info("refused (%s): %s", type(error).__name__, error.message_in("en"))
        code = error.exit_code
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`): not an error of ours.
        _silence_stdout()
        code = EXIT_OK
    except Exception as exc:  # noqa: BLE001 - last resort: a calm message, details in the log
        log.exception("unexpected error")
        print(tr("cli.unexpected", detail=type(exc).__name__, log=log_path or "-"), file=sys.stderr)
        code = 1
    finally:
        if ctx is not None:
            ctx.close()
    return code


def _check_clock() -> None:
    """Take the product's clock from ``MOTCUA_CLOCK`` now (a bad value: a clear message, exit 2)
    and say in the log when it is not this computer's time."""
    from shared.clock import CLOCK_ENV, install_from_environment, is_shifted, utcnow

    install_from_environment()
    if is_shifted():
        log.warning("the clock is set by %s: it reads %s", CLOCK_ENV, utcnow().isoformat())


def utf8_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):
                pass


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def print_outputs(p: argparse.ArgumentParser) -> None:
    """``--png`` / ``--escpos``: save a print as files instead of printing it."""
    p.add_argument(
        "--png", type=Path, metavar="PATH", help="write the rendered image here instead of printing"
    )
    p.add_argument(
        "--escpos",
        type=Path,
        metavar="PATH",
        help="write the exact printer bytes here instead of printing",
    )


def print_done(ctx: Context, result: Any) -> int:
    """Say what a print job did: printed, or saved as files."""
    if result.printed:
        human = tr("cli.printed", printer=result.printer)
    else:
        files = ", ".join(p for p in (result.png, result.escpos) if p)
        human = tr(
            "cli.print_saved",
            width=result.width,
            height=result.height,
            bytes=result.bytes,
            files=files,
        )
    return ctx.emit({"print": result.to_json()}, human)


def read_password(*, confirm: bool = True) -> str | None:
    """A password from the prompt (asked twice with ``confirm``; None when they differ) or
    from one line of the standard input."""
    import getpass

    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(tr("cli.password_prompt"))
        if not confirm:
            return first
        second = getpass.getpass(tr("cli.password_again"))
        return first if first == second else None
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")
