"""The dossier desk (bộ phận một cửa): receiving dossiers, following them, returning results.

Each public method of :class:`DossierDesk` is one use case: one transaction (:meth:`Database.run`)
that returns plain data (:mod:`shared.dossier_views`) or raises a typed error
(:class:`shared.errors.DossierError`), and appends its event last.

* **Codes** ``<agency e-ID>-<YYMMDD>-<NNNN>`` are numbered like tickets: an atomic upsert of the
  (agency e-ID, local receipt day) row of ``dossier_sequences`` (``INSERT … ON CONFLICT DO
  UPDATE … RETURNING``), backed by a unique constraint, so concurrent counters on SQLite or
  PostgreSQL never share or skip a number.
* **The procedure is copied** into the dossier at receipt (version, deadline, cut-off, fee,
  documents): a later catalogue edit never moves an old due date.
* **Statuses** follow the national portal (1–10) and :data:`TRANSITIONS`; "returned" (10) is
  reached only through :meth:`DossierDesk.return_result`.
* **Online dossiers** start at 1 (:meth:`DossierDesk.register`) with a *provisional* due date;
  :meth:`DossierDesk.accept` (1 → 2) starts the legal clock: the receipt time becomes the
  acceptance time and the due date is computed again from it. Until then no deadline runs.
* **Personal data** (names, ID numbers, addresses, phones, e-mails) stays in the dossier tables.
  Events carry the code and status only; reading a dossier with its personal data
  (:meth:`DossierDesk.show`) is itself an event with the clerk's id.
* **Kiosk lookup** (:func:`lookup`, :func:`lookup_scan`) needs the code and its secret; whatever
  is wrong, the answer is the same :class:`LookupRefused`, and repeated wrong attempts for one
  code (existing or not) are slowed down through ``dossier_lookup_guards``, shared by every kiosk.
"""

from __future__ import annotations

import csv
import math
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Final, TypeVar

from sqlalchemy import Date, and_, bindparam, case, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared import events
from shared.clock import ensure_aware, local_day, utcnow, zone
from shared.codes import DossierToken, decode, new_secret
from shared.db import Database
from shared.dossier_views import (
    ACCEPTED,
    CHANNEL_ONLINE,
    CHANNELS,
    FEES_DUE,
    PROCESSING,
    REFUSED,
    RESULT_READY,
    RETURNED,
    STATUS_KEYS,
    STATUSES,
    STOPPED,
    SUBMITTED,
    SUPPLEMENT,
    WITHDRAWN,
    BookRow,
    DocumentLine,
    DossierPublicView,
    DossierRow,
    DossierView,
    HandoverView,
    NoticeView,
    Party,
    Progress,
    ReceiveForm,
    Timeliness,
    is_late,
    standing_key,
)
from shared.errors import (
    CodeError,
    DossierConfigError,
    DossierError,
    DossierInvalid,
    DossierSecretMismatch,
    DossierStepRefused,
    DossierTransitionRefused,
    LookupRefused,
    LookupSlowDown,
    MalformedCode,
    UnknownCounter,
    UnknownDossier,
    UnknownProcedure,
    UnknownTicket,
)
from shared.i18n import fold, nfc, tr
from shared.idnumbers import (
    ID_TYPES,
    check_email,
    check_id,
    check_phone,
    mask_id,
    mask_name,
    normalise_id,
    normalise_phone,
)
from shared.models import (
    Centre,
    Counter,
    Dossier,
    DossierDocument,
    DossierHandover,
    DossierNotice,
    DossierParty,
    LookupGuard,
    Procedure,
    Ticket,
    User,
    UTCDateTime,
)
from shared.queue import resolve_centre
from shared.workcal import WorkCalendar, WorkingHours, load_calendar

__all__ = [
    "CODE_PATTERN",
    "FINAL_STATUSES",
    "HANDOVER_STATUSES",
    "NEXT_STEP_KEYS",
    "OPEN_STATUSES",
    "TRANSITIONS",
    "DossierDesk",
    "book_csv",
    "lookup",
    "lookup_scan",
    "mask_id",
    "mask_name",
]

T = TypeVar("T")

TRANSITIONS: Final[dict[int, frozenset[int]]] = {
    SUBMITTED: frozenset({ACCEPTED, REFUSED, WITHDRAWN}),
    ACCEPTED: frozenset(
        {PROCESSING, SUPPLEMENT, FEES_DUE, RESULT_READY, REFUSED, WITHDRAWN, STOPPED}
    ),
    PROCESSING: frozenset({SUPPLEMENT, FEES_DUE, RESULT_READY, WITHDRAWN, STOPPED}),
    SUPPLEMENT: frozenset({PROCESSING, WITHDRAWN, STOPPED}),
    FEES_DUE: frozenset({PROCESSING, RESULT_READY, WITHDRAWN, STOPPED}),
    RESULT_READY: frozenset({RETURNED}),
    REFUSED: frozenset(),
    WITHDRAWN: frozenset(),
    STOPPED: frozenset(),
    RETURNED: frozenset(),
}
"""Allowed status changes (national portal codes). 3, 7, 8 and 10 are final; 10 only through
:meth:`DossierDesk.return_result`; 5 → 4 when the citizen brought what was missing."""

FINAL_STATUSES: Final = frozenset(s for s, targets in TRANSITIONS.items() if not targets)
OPEN_STATUSES: Final = frozenset({ACCEPTED, PROCESSING, SUPPLEMENT, FEES_DUE})
"""Accepted and not yet processed: the deadline runs. Not 1 (submitted online): its legal clock
starts only when the centre accepts it, so it is never late and cannot be rescheduled."""
HANDOVER_STATUSES: Final = frozenset({ACCEPTED, PROCESSING, FEES_DUE})

NEXT_STEP_KEYS: Final[dict[int, str]] = {
    SUBMITTED: "dossier.next.accept",
    ACCEPTED: "dossier.next.wait",
    PROCESSING: "dossier.next.wait",
    SUPPLEMENT: "dossier.next.supplement",
    FEES_DUE: "dossier.next.pay",
    RESULT_READY: "dossier.next.collect",
    REFUSED: "dossier.next.none",
    WITHDRAWN: "dossier.next.none",
    STOPPED: "dossier.next.none",
    RETURNED: "dossier.next.none",
}
"""What the citizen must do next, per status (translation keys shown by the kiosk)."""

NOTICE_SUFFIXES: Final = {"02": "HDHS", "03": "TCHS", "04": "XLHS"}
""""Số: <n>/<suffix>" of the notices: Mẫu 02 (…/HDHS as in the circular), 03 and 04."""

CODE_PATTERN: Final = re.compile(
    r"[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}-[0-9]{6}-[0-9]{4,6}"
)
"""A dossier code as :mod:`shared.codes` accepts it in a D1 token."""

FREE_ATTEMPTS: Final = 3
"""Wrong kiosk lookups of one code allowed before each further one costs a wait."""
FIRST_WAIT_S: Final = 5
MAX_WAIT_S: Final = 900
FORGET_AFTER: Final = timedelta(hours=24)
"""Wrong attempts older than this (since the last one) are forgotten."""

MAX_NAME = 255
MAX_TEXT = 2000

_CODE_SEQ = text(
    "INSERT INTO dossier_sequences (agency_eid, period, last_seq) VALUES (:eid, :period, 1)"
    " ON CONFLICT (agency_eid, period) DO UPDATE SET last_seq = dossier_sequences.last_seq + 1"
    " RETURNING last_seq"
).bindparams(bindparam("period", type_=Date()))

BOOK_SEQ: Final = "book"
"""Key of the tracking book's running number in ``notice_sequences`` (per centre and year)."""

_NOTICE_SEQ = text(
    "INSERT INTO notice_sequences (centre_id, form, year, last_seq)"
    " VALUES (:centre_id, :form, :year, 1)"
    " ON CONFLICT (centre_id, form, year)"
    " DO UPDATE SET last_seq = notice_sequences.last_seq + 1"
    " RETURNING last_seq"
)


def _status_name(status: int) -> str:
    return tr(STATUS_KEYS[status]) if status in STATUS_KEYS else str(status)


def normalise_code(code: str) -> str:
    """A typed dossier code as stored: NFC, no surrounding blanks, upper case."""
    return nfc(code).strip().upper()


def _clean(value: str) -> str:
    return nfc(value).strip()


def _document_lines(documents: Iterable[dict[str, Any]]) -> tuple[DocumentLine, ...]:
    return tuple(
        DocumentLine(
            name=str(doc.get("name", "")),
            originals=int(doc.get("original", doc.get("originals", 0)) or 0),
            certified=int(doc.get("certified_copy", doc.get("certified", 0)) or 0),
            copies=int(doc.get("copy", doc.get("copies", 0)) or 0),
        )
        for doc in documents
    )


def _line_json(line: DocumentLine) -> dict[str, Any]:
    return {
        "name": line.name,
        "originals": line.originals,
        "certified": line.certified,
        "copies": line.copies,
    }


def _standing(
    d: Dossier, cal: WorkCalendar, now: datetime
) -> tuple[Timeliness | None, Progress | None]:
    """(timeliness, progress): the final timeliness once the result is ready; the progress as
    of ``now`` while the dossier is open; neither for one whose clock never ran or stopped."""
    if d.timeliness is not None:
        return d.timeliness, None  # type: ignore[return-value]
    if d.status in OPEN_STATUSES:
        return None, cal.progress(now, d.due_at)
    return None, None


class DossierDesk:
    """The dossier use cases of one centre (``centre=None``: the only centre in the database).

    ``user_id`` is the signed-in clerk: every event written carries it.
    """

    def __init__(
        self,
        db: Database,
        centre: str | None = None,
        user_id: int | None = None,
        *,
        hours: WorkingHours | None = None,
    ) -> None:
        self.db = db
        self.centre_code = centre or None
        self.user_id = user_id
        self.hours = hours
        """Opening hours for due dates (``[calendar]`` settings); None: the defaults."""
        self._centre_id: int | None = None

    # --- helpers ---------------------------------------------------------------------------

    def _run(self, work: Callable[[Session], T], *, readonly: bool = False) -> T:
        return self.db.run(work, readonly=readonly)

    def _centre(self, s: Session) -> Centre:
        if self._centre_id is None:
            self._centre_id = resolve_centre(s, self.centre_code).id
        return s.get_one(Centre, self._centre_id)

    def _calendar(self, s: Session) -> WorkCalendar:
        return load_calendar(s, self.hours, timezone=self._centre(s).timezone)

    def _dossier(self, s: Session, code: str, *, lock: bool = True) -> Dossier:
        centre = self._centre(s)
        stmt = select(Dossier).where(
            Dossier.code == normalise_code(code), Dossier.centre_id == centre.id
        )
        if lock and not self.db.is_sqlite:
            stmt = stmt.with_for_update()
        dossier = s.scalar(stmt)
        if dossier is None:
            raise UnknownDossier(code=normalise_code(code))
        return dossier

    def _event(self, s: Session, kind: str, d: Dossier, now: datetime) -> int:
        # Code and status only: never names, numbers, addresses or free text.
        return events.append(
            s,
            kind,
            at=now,
            centre_id=d.centre_id,
            user_id=self.user_id,
            dossier_id=d.id,
            data={"code": d.code, "status": d.status},
        )

    def _user_name(self, s: Session, user_id: int | None) -> str:
        if user_id is None:
            return ""
        user = s.get(User, user_id)
        return (user.full_name or user.username) if user is not None else ""

    def local_time(self, moment: datetime) -> datetime:
        """A naive date-time read as the centre's local time (aware ones are kept)."""
        if moment.tzinfo is not None:
            return moment

        def work(s: Session) -> str:
            return self._centre(s).timezone

        return moment.replace(tzinfo=zone(self._run(work, readonly=True)))

    # --- validation ------------------------------------------------------------------------

    def validate(self, form: ReceiveForm) -> dict[str, str]:
        """What is wrong with the form: field path → message (current language); {} if fine."""
        errors: dict[str, str] = {}

        def add(field: str, key: str) -> None:
            errors.setdefault(field, tr(key))

        if not isinstance(form.procedure_code, str) or not form.procedure_code.strip():
            add("procedure_code", "dossier.invalid.required")
        _check_party("applicant", form.applicant, add)
        if form.submitter is not None:
            _check_party("submitter", form.submitter, add)
        if not _is_int(form.sets) or not 1 <= form.sets <= 99:
            add("sets", "dossier.invalid.sets")
        if form.channel not in CHANNELS or not _is_int(form.channel):
            add("channel", "dossier.invalid.channel")
        if form.result_delivery not in ("desk", "post"):
            add("result_delivery", "dossier.invalid.delivery")
        elif form.result_delivery == "post" and not _clean(form.result_address or ""):
            add("result_address", "dossier.invalid.post_address")
        if len(form.result_address or "") > MAX_TEXT:
            add("result_address", "dossier.invalid.too_long")
        if form.fee is not None and (not _is_int(form.fee) or form.fee < 0):
            add("fee", "dossier.invalid.fee")
        if len(form.note or "") > MAX_TEXT:
            add("note", "dossier.invalid.too_long")
        for i, doc in enumerate(form.documents or ()):
            if not _clean(doc.name or ""):
                add(f"documents[{i}].name", "dossier.invalid.document_name")
            elif len(doc.name) > MAX_TEXT:
                add(f"documents[{i}].name", "dossier.invalid.too_long")
            for attr in ("originals", "certified", "copies"):
                value = getattr(doc, attr)
                if not _is_int(value) or not 0 <= value <= 99:
                    add(f"documents[{i}].{attr}", "dossier.invalid.count")
        return errors

    # --- receiving -------------------------------------------------------------------------

    def receive(
        self,
        form: ReceiveForm,
        *,
        ticket_id: int | None = None,
        counter: int | None = None,
        received_at: datetime | None = None,
        request_id: str | None = None,
    ) -> DossierView:
        """Receive a dossier (status 2): number it, fix its due date, keep the procedure.

        Raises :class:`DossierInvalid` (with every field's message), :class:`UnknownProcedure`,
        :class:`UnknownTicket`, :class:`DossierConfigError`. A repeated ``request_id`` returns
        the dossier it first made.
        """
        return self._take(
            form,
            ACCEPTED,
            "dossier.received",
            ticket_id=ticket_id,
            counter=counter,
            received_at=received_at,
            request_id=request_id,
        )

    def register(
        self,
        form: ReceiveForm,
        *,
        submitted_at: datetime | None = None,
        request_id: str | None = None,
    ) -> DossierView:
        """Register a dossier submitted online (status 1, channel 2, whatever the form says).

        It is numbered at once (the citizen follows it by its code and secret) and keeps the
        procedure as it is now. Its due date is **provisional**: what it would be if the centre
        accepted it at ``submitted_at``. The legal clock starts at :meth:`accept`, which computes
        the due date again; until then the dossier is never late. Raises like :meth:`receive`.
        """
        return self._take(
            replace(form, channel=CHANNEL_ONLINE),
            SUBMITTED,
            "dossier.registered",
            ticket_id=None,
            counter=None,
            received_at=submitted_at,
            request_id=request_id,
        )

    def _take(
        self,
        form: ReceiveForm,
        status: int,
        kind: str,
        *,
        ticket_id: int | None,
        counter: int | None,
        received_at: datetime | None,
        request_id: str | None,
    ) -> DossierView:
        problems = self.validate(form)
        if problems:
            raise DossierInvalid(problems)
        moment = ensure_aware(received_at)
        applicant = _clean_party(form.applicant)
        submitter = _clean_party(form.submitter) if form.submitter is not None else None

        def work(s: Session) -> DossierView:
            centre = self._centre(s)
            if request_id:
                existing = s.scalar(select(Dossier).where(Dossier.request_id == request_id))
                if existing is not None:
                    return self._view(s, existing, moment)
            procedure = s.scalar(
                select(Procedure).where(
                    Procedure.centre_id == centre.id,
                    Procedure.code == _clean(form.procedure_code),
                    Procedure.active.is_(True),
                )
            )
            if procedure is None:
                raise UnknownProcedure(code=_clean(form.procedure_code))
            if not centre.agency_eid:
                raise DossierConfigError(centre=centre.code)
            ticket_ref = None
            if ticket_id is not None:
                ticket_ref = s.scalar(
                    select(Ticket.id).where(Ticket.id == ticket_id, Ticket.centre_id == centre.id)
                )
                if ticket_ref is None:
                    raise UnknownTicket(ticket_id=ticket_id)
            counter_ref = None
            if counter is not None:
                counter_ref = s.scalar(
                    select(Counter.id).where(
                        Counter.centre_id == centre.id, Counter.number == counter
                    )
                )
                if counter_ref is None:
                    raise UnknownCounter(number=counter)
            cal = self._calendar(s)
            due = cal.due_at(
                moment,
                days=procedure.processing_days,
                hours=procedure.processing_hours,
                cutoff=procedure.cutoff,
            )
            day = local_day(moment, centre.timezone)
            seq = int(
                s.connection()
                .execute(_CODE_SEQ, {"eid": centre.agency_eid, "period": day})
                .scalar_one()
            )
            code = f"{centre.agency_eid}-{day:%y%m%d}-{seq:04d}"
            # The tracking book (Sổ theo dõi hồ sơ) numbers a whole year's volume per centre;
            # the code's NNNN restarts every day.
            register_no = int(
                s.connection()
                .execute(_NOTICE_SEQ, {"centre_id": centre.id, "form": BOOK_SEQ, "year": day.year})
                .scalar_one()
            )
            documents = (
                tuple(_clean_line(d) for d in form.documents)
                if form.documents is not None
                else _document_lines(procedure.documents)
            )
            dossier = Dossier(
                centre_id=centre.id,
                code=code,
                secret=new_secret(),
                agency_eid=centre.agency_eid,
                receipt_day=day,
                seq=seq,
                register_no=register_no,
                register_volume=str(day.year),
                request_id=request_id or None,
                procedure_id=procedure.id,
                procedure_code=procedure.code,
                procedure_name=procedure.name,
                procedure_name_en=procedure.name_en,
                procedure_version=procedure.version,
                processing_days=procedure.processing_days,
                processing_hours=procedure.processing_hours,
                cutoff=procedure.cutoff,
                fee=procedure.fee if form.fee is None else form.fee,
                fee_note=procedure.fee_note,
                procedure_documents=list(procedure.documents or []),
                status=status,
                channel=form.channel,
                sets=form.sets,
                result_delivery=form.result_delivery,
                result_address=_clean(form.result_address or ""),
                note=_clean(form.note or ""),
                received_at=moment,
                due_at=ensure_aware(due),
                appointment_at=ensure_aware(due),
                ticket_id=ticket_ref,
                counter_id=counter_ref,
                received_by=self.user_id,
                search_key=fold(f"{code} {procedure.code} {procedure.name} {applicant.name}"),
                applicant_masked=mask_name(applicant.name),
                updated_at=moment,
            )
            s.add(dossier)
            s.flush()
            for role, party in (("applicant", applicant), ("submitter", submitter)):
                if party is not None:
                    s.add(
                        DossierParty(
                            dossier_id=dossier.id,
                            role=role,
                            kind=party.kind,
                            name=party.name,
                            id_type=party.id_type if party.id_number else None,
                            id_number=party.id_number,
                            address=party.address,
                            phone=party.phone,
                            email=party.email,
                        )
                    )
            for position, line in enumerate(documents, 1):
                s.add(
                    DossierDocument(
                        dossier_id=dossier.id,
                        position=position,
                        name=line.name,
                        originals=line.originals,
                        certified=line.certified,
                        copies=line.copies,
                    )
                )
            s.flush()
            view = self._view(s, dossier, utcnow(), cal)
            self._event(s, kind, dossier, moment)
            return view

        try:
            return self._run(work)
        except IntegrityError:
            if not request_id:
                raise
            # The same request committed by another counter a moment ago: return that one.
            return self._by_request(request_id, moment)

    def _by_request(self, request_id: str, now: datetime) -> DossierView:
        def work(s: Session) -> DossierView:
            dossier = s.scalar(select(Dossier).where(Dossier.request_id == request_id))
            if dossier is None:
                raise UnknownDossier(code=request_id)
            return self._view(s, dossier, now)

        return self._run(work, readonly=True)

    # --- reading ---------------------------------------------------------------------------

    def show(self, code: str, *, now: datetime | None = None) -> DossierView:
        """The whole dossier with its personal data; the reading is an event with the user id."""
        moment = ensure_aware(now)

        def work(s: Session) -> DossierView:
            dossier = self._dossier(s, code, lock=False)
            view = self._view(s, dossier, moment)
            self._event(s, "dossier.viewed", dossier, moment)
            return view

        return self._run(work)

    def row(self, code: str, *, now: datetime | None = None) -> DossierRow:
        """One list line (no address, phone, e-mail or ID number); not logged as a reading."""
        moment = ensure_aware(now)

        def work(s: Session) -> DossierRow:
            dossier = self._dossier(s, code, lock=False)
            name = s.scalar(
                select(DossierParty.name).where(
                    DossierParty.dossier_id == dossier.id, DossierParty.role == "applicant"
                )
            )
            return self._row(dossier, name or "", self._calendar(s), moment)

        return self._run(work, readonly=True)

    @staticmethod
    def _row(d: Dossier, name: str, cal: WorkCalendar | None, now: datetime) -> DossierRow:
        timeliness, progress = _standing(d, cal, now)
        return DossierRow(
            code=d.code,
            procedure_code=d.procedure_code,
            procedure_name=d.procedure_name,
            applicant_name=name,
            status=d.status,
            received_at=d.received_at,
            due_at=d.due_at,
            appointment_at=d.appointment_at,
            timeliness=timeliness,
            late=is_late(timeliness, progress),
            progress=progress,
        )

    def _view(
        self, s: Session, d: Dossier, now: datetime, cal: WorkCalendar | None = None
    ) -> DossierView:
        centre = s.get_one(Centre, d.centre_id)
        if cal is None:
            cal = self._calendar(s)
        timeliness, progress = _standing(d, cal, now)
        parties = {
            p.role: Party(
                kind=p.kind,  # type: ignore[arg-type]
                name=p.name,
                id_type=p.id_type,  # type: ignore[arg-type]
                id_number=p.id_number,
                address=p.address,
                phone=p.phone,
                email=p.email,
            )
            for p in s.scalars(select(DossierParty).where(DossierParty.dossier_id == d.id))
        }
        documents = tuple(
            DocumentLine(doc.name, doc.originals, doc.certified, doc.copies)
            for doc in s.scalars(
                select(DossierDocument)
                .where(DossierDocument.dossier_id == d.id)
                .order_by(DossierDocument.position)
            )
        )
        names: dict[int | None, str] = {}

        def user(user_id: int | None) -> str:
            if user_id not in names:
                names[user_id] = self._user_name(s, user_id)
            return names[user_id]

        handovers = tuple(
            HandoverView(
                position=h.position,
                from_unit=h.from_unit,
                to_unit=h.to_unit,
                handed_at=h.handed_at,
                due_at=h.due_at,
                result_at=h.result_at,
                result=h.result,
                note=h.note,
                timeliness=(
                    cal.timeliness(h.result_at, h.due_at)
                    if h.due_at is not None and h.result_at is not None
                    else None
                ),
                progress=(
                    cal.progress(now, h.due_at)
                    if h.due_at is not None and h.result_at is None
                    else None
                ),
                user=user(h.user_id),
            )
            for h in s.scalars(
                select(DossierHandover)
                .where(DossierHandover.dossier_id == d.id)
                .order_by(DossierHandover.position)
            )
        )
        notices = tuple(
            NoticeView(
                form=n.form,
                number=n.number,
                created_at=n.created_at,
                reason=n.reason,
                missing=_document_lines(n.missing or []),
                new_due_at=n.new_due_at,
                user=user(n.user_id),
            )
            for n in s.scalars(
                select(DossierNotice)
                .where(DossierNotice.dossier_id == d.id)
                .order_by(DossierNotice.id)
            )
        )
        counter = s.get(Counter, d.counter_id) if d.counter_id is not None else None
        return DossierView(
            id=d.id,
            code=d.code,
            secret=d.secret,
            centre=centre.code,
            centre_name=centre.name,
            agency=centre.agency,
            agency_eid=d.agency_eid,
            place=centre.place,
            procedure_code=d.procedure_code,
            procedure_name=d.procedure_name,
            procedure_name_en=d.procedure_name_en,
            procedure_version=d.procedure_version,
            processing_days=d.processing_days,
            processing_hours=d.processing_hours,
            cutoff=d.cutoff,
            fee=d.fee,
            fee_note=d.fee_note,
            status=d.status,
            channel=d.channel,
            applicant=parties["applicant"],
            submitter=parties.get("submitter"),
            documents=documents,
            sets=d.sets,
            result_delivery=d.result_delivery,  # type: ignore[arg-type]
            result_address=d.result_address,
            received_at=d.received_at,
            due_at=d.due_at,
            appointment_at=d.appointment_at,
            result_ready_at=d.result_ready_at,
            returned_at=d.returned_at,
            timeliness=timeliness,
            progress=progress,
            received_by=user(d.received_by),
            counter=counter.number if counter is not None else None,
            ticket_id=d.ticket_id,
            register_no=d.register_no,
            register_volume=d.register_volume,
            note=d.note,
            handovers=handovers,
            notices=notices,
        )

    # --- lifecycle -------------------------------------------------------------------------

    def _move(
        self, d: Dossier, target: int, now: datetime, cal: WorkCalendar | None = None
    ) -> None:
        if target not in TRANSITIONS.get(d.status, frozenset()):
            raise DossierTransitionRefused(
                code=d.code, current=_status_name(d.status), target=_status_name(target)
            )
        d.status = target
        d.updated_at = now
        if target == RESULT_READY:
            d.result_ready_at = now
            if cal is not None:
                d.timeliness = cal.timeliness(now, d.due_at)
        elif target == RETURNED:
            d.returned_at = now

    def _note(self, d: Dossier, now: datetime, tz: str, label: str, note: str) -> None:
        note = _clean(note)
        if not note:
            return
        line = f"{now.astimezone(zone(tz)):%d/%m/%Y %H:%M} – {label}: {note}"
        d.note = f"{d.note}\n{line}" if d.note else line

    def _change(
        self,
        code: str,
        kind: str,
        change: Callable[[Session, Dossier, Centre, WorkCalendar, datetime], None],
        now: datetime | None,
    ) -> DossierView:
        moment = ensure_aware(now)

        def work(s: Session) -> DossierView:
            dossier = self._dossier(s, code)
            centre = s.get_one(Centre, dossier.centre_id)
            cal = self._calendar(s)
            change(s, dossier, centre, cal, moment)
            s.flush()
            view = self._view(s, dossier, moment, cal)
            self._event(s, kind, dossier, moment)
            return view

        return self._run(work)

    def set_status(
        self, code: str, status: int, note: str = "", *, now: datetime | None = None
    ) -> DossierView:
        """Move the dossier along :data:`TRANSITIONS` (not to 10: use :meth:`return_result`)."""
        if status not in STATUSES:
            raise DossierTransitionRefused(
                code=normalise_code(code), current="?", target=str(status)
            )
        if status == RETURNED:
            raise DossierTransitionRefused("error.dossier_return_only", code=normalise_code(code))

        def change(s: Session, d: Dossier, c: Centre, cal: WorkCalendar, now: datetime) -> None:
            if d.status == SUBMITTED and status == ACCEPTED:
                self._accept(s, d, c, cal, now, None)
            else:
                self._move(d, status, now, cal)
            self._note(d, now, c.timezone, _status_name(status), note)

        return self._change(code, "dossier.status", change, now)

    def accept(
        self, code: str, *, counter: int | None = None, now: datetime | None = None
    ) -> DossierView:
        """Accept a dossier submitted online (1 → 2) at the counter: the legal clock starts.

        The receipt time becomes ``now`` (the submission time stays in the dossier's note), the
        due date and appointment are computed from it on the working calendar with the
        procedure kept at registration, and the accepting clerk (and ``counter``) become the
        receiver printed on Mẫu 01. To refuse instead: :meth:`refuse` (1 → 3, Mẫu 03).
        Raises :class:`DossierTransitionRefused` (not at 1), :class:`UnknownCounter`,
        :class:`DossierError` (``now`` before the submission).
        """

        def change(s: Session, d: Dossier, c: Centre, cal: WorkCalendar, now: datetime) -> None:
            self._accept(s, d, c, cal, now, counter)

        return self._change(code, "dossier.accepted", change, now)

    def _accept(
        self,
        s: Session,
        d: Dossier,
        c: Centre,
        cal: WorkCalendar,
        now: datetime,
        counter: int | None,
    ) -> None:
        if d.status != SUBMITTED:
            raise DossierTransitionRefused(
                code=d.code, current=_status_name(d.status), target=_status_name(ACCEPTED)
            )
        if now < d.received_at:
            raise DossierError("error.dossier_accept_early", code=d.code)
        counter_ref = None
        if counter is not None:
            counter_ref = s.scalar(
                select(Counter.id).where(Counter.centre_id == c.id, Counter.number == counter)
            )
            if counter_ref is None:
                raise UnknownCounter(number=counter)
        submitted = f"{d.received_at.astimezone(zone(c.timezone)):%d/%m/%Y %H:%M}"
        due = ensure_aware(
            cal.due_at(now, days=d.processing_days, hours=d.processing_hours, cutoff=d.cutoff)
        )
        self._move(d, ACCEPTED, now, cal)
        self._note(
            d,
            now,
            c.timezone,
            _status_name(ACCEPTED),
            tr("dossier.note.submitted_online", language="vi", when=submitted),
        )
        d.received_at = now
        d.due_at = due
        d.appointment_at = due
        if self.user_id is not None:
            d.received_by = self.user_id
        if counter_ref is not None:
            d.counter_id = counter_ref

    def log_print(self, code: str, form: str, *, ok: bool, pages: int = 0) -> int:
        """Record that a form (``"01"`` …) or the thermal slip (``"slip"``) of the dossier was
        printed, or failed to print: an event with the code, form and outcome (nothing
        personal). Returns the event id."""
        moment = ensure_aware(None)

        def work(s: Session) -> int:
            d = self._dossier(s, code, lock=False)
            return events.append(
                s,
                "dossier.printed" if ok else "dossier.print_failed",
                at=moment,
                centre_id=d.centre_id,
                user_id=self.user_id,
                dossier_id=d.id,
                data={"code": d.code, "form": str(form)[:8], "pages": int(pages)},
            )

        return self._run(work)

    def mark_ready(self, code: str, *, now: datetime | None = None) -> DossierView:
        """The result is ready (9): the dossier's timeliness is now final."""

        def change(s: Session, d: Dossier, c: Centre, cal: WorkCalendar, now: datetime) -> None:
            self._move(d, RESULT_READY, now, cal)

        return self._change(code, "dossier.ready", change, now)

    def return_result(
        self, code_or_scanned_text: str, *, now: datetime | None = None
    ) -> DossierView:
        """Hand the result over (9 → 10). Takes the typed code or the slip's scanned QR text,
        whose secret must match the dossier's (:class:`DossierSecretMismatch`)."""
        raw = nfc(code_or_scanned_text).strip()
        secret: str | None = None
        if CODE_PATTERN.fullmatch(raw.upper()):
            code = raw.upper()
        else:
            token = decode(raw)
            if not isinstance(token, DossierToken):
                raise MalformedCode(detail="không phải mã hồ sơ / not a dossier code")
            code, secret = token.code, token.secret

        def change(s: Session, d: Dossier, c: Centre, cal: WorkCalendar, now: datetime) -> None:
            if secret is not None and not secrets.compare_digest(
                secret.encode("ascii"), d.secret.encode("ascii")
            ):
                raise DossierSecretMismatch()
            self._move(d, RETURNED, now, cal)

        return self._change(code, "dossier.returned", change, now)

    def hand_over(
        self,
        code: str,
        to_unit: str,
        *,
        from_unit: str | None = None,
        days: float | None = None,
        note: str = "",
        now: datetime | None = None,
    ) -> DossierView:
        """Add a hand-over step (liên thông) to ``to_unit``, due ``days`` working days from now
        (default: the dossier's due date). The previous open step closes now; a received
        dossier (2) starts processing (4)."""
        target = _clean(to_unit)
        if not target:
            raise DossierInvalid({"to_unit": tr("dossier.invalid.required")})
        if days is not None and not 0 <= days <= 3650:
            raise DossierInvalid({"days": tr("dossier.invalid.days")})

        def change(s: Session, d: Dossier, c: Centre, cal: WorkCalendar, now: datetime) -> None:
            if d.status not in HANDOVER_STATUSES:
                raise DossierTransitionRefused(
                    code=d.code, current=_status_name(d.status), target=_status_name(PROCESSING)
                )
            steps = list(
                s.scalars(
                    select(DossierHandover)
                    .where(DossierHandover.dossier_id == d.id)
                    .order_by(DossierHandover.position)
                )
            )
            for step in steps:
                if step.result_at is None:
                    step.result_at = now
                    step.result = tr("dossier.step.handed_over", language="vi")
            source = _clean(from_unit or "") or (
                steps[-1].to_unit if steps else tr("dossier.desk", language="vi")
            )
            due = (
                cal.due_at(now, days=days, hours=None, cutoff=None)
                if days is not None
                else d.appointment_at
            )
            s.add(
                DossierHandover(
                    dossier_id=d.id,
                    position=len(steps) + 1,
                    from_unit=source,
                    to_unit=target,
                    handed_at=now,
                    due_at=due,
                    result_at=None,
                    result="",
                    note=_clean(note),
                    user_id=self.user_id,
                )
            )
            if d.status == ACCEPTED:
                self._move(d, PROCESSING, now, cal)
            d.updated_at = now

        return self._change(code, "dossier.handed_over", change, now)

    def record_step_result(
        self, code: str, position: int, result: str, note: str = "", *, now: datetime | None = None
    ) -> DossierView:
        """Close an open hand-over step with its result (written once, never changed)."""

        def change(s: Session, d: Dossier, c: Centre, cal: WorkCalendar, now: datetime) -> None:
            step = s.scalar(
                select(DossierHandover).where(
                    DossierHandover.dossier_id == d.id, DossierHandover.position == position
                )
            )
            if step is None or step.result_at is not None:
                raise DossierStepRefused(code=d.code, position=position)
            step.result_at = now
            step.result = _clean(result)
            if _clean(note):
                step.note = f"{step.note}\n{_clean(note)}" if step.note else _clean(note)
            d.updated_at = now

        return self._change(code, "dossier.step_result", change, now)

    def _notice(
        self,
        s: Session,
        d: Dossier,
        form: str,
        now: datetime,
        tz: str,
        reason: str,
        *,
        missing: tuple[DocumentLine, ...] = (),
        new_due_at: datetime | None = None,
    ) -> None:
        year = now.astimezone(zone(tz)).year
        seq = int(
            s.connection()
            .execute(_NOTICE_SEQ, {"centre_id": d.centre_id, "form": form, "year": year})
            .scalar_one()
        )
        s.add(
            DossierNotice(
                dossier_id=d.id,
                centre_id=d.centre_id,
                form=form,
                year=year,
                seq=seq,
                number=f"{seq}/{NOTICE_SUFFIXES[form]}",
                created_at=now,
                reason=_clean(reason),
                missing=[_line_json(_clean_line(m)) for m in missing],
                old_due_at=d.appointment_at,
                new_due_at=new_due_at,
                user_id=self.user_id,
            )
        )

    def request_supplement(
        self,
        code: str,
        missing: tuple[DocumentLine, ...],
        reason: str,
        *,
        now: datetime | None = None,
    ) -> DossierView:
        """Ask for missing documents (status 5) with a Mẫu 02 notice."""
        self._check_lines(missing)

        def change(s: Session, d: Dossier, c: Centre, cal: WorkCalendar, now: datetime) -> None:
            self._move(d, SUPPLEMENT, now, cal)
            self._notice(s, d, "02", now, c.timezone, reason, missing=missing)

        return self._change(code, "dossier.supplement_requested", change, now)

    def refuse(self, code: str, reason: str, *, now: datetime | None = None) -> DossierView:
        """Refuse the dossier (status 3) with a Mẫu 03 notice."""
        if not _clean(reason):
            raise DossierInvalid({"reason": tr("dossier.invalid.required")})

        def change(s: Session, d: Dossier, c: Centre, cal: WorkCalendar, now: datetime) -> None:
            self._move(d, REFUSED, now, cal)
            self._notice(s, d, "03", now, c.timezone, reason)

        return self._change(code, "dossier.refused", change, now)

    def reschedule(
        self, code: str, new_due_at: datetime, reason: str, *, now: datetime | None = None
    ) -> DossierView:
        """Apologise and give a new return date (Mẫu 04). The legal due date stays: timeliness
        is still measured against it."""
        new_date = ensure_aware(new_due_at)
        if not _clean(reason):
            raise DossierInvalid({"reason": tr("dossier.invalid.required")})

        def change(s: Session, d: Dossier, c: Centre, cal: WorkCalendar, now: datetime) -> None:
            if d.status not in OPEN_STATUSES:
                raise DossierTransitionRefused(
                    code=d.code, current=_status_name(d.status), target=_status_name(d.status)
                )
            if new_date <= d.appointment_at:
                raise DossierError(
                    "error.dossier_reschedule",
                    current=f"{d.appointment_at.astimezone(zone(c.timezone)):%d/%m/%Y %H:%M}",
                )
            self._notice(s, d, "04", now, c.timezone, reason, new_due_at=new_date)
            d.appointment_at = new_date
            d.updated_at = now

        return self._change(code, "dossier.rescheduled", change, now)

    @staticmethod
    def _check_lines(lines: Iterable[DocumentLine]) -> None:
        problems: dict[str, str] = {}
        for i, doc in enumerate(lines):
            if not _clean(doc.name or ""):
                problems[f"missing[{i}].name"] = tr("dossier.invalid.document_name")
            for attr in ("originals", "certified", "copies"):
                value = getattr(doc, attr)
                if not _is_int(value) or not 0 <= value <= 99:
                    problems[f"missing[{i}].{attr}"] = tr("dossier.invalid.count")
        if problems:
            raise DossierInvalid(problems)

    # --- lists -----------------------------------------------------------------------------

    def search(
        self,
        text: str = "",
        status: int | None = None,
        limit: int = 200,
        *,
        now: datetime | None = None,
    ) -> list[DossierRow]:
        """Dossiers whose code, procedure or applicant name contain every word of ``text``
        (tone marks and case ignored), late ones first, then by due date."""
        moment = ensure_aware(now)

        def work(s: Session) -> list[DossierRow]:
            centre = self._centre(s)
            late = or_(
                Dossier.timeliness == "late",
                and_(
                    Dossier.result_ready_at.is_(None),
                    Dossier.status.in_(sorted(OPEN_STATUSES)),
                    Dossier.due_at < moment,
                ),
            )
            stmt = (
                select(Dossier, DossierParty.name)
                .join(
                    DossierParty,
                    and_(DossierParty.dossier_id == Dossier.id, DossierParty.role == "applicant"),
                )
                .where(Dossier.centre_id == centre.id)
            )
            if status is not None:
                stmt = stmt.where(Dossier.status == status)
            for word in fold(text).split():
                escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                stmt = stmt.where(Dossier.search_key.like(f"%{escaped}%", escape="\\"))
            stmt = stmt.order_by(case((late, 0), else_=1), Dossier.due_at, Dossier.id).limit(
                max(1, limit)
            )
            cal = self._calendar(s)
            return [self._row(d, name, cal, moment) for d, name in s.execute(stmt).all()]

        return self._run(work, readonly=True)

    def tracking_book(
        self, date_from: date, date_to: date, *, now: datetime | None = None
    ) -> list[BookRow]:
        """Mẫu 06 Sổ theo dõi hồ sơ: dossiers received on those local days, in book order.

        The book holds addresses and phones: reading it is an event (dates and count only).
        """
        moment = ensure_aware(now)

        def work(s: Session) -> list[BookRow]:
            centre = self._centre(s)
            dossiers = list(
                s.scalars(
                    select(Dossier)
                    .where(
                        Dossier.centre_id == centre.id,
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
            rows = []
            cal = self._calendar(s)
            for d in dossiers:
                p = parties.get(d.id)
                step = first_steps.get(d.id)
                timeliness, progress = _standing(d, cal, moment)
                contact = ", ".join(x for x in ((p.address, p.phone) if p else ()) if x)
                rows.append(
                    BookRow(
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
                )
            events.append(
                s,
                "dossier.book_read",
                at=moment,
                centre_id=centre.id,
                user_id=self.user_id,
                data={"from": date_from.isoformat(), "to": date_to.isoformat(), "rows": len(rows)},
            )
            return rows

        return self._run(work)

    def timezone(self) -> str:
        """The centre's time zone name (for printing local times)."""

        def work(s: Session) -> str:
            return self._centre(s).timezone

        return self._run(work, readonly=True)


# --- the tracking book as CSV ------------------------------------------------------------------

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


# --- kiosk lookup ------------------------------------------------------------------------------


def wait_after(failures: int) -> int:
    """Seconds a code is locked after its ``failures``-th wrong attempt: none for the first
    :data:`FREE_ATTEMPTS`, then 5, 10, 20, … up to :data:`MAX_WAIT_S`."""
    if failures <= FREE_ATTEMPTS:
        return 0
    return min(MAX_WAIT_S, FIRST_WAIT_S * 2 ** (failures - FREE_ATTEMPTS - 1))


_GUARD_FAIL = text(
    "INSERT INTO dossier_lookup_guards (key, failures, last_failure_at, blocked_until)"
    " VALUES (:key, 1, :now, NULL)"
    " ON CONFLICT (key) DO UPDATE SET"
    " failures = CASE WHEN dossier_lookup_guards.last_failure_at < :stale THEN 1"
    " ELSE dossier_lookup_guards.failures + 1 END,"
    " last_failure_at = :now"
    " RETURNING failures"
)


def lookup(
    db: Database,
    code: str,
    secret: str,
    *,
    client: str = "kiosk",
    now: datetime | None = None,
) -> DossierPublicView:
    """What the kiosk shows for a dossier code and its lookup secret (nothing personal).

    Raises :class:`LookupRefused` (the same whatever was wrong) or :class:`LookupSlowDown`.
    """
    moment = ensure_aware(now)
    key = normalise_code(code if isinstance(code, str) else "")
    typed = "".join(nfc(secret if isinstance(secret, str) else "").split()).upper()
    if not CODE_PATTERN.fullmatch(key):
        _record_refusal(db, client, moment)
        raise LookupRefused()
    return _guarded_lookup(db, key, typed, client, moment)


def lookup_scan(
    db: Database, scanned_text: str, *, client: str = "kiosk", now: datetime | None = None
) -> DossierPublicView:
    """:func:`lookup` from the slip's scanned QR text; anything else → :class:`LookupRefused`."""
    moment = ensure_aware(now)
    try:
        token = decode(scanned_text)
    except (CodeError, TypeError):
        token = None
    if not isinstance(token, DossierToken):
        # Never echo what was scanned: it may be a citizen ID card's QR.
        _record_refusal(db, client, moment)
        raise LookupRefused()
    return _guarded_lookup(db, token.code, token.secret, client, moment)


def _record_refusal(db: Database, client: str, now: datetime) -> None:
    def work(s: Session) -> None:
        events.append(
            s, "dossier.lookup", at=now, data={"outcome": "refused", "client": client[:32]}
        )

    db.run(work)


def _guarded_lookup(
    db: Database, code: str, secret: str, client: str, now: datetime
) -> DossierPublicView:
    def work(s: Session) -> tuple[str, DossierPublicView | None, int]:
        guard = s.get(LookupGuard, code)
        if guard is not None and guard.blocked_until is not None and guard.blocked_until > now:
            wait = math.ceil((guard.blocked_until - now).total_seconds())
            events.append(
                s, "dossier.lookup", at=now, data={"outcome": "slowed", "client": client[:32]}
            )
            return "slowed", None, wait
        dossier = s.execute(
            select(*(getattr(Dossier, c) for c in PUBLIC_COLUMNS)).where(Dossier.code == code)
        ).first()
        ok = dossier is not None and secrets.compare_digest(
            secret.encode("utf-8"), dossier.secret.encode("utf-8")
        )
        if ok and dossier is not None:
            if guard is not None and guard.failures:
                s.execute(
                    update(LookupGuard)
                    .where(LookupGuard.key == code)
                    .values(failures=0, blocked_until=None)
                )
            view = _public_view(s, dossier, now)
            events.append(
                s,
                "dossier.lookup",
                at=now,
                centre_id=dossier.centre_id,
                dossier_id=dossier.id,
                data={
                    "outcome": "ok",
                    "client": client[:32],
                    "code": dossier.code,
                    "status": dossier.status,
                },
            )
            return "ok", view, 0
        failures = int(
            s.execute(
                _GUARD_FAIL.bindparams(
                    bindparam("now", type_=UTCDateTime()), bindparam("stale", type_=UTCDateTime())
                ),
                {"key": code, "now": now, "stale": now - FORGET_AFTER},
            ).scalar_one()
        )
        wait = wait_after(failures)
        if wait:
            s.execute(
                update(LookupGuard)
                .where(LookupGuard.key == code)
                .values(blocked_until=now + timedelta(seconds=wait))
            )
        outcome = "slowed" if wait else "refused"
        events.append(s, "dossier.lookup", at=now, data={"outcome": outcome, "client": client[:32]})
        return outcome, None, wait

    outcome, view, wait = db.run(work)
    if outcome == "ok" and view is not None:
        return view
    if outcome == "slowed":
        raise LookupSlowDown(retry_after=wait)
    raise LookupRefused()


PUBLIC_COLUMNS: Final = (
    "id",
    "centre_id",
    "code",
    "secret",
    "status",
    "procedure_name",
    "procedure_name_en",
    "received_at",
    "due_at",
    "appointment_at",
    "result_ready_at",
    "timeliness",
    "result_delivery",
    "applicant_masked",
)
"""The columns of ``dossiers`` the kiosk's lookup reads: nothing personal (``motcua db roles``
grants the kiosk these and no other)."""


def _public_view(s: Session, d: Any, now: datetime) -> DossierPublicView:
    centre = s.get_one(Centre, d.centre_id)
    missing: tuple[DocumentLine, ...] = ()
    if d.status == SUPPLEMENT:
        notice = s.scalar(
            select(DossierNotice.missing)
            .where(DossierNotice.dossier_id == d.id, DossierNotice.form == "02")
            .order_by(DossierNotice.id.desc())
            .limit(1)
        )
        if notice is not None:
            missing = _document_lines(notice or [])
    timeliness, progress = _standing(d, load_calendar(s, timezone=centre.timezone), now)
    return DossierPublicView(
        code=d.code,
        procedure_name=d.procedure_name,
        procedure_name_en=d.procedure_name_en,
        status=d.status,
        received_at=d.received_at,
        due_at=d.due_at,
        appointment_at=d.appointment_at,
        timeliness=timeliness,
        progress=progress,
        next_step=NEXT_STEP_KEYS[d.status],
        applicant_masked=d.applicant_masked,
        result_delivery=d.result_delivery,  # type: ignore[arg-type]
        missing=missing,
    )


# --- form checks -------------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_party(prefix: str, party: Party, add: Callable[[str, str], None]) -> None:
    if party.kind not in ("person", "organisation"):
        add(f"{prefix}.kind", "dossier.invalid.kind")
    name = _clean(party.name or "")
    if not name:
        add(f"{prefix}.name", "dossier.invalid.name_required")
    elif len(name) > MAX_NAME:
        add(f"{prefix}.name", "dossier.invalid.too_long")
    number = _clean(party.id_number or "")
    if number:
        if party.id_type is None:
            add(f"{prefix}.id_type", "dossier.invalid.id_type_missing")
        elif party.id_type not in ID_TYPES:
            add(f"{prefix}.id_type", "dossier.invalid.id_type")
        else:
            problem = check_id(party.id_type, number)
            if problem:
                add(f"{prefix}.id_number", problem)
    elif party.id_type is not None and party.id_type not in ID_TYPES:
        add(f"{prefix}.id_type", "dossier.invalid.id_type")
    if _clean(party.phone or ""):
        problem = check_phone(party.phone)
        if problem:
            add(f"{prefix}.phone", problem)
    if _clean(party.email or ""):
        problem = check_email(party.email)
        if problem:
            add(f"{prefix}.email", problem)
    if len(party.address or "") > MAX_TEXT:
        add(f"{prefix}.address", "dossier.invalid.too_long")


def _clean_party(party: Party) -> Party:
    number = _clean(party.id_number or "")
    return Party(
        kind=party.kind,
        name=" ".join(_clean(party.name).split()),
        id_type=party.id_type if number else None,
        id_number=normalise_id(party.id_type or "", number) if number else "",
        address=_clean(party.address or ""),
        phone=normalise_phone(party.phone) if _clean(party.phone or "") else "",
        email=_clean(party.email or ""),
    )


def _clean_line(line: DocumentLine) -> DocumentLine:
    return DocumentLine(
        name=_clean(line.name),
        originals=line.originals,
        certified=line.certified,
        copies=line.copies,
    )
