"""The queue engine: numbering tickets and handing them to counters, safely under concurrency.

Each public method of :class:`QueueEngine` is one use case: one transaction that returns plain
data (:mod:`shared.views`) or raises a typed error (:mod:`shared.errors`).

Why it is safe with many kiosks and counters on one database:

* **Numbering** is an atomic upsert of the (service, local day) row of ``ticket_sequences``
  (``INSERT … ON CONFLICT DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq``), never
  ``max + 1``; PostgreSQL locks that row until commit, SQLite runs every writing transaction as
  ``BEGIN IMMEDIATE``. A unique constraint on (origin service, local day, sequence) backs it.
* **Call next** locks the counter's row (one click at a time per counter), then takes the first
  waiting ticket in queue order with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (two counters never
  get the same row; neither waits for the other), and records the call in ``calls``, unique per
  (ticket, cycle): a ticket cannot be called twice for the same turn, whatever happens above.
  A partial unique index allows at most one current ticket per counter.
* **Idempotent issue**: a client request id is unique; a retry returns the first ticket.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared import events
from shared.clock import ensure_aware, local_day, zone
from shared.db import Database
from shared.errors import (
    CentreError,
    CounterPaused,
    CounterStateUnchanged,
    IllegalTransition,
    NumberRangeExhausted,
    RequestIdConflict,
    ServiceInactive,
    UnknownCounter,
    UnknownPriorityGroup,
    UnknownService,
    UnknownTicket,
)
from shared.i18n import tr
from shared.models import (
    ACTIVE_STATUSES,
    BAND_FRONT,
    BAND_NORMAL,
    PLACEMENTS,
    Call,
    Centre,
    Counter,
    CounterService,
    PriorityGroup,
    Service,
    Ticket,
    TicketSequence,
)
from shared.views import CounterState, QueueStatus, ServiceWaiting, TicketView

T = TypeVar("T")

NO_RESET_PERIOD = date(2000, 1, 1)
"""Sequence period of services whose numbers do not restart each day."""


def format_number(prefix: str, value: int, digits: int) -> str:
    """The number as printed: ``format_number("A", 12, 3) == "A012"``, ``("", 1023, 0)``."""
    width = digits if digits else (3 if prefix else 0)
    return f"{prefix}{value:0{width}d}" if width else f"{prefix}{value}"


@dataclass(frozen=True)
class _Transition:
    action: str
    allowed_from: tuple[str, ...]


_RECALL = _Transition("recall", ("called",))
_START = _Transition("start", ("called",))
_FINISH = _Transition("finish", ("called", "serving"))
_NO_SHOW = _Transition("no_show", ("called",))
_HOLD = _Transition("hold", ("called", "serving"))
_RESUME = _Transition("resume", ("held", "no_show"))
_CANCEL = _Transition("cancel", ("waiting", "held"))
_TRANSFER = _Transition("transfer", ("waiting", "called", "serving", "held"))


class QueueEngine:
    """The queue use cases of one centre (``centre=None``: the only centre in the database)."""

    def __init__(self, db: Database, centre: str | None = None) -> None:
        self.db = db
        self.centre_code = centre or None
        self._centre_id: int | None = None

    # --- helpers ---------------------------------------------------------------------------

    def _run(self, work: Callable[[Session], T], *, readonly: bool = False) -> T:
        return self.db.run(work, readonly=readonly)

    def _centre(self, s: Session) -> Centre:
        if self._centre_id is not None:
            centre = s.get(Centre, self._centre_id)
            if centre is not None:
                return centre
        centre = resolve_centre(s, self.centre_code)
        self._centre_id = centre.id
        return centre

    def _lock(self, stmt: Any) -> Any:
        return stmt if self.db.is_sqlite else stmt.with_for_update()

    def _service(self, s: Session, centre: Centre, code: str) -> Service:
        service = s.scalar(
            select(Service).where(Service.centre_id == centre.id, Service.code == code)
        )
        if service is None:
            raise UnknownService(code=code)
        return service

    def _counter(self, s: Session, centre: Centre, number: int, *, lock: bool = False) -> Counter:
        stmt = select(Counter).where(Counter.centre_id == centre.id, Counter.number == number)
        counter = s.scalar(self._lock(stmt) if lock else stmt)
        if counter is None or not counter.active:
            raise UnknownCounter(number=number)
        return counter

    def _ticket(self, s: Session, centre: Centre, ticket_id: int, *, lock: bool = True) -> Ticket:
        stmt = select(Ticket).where(Ticket.id == ticket_id, Ticket.centre_id == centre.id)
        ticket = s.scalar(self._lock(stmt) if lock else stmt)
        if ticket is None:
            raise UnknownTicket(ticket_id=ticket_id)
        return ticket

    def _check(self, ticket: Ticket, transition: _Transition) -> None:
        if ticket.status not in transition.allowed_from:
            raise IllegalTransition(
                action=tr(f"action.{transition.action}"),
                number=ticket.number,
                status=tr(f"status.{ticket.status}"),
            )

    def _event(
        self,
        s: Session,
        kind: str,
        centre: Centre,
        now: datetime,
        ticket: Ticket | None = None,
        counter: Counter | None = None,
        **data: Any,
    ) -> int:
        payload = dict(data)
        if ticket is not None:
            payload.setdefault("number", ticket.number)
            payload.setdefault("status", ticket.status)
        if counter is not None:
            payload.setdefault("counter", counter.number)
        return events.append(
            s,
            kind,
            at=now,
            centre_id=centre.id,
            ticket_id=ticket.id if ticket is not None else None,
            counter_id=counter.id if counter is not None else None,
            service_id=ticket.service_id if ticket is not None else None,
            data=payload,
        )

    def _view(self, s: Session, centre: Centre, ticket: Ticket) -> TicketView:
        service = s.get(Service, ticket.service_id)
        assert service is not None
        counter = s.get(Counter, ticket.counter_id) if ticket.counter_id else None
        target = s.get(Counter, ticket.target_counter_id) if ticket.target_counter_id else None
        group = s.get(PriorityGroup, ticket.priority_group_id) if ticket.priority_group_id else None
        return TicketView(
            id=ticket.id,
            number=ticket.number,
            service=service.code,
            service_name=service.name,
            service_name_en=service.name_en,
            status=ticket.status,
            priority=group.code if group else None,
            issued_at=ticket.issued_at,
            called_at=ticket.called_at,
            started_at=ticket.started_at,
            finished_at=ticket.finished_at,
            counter=counter.number if counter else None,
            target_counter=target.number if target else None,
            ahead=self._ahead(s, centre, ticket) if ticket.status == "waiting" else None,
            business_day=ticket.business_day,
            recall_count=ticket.recall_count,
            cycle=ticket.cycle,
            centre=centre.code,
        )

    # --- ordering --------------------------------------------------------------------------

    @staticmethod
    def _class_rank(centre: Centre, prefer_priority: bool) -> ColumnElement[int]:
        """0 for the class (priority or normal) that should be called first."""
        is_priority = Ticket.priority_group_id.is_not(None)
        if centre.priority_policy == "strict" or prefer_priority:
            return case((is_priority, 0), else_=1)
        return case((is_priority, 1), else_=0)

    def _ahead(self, s: Session, centre: Centre, ticket: Ticket) -> int:
        """People waiting ahead: those a counter serving this queue would call first."""
        if centre.priority_policy == "strict":
            mine = 0 if ticket.priority_group_id is not None else 1
            rank = self._class_rank(centre, True)
        else:
            mine, rank = 0, literal(0)
        same_queue = (
            Ticket.target_counter_id == ticket.target_counter_id
            if ticket.target_counter_id is not None
            else and_(Ticket.target_counter_id.is_(None), Ticket.service_id == ticket.service_id)
        )
        before = or_(
            Ticket.queue_band < ticket.queue_band,
            and_(Ticket.queue_band == ticket.queue_band, rank < mine),
            and_(
                Ticket.queue_band == ticket.queue_band,
                rank == mine,
                or_(
                    Ticket.queued_at < ticket.queued_at,
                    and_(Ticket.queued_at == ticket.queued_at, Ticket.id < ticket.id),
                ),
            ),
        )
        return (
            s.scalar(
                select(func.count()).where(
                    Ticket.centre_id == centre.id,
                    Ticket.business_day == ticket.business_day,
                    Ticket.status == "waiting",
                    same_queue,
                    before,
                )
            )
            or 0
        )

    # --- issuing ---------------------------------------------------------------------------

    def issue(
        self,
        service_code: str,
        *,
        priority: str | None = None,
        request_id: str | None = None,
        language: str = "vi",
        now: datetime | None = None,
    ) -> TicketView:
        """Issue the next number of a service. A repeated ``request_id`` returns the same ticket."""

        def work(s: Session) -> TicketView:
            arrived = ensure_aware(now)
            centre = self._centre(s)
            if request_id:
                existing = s.scalar(select(Ticket).where(Ticket.request_id == request_id))
                if existing is not None:
                    return self._repeat(s, centre, existing, service_code, request_id)
            service = self._service(s, centre, service_code)
            if not service.active:
                raise ServiceInactive(code=service_code)
            group = self._priority_group(s, centre, priority) if priority else None
            day = local_day(arrived, centre.timezone)
            seq = self._next_seq(s, service, day if service.daily_reset else NO_RESET_PERIOD)
            # Read the clock again now that the sequence row is ours: issue times then follow
            # the numbers, so "oldest first" and "smallest number first" agree.
            moment = ensure_aware(now)
            value = service.number_start + seq - 1
            if service.number_end is not None and value > service.number_end:
                raise NumberRangeExhausted(service=service.name, end=service.number_end)
            ticket = Ticket(
                centre_id=centre.id,
                origin_service_id=service.id,
                service_id=service.id,
                business_day=day,
                seq=seq,
                number=format_number(service.prefix, value, service.digits),
                priority_group_id=group.id if group else None,
                status="waiting",
                language=language if language in ("vi", "en") else "vi",
                issued_at=moment,
                queued_at=moment,
                waiting_since=moment,
                queue_band=BAND_NORMAL,
                cycle=1,
                recall_count=0,
                request_id=request_id or None,
            )
            s.add(ticket)
            s.flush()
            extra = {"service": service.code, "priority": group.code if group else None}
            if group is not None:
                extra["priority_reason"] = f"priority_group:{group.code}"
            self._event(s, "ticket.issued", centre, moment, ticket, **extra)
            return self._view(s, centre, ticket)

        try:
            return self._run(work)
        except IntegrityError:
            if not request_id:
                raise
            # Two identical requests raced; the other one committed first. Return its ticket.
            return self._run(work)

    def _repeat(
        self, s: Session, centre: Centre, ticket: Ticket, service_code: str, request_id: str
    ) -> TicketView:
        service = s.get(Service, ticket.origin_service_id)
        if service is None or service.code != service_code or ticket.centre_id != centre.id:
            raise RequestIdConflict(request_id=request_id, service=ticket.number)
        return self._view(s, centre, ticket)

    def _priority_group(self, s: Session, centre: Centre, code: str) -> PriorityGroup:
        group = s.scalar(
            select(PriorityGroup).where(
                PriorityGroup.centre_id == centre.id,
                PriorityGroup.code == code,
                PriorityGroup.active.is_(True),
            )
        )
        if group is None:
            known = s.scalars(
                select(PriorityGroup.code).where(
                    PriorityGroup.centre_id == centre.id, PriorityGroup.active.is_(True)
                )
            ).all()
            raise UnknownPriorityGroup(code=code, known=", ".join(known) or "—")
        return group

    def _next_seq(self, s: Session, service: Service, period: date) -> int:
        dialect_insert = sqlite.insert if self.db.is_sqlite else postgresql.insert
        stmt = dialect_insert(TicketSequence).values(
            service_id=service.id, period=period, last_seq=1
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[TicketSequence.service_id, TicketSequence.period],
            set_={"last_seq": TicketSequence.last_seq + 1},
        ).returning(TicketSequence.last_seq)
        return int(s.execute(stmt).scalar_one())

    # --- calling ---------------------------------------------------------------------------

    def call_next(self, counter_number: int, *, now: datetime | None = None) -> TicketView | None:
        """Call the next citizen to a counter; None when nobody waits for it.

        The counter's current ticket, if any, is finished first (the clerk moved on).
        """

        def work(s: Session) -> TicketView | None:
            moment = ensure_aware(now)
            centre = self._centre(s)
            counter = self._counter(s, centre, counter_number, lock=True)
            if counter.paused:
                raise CounterPaused(number=counter.number)
            self._finish_current(s, centre, counter, moment)
            day = local_day(moment, centre.timezone)
            ticket = self._pick(s, centre, counter, day)
            if ticket is None:
                return None
            self._mark_called(s, centre, counter, ticket, moment)
            if centre.priority_policy == "interleave":
                counter.normal_streak = (
                    0 if ticket.priority_group_id is not None else counter.normal_streak + 1
                )
            return self._view(s, centre, ticket)

        return self._run(work)

    def _finish_current(self, s: Session, centre: Centre, counter: Counter, now: datetime) -> None:
        current = s.scalar(
            self._lock(
                select(Ticket).where(
                    Ticket.counter_id == counter.id, Ticket.status.in_(ACTIVE_STATUSES)
                )
            )
        )
        if current is not None:
            current.status = "done"
            current.finished_at = now
            s.flush()
            self._event(s, "ticket.finished", centre, now, current, counter, auto=True)

    def _pick(self, s: Session, centre: Centre, counter: Counter, day: date) -> Ticket | None:
        links = s.scalars(
            select(CounterService).where(CounterService.counter_id == counter.id)
        ).all()
        service_ids = [link.service_id for link in links]
        targeted = Ticket.target_counter_id == counter.id
        condition = and_(
            Ticket.centre_id == centre.id,
            Ticket.business_day == day,
            Ticket.status == "waiting",
            or_(
                targeted,
                and_(Ticket.target_counter_id.is_(None), Ticket.service_id.in_(service_ids)),
            ),
        )
        prefer_priority = (
            centre.priority_policy == "strict" or counter.normal_streak >= centre.priority_every
        )
        order = [
            Ticket.queue_band,
            self._class_rank(centre, prefer_priority),
            self._service_rank(s, counter, links, day),
            Ticket.queued_at,
            Ticket.id,
        ]
        stmt = select(Ticket).where(condition).order_by(*order).limit(1)
        if not self.db.is_sqlite:
            stmt = stmt.with_for_update(skip_locked=True)
        return s.scalar(stmt)

    def _service_rank(
        self, s: Session, counter: Counter, links: Any, day: date
    ) -> ColumnElement[int]:
        if counter.mode == "order" and links:
            return case(
                {link.service_id: link.position for link in links},
                value=Ticket.service_id,
                else_=-1,
            )
        if counter.mode == "weighted" and links:
            start, end = self._day_bounds(s, day)
            served = dict(
                s.execute(
                    select(Ticket.service_id, func.count())
                    .join(Call, Call.ticket_id == Ticket.id)
                    .where(
                        Call.counter_id == counter.id,
                        Call.called_at >= start,
                        Call.called_at < end,
                    )
                    .group_by(Ticket.service_id)
                ).all()
            )
            # Smooth weighted sharing: the service furthest below its share goes first.
            ordered = sorted(
                links,
                key=lambda link: (
                    (served.get(link.service_id, 0) + 1) / link.weight,
                    link.position,
                ),
            )
            return case(
                {link.service_id: rank for rank, link in enumerate(ordered)},
                value=Ticket.service_id,
                else_=-1,
            )
        return literal(0)

    def _day_bounds(self, s: Session, day: date) -> tuple[datetime, datetime]:
        tz = zone(self._centre(s).timezone)
        start = datetime(day.year, day.month, day.day, tzinfo=tz)
        return start, start + timedelta(days=1)

    def _mark_called(
        self, s: Session, centre: Centre, counter: Counter, ticket: Ticket, now: datetime
    ) -> None:
        ticket.status = "called"
        ticket.counter_id = counter.id
        ticket.target_counter_id = None
        ticket.called_at = now
        ticket.started_at = None
        s.add(
            Call(
                ticket_id=ticket.id,
                cycle=ticket.cycle,
                counter_id=counter.id,
                called_at=now,
                waited_seconds=max(0.0, (now - ticket.waiting_since).total_seconds()),
            )
        )
        s.flush()
        group = s.get(PriorityGroup, ticket.priority_group_id) if ticket.priority_group_id else None
        service = s.get(Service, ticket.service_id)
        self._event(
            s,
            "ticket.called",
            centre,
            now,
            ticket,
            counter,
            service=service.code if service else None,
            priority=group.code if group else None,
            cycle=ticket.cycle,
        )

    # --- transitions at the counter --------------------------------------------------------

    def _transition(
        self,
        ticket_id: int,
        transition: _Transition,
        change: Callable[[Session, Centre, Ticket, datetime], dict[str, Any] | None],
        now: datetime | None,
    ) -> TicketView:
        def work(s: Session) -> TicketView:
            moment = ensure_aware(now)
            centre = self._centre(s)
            ticket = self._ticket(s, centre, ticket_id)
            self._check(ticket, transition)
            counter = s.get(Counter, ticket.counter_id) if ticket.counter_id else None
            data = change(s, centre, ticket, moment) or {}
            s.flush()
            self._event(s, f"ticket.{transition.action}", centre, moment, ticket, counter, **data)
            return self._view(s, centre, ticket)

        return self._run(work)

    def recall(self, ticket_id: int, *, now: datetime | None = None) -> TicketView:
        """Call the same citizen again (the display and voice repeat the call)."""

        def change(s: Session, c: Centre, t: Ticket, now: datetime) -> dict[str, Any]:
            t.recall_count += 1
            return {"recall_count": t.recall_count}

        return self._transition(ticket_id, _RECALL, change, now)

    def start(self, ticket_id: int, *, now: datetime | None = None) -> TicketView:
        """The citizen is at the counter: service begins."""

        def change(s: Session, c: Centre, t: Ticket, now: datetime) -> None:
            t.status = "serving"
            t.started_at = now

        return self._transition(ticket_id, _START, change, now)

    def finish(self, ticket_id: int, *, now: datetime | None = None) -> TicketView:
        def change(s: Session, c: Centre, t: Ticket, now: datetime) -> None:
            t.status = "done"
            t.finished_at = now

        return self._transition(ticket_id, _FINISH, change, now)

    def no_show(self, ticket_id: int, *, now: datetime | None = None) -> TicketView:
        """Called, but the citizen did not come. ``resume`` puts the ticket back if they do."""

        def change(s: Session, c: Centre, t: Ticket, now: datetime) -> None:
            t.status = "no_show"
            t.finished_at = now

        return self._transition(ticket_id, _NO_SHOW, change, now)

    def hold(self, ticket_id: int, *, now: datetime | None = None) -> TicketView:
        """Park the citizen (e.g. gone to copy a document); the counter is free meanwhile."""

        def change(s: Session, c: Centre, t: Ticket, now: datetime) -> None:
            t.status = "held"
            t.target_counter_id = t.counter_id

        return self._transition(ticket_id, _HOLD, change, now)

    def resume(self, ticket_id: int, *, now: datetime | None = None) -> TicketView:
        """Put a held (or no-show) ticket back at the front of the queue.

        A held ticket waits for the counter that held it; a no-show waits for its service.
        """

        def change(s: Session, c: Centre, t: Ticket, now: datetime) -> dict[str, Any]:
            was = t.status
            if was == "no_show":
                t.target_counter_id = None
            self._requeue(t, now, "front")
            return {"from": was}

        return self._transition(ticket_id, _RESUME, change, now)

    def cancel(self, ticket_id: int, *, now: datetime | None = None) -> TicketView:
        """The citizen leaves before being served."""

        def change(s: Session, c: Centre, t: Ticket, now: datetime) -> None:
            t.status = "cancelled"
            t.finished_at = now

        return self._transition(ticket_id, _CANCEL, change, now)

    def transfer(
        self,
        ticket_id: int,
        *,
        to_service: str | None = None,
        to_counter: int | None = None,
        placement: str | None = None,
        now: datetime | None = None,
    ) -> TicketView:
        """Send a ticket to another service's queue or to one counter; it keeps its number.

        ``placement`` (default: the centre's ``transfer_placement``): ``keep`` joins the new queue
        by its original issue time, ``front`` ahead of everyone, ``back`` behind everyone.
        """
        if (to_service is None) == (to_counter is None):
            raise ValueError("give exactly one of to_service and to_counter")
        if placement is not None and placement not in PLACEMENTS:
            raise ValueError(f"placement must be one of {PLACEMENTS}")

        def change(s: Session, c: Centre, t: Ticket, now: datetime) -> dict[str, Any]:
            data: dict[str, Any] = {"from_service": s.get(Service, t.service_id).code}  # type: ignore[union-attr]
            if to_service is not None:
                service = self._service(s, c, to_service)
                if not service.active:
                    raise ServiceInactive(code=to_service)
                t.service_id = service.id
                t.target_counter_id = None
                data["to_service"] = service.code
            else:
                counter = self._counter(s, c, int(to_counter))  # type: ignore[arg-type]
                t.target_counter_id = counter.id
                data["to_counter"] = counter.number
            how = placement or c.transfer_placement
            self._requeue(t, now, how)
            data["placement"] = how
            return data

        return self._transition(ticket_id, _TRANSFER, change, now)

    @staticmethod
    def _requeue(ticket: Ticket, now: datetime, placement: str) -> None:
        ticket.status = "waiting"
        ticket.counter_id = None
        ticket.cycle += 1
        ticket.waiting_since = now
        ticket.called_at = None
        ticket.started_at = None
        ticket.finished_at = None
        if placement == "front":
            ticket.queue_band, ticket.queued_at = BAND_FRONT, now
        elif placement == "back":
            ticket.queue_band, ticket.queued_at = BAND_NORMAL, now
        else:
            ticket.queue_band, ticket.queued_at = BAND_NORMAL, ticket.issued_at

    # --- counters --------------------------------------------------------------------------

    def pause_counter(self, number: int, *, now: datetime | None = None) -> CounterState:
        return self._set_paused(number, True, now)

    def resume_counter(self, number: int, *, now: datetime | None = None) -> CounterState:
        return self._set_paused(number, False, now)

    def _set_paused(self, number: int, paused: bool, now: datetime | None) -> CounterState:
        def work(s: Session) -> CounterState:
            moment = ensure_aware(now)
            centre = self._centre(s)
            counter = self._counter(s, centre, number, lock=True)
            if counter.paused == paused:
                state = tr("counter.paused" if paused else "counter.open")
                raise CounterStateUnchanged(number=number, state=state)
            counter.paused = paused
            s.flush()
            self._event(
                s, "counter.paused" if paused else "counter.resumed", centre, moment, None, counter
            )
            return self._counter_state(s, centre, counter)

        return self._run(work)

    def _counter_state(self, s: Session, centre: Centre, counter: Counter) -> CounterState:
        codes = s.scalars(
            select(Service.code)
            .join(CounterService, CounterService.service_id == Service.id)
            .where(CounterService.counter_id == counter.id)
            .order_by(CounterService.position)
        ).all()
        current = s.scalar(
            select(Ticket).where(
                Ticket.counter_id == counter.id, Ticket.status.in_(ACTIVE_STATUSES)
            )
        )
        return CounterState(
            number=counter.number,
            name=counter.name,
            paused=counter.paused,
            services=list(codes),
            ticket=self._view(s, centre, current) if current else None,
        )

    # --- queries ---------------------------------------------------------------------------

    def ticket(self, ticket_id: int) -> TicketView:
        def work(s: Session) -> TicketView:
            centre = self._centre(s)
            return self._view(s, centre, self._ticket(s, centre, ticket_id, lock=False))

        return self._run(work, readonly=True)

    def ahead(self, ticket_id: int) -> int | None:
        """People waiting ahead of a ticket (None when it is not waiting)."""
        return self.ticket(ticket_id).ahead

    def status(self, *, now: datetime | None = None) -> QueueStatus:
        """Waiting per service and the current ticket of every counter, for today."""
        moment = ensure_aware(now)

        def work(s: Session) -> QueueStatus:
            centre = self._centre(s)
            day = local_day(moment, centre.timezone)
            counts = {
                (service_id, has_priority): n
                for service_id, has_priority, n in s.execute(
                    select(
                        Ticket.service_id,
                        Ticket.priority_group_id.is_not(None),
                        func.count(),
                    )
                    .where(
                        Ticket.centre_id == centre.id,
                        Ticket.business_day == day,
                        Ticket.status == "waiting",
                    )
                    .group_by(Ticket.service_id, Ticket.priority_group_id.is_not(None))
                ).all()
            }
            services = s.scalars(
                select(Service)
                .where(Service.centre_id == centre.id, Service.active.is_(True))
                .order_by(Service.position, Service.code)
            ).all()
            waiting = [
                ServiceWaiting(
                    code=svc.code,
                    name=svc.name,
                    name_en=svc.name_en,
                    waiting=counts.get((svc.id, False), 0) + counts.get((svc.id, True), 0),
                    priority_waiting=counts.get((svc.id, True), 0),
                )
                for svc in services
            ]
            counters = s.scalars(
                select(Counter)
                .where(Counter.centre_id == centre.id, Counter.active.is_(True))
                .order_by(Counter.number)
            ).all()
            return QueueStatus(
                centre=centre.code,
                business_day=day,
                services=waiting,
                counters=[self._counter_state(s, centre, c) for c in counters],
            )

        return self._run(work, readonly=True)

    def waiting_counts(self, *, now: datetime | None = None) -> dict[str, int]:
        """Waiting tickets per service code, today."""
        return {svc.code: svc.waiting for svc in self.status(now=now).services}


def resolve_centre(s: Session, code: str | None) -> Centre:
    """The centre named ``code``, or the only centre when ``code`` is empty."""
    if code:
        centre = s.scalar(select(Centre).where(Centre.code == code))
        if centre is None:
            raise CentreError("error.unknown_centre", code=code)
        return centre
    centres = s.scalars(select(Centre).order_by(Centre.code).limit(6)).all()
    if not centres:
        raise CentreError("error.no_centre")
    if len(centres) > 1:
        raise CentreError("error.many_centres", codes=", ".join(c.code for c in centres))
    return centres[0]
