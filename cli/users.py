"""``motcua user …``: user accounts."""

from __future__ import annotations

import sys

from cli.core import Context, Registrar, read_password
from shared.errors import EXIT_USAGE
from shared.i18n import tr


def register(r: Registrar) -> None:
    """Add ``motcua user …``."""
    group = r.group
    leaf = r.leaf
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


def cmd_user_add(ctx: Context) -> int:
    from shared.users import add_user

    password = read_password()
    if password is None:
        print(tr("cli.password_mismatch"), file=sys.stderr)
        return EXIT_USAGE
    user = add_user(ctx.db, ctx.args.name, password, ctx.args.role, full_name=ctx.args.full_name)
    return ctx.emit(
        {"user": user.to_json()}, tr("cli.user_added", name=user.username, role=user.role)
    )
