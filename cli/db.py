"""``motcua db …``: the schema, backups and restores, PostgreSQL roles."""

from __future__ import annotations

import sys
from pathlib import Path

from cli.core import Context, Registrar
from shared.errors import EXIT_REFUSED, ConfigError
from shared.i18n import tr


def register(r: Registrar) -> None:
    """Add ``motcua db …`` (schema, backup, restore, roles)."""
    group = r.group
    leaf = r.leaf
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
