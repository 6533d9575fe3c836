"""The data model (SQLAlchemy 2.0 typed ORM). Alembic migrations in ``shared/migrations``.

Times are stored in UTC; the centre's *local day* (``business_day``) is stored beside the ticket,
computed once, in the centre's time zone, when the ticket is issued. Nothing is ever deleted:
catalogue entries are deactivated, tickets end in a final status, and every state change appends
one row to :class:`Event`, whose id only grows (displays, audit and reports read it).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TICKET_STATUSES = ("waiting", "called", "serving", "held", "done", "no_show", "cancelled")
ACTIVE_STATUSES = ("called", "serving")
"""A ticket in one of these is the current ticket of its counter (at most one per counter)."""
FINAL_STATUSES = ("done", "no_show", "cancelled")
USER_ROLES = ("clerk", "manager", "admin")
COUNTER_MODES = ("fifo", "order", "weighted")
PRIORITY_POLICIES = ("strict", "interleave")
PLACEMENTS = ("keep", "front", "back")
BAND_FRONT = 0
BAND_NORMAL = 1


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend (SQLite stores it naive, in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass an aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Centre(Base):
    """A service centre (or a ministry's one-stop desk). A province may keep many in one DB."""

    __tablename__ = "centres"
    __table_args__ = (
        CheckConstraint(f"priority_policy IN {_in(PRIORITY_POLICIES)}", name="priority_policy"),
        CheckConstraint(f"transfer_placement IN {_in(PLACEMENTS)}", name="transfer_placement"),
        CheckConstraint("priority_every BETWEEN 1 AND 50", name="priority_every"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255), default="")
    agency: Mapped[str] = mapped_column(String(255), default="")
    agency_eid: Mapped[str] = mapped_column(String(32), default="")
    place: Mapped[str] = mapped_column(String(128), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Ho_Chi_Minh")
    priority_policy: Mapped[str] = mapped_column(String(16), default="strict")
    priority_every: Mapped[int] = mapped_column(default=3)
    transfer_placement: Mapped[str] = mapped_column(String(8), default="keep")
    catalog_revision: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime]


class Sector(Base):
    """A field of procedures (lĩnh vực), e.g. Tư pháp, Đất đai."""

    __tablename__ = "sectors"
    __table_args__ = (UniqueConstraint("centre_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255), default="")
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class Service(Base):
    """A queue: what a citizen takes a number for on the kiosk."""

    __tablename__ = "services"
    __table_args__ = (
        UniqueConstraint("centre_id", "code"),
        CheckConstraint("number_start >= 0", name="number_start"),
        CheckConstraint("number_end IS NULL OR number_end >= number_start", name="number_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sectors.id"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255), default="")
    prefix: Mapped[str] = mapped_column(String(2), default="")
    number_start: Mapped[int] = mapped_column(default=1)
    number_end: Mapped[int | None]
    digits: Mapped[int] = mapped_column(default=0)
    daily_reset: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class Procedure(Base):
    """An administrative procedure (thủ tục hành chính) with its national code."""

    __tablename__ = "procedures"
    __table_args__ = (
        UniqueConstraint("centre_id", "code"),
        CheckConstraint(
            "(processing_days IS NULL) <> (processing_hours IS NULL)", name="processing_time"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text, default="")
    sector_id: Mapped[int] = mapped_column(ForeignKey("sectors.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    processing_days: Mapped[float | None] = mapped_column(Numeric(6, 2, asdecimal=False))
    processing_hours: Mapped[float | None] = mapped_column(Numeric(6, 2, asdecimal=False))
    cutoff: Mapped[str | None] = mapped_column(String(5))
    fee: Mapped[int] = mapped_column(BigInteger, default=0)
    fee_note: Mapped[str] = mapped_column(Text, default="")
    documents: Mapped[list[Any]] = mapped_column(default=list)
    version: Mapped[int] = mapped_column(default=1)
    """Grows whenever deadline, fee or documents change; dossiers keep the version they got."""
    active: Mapped[bool] = mapped_column(default=True)


class Counter(Base):
    """A numbered counter (quầy) where a clerk calls tickets."""

    __tablename__ = "counters"
    __table_args__ = (
        UniqueConstraint("centre_id", "number"),
        CheckConstraint(f"mode IN {_in(COUNTER_MODES)}", name="mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(255), default="")
    mode: Mapped[str] = mapped_column(String(16), default="fifo")
    paused: Mapped[bool] = mapped_column(default=False)
    normal_streak: Mapped[int] = mapped_column(default=0)
    """Normal tickets called since the last priority one (for the interleave policy)."""
    active: Mapped[bool] = mapped_column(default=True)


class CounterService(Base):
    """Which services a counter calls, in priority order (``position``) or by ``weight``."""

    __tablename__ = "counter_services"
    __table_args__ = (CheckConstraint("weight BETWEEN 1 AND 100", name="weight"),)

    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    weight: Mapped[int] = mapped_column(default=1)


class PriorityGroup(Base):
    """A priority group (người cao tuổi, người khuyết tật, …): configurable data."""

    __tablename__ = "priority_groups"
    __table_args__ = (UniqueConstraint("centre_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255), default="")
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


CALENDAR_KINDS = ("off", "work")
CALENDAR_SOURCES = ("manual", "import", "prefill")


class CalendarYearStatus(Base):
    """One year of the working calendar: whether an administrator confirmed it.

    A row exists once anything was written for the year; years without a row follow the
    statutory holidays computed by ``shared.workcal``.
    """

    __tablename__ = "calendar_years"
    __table_args__ = (CheckConstraint("year BETWEEN 1900 AND 2199", name="year"),)

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    confirmed: Mapped[bool] = mapped_column(default=False)
    confirmed_at: Mapped[datetime | None]
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime]


class CalendarDay(Base):
    """An exception to "Monday–Friday work, Saturday–Sunday off": a weekday off (holiday,
    make-up day, swapped day) with its reason, or a worked Saturday/Sunday."""

    __tablename__ = "calendar_days"
    __table_args__ = (
        CheckConstraint(f"kind IN {_in(CALENDAR_KINDS)}", name="kind"),
        CheckConstraint(f"source IN {_in(CALENDAR_SOURCES)}", name="source"),
    )

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    year: Mapped[int] = mapped_column(ForeignKey("calendar_years.year"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(8), default="manual")
    updated_at: Mapped[datetime]
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class User(Base):
    """A clerk, manager or administrator. Passwords are stored as argon2 hashes only."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN {_in(USER_ROLES)}", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("centres.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class TicketSequence(Base):
    """The last sequence number given per service and period (the local day, when it resets).

    Numbering is an atomic upsert of this row (``… ON CONFLICT DO UPDATE … RETURNING``), never
    ``max + 1``; the unique constraint on tickets backs it.
    """

    __tablename__ = "ticket_sequences"

    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    period: Mapped[date] = mapped_column(Date, primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)


class NumberBlock(Base):
    """Numbers of one service set aside in advance for one kiosk, to give while the database
    server cannot be reached.

    Taken from the same sequence row as every other number (so nobody else gives them); the
    tickets a kiosk issues from its block arrive later (:meth:`QueueEngine.sync_offline`) with
    these numbers and their own issue times. Numbers of a block never used stay unused.
    """

    __tablename__ = "number_blocks"
    __table_args__ = (
        CheckConstraint("first_seq >= 1 AND last_seq >= first_seq", name="range"),
        Index("ix_number_blocks_holder", "holder", "business_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    period: Mapped[date] = mapped_column(Date)
    """The sequence period the numbers come from (see :class:`TicketSequence`)."""
    business_day: Mapped[date] = mapped_column(Date)
    """The centre's day the numbers may be given on."""
    first_seq: Mapped[int]
    last_seq: Mapped[int]
    holder: Mapped[str] = mapped_column(String(64))
    """The kiosk that holds them (its own random id, kept on that PC)."""
    reserved_at: Mapped[datetime]


class Ticket(Base):
    """A queue ticket. Holds no personal data."""

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("origin_service_id", "business_day", "seq"),
        UniqueConstraint("request_id"),
        CheckConstraint(f"status IN {_in(TICKET_STATUSES)}", name="status"),
        Index(
            "ix_tickets_service_queue",
            "centre_id",
            "business_day",
            "status",
            "service_id",
            "target_counter_id",
            "priority_group_id",
            "queue_band",
            "queued_at",
            "id",
        ),
        Index(
            "ix_tickets_targeted",
            "target_counter_id",
            sqlite_where=text("target_counter_id IS NOT NULL"),
            postgresql_where=text("target_counter_id IS NOT NULL"),
        ),
        Index(
            "uq_tickets_current_per_counter",
            "counter_id",
            unique=True,
            sqlite_where=text(f"status IN {_in(ACTIVE_STATUSES)}"),
            postgresql_where=text(f"status IN {_in(ACTIVE_STATUSES)}"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    origin_service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    """The service that numbered the ticket; numbers are unique per (origin, local day)."""
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    """The queue the ticket is in now (differs from the origin after a transfer)."""
    business_day: Mapped[date] = mapped_column(Date)
    seq: Mapped[int]
    number: Mapped[str] = mapped_column(String(16))
    priority_group_id: Mapped[int | None] = mapped_column(ForeignKey("priority_groups.id"))
    status: Mapped[str] = mapped_column(String(16), default="waiting")
    language: Mapped[str] = mapped_column(String(2), default="vi")
    issued_at: Mapped[datetime]
    queued_at: Mapped[datetime]
    """Position in the queue within its band (the issue time, or the time of a transfer)."""
    waiting_since: Mapped[datetime]
    """When the ticket last entered a queue (issue, transfer, resume): waits count from it."""
    queue_band: Mapped[int] = mapped_column(default=BAND_NORMAL)
    """0: placed at the front (transfer/resume), 1: normal."""
    cycle: Mapped[int] = mapped_column(default=1)
    """Times the ticket entered a queue; a call is unique per (ticket, cycle)."""
    called_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    """The counter that called (or serves, or last served) the ticket."""
    target_counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    """When set, only this counter may call the ticket (transfer to a counter, resume)."""
    recall_count: Mapped[int] = mapped_column(default=0)
    request_id: Mapped[str | None] = mapped_column(String(64))
    secret: Mapped[str | None] = mapped_column(String(16))
    """Random lookup secret printed in the ticket's QR code (never personal data)."""
    block_id: Mapped[int | None] = mapped_column(ForeignKey("number_blocks.id"))
    """Set when a kiosk gave the ticket from its block while the server was away."""


class Call(Base):
    """One call of a ticket by a counter; unique per (ticket, cycle): never called twice."""

    __tablename__ = "calls"
    __table_args__ = (UniqueConstraint("ticket_id", "cycle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    cycle: Mapped[int]
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"))
    called_at: Mapped[datetime]
    waited_seconds: Mapped[float]


class Event(Base):
    """The append-only event log. The id grows in commit order within a centre (with the
    events of no centre; see ``shared.events``)."""

    __tablename__ = "events"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime]
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("centres.id"))
    kind: Mapped[str] = mapped_column(String(48))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"))
    """The dossier the event is about (dossier events only)."""


class CounterSession(Base):
    """A clerk signed in at a counter. At most one open session per counter (partial unique
    index), so two clerks can never hold the same counter at once."""

    __tablename__ = "counter_sessions"
    __table_args__ = (
        Index(
            "uq_counter_sessions_open",
            "counter_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    machine: Mapped[str] = mapped_column(String(128), default="")
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


RATING_SOURCES = ("citizen", "clerk", "command")
RATING_OUTCOMES = ("rated", "no_rating")


class Rating(Base):
    """A citizen's satisfaction with one service, on the scale configured when it was given."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("ticket_id", "cycle"),
        CheckConstraint(f"source IN {_in(RATING_SOURCES)}", name="source"),
        CheckConstraint(f"outcome IN {_in(RATING_OUTCOMES)}", name="outcome"),
        CheckConstraint("scale BETWEEN 3 AND 5", name="scale"),
        CheckConstraint(
            "(outcome = 'rated' AND level BETWEEN 1 AND scale) "
            "OR (outcome = 'no_rating' AND level IS NULL)",
            name="level",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    cycle: Mapped[int]
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    """The clerk who served the citizen."""
    scale: Mapped[int]
    level: Mapped[int | None]
    """1 = lowest (Không hài lòng on the 3-level scale) … scale = highest (Rất hài lòng)."""
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    outcome: Mapped[str] = mapped_column(String(12), default="rated")
    source: Mapped[str] = mapped_column(String(12), default="citizen")
    """Who entered it: the citizen on the prompt, a clerk on their behalf, or the command."""
    created_at: Mapped[datetime]


Index("ix_events_ticket", Event.ticket_id)
Index("ix_events_centre", Event.centre_id, Event.id)
Index("ix_calls_counter", Call.counter_id, Call.called_at)
Index("ix_tickets_day_service", Ticket.business_day, Ticket.service_id)


# --- reports: the figures of closed days, kept ------------------------------------------------


class ReportDay(Base):
    """A closed local day whose report figures are kept (``report_figures``, ``report_bands``),
    and the last event they include: a later event about one of its tickets makes them old."""

    __tablename__ = "report_days"

    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), primary_key=True)
    business_day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_event_id: Mapped[int] = mapped_column(BigInteger)
    made_at: Mapped[datetime]


class ReportFigure(Base):
    """Counts and sums of one day's tickets in one group: a service, an hour, a counter, a clerk
    (``dimension``, ``key``), or the whole day (``total``)."""

    __tablename__ = "report_figures"

    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), primary_key=True)
    business_day: Mapped[date] = mapped_column(Date, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(12), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    tickets: Mapped[int]
    served: Mapped[int]
    no_show: Mapped[int]
    cancelled: Mapped[int]
    wait_n: Mapped[int]
    wait_sum: Mapped[float]
    service_n: Mapped[int]
    service_sum: Mapped[float]


class ReportBand(Base):
    """How many of one group's waits (or service times) fell in each 30-second band (band
    ``b``: from ``30·b`` to ``30·b + 30`` seconds), for percentiles over any range of days."""

    __tablename__ = "report_bands"

    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), primary_key=True)
    business_day: Mapped[date] = mapped_column(Date, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(12), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    measure: Mapped[str] = mapped_column(String(8), primary_key=True)
    band: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    count: Mapped[int]


# --- dossiers (hồ sơ) --------------------------------------------------------------------------

DOSSIER_STATUSES = tuple(range(1, 11))
DOSSIER_CHANNELS = (1, 2, 3)
RESULT_DELIVERIES = ("desk", "post")
PARTY_ROLES = ("applicant", "submitter")
PARTY_KINDS = ("person", "organisation")
ID_TYPES = ("cccd", "cmnd", "passport", "tax")
TIMELINESS = ("early", "on_time", "late")
NOTICE_FORMS = ("02", "03", "04")


def _in_int(values: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(v) for v in values) + ")"


class DossierSequence(Base):
    """The last running number of dossier codes per agency e-ID and local receipt day.

    Numbered like tickets: an atomic upsert of this row, never ``max + 1``; the unique
    constraint on dossiers backs it.
    """

    __tablename__ = "dossier_sequences"

    agency_eid: Mapped[str] = mapped_column(String(32), primary_key=True)
    period: Mapped[date] = mapped_column(Date, primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)


class Dossier(Base):
    """A dossier (hồ sơ) received for a procedure, with the procedure as it was at receipt."""

    __tablename__ = "dossiers"
    __table_args__ = (
        UniqueConstraint("code"),
        UniqueConstraint("agency_eid", "receipt_day", "seq"),
        UniqueConstraint("request_id"),
        CheckConstraint(f"status IN {_in_int(DOSSIER_STATUSES)}", name="status"),
        CheckConstraint(f"channel IN {_in_int(DOSSIER_CHANNELS)}", name="channel"),
        CheckConstraint(f"result_delivery IN {_in(RESULT_DELIVERIES)}", name="result_delivery"),
        CheckConstraint(
            f"timeliness IS NULL OR timeliness IN {_in(TIMELINESS)}", name="timeliness"
        ),
        CheckConstraint("sets BETWEEN 1 AND 99", name="sets"),
        CheckConstraint("fee >= 0", name="fee"),
        CheckConstraint("seq >= 1", name="seq"),
        Index("ix_dossiers_centre_status", "centre_id", "status", "due_at"),
        Index("ix_dossiers_centre_day", "centre_id", "receipt_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    code: Mapped[str] = mapped_column(String(48))
    """Mã hồ sơ ``<agency e-ID>-<YYMMDD>-<NNNN>``."""
    secret: Mapped[str] = mapped_column(String(16))
    agency_eid: Mapped[str] = mapped_column(String(32))
    receipt_day: Mapped[date] = mapped_column(Date)
    """The centre's local day of receipt (the YYMMDD of the code)."""
    seq: Mapped[int]
    register_no: Mapped[int]
    register_volume: Mapped[str] = mapped_column(String(16))
    request_id: Mapped[str | None] = mapped_column(String(64))
    # The procedure as it was at receipt: later catalogue edits never move this dossier.
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"))
    procedure_code: Mapped[str] = mapped_column(String(32))
    procedure_name: Mapped[str] = mapped_column(Text)
    procedure_name_en: Mapped[str] = mapped_column(Text, default="")
    procedure_version: Mapped[int]
    processing_days: Mapped[float | None] = mapped_column(Numeric(6, 2, asdecimal=False))
    processing_hours: Mapped[float | None] = mapped_column(Numeric(6, 2, asdecimal=False))
    cutoff: Mapped[str | None] = mapped_column(String(5))
    fee: Mapped[int] = mapped_column(BigInteger, default=0)
    fee_note: Mapped[str] = mapped_column(Text, default="")
    procedure_documents: Mapped[list[Any]] = mapped_column(default=list)
    """The catalogue's document list at receipt."""
    status: Mapped[int] = mapped_column(default=2)
    channel: Mapped[int] = mapped_column(default=1)
    sets: Mapped[int] = mapped_column(default=1)
    result_delivery: Mapped[str] = mapped_column(String(8), default="desk")
    result_address: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime]
    due_at: Mapped[datetime]
    appointment_at: Mapped[datetime]
    result_ready_at: Mapped[datetime | None]
    returned_at: Mapped[datetime | None]
    timeliness: Mapped[str | None] = mapped_column(String(8))
    """Final once the result is ready (Trước hạn / Đúng hạn / Quá hạn)."""
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    received_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    search_key: Mapped[str] = mapped_column(Text, default="")
    """Code, procedure name and applicant name folded (no tone marks, lower case)."""
    applicant_masked: Mapped[str] = mapped_column(Text, default="")
    """The applicant's name as the kiosk shows it ("N*** V*** A**"), kept so the kiosk never
    reads the personal data (its database role cannot, ``motcua db roles``)."""
    updated_at: Mapped[datetime]


class DossierParty(Base):
    """The applicant, or the person who submitted the dossier for them (personal data)."""

    __tablename__ = "dossier_parties"
    __table_args__ = (
        UniqueConstraint("dossier_id", "role"),
        CheckConstraint(f"role IN {_in(PARTY_ROLES)}", name="role"),
        CheckConstraint(f"kind IN {_in(PARTY_KINDS)}", name="kind"),
        CheckConstraint(f"id_type IS NULL OR id_type IN {_in(ID_TYPES)}", name="id_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"))
    role: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(12), default="person")
    name: Mapped[str] = mapped_column(Text)
    id_type: Mapped[str | None] = mapped_column(String(12))
    id_number: Mapped[str] = mapped_column(String(32), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    email: Mapped[str] = mapped_column(String(255), default="")


class DossierDocument(Base):
    """A document handed in, with how many originals, certified copies and copies."""

    __tablename__ = "dossier_documents"
    __table_args__ = (
        UniqueConstraint("dossier_id", "position"),
        CheckConstraint("originals BETWEEN 0 AND 99", name="originals"),
        CheckConstraint("certified BETWEEN 0 AND 99", name="certified"),
        CheckConstraint("copies BETWEEN 0 AND 99", name="copies"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(Text)
    originals: Mapped[int] = mapped_column(default=0)
    certified: Mapped[int] = mapped_column(default=0)
    copies: Mapped[int] = mapped_column(default=0)


class DossierHandover(Base):
    """One hand-over step (liên thông). Rows are only added; a step's result is written once."""

    __tablename__ = "dossier_handovers"
    __table_args__ = (UniqueConstraint("dossier_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"))
    position: Mapped[int]
    from_unit: Mapped[str] = mapped_column(Text)
    to_unit: Mapped[str] = mapped_column(Text)
    handed_at: Mapped[datetime]
    due_at: Mapped[datetime | None]
    result_at: Mapped[datetime | None]
    result: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class NoticeSequence(Base):
    """The last "Số: …" of a notice form per centre and year (atomic upsert, like codes)."""

    __tablename__ = "notice_sequences"

    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), primary_key=True)
    form: Mapped[str] = mapped_column(String(4), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)


class DossierNotice(Base):
    """A notice issued after receipt: Mẫu 02 (supplement), 03 (refusal), 04 (new date)."""

    __tablename__ = "dossier_notices"
    __table_args__ = (
        UniqueConstraint("centre_id", "form", "year", "seq"),
        CheckConstraint(f"form IN {_in(NOTICE_FORMS)}", name="form"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"))
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    form: Mapped[str] = mapped_column(String(4))
    year: Mapped[int]
    seq: Mapped[int]
    number: Mapped[str] = mapped_column(String(32))
    """As printed after "Số:", e.g. "15/HDHS"."""
    created_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text, default="")
    missing: Mapped[list[Any]] = mapped_column(default=list)
    old_due_at: Mapped[datetime | None]
    new_due_at: Mapped[datetime | None]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class LookupGuard(Base):
    """Wrong kiosk lookups per dossier code (existing or not), shared by every kiosk."""

    __tablename__ = "dossier_lookup_guards"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None]
    blocked_until: Mapped[datetime | None]


Index(
    "ix_events_dossier",
    Event.dossier_id,
    sqlite_where=Event.dossier_id.is_not(None),
    postgresql_where=Event.dossier_id.is_not(None),
)
Index("ix_dossier_notices_dossier", DossierNotice.dossier_id)
