"""What the counter window shows, read in one go (no Qt here: testable without a display).

:func:`load_snapshot` runs in the worker thread and returns a frozen :class:`CounterSnapshot`;
:func:`legal_actions` says which buttons are enabled for the current ticket's status.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.clock import ensure_aware, local_day
from shared.db import Database
from shared.models import Centre, Counter, Event, PriorityGroup, Service, Ticket
from shared.queue import QueueEngine
from shared.settings import config_dir
from shared.views import CounterState, ServiceWaiting

log = logging.getLogger("motcua.counter")

REFRESH_THROTTLE_MS = 300
"""Change-feed bursts are folded into one status read at most this often."""
RETRY_SECONDS = 5
"""While the database is unreachable, try again this often (the feed also says when it is back)."""

ACTIONS = (
    "call_next",
    "recall",
    "start",
    "finish",
    "no_show",
    "hold",
    "transfer",
    "pause",
    "resume",
)
"""Every clerk action, in button order."""

SHORTCUTS: dict[str, str] = {
    "call_next": "F2",
    "recall": "F3",
    "start": "F4",
    "finish": "F5",
    "no_show": "F6",
    "hold": "F7",
    "transfer": "F8",
    "pause": "F9",
    "resume": "F10",
}

_BY_STATUS: dict[str, set[str]] = {
    "called": {"recall", "start", "finish", "no_show", "hold", "transfer"},
    "serving": {"finish", "hold", "transfer"},
}


def legal_actions(
    ticket_status: str | None, *, paused: bool, has_held: bool, online: bool = True
) -> set[str]:
    """The actions allowed now: the engine's transitions for the open ticket's status."""
    if not online:
        return set()
    allowed = set(_BY_STATUS.get(ticket_status or "", set()))
    allowed.add("pause")
    if not paused:
        allowed.add("call_next")
    if has_held:
        allowed.add("resume")
    return allowed


# --- remembered per machine ----------------------------------------------------------------------


def prefs_path() -> Path:
    return config_dir() / "counter.json"


def load_prefs(path: Path | None = None) -> dict[str, Any]:
    """The user name, counter and language last used on this PC ({} when none or unreadable)."""
    target = path or prefs_path()
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_prefs(
    username: str | None = None,
    counter: int | None = None,
    *,
    language: str | None = None,
    rating_on_dialog: bool | None = None,
    path: Path | None = None,
) -> None:
    """Remember the user name, counter, screen language and where the rating prompt goes
    (never the password); what is not given keeps its remembered value."""
    target = path or prefs_path()
    data = load_prefs(target)
    for key, value in (
        ("username", username),
        ("counter", counter),
        ("language", language),
        ("rating_on_dialog", rating_on_dialog),
    ):
        if value is not None:
            data[key] = value
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    except OSError as error:
        log.warning("cannot remember the counter in %s: %s", target, error)


# --- the snapshot ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeldTicket:
    id: int
    number: str
    service_name: str
    service_name_en: str = ""


@dataclass(frozen=True)
class Figures:
    served: int = 0
    mean_service_min: float | None = None
    no_shows: int = 0


@dataclass(frozen=True)
class TransferStep:
    """One transfer of the open ticket, from its ``ticket.transfer`` event."""

    at: datetime
    counter: int | None
    """The counter that transferred it (None: from the command line or a waiting ticket)."""
    source: str
    """Code of the service it left."""
    to_service: str | None
    to_counter: int | None
    note: str = ""


@dataclass(frozen=True)
class ServiceChoice:
    code: str
    name: str
    name_en: str = ""

    def label(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name


@dataclass(frozen=True)
class CounterSnapshot:
    """Everything the main window shows besides the clock."""

    centre_id: int
    timezone: str
    state: CounterState
    waiting: list[ServiceWaiting] = field(default_factory=list)
    longest_wait_min: int | None = None
    held: list[HeldTicket] = field(default_factory=list)
    figures: Figures = field(default_factory=Figures)
    priority_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    """code -> (Vietnamese name, English name)."""
    transfers: list[TransferStep] = field(default_factory=list)
    """The open ticket's transfer history, oldest first."""
    services: list[ServiceChoice] = field(default_factory=list)
    """Every active service: targets of a transfer."""
    counters: list[tuple[int, str]] = field(default_factory=list)
    """(number, name) of every other active counter: targets of a transfer."""
    ticket_language: str = "vi"
    """The language the citizen chose on the kiosk (the rating prompt speaks it)."""
    pause_reason: str | None = None
    """While paused: the reason code given (None: none given)."""
    pause_note: str = ""


def load_snapshot(
    engine: QueueEngine, number: int, *, now: datetime | None = None
) -> CounterSnapshot:
    """Read the counter's state, its queues, held tickets and today's figures.

    Two transactions: the engine's view of the counter (with its open ticket), then one
    read-only transaction for everything around it, only for this counter's services.
    """
    moment = ensure_aware(now)
    state = engine.counter(number)  # raises UnknownCounter
    served = set(state.services)
    db: Database = engine.db
    centre_code = engine.centre_code
    ticket_id = state.ticket.id if state.ticket else None

    def work(s: Session) -> CounterSnapshot:
        counter = s.scalar(
            select(Counter)
            .join(Centre, Centre.id == Counter.centre_id)
            .where(Counter.number == number, *_centre_filter(centre_code))
        )
        assert counter is not None
        centre = s.get_one(Centre, counter.centre_id)
        day = local_day(moment, centre.timezone)
        service_rows = s.execute(
            select(Service.id, Service.code, Service.name, Service.name_en)
            .where(Service.centre_id == centre.id, Service.active.is_(True))
            .order_by(Service.position, Service.code)
        ).all()
        by_id = {row.id: row for row in service_rows}
        served_ids = [row.id for row in service_rows if row.code in served]
        counts: dict[tuple[int, bool], int] = {}
        oldest = None
        if served_ids:
            for service_id, has_priority, n, first in s.execute(
                select(
                    Ticket.service_id,
                    Ticket.priority_group_id.is_not(None),
                    func.count(),
                    func.min(Ticket.waiting_since),
                )
                .where(
                    Ticket.centre_id == centre.id,
                    Ticket.business_day == day,
                    Ticket.status == "waiting",
                    Ticket.service_id.in_(served_ids),
                )
                .group_by(Ticket.service_id, Ticket.priority_group_id.is_not(None))
            ).all():
                counts[(service_id, bool(has_priority))] = n
                if first is not None and (oldest is None or ensure_aware(first) < oldest):
                    oldest = ensure_aware(first)
        waiting = [
            ServiceWaiting(
                code=row.code,
                name=row.name,
                name_en=row.name_en,
                waiting=counts.get((row.id, False), 0) + counts.get((row.id, True), 0),
                priority_waiting=counts.get((row.id, True), 0),
            )
            for row in service_rows
            if row.id in served_ids
        ]
        longest = None
        if oldest is not None:
            longest = max(0, int((moment - oldest).total_seconds() // 60))
        held = [
            HeldTicket(
                t.id,
                t.number,
                by_id[t.service_id].name if t.service_id in by_id else "",
                by_id[t.service_id].name_en if t.service_id in by_id else "",
            )
            for t in s.execute(
                select(Ticket.id, Ticket.number, Ticket.service_id)
                .where(
                    Ticket.centre_id == centre.id,
                    Ticket.status == "held",
                    Ticket.target_counter_id == counter.id,
                )
                .order_by(Ticket.issued_at)
            ).all()
        ]
        today = s.execute(
            select(Ticket.status, Ticket.started_at, Ticket.called_at, Ticket.finished_at).where(
                Ticket.counter_id == counter.id,
                Ticket.business_day == day,
                Ticket.status.in_(("done", "no_show")),
            )
        ).all()
        durations = [
            (
                ensure_aware(row.finished_at) - ensure_aware(row.started_at or row.called_at)
            ).total_seconds()
            for row in today
            if row.status == "done" and row.finished_at and (row.started_at or row.called_at)
        ]
        figures = Figures(
            served=sum(1 for row in today if row.status == "done"),
            mean_service_min=(sum(durations) / len(durations) / 60) if durations else None,
            no_shows=sum(1 for row in today if row.status == "no_show"),
        )
        groups = {
            code: (name, name_en)
            for code, name, name_en in s.execute(
                select(PriorityGroup.code, PriorityGroup.name, PriorityGroup.name_en).where(
                    PriorityGroup.centre_id == centre.id
                )
            ).all()
        }
        transfers: list[TransferStep] = []
        language = "vi"
        if ticket_id is not None:
            language = s.scalar(select(Ticket.language).where(Ticket.id == ticket_id)) or "vi"
            for at, data in s.execute(
                select(Event.at, Event.data)
                .where(Event.ticket_id == ticket_id, Event.kind == "ticket.transfer")
                .order_by(Event.id)
            ).all():
                data = data or {}
                transfers.append(
                    TransferStep(
                        at=ensure_aware(at),
                        counter=as_int(data.get("counter")),
                        source=str(data.get("from_service", "?")),
                        to_service=data.get("to_service"),
                        to_counter=as_int(data.get("to_counter")),
                        note=str(data.get("note", "")),
                    )
                )
        reason, note = None, ""
        if counter.paused:
            data = s.scalar(
                select(Event.data)
                .where(Event.counter_id == counter.id, Event.kind == "counter.paused")
                .order_by(Event.id.desc())
                .limit(1)
            )
            if data:
                reason, note = data.get("reason"), str(data.get("note", ""))
        others = [
            (row.number, row.name)
            for row in s.execute(
                select(Counter.number, Counter.name)
                .where(Counter.centre_id == centre.id, Counter.active.is_(True))
                .order_by(Counter.number)
            ).all()
            if row.number != number
        ]
        return CounterSnapshot(
            centre_id=centre.id,
            timezone=centre.timezone,
            state=state,
            waiting=waiting,
            longest_wait_min=longest,
            held=held,
            figures=figures,
            priority_names=groups,
            transfers=transfers,
            services=[ServiceChoice(row.code, row.name, row.name_en) for row in service_rows],
            counters=others,
            ticket_language=language,
            pause_reason=reason,
            pause_note=note,
        )

    return db.run(work, readonly=True)


def _centre_filter(code: str | None) -> list[Any]:
    return [Centre.code == code] if code else []


def as_int(value: object) -> int | None:
    """``value`` as a whole number (None when it is none)."""
    try:
        return int(value)  # type: ignore[call-overload,no-any-return]
    except (TypeError, ValueError):
        return None
