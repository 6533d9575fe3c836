"""The live change-feed: follow the event log ("everything after id N") as it grows.

Displays, kiosks and counters learn about calls, recalls and pauses from here. A centre's event
ids (with those of no centre) grow in commit order (see :mod:`shared.events`), so "the events of
my centre after the last id I saw" never skips one that commits late, and a reader that restarts
from its last id misses nothing and repeats nothing. A feed of one centre reads only its centre's
events and those of no centre; a feed of every centre reads while no event is being written.

PostgreSQL: a dedicated psycopg connection in autocommit ``LISTEN``\\ s on ``motcua_events``. A
notification ("<id>:<kind>:<centre id>", sent at commit) wakes the reader, which then reads the
log from its last id on the same connection; a feed of one centre ignores the notifications of
the others (a province's displays do not all read the log for every call of every centre).
Every :data:`PG_SAFETY_POLL` seconds (at least ``poll_interval``) it reads the log anyway, so a
notification that was missed (sent while the connection was being re-established, or lost in any
other way) delays an event by at most that long and never loses it; a reconnect reads at once.

SQLite: there is no notification between processes, so the log is polled every
``poll_interval`` in a read-only transaction (an index range scan on the primary key that never
takes the write lock).

Database trouble never escapes :meth:`ChangeFeed.wait`: the feed records it (``connected`` is
False, ``last_error`` says why), backs off (0.2 s doubling to 2 s), reconnects by itself and then
catches up from its last id. Qt-free: :mod:`shared.qt.feed` runs it in a worker thread.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import SQLAlchemyError

from shared.db import PG_KEEPALIVE, WATCHDOG
from shared.errors import DatabaseError
from shared.events import NOTIFY_CHANNEL, READ_ALL_LOCK_SQL
from shared.models import Event
from shared.views import EventView

if TYPE_CHECKING:
    import psycopg

    from shared.db import Database

log = logging.getLogger("motcua.feed")

BATCH = 500
"""Events read per query; a longer backlog is handed out in batches, one per :meth:`wait`."""
BACKOFF_FIRST = 0.2
BACKOFF_MAX = 2.0
CONNECT_TIMEOUT = 2  # seconds; libpq's minimum
PG_SAFETY_POLL = 2.0
"""Seconds between two reads of the log on PostgreSQL without a notification (at least the
poll interval): every commit notifies, and a reconnect reads at once."""
RESTORED = "database.restored"
"""The event a restore ends with (see ``shared.backup``)."""
_COLUMNS = "id, kind, at, centre_id, ticket_id, counter_id, service_id, data"


class _LogWentBack(Exception):
    """The event log's newest id is below the one already read (a restored backup)."""


def latest_event_id(db: Database, centre_id: int | None = None) -> int:
    """The id of the newest committed event (0 when the log is empty); with ``centre_id``, of
    that centre's events and those of no centre: where a change-feed of that centre goes on from
    (the order of ids is kept per centre, see :mod:`shared.events`)."""
    with db.transaction(readonly=True) as session:
        if centre_id is None:
            return int(session.scalar(select(func.max(Event.id))) or 0)
        own = session.scalar(select(func.max(Event.id)).where(Event.centre_id == centre_id))
        common = session.scalar(select(func.max(Event.id)).where(Event.centre_id.is_(None)))
        return max(int(own or 0), int(common or 0))


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _view(row: Any) -> EventView:
    return EventView(
        id=int(row[0]),
        kind=row[1],
        at=_utc(row[2]),
        centre_id=row[3],
        ticket_id=row[4],
        counter_id=row[5],
        service_id=row[6],
        data=dict(row[7] or {}),
    )


def _describe(exc: BaseException) -> str:
    """One line for a person (no password: URLs are never part of driver messages here)."""
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else ""
    return text or type(exc).__name__


class ChangeFeed:
    """Follows the event log of one database; use it from one thread at a time.

    ``after_id=None`` starts "from now" (at the newest event when the feed first reaches the
    database). ``centre_id`` keeps only the events of that centre.
    """

    def __init__(
        self,
        db: Database,
        *,
        after_id: int | None = None,
        poll_interval: float = 0.2,
        centre_id: int | None = None,
    ) -> None:
        if poll_interval <= 0:
            raise ValueError("poll_interval must be positive")
        self.db = db
        self.poll_interval = poll_interval
        # PostgreSQL notifies at every commit: its read "anyway" is only a safety net.
        self._safety_interval = (
            poll_interval if db.is_sqlite else max(poll_interval, PG_SAFETY_POLL)
        )
        self.centre_id = centre_id
        self._last_id: int | None = after_id
        self._pg = not db.is_sqlite
        self._conn: psycopg.Connection[Any] | None = None
        self._connected = False
        self._last_error: str | None = None
        self._backoff = BACKOFF_FIRST
        self._retry_at = 0.0
        self._next_poll = 0.0
        self._due = True
        self._restored = False
        self._closed = threading.Event()
        self._psycopg_error: type[Exception] = Exception
        if self._pg:
            import psycopg

            self._psycopg_error = psycopg.Error
        # Reach the database now, so "from now" means the moment the feed was made.
        self._connect()

    # --- state -----------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """True while the last attempt to reach the database succeeded."""
        return self._connected

    @property
    def last_id(self) -> int:
        """The id after which the next events will be read (0 until the database is reached)."""
        return self._last_id or 0

    @property
    def last_error(self) -> str | None:
        """Why the database could not be reached the last time it could not (kept after
        reconnecting, for the log; check :attr:`connected` for the current state)."""
        return self._last_error

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    # --- public ----------------------------------------------------------------------------

    def wait(self, timeout: float) -> list[EventView]:
        """New events in id order, as soon as there are some, or ``[]`` after ``timeout``.

        Never raises for database trouble: see :attr:`connected` and :attr:`last_error`.
        """
        deadline = time.monotonic() + max(0.0, timeout)
        while not self._closed.is_set():
            if not self._connected:
                if time.monotonic() >= self._retry_at:
                    self._connect()
                if not self._connected:
                    pause = min(deadline, self._retry_at) - time.monotonic()
                    if pause > 0:
                        self._closed.wait(pause)
                    if time.monotonic() >= deadline:
                        return []
                    continue
            if self._due or time.monotonic() >= self._next_poll:
                events = self._read()
                if events is None:
                    if self._restored:
                        # Return now, disconnected: the caller must see the loss to read
                        # everything again, even if the reconnect would come within ``timeout``.
                        self._restored = False
                        return []
                    continue  # lost the database: loop to reconnect or time out
                if events:
                    return events
            pause = min(deadline, self._next_poll) - time.monotonic()
            if pause > 0:
                self._idle(pause)
            elif time.monotonic() >= deadline:
                return []
        return []

    def interrupt(self) -> None:
        """From another thread: end a call blocked on a silent server now (its socket is shut
        down), so that :meth:`close` and the caller's loop are not held up."""
        self._closed.set()
        conn = self._conn
        if conn is None:
            return
        try:
            probe = socket.socket(fileno=conn.fileno())
        except (OSError, ValueError, self._psycopg_error):
            return
        try:
            probe.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        finally:
            probe.detach()

    def close(self) -> None:
        """Stop following; a :meth:`wait` in progress returns ``[]`` shortly."""
        self._closed.set()
        self._disconnect()
        self._connected = False

    def __enter__(self) -> ChangeFeed:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- connection ------------------------------------------------------------------------

    def _connect(self) -> None:
        if self._closed.is_set():
            return
        try:
            if self._pg:
                self._connect_pg()
            elif self._last_id is None:
                self._last_id = latest_event_id(self.db, self.centre_id)
            else:
                # Nothing to hold open on SQLite: reaching the file is the read itself.
                with self.db.transaction(readonly=True) as session:
                    session.execute(select(Event.id).limit(1)).all()
        except Exception as exc:  # noqa: BLE001 - recorded, never raised: see _fail
            self._fail(exc)
            return
        if not self._connected:
            log.info("change-feed connected to %s after id %s", self.db.display_url, self._last_id)
        self._connected = True
        self._backoff = BACKOFF_FIRST
        self._due = True  # catch up at once: notifications sent while away were not heard

    def _connect_pg(self) -> None:
        import psycopg

        self._disconnect()
        dsn = self.db.url.set(drivername="postgresql").render_as_string(hide_password=False)
        conn = psycopg.connect(
            dsn,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT,
            application_name="motcua-feed",
            **PG_KEEPALIVE,
        )
        try:
            with self._watched(conn):
                # Listen first, read second: an event committed in between is read or heard.
                conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                if self._last_id is None:
                    self._last_id = self._position_pg(conn)
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    def _position_pg(self, conn: psycopg.Connection[Any]) -> int:
        """Where "from now" starts: the newest event of this feed's centre (or of none), or of
        all while no event is being written (see :mod:`shared.events`)."""
        if self.centre_id is None:
            with conn.transaction():
                conn.execute(READ_ALL_LOCK_SQL)
                row = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()
        else:
            row = conn.execute(
                "SELECT greatest(coalesce((SELECT max(id) FROM events WHERE centre_id = %s), 0),"
                " coalesce((SELECT max(id) FROM events WHERE centre_id IS NULL), 0))",
                (self.centre_id,),
            ).fetchone()
        return int(row[0]) if row else 0

    def _disconnect(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - already broken
                pass

    def _fail(self, exc: BaseException) -> None:
        if self._closed.is_set():
            self._disconnect()
            self._connected = False
            return
        if not self._is_database_trouble(exc):
            log.exception("change-feed: unexpected error")
        message = _describe(exc)
        if self._connected or message != self._last_error:
            log.warning("change-feed: database not reachable: %s", message)
        self._disconnect()
        self._connected = False
        self._last_error = message
        self._retry_at = time.monotonic() + self._backoff
        self._backoff = min(BACKOFF_MAX, self._backoff * 2)

    def _is_database_trouble(self, exc: BaseException) -> bool:
        return isinstance(
            exc, DatabaseError | SQLAlchemyError | OSError | _LogWentBack | self._psycopg_error
        )

    # --- reading ---------------------------------------------------------------------------

    def _read(self) -> list[EventView] | None:
        """One batch after the last id (filtered by centre), or None when the database is gone."""
        after = self.last_id
        try:
            rows = self._query_pg(after) if self._pg else self._query_sqlite(after)
            top = None if rows else self._newest_id()
        except Exception as exc:  # noqa: BLE001 - recorded, never raised
            self._fail(exc)
            return None
        if top is not None and top < after:
            # The log went back: the database was restored from a backup. Start again from its
            # newest event, as after an outage (the apps read everything again on reconnect).
            log.warning("the event log went back from id %d to %d: restored?", after, top)
            self._last_id = top
            self._restored = True
            self._fail(_LogWentBack(f"event log restored (newest id {top})"))
            return None
        restored = next((r for r in rows if r[1] == RESTORED), None)
        if restored is not None:
            # A backup was restored: whatever was read before may be gone. Start again from the
            # restore, as after an outage (the apps read everything again on reconnect).
            log.warning("the database was restored from a backup (event %d)", restored[0])
            self._last_id = int(restored[0])
            self._restored = True
            self._fail(_LogWentBack(f"database restored (event {restored[0]})"))
            return None
        if rows:
            self._last_id = int(rows[-1][0])
        # A full batch means there is more: read again at once.
        self._due = len(rows) == BATCH
        self._next_poll = time.monotonic() + self._safety_interval
        events = [_view(r) for r in rows]
        if self.centre_id is not None:
            events = [e for e in events if e.centre_id == self.centre_id]
        return events

    def _query_pg(self, after: int) -> list[Any]:
        if self._conn is None:
            raise ConnectionError("no connection")
        conn = self._conn
        with self._watched(conn):
            if self.centre_id is not None:
                # The centre's events and those of no centre, each in the order of its index.
                return conn.execute(
                    f"SELECT {_COLUMNS} FROM ((SELECT {_COLUMNS} FROM events"
                    " WHERE centre_id = %s AND id > %s ORDER BY centre_id, id LIMIT %s)"
                    f" UNION ALL (SELECT {_COLUMNS} FROM events"
                    " WHERE centre_id IS NULL AND id > %s ORDER BY centre_id, id LIMIT %s)) AS e"
                    " ORDER BY id LIMIT %s",
                    (self.centre_id, after, BATCH, after, BATCH, BATCH),
                ).fetchall()
            # Every centre's: read while no event is being written (see shared.events).
            with conn.transaction():
                conn.execute(READ_ALL_LOCK_SQL)
                return conn.execute(
                    f"SELECT {_COLUMNS} FROM events WHERE id > %s ORDER BY id LIMIT %s",
                    (after, BATCH),
                ).fetchall()

    def _watched(self, conn: psycopg.Connection[Any]) -> AbstractContextManager[None]:
        """A query on the feed's connection, cut off if the server does not answer in time."""
        return WATCHDOG.watch(conn.fileno(), self.db.response_limit, "the change-feed")

    def _newest_id(self) -> int:
        if self._pg:
            if self._conn is None:
                raise ConnectionError("no connection")
            with self._watched(self._conn):
                row = self._conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()
            return int(row[0]) if row else 0
        return latest_event_id(self.db)

    def _query_sqlite(self, after: int) -> list[Any]:
        statement = (
            select(
                Event.id,
                Event.kind,
                Event.at,
                Event.centre_id,
                Event.ticket_id,
                Event.counter_id,
                Event.service_id,
                Event.data,
            )
            .where(Event.id > after)
            .order_by(Event.id)
            .limit(BATCH)
        )
        if self.centre_id is not None:  # as on PostgreSQL (one writer: any order would do)
            statement = statement.where(
                or_(Event.centre_id == self.centre_id, Event.centre_id.is_(None))
            )
        with self.db.transaction(readonly=True) as session:
            return list(session.execute(statement).all())

    def _idle(self, pause: float) -> None:
        """Wait up to ``pause`` seconds for a notification (PostgreSQL) or just wait (SQLite)."""
        if not self._pg or self._conn is None:
            self._closed.wait(pause)
            return
        try:
            for notify in self._conn.notifies(timeout=pause, stop_after=1):
                if self._announces_new(notify.payload):
                    self._due = True
        except Exception as exc:  # noqa: BLE001 - recorded, never raised
            self._fail(exc)

    def _announces_new(self, payload: str) -> bool:
        """Whether a notification is about an event not read yet, of this feed's centre
        (payload "<id>:<kind>:<centre id>", see :data:`shared.events.NOTIFY_PAYLOAD`; anything
        else is read, to be safe)."""
        parts = payload.split(":")
        if not parts[0].isdigit():
            return True
        if int(parts[0]) <= self.last_id:
            return False
        if self.centre_id is None or len(parts) < 3 or not parts[2].isdigit():
            return True
        return int(parts[2]) == self.centre_id
