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

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    and_,
    bindparam,
    case,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared import events
from shared.clock import ensure_aware, local_day, zone
from shared.codes import new_secret
from shared.db import Database, Direct, read_date, read_datetime
from shared.errors import (
    CentreError,
    CounterPaused,
    CounterStateUnchanged,
    DatabaseBusy,
    IllegalTransition,
    NumberRangeExhausted,
    OfflineTicketRefused,
    RatingRefused,
    RequestIdConflict,
    ServiceInactive,
    UnknownCounter,
    UnknownPriorityGroup,
    UnknownService,
    UnknownTicket,
)
from shared.estimate import DEFAULT_SERVICE_MIN as DEFAULT_SERVICE_MIN
from shared.i18n import nfc, tr
from shared.models import (
    ACTIVE_STATUSES,
    BAND_FRONT,
    BAND_NORMAL,
    PLACEMENTS,
    Call,
    Centre,
    Counter,
    CounterService,
    Event,
    NumberBlock,
    PriorityGroup,
    Rating,
    Service,
    Ticket,
    UTCDateTime,
)
from shared.views import (
    CounterState,
    JsonView,
    NumberBlockView,
    OfflineTicket,
    QueueStatus,
    ServiceWaiting,
    TicketView,
)

T = TypeVar("T")

NO_RESET_PERIOD = date(2000, 1, 1)
"""Sequence period of services whose numbers do not restart each day."""

NOTE_MAX = 200
"""Characters kept of a clerk's note (transfer, pause). Notes live in the event log, so the
counter app asks clerks not to write names, phone or ID numbers in them."""

PAUSE_REASONS = ("break", "meeting", "dossier_work", "technical", "support", "other")
"""Why a counter is paused (``counter.pause_reason.*`` gives the words)."""


def clean_note(note: str | None) -> str:
    """A clerk's note as stored: NFC, one line, spaces collapsed, cut to :data:`NOTE_MAX`."""
    return " ".join(nfc(note or "").split())[:NOTE_MAX]


SERVING_EVENTS = ("ticket.called", "ticket.start", "ticket.finish", "ticket.finished")
"""Events whose clerk served the ticket (the rating is linked to the last of them)."""


@dataclass(frozen=True)
class RatingView(JsonView):
    ticket_id: int
    number: str
    level: int | None
    scale: int
    label: str | None
    outcome: str
    source: str
    reasons: list[str]
    clerk_id: int | None


@dataclass(frozen=True)
class TicketPrintInfo:
    """What the printed ticket needs besides the ticket itself."""

    ticket: TicketView
    centre_code: str
    centre_name: str
    timezone: str
    language: str
    counters: tuple[int, ...]
    """Numbers of the counters that call this ticket's queue."""
    estimated_wait_min: int | None
    priority_name: str | None
    secret: str


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


_Row = SimpleNamespace
"""A ticket's fields as plain attributes (what the hot paths read and write)."""


@dataclass(frozen=True)
class _ServiceInfo:
    id: int
    code: str
    name: str
    name_en: str
    prefix: str
    number_start: int
    number_end: int | None
    digits: int
    daily_reset: bool
    active: bool


@dataclass(frozen=True)
class _CounterInfo:
    id: int
    number: int
    mode: str
    active: bool
    links: tuple[tuple[int, int, int], ...]
    """(service id, position, weight) in position order."""


@dataclass(frozen=True)
class _Snapshot:
    """The catalogue of one centre as of one revision: read once, reused until it changes."""

    revision: int
    centre_id: int
    centre_code: str
    timezone: str
    priority_policy: str
    priority_every: int
    transfer_placement: str
    services: dict[int, _ServiceInfo]
    service_codes: dict[str, _ServiceInfo]
    groups: dict[int, tuple[str, bool]]
    """id -> (code, active)"""
    group_codes: dict[str, int]
    """active groups: code -> id"""
    counters: dict[int, _CounterInfo]
    counter_numbers: dict[int, _CounterInfo]


_TICKET_COLUMNS = (
    Ticket.id,
    Ticket.number,
    Ticket.service_id,
    Ticket.status,
    Ticket.priority_group_id,
    Ticket.issued_at,
    Ticket.called_at,
    Ticket.started_at,
    Ticket.finished_at,
    Ticket.counter_id,
    Ticket.target_counter_id,
    Ticket.business_day,
    Ticket.recall_count,
    Ticket.cycle,
    Ticket.queue_band,
    Ticket.queued_at,
    Ticket.waiting_since,
    Ticket.origin_service_id,
)

_SEQ_UPSERT = text(
    "INSERT INTO ticket_sequences (service_id, period, last_seq) VALUES (:service_id, :period, 1)"
    " ON CONFLICT (service_id, period) DO UPDATE SET last_seq = ticket_sequences.last_seq + 1"
    " RETURNING last_seq"
).bindparams(bindparam("period", type_=Date()))


_SEQ_RESERVE = text(
    "INSERT INTO ticket_sequences (service_id, period, last_seq) VALUES (:service_id, :period,"
    " :size) ON CONFLICT (service_id, period) DO UPDATE"
    " SET last_seq = ticket_sequences.last_seq + :size RETURNING last_seq"
).bindparams(bindparam("period", type_=Date()))

_INSERT_TICKET = insert(Ticket).returning(Ticket.id)
_REVISION = select(Centre.catalog_revision).where(Centre.id == bindparam("centre_id"))
_BY_REQUEST = select(*_TICKET_COLUMNS).where(Ticket.request_id == bindparam("request_id"))
_BY_ID = select(*_TICKET_COLUMNS).where(Ticket.id == bindparam("ticket_id"))

# The same for a direct transaction (shared.db.Database.direct): SQL as the database runs it.
_D_REVISION = "SELECT catalog_revision FROM centres WHERE id = :centre_id"
_D_BY_REQUEST = "SELECT id FROM tickets WHERE request_id = :request_id"
_D_SEQ_UPSERT = (  # the number, and the catalogue revision in the same round trip
    "INSERT INTO ticket_sequences (service_id, period, last_seq) VALUES (:service_id, :period, 1)"
    " ON CONFLICT (service_id, period) DO UPDATE SET last_seq = ticket_sequences.last_seq + 1"
    " RETURNING last_seq, (SELECT catalog_revision FROM centres WHERE id = :centre_id)"
)
_D_TICKET_FIELDS = (
    "centre_id", "origin_service_id", "service_id", "business_day", "seq", "number",
    "priority_group_id", "status", "language", "issued_at", "queued_at", "waiting_since",
    "queue_band", "cycle", "recall_count", "request_id", "secret", "called_at", "started_at",
    "finished_at", "counter_id", "target_counter_id",
)  # fmt: skip
_D_INSERT_TICKET = (
    f"INSERT INTO tickets ({', '.join(_D_TICKET_FIELDS)})"
    f" VALUES ({', '.join(':' + f for f in _D_TICKET_FIELDS)}) RETURNING id"
)


_D_COUNTER_ROW = (
    "SELECT counters.id, counters.paused, counters.normal_streak, centres.catalog_revision"
    " FROM counters JOIN centres ON centres.id = counters.centre_id"
    " WHERE counters.centre_id = :centre_id AND counters.number = :number"
)
_D_COUNTER_ROW_LOCKED = _D_COUNTER_ROW + " FOR UPDATE OF counters"
_D_FINISH_CURRENT = (
    "UPDATE tickets SET status = 'done', finished_at = :now"
    " WHERE counter_id = :counter_id AND status IN ('called', 'serving')"
    " RETURNING id, number, service_id"
)
_D_MARK_CALLED = (
    "UPDATE tickets SET status = 'called', counter_id = :counter_id, target_counter_id = NULL,"
    " called_at = :now, started_at = NULL WHERE id = :ticket_id"
)
_D_INSERT_CALL = (
    "INSERT INTO calls (ticket_id, cycle, counter_id, called_at, waited_seconds)"
    " VALUES (:ticket_id, :cycle, :counter_id, :called_at, :waited_seconds)"
)
_D_SET_STREAK = "UPDATE counters SET normal_streak = :streak WHERE id = :counter_id"
_SERVED_TODAY = (
    select(Ticket.service_id, func.count())
    .join(Call, Call.ticket_id == Ticket.id)
    .where(
        Call.counter_id == bindparam("counter_id"),
        Call.called_at >= bindparam("start", type_=UTCDateTime()),
        Call.called_at < bindparam("end", type_=UTCDateTime()),
    )
    .group_by(Ticket.service_id)
)
_TICKET_NAMES = tuple(column.key for column in _TICKET_COLUMNS)
_TICKET_DATETIMES = frozenset(
    ("issued_at", "called_at", "started_at", "finished_at", "queued_at", "waiting_since")
)


def _ticket_row(row: tuple[Any, ...]) -> _Row:
    """A row of ``_TICKET_COLUMNS`` read through a direct transaction, with Python values."""
    values = dict(zip(_TICKET_NAMES, row, strict=True))
    for name in _TICKET_DATETIMES:
        values[name] = read_datetime(values[name])
    values["business_day"] = read_date(values["business_day"])
    return _Row(**values)


_HEAD_ORDERS = (
    # The normal class: its columns held constant (IS NULL) are named in the order too, so that
    # PostgreSQL reads the queue index in order instead of sorting the queue.
    (
        Ticket.priority_group_id.is_(None),
        (
            Ticket.target_counter_id,
            Ticket.priority_group_id,
            Ticket.queue_band,
            Ticket.queued_at,
            Ticket.id,
        ),
    ),
    # The priority class (several groups, few tickets): band and time only.
    (Ticket.priority_group_id.is_not(None), (Ticket.queue_band, Ticket.queued_at, Ticket.id)),
)
"""(condition, order) of the two classes of a service's queue, for the heads of the queue."""


def _waiting_of(snap: _Snapshot) -> tuple[ColumnElement[bool], ...]:
    """Waiting tickets of the centre on the ``day`` given at run time."""
    return (
        Ticket.centre_id == snap.centre_id,
        # Not "required": lists are written into the SQL, the day is given at run time.
        Ticket.business_day == bindparam("day", type_=Date(), required=False),
        Ticket.status == "waiting",
    )


def _queue_heads(
    snap: _Snapshot,
    counter: _CounterInfo,
    class_rank: ColumnElement[int],
    service_rank: ColumnElement[int],
    columns: tuple[Any, ...],
) -> Any:
    """The first ticket of each (service, class) queue of the counter and the first of those sent
    to it, each read from the queue index in order: a subquery of ``columns`` with ``k_class``
    and ``k_service``, to be ordered by band, class, service, queued_at, id."""
    waiting = _waiting_of(snap)
    columns = (*columns, class_rank.label("k_class"), service_rank.label("k_service"))
    parts = [
        select(*columns)
        .where(*waiting, Ticket.service_id == service_id, Ticket.target_counter_id.is_(None), group)
        .order_by(*order)
        .limit(1)
        for service_id, _, _ in counter.links
        for group, order in _HEAD_ORDERS
    ]
    parts.append(
        select(*columns)
        .where(*waiting, Ticket.target_counter_id == counter.id)
        .order_by(Ticket.queue_band, class_rank, service_rank, Ticket.queued_at, Ticket.id)
        .limit(1)
    )
    return union_all(*(select(part.subquery()) for part in parts)).subquery()


def _service_rank(ranks: tuple[tuple[int, int], ...]) -> ColumnElement[int]:
    """The counter's service order ("order"/"weighted" counters); 0 for all otherwise."""
    return case(dict(ranks), value=Ticket.service_id, else_=-1) if ranks else literal(0)


def _prefixed(sql: str, defaults: dict[str, Any], prefix: str) -> tuple[str, dict[str, Any]]:
    """Compiled SQL with its own constant parameters renamed (``prefix`` + name), so that two
    compiled parts can share one statement (``day`` stays shared)."""
    renamed = {}
    for name, value in defaults.items():
        if name == "day":
            continue
        sql = re.sub(rf":{name}\b", f":{prefix}{name}", sql)
        renamed[prefix + name] = value
    return sql, renamed


class _CatalogMoved(Exception):
    """The catalogue changed since the engine read it: read it again and start over."""


@functools.lru_cache(maxsize=64)
def _direct_sql(statement: Any, sqlite: bool) -> tuple[str, dict[str, Any]]:
    """A module-level Core statement as direct SQL, once per dialect."""
    return _compile_direct(statement, sqlite)


def _compile_direct(statement: Any, sqlite: bool) -> tuple[str, dict[str, Any]]:
    """A Core statement as direct SQL (``:name`` parameters) and its constant parameters."""
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.dialects import sqlite as sqlite_dialect

    dialect = (
        sqlite_dialect.dialect(paramstyle="named")
        if sqlite
        else postgresql.dialect(paramstyle="named")
    )
    compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    return str(compiled), dict(compiled.construct_params(_check=False))


@functools.lru_cache(maxsize=8)
def _ahead_statement(strict: bool, targeted: bool) -> Any:
    """Count of waiting tickets a counter would call before the given one (parametrised)."""
    rank: ColumnElement[int] = (
        case((Ticket.priority_group_id.is_not(None), 0), else_=1) if strict else literal(0)
    )
    mine = bindparam("rank", type_=Integer())
    band = bindparam("band", type_=Integer())
    queued_at = bindparam("queued_at", type_=UTCDateTime())
    ticket_id = bindparam("ticket_id", type_=Integer())
    same_queue = (
        Ticket.target_counter_id == bindparam("target")
        if targeted
        else and_(Ticket.target_counter_id.is_(None), Ticket.service_id == bindparam("service_id"))
    )
    before: ColumnElement[bool]
    if not strict:
        # One range of the queue's index (row values compare column by column).
        before = tuple_(Ticket.queue_band, Ticket.queued_at, Ticket.id) < tuple_(
            band, queued_at, ticket_id
        )
    else:
        before = _strict_before(rank, mine, band, queued_at, ticket_id)
    return select(func.count()).where(
        Ticket.centre_id == bindparam("centre_id"),
        Ticket.business_day == bindparam("day", type_=Date()),
        Ticket.status == "waiting",
        same_queue,
        before,
    )


def _strict_before(
    rank: ColumnElement[int], mine: Any, band: Any, queued_at: Any, ticket_id: Any
) -> ColumnElement[bool]:
    return or_(
        Ticket.queue_band < band,
        and_(Ticket.queue_band == band, rank < mine),
        and_(
            Ticket.queue_band == band,
            rank == mine,
            or_(
                Ticket.queued_at < queued_at,
                and_(Ticket.queued_at == queued_at, Ticket.id < ticket_id),
            ),
        ),
    )


class QueueEngine:
    """The queue use cases of one centre (``centre=None``: the only centre in the database).

    The catalogue (services, counters, priority groups) is read once per catalogue revision and
    kept; every transaction still reads the revision, so an import on another PC is seen at
    once. Issuing and calling, the hot paths, run as direct transactions
    (:meth:`shared.db.Database.direct`): prebuilt SQL on the driver's connection, as few round
    trips as their guarantees allow (a call on PostgreSQL is one statement).
    """

    def __init__(
        self, db: Database, centre: str | None = None, *, user_id: int | None = None
    ) -> None:
        self.db = db
        self.centre_code = centre or None
        self.user_id = user_id
        """The signed-in clerk: every event this engine writes carries that id."""
        self._centre_id: int | None = None
        self._snap: _Snapshot | None = None
        self._pick_statements: dict[Any, Any] = {}

    # --- helpers ---------------------------------------------------------------------------

    def _run(self, work: Callable[[Session], T], *, readonly: bool = False) -> T:
        return self.db.run(work, readonly=readonly)

    def _lock(self, stmt: Any, of: Any = None) -> Any:
        """``FOR UPDATE`` on PostgreSQL (of the given table only); SQLite locks the whole file."""
        return stmt if self.db.is_sqlite else stmt.with_for_update(of=of)

    def _snapshot(self, s: Session, revision: int | None = None) -> _Snapshot:
        """The catalogue snapshot, reloaded when the centre's revision moved on."""
        if self._centre_id is None:
            self._centre_id = resolve_centre(s, self.centre_code).id
        if revision is None:
            revision = (
                s.connection().execute(_REVISION, {"centre_id": self._centre_id}).scalar_one()
            )
        snap = self._snap
        if snap is not None and snap.revision == revision:
            return snap
        snap = self._snap = self._load_snapshot(s, self._centre_id)
        return snap

    @staticmethod
    def _load_snapshot(s: Session, centre_id: int) -> _Snapshot:
        centre = s.get_one(Centre, centre_id)
        services = {
            row.id: _ServiceInfo(
                row.id,
                row.code,
                row.name,
                row.name_en,
                row.prefix,
                row.number_start,
                row.number_end,
                row.digits,
                row.daily_reset,
                row.active,
            )
            for row in s.scalars(select(Service).where(Service.centre_id == centre_id))
        }
        groups = {
            row.id: (row.code, row.active)
            for row in s.scalars(select(PriorityGroup).where(PriorityGroup.centre_id == centre_id))
        }
        links: dict[int, list[tuple[int, int, int]]] = {}
        for link in s.scalars(
            select(CounterService)
            .join(Counter, Counter.id == CounterService.counter_id)
            .where(Counter.centre_id == centre_id)
            .order_by(CounterService.position)
        ):
            links.setdefault(link.counter_id, []).append(
                (link.service_id, link.position, link.weight)
            )
        counters = {
            row.id: _CounterInfo(
                row.id, row.number, row.mode, row.active, tuple(links.get(row.id, ()))
            )
            for row in s.scalars(select(Counter).where(Counter.centre_id == centre_id))
        }
        return _Snapshot(
            revision=centre.catalog_revision,
            centre_id=centre.id,
            centre_code=centre.code,
            timezone=centre.timezone,
            priority_policy=centre.priority_policy,
            priority_every=centre.priority_every,
            transfer_placement=centre.transfer_placement,
            services=services,
            service_codes={svc.code: svc for svc in services.values()},
            groups=groups,
            group_codes={code: gid for gid, (code, active) in groups.items() if active},
            counters=counters,
            counter_numbers={c.number: c for c in counters.values() if c.active},
        )

    def _service(self, snap: _Snapshot, code: str) -> _ServiceInfo:
        service = snap.service_codes.get(code)
        if service is None:
            raise UnknownService(code=code)
        return service

    def _counter(self, snap: _Snapshot, number: int) -> _CounterInfo:
        counter = snap.counter_numbers.get(number)
        if counter is None:
            raise UnknownCounter(number=number)
        return counter

    def _ticket(self, s: Session, snap: _Snapshot, ticket_id: int, *, lock: bool = True) -> Ticket:
        stmt = select(Ticket).where(Ticket.id == ticket_id, Ticket.centre_id == snap.centre_id)
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
        snap: _Snapshot,
        now: datetime,
        ticket: Any = None,
        counter: _CounterInfo | None = None,
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
            centre_id=snap.centre_id,
            ticket_id=ticket.id if ticket is not None else None,
            counter_id=counter.id if counter is not None else None,
            service_id=ticket.service_id if ticket is not None else None,
            user_id=self.user_id,
            data=payload,
        )

    def _view(
        self, s: Session, snap: _Snapshot, ticket: Any, ahead: int | None = None
    ) -> TicketView:
        """The plain view of a ticket (an ORM object or a row with the same fields)."""
        service = snap.services[ticket.service_id]
        counter = snap.counters.get(ticket.counter_id) if ticket.counter_id else None
        target = snap.counters.get(ticket.target_counter_id) if ticket.target_counter_id else None
        group = snap.groups.get(ticket.priority_group_id) if ticket.priority_group_id else None
        if ticket.status == "waiting" and ahead is None:
            ahead = self._ahead(s, snap, ticket)
        return TicketView(
            id=ticket.id,
            number=ticket.number,
            service=service.code,
            service_name=service.name,
            service_name_en=service.name_en,
            status=ticket.status,
            priority=group[0] if group else None,
            issued_at=ticket.issued_at,
            called_at=ticket.called_at,
            started_at=ticket.started_at,
            finished_at=ticket.finished_at,
            counter=counter.number if counter else None,
            target_counter=target.number if target else None,
            ahead=ahead if ticket.status == "waiting" else None,
            business_day=ticket.business_day,
            recall_count=ticket.recall_count,
            cycle=ticket.cycle,
            centre=snap.centre_code,
        )

    # --- ordering --------------------------------------------------------------------------

    @staticmethod
    def _class_rank(policy: str, prefer_priority: bool) -> ColumnElement[int]:
        """0 for the class (priority or normal) that should be called first."""
        is_priority = Ticket.priority_group_id.is_not(None)
        if policy == "strict" or prefer_priority:
            return case((is_priority, 0), else_=1)
        return case((is_priority, 1), else_=0)

    def _ahead(self, s: Session, snap: _Snapshot, ticket: Any) -> int:
        """People waiting ahead: those a counter serving this queue would call first."""
        strict = snap.priority_policy == "strict"
        targeted = ticket.target_counter_id is not None
        params = {
            "centre_id": snap.centre_id,
            "day": ticket.business_day,
            "band": ticket.queue_band,
            "rank": (0 if ticket.priority_group_id is not None else 1) if strict else 0,
            "queued_at": ticket.queued_at,
            "ticket_id": ticket.id,
        }
        if targeted:
            params["target"] = ticket.target_counter_id
        else:
            params["service_id"] = ticket.service_id
        return int(s.connection().execute(_ahead_statement(strict, targeted), params).scalar_one())

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
        """Issue the next number of a service. A repeated ``request_id`` returns the same ticket.

        The hot path: one short transaction of prebuilt statements on the driver's connection
        (catalogue revision, number, ticket with the people ahead, event), no ORM."""
        for _attempt in range(3):
            snap = self._snap if self._snap is not None else self._run(self._snapshot)
            try:
                result = self.db.run_direct(
                    lambda d, snap=snap: self._issue(  # type: ignore[misc]
                        d, snap, service_code, priority, request_id, language, now
                    )
                )
            except _CatalogMoved:
                self._snap = None  # another PC imported a catalogue: read it and go again
                continue
            except IntegrityError:
                if not request_id:
                    raise
                continue  # two identical requests raced; the other one committed first
            if isinstance(result, TicketView):
                return result
            return self._run(
                lambda s, earlier=result: self._repeat(  # type: ignore[misc]
                    s, self._snapshot(s), earlier, service_code, request_id or ""
                )
            )
        raise DatabaseBusy()

    def _issue(
        self,
        d: Direct,
        snap: _Snapshot,
        service_code: str,
        priority: str | None,
        request_id: str | None,
        language: str,
        now: datetime | None,
    ) -> TicketView | int:
        """The issuing transaction; the id of the earlier ticket when ``request_id`` repeats."""
        arrived = ensure_aware(now)
        if request_id:
            existing = d.first(_D_BY_REQUEST, {"request_id": request_id})
            if existing is not None:
                return int(existing[0])
        service = snap.service_codes.get(service_code)
        group_id = snap.group_codes.get(priority) if priority else None
        if service is None or not service.active or (priority and group_id is None):
            # Refused by the catalogue as this engine read it: refuse only if it is still so.
            if d.scalar(_D_REVISION, {"centre_id": snap.centre_id}) != snap.revision:
                raise _CatalogMoved
            if service is None:
                raise UnknownService(code=service_code)
            if not service.active:
                raise ServiceInactive(code=service_code)
            known = ", ".join(snap.group_codes) or "—"
            raise UnknownPriorityGroup(code=priority, known=known)
        day = local_day(arrived, snap.timezone)
        period = day if service.daily_reset else NO_RESET_PERIOD
        seq, revision = d.one(
            _D_SEQ_UPSERT,
            {"service_id": service.id, "period": period, "centre_id": snap.centre_id},
        )
        if revision != snap.revision:
            raise _CatalogMoved  # rolled back: the number is not used
        seq = int(seq)
        # Read the clock again now that the sequence row is ours: issue times then follow
        # the numbers, so "oldest first" and "smallest number first" agree.
        moment = ensure_aware(now)
        value = service.number_start + seq - 1
        if service.number_end is not None and value > service.number_end:
            raise NumberRangeExhausted(service=service.name, end=service.number_end)
        values = {
            "centre_id": snap.centre_id,
            "origin_service_id": service.id,
            "service_id": service.id,
            "business_day": day,
            "seq": seq,
            "number": format_number(service.prefix, value, service.digits),
            "priority_group_id": group_id,
            "status": "waiting",
            "language": language if language in ("vi", "en") else "vi",
            "issued_at": moment,
            "queued_at": moment,
            "waiting_since": moment,
            "queue_band": BAND_NORMAL,
            "cycle": 1,
            "recall_count": 0,
            "request_id": request_id or None,
            "secret": new_secret(),
            "called_at": None,
            "started_at": None,
            "finished_at": None,
            "counter_id": None,
            "target_counter_id": None,
        }
        ticket_id = int(d.scalar(_D_INSERT_TICKET, values))
        ticket = _Row(id=ticket_id, **values)
        strict = snap.priority_policy == "strict"
        ahead_sql, defaults = _direct_sql(_ahead_statement(strict, False), d.is_sqlite)
        ahead = int(
            d.scalar(
                ahead_sql,
                {
                    **defaults,
                    "centre_id": snap.centre_id,
                    "day": day,
                    "band": BAND_NORMAL,
                    "rank": (0 if group_id is not None else 1) if strict else 0,
                    "queued_at": moment,
                    "ticket_id": ticket_id,
                    "service_id": service.id,
                },
            )
        )
        extra: dict[str, Any] = {"service": service.code}
        if group_id is not None:
            extra["priority"] = snap.groups[group_id][0]
            extra["priority_reason"] = f"priority_group:{extra['priority']}"
        view = self._view(None, snap, ticket, ahead)  # type: ignore[arg-type]
        events.append(
            d,
            "ticket.issued",
            at=moment,
            centre_id=snap.centre_id,
            ticket_id=ticket_id,
            service_id=service.id,
            user_id=self.user_id,
            data={"number": ticket.number, "status": "waiting", **extra},
        )
        return view

    def _repeat(
        self, s: Session, snap: _Snapshot, ticket: Any, service_code: str, request_id: str
    ) -> TicketView:
        """The ticket already given for ``request_id`` (a row, or its id)."""
        if isinstance(ticket, int):
            ticket = s.connection().execute(_BY_ID, {"ticket_id": ticket}).one()
        origin = snap.services.get(ticket.origin_service_id)
        if origin is None or origin.code != service_code:
            raise RequestIdConflict(request_id=request_id, service=ticket.number)
        return self._view(s, snap, ticket)

    # --- numbers given by a kiosk while the server is away -----------------------------------

    def reserve_block(
        self, holder: str, service_code: str, size: int, *, now: datetime | None = None
    ) -> NumberBlockView | None:
        """Set the next ``size`` numbers of a service aside for the kiosk ``holder``, today.

        They come from the same sequence row as every other number, in the same way, so nobody
        else gives them; the kiosk gives them only while it cannot reach the server and hands
        the tickets over afterwards (:meth:`sync_offline`). None when the service's number range
        has none left (a block at its end is shorter).
        """
        if size < 1:
            raise ValueError("size must be at least 1")

        def work(s: Session) -> NumberBlockView | None:
            moment = ensure_aware(now)
            snap = self._snapshot(s)
            service = self._service(snap, service_code)
            if not service.active:
                raise ServiceInactive(code=service_code)
            day = local_day(moment, snap.timezone)
            period = day if service.daily_reset else NO_RESET_PERIOD
            last = int(
                s.connection()
                .execute(_SEQ_RESERVE, {"service_id": service.id, "period": period, "size": size})
                .scalar_one()
            )
            first = last - size + 1
            if service.number_end is not None:
                last = min(last, service.number_end - service.number_start + 1)
            if last < first:
                return None
            block = NumberBlock(
                centre_id=snap.centre_id,
                service_id=service.id,
                period=period,
                business_day=day,
                first_seq=first,
                last_seq=last,
                holder=holder,
                reserved_at=moment,
            )
            s.add(block)
            s.flush()
            view = self._block_view(s, snap, block)
            self._event(
                s,
                "numbers.reserved",
                snap,
                moment,
                service=service.code,
                holder=holder,
                first=view.number(first),
                last=view.number(last),
                count=view.size,
            )
            return view

        return self._run(work)

    def _block_view(self, s: Session, snap: _Snapshot, block: NumberBlock) -> NumberBlockView:
        service = snap.services[block.service_id]
        centre = s.get_one(Centre, snap.centre_id)
        serving = tuple(
            c.number
            for c in sorted(snap.counters.values(), key=lambda c: c.number)
            if c.active and any(link[0] == service.id for link in c.links)
        )
        return NumberBlockView(
            id=block.id,
            service=service.code,
            service_name=service.name,
            service_name_en=service.name_en,
            business_day=block.business_day,
            first_seq=block.first_seq,
            last_seq=block.last_seq,
            prefix=service.prefix,
            number_start=service.number_start,
            digits=service.digits,
            counters=serving,
            centre=snap.centre_code,
            centre_name=centre.name,
            timezone=snap.timezone,
        )

    def sync_offline(
        self, holder: str, ticket: OfflineTicket, *, now: datetime | None = None
    ) -> TicketView:
        """Hand over a ticket the kiosk ``holder`` gave from its block while away.

        It joins its queue as issued at its own time (queue order is by issue time), with its
        number, secret and request id. Sending it again returns the same ticket. Refused
        (:class:`OfflineTicketRefused`, nothing written) when the number is not one of that
        kiosk's block for that service.
        """

        def work(s: Session) -> TicketView:
            moment = ensure_aware(now)
            snap = self._snapshot(s)
            existing = s.connection().execute(_BY_REQUEST, {"request_id": ticket.request_id})
            row = existing.first()
            if row is not None:
                return self._repeat(s, snap, row, ticket.service, ticket.request_id)
            block = s.get(NumberBlock, ticket.block_id)
            service = snap.service_codes.get(ticket.service)
            if (
                block is None
                or block.centre_id != snap.centre_id
                or block.holder != holder
                or service is None
                or block.service_id != service.id
                or not block.first_seq <= ticket.seq <= block.last_seq
                or ticket.number
                != format_number(
                    service.prefix, service.number_start + ticket.seq - 1, service.digits
                )
            ):
                raise OfflineTicketRefused(number=ticket.number, service=ticket.service)
            issued = ensure_aware(ticket.issued_at)
            values = {
                "centre_id": snap.centre_id,
                "origin_service_id": service.id,
                "service_id": service.id,
                "business_day": block.business_day,
                "seq": ticket.seq,
                "number": ticket.number,
                "priority_group_id": snap.group_codes.get(ticket.priority or ""),
                "status": "waiting",
                "language": ticket.language if ticket.language in ("vi", "en") else "vi",
                "issued_at": issued,
                "queued_at": issued,
                "waiting_since": issued,
                "queue_band": BAND_NORMAL,
                "cycle": 1,
                "recall_count": 0,
                "request_id": ticket.request_id,
                "secret": ticket.secret,
                "called_at": None,
                "started_at": None,
                "finished_at": None,
                "counter_id": None,
                "target_counter_id": None,
                "block_id": block.id,
            }
            try:
                with s.begin_nested():
                    ticket_id = s.connection().execute(_INSERT_TICKET, values).scalar_one()
            except IntegrityError:
                again = s.connection().execute(_BY_REQUEST, {"request_id": ticket.request_id})
                first = again.first()
                if first is not None:  # the same ticket, sent twice at once: the first won
                    return self._repeat(s, snap, first, ticket.service, ticket.request_id)
                # The number is taken (the kiosk's store was copied or restored): never double it.
                raise OfflineTicketRefused(number=ticket.number, service=ticket.service) from None
            row = _Row(id=ticket_id, **values)
            extra: dict[str, Any] = {
                "service": service.code,
                "offline": True,
                "holder": holder,
                "issued_at": issued.isoformat(),
            }
            if values["priority_group_id"] is not None:
                extra["priority"] = ticket.priority
                extra["priority_reason"] = f"priority_group:{ticket.priority}"
            view = self._view(s, snap, row)
            self._event(s, "ticket.issued", snap, moment, row, **extra)
            return view

        return self._run(work)

    # --- calling ---------------------------------------------------------------------------

    def call_next(self, counter_number: int, *, now: datetime | None = None) -> TicketView | None:
        """Call the next citizen to a counter; None when nobody waits for it.

        The counter's current ticket, if any, is finished first (the clerk moved on). The hot
        path: one short transaction of prebuilt statements on the driver's connection.
        """
        single = not self.db.is_sqlite
        for _attempt in range(4):
            snap = self._snap if self._snap is not None else self._run(self._snapshot)
            try:
                return self.db.run_direct(
                    lambda d, snap=snap, single=single: (  # type: ignore[misc]
                        self._call_next_pg(d, snap, counter_number, now)
                        if single
                        else self._call_next(d, snap, counter_number, now)
                    )
                )
            except _CatalogMoved:
                self._snap = None
            except IntegrityError as exc:
                if "uq_tickets_current_per_counter" not in str(exc.orig) or not single:
                    raise
                # A ticket became current at this counter after the statement's snapshot (the
                # statement waited for a row): again, one step at a time.
                single = False
        raise DatabaseBusy()

    def _call_next(
        self,
        d: Direct,
        snap: _Snapshot,
        counter_number: int,
        now: datetime | None,
        *,
        contended: bool = False,
    ) -> TicketView | None:
        moment = ensure_aware(now)
        # Lock the counter's row (one call at a time per counter) and read the revision.
        row = d.first(
            _D_COUNTER_ROW if d.is_sqlite else _D_COUNTER_ROW_LOCKED,
            {"centre_id": snap.centre_id, "number": counter_number},
        )
        if row is None:
            raise UnknownCounter(number=counter_number)
        _counter_id, paused, normal_streak, revision = row
        if revision != snap.revision:
            raise _CatalogMoved
        counter = self._counter(snap, counter_number)
        if paused:
            raise CounterPaused(number=counter_number)
        finished = d.first(_D_FINISH_CURRENT, {"counter_id": counter.id, "now": moment})
        day = local_day(moment, snap.timezone)
        ticket = self._pick(d, snap, counter, normal_streak, day, contended=contended)
        if ticket is not None:
            self._mark_called(d, counter, ticket, moment)
            if snap.priority_policy == "interleave":
                streak = 0 if ticket.priority_group_id is not None else normal_streak + 1
                d.execute(_D_SET_STREAK, {"counter_id": counter.id, "streak": streak})
        if finished is not None:
            done = _Row(id=finished[0], number=finished[1], service_id=finished[2], status="done")
            self._event_direct(d, "ticket.finished", snap, moment, done, counter, auto=True)
        if ticket is None:
            return None
        group = snap.groups.get(ticket.priority_group_id) if ticket.priority_group_id else None
        self._event_direct(
            d,
            "ticket.called",
            snap,
            moment,
            ticket,
            counter,
            service=snap.services[ticket.service_id].code,
            priority=group[0] if group else None,
            cycle=ticket.cycle,
        )
        return self._view(None, snap, ticket)  # type: ignore[arg-type]

    def _call_next_pg(
        self, d: Direct, snap: _Snapshot, counter_number: int, now: datetime | None
    ) -> TicketView | None:
        """PostgreSQL: the whole call in one statement (see :meth:`_pg_call_statement`)."""
        moment = ensure_aware(now)
        counter = snap.counter_numbers.get(counter_number)
        if counter is None:
            # Not in the catalogue as read: the counter's row says whether it moved on.
            row = d.first(_D_COUNTER_ROW, {"centre_id": snap.centre_id, "number": counter_number})
            if row is not None and row[3] != snap.revision:
                raise _CatalogMoved
            raise UnknownCounter(number=counter_number)
        day = local_day(moment, snap.timezone)
        ranks = self._service_ranks(d, counter, day, snap)
        key = ("pg-call", snap.revision, counter.id, ranks)
        prepared = self._pick_statements.get(key)
        if prepared is None:
            if len(self._pick_statements) > 256:
                self._pick_statements.clear()
            prepared = self._pick_statements[key] = self._pg_call_statement(snap, counter, ranks)
        sql, defaults = prepared
        params = {
            **defaults,
            "day": day,
            "k_centre": snap.centre_id,
            "k_number": counter_number,
            "k_revision": snap.revision,
            "k_now": moment,
            "k_user": self.user_id,
        }
        row = d.first(sql, params)
        if row is None:  # the counter is busy with another call (or unknown): wait for it
            return self._call_next(d, snap, counter_number, now, contended=True)
        paused, revision, found_none, *rest = row
        if revision != snap.revision:
            raise _CatalogMoved
        if paused:
            raise CounterPaused(number=counter_number)
        ticket_values = rest[: len(_TICKET_NAMES)]
        if ticket_values[0] is None:
            if found_none:
                return None
            # Every ticket in line is held by other counters right now: step by step, in this
            # transaction, each statement seeing what was committed meanwhile.
            return self._call_next(d, snap, counter_number, now, contended=True)
        ticket = _ticket_row(tuple(ticket_values))
        ticket.status, ticket.counter_id, ticket.target_counter_id = "called", counter.id, None
        ticket.called_at, ticket.started_at = moment, None
        return self._view(None, snap, ticket)  # type: ignore[arg-type]

    def _pg_call_statement(
        self, snap: _Snapshot, counter: _CounterInfo, ranks: tuple[tuple[int, int], ...]
    ) -> tuple[str, dict[str, Any]]:
        """One PostgreSQL statement for a whole call, in the shape of the raw
        ``UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING``: lock the counter's
        row (unless another call holds it) and check it (catalogue revision, not paused); finish
        its current ticket; take the head of its queues (compared as in :meth:`_pick_statement`,
        the interleaving streak read from the locked row), or when another counter holds it the
        first ticket in order nobody holds; mark it called; write the call, the streak and the
        two events (ids drawn under the centre's event locks, in this order: finished, then
        called) and notify. Nothing is written when the check fails or the counter is held.
        """
        if snap.priority_policy == "strict":
            prefer: ColumnElement[bool] = true()
        else:
            prefer = literal_column("((SELECT ok.normal_streak FROM ok) >= :k_every)")
        winner, defaults = _compile_direct(
            self._pick_winner(snap, counter, prefer, ranks), sqlite=False
        )
        # When another counter holds the head: the first ticket nobody holds, in queue order.
        anyone, anyone_defaults = _prefixed(
            *_compile_direct(self._pick_any(snap, counter, prefer, ranks), sqlite=False), "a_"
        )
        columns = ", ".join(f"tickets.{name}" for name in _TICKET_NAMES)
        picked_columns = ", ".join(f"p.{name}" for name in _TICKET_NAMES)
        streak = (
            ", streak AS (UPDATE counters SET normal_streak = CASE WHEN"
            " picked.priority_group_id IS NOT NULL THEN 0 ELSE counters.normal_streak + 1 END"
            " FROM picked WHERE counters.id = picked.k_counter RETURNING counters.id)"
            if snap.priority_policy == "interleave"
            else ""
        )
        sql = (
            "WITH counter AS ("
            " SELECT counters.id, counters.paused, counters.normal_streak,"
            " centres.catalog_revision"
            " FROM counters JOIN centres ON centres.id = counters.centre_id"
            " WHERE counters.centre_id = :k_centre AND counters.number = :k_number"
            # Never wait for the counter here: this statement's snapshot would predate the call
            # that held it. Held (a second call at the same counter): step by step instead.
            " FOR UPDATE OF counters SKIP LOCKED),"
            " ok AS (SELECT id, normal_streak FROM counter"
            " WHERE NOT paused AND catalog_revision = :k_revision),"
            " finished AS (UPDATE tickets SET status = 'done', finished_at = :k_now"
            " WHERE counter_id = (SELECT id FROM ok) AND status IN ('called', 'serving')"
            " RETURNING id, number, service_id),"
            # The scalar subquery on "finished" makes it run first: the counter has no current
            # ticket any more when the next one becomes current (one per counter, unique).
            f" head AS (SELECT {columns}, (SELECT id FROM ok) AS k_counter FROM tickets"
            f" WHERE tickets.id = ({winner}) AND tickets.status = 'waiting'"
            " AND EXISTS (SELECT 1 FROM ok) AND (SELECT count(*) FROM finished) >= 0"
            " FOR UPDATE OF tickets SKIP LOCKED),"
            f" anyone AS ({anyone}),"
            # Read only when the head was not taken (a one-time filter, PostgreSQL does not
            # start the scan otherwise).
            " picked AS (SELECT * FROM head UNION ALL"
            " SELECT * FROM anyone WHERE NOT EXISTS (SELECT 1 FROM head)),"
            " called AS (UPDATE tickets SET status = 'called', counter_id = picked.k_counter,"
            " target_counter_id = NULL, called_at = :k_now, started_at = NULL"
            " FROM picked WHERE tickets.id = picked.id RETURNING tickets.id),"
            " call_row AS (INSERT INTO calls (ticket_id, cycle, counter_id, called_at,"
            " waited_seconds) SELECT picked.id, picked.cycle, picked.k_counter, :k_now,"
            " GREATEST(0, extract(epoch FROM (:k_now - picked.waiting_since)))"
            " FROM picked JOIN called ON called.id = picked.id RETURNING id)"
            f"{streak},"
            " logged AS (INSERT INTO events (at, centre_id, kind, ticket_id, counter_id,"
            " service_id, user_id, data)"
            " SELECT :k_now, :k_centre, e.kind, e.ticket_id, (SELECT id FROM ok), e.service_id,"
            " CAST(:k_user AS integer), e.data"
            " FROM (SELECT 1 AS n, 'ticket.finished' AS kind, f.id AS ticket_id, f.service_id,"
            " json_build_object('number', f.number, 'status', 'done', 'counter', :k_number,"
            " 'auto', true) AS data FROM finished f"
            " UNION ALL"
            " SELECT 2, 'ticket.called', p.id, p.service_id,"
            " json_build_object('number', p.number, 'status', 'called', 'counter', :k_number,"
            " 'service', s.code, 'priority', g.code, 'cycle', p.cycle)"
            " FROM picked p JOIN called c ON c.id = p.id JOIN services s ON s.id = p.service_id"
            " LEFT JOIN priority_groups g ON g.id = p.priority_group_id) AS e"
            # The event locks last of all (and only when there is an event): taken per event
            # row, so never while this statement still waits for a counter or a ticket.
            " CROSS JOIN LATERAL (SELECT"
            f" {events.pg_centre_locks('CAST(:k_centre AS integer) + 0 * e.n')})"
            " AS serialise ORDER BY e.n RETURNING id, kind, centre_id),"
            f" notified AS (SELECT pg_notify('{events.NOTIFY_CHANNEL}',"
            f" {events.NOTIFY_PAYLOAD}) FROM logged)"
            " SELECT counter.paused, counter.catalog_revision,"
            " NOT EXISTS (SELECT 1 FROM ok) OR ("
            f" SELECT count(*) FROM ({winner}) AS w) = 0,"
            f" {picked_columns}, (SELECT count(*) FROM notified)"
            " FROM counter LEFT JOIN picked p ON true"
        )
        return sql, {**defaults, **anyone_defaults, "k_every": snap.priority_every}

    def _pick_winner(
        self,
        snap: _Snapshot,
        counter: _CounterInfo,
        prefer: ColumnElement[bool],
        ranks: tuple[tuple[int, int], ...],
    ) -> Any:
        """The id of the counter's next ticket (not locked): the first of the heads of each
        (service, class) queue and of the tickets sent to the counter. ``prefer`` is true when
        the priority class goes first."""
        class_rank = case((Ticket.priority_group_id.is_not(None) == prefer, 0), else_=1)
        columns = (Ticket.id, Ticket.queue_band, Ticket.queued_at)
        c = _queue_heads(snap, counter, class_rank, _service_rank(ranks), columns).c
        return (
            select(c.id).order_by(c.queue_band, c.k_class, c.k_service, c.queued_at, c.id).limit(1)
        )

    def _pick_any(
        self,
        snap: _Snapshot,
        counter: _CounterInfo,
        prefer: ColumnElement[bool],
        ranks: tuple[tuple[int, int], ...],
    ) -> Any:
        """Inside :meth:`_pg_call_statement`: every waiting ticket of the counter in queue order,
        the first one nobody holds locked (``SKIP LOCKED``), with the statement's checks."""
        service_ids = [service_id for service_id, _, _ in counter.links]
        is_priority = Ticket.priority_group_id.is_not(None)
        return (
            select(*_TICKET_COLUMNS, literal_column("(SELECT id FROM ok)").label("k_counter"))
            .where(
                *_waiting_of(snap),
                or_(
                    Ticket.target_counter_id == counter.id,
                    and_(Ticket.target_counter_id.is_(None), Ticket.service_id.in_(service_ids)),
                ),
                literal_column("EXISTS (SELECT 1 FROM ok)"),
                literal_column("(SELECT count(*) FROM finished) >= 0"),
            )
            .order_by(
                Ticket.queue_band,
                case((is_priority == prefer, 0), else_=1),
                _service_rank(ranks),
                Ticket.queued_at,
                Ticket.id,
            )
            .limit(1)
            .with_for_update(skip_locked=True, of=Ticket)
        )

    def _event_direct(
        self,
        d: Direct,
        kind: str,
        snap: _Snapshot,
        now: datetime,
        ticket: Any,
        counter: _CounterInfo,
        **data: Any,
    ) -> int:
        payload = {"number": ticket.number, "status": ticket.status, "counter": counter.number}
        payload.update(data)
        return events.append(
            d,
            kind,
            at=now,
            centre_id=snap.centre_id,
            ticket_id=ticket.id,
            counter_id=counter.id,
            service_id=ticket.service_id,
            user_id=self.user_id,
            data=payload,
        )

    def _pick(
        self,
        d: Direct,
        snap: _Snapshot,
        counter: _CounterInfo,
        streak: int,
        day: date,
        *,
        contended: bool = False,
    ) -> _Row | None:
        """The counter's next ticket, in queue order; on PostgreSQL locked (``SKIP LOCKED``).
        ``contended``: other counters hold the heads right now, go the long way at once."""
        prefer_priority = snap.priority_policy == "strict" or streak >= snap.priority_every
        ranks = self._service_ranks(d, counter, day, snap)
        key = (snap.revision, counter.id, prefer_priority, ranks, d.is_sqlite)
        prepared = self._pick_statements.get(key)
        if prepared is None:
            if len(self._pick_statements) > 256:
                self._pick_statements.clear()
            heads = self._pick_statement(snap, counter, prefer_priority, ranks, heads=True)
            prepared = (_compile_direct(heads, d.is_sqlite), None)
            if not d.is_sqlite:
                every = self._pick_statement(snap, counter, prefer_priority, ranks, heads=False)
                prepared = (prepared[0], _compile_direct(every, sqlite=False))
            self._pick_statements[key] = prepared
        (sql, defaults), fallback = prepared
        row = None if contended and fallback else d.first(sql, {**defaults, "day": day})
        if row is None and fallback is not None:
            # The head was taken by another counter just now (or nobody waits): ask again the
            # long way, every waiting ticket in order, skipping the rows others hold.
            sql, defaults = fallback
            row = d.first(sql, {**defaults, "day": day})
        return _ticket_row(row) if row is not None else None

    def _pick_statement(
        self,
        snap: _Snapshot,
        counter: _CounterInfo,
        prefer_priority: bool,
        ranks: tuple[tuple[int, int], ...],
        *,
        heads: bool,
    ) -> Any:
        """The "next ticket for this counter" query, in queue order, parametrised by day.

        The order: band, class (priority or not, by the centre's policy), the counter's service
        order, then the time the ticket joined the queue. ``heads=True``: only the first ticket
        of each (service, class) and of the tickets sent to this counter are compared, each
        found by the service-queue index in a few steps however long the queue; on PostgreSQL
        the winner is then locked, or nothing is returned if another counter holds it.
        ``heads=False``: every waiting ticket sorted (PostgreSQL: ``SKIP LOCKED`` on the way).
        """
        class_rank = self._class_rank(snap.priority_policy, prefer_priority)
        service_rank = _service_rank(ranks)
        if not heads:
            service_ids = [service_id for service_id, _, _ in counter.links]
            condition = and_(
                *_waiting_of(snap),
                or_(
                    Ticket.target_counter_id == counter.id,
                    and_(Ticket.target_counter_id.is_(None), Ticket.service_id.in_(service_ids)),
                ),
            )
            order = [Ticket.queue_band, class_rank, service_rank, Ticket.queued_at, Ticket.id]
            stmt = select(*_TICKET_COLUMNS).where(condition).order_by(*order).limit(1)
            return stmt if self.db.is_sqlite else stmt.with_for_update(skip_locked=True)
        c = _queue_heads(snap, counter, class_rank, service_rank, _TICKET_COLUMNS).c
        first = select(*(c[name] for name in _TICKET_NAMES)).order_by(
            c.queue_band, c.k_class, c.k_service, c.queued_at, c.id
        )
        if self.db.is_sqlite:
            return first.limit(1)
        winner = first.with_only_columns(c.id).limit(1).scalar_subquery()
        return (
            select(*_TICKET_COLUMNS)
            .where(Ticket.id == winner, Ticket.status == "waiting")
            .with_for_update(skip_locked=True)
        )

    def _service_ranks(
        self, d: Direct, counter: _CounterInfo, day: date, snap: _Snapshot
    ) -> tuple[tuple[int, int], ...]:
        """(service id, rank) pairs for the counter's mode; empty for "fifo" (oldest first)."""
        if counter.mode == "order" and counter.links:
            return tuple((service_id, position) for service_id, position, _ in counter.links)
        if counter.mode == "weighted" and counter.links:
            tz = zone(snap.timezone)
            start = datetime(day.year, day.month, day.day, tzinfo=tz)
            sql, defaults = _direct_sql(_SERVED_TODAY, d.is_sqlite)
            served = {
                service_id: count
                for service_id, count in d.all(
                    sql,
                    {
                        **defaults,
                        "counter_id": counter.id,
                        "start": start,
                        "end": start + timedelta(days=1),
                    },
                )
            }
            # Smooth weighted sharing: the service furthest below its share goes first.
            ordered = sorted(
                counter.links,
                key=lambda link: ((served.get(link[0], 0) + 1) / link[2], link[1]),
            )
            return tuple((link[0], rank) for rank, link in enumerate(ordered))
        return ()

    def _mark_called(self, d: Direct, counter: _CounterInfo, ticket: _Row, now: datetime) -> None:
        d.execute(_D_MARK_CALLED, {"ticket_id": ticket.id, "counter_id": counter.id, "now": now})
        d.execute(
            _D_INSERT_CALL,
            {
                "ticket_id": ticket.id,
                "cycle": ticket.cycle,
                "counter_id": counter.id,
                "called_at": now,
                "waited_seconds": max(0.0, (now - ticket.waiting_since).total_seconds()),
            },
        )
        ticket.status, ticket.counter_id, ticket.target_counter_id = "called", counter.id, None
        ticket.called_at, ticket.started_at = now, None

    # --- transitions at the counter --------------------------------------------------------

    def _transition(
        self,
        ticket_id: int,
        transition: _Transition,
        change: Callable[[Session, _Snapshot, Ticket, datetime], dict[str, Any] | None],
        now: datetime | None,
    ) -> TicketView:
        def work(s: Session) -> TicketView:
            moment = ensure_aware(now)
            snap = self._snapshot(s)
            ticket = self._ticket(s, snap, ticket_id)
            self._check(ticket, transition)
            counter = snap.counters.get(ticket.counter_id) if ticket.counter_id else None
            data = change(s, snap, ticket, moment) or {}
            s.flush()
            view = self._view(s, snap, ticket)
            self._event(s, f"ticket.{transition.action}", snap, moment, ticket, counter, **data)
            return view

        return self._run(work)

    def recall(self, ticket_id: int, *, now: datetime | None = None) -> TicketView:
        """Call the same citizen again (the display and voice repeat the call)."""

        def change(s: Session, c: _Snapshot, t: Ticket, now: datetime) -> dict[str, Any]:
            t.recall_count += 1
            return {"recall_count": t.recall_count}

        return self._transition(ticket_id, _RECALL, change, now)

    def start(self, ticket_id: int, *, now: datetime | None = None) -> TicketView:
        """The citizen is at the counter: service begins."""

        def change(s: Session, c: _Snapshot, t: Ticket, now: datetime) -> None:
            t.status = "serving"
            t.started_at = now

        return self._transition(ticket_id, _START, change, now)

    def finish(self, ticket_id: int, *, now: datetime | None = None) -> TicketView:
        def change(s: Session, c: _Snapshot, t: Ticket, now: datetime) -> None:
            t.status = "done"
            t.finished_at = now

        return self._transition(ticket_id, _FINISH, change, now)

    def no_show(self, ticket_id: int, *, now: datetime | None = None) -> TicketView:
        """Called, but the citizen did not come. ``resume`` puts the ticket back if they do."""

        def change(s: Session, c: _Snapshot, t: Ticket, now: datetime) -> None:
            t.status = "no_show"
            t.finished_at = now

        return self._transition(ticket_id, _NO_SHOW, change, now)

    def hold(self, ticket_id: int, *, now: datetime | None = None) -> TicketView:
        """Park the citizen (e.g. gone to copy a document); the counter is free meanwhile."""

        def change(s: Session, c: _Snapshot, t: Ticket, now: datetime) -> None:
            t.status = "held"
            t.target_counter_id = t.counter_id

        return self._transition(ticket_id, _HOLD, change, now)

    def resume(self, ticket_id: int, *, now: datetime | None = None) -> TicketView:
        """Put a held (or no-show) ticket back at the front of the queue.

        A held ticket waits for the counter that held it; a no-show waits for its service.
        """

        def change(s: Session, c: _Snapshot, t: Ticket, now: datetime) -> dict[str, Any]:
            was = t.status
            if was == "no_show":
                t.target_counter_id = None
            self._requeue(t, now, "front")
            return {"from": was}

        return self._transition(ticket_id, _RESUME, change, now)

    def cancel(self, ticket_id: int, *, now: datetime | None = None) -> TicketView:
        """The citizen leaves before being served."""

        def change(s: Session, c: _Snapshot, t: Ticket, now: datetime) -> None:
            t.status = "cancelled"
            t.finished_at = now

        return self._transition(ticket_id, _CANCEL, change, now)

    def cancel_request(
        self, request_id: str, *, reason: str = "", now: datetime | None = None
    ) -> TicketView | None:
        """Cancel the ticket a client request made, if it exists and still waits (a kiosk whose
        network failed while it asked, and which gave a number from its block instead); None
        when there is none. Idempotent."""

        def work(s: Session) -> TicketView | None:
            moment = ensure_aware(now)
            snap = self._snapshot(s)
            found = s.connection().execute(_BY_REQUEST, {"request_id": request_id}).first()
            if found is None:
                return None
            ticket = self._ticket(s, snap, found.id)
            if ticket.status != "waiting":
                return self._view(s, snap, ticket)
            ticket.status = "cancelled"
            ticket.finished_at = moment
            s.flush()
            view = self._view(s, snap, ticket)
            self._event(s, "ticket.cancel", snap, moment, ticket, reason=reason)
            return view

        return self._run(work)

    def transfer(
        self,
        ticket_id: int,
        *,
        to_service: str | None = None,
        to_counter: int | None = None,
        placement: str | None = None,
        note: str = "",
        now: datetime | None = None,
    ) -> TicketView:
        """Send a ticket to another service's queue or to one counter; it keeps its number.

        ``placement`` (default: the centre's ``transfer_placement``): ``keep`` joins the new queue
        by its original issue time, ``front`` ahead of everyone, ``back`` behind everyone.
        ``note``: the clerk's word for the next counter (at most :data:`NOTE_MAX` characters,
        kept in the ``ticket.transfer`` event; it must not hold personal data).
        """
        if (to_service is None) == (to_counter is None):
            raise ValueError("give exactly one of to_service and to_counter")
        if placement is not None and placement not in PLACEMENTS:
            raise ValueError(f"placement must be one of {PLACEMENTS}")
        text_note = clean_note(note)

        def change(s: Session, c: _Snapshot, t: Ticket, now: datetime) -> dict[str, Any]:
            data: dict[str, Any] = {"from_service": c.services[t.service_id].code}
            if to_service is not None:
                service = self._service(c, to_service)
                if not service.active:
                    raise ServiceInactive(code=to_service)
                t.service_id = service.id
                t.target_counter_id = None
                data["to_service"] = service.code
            else:
                counter = self._counter(c, int(to_counter))  # type: ignore[arg-type]
                t.target_counter_id = counter.id
                data["to_counter"] = counter.number
            how = placement or c.transfer_placement
            self._requeue(t, now, how)
            data["placement"] = how
            if text_note:
                data["note"] = text_note
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

    def pause_counter(
        self,
        number: int,
        *,
        reason: str | None = None,
        note: str = "",
        now: datetime | None = None,
    ) -> CounterState:
        """Stop calls at a counter. ``reason``: one of :data:`PAUSE_REASONS` (None: not given);
        ``note``: free text (at most :data:`NOTE_MAX` characters, no personal data). Both go in
        the ``counter.paused`` event."""
        if reason is not None and reason not in PAUSE_REASONS:
            raise ValueError(f"reason must be one of {PAUSE_REASONS}")
        data: dict[str, Any] = {}
        if reason is not None:
            data["reason"] = reason
        text_note = clean_note(note)
        if text_note:
            data["note"] = text_note
        return self._set_paused(number, True, now, data)

    def resume_counter(self, number: int, *, now: datetime | None = None) -> CounterState:
        return self._set_paused(number, False, now)

    def _set_paused(
        self,
        number: int,
        paused: bool,
        now: datetime | None,
        data: dict[str, Any] | None = None,
    ) -> CounterState:
        def work(s: Session) -> CounterState:
            moment = ensure_aware(now)
            snap = self._snapshot(s)
            info = self._counter(snap, number)
            counter = s.scalar(self._lock(select(Counter).where(Counter.id == info.id)))
            assert counter is not None
            if counter.paused == paused:
                state = tr("counter.paused" if paused else "counter.open")
                raise CounterStateUnchanged(number=number, state=state)
            counter.paused = paused
            s.flush()
            state_view = self._counter_state(s, snap, counter)
            kind = "counter.paused" if paused else "counter.resumed"
            self._event(s, kind, snap, moment, None, info, **(data or {}))
            return state_view

        return self._run(work)

    def _counter_state(self, s: Session, snap: _Snapshot, counter: Counter) -> CounterState:
        info = snap.counters[counter.id]
        codes = [snap.services[service_id].code for service_id, _, _ in info.links]
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
            ticket=self._view(s, snap, current) if current else None,
        )

    # --- satisfaction --------------------------------------------------------------------------

    def rate(
        self,
        ticket_id: int,
        level: int | None,
        *,
        scale: int = 3,
        source: str = "citizen",
        reasons: tuple[str, ...] = (),
        now: datetime | None = None,
    ) -> RatingView:
        """Record the citizen's rating of a finished service (``level`` 1 = lowest … ``scale``),
        or, with ``level=None``, that the prompt timed out without one. ``source`` says who
        entered it: the citizen, a clerk on their behalf, or the command."""
        if scale not in (3, 4, 5):
            raise ValueError("scale must be 3, 4 or 5")
        if level is not None and not 1 <= level <= scale:
            raise RatingRefused("error.rating_level", scale=scale)

        def work(s: Session) -> RatingView:
            moment = ensure_aware(now)
            snap = self._snapshot(s)
            ticket = self._ticket(s, snap, ticket_id)
            if ticket.status != "done":
                raise RatingRefused("error.rating_not_finished", number=ticket.number)
            exists = s.scalar(
                select(Rating.id).where(Rating.ticket_id == ticket.id, Rating.cycle == ticket.cycle)
            )
            if exists is not None:
                raise RatingRefused("error.rating_exists", number=ticket.number)
            served_by = s.scalar(
                select(Event.user_id)
                .where(Event.ticket_id == ticket.id, Event.kind.in_(SERVING_EVENTS))
                .order_by(Event.id.desc())
                .limit(1)
            )
            outcome = "rated" if level is not None else "no_rating"
            clean = tuple(nfc(r.strip()) for r in reasons if r.strip())
            s.add(
                Rating(
                    ticket_id=ticket.id,
                    cycle=ticket.cycle,
                    counter_id=ticket.counter_id,
                    user_id=served_by,
                    scale=scale,
                    level=level,
                    reasons=list(clean),
                    outcome=outcome,
                    source=source,
                    created_at=moment,
                )
            )
            s.flush()
            counter = snap.counters.get(ticket.counter_id) if ticket.counter_id else None
            self._event(
                s,
                "ticket.rated",
                snap,
                moment,
                ticket,
                counter,
                level=level,
                scale=scale,
                outcome=outcome,
                source=source,
                reasons=list(clean),
            )
            return RatingView(
                ticket_id=ticket.id,
                number=ticket.number,
                level=level,
                scale=scale,
                label=tr(f"rating.{scale}.{level}") if level is not None else None,
                outcome=outcome,
                source=source,
                reasons=list(clean),
                clerk_id=served_by,
            )

        return self._run(work)

    # --- printing ----------------------------------------------------------------------------

    def print_details(self, ticket_id: int, *, now: datetime | None = None) -> TicketPrintInfo:
        """What a printed ticket shows, as plain data (gives an old ticket its QR secret)."""

        def work(s: Session) -> TicketPrintInfo:
            snap = self._snapshot(s)
            ticket = self._ticket(s, snap, ticket_id)
            if not ticket.secret:
                ticket.secret = new_secret()
                s.flush()
            view = self._view(s, snap, ticket)
            centre = s.get_one(Centre, snap.centre_id)
            serving = [
                c.number
                for c in sorted(snap.counters.values(), key=lambda c: c.number)
                if c.active and any(link[0] == ticket.service_id for link in c.links)
            ]
            if ticket.target_counter_id in snap.counters:
                serving = [snap.counters[ticket.target_counter_id].number]
            estimate = None
            if view.ahead is not None:
                estimate = self._estimate_wait(s, snap, ticket, view.ahead, len(serving))
            group = snap.groups.get(ticket.priority_group_id) if ticket.priority_group_id else None
            # Vietnamese first: the English line under it is generic ("Priority service").
            group_name = s.get_one(PriorityGroup, ticket.priority_group_id).name if group else None
            return TicketPrintInfo(
                ticket=view,
                centre_code=snap.centre_code,
                centre_name=centre.name,
                timezone=snap.timezone,
                language=ticket.language,
                counters=tuple(serving),
                estimated_wait_min=estimate,
                priority_name=group_name,
                secret=ticket.secret,
            )

        return self._run(work)

    def _estimate_wait(
        self, s: Session, snap: _Snapshot, ticket: Any, ahead: int, counters: int
    ) -> int:
        """Minutes until this ticket is called (see :mod:`shared.estimate`): the lower end of
        the estimate's 5-minute band (0: under 5 minutes), never a figure to the minute."""
        from shared.estimate import estimate_wait, recent_service_minutes

        durations = recent_service_minutes(s, [ticket.service_id], ticket.business_day)
        estimate = estimate_wait(ahead, max(1, counters), durations[ticket.service_id])
        assert estimate is not None
        return estimate.low

    def log_print(self, ticket_id: int | None, kind: str, **data: Any) -> int:
        """Record a print attempt or its outcome in the event log (no personal data)."""

        def work(s: Session) -> int:
            snap = self._snapshot(s)
            ticket = self._ticket(s, snap, ticket_id, lock=False) if ticket_id else None
            return self._event(s, kind, snap, ensure_aware(None), ticket, None, **data)

        return self._run(work)

    def counter(self, number: int) -> CounterState:
        """One counter's state, with its open ticket (what a restarted counter app shows)."""

        def work(s: Session) -> CounterState:
            snap = self._snapshot(s)
            info = self._counter(snap, number)
            return self._counter_state(s, snap, s.get_one(Counter, info.id))

        return self._run(work, readonly=True)

    # --- queries ---------------------------------------------------------------------------

    def ticket(self, ticket_id: int) -> TicketView:
        def work(s: Session) -> TicketView:
            snap = self._snapshot(s)
            return self._view(s, snap, self._ticket(s, snap, ticket_id, lock=False))

        return self._run(work, readonly=True)

    def ahead(self, ticket_id: int) -> int | None:
        """People waiting ahead of a ticket (None when it is not waiting)."""
        return self.ticket(ticket_id).ahead

    def status(self, *, now: datetime | None = None) -> QueueStatus:
        """Waiting per service and the current ticket of every counter, for today."""
        moment = ensure_aware(now)

        def work(s: Session) -> QueueStatus:
            snap = self._snapshot(s)
            day = local_day(moment, snap.timezone)
            counts = {
                (service_id, has_priority): n
                for service_id, has_priority, n in s.execute(
                    select(
                        Ticket.service_id,
                        Ticket.priority_group_id.is_not(None),
                        func.count(),
                    )
                    .where(
                        Ticket.centre_id == snap.centre_id,
                        Ticket.business_day == day,
                        Ticket.status == "waiting",
                    )
                    .group_by(Ticket.service_id, Ticket.priority_group_id.is_not(None))
                ).all()
            }
            services = s.scalars(
                select(Service)
                .where(Service.centre_id == snap.centre_id, Service.active.is_(True))
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
                .where(Counter.centre_id == snap.centre_id, Counter.active.is_(True))
                .order_by(Counter.number)
            ).all()
            return QueueStatus(
                centre=snap.centre_code,
                business_day=day,
                services=waiting,
                counters=[self._counter_state(s, snap, c) for c in counters],
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
