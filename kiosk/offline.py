"""The kiosk's numbers for when the database server is away (no Qt: the window calls these from
its worker thread).

Online, after each reading of the home screen, the kiosk hands over what it gave while away
(:meth:`OfflineNumbers.sync`) and tops up its blocks (:meth:`OfflineNumbers.top_up`): for each
service it keeps at least half a block (``[kiosk] offline_block`` numbers) reserved for today.
Away, :meth:`OfflineNumbers.take` gives the next one, written down before it is printed, and
the ticket says it was given while the server was away. See :mod:`shared.offline`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from shared.clock import ensure_aware, local_day
from shared.errors import DatabaseError, MotcuaError
from shared.offline import FILE_NAME, OfflineStore
from shared.views import NumberBlockView, OfflineTicket

log = logging.getLogger("motcua.kiosk.offline")

T = TypeVar("T")

TOP_UP_EVERY = 600.0
"""Seconds between two checks of the blocks while online (a new day needs new ones)."""
ONLINE_PATIENCE = 5.0
"""Seconds a visitor waits for the server before the kiosk gives a number from its block (a
silent network is otherwise noticed only after the database's response timeout)."""


class ServerTooSlow(Exception):
    """The server did not answer within :data:`ONLINE_PATIENCE`."""


def within(seconds: float, call: Callable[[], T]) -> T:
    """``call()``'s result if it comes within ``seconds``; else :class:`ServerTooSlow` (the call
    goes on in the background and ends by itself, answered or cut off by the database's
    watchdog; whatever it did is settled when the tickets given meanwhile are handed over)."""
    box: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # handed to the caller
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=run, name="kiosk-online-issue", daemon=True).start()
    if not done.wait(seconds):
        raise ServerTooSlow()
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


@dataclass(frozen=True)
class OfflineTake:
    """A number given while away: the ticket as kept, and its block (names, counters)."""

    ticket: OfflineTicket
    block: NumberBlockView


class OfflineNumbers:
    def __init__(self, folder: Path, block_size: int, timezone: str = "Asia/Ho_Chi_Minh") -> None:
        self.path = folder / FILE_NAME
        self.block_size = block_size
        self.timezone = timezone
        self._store: OfflineStore | None = None
        self._topped_up_at: float | None = None

    @property
    def store(self) -> OfflineStore:
        """Opened on first use (in the worker: the first frame does not wait for the disk)."""
        if self._store is None:
            self._store = OfflineStore(self.path)
        return self._store

    def today(self, now: datetime | None = None) -> date:
        return local_day(ensure_aware(now), self.timezone)

    def remaining(self, now: datetime | None = None) -> dict[str, int]:
        """Numbers left per service for today."""
        return self.store.remaining(self.today(now))

    # --- online ----------------------------------------------------------------------------

    def sync(self, engine: Any) -> int:
        """Hand over, oldest first, every ticket given while away; how many. A ticket the
        server refuses (not from this kiosk's block) is logged and kept aside, never retried
        forever; a database failure stops here (the rest goes next time)."""
        done = 0
        for ticket in self.store.pending():
            try:
                engine.sync_offline(self.store.holder, ticket)
            except DatabaseError:
                raise
            except MotcuaError as error:
                log.error(
                    "ticket %s given while away not accepted: %s",
                    ticket.number,
                    error.message_in("en"),
                )
            self.store.mark_synced(ticket.request_id)
            done += 1
        if done:
            log.info("handed over %d ticket(s) given while the server was away", done)
        for request_id in self.store.abandoned():
            engine.cancel_request(request_id, reason="replaced_offline")
            self.store.forget_abandoned(request_id)
        return done

    def top_up_due(self) -> bool:
        """Whether :meth:`top_up` last ran more than :data:`TOP_UP_EVERY` seconds ago."""
        return self._topped_up_at is None or time.monotonic() - self._topped_up_at > TOP_UP_EVERY

    def top_up(self, engine: Any, services: Iterable[str], now: datetime | None = None) -> int:
        """Reserve a block for each service with less than half a block left today; the number
        of blocks reserved."""
        self._topped_up_at = time.monotonic()
        day = self.today(now)
        self.store.forget_before(day)
        left = self.store.remaining(day)
        blocks = []
        for code in services:
            if left.get(code, 0) * 2 >= self.block_size:
                continue
            try:
                block = engine.reserve_block(self.store.holder, code, self.block_size, now=now)
            except DatabaseError:
                raise
            except MotcuaError as error:  # an inactive service, a used-up range: none for it
                log.info("no block for %s: %s", code, error.message_in("en"))
                continue
            if block is not None:
                blocks.append(block)
        self.store.add_blocks(blocks)
        return len(blocks)

    # --- away ------------------------------------------------------------------------------

    def take(
        self,
        service: str,
        *,
        priority: str | None = None,
        language: str = "vi",
        abandoned: str | None = None,
        now: datetime | None = None,
    ) -> OfflineTake | None:
        """The next number of ``service`` from today's block (None: none left). ``abandoned``:
        the request id of an online attempt that may have reached the server before the
        network failed: cancelled there once back, so only the number printed now counts."""
        if abandoned:
            self.store.abandon(abandoned)
        taken = self.store.take(
            service, self.today(now), priority=priority, language=language, now=now
        )
        if taken is None:
            return None
        ticket, block = taken
        log.info("number %s given while the server is away", ticket.number)
        return OfflineTake(ticket, block)
