"""``motcua dossier …``: receiving and following dossiers from the command line.

Registered in :mod:`cli.commands` through :func:`register`; ``dossier print`` comes from
:mod:`cli.forms`. Exit codes as the rest
of the command: 0 ok, 2 usage (argparse), 3 refused by the rules (a receiving form with mistakes
included: every field's message is printed, and with ``--json`` also ``{"errors": {…}}`` on
stdout), 4 database. Heavy modules are imported inside the handlers, so ``motcua --help`` stays
fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli.core import Registrar
from cli.desk import open_desk, parse_day
from cli.forms import add_print_command
from shared.i18n import tr

if TYPE_CHECKING:
    from cli.core import Context
    from shared.dossiers import DossierDesk


def register(r: Registrar) -> None:
    """Add the ``dossier`` command group to the ``motcua`` parser."""
    group, leaf = r.group, r.leaf
    sub = group("dossier", "dossiers (hồ sơ): receive, follow, hand over, return, look up")

    p = leaf(sub, "receive", cmd_receive, "receive a dossier: number it and fix its due date")
    p.add_argument("--procedure", required=True, metavar="CODE", help="procedure code")
    p.add_argument("--name", required=True, metavar="NAME", help="applicant's full name")
    p.add_argument("--kind", choices=("person", "organisation"), default="person")
    p.add_argument("--id-number", default="", metavar="N")
    p.add_argument(
        "--id-type",
        choices=("cccd", "cmnd", "passport", "tax"),
        help="type of --id-number (default: cccd)",
    )
    p.add_argument("--phone", default="", metavar="P")
    p.add_argument("--address", default="", metavar="A")
    p.add_argument("--email", default="", metavar="E")
    p.add_argument("--sets", type=int, default=1, metavar="N", help="number of sets (bộ)")
    p.add_argument(
        "--channel", type=int, default=1, metavar="N", help="1 in person, 2 online, 3 post"
    )
    p.add_argument("--delivery", choices=("desk", "post"), default="desk")
    p.add_argument("--result-address", default="", metavar="A", help="postal address for results")
    p.add_argument("--fee", type=int, metavar="VND", help="fee (default: the procedure's)")
    p.add_argument("--note", default="", metavar="TEXT")
    p.add_argument(
        "--received-at",
        metavar="ISO",
        help="time of receipt (default: now; without a zone: the centre's local time)",
    )
    p.add_argument("--ticket", type=int, metavar="ID", help="the queue ticket served")
    p.add_argument("--counter", type=int, metavar="N", help="the receiving counter")
    p.add_argument("--request-id", metavar="ID", help="repeating it returns the same dossier")
    p.add_argument(
        "--online",
        action="store_true",
        help="submitted online: register it at status 1 (channel 2), due date provisional "
        "until 'motcua dossier accept CODE'; --received-at is then the submission time",
    )
    _user(p)

    p = leaf(sub, "accept", cmd_accept, "accept an online dossier (1 → 2): the deadline starts")
    p.add_argument("code", metavar="CODE")
    p.add_argument("--counter", type=int, metavar="N", help="the accepting counter")
    p.add_argument(
        "--at", metavar="ISO", help="time of acceptance (default: now; without a zone: local)"
    )
    _user(p)

    p = leaf(sub, "status", cmd_status, "show a dossier's status, or change it with --set")
    p.add_argument("code", metavar="CODE")
    p.add_argument("--set", type=int, metavar="STATUS", help="new status (1–9)")
    p.add_argument("--note", default="", metavar="TEXT")
    _user(p)

    p = leaf(sub, "show", cmd_show, "the whole dossier with personal data (the reading is logged)")
    p.add_argument("code", metavar="CODE")
    _user(p)

    p = leaf(sub, "list", cmd_list, "dossiers, late ones first")
    p.add_argument("--status", type=int, metavar="N")
    p.add_argument("--search", default="", metavar="TEXT", help="code, procedure or name")
    p.add_argument("--limit", type=int, default=200, metavar="N")
    _user(p)

    p = leaf(sub, "handover", cmd_handover, "hand the dossier over to a unit (liên thông)")
    p.add_argument("code", metavar="CODE")
    p.add_argument("--to", required=True, metavar="UNIT", dest="to_unit")
    p.add_argument("--from", metavar="UNIT", dest="from_unit")
    p.add_argument("--days", type=float, metavar="N", help="working days for this step")
    p.add_argument("--note", default="", metavar="TEXT")
    _user(p)

    p = leaf(sub, "step", cmd_step, "record the result of a hand-over step")
    p.add_argument("code", metavar="CODE")
    p.add_argument("position", type=int, metavar="N")
    p.add_argument("result", metavar="RESULT")
    p.add_argument("--note", default="", metavar="TEXT")
    _user(p)

    p = leaf(sub, "supplement", cmd_supplement, "ask for missing documents (Mẫu 02)")
    p.add_argument("code", metavar="CODE")
    p.add_argument("--missing", action="append", required=True, metavar="DOCUMENT")
    p.add_argument("--reason", required=True, metavar="TEXT")
    _user(p)

    p = leaf(sub, "refuse", cmd_refuse, "refuse the dossier (Mẫu 03)")
    p.add_argument("code", metavar="CODE")
    p.add_argument("--reason", required=True, metavar="TEXT")
    _user(p)

    p = leaf(sub, "reschedule", cmd_reschedule, "apologise and set a new return date (Mẫu 04)")
    p.add_argument("code", metavar="CODE")
    p.add_argument("--to", required=True, metavar="ISO", dest="new_date")
    p.add_argument("--reason", required=True, metavar="TEXT")
    _user(p)

    p = leaf(sub, "ready", cmd_ready, "the result is ready (status 9)")
    p.add_argument("code", metavar="CODE")
    _user(p)

    p = leaf(sub, "return", cmd_return, "hand the result over (status 10): code or scanned QR")
    p.add_argument("code", metavar="CODE_OR_QR")
    _user(p)

    p = leaf(sub, "lookup", cmd_lookup, "what the kiosk shows for a code and its lookup secret")
    p.add_argument("code", metavar="CODE")
    p.add_argument("secret", metavar="SECRET")

    p = leaf(sub, "book", cmd_book, "the tracking book (Mẫu 06) of the dossiers received")
    p.add_argument("--from", required=True, metavar="DATE", dest="date_from")
    p.add_argument("--to", required=True, metavar="DATE", dest="date_to")
    p.add_argument("--csv", type=Path, metavar="PATH", help="write it as CSV (UTF-8, for Excel)")
    _user(p)

    add_print_command(sub, leaf)


def _user(p: argparse.ArgumentParser) -> None:
    p.add_argument("--user", metavar="NAME", help="the clerk acting (recorded in the log)")


# --- plumbing --------------------------------------------------------------------------------


def _when(moment: datetime | None, tz: str) -> str:
    from shared.clock import format_vn

    return format_vn(moment, tz, seconds=False) if moment is not None else "–"


def _parse_time(value: str) -> datetime:
    from shared.errors import MotcuaError

    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise MotcuaError("dossier.cli.bad_time", value=value) from None


def _parse_date(value: str) -> date:
    from shared.errors import MotcuaError

    try:
        return parse_day(value)
    except ValueError:
        raise MotcuaError("dossier.cli.bad_date", value=value) from None


def _iso(moment: datetime, tz: str) -> str:
    """A date-time for JSON in the centre's local time: ``2026-05-27T16:00:00+07:00``."""
    from shared.clock import zone

    return moment.astimezone(zone(tz)).isoformat()


def _state_line(view: Any, tz: str) -> str:
    from shared.dossier_views import STATUS_KEYS

    return tr(
        "dossier.cli.state",
        code=view.code,
        status=tr(STATUS_KEYS[view.status]),
        due=_when(view.appointment_at, tz),
    )


def _emit_view(ctx: Context, desk: DossierDesk, view: Any) -> int:
    tz = desk.timezone()
    data = {"code": view.code, "status": view.status, "dossier": view.to_json(tz)}
    return ctx.emit(data, lambda: _state_line(view, tz))


# --- commands --------------------------------------------------------------------------------


def cmd_receive(ctx: Context) -> int:
    from shared.dossier_views import Party, ReceiveForm
    from shared.errors import DossierInvalid

    a = ctx.args
    desk = open_desk(ctx)
    applicant = Party(
        kind=a.kind,
        name=a.name,
        id_type=(a.id_type or "cccd") if a.id_number.strip() else a.id_type,
        id_number=a.id_number,
        address=a.address,
        phone=a.phone,
        email=a.email,
    )
    form = ReceiveForm(
        procedure_code=a.procedure,
        applicant=applicant,
        sets=a.sets,
        channel=a.channel,
        result_delivery=a.delivery,
        result_address=a.result_address,
        fee=a.fee,
        note=a.note,
    )
    received_at = desk.local_time(_parse_time(a.received_at)) if a.received_at else None
    if a.online and (a.ticket is not None or a.counter is not None):
        from shared.errors import DossierError

        raise DossierError("dossier.cli.online_counter")
    try:
        if a.online:
            view = desk.register(form, submitted_at=received_at, request_id=a.request_id)
        else:
            view = desk.receive(
                form,
                ticket_id=a.ticket,
                counter=a.counter,
                received_at=received_at,
                request_id=a.request_id,
            )
    except DossierInvalid as error:
        if a.json:
            json.dump({"errors": error.errors}, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        raise
    tz = desk.timezone()
    data = {
        "code": view.code,
        "secret": view.secret,
        "status": view.status,
        "received_at": _iso(view.received_at, tz),
        "due_at": _iso(view.due_at, tz),
        "dossier": view.to_json(tz),
    }
    key = "dossier.cli.registered" if a.online else "dossier.cli.received"
    return ctx.emit(
        data,
        lambda: tr(key, code=view.code, secret=view.secret, due=_when(view.due_at, tz)),
    )


def cmd_accept(ctx: Context) -> int:
    a = ctx.args
    desk = open_desk(ctx)
    at = desk.local_time(_parse_time(a.at)) if a.at else None
    view = desk.accept(a.code, counter=a.counter, now=at)
    tz = desk.timezone()
    data = {
        "code": view.code,
        "status": view.status,
        "received_at": _iso(view.received_at, tz),
        "due_at": _iso(view.due_at, tz),
        "dossier": view.to_json(tz),
    }
    return ctx.emit(
        data,
        lambda: tr(
            "dossier.cli.received", code=view.code, secret=view.secret, due=_when(view.due_at, tz)
        ),
    )


def cmd_status(ctx: Context) -> int:
    a = ctx.args
    desk = open_desk(ctx)
    if a.set is not None:
        return _emit_view(ctx, desk, desk.set_status(a.code, a.set, a.note))
    row = desk.row(a.code)
    tz = desk.timezone()
    data = {
        "code": row.code,
        "status": row.status,
        "procedure_code": row.procedure_code,
        "received_at": _iso(row.received_at, tz),
        "due_at": _iso(row.due_at, tz),
        "appointment_at": _iso(row.appointment_at, tz),
        "timeliness": row.timeliness,
        "progress": row.progress,
        "late": row.late,
    }
    return ctx.emit(data, lambda: _state_line(row, tz))


def cmd_show(ctx: Context) -> int:
    desk = open_desk(ctx)
    view = desk.show(ctx.args.code)
    tz = desk.timezone()

    def human() -> str:
        from shared.idnumbers import mask_id

        lines = [
            _state_line(view, tz),
            f"  {view.procedure_code} – {view.procedure_name}",
            f"  {view.applicant.name}"
            + (f" ({mask_id(view.applicant.id_number)})" if view.applicant.id_number else ""),
        ]
        for h in view.handovers:
            lines.append(
                "  "
                + tr(
                    "dossier.cli.step",
                    position=h.position,
                    from_unit=h.from_unit,
                    to_unit=h.to_unit,
                    due=_when(h.due_at, tz),
                )
            )
        return "\n".join(lines)

    return ctx.emit({"code": view.code, "status": view.status, "dossier": view.to_json(tz)}, human)


def cmd_list(ctx: Context) -> int:
    from shared.dossier_views import STATUS_KEYS, standing_key

    a = ctx.args
    desk = open_desk(ctx)
    rows = desk.search(a.search, a.status, a.limit)
    tz = desk.timezone()

    def human() -> str:
        if not rows:
            return tr("dossier.cli.none")
        lines = []
        for r in rows:
            key = standing_key(r.timeliness, r.progress)
            standing = f" ({tr(key)})" if key else ""
            lines.append(
                f"{'!' if r.late else ' '} {r.code}  {_when(r.appointment_at, tz)}  "
                f"{tr(STATUS_KEYS[r.status])}{standing}  {r.procedure_name[:50]}  "
                f"{r.applicant_name}"
            )
        return "\n".join(lines)

    return ctx.emit({"dossiers": [r.to_json(tz) for r in rows]}, human)


def cmd_handover(ctx: Context) -> int:
    a = ctx.args
    desk = open_desk(ctx)
    view = desk.hand_over(a.code, a.to_unit, from_unit=a.from_unit, days=a.days, note=a.note)
    return _emit_view(ctx, desk, view)


def cmd_step(ctx: Context) -> int:
    a = ctx.args
    desk = open_desk(ctx)
    return _emit_view(ctx, desk, desk.record_step_result(a.code, a.position, a.result, a.note))


def cmd_supplement(ctx: Context) -> int:
    from shared.dossier_views import DocumentLine

    a = ctx.args
    desk = open_desk(ctx)
    missing = tuple(DocumentLine(name=name, originals=1) for name in a.missing)
    return _emit_view(ctx, desk, desk.request_supplement(a.code, missing, a.reason))


def cmd_refuse(ctx: Context) -> int:
    desk = open_desk(ctx)
    return _emit_view(ctx, desk, desk.refuse(ctx.args.code, ctx.args.reason))


def cmd_reschedule(ctx: Context) -> int:
    a = ctx.args
    desk = open_desk(ctx)
    new_date = desk.local_time(_parse_time(a.new_date))
    return _emit_view(ctx, desk, desk.reschedule(a.code, new_date, a.reason))


def cmd_ready(ctx: Context) -> int:
    desk = open_desk(ctx)
    return _emit_view(ctx, desk, desk.mark_ready(ctx.args.code))


def cmd_return(ctx: Context) -> int:
    desk = open_desk(ctx)
    return _emit_view(ctx, desk, desk.return_result(ctx.args.code))


def cmd_lookup(ctx: Context) -> int:
    from shared.dossier_views import STATUS_KEYS
    from shared.dossiers import lookup

    view = lookup(ctx.db, ctx.args.code, ctx.args.secret, client="command")
    tz = open_desk(ctx).timezone()

    def human() -> str:
        lines = [
            tr(
                "dossier.cli.lookup",
                code=view.code,
                status=tr(STATUS_KEYS[view.status]),
                due=_when(view.appointment_at, tz),
                name=view.applicant_masked,
            ),
            tr(view.next_step),
        ]
        return "\n".join(lines)

    return ctx.emit({"lookup": view.to_json(tz)}, human)


def cmd_book(ctx: Context) -> int:
    from shared.dossiers import book_csv

    a = ctx.args
    desk = open_desk(ctx)
    rows = desk.tracking_book(_parse_date(a.date_from), _parse_date(a.date_to))
    tz = desk.timezone()
    data: dict[str, Any] = {"rows": [r.to_json(tz) for r in rows]}
    if a.csv is not None:
        path = book_csv(rows, a.csv, tz)
        data["csv"] = str(path)
        return ctx.emit(data, tr("dossier.cli.book_saved", rows=len(rows), path=path))

    def human() -> str:
        if not rows:
            return tr("dossier.cli.none")
        return "\n".join(
            f"{r.register_no:>4}  {r.code}  {_when(r.received_at, tz)}  {_when(r.due_at, tz)}  "
            f"{r.procedure_name[:40]}  {r.applicant_name}"
            for r in rows
        )

    return ctx.emit(data, human)
