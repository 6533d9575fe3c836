"""The tracking book (Mẫu 06 Sổ theo dõi hồ sơ, Circular 01/2018/TT-VPCP) and its CSV.

Every dossier received gets the next running number of its centre's book for the year
(:data:`BOOK_SEQ`). :func:`book_entries` reads the dossiers received on some local days in book
order with their applicant and first hand-over step, :func:`book_row` turns one into a line of
the book, and :func:`book_csv` writes the lines as the spreadsheet the centre files. Reading the
book (it holds addresses and phones) is logged by
:meth:`shared.dossiers.DossierDesk.tracking_book`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.clock import zone
from shared.dossier_views import BookRow, standing_key
from shared.dossiers.common import standing
from shared.i18n import tr
from shared.models import Dossier, DossierHandover, DossierParty
from shared.workcal import WorkCalendar

__all__ = ["BOOK_HEADERS", "BOOK_SEQ", "book_csv", "book_entries", "book_row"]

BOOK_SEQ: Final = "book"
"""Key of the tracking book's running number in ``notice_sequences`` (per centre and year)."""

BookEntry = tuple[Dossier, DossierParty | None, DossierHandover | None]
"""A dossier of the book with its applicant and its first hand-over step (if any)."""


def book_entries(s: Session, centre_id: int, date_from: date, date_to: date) -> list[BookEntry]:
    """The centre's dossiers received on the local days ``date_from``–``date_to``, in book
    order, each with its applicant and its first hand-over step."""
    dossiers = list(
        s.scalars(
            select(Dossier)
            .where(
                Dossier.centre_id == centre_id,
                Dossier.receipt_day >= date_from,
                Dossier.receipt_day <= date_to,
            )
            .order_by(Dossier.receipt_day, Dossier.seq)
        )
    )
    ids = [d.id for d in dossiers]
    parties = {
        p.dossier_id: p
        for p in s.scalars(
            select(DossierParty).where(
                DossierParty.dossier_id.in_(ids), DossierParty.role == "applicant"
            )
        )
    }
    first_steps: dict[int, DossierHandover] = {}
    for h in s.scalars(
        select(DossierHandover)
        .where(DossierHandover.dossier_id.in_(ids))
        .order_by(DossierHandover.position)
    ):
        first_steps.setdefault(h.dossier_id, h)
    return [(d, parties.get(d.id), first_steps.get(d.id)) for d in dossiers]


def book_row(
    d: Dossier,
    p: DossierParty | None,
    step: DossierHandover | None,
    cal: WorkCalendar,
    now: datetime,
) -> BookRow:
    """One line of the book, its deadline standing as of ``now``."""
    timeliness, progress = standing(d, cal, now)
    contact = ", ".join(x for x in ((p.address, p.phone) if p else ()) if x)
    return BookRow(
        register_no=d.register_no,
        code=d.code,
        procedure_name=d.procedure_name,
        sets=d.sets,
        applicant_name=p.name if p else "",
        applicant_contact=contact,
        lead_unit=step.to_unit if step else "",
        received_at=d.received_at,
        due_at=d.appointment_at,
        sent_at=step.handed_at if step else None,
        result_back_at=d.result_ready_at,
        returned_at=d.returned_at,
        note=d.note,
        timeliness=timeliness,
        progress=progress,
    )


BOOK_HEADERS: Final = (
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Số lượng hồ sơ (bộ)",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Chuyển hồ sơ đến cơ quan giải quyết",
    "Nhận kết quả từ cơ quan giải quyết",
    "Trả kết quả",
    "Ghi chú",
    "Tiến độ",
)
"""Columns of Mẫu 06 (Sổ theo dõi hồ sơ), Circular 01/2018/TT-VPCP, then the deadline word as
the counter's list shows it when the book was read (:func:`standing_key`)."""


def book_csv(rows: Iterable[BookRow], path: str | Path, timezone: str) -> Path:
    """Write the tracking book as CSV in UTF-8 with a BOM (Excel then shows Vietnamese)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tz = zone(timezone)

    def when(moment: datetime | None) -> str:
        return f"{moment.astimezone(tz):%d/%m/%Y %H:%M}" if moment is not None else ""

    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(BOOK_HEADERS)
        for r in rows:
            writer.writerow(
                (
                    r.register_no,
                    r.code,
                    r.procedure_name,
                    r.sets,
                    r.applicant_name,
                    r.applicant_contact,
                    r.lead_unit,
                    when(r.received_at),
                    when(r.due_at),
                    when(r.sent_at),
                    when(r.result_back_at),
                    when(r.returned_at),
                    r.note,
                    _standing_words(r.timeliness, r.progress),
                )
            )
    return target


def _standing_words(timeliness: str | None, progress: str | None) -> str:
    key = standing_key(timeliness, progress)
    return tr(key, language="vi") if key else ""
