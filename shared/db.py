"""Connecting to the database: SQLite (one PC) or PostgreSQL (many PCs), safely shared.

SQLite: WAL journal, a busy timeout, foreign keys on, and ``BEGIN IMMEDIATE`` for every
transaction that may write, so two processes never both read "the last number" and then write.
PostgreSQL: READ COMMITTED with row locks taken by the queue engine. Either way a use case is one
transaction (:meth:`Database.transaction`): all of it is written, or none of it.

Build one :class:`Database` per process (in the app's or command's bootstrap), never at import.
"""

from __future__ import annotations

import collections
import functools
import heapq
import itertools
import json
import logging
import os
import random
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from shared.errors import (
    BadDatabaseUrl,
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseFileUnreachable,
    DatabaseLost,
    DatabaseNotAllowed,
    DatabaseReadOnly,
    DatabaseUnreachable,
    DiskFull,
    SchemaOutdated,
    SchemaTooNew,
)
from shared.migrations import HEAD_REVISION, KNOWN_REVISIONS
from shared.settings import DatabaseSettings

log = logging.getLogger("motcua.db")

T = TypeVar("T")

# PostgreSQL SQLSTATEs worth retrying: the transaction was rolled back and can run again.
_RETRY_SQLSTATES = {"40001", "40P01"}
# Waited the whole busy timeout for a lock: give up with a message rather than wait again.
_BUSY_SQLSTATES = {"55P03", "57014"}
_MAX_ATTEMPTS = 6

CLOCK_TOLERANCE = 5.0
"""Seconds this computer's clock may differ from the PostgreSQL server's before the server's
time is used instead (see :meth:`Database.check_clock`)."""
CLOCK_RECHECK = 600.0
"""Seconds between two measurements of that difference."""

PG_KEEPALIVE: dict[str, int] = {
    # A network cut shows up within seconds instead of after the kernel's minutes: probes on
    # an idle connection, and a limit on data the server has not acknowledged.
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
    "tcp_user_timeout": 10_000,
}
"""libpq connection options every PostgreSQL connection of the product uses."""


class Watchdog:
    """Cuts a PostgreSQL connection that waits too long for the server.

    A stalled network that still acknowledges (a frozen server, a wedged router or proxy)
    leaves a waiting call blocked for good: no kernel timeout fires. Connections are watched
    while they are in use (:meth:`watch`); when one is still in use after its limit, its socket
    is shut down, so the waiting call fails at once (:class:`DatabaseLost`, nothing committed)
    and the program reconnects by itself. One thread for the whole process, started on first use.
    """

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._watched: dict[int, tuple[float, int, int, str]] = {}
        """token → (deadline, socket file descriptor, its inode, what: for the log)."""
        self._deadlines: list[tuple[float, int]] = []
        self._tokens = itertools.count(1)
        self._thread: threading.Thread | None = None

    def arm(self, fd: int, seconds: float, what: str) -> int:
        """Watch socket ``fd`` for ``seconds`` from now; a token for :meth:`disarm`."""
        deadline = time.monotonic() + seconds
        inode = _inode(fd)
        with self._lock:
            token = next(self._tokens)
            self._watched[token] = (deadline, fd, inode, what)
            heapq.heappush(self._deadlines, (deadline, token))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="db-watchdog", daemon=True)
                self._thread.start()
            elif self._deadlines[0][1] == token:
                self._lock.notify()
        return token

    def disarm(self, token: int) -> None:
        with self._lock:
            self._watched.pop(token, None)

    @contextmanager
    def watch(self, fd: int, seconds: float, what: str) -> Iterator[None]:
        token = self.arm(fd, seconds, what)
        try:
            yield
        finally:
            self.disarm(token)

    def _run(self) -> None:
        with self._lock:
            while True:
                while self._deadlines and self._deadlines[0][1] not in self._watched:
                    heapq.heappop(self._deadlines)
                if not self._deadlines:
                    self._lock.wait()
                    continue
                deadline, token = self._deadlines[0]
                left = deadline - time.monotonic()
                if left > 0:
                    self._lock.wait(left)
                    continue
                heapq.heappop(self._deadlines)
                _, fd, inode, what = self._watched.pop(token)
                if _inode(fd) != inode:
                    continue  # closed without being disarmed; the number may be another's now
                log.warning("no answer from the database server in time: %s cut off", what)
                try:
                    probe = socket.socket(fileno=fd)
                except OSError:
                    continue
                try:
                    probe.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                finally:
                    probe.detach()


def _inode(fd: int) -> int:
    """The identity of the socket behind ``fd`` (-1 when the descriptor is closed)."""
    try:
        return os.fstat(fd).st_ino
    except OSError:
        return -1


WATCHDOG = Watchdog()
_local = threading.local()


@contextmanager
def unwatched() -> Iterator[None]:
    """Connections checked out by this thread inside the block are not cut by the watchdog
    (a schema migration, a backup: long on purpose)."""
    before = getattr(_local, "unwatched", False)
    _local.unwatched = True
    try:
        yield
    finally:
        _local.unwatched = before


def normalise_url(url: str) -> URL:
    """A SQLAlchemy URL from what a user types: ``postgresql://…``, ``sqlite:///…`` or a path."""
    raw = url.strip()
    if not raw:
        raise BadDatabaseUrl(url=url)
    if "://" not in raw:
        # A plain file path: an SQLite database.
        raw = f"sqlite:///{Path(raw).expanduser().resolve().as_posix()}"
    try:
        parsed = make_url(raw)
    except sa_exc.ArgumentError:
        raise BadDatabaseUrl(url=url) from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if parsed.drivername != "sqlite":
            raise BadDatabaseUrl(url=url)
        return parsed
    raise BadDatabaseUrl(url=url)


def redact(url: URL | str) -> str:
    """The URL without its password, for messages and logs."""
    parsed = url if isinstance(url, URL) else make_url(url)
    return parsed.render_as_string(hide_password=True)


class Database:
    """One process's handle on the shared database."""

    def __init__(self, url: str, settings: DatabaseSettings | None = None) -> None:
        self.settings = settings or DatabaseSettings()
        self.url = normalise_url(url)
        self.display_url = redact(self.url)
        self.dialect = self.url.get_backend_name()
        self.engine = self._make_engine()
        self._readonly_engine = self.engine.execution_options(motcua_readonly=True)
        self._direct_free: collections.deque[sqlite3.Connection] = collections.deque()
        self._schema_checked = False
        self._clock_checked_at: float | None = None
        self.clock_offset: float | None = None
        """Seconds the database server's clock is ahead of this computer's (PostgreSQL; None
        until measured, and on SQLite)."""

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    # --- engine ----------------------------------------------------------------------------

    @property
    def response_limit(self) -> float:
        """Seconds a PostgreSQL connection in use may wait for the server (:class:`Watchdog`):
        the response timeout, but never less than the busy timeout (lock waits) plus 5 s."""
        return max(self.settings.response_timeout, self.settings.busy_timeout + 5.0)

    def _make_engine(self) -> Engine:
        if self.is_sqlite:
            return self._make_sqlite_engine()
        engine = create_engine(
            self.url,
            pool_size=2,
            max_overflow=4,
            connect_args={
                "connect_timeout": 5,
                "application_name": "motcua",
                # A row lock held longer than the busy timeout fails instead of hanging.
                # A statement run again on a connection (psycopg prepares it on its fifth run)
                # keeps its first plan: the product's repeated statements are its hot paths,
                # keyed by centre, day, counter and id, and planning the call statement anew
                # each time cost more than running it (bench/README.md, plan once).
                "options": f"-c lock_timeout={int(self.settings.busy_timeout * 1000)}"
                " -c plan_cache_mode=force_generic_plan",
                **PG_KEEPALIVE,
            },
        )
        limit = self.response_limit
        label = self.display_url

        @event.listens_for(engine, "checkout")
        def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
            # Watched from here to check-in, the liveness check included: a pooled connection
            # whose server went away fails the check, and the pool opens a fresh one.
            token = None
            if not getattr(_local, "unwatched", False):
                token = WATCHDOG.arm(dbapi_connection.fileno(), limit, label)
                record.info["motcua_watch"] = token
            try:
                _ping(dbapi_connection)
            except Exception as exc:
                if token is not None:
                    WATCHDOG.disarm(token)
                    record.info.pop("motcua_watch", None)
                raise sa_exc.DisconnectionError(str(exc)) from exc

        @event.listens_for(engine, "invalidate")
        def _on_invalidate(_dbapi_connection: Any, record: Any, _exc: Any) -> None:
            token = record.info.pop("motcua_watch", None)
            if token is not None:
                WATCHDOG.disarm(token)

        @event.listens_for(engine, "checkin")
        def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
            token = record.info.pop("motcua_watch", None)
            if token is not None:
                WATCHDOG.disarm(token)

        return engine

    def _make_sqlite_engine(self) -> Engine:
        database = self.url.database or ""
        if database and database != ":memory:":
            try:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseFileUnreachable(
                    path=database, detail=exc.strerror or str(exc)
                ) from None
        timeout = self.settings.busy_timeout
        engine = create_engine(
            self.url,
            connect_args={"timeout": timeout, "check_same_thread": False},
        )
        synchronous = self.settings.sqlite_synchronous

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
            _configure_sqlite(dbapi_connection, timeout, synchronous)

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Any) -> None:
            readonly = connection.get_execution_options().get("motcua_readonly", False)
            if readonly:
                connection.exec_driver_sql("BEGIN")
            else:
                _begin_immediate(connection.connection.dbapi_connection, timeout)

        return engine

    def dispose(self) -> None:
        self.engine.dispose()
        while self._direct_free:
            try:
                self._direct_free.pop().close()
            except (IndexError, sqlite3.Error):
                pass

    # --- transactions ----------------------------------------------------------------------

    @contextmanager
    def transaction(
        self, *, readonly: bool = False, check_schema: bool = True
    ) -> Iterator[Session]:
        """One all-or-nothing transaction; database failures become :class:`DatabaseError`."""
        if check_schema and not self._schema_checked:
            self.check_schema()
        if not self.is_sqlite and (
            self._clock_checked_at is None
            or time.monotonic() - self._clock_checked_at > CLOCK_RECHECK
        ):
            self.check_clock()
        engine = self._readonly_engine if readonly else self.engine
        with translate_errors(self), Session(engine, expire_on_commit=False) as session:
            with session.begin():
                # Begin now (SQLite: take the write lock now), not at the first statement.
                session.connection()
                yield session

    @contextmanager
    def direct(self) -> Iterator[Direct]:
        """One all-or-nothing write transaction on the driver's own connection, for the hot
        paths: SQL text with ``:name`` parameters run as written, no ORM, no SQL compilation.
        The same guarantees as :meth:`transaction` (SQLite: ``BEGIN IMMEDIATE``; the pool, its
        liveness check and the watchdog on PostgreSQL; the same typed errors, and a deadlock
        raised for :meth:`run_direct` to retry)."""
        if not self._schema_checked:
            self.check_schema()
        if not self.is_sqlite and (
            self._clock_checked_at is None
            or time.monotonic() - self._clock_checked_at > CLOCK_RECHECK
        ):
            self.check_clock()
        if self.is_sqlite:
            with self._sqlite_direct() as direct:
                yield direct
            return
        with translate_errors(self):
            try:
                pooled = self.engine.raw_connection()
            except self._dbapi_error as exc:  # the pool does not wrap driver errors
                raise sa_exc.DBAPIError.instance("connect", None, exc, self._dbapi_error) from exc
        direct: Direct | None = None
        try:
            with translate_errors(self):
                try:
                    dbapi = pooled.dbapi_connection
                    direct = Direct(dbapi, sqlite=False)
                    yield direct
                    direct.commit()
                except BaseException as exc:
                    _rollback_quietly(pooled.dbapi_connection)
                    if isinstance(exc, sa_exc.DBAPIError) or not isinstance(exc, self._dbapi_error):
                        raise
                    sql = direct.last_sql if direct is not None else "BEGIN"
                    wrapped = sa_exc.DBAPIError.instance(
                        sql, None, exc, self._dbapi_error, connection_invalidated=False
                    )
                    if self.engine.dialect.is_disconnect(exc, dbapi, None):
                        pooled.invalidate(exc)
                        wrapped.connection_invalidated = True
                    raise wrapped from exc
        finally:
            pooled.close()

    @contextmanager
    def _sqlite_direct(self) -> Iterator[Direct]:
        """SQLite: connections of their own (no pool), kept for the next transaction, with a
        busy timeout of 0 (``_begin_immediate`` waits for the write lock its own way; once it
        has it, no statement of the transaction waits)."""
        timeout = self.settings.busy_timeout
        with translate_errors(self):
            try:
                conn = self._direct_free.pop()
            except IndexError:
                conn = self._open_sqlite_direct()
            direct: Direct | None = None
            try:
                _begin_immediate(conn, timeout, toggle=False)
                direct = Direct(conn, sqlite=True)
                yield direct
                direct.commit()
            except BaseException as exc:
                _rollback_quietly(conn)
                self._direct_free.append(conn)
                if isinstance(exc, sa_exc.DBAPIError) or not isinstance(exc, sqlite3.Error):
                    raise
                sql = direct.last_sql if direct is not None else "BEGIN IMMEDIATE"
                raise sa_exc.DBAPIError.instance(sql, None, exc, sqlite3.Error) from exc
            self._direct_free.append(conn)

    def _run_sqlite_direct(self, work: Callable[[Direct], T]) -> T:
        """:meth:`_sqlite_direct` without the context managers: the same steps, written out for
        the hot paths (SQLite never asks for a retry)."""
        try:
            conn = self._direct_free.pop()
        except IndexError:
            with translate_errors(self):
                conn = self._open_sqlite_direct()
        direct: Direct | None = None
        try:
            _begin_immediate(conn, self.settings.busy_timeout, toggle=False)
            direct = Direct(conn, sqlite=True)
            result = work(direct)
            direct.commit()
        except BaseException as exc:
            _rollback_quietly(conn)
            self._direct_free.append(conn)
            if isinstance(exc, sa_exc.DBAPIError):
                classified = _classify(self, exc)
                if classified is exc:
                    raise
                raise classified from exc
            if not isinstance(exc, sqlite3.Error):
                raise
            sql = direct.last_sql if direct is not None else "BEGIN IMMEDIATE"
            wrapped = sa_exc.DBAPIError.instance(sql, None, exc, sqlite3.Error)
            raise _classify(self, wrapped) from exc
        self._direct_free.append(conn)
        return result

    def _open_sqlite_direct(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.url.database or ":memory:",
                timeout=self.settings.busy_timeout,
                check_same_thread=False,
            )
            _configure_sqlite(conn, self.settings.busy_timeout, self.settings.sqlite_synchronous)
            conn.execute("PRAGMA busy_timeout = 0")
        except sqlite3.Error as exc:
            raise sa_exc.DBAPIError.instance("connect", None, exc, sqlite3.Error) from exc
        return conn

    def run_direct(self, work: Callable[[Direct], T]) -> T:
        """:meth:`run` for :meth:`direct` transactions."""
        if self.is_sqlite and self._schema_checked:
            return self._run_sqlite_direct(work)
        return _retrying(self.direct, work)

    @property
    def _dbapi_error(self) -> type[Exception]:
        return self.engine.dialect.loaded_dbapi.Error  # type: ignore[no-any-return]

    def run(self, work: Callable[[Session], T], *, readonly: bool = False) -> T:
        """Run ``work`` in one transaction, retrying when the server asks for a retry.

        A deadlock or serialization failure on PostgreSQL rolls the whole transaction back;
        running it again is then safe. (A lock held past the busy timeout is not retried: the
        caller has waited long enough and gets :class:`DatabaseBusy`.)
        """
        return _retrying(lambda: self.transaction(readonly=readonly), work)

    # --- the server's clock --------------------------------------------------------------

    def check_clock(self) -> float | None:
        """Measure how far the PostgreSQL server's clock is from this computer's; beyond
        :data:`CLOCK_TOLERANCE` seconds the product takes the server's time
        (:func:`shared.clock.set_correction`, logged). None on SQLite (one computer)."""
        if self.is_sqlite:
            return None
        from shared.clock import correction, is_shifted, set_correction

        self._clock_checked_at = time.monotonic()
        with translate_errors(self), self._readonly_engine.connect() as conn:
            before = time.time()
            server = float(
                conn.execute(text("SELECT extract(epoch FROM clock_timestamp())")).scalar_one()
            )
            after = time.time()
            conn.rollback()
        offset = server - (before + after) / 2
        self.clock_offset = offset
        if is_shifted():
            return offset  # a clock set on purpose (tests, training) is left alone
        wanted = timedelta(seconds=offset) if abs(offset) > CLOCK_TOLERANCE else timedelta(0)
        if abs((wanted - correction()).total_seconds()) > CLOCK_TOLERANCE / 2:
            if wanted:
                log.warning(
                    "this computer's clock is %s %s the database server's; the server's time "
                    "is used (set this computer's time)",
                    timedelta(seconds=round(abs(offset))),
                    "behind" if offset > 0 else "ahead of",
                )
            else:
                log.info("this computer's clock agrees with the database server's again")
            set_correction(wanted)
        return offset

    # --- schema ----------------------------------------------------------------------------

    def current_revision(self) -> str | None:
        """The schema revision in the database; None when it has no schema."""
        with translate_errors(self), self._readonly_engine.connect() as conn:
            if not _has_table(conn, "alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def check_schema(self) -> None:
        """Refuse to work on a missing, old or unknown schema (exit code 4)."""
        current = self.current_revision()
        if current == HEAD_REVISION:
            self._schema_checked = True
            return
        if current is None:
            raise SchemaOutdated("error.schema_missing", url=self.display_url)
        if current in KNOWN_REVISIONS:
            raise SchemaOutdated(url=self.display_url, current=current)
        raise SchemaTooNew(url=self.display_url, current=current)

    def upgrade(self) -> str:
        """Create or migrate the schema to the newest revision; returns it."""
        from shared.migrations import upgrade

        current = self.current_revision()
        if current is not None and current not in KNOWN_REVISIONS:
            # Made by a newer version: never touch it.
            raise SchemaTooNew(url=self.display_url, current=current)
        with translate_errors(self), unwatched():
            upgrade(self.engine)
        self._schema_checked = False
        self.check_schema()
        return HEAD_REVISION


@functools.lru_cache(maxsize=256)
def _pg_placeholders(sql: str) -> str:
    """``:name`` parameters in psycopg's ``%(name)s`` style (``::`` casts left alone)."""
    return re.sub(r"(?<![:\w]):([A-Za-z_]\w*)", r"%(\1)s", sql.replace("%", "%%"))


class Direct:
    """The statements of one :meth:`Database.direct` transaction.

    Parameters are plain Python values: aware datetimes (stored in UTC), dates, dicts (JSON);
    rows come back as the driver gives them (SQLite: datetimes as text, see
    :func:`read_datetime`)."""

    __slots__ = ("_cursor", "_conn", "_sqlite", "last_sql")

    def __init__(self, dbapi_connection: Any, *, sqlite: bool) -> None:
        self._conn = dbapi_connection
        self._cursor = dbapi_connection.cursor()
        self._sqlite = sqlite
        self.last_sql = ""

    @property
    def is_sqlite(self) -> bool:
        return self._sqlite

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        self.last_sql = sql
        cursor = self._cursor
        if self._sqlite:
            cursor.execute(sql, _sqlite_params(params) if params else ())
        else:
            # Prebuilt statements of the hot paths: prepared on the first run (planned once per
            # connection, see the connection's plan_cache_mode) instead of psycopg's fifth.
            cursor.execute(
                _pg_placeholders(sql), _pg_params(params) if params else None, prepare=True
            )
        return cursor

    def one(self, sql: str, params: dict[str, Any] | None = None) -> tuple[Any, ...]:
        row = self.execute(sql, params).fetchone()
        if row is None:
            raise LookupError(f"no row: {sql}")
        return tuple(row)

    def first(self, sql: str, params: dict[str, Any] | None = None) -> tuple[Any, ...] | None:
        row = self.execute(sql, params).fetchone()
        return None if row is None else tuple(row)

    def all(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.execute(sql, params).fetchall()]

    def scalar(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        return self.one(sql, params)[0]

    def commit(self) -> None:
        self.last_sql = "COMMIT"
        if self._sqlite:
            self._cursor.execute("COMMIT")
        else:
            self._conn.commit()
        self._cursor.close()


def _sqlite_datetime(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the database; pass an aware one")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


_SQLITE_CONVERT: dict[type, Callable[[Any], Any]] = {
    datetime: _sqlite_datetime,  # as SQLAlchemy writes it: 2026-12-03 01:30:00.000000
    date: date.isoformat,
    dict: json.dumps,
    list: json.dumps,
}


def _sqlite_params(params: dict[str, Any]) -> dict[str, Any]:
    out = params.copy()
    convert = _SQLITE_CONVERT.get
    for key, value in params.items():
        change = convert(type(value))
        if change is not None:
            out[key] = change(value)
    return out


def _pg_params(params: dict[str, Any]) -> dict[str, Any]:
    from psycopg.types.json import Json

    out = {}
    for key, value in params.items():
        if isinstance(value, datetime) and value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass an aware one")
        out[key] = Json(value) if isinstance(value, dict | list) else value
    return out


def read_datetime(value: Any) -> datetime | None:
    """A datetime column read through :class:`Direct`, aware in UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def read_date(value: Any) -> date | None:
    """A date column read through :class:`Direct`."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _rollback_quietly(dbapi_connection: Any) -> None:
    try:
        if dbapi_connection is not None:
            dbapi_connection.rollback()
    except Exception:  # noqa: BLE001 - the connection is going anyway
        pass


def _ping(dbapi_connection: Any) -> None:
    """``SELECT 1`` outside any transaction (what SQLAlchemy's pre-ping does for psycopg)."""
    autocommit = dbapi_connection.autocommit
    if not autocommit:
        dbapi_connection.autocommit = True
    try:
        dbapi_connection.execute("SELECT 1")
    finally:
        if not autocommit and not dbapi_connection.closed:
            dbapi_connection.autocommit = False


_BEGIN_RETRY_S = (0.001, 0.004)
"""Sleep between two tries for SQLite's write lock: short and random, the same for every try."""


def _begin_immediate(
    dbapi_connection: sqlite3.Connection, timeout: float, *, toggle: bool = True
) -> None:
    """``BEGIN IMMEDIATE``, waiting for the write lock up to ``timeout`` seconds, fairly.

    SQLite's own busy handler backs off (1, 2, 5 … up to 100 ms between tries): a writer that
    has waited a while sleeps long and loses the lock again and again to writers that just
    arrived. With 16 programs writing flat out, one counter waited seconds (bench
    ``counter_press``). Here every try is alike (busy timeout 0 for this statement, a short random
    sleep between tries), so the lock goes to whoever is waiting, and no writer starves. Once the
    transaction has begun it holds the lock: the other statements keep the normal busy timeout.

    The price, measured side by side (``bench.call_next``, 16 processes calling flat out on 2
    cores): p50 28 ms and p95 175 ms per call instead of 1.8 ms and 6.6 ms, but p99 274 ms instead
    of 872 ms and no caller left waiting seconds; fewer calls per second overall (272 vs 370).
    A clerk's press waits behind the others instead of behind luck. Without contention (any real
    centre: 16 counters each pressing every 0.2–0.6 s still gives p95 11 ms, ``counter_press
    --pace-ms 200,600``) the two behave alike. Tries are 1–4 ms apart: closer tries burnt the
    CPU the lock holder needed (0.2–1 ms gave 134 calls/s).

    ``toggle=False``: the connection's busy timeout is 0 already (direct transactions).
    """
    cursor = dbapi_connection.cursor()
    if toggle:
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                cursor.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                text_ = str(exc)
                if ("locked" not in text_ and "busy" not in text_) or time.monotonic() > deadline:
                    raise sa_exc.OperationalError("BEGIN IMMEDIATE", None, exc) from None
            time.sleep(random.uniform(*_BEGIN_RETRY_S))
    finally:
        if toggle:
            cursor.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        cursor.close()


def _configure_sqlite(
    dbapi_connection: sqlite3.Connection, timeout: float, synchronous: str
) -> None:
    """The product's settings on a new SQLite connection."""
    # BEGIN is issued by the product itself (see ``_begin_immediate``).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    _ensure_wal(cursor, timeout)
    cursor.execute(f"PRAGMA synchronous = {synchronous}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _ensure_wal(cursor: sqlite3.Cursor, timeout: float) -> None:
    """Switch the file to WAL once. The switch needs the file to itself and, unlike other
    statements, fails at once instead of waiting when another program is writing (two PCs
    creating the database together): so retry it for up to the busy timeout."""
    if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
        return
    deadline = time.monotonic() + timeout
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _has_table(conn: Any, name: str) -> bool:
    from sqlalchemy import inspect

    return inspect(conn).has_table(name)


def _retrying(open_transaction: Callable[[], Any], work: Callable[[Any], T]) -> T:
    """``work`` in a transaction, run again (up to ``_MAX_ATTEMPTS``) when the server rolled it
    back asking for a retry."""
    for attempt in range(1, _MAX_ATTEMPTS + 1):
        try:
            with open_transaction() as handle:
                return work(handle)
        except _Retry as retry:
            if attempt == _MAX_ATTEMPTS:
                raise retry.final from None
            log.info("transaction retried (%s), attempt %d", retry.reason, attempt)
            time.sleep(0.01 * attempt)
    raise AssertionError("unreachable")


class _Retry(Exception):
    def __init__(self, reason: str, final: Exception) -> None:
        super().__init__(reason)
        self.reason = reason
        self.final = final


@contextmanager
def translate_errors(db: Database) -> Iterator[None]:
    """Turn driver errors into the product's typed errors with a message for a person."""
    try:
        yield
    except sa_exc.DBAPIError as exc:
        raise _classify(db, exc) from exc


def _classify(db: Database, exc: sa_exc.DBAPIError) -> Exception:
    orig = exc.orig
    detail = _first_line(orig)
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate in _RETRY_SQLSTATES:
        return _Retry(sqlstate or "", DatabaseBusy())
    if sqlstate in _BUSY_SQLSTATES:
        return DatabaseBusy()
    if db.is_sqlite:
        return _classify_sqlite(db, exc, orig, detail)
    if exc.connection_invalidated or isinstance(
        exc, sa_exc.OperationalError | sa_exc.InterfaceError
    ):
        if sqlstate is None or sqlstate.startswith("08") or sqlstate.startswith("57P"):
            if _never_connected(exc):
                return DatabaseUnreachable(url=db.display_url, detail=detail)
            return DatabaseLost(detail=detail)
    if sqlstate == "42P01":  # undefined table
        return SchemaOutdated("error.schema_missing", url=db.display_url)
    if sqlstate == "42501":  # insufficient privilege: a role of `motcua db roles`
        return DatabaseNotAllowed(detail=detail)
    return exc


DISK_NEARLY_FULL = 256 * 1024
"""Free bytes under which a failure to write the SQLite file is put down to a full disk."""


def _classify_sqlite(
    db: Database, exc: sa_exc.DBAPIError, orig: BaseException | None, detail: str
) -> Exception:
    """What went wrong with the SQLite file, in words that say what to do about it."""
    if not isinstance(orig, sqlite3.DatabaseError) or isinstance(
        orig, sqlite3.IntegrityError | sqlite3.ProgrammingError
    ):
        return exc
    low = detail.lower()
    path = db.url.database or ""
    if "locked" in low or "busy" in low:
        return DatabaseBusy()
    if "no such table" in low:
        return SchemaOutdated("error.schema_missing", url=db.display_url)
    free = _free_bytes(path)
    if "disk is full" in low or (
        ("disk i/o" in low or "unable to open" in low)
        and free is not None
        and free < DISK_NEARLY_FULL
    ):
        return DiskFull(path=path, free=_size_text(free or 0))
    if (
        "readonly" in low
        or "read-only" in low
        or (("unable to open" in low or "disk i/o" in low) and _read_only(path))
    ):
        return DatabaseReadOnly(path=path)
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return DatabaseCorrupt(path=path, detail=detail)
    if "unable to open" in low or "disk i/o" in low:
        return DatabaseFileUnreachable(path=path, detail=detail)
    return DatabaseLost(detail=detail)


def _free_bytes(path: str) -> int | None:
    """Free bytes on the disk of ``path`` (None when unknown)."""
    import shutil

    folder = Path(path).expanduser().parent if path and path != ":memory:" else None
    while folder is not None and not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if folder is None:
        return None
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _read_only(path: str) -> bool:
    """Whether the SQLite file or its folder cannot be written (a read-only disk, no right)."""
    target = Path(path).expanduser()
    folder = target.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return True
    except (OSError, AttributeError):  # AttributeError: no statvfs (Windows)
        pass
    if target.exists() and not os.access(target, os.W_OK):
        return True
    return folder.exists() and not os.access(folder, os.W_OK)


def _size_text(size: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


def _never_connected(exc: sa_exc.DBAPIError) -> bool:
    text_ = str(exc.orig).lower()
    return any(
        marker in text_
        for marker in (
            "connection refused",
            "could not connect",
            "connection failed",
            "name or service not known",
            "timeout expired",
            "does not exist",
            "no such host",
            "could not translate host",
        )
    )


def _first_line(orig: BaseException | None) -> str:
    lines = str(orig).strip().splitlines() if orig is not None else []
    return lines[0] if lines else ""
