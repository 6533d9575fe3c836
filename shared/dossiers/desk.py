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
* **Notices** Mẫu 02 (supplement), 03 (refusal) and 04 (new return date) are numbered per
  centre, form and year (:data:`NOTICE_SUFFIXES`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any, Final, TypeVar

from sqlalchemy import Date, and_, bindparam, case, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared import events
from shared.clock import ensure_aware, local_day, utcnow, zone
from shared.codes import DossierToken, decode, new_secret
from shared.db import Database
from shared.dossier_views import (
    ACCEPTED,
    CHANNEL_ONLINE,
    PROCESSING,
    REFUSED,
    RESULT_READY,
    RETURNED,
    STATUS_KEYS,
    STATUSES,
    SUBMITTED,
    SUPPLEMENT,
    BookRow,
    DocumentLine,
    DossierRow,
    DossierView,
    HandoverView,
    NoticeView,
    Party,
    ReceiveForm,
    is_late,
)
from shared.dossiers.book import BOOK_SEQ, book_entries, book_row
from shared.dossiers.common import (
    CODE_PATTERN,
    HANDOVER_STATUSES,
    OPEN_STATUSES,
    TRANSITIONS,
    clean,
    document_lines,
    normalise_code,
    standing,
)
from shared.dossiers.validation import (
    check_lines,
    clean_line,
    clean_party,
    validate_form,
)
from shared.errors import (
    DossierConfigError,
    DossierError,
    DossierInvalid,
    DossierSecretMismatch,
    DossierStepRefused,
    DossierTransitionRefused,
    MalformedCode,
    UnknownCounter,
    UnknownDossier,
    UnknownProcedure,
    UnknownTicket,
)
from shared.i18n import fold, nfc, tr
from shared.idnumbers import mask_name
from shared.models import (
    Centre,
    Counter,
    Dossier,
    DossierDocument,
    DossierHandover,
    DossierNotice,
    DossierParty,
    Procedure,
    Ticket,
    User,
)
from shared.queue import resolve_centre
from shared.workcal import WorkCalendar, WorkingHours, load_calendar

__all__ = ["NOTICE_SUFFIXES", "DossierDesk"]

T = TypeVar("T")

NOTICE_SUFFIXES: Final = {"02": "HDHS", "03": "TCHS", "04": "XLHS"}
""""Số: <n>/<suffix>" of the notices: Mẫu 02 (…/HDHS as in the circular), 03 and 04."""

_CODE_SEQ = text(
    "INSERT INTO dossier_sequences (agency_eid, period, last_seq) VALUES (:eid, :period, 1)"
    " ON CONFLICT (agency_eid, period) DO UPDATE SET last_seq = dossier_sequences.last_seq + 1"
    " RETURNING last_seq"
).bindparams(bindparam("period", type_=Date()))

_NOTICE_SEQ = text(
    "INSERT INTO notice_sequences (centre_id, form, year, last_seq)"
    " VALUES (:centre_id, :form, :year, 1)"
    " ON CONFLICT (centre_id, form, year)"
    " DO UPDATE SET last_seq = notice_sequences.last_seq + 1"
    " RETURNING last_seq"
)
"""The next number of a notice form (or of the tracking book, :data:`BOOK_SEQ`) for a centre
and year."""


def _status_name(status: int) -> str:
    return tr(STATUS_KEYS[status]) if status in STATUS_KEYS else str(status)


def _line_json(line: DocumentLine) -> dict[str, Any]:
    return {
        "name": line.name,
        "originals": line.originals,
        "certified": line.certified,
        "copies": line.copies,
    }


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
        return validate_form(form)

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
        applicant = clean_party(form.applicant)
        submitter = clean_party(form.submitter) if form.submitter is not None else None

        def work(s: Session) -> DossierView:
            centre = self._centre(s)
            if request_id:
                existing = s.scalar(select(Dossier).where(Dossier.request_id == request_id))
                if existing is not None:
                    return self._view(s, existing, moment)
            procedure = s.scalar(
                select(Procedure).where(
                    Procedure.centre_id == centre.id,
                    Procedure.code == clean(form.procedure_code),
                    Procedure.active.is_(True),
                )
            )
            if procedure is None:
                raise UnknownProcedure(code=clean(form.procedure_code))
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
                tuple(clean_line(d) for d in form.documents)
                if form.documents is not None
                else document_lines(procedure.documents)
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
                result_address=clean(form.result_address or ""),
                note=clean(form.note or ""),
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
        timeliness, progress = standing(d, cal, now)
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
        timeliness, progress = standing(d, cal, now)
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
                missing=document_lines(n.missing or []),
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
        note = clean(note)
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
        target = clean(to_unit)
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
            source = clean(from_unit or "") or (
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
                    note=clean(note),
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
            step.result = clean(result)
            if clean(note):
                step.note = f"{step.note}\n{clean(note)}" if step.note else clean(note)
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
                reason=clean(reason),
                missing=[_line_json(clean_line(m)) for m in missing],
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
        check_lines(missing)

        def change(s: Session, d: Dossier, c: Centre, cal: WorkCalendar, now: datetime) -> None:
            self._move(d, SUPPLEMENT, now, cal)
            self._notice(s, d, "02", now, c.timezone, reason, missing=missing)

        return self._change(code, "dossier.supplement_requested", change, now)

    def refuse(self, code: str, reason: str, *, now: datetime | None = None) -> DossierView:
        """Refuse the dossier (status 3) with a Mẫu 03 notice."""
        if not clean(reason):
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
        if not clean(reason):
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
            entries = book_entries(s, centre.id, date_from, date_to)
            cal = self._calendar(s)
            rows = [book_row(d, p, step, cal, moment) for d, p, step in entries]
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
