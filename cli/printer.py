"""``motcua printer …``: the ticket printer's test page."""

from __future__ import annotations

from cli.core import Context, Registrar, print_done, print_outputs
from shared.errors import MotcuaError


def register(r: Registrar) -> None:
    """Add ``motcua printer …``."""
    group = r.group
    leaf = r.leaf
    printer = group("printer", "the ticket printer")
    p = leaf(printer, "test", cmd_printer_test, "print the set-up test page")
    print_outputs(p)


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
    return print_done(ctx, result)
