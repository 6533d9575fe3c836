"""The append-only event log: every state change writes exactly one event, in its transaction.

Readers (displays, audit, reports) follow the log by id ("everything after id N"), so ids must
appear in commit order, or a reader could skip an event that commits late with a smaller id.
SQLite serialises writers, so that holds by itself. On PostgreSQL ids come from a sequence at
insert time, and the order is kept per centre: an event of a centre takes, just before its id is
drawn and until commit, that centre's lock (transaction-scoped advisory lock ``(CENTRE_LOCK_CLASS,
centre id)``) and the event lock in shared mode; an event of no centre takes the event lock alone,
exclusively. So a reader of one centre (its events and those of no centre: every app) that sees
id N has already been able to see every id below N of what it reads, while the centres of a
province never wait for each other. A reader of every centre (:data:`READ_ALL_LOCK_SQL`) takes the
event lock exclusively for its read. Use cases append their events as their last step, so the
locks are held only for the insert and the commit. The same statement notifies
``motcua_events`` (LISTEN/NOTIFY), delivered at commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Connection, bindparam, insert, text
from sqlalchemy.orm import Session

from shared.db import Direct
from shared.models import Event, UTCDateTime

EVENT_LOCK_KEY = 7253001
"""Shared by every event of a centre, exclusive for an event of no centre and a reader of all."""
CENTRE_LOCK_CLASS = 7253
"""With the centre's id, the key of the lock that orders one centre's events."""
NOTIFY_CHANNEL = "motcua_events"
NOTIFY_PAYLOAD = "id::text || ':' || kind || ':' || coalesce(centre_id::text, '')"
"""The notification's text, "<id>:<kind>:<centre id>" (no centre id: an event of every centre),
from a row of ``events`` (a follower of one centre skips the others' without reading the log)."""


def pg_centre_locks(centre: str) -> str:
    """SQL taking the locks of an event of the centre ``centre`` (an SQL integer expression, not
    null): the event lock shared, then the centre's."""
    return (
        f"pg_advisory_xact_lock_shared({EVENT_LOCK_KEY})::text"
        f" || pg_advisory_xact_lock({CENTRE_LOCK_CLASS}, {centre})::text"
    )


READ_ALL_LOCK_SQL = f"SELECT pg_advisory_xact_lock({EVENT_LOCK_KEY})"
"""Taken in the transaction of a read of every centre's events: no event is then being written."""

# One round trip on PostgreSQL: take the locks, draw the id, insert, notify.
_PG_APPEND_SQL = (
    "WITH e AS ("
    " INSERT INTO events"
    " (at, centre_id, kind, ticket_id, counter_id, service_id, user_id, data, dossier_id)"
    " SELECT :at, :centre_id, :kind, :ticket_id, :counter_id, :service_id, :user_id, :data,"
    " :dossier_id"
    " FROM (SELECT CASE WHEN CAST(:centre_id AS integer) IS NULL"
    f" THEN pg_advisory_xact_lock({EVENT_LOCK_KEY})::text"
    f" ELSE {pg_centre_locks('CAST(:centre_id AS integer)')} END) AS serialise"
    " RETURNING id, kind, centre_id)"
    f" SELECT id, pg_notify('{NOTIFY_CHANNEL}', {NOTIFY_PAYLOAD}) FROM e"
)
_PG_APPEND = text(_PG_APPEND_SQL).bindparams(
    bindparam("at", type_=UTCDateTime()),
    bindparam("data", type_=JSON()),
)
_SQLITE_APPEND = insert(Event).returning(Event.id)


_DIRECT_SQLITE_APPEND = (
    "INSERT INTO events"
    " (at, centre_id, kind, ticket_id, counter_id, service_id, user_id, data, dossier_id)"
    " VALUES (:at, :centre_id, :kind, :ticket_id, :counter_id, :service_id, :user_id, :data,"
    " :dossier_id) RETURNING id"
)


def append(
    session: Session | Connection | Direct,
    kind: str,
    *,
    at: datetime,
    centre_id: int | None = None,
    ticket_id: int | None = None,
    counter_id: int | None = None,
    service_id: int | None = None,
    user_id: int | None = None,
    data: dict[str, Any] | None = None,
    dossier_id: int | None = None,
) -> int:
    """Append one event (no personal data in ``data``) and return its id.

    Call it as the last step of a use case: on PostgreSQL it serialises the commits of the
    centre's events (of every event, for an event of no centre) from here on.
    """
    values = {
        "at": at,
        "centre_id": centre_id,
        "kind": kind,
        "ticket_id": ticket_id,
        "counter_id": counter_id,
        "service_id": service_id,
        "user_id": user_id,
        "data": data or {},
        "dossier_id": dossier_id,
    }
    if isinstance(session, Direct):  # a hot path's direct transaction
        sql = _DIRECT_SQLITE_APPEND if session.is_sqlite else _PG_APPEND_SQL
        return int(session.scalar(sql, values))
    conn = session.connection() if isinstance(session, Session) else session
    statement = _PG_APPEND if conn.dialect.name == "postgresql" else _SQLITE_APPEND
    return int(conn.execute(statement, values).scalar_one())


def append_above(
    session: Session | Connection,
    kind: str,
    floor: int,
    *,
    at: datetime,
    data: dict[str, Any] | None = None,
) -> int:
    """Append one event whose id is above ``floor`` whatever the log holds now.

    After a backup is restored the log ends lower than it did; readers that had gone further
    would not see events numbered below where they stopped. An event above the highest id ever
    handed out (``floor``) reaches every reader, and later ids go on from it.
    """
    conn = session.connection() if isinstance(session, Session) else session
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('events', 'id'), GREATEST(:floor, 1,"
                " coalesce(pg_sequence_last_value(pg_get_serial_sequence('events', 'id')), 0),"
                " (SELECT coalesce(max(id), 0) FROM events)))"
            ),
            {"floor": floor},
        )
    else:
        # AUTOINCREMENT draws max(sqlite_sequence.seq, max(rowid)) + 1.
        updated = conn.execute(
            text("UPDATE sqlite_sequence SET seq = max(seq, :floor) WHERE name = 'events'"),
            {"floor": floor},
        )
        if updated.rowcount == 0:
            conn.execute(
                text("INSERT INTO sqlite_sequence (name, seq) VALUES ('events', :floor)"),
                {"floor": floor},
            )
    return append(session, kind, at=at, data=data)
