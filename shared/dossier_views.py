"""Plain data about dossiers (hồ sơ): what the dossier use cases return and the forms print.

Frozen dataclasses only, never live ORM objects. Personal data (names, ID numbers, addresses,
phones, e-mails) appears only in :class:`Party` inside a :class:`DossierView`, which the counter
reads (and the reading is an event); the kiosk gets a :class:`DossierPublicView` with the name
masked and nothing else personal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final, Literal

from shared.views import JsonView

# National public service portal status codes (domain notes, "Statuses").
SUBMITTED: Final = 1
"""Mới đăng ký (submitted online)."""
ACCEPTED: Final = 2
"""Được tiếp nhận."""
REFUSED: Final = 3
"""Không được tiếp nhận."""
PROCESSING: Final = 4
"""Đang xử lý."""
SUPPLEMENT: Final = 5
"""Yêu cầu bổ sung giấy tờ."""
FEES_DUE: Final = 6
"""Yêu cầu thực hiện nghĩa vụ tài chính."""
WITHDRAWN: Final = 7
"""Công dân yêu cầu rút hồ sơ."""
STOPPED: Final = 8
"""Dừng xử lý."""
RESULT_READY: Final = 9
"""Đã xử lý xong."""
RETURNED: Final = 10
"""Đã trả kết quả."""

STATUSES: Final = tuple(range(1, 11))
STATUS_KEYS: Final = {code: f"dossier.status.{code}" for code in STATUSES}
"""Translation key of each status name (``tr(STATUS_KEYS[4])`` → "Đang xử lý")."""

CHANNEL_IN_PERSON: Final = 1
CHANNEL_ONLINE: Final = 2
CHANNEL_POST: Final = 3
CHANNELS: Final = (CHANNEL_IN_PERSON, CHANNEL_ONLINE, CHANNEL_POST)

Timeliness = Literal["early", "on_time", "late"]
"""Of a **finished** dossier or step (result ready): Trước hạn / Đúng hạn / Quá hạn
(translation keys ``dossier.timeliness.<value>``). Fixed when the result is ready; never given
to a dossier or step that is still open."""

Progress = Literal["in_time", "due_today", "overdue"]
"""Of an **open** dossier or step (its legal clock running), as of now: Trong hạn / Đến hạn hôm
nay / Quá hạn (translation keys ``dossier.progress.<value>``). The national portal counts
``in_time`` and ``due_today`` together as "đang giải quyết trong hạn"."""


def standing_key(timeliness: str | None, progress: str | None) -> str | None:
    """The translation key of the one word a dossier or step is labelled with (the counter's
    list and detail, the kiosk, the tracking book and the forms use it alike): its final
    timeliness once finished, its progress while open, none for a dossier whose clock never ran
    or was stopped (submitted online, refused, withdrawn, stopped)."""
    if timeliness:
        return f"dossier.timeliness.{timeliness}"
    if progress:
        return f"dossier.progress.{progress}"
    return None


def is_late(timeliness: str | None, progress: str | None) -> bool:
    """Finished late, or open past its due date: listed first, written in capitals."""
    return timeliness == "late" or progress == "overdue"


PartyKind = Literal["person", "organisation"]
IdType = Literal["cccd", "cmnd", "passport", "tax"]
ResultDelivery = Literal["desk", "post"]


@dataclass(frozen=True)
class Party(JsonView):
    """The applicant (người/tổ chức có hồ sơ) or the person who submitted it for them."""

    kind: PartyKind
    name: str
    id_type: IdType | None = None
    id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class DocumentLine(JsonView):
    """One document of the dossier with how many of each kind were handed in."""

    name: str
    originals: int = 0
    """Bản chính."""
    certified: int = 0
    """Bản sao có chứng thực."""
    copies: int = 0
    """Bản sao / photo."""


@dataclass(frozen=True)
class ReceiveForm(JsonView):
    """What the clerk typed to receive a dossier. ``None`` fields take the procedure's values."""

    procedure_code: str
    applicant: Party
    submitter: Party | None = None
    documents: tuple[DocumentLine, ...] | None = None
    sets: int = 1
    channel: int = CHANNEL_IN_PERSON
    result_delivery: ResultDelivery = "desk"
    result_address: str = ""
    fee: int | None = None
    note: str = ""


@dataclass(frozen=True)
class HandoverView(JsonView):
    """One hand-over step (liên thông): never overwritten; a result closes it."""

    position: int
    from_unit: str
    to_unit: str
    handed_at: datetime
    due_at: datetime | None
    result_at: datetime | None
    result: str
    note: str
    timeliness: Timeliness | None
    """Of this step once it has a result: ``result_at`` against ``due_at``."""
    progress: Progress | None
    """Of this step while it waits for its result: now against ``due_at``."""
    user: str
    """Full name of the clerk who recorded the hand-over."""


@dataclass(frozen=True)
class NoticeView(JsonView):
    """A form issued for the dossier after receipt: Mẫu 02 (supplement), 03 (refusal),
    04 (apology and new date)."""

    form: str
    """Form code in the form set, e.g. "02"."""
    number: str
    """As printed after "Số:", e.g. "15/HDHS"."""
    created_at: datetime
    reason: str
    missing: tuple[DocumentLine, ...] = ()
    new_due_at: datetime | None = None
    user: str = ""


@dataclass(frozen=True)
class DossierView(JsonView):
    """A dossier as the counter and the forms see it (contains personal data)."""

    id: int
    code: str
    """Mã hồ sơ ``<agency e-ID>-<YYMMDD>-<NNNN>``."""
    secret: str
    """Short lookup secret (mã tra cứu) printed on the slip."""
    centre: str
    centre_name: str
    agency: str
    """Supervising agency (cơ quan chủ quản), header of the forms."""
    agency_eid: str
    place: str
    """Place name for "<place>, ngày … tháng … năm …"."""
    procedure_code: str
    procedure_name: str
    procedure_name_en: str
    procedure_version: int
    processing_days: float | None
    processing_hours: float | None
    cutoff: str | None
    fee: int
    fee_note: str
    status: int
    channel: int
    applicant: Party
    submitter: Party | None
    documents: tuple[DocumentLine, ...]
    sets: int
    result_delivery: ResultDelivery
    result_address: str
    received_at: datetime
    due_at: datetime
    """Legal due date from the working calendar, fixed at receipt."""
    appointment_at: datetime
    """Date the citizen is told to come back: ``due_at`` unless a Mẫu 04 set a new one."""
    result_ready_at: datetime | None
    returned_at: datetime | None
    timeliness: Timeliness | None
    """Of the whole dossier, once the result is ready (final)."""
    progress: Progress | None
    """Of the whole dossier while it is open (statuses 2, 4, 5, 6), as of now."""
    received_by: str
    """Full name of the receiving clerk."""
    counter: int | None
    ticket_id: int | None
    register_no: int
    """Number in the tracking book (Sổ theo dõi hồ sơ) = NNNN of the code."""
    register_volume: str
    """Volume of the tracking book ("Quyển số"), e.g. "2026"."""
    note: str = ""
    handovers: tuple[HandoverView, ...] = ()
    notices: tuple[NoticeView, ...] = ()


@dataclass(frozen=True)
class DossierRow(JsonView):
    """A line of the dossier list at the counter (no address, phone, e-mail or ID number)."""

    code: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    status: int
    received_at: datetime
    due_at: datetime
    appointment_at: datetime
    timeliness: Timeliness | None
    late: bool
    """Finished late or open past its due date."""
    progress: Progress | None = None


@dataclass(frozen=True)
class BookRow(JsonView):
    """A line of the tracking book (Mẫu 06 Sổ theo dõi hồ sơ)."""

    register_no: int
    code: str
    procedure_name: str
    sets: int
    applicant_name: str
    applicant_contact: str
    """Address and phone."""
    lead_unit: str
    received_at: datetime
    due_at: datetime
    sent_at: datetime | None
    result_back_at: datetime | None
    returned_at: datetime | None
    note: str
    timeliness: Timeliness | None = None
    progress: Progress | None = None
    """As of the moment the book was read (see :func:`standing_key`)."""


@dataclass(frozen=True)
class DossierPublicView(JsonView):
    """What the kiosk shows after a correct code and secret: nothing personal but a mask."""

    code: str
    procedure_name: str
    procedure_name_en: str
    status: int
    received_at: datetime
    due_at: datetime
    appointment_at: datetime
    timeliness: Timeliness | None
    next_step: str
    """Translation key of what the citizen must do next (``dossier.next.<…>``)."""
    applicant_masked: str
    """"Nguyễn Văn An" → "N*** V*** A**"."""
    result_delivery: ResultDelivery = "desk"
    missing: tuple[DocumentLine, ...] = field(default=())
    """Documents to supply when the status is 5 (supplement requested)."""
    progress: Progress | None = None


@dataclass(frozen=True)
class CalendarYear(JsonView):
    """``motcua calendar show YEAR --json``: every non-weekend day off and worked weekend day."""

    year: int
    off: tuple[dict[str, str], ...]
    """``{"date": "2026-04-27", "reason": "…"}``, sorted by date."""
    work: tuple[date, ...]
    confirmed: bool
