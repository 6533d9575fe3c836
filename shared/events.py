"""The append-only event log: every state change writes exactly one event, in its transaction.

Readers (displays, audit, reports) follow the log by id ("everything after id N"), so ids must
appear in commit order, or a reader could skip an event that commits late with a smaller id.
SQLite serialises writers, so that holds by itself. On PostgreSQL ids come from a sequence at
insert time; a transaction-scoped advisory lock taken just before the id is drawn and held to
commit makes drawing ids and committing one at a time, so a reader that sees id N has already
been able to see every id below N. Use cases append their events as their last step, so the lock
is held only for the insert and the commit. The same statement notifies ``motcua_events``
(LISTEN/NOTIFY), delivered at commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Connection, bindparam, insert, text
from sqlalchemy.orm import Session

from shared.db import Direct
from shared.models import Event, UTCDateTime

EVENT_LOCK_KEY = 7253001
NOTIFY_CHANNEL = "motcua_events"
NOTIFY_PAYLOAD = "id::text || ':' || kind || ':' || coalesce(centre_id::text, '')"
"""The notification's text, "<id>:<kind>:<centre id>" (no centre id: an event of every centre),
from a row of ``events`` (a follower of one centre skips the others' without reading the log)."""

# One round trip on PostgreSQL: take the lock, draw the id, insert, notify.
_PG_APPEND_SQL = (
    "WITH e AS ("
    " INSERT INTO events"
    " (at, centre_id, kind, ticket_id, counter_id, service_id, user_id, data, dossier_id)"
    " SELECT :at, :centre_id, :kind, :ticket_id, :counter_id, :service_id, :user_id, :data,"
    " :dossier_id"
    f" FROM (SELECT pg_advisory_xact_lock({EVENT_LOCK_KEY})) AS serialise"
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

    Call it as the last step of a use case: on PostgreSQL it serialises commits from here on.
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
