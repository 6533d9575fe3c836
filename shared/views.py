"""Plain data returned by the use cases: frozen dataclasses, never live ORM objects."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo


def _jsonable(value: Any, tz: tzinfo | None = None) -> Any:
    if isinstance(value, datetime):
        if tz is not None and value.tzinfo is not None:
            value = value.astimezone(tz)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v, tz) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v, tz) for v in value]
    return value


class JsonView:
    def to_json(self, timezone: str | None = None) -> dict[str, Any]:
        """Plain JSON data; with ``timezone`` ("Asia/Ho_Chi_Minh") every date-time is written in
        that zone's local time (the same instant, e.g. ``2026-05-27T16:00:00+07:00``)."""
        tz = ZoneInfo(timezone) if timezone else None
        return _jsonable(asdict(self), tz)  # type: ignore[call-overload]


@dataclass(frozen=True)
class TicketView(JsonView):
    id: int
    number: str
    """As printed: "1023", "A012"."""
    service: str
    """Code of the queue the ticket is in now."""
    service_name: str
    service_name_en: str
    status: str
    priority: str | None
    """Code of the priority group, or None."""
    issued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    counter: int | None
    """Number of the counter that called, serves or served the ticket."""
    target_counter: int | None
    """When waiting for one counter only (transfer to a counter, resume)."""
    ahead: int | None
    """People waiting ahead of it (None unless the ticket is waiting)."""
    business_day: date
    recall_count: int
    cycle: int
    centre: str


@dataclass(frozen=True)
class ServiceWaiting(JsonView):
    code: str
    name: str
    name_en: str
    waiting: int
    priority_waiting: int


@dataclass(frozen=True)
class CounterState(JsonView):
    number: int
    name: str
    paused: bool
    services: list[str]
    ticket: TicketView | None


@dataclass(frozen=True)
class QueueStatus(JsonView):
    centre: str
    business_day: date
    services: list[ServiceWaiting] = field(default_factory=list)
    counters: list[CounterState] = field(default_factory=list)


@dataclass(frozen=True)
class EventView(JsonView):
    """One entry of the event log, as the change-feed hands it to displays, kiosks, counters."""

    id: int
    kind: str
    """e.g. "ticket.issued", "ticket.called", "ticket.recall", "counter.paused"."""
    at: datetime
    centre_id: int | None
    ticket_id: int | None
    counter_id: int | None
    service_id: int | None
    data: dict[str, Any]
    """No personal data: numbers, codes, counter numbers ("number", "counter", "service", …)."""


@dataclass(frozen=True)
class NumberBlockView(JsonView):
    """Numbers of one service set aside for one kiosk, to give while the server is away, with
    what the kiosk needs to print them by itself."""

    id: int
    service: str
    service_name: str
    service_name_en: str
    business_day: date
    first_seq: int
    last_seq: int
    prefix: str
    number_start: int
    digits: int
    counters: tuple[int, ...]
    """Numbers of the counters that call this service (printed on the ticket)."""
    centre: str
    centre_name: str
    timezone: str

    def number(self, seq: int) -> str:
        """The number as printed for sequence ``seq`` of the block."""
        from shared.queue import format_number

        return format_number(self.prefix, self.number_start + seq - 1, self.digits)

    @property
    def size(self) -> int:
        return self.last_seq - self.first_seq + 1


@dataclass(frozen=True)
class OfflineTicket(JsonView):
    """A number a kiosk gave from its block while the server was away (kept on the kiosk until
    it is synchronised)."""

    request_id: str
    block_id: int
    service: str
    seq: int
    number: str
    issued_at: datetime
    secret: str
    priority: str | None = None
    language: str = "vi"
