"""What the counter's dossier window needs besides :class:`shared.dossiers.DossierDesk`, Qt-free.

* :func:`load_desk_info` reads, in one go off the screen's thread, the centre (name, agency,
  place, time zone), the active procedures with their document lists (through
  :func:`shared.catalog.show_catalog`) and a snapshot of the working calendar, so the receiving
  form can filter procedures and preview the due date without touching the database again.
* :func:`match_procedures`: by code, or by words of the Vietnamese (or English) name, tone marks
  and case ignored ("dang ky khai sinh" finds "Thủ tục đăng ký khai sinh").
* :func:`dossier_actions`: the actions legal for a dossier's status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from shared.catalog import show_catalog
from shared.clock import zone
from shared.db import Database
from shared.dossier_views import (
    REFUSED,
    RESULT_READY,
    SUBMITTED,
    SUPPLEMENT,
    DocumentLine,
    DossierView,
    is_late,
    standing_key,
)
from shared.dossiers import HANDOVER_STATUSES, OPEN_STATUSES, TRANSITIONS
from shared.i18n import fold, tr
from shared.workcal import WorkCalendar, WorkingHours, load_calendar

DOSSIER_ACTIONS: Final = (
    "accept",
    "hand_over",
    "step_result",
    "supplement",
    "refuse",
    "reschedule",
    "mark_ready",
    "return",
)


@dataclass(frozen=True)
class ProcedureChoice:
    """A procedure of the catalogue as the receiving form offers it."""

    code: str
    name: str
    name_en: str
    processing_days: float | None
    processing_hours: float | None
    cutoff: str | None
    fee: int
    fee_note: str
    documents: tuple[DocumentLine, ...]
    key: str
    """Search key: code and both names folded (no tone marks, lower case)."""

    def label(self) -> str:
        return f"{self.code} – {self.name}"

    def duration(self) -> str:
        """ "5 ngày làm việc" / "Trong ngày" / "8 giờ làm việc"."""
        if self.processing_hours is not None:
            return tr("counter.dossier.hours", hours=_number(self.processing_hours))
        days = self.processing_days or 0
        if days == 0:
            return tr("counter.dossier.same_day", cutoff=self.cutoff or "15:00")
        return tr("counter.dossier.days", days=_number(days))


@dataclass(frozen=True)
class DeskInfo:
    """The centre, its procedures and its working calendar, read once when the window opens."""

    centre_code: str
    centre_name: str
    agency: str
    place: str
    timezone: str
    procedures: tuple[ProcedureChoice, ...]
    calendar: WorkCalendar

    def procedure(self, code: str) -> ProcedureChoice | None:
        wanted = code.strip()
        return next((p for p in self.procedures if p.code == wanted), None)

    def due_preview(self, code: str, received_at: datetime) -> datetime | None:
        """The due date a receipt now would get (the desk fixes the real one on saving)."""
        p = self.procedure(code)
        if p is None:
            return None
        try:
            if p.processing_hours is not None:
                return self.calendar.due_at(received_at, hours=p.processing_hours, cutoff=p.cutoff)
            return self.calendar.due_at(received_at, days=p.processing_days or 0, cutoff=p.cutoff)
        except ValueError:
            return None


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def _documents(items: list[dict[str, Any]] | None) -> tuple[DocumentLine, ...]:
    return tuple(
        DocumentLine(
            name=str(doc.get("name", "")),
            originals=int(doc.get("original", 0) or 0),
            certified=int(doc.get("certified_copy", 0) or 0),
            copies=int(doc.get("copy", 0) or 0),
        )
        for doc in items or []
    )


def load_desk_info(db: Database, centre: str | None, hours: WorkingHours | None = None) -> DeskInfo:
    """Read the centre, its active procedures and the working calendar (worker thread)."""
    catalog = show_catalog(db, centre)
    head = catalog["centre"]
    timezone = str(head.get("timezone") or "Asia/Ho_Chi_Minh")
    procedures = tuple(
        ProcedureChoice(
            code=str(p["code"]),
            name=str(p["name"]),
            name_en=str(p.get("name_en") or ""),
            processing_days=p.get("processing_days"),
            processing_hours=p.get("processing_hours"),
            cutoff=p.get("cutoff"),
            fee=int(p.get("fee") or 0),
            fee_note=str(p.get("fee_note") or ""),
            documents=_documents(p.get("documents")),
            key=fold(f"{p['code']} {p['name']} {p.get('name_en') or ''}"),
        )
        for p in catalog["procedures"]
    )
    calendar = db.run(lambda s: load_calendar(s, hours, timezone=timezone), readonly=True)
    return DeskInfo(
        centre_code=str(head.get("code") or ""),
        centre_name=str(head.get("name") or ""),
        agency=str(head.get("agency") or ""),
        place=str(head.get("place") or ""),
        timezone=timezone,
        procedures=procedures,
        calendar=calendar,
    )


def match_procedures(
    procedures: tuple[ProcedureChoice, ...] | list[ProcedureChoice], text: str
) -> list[ProcedureChoice]:
    """Procedures whose code starts with ``text``, or whose names hold every word of it (tone
    marks and case ignored). Best first: the exact code, codes starting so, names holding the
    words as typed (shortest name first), then names holding them in another order."""
    folded = fold(text)
    words = folded.split()
    if not words:
        return list(procedures)
    typed = text.strip()
    ranked: list[tuple[int, int, str, ProcedureChoice]] = []
    for p in procedures:
        if p.code == typed:
            tier = 0
        elif p.code.startswith(typed):
            tier = 1
        elif folded in p.key:
            tier = 2
        elif all(w in p.key for w in words):
            tier = 3
        else:
            continue
        ranked.append((tier, len(p.name), p.code, p))
    ranked.sort(key=lambda entry: entry[:3])
    return [entry[3] for entry in ranked]


def dossier_actions(view: DossierView) -> set[str]:
    """The actions of :data:`DOSSIER_ACTIONS` legal for the dossier now."""
    status = view.status
    targets = TRANSITIONS.get(status, frozenset())
    allowed: set[str] = set()
    if status == SUBMITTED:
        allowed.add("accept")  # submitted online: accepted here, the legal clock starts
    if status in HANDOVER_STATUSES:
        allowed.add("hand_over")
    if any(step.result_at is None for step in view.handovers) and targets:
        allowed.add("step_result")
    if SUPPLEMENT in targets:
        allowed.add("supplement")
    if REFUSED in targets:
        allowed.add("refuse")
    if status in OPEN_STATUSES:
        allowed.add("reschedule")
    if RESULT_READY in targets:
        allowed.add("mark_ready")
    if status == RESULT_READY:
        allowed.add("return")
    return allowed


def format_when(moment: datetime | None, timezone: str) -> str:
    """ "08 giờ 05 phút, ngày 26/11/2026" in the centre's time ("" for None)."""
    if moment is None:
        return ""
    local = moment.astimezone(zone(timezone))
    return tr(
        "counter.dossier.when",
        hour=f"{local.hour:02d}",
        minute=f"{local.minute:02d}",
        day=f"{local.day:02d}",
        month=f"{local.month:02d}",
        year=f"{local.year}",
    )


def format_short(moment: datetime | None, timezone: str) -> str:
    """ "26/11/2026 08:05" in the centre's time ("" for None)."""
    if moment is None:
        return ""
    return f"{moment.astimezone(zone(timezone)):%d/%m/%Y %H:%M}"


def standing_text(timeliness: str | None, progress: str | None) -> str:
    """The deadline word of a dossier or step (final timeliness once finished, progress while
    open; :func:`~shared.dossier_views.standing_key`), in capitals when late; "" for none."""
    key = standing_key(timeliness, progress)
    if key is None:
        return ""
    text = tr(key)
    return text.upper() if is_late(timeliness, progress) else text
