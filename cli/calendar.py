"""``motcua calendar …``: the working calendar for administrators and technicians.

Dates are written ``2026-04-27`` or ``27/04/2026``; a wrong date, time or file exits with 2.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cli.core import Registrar
from shared.errors import CalendarInputError, CentreError
from shared.i18n import tr

if TYPE_CHECKING:
    from cli.core import Context
    from shared.workcal import CalendarEntry


def register(r: Registrar) -> None:
    """Add the ``calendar`` command group to the ``motcua`` parser."""
    group, leaf = r.group, r.leaf
    cal = group("calendar", "the working calendar (days off, worked weekend days, due dates)")
    p = leaf(cal, "off", cmd_calendar_off, "mark a weekday as a day off (holiday, swapped day)")
    p.add_argument("day", metavar="DATE", help="2026-04-27 or 27/04/2026")
    p.add_argument("--reason", default="", metavar="TEXT")
    p = leaf(cal, "work", cmd_calendar_work, "mark a Saturday or Sunday as a working day")
    p.add_argument("day", metavar="DATE", help="2026-08-22 or 22/08/2026")
    p.add_argument("--reason", default="", metavar="TEXT")
    p = leaf(cal, "clear", cmd_calendar_clear, "remove a day's entry (back to the week's rule)")
    p.add_argument("day", metavar="DATE")
    p = leaf(cal, "show", cmd_calendar_show, "show a year's days off and worked weekend days")
    p.add_argument("year", metavar="YEAR")
    p = leaf(
        cal,
        "prefill",
        cmd_calendar_prefill,
        "fill a year's holidays from the Labour Code and the lunar calendar (to be confirmed)",
    )
    p.add_argument("year", metavar="YEAR")
    p = leaf(cal, "confirm", cmd_calendar_confirm, "confirm a year's calendar as checked")
    p.add_argument("year", metavar="YEAR")
    p = leaf(cal, "import", cmd_calendar_import, "load a year's calendar from a TOML file")
    p.add_argument("file", type=Path, metavar="FILE")
    p = leaf(cal, "due", cmd_calendar_due, "compute when a procedure received at a time is due")
    p.add_argument(
        "--received-at",
        required=True,
        metavar="ISO",
        help="e.g. 2026-04-24T16:00 (the centre's time unless an offset is given)",
    )
    amount = p.add_mutually_exclusive_group(required=True)
    amount.add_argument("--days", metavar="N", help="working days (0 = same day; 0.5 allowed)")
    amount.add_argument("--hours", metavar="N", help="working hours")
    p.add_argument("--cutoff", metavar="HH:MM", help="same-day cut-off (default: [calendar])")


# --- helpers ---------------------------------------------------------------------------------


def _year(text: str) -> int:
    from shared.workcal import check_year

    if not text.strip().isdigit():
        raise CalendarInputError("error.calendar_bad_year", year=text)
    return check_year(int(text))


def _entry_text(entry: CalendarEntry) -> str:
    from shared.workcal import weekday_name

    state = tr("calendar.state.working" if entry.working else "calendar.state.off")
    reason = f" – {entry.reason}" if entry.reason else ""
    return tr(
        "calendar.day_set",
        weekday=weekday_name(entry.day),
        day=f"{entry.day:%d/%m/%Y}",
        state=state,
        reason=reason,
    )


def _timezone(ctx: Context) -> str:
    """The centre's time zone when the database names one, else Việt Nam's."""
    from shared.clock import DEFAULT_TIMEZONE
    from shared.queue import resolve_centre

    try:
        with ctx.db.transaction(readonly=True) as s:
            return resolve_centre(s, ctx.centre).timezone or DEFAULT_TIMEZONE
    except CentreError:
        return DEFAULT_TIMEZONE


# --- commands --------------------------------------------------------------------------------


def cmd_calendar_off(ctx: Context) -> int:
    from shared.workcal import parse_date, set_day_off

    entry = set_day_off(ctx.db, parse_date(ctx.args.day), ctx.args.reason)
    return ctx.emit({"day": entry.to_json()}, lambda: _entry_text(entry))


def cmd_calendar_work(ctx: Context) -> int:
    from shared.workcal import parse_date, set_work_day

    entry = set_work_day(ctx.db, parse_date(ctx.args.day), ctx.args.reason)
    return ctx.emit({"day": entry.to_json()}, lambda: _entry_text(entry))


def cmd_calendar_clear(ctx: Context) -> int:
    from shared.workcal import clear_day, parse_date

    entry = clear_day(ctx.db, parse_date(ctx.args.day))
    return ctx.emit({"day": entry.to_json()}, lambda: _entry_text(entry))


def _show(ctx: Context, year: int, note: str = "") -> int:
    from shared.workcal import show_year, weekday_name

    view = show_year(ctx.db, year)

    def human() -> str:
        status = (
            tr("calendar.confirmed")
            if view.confirmed
            else tr("calendar.unconfirmed", year=view.year)
        )
        lines = [f"{tr('calendar.year_title', year=view.year)} – {status}"]
        if view.off and all(item.get("source") == "statutory" for item in view.off):
            lines.append(tr("calendar.statutory"))
        lines += ["", tr("calendar.days_off")]
        for item in view.off:
            day = date.fromisoformat(item["date"])
            lines.append(f"  {weekday_name(day):<9} {day:%d/%m/%Y}  {item['reason'] or '—'}")
        if not view.off:
            lines.append("  " + tr("calendar.none"))
        lines += ["", tr("calendar.days_worked")]
        for day in view.work:
            lines.append(f"  {weekday_name(day):<9} {day:%d/%m/%Y}")
        if not view.work:
            lines.append("  " + tr("calendar.none"))
        if note:
            lines += ["", note]
        return "\n".join(lines)

    return ctx.emit(view.to_json(), human)


def cmd_calendar_show(ctx: Context) -> int:
    return _show(ctx, _year(ctx.args.year))


def cmd_calendar_prefill(ctx: Context) -> int:
    from shared.workcal import prefill

    result = prefill(ctx.db, _year(ctx.args.year))
    note = tr("calendar.prefilled", year=result.year, written=result.written, kept=len(result.kept))
    if ctx.args.json:
        return ctx.emit(result.to_json(), note)
    return _show(ctx, result.year, note)


def cmd_calendar_confirm(ctx: Context) -> int:
    from shared.workcal import confirm_year

    view = confirm_year(ctx.db, _year(ctx.args.year))
    return ctx.emit(view.to_json(), tr("calendar.year_confirmed", year=view.year))


def cmd_calendar_import(ctx: Context) -> int:
    from shared.workcal import import_calendar, load_calendar_file

    spec = load_calendar_file(ctx.args.file)
    result = import_calendar(ctx.db, spec)
    return ctx.emit(
        {**result.to_json(), "file": str(ctx.args.file)},
        tr("calendar.imported", year=result.year, off=result.off, work=result.work),
    )


def _amount(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or value > 10000:
        raise CalendarInputError("error.calendar_bad_amount", text=text)
    return value


def cmd_calendar_due(ctx: Context) -> int:
    from shared.clock import zone
    from shared.workcal import WorkingHours, load_calendar, parse_time, weekday_name

    a = ctx.args
    days, hours = _amount(a.days), _amount(a.hours)
    if a.cutoff is not None:
        parse_time(a.cutoff)
    timezone = _timezone(ctx)
    try:
        received = datetime.fromisoformat(a.received_at.strip())
    except ValueError:
        raise CalendarInputError("error.calendar_bad_date", text=a.received_at) from None
    if received.tzinfo is None:
        received = received.replace(tzinfo=zone(timezone))
    working = WorkingHours.from_settings(ctx.settings.calendar)
    with ctx.db.transaction(readonly=True) as s:
        calendar = load_calendar(s, working, timezone=timezone)
    due = calendar.due_at(received, days=days, hours=hours, cutoff=a.cutoff)
    data = {
        "received_at": received.astimezone(calendar.tz).isoformat(),
        "counted_from": calendar.counted_from(received).isoformat(),
        "days": days,
        "hours": hours,
        "cutoff": a.cutoff or f"{working.default_cutoff:%H:%M}",
        "due_at": due.isoformat(),
        "timezone": timezone,
    }
    return ctx.emit(
        data, tr("calendar.due", weekday=weekday_name(due.date()), due=f"{due:%d/%m/%Y %H:%M}")
    )
