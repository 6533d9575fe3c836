"""The append-only event log: every state change writes exactly one event, in its transaction.

Readers (displays, audit, reports) follow the log by id ("everything after id N"), so ids must
appear in commit order, or a reader could skip an event that commits late with a smaller id.
SQLite serialises writers, so that holds by itself. On PostgreSQL ids come from a sequence at
insert time; a transaction-scoped advisory lock taken just before the insert and held to commit
makes insertion-and-commit of events one at a time, so a reader that sees id N has already been
able to see every id below N. The same transaction notifies ``motcua_events`` (LISTEN/NOTIFY),
delivered at commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from shared.models import Event

EVENT_LOCK_KEY = 7253001
NOTIFY_CHANNEL = "motcua_events"


def append(
    session: Session,
    kind: str,
    *,
    at: datetime,
    centre_id: int | None = None,
    ticket_id: int | None = None,
    counter_id: int | None = None,
    service_id: int | None = None,
    user_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> int:
    """Append one event (no personal data in ``data``) and return its id."""
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text(f"SELECT pg_advisory_xact_lock({EVENT_LOCK_KEY})"))
    event_id = session.execute(
        insert(Event)
        .values(
            at=at,
            centre_id=centre_id,
            kind=kind,
            ticket_id=ticket_id,
            counter_id=counter_id,
            service_id=service_id,
            user_id=user_id,
            data=data or {},
        )
        .returning(Event.id)
    ).scalar_one()
    if postgres:
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": NOTIFY_CHANNEL, "payload": f"{event_id}:{kind}"},
        )
    return event_id
