"""Numbers a kiosk gives while the server is away: reserved blocks, the kiosk's own store, and
the hand-over afterwards (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import signal
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from shared.db import Database
from shared.errors import OfflineTicketRefused
from shared.models import Event, NumberBlock, Ticket
from shared.offline import OfflineStore
from shared.queue import QueueEngine
from tests.helpers.clock import vn

pytestmark = pytest.mark.timewise

MORNING = vn(2026, 11, 18, 9, 0)


def test_a_block_is_taken_from_the_same_numbers_and_nobody_else_gives_them(
    engine: QueueEngine,
) -> None:
    before = engine.issue("HT", now=MORNING)  # 2001
    block = engine.reserve_block("kiosk-a", "HT", 10, now=MORNING)
    assert block is not None
    assert (block.first_seq, block.last_seq, block.size) == (2, 11, 10)
    assert [block.number(s) for s in (block.first_seq, block.last_seq)] == ["2002", "2011"]
    assert block.business_day.isoformat() == "2026-11-18" and block.counters
    after = engine.issue("HT", now=MORNING + timedelta(minutes=1))
    assert (before.number, after.number) == ("2001", "2012")  # online numbers skip the block
    other = engine.reserve_block("kiosk-b", "HT", 5, now=MORNING)
    assert other is not None and (other.first_seq, other.last_seq) == (13, 17)
    with engine.db.transaction(readonly=True) as s:
        kinds = list(s.scalars(select(Event.kind).order_by(Event.id)))
        holders = sorted(s.scalars(select(NumberBlock.holder)))
    assert kinds.count("numbers.reserved") == 2 and holders == ["kiosk-a", "kiosk-b"]


def test_a_block_at_the_end_of_the_range_is_shorter_then_there_is_none(
    engine: QueueEngine,
) -> None:
    block = engine.reserve_block("kiosk-a", "SMALL", 5, now=MORNING)  # S001–S002 only
    assert block is not None and [block.number(s) for s in (1, 2)] == ["S001", "S002"]
    assert block.size == 2
    assert engine.reserve_block("kiosk-a", "SMALL", 5, now=MORNING) is None


def test_tickets_given_offline_join_the_queue_by_their_time(
    engine: QueueEngine, tmp_path: Path
) -> None:
    store = OfflineStore(tmp_path / "kiosk.sqlite3")
    block = engine.reserve_block(store.holder, "HT", 3, now=MORNING)
    assert block is not None
    store.add_blocks([block])
    # The server is away from 09:05: this kiosk gives two numbers from its block, while a
    # kiosk still connected gives one in between.
    first, _ = store.take("HT", block.business_day, now=MORNING + timedelta(minutes=5))
    online = engine.issue("HT", now=MORNING + timedelta(minutes=6))
    second, _ = store.take(
        "HT", block.business_day, priority="elderly", now=MORNING + timedelta(minutes=7)
    )
    assert (first.number, second.number, online.number) == ("2001", "2002", "2004")
    assert store.remaining(block.business_day) == {"HT": 1}
    # Back: handed over, oldest first; sending again changes nothing.
    synced = [engine.sync_offline(store.holder, t) for t in store.pending()]
    assert [t.number for t in synced] == ["2001", "2002"]
    assert engine.sync_offline(store.holder, first).id == synced[0].id
    for ticket in synced:
        store.mark_synced(ticket_request(engine, ticket.id))
    assert store.pending() == []
    # The queue goes by issue time: the elderly citizen first (strict priority), then 2001
    # (09:05), then 2004 (09:06).
    called = [engine.call_next(1, now=MORNING + timedelta(minutes=10 + n)) for n in range(3)]
    assert [t.number for t in called if t] == ["2002", "2001", "2004"]
    with engine.db.transaction(readonly=True) as s:
        row = s.scalar(select(Ticket).where(Ticket.number == "2001"))
        assert row is not None and row.block_id == block.id and row.secret == first.secret
        assert row.issued_at == MORNING + timedelta(minutes=5)
        data = s.scalar(
            select(Event.data).where(Event.kind == "ticket.issued", Event.ticket_id == row.id)
        )
    assert data["offline"] is True and data["holder"] == store.holder


def ticket_request(engine: QueueEngine, ticket_id: int) -> str:
    with engine.db.transaction(readonly=True) as s:
        return str(s.get_one(Ticket, ticket_id).request_id)


def test_a_number_outside_the_kiosks_block_is_refused_and_never_doubled(
    engine: QueueEngine, tmp_path: Path
) -> None:
    store = OfflineStore(tmp_path / "kiosk.sqlite3")
    block = engine.reserve_block(store.holder, "HT", 2, now=MORNING)
    assert block is not None
    store.add_blocks([block])
    ticket, _ = store.take("HT", block.business_day, now=MORNING)
    for forged in (
        dataclasses.replace(ticket, seq=block.last_seq + 1, number="2003", request_id="x1"),
        dataclasses.replace(ticket, number="2999", request_id="x2"),
        dataclasses.replace(ticket, service="DD", request_id="x3"),
    ):
        with pytest.raises(OfflineTicketRefused):
            engine.sync_offline(store.holder, forged)
    with pytest.raises(OfflineTicketRefused):
        engine.sync_offline("another-kiosk", ticket)
    engine.sync_offline(store.holder, ticket)
    # The same number under another request id (a copied or restored store): refused.
    with pytest.raises(OfflineTicketRefused):
        engine.sync_offline(store.holder, dataclasses.replace(ticket, request_id="copy"))
    with engine.db.transaction(readonly=True) as s:
        assert list(s.scalars(select(Ticket.number))) == ["2001"]


def test_the_store_never_gives_a_number_twice_even_across_restarts(
    engine: QueueEngine, tmp_path: Path
) -> None:
    path = tmp_path / "kiosk.sqlite3"
    store = OfflineStore(path)
    holder = store.holder
    block = engine.reserve_block(holder, "CT", 4, now=MORNING)
    assert block is not None
    store.add_blocks([block, block])  # kept once
    given = [store.take("CT", block.business_day, now=MORNING)[0].number]  # type: ignore[index]
    store.close()
    store = OfflineStore(path)
    assert store.holder == holder
    given += [store.take("CT", block.business_day, now=MORNING)[0].number for _ in range(3)]  # type: ignore[index]
    assert given == ["A001", "A002", "A003", "A004"]
    assert store.take("CT", block.business_day, now=MORNING) is None  # used up
    assert store.take("HT", block.business_day, now=MORNING) is None  # no block for it
    assert store.take("CT", block.business_day + timedelta(days=1), now=MORNING) is None


def _take_forever(path: str, day: str, ready: multiprocessing.synchronize.Event) -> None:
    from datetime import date

    store = OfflineStore(Path(path))
    ready.set()
    while store.take("CT", date.fromisoformat(day)) is not None:
        pass


def test_a_kiosk_killed_while_giving_numbers_never_repeats_one(
    engine: QueueEngine, tmp_path: Path
) -> None:
    """Killed (a power cut) in the middle of giving numbers, again and again: every number the
    store said it gave is written down, and the next start goes on after it."""
    path = tmp_path / "kiosk.sqlite3"
    store = OfflineStore(path)
    block = engine.reserve_block(store.holder, "CT", 400, now=MORNING)
    assert block is not None
    store.add_blocks([block])
    store.close()
    ctx = multiprocessing.get_context("spawn")
    for kill in range(15):
        ready = ctx.Event()
        worker = ctx.Process(
            target=_take_forever, args=(str(path), block.business_day.isoformat(), ready)
        )
        worker.start()
        assert ready.wait(30)
        worker.join(0.02 * (kill % 5))
        if worker.is_alive():
            os.kill(worker.pid, signal.SIGKILL)  # type: ignore[arg-type]
        worker.join(10)
    store = OfflineStore(path)
    numbers = [t.number for t in store.pending()]
    assert len(numbers) == len(set(numbers)) and numbers
    seqs = sorted(t.seq for t in store.pending())
    assert seqs == list(range(block.first_seq, block.first_seq + len(seqs)))  # no gap either
    left = store.remaining(block.business_day).get("CT", 0)
    assert left == block.size - len(seqs)
    for ticket in store.pending():
        engine.sync_offline(store.holder, ticket)
    with engine.db.transaction(readonly=True) as s:
        assert len(list(s.scalars(select(Ticket.id)))) == len(seqs)


def test_a_block_the_database_does_not_know_is_refused(db: Database, tmp_path: Path) -> None:
    """A store restored on another database, or a block id from elsewhere: refused."""
    from shared.catalog import import_catalog, load_catalog_file
    from tests.helpers.catalogs import small_catalog

    import_catalog(db, load_catalog_file(small_catalog(tmp_path)))
    engine = QueueEngine(db, "TEST")
    store = OfflineStore(tmp_path / "kiosk.sqlite3")
    block = engine.reserve_block(store.holder, "HT", 2, now=MORNING)
    assert block is not None
    store.add_blocks([block])
    ticket, _ = store.take("HT", block.business_day, now=MORNING)
    with pytest.raises(OfflineTicketRefused):
        engine.sync_offline(store.holder, dataclasses.replace(ticket, block_id=block.id + 99))
