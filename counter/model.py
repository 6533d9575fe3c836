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
    "resume",
    "pause",
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
    """The user name and counter last used on this PC ({} when none or unreadable)."""
    target = path or prefs_path()
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_prefs(username: str, counter: int, path: Path | None = None) -> None:
    """Remember the user name and counter (never the password)."""
    target = path or prefs_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        data = {"username": username, "counter": counter}
        target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    except OSError as error:
        log.warning("cannot remember the counter in %s: %s", target, error)


# --- the snapshot ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeldTicket:
    id: int
    number: str
    service_name: str


@dataclass(frozen=True)
class Figures:
    served: int = 0
    mean_service_min: float | None = None
    no_shows: int = 0


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
    priority_names: dict[str, str] = field(default_factory=dict)
    transfers: list[str] = field(default_factory=list)
    """The open ticket's transfer history, oldest first ("ĐĐ → HT")."""
    services: list[tuple[str, str]] = field(default_factory=list)
    """(code, name) of every active service: targets of a transfer."""
    counters: list[tuple[int, str]] = field(default_factory=list)
    """(number, name) of every other active counter: targets of a transfer."""


def load_snapshot(
    engine: QueueEngine, number: int, *, now: datetime | None = None
) -> CounterSnapshot:
    """Read the counter's state, its queues, held tickets and today's figures."""
    moment = ensure_aware(now)
    status = engine.status(now=moment)
    state = next((c for c in status.counters if c.number == number), None)
    if state is None:
        state = engine.counter(number)  # raises UnknownCounter
    served = set(state.services)
    waiting = [svc for svc in status.services if svc.code in served]
    db: Database = engine.db
    centre_code = status.centre
    ticket_id = state.ticket.id if state.ticket else None

    def work(s: Session) -> CounterSnapshot:
        centre = s.scalar(select(Centre).where(Centre.code == centre_code))
        assert centre is not None
        day = local_day(moment, centre.timezone)
        counter = s.scalar(
            select(Counter).where(Counter.centre_id == centre.id, Counter.number == number)
        )
        assert counter is not None
        service_rows = s.execute(
            select(Service.id, Service.code, Service.name)
            .where(Service.centre_id == centre.id, Service.active.is_(True))
            .order_by(Service.position, Service.code)
        ).all()
        names = {row.id: row.name for row in service_rows}
        codes = {row.id: row.code for row in service_rows}
        served_ids = [sid for sid, code in codes.items() if code in served]
        oldest = s.scalar(
            select(func.min(Ticket.waiting_since)).where(
                Ticket.centre_id == centre.id,
                Ticket.business_day == day,
                Ticket.status == "waiting",
                Ticket.service_id.in_(served_ids),
            )
        )
        longest = None
        if oldest is not None:
            longest = max(0, int((moment - ensure_aware(oldest)).total_seconds() // 60))
        held = [
            HeldTicket(t.id, t.number, names.get(t.service_id, ""))
            for t in s.scalars(
                select(Ticket)
                .where(
                    Ticket.centre_id == centre.id,
                    Ticket.status == "held",
                    Ticket.target_counter_id == counter.id,
                )
                .order_by(Ticket.issued_at)
            )
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
            code: name
            for code, name in s.execute(
                select(PriorityGroup.code, PriorityGroup.name).where(
                    PriorityGroup.centre_id == centre.id
                )
            ).all()
        }
        transfers: list[str] = []
        if ticket_id is not None:
            for (data,) in s.execute(
                select(Event.data)
                .where(Event.ticket_id == ticket_id, Event.kind == "ticket.transfer")
                .order_by(Event.id)
            ).all():
                data = data or {}
                target = data.get("to_service") or f"Quầy {data.get('to_counter')}"
                transfers.append(f"{data.get('from_service', '?')} → {target}")
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
            services=[(row.code, row.name) for row in service_rows],
            counters=others,
        )

    return db.run(work, readonly=True)
