"""What a kiosk keeps on its own disk to go on giving numbers while the server is away.

While it reaches the database, the kiosk reserves a block of numbers per service for today
(:meth:`shared.queue.QueueEngine.reserve_block`) and keeps it here, with what it needs to print
a ticket by itself (the centre's and the service's names, the counters). When the server cannot
be reached, a touch takes the next number of the block (:meth:`OfflineStore.take`): written to
this file (SQLite, synchronous) before the ticket is printed, so a number once printed is never
given again, even after a power cut. When the server is back, the kiosk hands those tickets
over (:meth:`~shared.queue.QueueEngine.sync_offline`), oldest first, and marks them here.

One file per kiosk PC (``kiosk-offline.sqlite3`` beside the settings' data folder), with the
kiosk's own random id, the *holder* of its blocks. Nothing personal is kept.
"""

from __future__ import annotations

import secrets
import socket
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from shared.clock import ensure_aware
from shared.codes import new_secret
from shared.views import NumberBlockView, OfflineTicket

FILE_NAME = "kiosk-offline.sqlite3"
_SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (
    id INTEGER PRIMARY KEY,
    service TEXT NOT NULL,
    service_name TEXT NOT NULL,
    service_name_en TEXT NOT NULL,
    business_day TEXT NOT NULL,
    first_seq INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    next_seq INTEGER NOT NULL,
    prefix TEXT NOT NULL,
    number_start INTEGER NOT NULL,
    digits INTEGER NOT NULL,
    counters TEXT NOT NULL,
    centre TEXT NOT NULL,
    centre_name TEXT NOT NULL,
    timezone TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tickets (
    request_id TEXT PRIMARY KEY,
    block_id INTEGER NOT NULL REFERENCES blocks (id),
    service TEXT NOT NULL,
    seq INTEGER NOT NULL,
    number TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    secret TEXT NOT NULL,
    priority TEXT,
    language TEXT NOT NULL,
    synced INTEGER NOT NULL DEFAULT 0,
    UNIQUE (block_id, seq)
);
CREATE TABLE IF NOT EXISTS abandoned (request_id TEXT PRIMARY KEY);
"""


class OfflineStore:
    """The kiosk's blocks of numbers and the tickets it gave from them (thread-safe)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = FULL")  # printed means written
        self._conn.execute("PRAGMA foreign_keys = ON")
        with self._write() as conn:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            row = conn.execute("SELECT value FROM meta WHERE key = 'holder'").fetchone()
            if row is None:
                holder = f"{socket.gethostname()[:40]}-{secrets.token_hex(4)}"
                conn.execute("INSERT INTO meta (key, value) VALUES ('holder', ?)", (holder,))
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema', ?)", (str(_SCHEMA_VERSION),)
                )
            else:
                holder = row[0]
        self.holder: str = holder
        """This kiosk's id as the holder of its blocks (kept for the life of the file)."""

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing write."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    # --- blocks ----------------------------------------------------------------------------

    def add_blocks(self, blocks: Iterable[NumberBlockView]) -> None:
        """Keep newly reserved blocks (a block already kept is left as it is)."""
        with self._write() as conn:
            for b in blocks:
                conn.execute(
                    "INSERT OR IGNORE INTO blocks (id, service, service_name, service_name_en,"
                    " business_day, first_seq, last_seq, next_seq, prefix, number_start, digits,"
                    " counters, centre, centre_name, timezone)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        b.id,
                        b.service,
                        b.service_name,
                        b.service_name_en,
                        b.business_day.isoformat(),
                        b.first_seq,
                        b.last_seq,
                        b.first_seq,
                        b.prefix,
                        b.number_start,
                        b.digits,
                        ",".join(str(n) for n in b.counters),
                        b.centre,
                        b.centre_name,
                        b.timezone,
                    ),
                )

    def remaining(self, day: date) -> dict[str, int]:
        """Numbers left per service for ``day``."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT service, sum(last_seq - next_seq + 1) FROM blocks"
                " WHERE business_day = ? AND next_seq <= last_seq GROUP BY service",
                (day.isoformat(),),
            ).fetchall()
        return {service: int(left) for service, left in rows}

    def block(self, block_id: int) -> NumberBlockView | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT id, service, service_name, service_name_en, business_day, first_seq,"
                " last_seq, prefix, number_start, digits, counters, centre, centre_name, timezone"
                " FROM blocks WHERE id = ?",
                (block_id,),
            ).fetchone()
        return None if row is None else _block(row)

    # --- tickets ---------------------------------------------------------------------------

    def take(
        self,
        service: str,
        day: date,
        *,
        priority: str | None = None,
        language: str = "vi",
        now: datetime | None = None,
    ) -> tuple[OfflineTicket, NumberBlockView] | None:
        """The next number of ``service`` from today's blocks, written down before it is
        returned; None when none is left."""
        moment = ensure_aware(now)
        with self._write() as conn:
            row = conn.execute(
                "SELECT id, service, service_name, service_name_en, business_day, first_seq,"
                " last_seq, prefix, number_start, digits, counters, centre, centre_name,"
                " timezone, next_seq FROM blocks"
                " WHERE service = ? AND business_day = ? AND next_seq <= last_seq"
                " ORDER BY id LIMIT 1",
                (service, day.isoformat()),
            ).fetchone()
            if row is None:
                return None
            block, seq = _block(row[:14]), int(row[14])
            ticket = OfflineTicket(
                request_id=f"offline-{self.holder}-{block.id}-{seq}",
                block_id=block.id,
                service=service,
                seq=seq,
                number=block.number(seq),
                issued_at=moment,
                secret=new_secret(),
                priority=priority,
                language=language,
            )
            conn.execute("UPDATE blocks SET next_seq = next_seq + 1 WHERE id = ?", (block.id,))
            conn.execute(
                "INSERT INTO tickets (request_id, block_id, service, seq, number, issued_at,"
                " secret, priority, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    ticket.request_id,
                    ticket.block_id,
                    ticket.service,
                    ticket.seq,
                    ticket.number,
                    moment.astimezone(UTC).isoformat(),
                    ticket.secret,
                    priority,
                    language,
                ),
            )
        return ticket, block

    def pending(self) -> list[OfflineTicket]:
        """Tickets not yet handed over, oldest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT request_id, block_id, service, seq, number, issued_at, secret, priority,"
                " language FROM tickets WHERE synced = 0 ORDER BY issued_at, request_id"
            ).fetchall()
        return [
            OfflineTicket(
                request_id=r[0],
                block_id=int(r[1]),
                service=r[2],
                seq=int(r[3]),
                number=r[4],
                issued_at=datetime.fromisoformat(r[5]),
                secret=r[6],
                priority=r[7],
                language=r[8],
            )
            for r in rows
        ]

    def mark_synced(self, request_id: str) -> None:
        with self._write() as conn:
            conn.execute("UPDATE tickets SET synced = 1 WHERE request_id = ?", (request_id,))

    # --- online attempts the network cut short ---------------------------------------------

    def abandon(self, request_id: str) -> None:
        """An online attempt that may have reached the server before the network failed, and
        was given a number from the block instead: to cancel on the server once back."""
        with self._write() as conn:
            conn.execute("INSERT OR IGNORE INTO abandoned (request_id) VALUES (?)", (request_id,))

    def abandoned(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._conn.execute("SELECT request_id FROM abandoned")]

    def forget_abandoned(self, request_id: str) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM abandoned WHERE request_id = ?", (request_id,))

    def forget_before(self, day: date) -> None:
        """Drop the blocks of days before ``day`` and their handed-over tickets (kept: any
        ticket not handed over yet)."""
        with self._write() as conn:
            conn.execute(
                "DELETE FROM tickets WHERE synced = 1 AND block_id IN"
                " (SELECT id FROM blocks WHERE business_day < ?)",
                (day.isoformat(),),
            )
            conn.execute(
                "DELETE FROM blocks WHERE business_day < ? AND id NOT IN"
                " (SELECT block_id FROM tickets)",
                (day.isoformat(),),
            )


def _block(row: tuple) -> NumberBlockView:
    return NumberBlockView(
        id=int(row[0]),
        service=row[1],
        service_name=row[2],
        service_name_en=row[3],
        business_day=date.fromisoformat(row[4]),
        first_seq=int(row[5]),
        last_seq=int(row[6]),
        prefix=row[7],
        number_start=int(row[8]),
        digits=int(row[9]),
        counters=tuple(int(n) for n in row[10].split(",") if n),
        centre=row[11],
        centre_name=row[12],
        timezone=row[13],
    )
