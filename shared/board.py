"""What the waiting-room screen shows, as a Qt-free model.

A :class:`Board` starts from the queue's current state (:class:`~shared.views.QueueStatus`) and
follows the event log: :meth:`Board.apply` takes the events the change-feed delivers and returns
the calls to announce, in order. The screen (``display``) only draws the board; everything that
decides what is shown (filters, who is being served, the latest and recent calls) lives here and
is unit-tested without a display.

No personal data: the board holds ticket numbers, counter numbers and service codes only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.errors import ConfigError
from shared.views import EventView, QueueStatus

if TYPE_CHECKING:
    from shared.db import Database

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

# Event kinds after which the ticket no longer stands at its counter.
_LEAVES_COUNTER = frozenset(
    {
        "ticket.finish",
        "ticket.finished",
        "ticket.no_show",
        "ticket.hold",
        "ticket.transfer",
        "ticket.cancel",
    }
)


@dataclass(frozen=True)
class Call:
    """A number called (or called again) to a counter: shown large and announced."""

    number: str
    counter: int
    service: str | None
    event_id: int
    recall: bool = False
    at: datetime | None = None
    """When the call was committed (aware), None when unknown."""


@dataclass(frozen=True)
class CounterTile:
    """One counter as the screen shows it."""

    number: int
    name: str
    services: tuple[str, ...] = ()
    paused: bool = False
    serving: str | None = None
    """The number called to or served at the counter now, None when free."""


@dataclass(frozen=True)
class BoardFilter:
    """Which counters and services one screen shows; None means all."""

    counters: frozenset[int] | None = None
    services: frozenset[str] | None = None

    @classmethod
    def parse(cls, counters: str = "", services: str = "", source: str = "") -> BoardFilter:
        """Build from the settings' texts ("1-4, 7" and "HT, CT"); bad text raises ConfigError."""
        return cls(parse_counters(counters, source), parse_services(services, source))

    def shows_counter(self, number: int) -> bool:
        return self.counters is None or number in self.counters

    def shows_service(self, code: str | None, counter_services: Iterable[str] = ()) -> bool:
        """A call of service ``code``; when unknown, the counter's services decide."""
        if self.services is None:
            return True
        if code is not None:
            return code.upper() in self.services
        return any(s.upper() in self.services for s in counter_services)

    def shows_tile(self, number: int, services: Iterable[str]) -> bool:
        if not self.shows_counter(number):
            return False
        services = list(services)
        if self.services is None or not services:
            return True
        return any(s.upper() in self.services for s in services)


_RANGE = re.compile(r"^(\d+)\s*(?:-|–|\.\.)\s*(\d+)$")
_CODE = re.compile(r"^[A-Za-z0-9_.-]+$")


def _bad(source: str, key: str, detail: str) -> ConfigError:
    return ConfigError(file=source or "[display]", detail=f"display.{key}: {detail}")


def parse_counters(text: str, source: str = "") -> frozenset[int] | None:
    """ "1-4, 7" -> {1, 2, 3, 4, 7}; empty -> None (all counters)."""
    if not text.strip():
        return None
    numbers: set[int] = set()
    for part in re.split(r"[,;]", text):
        part = part.strip()
        if not part:
            continue
        if part.isdigit():
            numbers.add(int(part))
            continue
        match = _RANGE.match(part)
        if match is None:
            raise _bad(
                source,
                "counters",
                f"“{part}” không phải số quầy hay khoảng số / is not a counter number or range "
                '(ví dụ / e.g. "1-4, 7")',
            )
        low, high = int(match.group(1)), int(match.group(2))
        if low > high:
            raise _bad(
                source,
                "counters",
                f"“{part}”: số đầu lớn hơn số cuối / the first number is larger than the last",
            )
        if high - low > 999:
            raise _bad(source, "counters", f"“{part}”: khoảng quá lớn / range too large")
        numbers.update(range(low, high + 1))
    if not numbers:
        raise _bad(source, "counters", f"“{text}”: không có số quầy nào / no counter number")
    return frozenset(numbers)


def parse_services(text: str, source: str = "") -> frozenset[str] | None:
    """ "HT, CT" -> {"HT", "CT"}; empty -> None (all services). Codes compare upper-case."""
    if not text.strip():
        return None
    codes: set[str] = set()
    for part in re.split(r"[,;\s]+", text):
        if not part:
            continue
        if not _CODE.match(part):
            raise _bad(
                source,
                "services",
                f'“{part}” không phải mã dịch vụ / is not a service code (ví dụ / e.g. "HT, CT")',
            )
        codes.add(part.upper())
    if not codes:
        raise _bad(source, "services", f"“{text}”: không có mã dịch vụ / no service code")
    return frozenset(codes)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


@dataclass
class Board:
    """The screen's state: counters with who they serve, the latest and the recent calls."""

    centre_name: str
    centre_name_en: str = ""
    business_day: date | None = None
    filter: BoardFilter = field(default_factory=BoardFilter)
    recent_limit: int = 6
    timezone: str = DEFAULT_TIMEZONE
    centre_id: int | None = None
    """Events of other centres (several in one database) are ignored when set."""
    counters: dict[int, CounterTile] = field(default_factory=dict)
    """Every counter of the centre, shown or not (filtered by :meth:`tiles`)."""
    latest: Call | None = None
    """The latest call this screen shows (filtered), None before the first."""
    recent: list[Call] = field(default_factory=list)
    """The last calls this screen shows, most recent first: the latest, then up to
    ``recent_limit`` earlier ones (:meth:`earlier`)."""
    last_event_id: int = 0
    """Events up to this id are already applied (a reconnecting feed may repeat them)."""
    _services_of_ticket: dict[int, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_status(
        cls,
        status: QueueStatus | None,
        centre_name: str,
        *,
        centre_name_en: str = "",
        counters: str = "",
        services: str = "",
        recent_limit: int = 6,
        timezone: str = DEFAULT_TIMEZONE,
        centre_id: int | None = None,
        last_event_id: int = 0,
        source: str = "",
    ) -> Board:
        """A board for the state ``status`` (None: nothing known yet, e.g. database down).

        ``counters`` and ``services`` are the settings' filter texts; bad text raises
        :class:`~shared.errors.ConfigError`.
        """
        board = cls(
            centre_name=centre_name,
            centre_name_en=centre_name_en,
            filter=BoardFilter.parse(counters, services, source),
            recent_limit=recent_limit,
            timezone=timezone,
            centre_id=centre_id,
        )
        if status is not None:
            board.reset(status, last_event_id=last_event_id)
        return board

    def reset(self, status: QueueStatus, *, last_event_id: int = 0) -> None:
        """Start again from a fresh state of the queue (start-up, or after a reload)."""
        self.business_day = status.business_day
        self.counters = {}
        self._services_of_ticket = {}
        current: list[Call] = []
        for c in status.counters:
            ticket = c.ticket
            serving = ticket.number if ticket is not None else None
            self.counters[c.number] = CounterTile(
                number=c.number,
                name=c.name,
                services=tuple(c.services),
                paused=c.paused,
                serving=serving,
            )
            if ticket is not None:
                self._services_of_ticket[ticket.id] = ticket.service
                if ticket.called_at is not None and self._shows_call(c.number, ticket.service):
                    current.append(
                        Call(ticket.number, c.number, ticket.service, 0, False, ticket.called_at)
                    )
        current.sort(key=lambda call: call.at or datetime.min, reverse=True)
        self.recent = current[: self.recent_limit + 1]
        self.latest = current[0] if current else None
        self.last_event_id = max(self.last_event_id, last_event_id)

    # --- reading -----------------------------------------------------------------------------

    def tiles(self) -> list[CounterTile]:
        """The counters this screen shows, by number."""
        return [
            tile
            for number, tile in sorted(self.counters.items())
            if self.filter.shows_tile(number, tile.services)
        ]

    def local_time(self, moment: datetime) -> datetime:
        """``moment`` on the centre's clock."""
        return moment.astimezone(_zone(self.timezone))

    # --- following the event log -------------------------------------------------------------

    def apply(self, events: Iterable[EventView]) -> list[Call]:
        """Apply the events in order; return the calls and recalls to announce, in order.

        Events already applied (id ≤ :attr:`last_event_id`) and other centres' are skipped.
        """
        calls: list[Call] = []
        for event in events:
            if event.id <= self.last_event_id:
                continue
            self.last_event_id = event.id
            if self.centre_id is not None and event.centre_id not in (None, self.centre_id):
                continue
            self._roll_day(event.at)
            call = self._apply_one(event)
            if call is not None:
                calls.append(call)
        return calls

    def _roll_day(self, at: datetime | None) -> None:
        """Numbers restart every day: a new day starts with an empty list of calls."""
        if at is None or at.tzinfo is None:
            return
        day = self.local_time(at).date()
        if self.business_day is None:
            self.business_day = day
        elif day > self.business_day:
            self.business_day = day
            self.latest = None
            self.recent = []
            self._services_of_ticket = {}
            for number, tile in self.counters.items():
                self.counters[number] = replace(tile, serving=None)

    def _apply_one(self, event: EventView) -> Call | None:
        data = event.data or {}
        kind = event.kind
        counter = _int(data.get("counter"))
        number = data.get("number")
        number = str(number) if number is not None else None
        if kind in ("counter.paused", "counter.resumed"):
            if counter is not None:
                self._set(counter, paused=kind == "counter.paused")
            return None
        if counter is None or number is None:
            return None
        if kind in ("ticket.called", "ticket.recall"):
            service = data.get("service")
            if service is None and event.ticket_id is not None:
                service = self._services_of_ticket.get(event.ticket_id)
            if service is not None and event.ticket_id is not None:
                self._services_of_ticket[event.ticket_id] = str(service)
            self._set(counter, serving=number)
            if not self._shows_call(counter, service):
                return None
            call = Call(
                number=number,
                counter=counter,
                service=str(service) if service is not None else None,
                event_id=event.id,
                recall=kind == "ticket.recall",
                at=event.at,
            )
            self._record(call)
            return call
        if kind == "ticket.start":
            self._set(counter, serving=number)
        elif kind in _LEAVES_COUNTER:
            tile = self.counters.get(counter)
            if tile is not None and tile.serving == number:
                self.counters[counter] = replace(tile, serving=None)
        return None

    def _set(self, counter: int, **changes: object) -> None:
        tile = self.counters.get(counter) or CounterTile(counter, f"Quầy {counter:02d}")
        self.counters[counter] = replace(tile, **changes)  # type: ignore[arg-type]

    def _shows_call(self, counter: int, service: str | None) -> bool:
        tile = self.counters.get(counter)
        services = tile.services if tile is not None else ()
        return self.filter.shows_counter(counter) and self.filter.shows_service(service, services)

    def earlier(self) -> list[Call]:
        """The recent calls without the latest one (shown large already), most recent first."""
        rest = self.recent[1:] if self.recent and self.recent[0] == self.latest else self.recent
        return rest[: self.recent_limit]

    def _record(self, call: Call) -> None:
        self.latest = call
        rest = [c for c in self.recent if (c.number, c.counter) != (call.number, call.counter)]
        # One more than the list shows: the latest call leads it and is shown large.
        self.recent = [call, *rest][: self.recent_limit + 1]


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


# --- start-up state and announcing -----------------------------------------------------------

ANNOUNCE_MAX_AGE = 120.0
"""Seconds: calls older than this, counted back from the newest event of the same batch, are
shown but not spoken (a screen catching up after an outage should not read out old calls)."""


def announceable(
    calls: Sequence[Call], events: Sequence[EventView], max_age: float = ANNOUNCE_MAX_AGE
) -> list[Call]:
    """The calls of one batch worth speaking, in order.

    Ages are measured against the newest event of the batch, not this computer's clock, so a
    clock that is off on the display PC never silences the calls.
    """
    stamps = [e.at for e in events if e.at is not None and e.at.tzinfo is not None]
    if not stamps:
        return list(calls)
    newest = max(stamps)
    return [
        c
        for c in calls
        if c.at is None or c.at.tzinfo is None or (newest - c.at).total_seconds() <= max_age
    ]


@dataclass(frozen=True)
class BoardSource:
    """What a screen needs from the database at start-up (read once, off the UI)."""

    status: QueueStatus
    centre_name: str
    centre_name_en: str
    timezone: str
    centre_id: int | None
    last_event_id: int
    """The newest event of the centre (or of no centre) when the state was read: the centre's
    change-feed continues after it."""


def load_board_source(db: Database, centre: str | None = None) -> BoardSource:
    """Read the queue's state, the centre's name and the event log position.

    The log position is read first: an event committed meanwhile is applied again rather than
    missed. Raises the usual :class:`~shared.errors.MotcuaError` family (database unreachable,
    schema old, no catalogue).
    """
    from shared.catalog import show_catalog
    from shared.feed import latest_event_id
    from shared.queue import QueueEngine

    centre_id = _centre_id(db, centre)
    last_id = latest_event_id(db, centre_id)
    engine = QueueEngine(db, centre)
    status = engine.status()
    info = show_catalog(db, status.centre)["centre"]
    return BoardSource(
        status=status,
        centre_name=info["name"],
        centre_name_en=info.get("name_en") or "",
        timezone=info.get("timezone") or DEFAULT_TIMEZONE,
        centre_id=centre_id,
        last_event_id=last_id,
    )


def _centre_id(db: Database, code: str | None) -> int:
    """The id of the centre named ``code`` (the only one when empty); its log position is the
    one its change-feed continues from."""
    from shared.queue import resolve_centre

    with db.transaction(readonly=True) as session:
        return resolve_centre(session, code).id
