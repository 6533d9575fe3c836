"""``motcua ticket …``: issue, call and act on queue tickets, rate and print them."""

from __future__ import annotations

import sys
from typing import Any

from cli.core import Context, Registrar, print_done, print_outputs
from shared.errors import PrinterError
from shared.i18n import tr


def register(r: Registrar) -> None:
    """Add ``motcua ticket …``."""
    group = r.group
    leaf = r.leaf
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
    print_outputs(p)
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


def cmd_ticket_print(ctx: Context) -> int:
    from shared.printing.jobs import print_ticket

    a = ctx.args
    result = print_ticket(ctx.engine(), a.ticket_id, ctx.settings, png=a.png, escpos=a.escpos)
    return print_done(ctx, result)


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
