"""The ``motcua`` command: the core, headless, for technicians, scripts and tests.

Global options (``--db``, ``--config``, ``--centre``, ``--lang``, ``--json``) may stand before or
after the sub-command. JSON goes to stdout, messages for people to stderr.
Exit codes: 0 ok, 2 usage, 3 refused by the rules, 4 database unreachable or schema old,
5 the printer failed (the ticket stays issued), 1 unexpected (details in the log file).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared import __version__
from shared.errors import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, ConfigError, MotcuaError, PrinterError
from shared.i18n import set_language, tr
from shared.settings import Settings, config_dir, data_dir, load_settings, sample_config

PAUSE_REASON_CHOICES = ("break", "meeting", "dossier_work", "technical", "support", "other")
"""``counter pause --reason``: shared.queue.PAUSE_REASONS (not imported: the parser stays light)."""

log = logging.getLogger("motcua.cli")

_SUPPRESS = argparse.SUPPRESS


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
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


class _Parser(argparse.ArgumentParser):
    """An argument parser whose sub-commands accept the global options too."""


@dataclass(frozen=True)
class AppCommand:
    """A sub-command that starts one of the apps; the apps register themselves from outside
    ``shared`` (the ``launcher`` package), so the core never imports an app."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[Context], int]


def build_parser(apps: Sequence[AppCommand] = ()) -> argparse.ArgumentParser:
    # The command groups' own modules load only when the whole parser is built (the apps'
    # fast path in ``launcher`` never builds it).
    from shared.cli_calendar import register as register_calendar
    from shared.cli_dossier import register as register_dossier

    parser = _Parser(
        prog="motcua",
        description="MotCua Queue — quản lý hàng đợi và hồ sơ một cửa / queue and one-stop "
        "desk management.",
    )
    parser.add_argument("--version", action="version", version=f"motcua {__version__}")
    _global_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    groups: dict[str, tuple[argparse.ArgumentParser, Any]] = {}

    def leaf(sub: Any, name: str, handler: Callable[..., int], help_: str) -> Any:
        p = sub.add_parser(name, help=help_, description=help_)
        _global_options(p, top=False)
        p.set_defaults(handler=handler)
        return p

    def group(name: str, help_: str) -> Any:
        p = commands.add_parser(name, help=help_, description=help_)
        sub = p.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True)
        groups[name] = (p, sub)
        return sub

    db = group("db", "database schema")
    leaf(db, "upgrade", cmd_db_upgrade, "create or migrate the schema to this version")
    leaf(db, "status", cmd_db_status, "show the schema revision of the database")
    p = leaf(db, "backup", cmd_db_backup, "copy the database to a file while everything runs")
    p.add_argument("path", type=Path, nargs="?", metavar="PATH", help="the backup file to write")
    p.add_argument(
        "--daily",
        action="store_true",
        help="today's backup into [backup] folder if due, keeping the newest [backup] keep",
    )
    p = leaf(
        db,
        "roles",
        cmd_db_roles,
        "PostgreSQL: a role per kind of PC (display, kiosk, counter, admin), only what it needs",
    )
    p.add_argument(
        "--login",
        action="append",
        default=[],
        metavar="ROLE:NAME",
        help="also a login NAME in ROLE (kiosk, counter, display, admin); its password is read "
        "from the standard input, one line per login",
    )
    p = leaf(db, "restore", cmd_db_restore, "put a backup in place of the database's content")
    p.add_argument("path", type=Path, metavar="PATH", help="a file written by `motcua db backup`")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    leaf(
        commands,
        "doctor",
        cmd_doctor,
        "check this computer: database, schema, clock, printer, fonts, voice, disk, backups, logs",
    )

    catalog = group("catalog", "the centre's catalogue (sectors, services, procedures, counters)")
    p = leaf(catalog, "import", cmd_catalog_import, "import a catalogue TOML file (all or nothing)")
    p.add_argument("file", type=Path)
    leaf(catalog, "show", cmd_catalog_show, "show the active catalogue")

    ticket = group("ticket", "queue tickets")
    p = leaf(ticket, "issue", cmd_ticket_issue, "issue the next number of a service")
    p.add_argument("service", metavar="SERVICE")
    p.add_argument("--priority", metavar="GROUP", help="priority group code")
    p.add_argument(
        "--request-id", metavar="ID", help="client request id: repeating it returns the same ticket"
    )
    p.add_argument(
        "--language",
        choices=("vi", "en"),
        default="vi",
        help="language the citizen chose on the kiosk",
    )
    p.add_argument(
        "--print",
        action="store_true",
        dest="print_ticket",
        help="print the ticket on the configured printer",
    )
    p = leaf(ticket, "call", cmd_ticket_call, "call the next citizen to a counter")
    p.add_argument("counter", metavar="COUNTER", type=int)
    for name, help_ in (
        ("recall", "call the same ticket again"),
        ("start", "the citizen is at the counter"),
        ("finish", "service finished"),
        ("no-show", "called, but the citizen did not come"),
        ("hold", "park the ticket (citizen away for a moment)"),
        ("resume", "put a held or no-show ticket back at the front of the queue"),
        ("cancel", "cancel a waiting or held ticket"),
        ("show", "show a ticket"),
    ):
        p = leaf(ticket, name, cmd_ticket_action, help_)
        p.add_argument("ticket_id", metavar="TICKET_ID", type=int)
        p.set_defaults(action=name)
    p = leaf(ticket, "rate", cmd_ticket_rate, "record the citizen's satisfaction with a service")
    p.add_argument("ticket_id", metavar="TICKET_ID", type=int)
    p.add_argument(
        "level",
        metavar="LEVEL",
        help="position on the configured scale, 1 = lowest (Không hài lòng)",
    )
    p.add_argument(
        "--reason", action="append", default=[], metavar="TEXT", help="a reason (may be repeated)"
    )
    p = leaf(ticket, "print", cmd_ticket_print, "print a ticket again, or save the print as files")
    p.add_argument("ticket_id", metavar="TICKET_ID", type=int)
    _print_outputs(p)
    p = leaf(ticket, "transfer", cmd_ticket_transfer, "send a ticket to another service or counter")
    p.add_argument("ticket_id", metavar="TICKET_ID", type=int)
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--to-service", metavar="CODE")
    target.add_argument("--to-counter", metavar="N", type=int)
    p.add_argument(
        "--placement",
        choices=("keep", "front", "back"),
        help="where it joins the queue (default: the centre's setting)",
    )
    p.add_argument(
        "--note",
        default="",
        metavar="TEXT",
        help="a note for the next counter (≤ 200 characters; no personal data)",
    )

    counter = group("counter", "counters")
    p = leaf(
        counter,
        "sign-in",
        cmd_counter_sign_in,
        "sign a clerk in at a counter (password from the prompt or stdin)",
    )
    p.add_argument("number", metavar="N", type=int)
    p.add_argument("--user", required=True, metavar="NAME")
    p = leaf(counter, "sign-out", cmd_counter_sign_out, "sign the clerk out of a counter")
    p.add_argument("number", metavar="N", type=int)
    for name, help_ in (("pause", "pause a counter (no calls)"), ("resume", "reopen a counter")):
        p = leaf(counter, name, cmd_counter, help_)
        p.add_argument("number", metavar="N", type=int)
        p.set_defaults(action=name)
        if name == "pause":
            p.add_argument("--reason", choices=PAUSE_REASON_CHOICES, help="why it is paused")
            p.add_argument(
                "--note",
                default="",
                metavar="TEXT",
                help="free text (≤ 200 characters; no personal data)",
            )

    printer = group("printer", "the ticket printer")
    p = leaf(printer, "test", cmd_printer_test, "print the set-up test page")
    _print_outputs(p)

    p = leaf(
        commands,
        "announce",
        cmd_announce,
        "the spoken call of a ticket, as a WAV file and/or its sentence",
    )
    p.add_argument("ticket_id", metavar="TICKET_ID", type=int)
    p.add_argument("--wav", type=Path, metavar="PATH", help="write the announcement here")
    p.add_argument("--text", action="store_true", help="print the sentence(s) spoken")
    p.add_argument(
        "--counter",
        type=int,
        metavar="N",
        help="counter to announce (default: the counter that called the ticket)",
    )

    queue = group("queue", "the queue as a whole")
    leaf(queue, "status", cmd_queue_status, "waiting per service, serving per counter")

    user = group("user", "user accounts")
    p = leaf(
        user,
        "add",
        cmd_user_add,
        "add a user; the password is asked for, or read from standard input",
    )
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", required=True, metavar="ROLE", help="clerk, manager or admin")
    p.add_argument("--full-name", default="", metavar="TEXT")

    config = group("config", "configuration")
    leaf(config, "sample", cmd_config_sample, "print the commented sample configuration file")
    leaf(config, "path", cmd_config_path, "show where configuration and data are kept")
    leaf(
        config,
        "pin",
        cmd_config_pin,
        "read the kiosk technician's PIN (4–12 digits) and print its admin_pin_hash line",
    )

    register_calendar(group, leaf)

    p = leaf(
        commands,
        "demo",
        cmd_demo,
        "simulate a working day on a fresh SQLite database and print a summary",
    )
    p.add_argument(
        "--headless",
        action="store_true",
        help="no windows: simulate a whole day and print a summary (without it: the kiosk, the "
        "waiting-room screen and two counters open on a fresh demo database)",
    )
    p.add_argument(
        "--visitors",
        type=int,
        default=300,
        metavar="N",
        help="citizens in the simulated day (headless), or already waiting (at most 40) when "
        "the windows open",
    )
    p.add_argument(
        "--arrivals",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="windowed demo: a simulated citizen takes a number every SECONDS on average "
        "(0: nobody else comes)",
    )
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.add_argument("--catalog", type=Path, metavar="FILE", help="catalogue (default: the sample)")

    register_dossier(group, leaf)

    for app in apps:
        if app.name in groups:
            # "motcua counter" opens the app; "motcua counter pause 3" stays the core's action.
            p, sub = groups[app.name]
            sub.required = False
            p.description = f"{p.description}; without ACTION: {app.help}"
        else:
            p = commands.add_parser(app.name, help=app.help, description=app.help)
        _global_options(p, top=False)
        app.add_arguments(p)
        p.set_defaults(handler=app.run)
    return parser


def _print_outputs(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--png", type=Path, metavar="PATH", help="write the rendered image here instead of printing"
    )
    p.add_argument(
        "--escpos",
        type=Path,
        metavar="PATH",
        help="write the exact printer bytes here instead of printing",
    )


# --- plumbing --------------------------------------------------------------------------------


class Context:
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


def main(argv: Sequence[str] | None = None, apps: Sequence[AppCommand] = ()) -> int:
    _utf8_streams()
    parser = build_parser(apps)
    return execute(parser.parse_args(argv))


def execute(args: argparse.Namespace) -> int:
    """Run a parsed command line: language, settings, log file, the handler; a calm message
    and the exit code for whatever goes wrong. (The launcher's quick kiosk start parses the
    kiosk's options itself and comes here too.)"""
    _utf8_streams()
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


def _utf8_streams() -> None:
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


def run() -> None:
    sys.exit(main())


# --- commands --------------------------------------------------------------------------------


def cmd_db_upgrade(ctx: Context) -> int:
    from shared.roles import refresh_if_present

    revision = ctx.db.upgrade()
    refresh_if_present(ctx.db)
    return ctx.emit(
        {"database": ctx.db.display_url, "revision": revision},
        tr("cli.db_upgraded", url=ctx.db.display_url, revision=revision),
    )


def cmd_db_status(ctx: Context) -> int:
    from shared.migrations import HEAD_REVISION

    current = ctx.db.current_revision()
    data = {
        "database": ctx.db.display_url,
        "revision": current,
        "head": HEAD_REVISION,
        "up_to_date": current == HEAD_REVISION,
    }
    code = ctx.emit(data, f"{ctx.db.display_url}: {current or '—'} (head {HEAD_REVISION})")
    if current != HEAD_REVISION:
        ctx.db.check_schema()  # raises with the message saying what to do
    return code


def cmd_doctor(ctx: Context) -> int:
    from shared.doctor import examine

    report = examine(ctx.settings, ctx.db)

    def human() -> str:
        width = max(len(c.name) for c in report.checks)
        lines = []
        for check in report.checks:
            status = tr(f"doctor.status.{check.status}")
            lines.append(f"{status:>7}  {check.name:<{width}}  {check.detail}")
            if check.advice:
                lines.append(f"{'':>7}  {'':<{width}}  → {check.advice}")
        lines.append(tr("doctor.summary.ok" if report.ok else "doctor.summary.fail"))
        return "\n".join(lines)

    data = {"ok": report.ok, "checks": [c.to_json() for c in report.checks]}
    ctx.emit(data, human)
    return report.exit_code


def cmd_db_backup(ctx: Context) -> int:
    from shared.backup import backup, centre_timezone, daily_backup

    a = ctx.args
    if a.daily:
        timezone = centre_timezone(ctx.db, ctx.centre)
        result = daily_backup(ctx.db, ctx.settings.backup, timezone=timezone)
        if result is None:
            return ctx.emit({"backup": None}, tr("cli.backup_not_due"))
    elif a.path is None:
        raise ConfigError(file="motcua db backup", detail="PATH hoặc/or --daily")
    else:
        result = backup(ctx.db, a.path)
    return ctx.emit(
        {"backup": result.to_json()},
        tr("cli.backup_written", path=result.path, size=result.bytes),
    )


def cmd_db_roles(ctx: Context) -> int:
    import getpass

    from shared.roles import apply_roles

    logins: dict[str, tuple[str, str]] = {}
    for item in ctx.args.login:
        kind, _, name = item.partition(":")
        if not name:
            raise ConfigError(file="--login", detail=f"{item!r}: cần dạng / expected ROLE:NAME")
        if sys.stdin.isatty():
            password = getpass.getpass(tr("cli.roles_password", name=name))
        else:
            password = sys.stdin.readline().rstrip("\r\n")
        if len(password) < 8:
            raise ConfigError(file="--login", detail=tr("cli.roles_short_password", name=name))
        logins[name] = (kind, password)
    result = apply_roles(ctx.db, logins)
    return ctx.emit(
        result.to_json(),
        tr("cli.roles_done", roles=", ".join(result.roles), logins=", ".join(result.logins) or "—"),
    )


def cmd_db_restore(ctx: Context) -> int:
    from shared.backup import restore

    a = ctx.args
    if not a.yes:
        print(tr("cli.restore_confirm", url=ctx.db.display_url, path=a.path), file=sys.stderr)
        answer = sys.stdin.readline().strip()
        if answer != "YES":
            print(tr("cli.restore_cancelled"), file=sys.stderr)
            return EXIT_REFUSED
    result = restore(ctx.db, a.path)
    return ctx.emit(
        {"restored": result.to_json()},
        tr("cli.restored", url=result.database, path=result.path, revision=result.revision),
    )


def cmd_catalog_import(ctx: Context) -> int:
    from shared.catalog import import_catalog, load_catalog_file

    spec = load_catalog_file(ctx.args.file)
    ctx.db.check_schema()
    result = import_catalog(ctx.db, spec)
    return ctx.emit(
        result.to_json(),
        tr(
            "cli.catalog_imported",
            centre=result.centre,
            sectors=result.sectors,
            services=result.services,
            procedures=result.procedures,
            counters=result.counters,
            groups=result.priority_groups,
        ),
    )


def cmd_catalog_show(ctx: Context) -> int:
    from shared.catalog import show_catalog

    data = show_catalog(ctx.db, ctx.centre)

    def human() -> str:
        lines = [f"{data['centre']['name']} ({data['centre']['code']})", ""]
        for svc in data["services"]:
            lines.append(f"  {svc['code']:<8} {svc['name']}")
        lines.append("")
        for c in data["counters"]:
            lines.append(
                f"  {tr('cli.ticket_counter', counter=c['number'])}: "
                f"{', '.join(c['services'])}  {c['name']}"
            )
        lines.append("")
        lines.append(f"  {len(data['procedures'])} procedures, {len(data['sectors'])} sectors")
        return "\n".join(lines)

    return ctx.emit(data, human)


def _ticket_text(t: Any) -> str:
    text = tr("cli.ticket", number=t.number, service=t.service, status=tr(f"status.{t.status}"))
    if t.counter is not None and t.status in ("called", "serving"):
        text += " – " + tr("cli.ticket_counter", counter=t.counter)
    if t.ahead is not None:
        text += " – " + tr("cli.ticket_ahead", ahead=t.ahead)
    return f"{text}  [id {t.id}]"


def cmd_ticket_issue(ctx: Context) -> int:
    a = ctx.args
    engine = ctx.engine()
    ticket = engine.issue(
        a.service, priority=a.priority, request_id=a.request_id, language=a.language
    )
    if not a.print_ticket:
        return ctx.emit({"ticket": ticket.to_json()}, lambda: _ticket_text(ticket))
    from shared.printing.jobs import print_ticket

    try:
        result = print_ticket(engine, ticket.id, ctx.settings)
    except PrinterError as error:
        # The ticket is issued all the same: show it, and say how to print it again.
        failed = {"printed": False, "error": error.code, "message": error.message}
        ctx.emit({"ticket": ticket.to_json(), "print": failed}, lambda: _ticket_text(ticket))
        print(error.message, file=sys.stderr)
        return error.exit_code
    printed = tr("cli.printed", printer=result.printer)
    return ctx.emit(
        {"ticket": ticket.to_json(), "print": result.to_json()},
        lambda: f"{_ticket_text(ticket)}\n{printed}",
    )


def _print_done(ctx: Context, result: Any) -> int:
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


def cmd_ticket_print(ctx: Context) -> int:
    from shared.printing.jobs import print_ticket

    a = ctx.args
    result = print_ticket(ctx.engine(), a.ticket_id, ctx.settings, png=a.png, escpos=a.escpos)
    return _print_done(ctx, result)


def cmd_printer_test(ctx: Context) -> int:
    from shared.printing.jobs import print_test_page

    a = ctx.args
    engine = None
    if a.png is None and a.escpos is None:
        try:
            ctx.db.check_schema()
            engine = ctx.engine()
        except MotcuaError:
            engine = None  # a printer can be tested before the database is set up
    result = print_test_page(ctx.settings, engine=engine, png=a.png, escpos=a.escpos)
    return _print_done(ctx, result)


def cmd_ticket_call(ctx: Context) -> int:
    ticket = ctx.engine().call_next(ctx.args.counter)
    if ticket is None:
        return ctx.emit({"ticket": None}, tr("cli.nothing_waiting", counter=ctx.args.counter))
    return ctx.emit({"ticket": ticket.to_json()}, lambda: _ticket_text(ticket))


def cmd_ticket_action(ctx: Context) -> int:
    engine = ctx.engine()
    method = {
        "recall": engine.recall,
        "start": engine.start,
        "finish": engine.finish,
        "no-show": engine.no_show,
        "hold": engine.hold,
        "resume": engine.resume,
        "cancel": engine.cancel,
        "show": engine.ticket,
    }[ctx.args.action]
    ticket = method(ctx.args.ticket_id)
    return ctx.emit({"ticket": ticket.to_json()}, lambda: _ticket_text(ticket))


def cmd_ticket_transfer(ctx: Context) -> int:
    a = ctx.args
    ticket = ctx.engine().transfer(
        a.ticket_id,
        to_service=a.to_service,
        to_counter=a.to_counter,
        placement=a.placement,
        note=a.note,
    )
    return ctx.emit({"ticket": ticket.to_json()}, lambda: _ticket_text(ticket))


def cmd_ticket_rate(ctx: Context) -> int:
    from shared.errors import RatingRefused

    a = ctx.args
    scale = ctx.settings.rating.scale
    if not a.level.isdigit():
        raise RatingRefused("error.rating_level", scale=scale)
    rating = ctx.engine().rate(
        a.ticket_id, int(a.level), scale=scale, source="command", reasons=tuple(a.reason)
    )
    return ctx.emit(
        {"rating": rating.to_json()},
        tr("cli.rated", label=rating.label or "", number=rating.number),
    )


def cmd_counter_sign_in(ctx: Context) -> int:
    from shared.counters import sign_in

    password = _read_password(confirm=False)
    session = sign_in(ctx.db, ctx.args.user, password or "", ctx.args.number, centre=ctx.centre)
    return ctx.emit(
        {"session": session.to_json()},
        tr("cli.signed_in", name=session.full_name or session.username, number=session.counter),
    )


def cmd_counter_sign_out(ctx: Context) -> int:
    from shared.counters import sign_out

    session = sign_out(ctx.db, ctx.args.number, centre=ctx.centre)
    return ctx.emit({"session": session.to_json()}, tr("cli.signed_out", number=session.counter))


def cmd_counter(ctx: Context) -> int:
    engine = ctx.engine()
    a = ctx.args
    if a.action == "pause":
        state = engine.pause_counter(a.number, reason=a.reason, note=a.note)
    else:
        state = engine.resume_counter(a.number)
    label = tr("counter.paused" if state.paused else "counter.open")
    return ctx.emit(
        {"counter": state.to_json()}, tr("cli.counter_state", number=state.number, state=label)
    )


def cmd_queue_status(ctx: Context) -> int:
    status = ctx.engine().status()

    def human() -> str:
        lines = [
            f"{status.centre} – {status.business_day:%d/%m/%Y}",
            tr("cli.status_header_waiting") + ":",
        ]
        for svc in status.services:
            lines.append(f"  {svc.code:<8} {svc.waiting:>4}  {svc.name}")
        lines.append(tr("cli.status_header_counters") + ":")
        for c in status.counters:
            if c.paused:
                state = tr("counter.paused")
            elif c.ticket is not None:
                state = tr("cli.status_serving", number=c.ticket.number)
            else:
                state = tr("cli.status_idle")
            lines.append(f"  {c.number:>3}  {state}")
        return "\n".join(lines)

    return ctx.emit(status.to_json(), human)


def cmd_user_add(ctx: Context) -> int:
    from shared.users import add_user

    password = _read_password()
    if password is None:
        print(tr("cli.password_mismatch"), file=sys.stderr)
        return EXIT_USAGE
    user = add_user(ctx.db, ctx.args.name, password, ctx.args.role, full_name=ctx.args.full_name)
    return ctx.emit(
        {"user": user.to_json()}, tr("cli.user_added", name=user.username, role=user.role)
    )


def _read_password(*, confirm: bool = True) -> str | None:
    import getpass

    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(tr("cli.password_prompt"))
        if not confirm:
            return first
        second = getpass.getpass(tr("cli.password_again"))
        return first if first == second else None
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


def cmd_announce(ctx: Context) -> int:
    from shared.voice import announcement_wav, call_sentence, wav_duration

    a = ctx.args
    ticket = ctx.engine().ticket(a.ticket_id)
    counter = a.counter if a.counter is not None else ticket.counter
    if counter is None:
        raise MotcuaError("error.not_called", number=ticket.number)
    voice = ctx.settings.voice
    sentences = [call_sentence(ticket.number, counter, language="vi", digits=voice.digits)]
    if voice.english:
        sentences.append(call_sentence(ticket.number, counter, language="en", digits=voice.digits))
    data: dict[str, Any] = {
        "ticket": ticket.id,
        "number": ticket.number,
        "counter": counter,
        "sentences": sentences,
    }
    if a.wav is not None:
        wav = announcement_wav(ticket.number, counter, voice)
        a.wav.parent.mkdir(parents=True, exist_ok=True)
        a.wav.write_bytes(wav)
        data["wav"] = str(a.wav)
        data["seconds"] = round(wav_duration(wav), 2)
    human = "\n".join(sentences) if a.text or a.wav is None else f"{a.wav} ({data['seconds']} s)"
    return ctx.emit(data, human)


def cmd_config_sample(ctx: Context) -> int:
    sys.stdout.write(sample_config())
    return EXIT_OK


def cmd_config_pin(ctx: Context) -> int:
    import getpass

    from shared.pin import hash_pin, valid_pin

    if sys.stdin is not None and sys.stdin.isatty():
        pin = getpass.getpass(tr("kiosk.pin.prompt")).strip()
        if valid_pin(pin) and getpass.getpass(tr("kiosk.pin.again")).strip() != pin:
            raise MotcuaError("kiosk.pin.mismatch")
    else:
        pin = (sys.stdin.readline() if sys.stdin is not None else "").strip()
    if not valid_pin(pin):
        raise MotcuaError("kiosk.pin.invalid")
    pin_hash = hash_pin(pin)
    if not ctx.args.json:
        print(tr("kiosk.pin.put"), file=sys.stderr)
    return ctx.emit({"admin_pin_hash": pin_hash}, f'admin_pin_hash = "{pin_hash}"')


def cmd_config_path(ctx: Context) -> int:
    data = {
        "config_file": ctx.settings.source or str(config_dir() / "motcua.toml"),
        "config_loaded": bool(ctx.settings.source),
        "data_dir": str(data_dir()),
        "log_dir": str(ctx.settings.log_dir),
        "database": ctx.db.display_url,
    }
    return ctx.emit(data, "\n".join(f"{k}: {v}" for k, v in data.items()))


def cmd_demo(ctx: Context) -> int:
    from shared.db import normalise_url
    from shared.demo import run_demo

    a = ctx.args
    if a.visitors < 1 or a.visitors > 20000:
        raise MotcuaError("error.config", file="--visitors", detail="1–20000")
    if a.db:
        url = normalise_url(a.db)
        if url.get_backend_name() != "sqlite" or not url.database:
            raise MotcuaError(
                "error.config",
                file="--db",
                detail="demo cần một tệp SQLite / the demo needs an SQLite file",
            )
        path = Path(url.database)
    else:
        path = data_dir() / "demo.sqlite3"
    if not a.headless:
        return _windowed_demo(ctx, path)
    result = run_demo(
        path, visitors=a.visitors, seed=a.seed, catalog=a.catalog, settings=ctx.settings.database
    )
    data = {
        "database": result.database,
        "counters": result.counters,
        "summary": result.summary.to_json(),
    }
    return ctx.emit(data, lambda: _demo_text(result))


DEMO_LAYOUT = (
    ("display", "2x2:0"),
    ("kiosk", "2x2:1"),
    ("counter", "2x2:2"),
    ("counter", "2x2:3"),
)
"""The one-PC demo: the waiting-room screen and the kiosk above, two counters below."""


def _app_command(app: str) -> list[str]:
    """How to start one app from here: ``python -m launcher APP`` from source or a wheel; the
    bundle's own windowed program (``motcua-kiosk`` …, no console window on Windows) from the
    bundle."""
    if getattr(sys, "frozen", False):
        program = Path(sys.executable)
        return [str(program.with_name(f"motcua-{app}{program.suffix}"))]
    return [sys.executable, "-m", "launcher", app]


def _demo_config(ctx: Context, path: Path, url: str) -> Path:
    """The settings the demo's apps read: the user's own file when given (``--config``);
    otherwise a small file beside the demo database that keeps the kiosk taking numbers at any
    hour (a demo at night would otherwise show every service closed)."""
    if ctx.args.config:
        return Path(ctx.args.config)
    import json

    config = path.with_suffix(".toml")
    config.write_text(
        "# Written by `motcua demo` for its own apps; safe to delete.\n"
        f"[database]\nurl = {json.dumps(url)}\n\n"
        "[kiosk]\nfollow_opening_hours = false\n",
        encoding="utf-8",
    )
    return config


def _windowed_demo(ctx: Context, path: Path) -> int:
    """The kiosk, the waiting-room screen and two counters, each its own program, tiled on one
    screen, on a fresh demo database with citizens already waiting and (``--arrivals``) more
    arriving. Closing a window, Ctrl+C or SIGTERM ends them all."""
    import random
    import signal
    import subprocess
    import time

    from shared.demo import prepare_live_demo

    a = ctx.args
    demo = prepare_live_demo(
        path,
        waiting=min(a.visitors, 40),
        seed=a.seed,
        catalog=a.catalog,
        settings=ctx.settings.database,
    )
    print(
        tr(
            "demo.windowed",
            database=demo.database,
            clerks=", ".join(demo.clerks),
            password=demo.password,
        ),
        flush=True,
    )
    config = _demo_config(ctx, path, demo.url)
    common = ["--db", demo.url, "--config", str(config)]
    apps = [[*_app_command(app), *common, "--tile", tile] for app, tile in DEMO_LAYOUT]

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    processes = [subprocess.Popen(command) for command in apps]
    rng = random.Random(a.seed)
    arrivals = _Arrivals(ctx, demo.url, a.arrivals, rng) if a.arrivals > 0 else None
    try:
        while True:
            codes = [p.poll() for p in processes]
            if any(code is not None for code in codes):
                # One window closed: the demo ends (the others follow in ``finally``).
                return max(code or 0 for code in codes)
            if arrivals is not None:
                arrivals.tick()
            time.sleep(0.2)
    except KeyboardInterrupt:
        return 130
    finally:
        if arrivals is not None:
            arrivals.close()
        for p in processes:
            if p.poll() is None:
                p.terminate()
        for p in processes:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()


class _Arrivals:
    """Simulated citizens taking numbers during the windowed demo, one every ``mean`` seconds
    on average (exponential gaps), in the services that have a counter."""

    def __init__(self, ctx: Context, url: str, mean: float, rng: Any) -> None:
        import time

        from shared.catalog import show_catalog
        from shared.db import Database
        from shared.queue import QueueEngine

        self.db = Database(url, ctx.settings.database)
        info = show_catalog(self.db, None)
        served = {code for c in info["counters"] for code in c["services"]}
        self.services = sorted(s["code"] for s in info["services"] if s["code"] in served)
        self.engine = QueueEngine(self.db, None)
        self.mean, self.rng, self.clock = mean, rng, time.monotonic
        self.next_at = self.clock() + rng.expovariate(1 / mean)

    def tick(self) -> None:
        if self.clock() < self.next_at or not self.services:
            return
        self.next_at = self.clock() + self.rng.expovariate(1 / self.mean)
        try:
            self.engine.issue(self.rng.choice(self.services))
        except MotcuaError as error:  # a busy moment or a paused service: the next one comes
            log.info("demo arrival skipped: %s", error.message_in("en"))

    def close(self) -> None:
        self.db.dispose()


def _demo_text(result: Any) -> str:
    s = result.summary
    t = s.total

    def num(value: float | None) -> str:
        return "–" if value is None else f"{value:.1f}".replace(".", ",")

    lines = [
        f"{tr('demo.title')} – {s.centre} – {s.business_day:%d/%m/%Y}",
        f"{tr('demo.database')}: {result.database}",
        f"{tr('demo.counters')}: {result.counters}",
        f"{tr('demo.tickets')}: {t.tickets}   {tr('demo.served')}: {t.served}   "
        f"{tr('demo.no_show')}: {t.no_show}   {tr('demo.left')}: {t.still_waiting}",
        f"{tr('demo.wait')}: {tr('demo.mean')} {num(t.mean_wait_min)}, "
        f"{tr('demo.p90')} {num(t.p90_wait_min)}",
        "",
        f"  {tr('demo.service'):<10}{'#':>6}{tr('demo.mean'):>12}{'p90':>8}",
    ]
    for f in s.services:
        lines.append(
            f"  {f.code:<10}{f.tickets:>6}{num(f.mean_wait_min):>12}{num(f.p90_wait_min):>8}"
            f"   {f.name}"
        )
    ok = s.duplicate_numbers == 0 and s.tickets_called_twice == 0
    lines.append("")
    lines.append(
        f"{tr('demo.checks')}: "
        + (
            tr("demo.checks_ok")
            if ok
            else f"{s.duplicate_numbers} duplicate numbers, {s.tickets_called_twice} double calls"
        )
    )
    return "\n".join(lines)


if __name__ == "__main__":
    run()
