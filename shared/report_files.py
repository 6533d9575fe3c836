"""A report written to a file: CSV (UTF-8 with a BOM, so Excel shows Vietnamese), XLSX (typed
numbers and dates, a header row that stays in view) and PDF (A4 landscape, Noto Sans embedded).

The headers and the title are in the current language (:func:`shared.i18n.set_language`);
numbers keep a decimal point in CSV (a machine reads it), dates are written dd/mm/yyyy.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from shared.i18n import tr
from shared.reports import Report

FORMATS = ("csv", "xlsx", "pdf")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return value


def period_text(report: Report) -> str:
    """ "Từ 01/11/2026 đến 30/11/2026", in the current language."""
    return tr(
        "report.period",
        date_from=f"{report.date_from:%d/%m/%Y}",
        date_to=f"{report.date_to:%d/%m/%Y}",
    )


def _total_row(report: Report) -> list[Any] | None:
    if report.total is None:
        return None
    row = list(report.total)
    row[0] = tr("report.total")
    return row


def write_report(report: Report, path: str | Path, fmt: str | None = None) -> Path:
    """Write ``report`` to ``path`` in ``fmt`` (default: the file's extension), all at once: a
    half-written file never replaces an earlier one."""
    target = Path(path)
    kind = (fmt or target.suffix.lstrip(".")).lower()
    if kind not in FORMATS:
        from shared.errors import ReportRefused

        raise ReportRefused("report.bad_format", path=str(target), formats=", ".join(FORMATS))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        {"csv": _csv, "xlsx": _xlsx, "pdf": _pdf}[kind](report, partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _csv(report: Report, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(report.headers())
        for row in report.rows:
            writer.writerow([_cell(v) for v in row])
        total = _total_row(report)
        if total is not None:
            writer.writerow([_cell(v) for v in total])


def _xlsx(report: Report, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = report.kind
    sheet.append([report.title()])
    sheet.append([f"{report.centre_name} — {period_text(report)}"])
    sheet.append(report.headers())
    for cell in sheet[1] + sheet[3]:
        cell.font = Font(bold=True)
    for row in report.rows:
        sheet.append(list(row))
    total = _total_row(report)
    if total is not None:
        sheet.append(total)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(cell.value, float):
                cell.number_format = "0.0"
    for i, header in enumerate(report.headers(), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(header) + 2))
    sheet.freeze_panes = "A4"
    book.save(path)


def _pdf(report: Report, path: Path) -> None:
    from fpdf import FPDF

    from shared.resources import asset

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_font("NotoSans", "", str(asset("fonts", "NotoSans-Regular.ttf")))
    pdf.add_font("NotoSans", "B", str(asset("fonts", "NotoSans-Bold.ttf")))
    pdf.set_title(report.title())
    pdf.add_page()
    pdf.set_font("NotoSans", "B", 14)
    pdf.cell(0, 8, report.title(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("NotoSans", "", 10)
    pdf.cell(0, 6, f"{report.centre_name} — {period_text(report)}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("NotoSans", "", 7.5)
    rows = [[cell_text(v) for v in row] for row in report.rows]
    total = _total_row(report)
    text = [c in _TEXT_COLUMNS for c in report.columns]
    with pdf.table(
        headings_style=_bold(),
        line_height=4.5,
        text_align=tuple("LEFT" if is_text else "RIGHT" for is_text in text),
        col_widths=tuple(
            3.0 if c == "name" else 1.4 if is_text else 1.0
            for c, is_text in zip(report.columns, text, strict=True)
        ),
        first_row_as_headings=True,
        repeat_headings=1,
    ) as table:
        for row in [report.headers(), *rows]:
            table.row(row)
        if total is not None and report.rows:
            table.row([cell_text(v) for v in total], style=_bold())
    if not report.rows:
        pdf.ln(3)
        pdf.set_font("NotoSans", "", 10)
        pdf.cell(0, 6, tr("report.empty"), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


_TEXT_COLUMNS = frozenset(
    ("service", "name", "hour", "day", "counter", "clerk", "procedure", "sector")
)


def _bold() -> Any:
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD")


def cell_text(value: Any) -> str:
    """A cell as Vietnamese writes it: 12,5 and 30/04/2026 (– for none)."""
    if value is None:
        return "–"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)
