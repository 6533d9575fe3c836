"""``motcua report KIND --from D --to D``: the centre's figures over a range of days, on screen,
as JSON, or written to XLSX, CSV or PDF files (several at once)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cli.core import Context, Registrar
from shared.i18n import tr

KINDS = (
    "services",
    "hours",
    "days",
    "counters",
    "clerks",
    "satisfaction",
    "dossiers",
    "sectors",
)
"""shared.reports.REPORT_KINDS (not imported: the parser stays light)."""


def register(r: Registrar) -> None:
    """Add ``motcua report``."""
    p = r.leaf(
        r.commands,
        "report",
        cmd_report,
        "a report over a range of days: tickets, waits, counters, clerks, satisfaction, dossiers",
    )
    p.add_argument("kind", choices=KINDS, metavar="KIND", help=", ".join(KINDS))
    p.add_argument("--from", required=True, metavar="DATE", dest="date_from")
    p.add_argument("--to", required=True, metavar="DATE", dest="date_to")
    for fmt in ("xlsx", "csv", "pdf"):
        p.add_argument(f"--{fmt}", type=Path, metavar="PATH", help=f"write it as {fmt.upper()}")


def cmd_report(ctx: Context) -> int:
    from shared.report_files import write_report
    from shared.reports import build_report
    from shared.workcal import parse_date

    a = ctx.args
    report = build_report(
        ctx.db, a.kind, parse_date(a.date_from), parse_date(a.date_to), ctx.centre
    )
    written = [
        str(write_report(report, path, fmt))
        for fmt in ("xlsx", "csv", "pdf")
        if (path := getattr(a, fmt)) is not None
    ]
    data = {"report": {**report.to_json(), "headers": report.headers()}, "files": written}
    return ctx.emit(data, lambda: _table(report, written))


def _table(report: Any, written: list[str]) -> str:
    from shared.report_files import cell_text, period_text

    rows = [[cell_text(v) for v in row] for row in report.rows]
    if report.total is not None and rows:
        rows.append([tr("report.total"), *(cell_text(v) for v in report.total[1:])])
    headers = report.headers()
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    lines = [
        f"{report.title()} – {report.centre_name} – {period_text(report)}",
        "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    if not rows:
        lines.append(tr("report.empty"))
    lines += [tr("report.written", path=path) for path in written]
    return "\n".join(lines)
