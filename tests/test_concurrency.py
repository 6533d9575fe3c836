"""Provable safety under concurrency: 8 counter processes call while 2 kiosk processes issue.

Runs against a real SQLite file shared by real processes, and against the real PostgreSQL
server the suite starts. Checks: no duplicate number, no ticket called twice, none lost, FIFO
within a service and the strict priority rule. On SQLite every writer is serialised, so FIFO and
priority hold exactly in event-log order. On PostgreSQL, counters work truly in parallel: a
ticket locked by one counter's in-flight transaction is skipped by the others, so the rules may
only be bent by tickets that were being called at that very moment (within as many calls as
there are counters).
"""

from __future__ import annotations

import json
import multiprocessing
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shared.catalog import import_catalog, parse_catalog
from shared.db import Database
from shared.models import Call, Event, Service, Ticket
from tests.helpers import stress

ISSUERS = 2
PER_ISSUER = 120
CALLERS = len(stress.COUNTERS)


def run_stress(url: str, tmp_path: Path) -> tuple[list[dict], list[dict]]:
    db = Database(url)
    db.upgrade()
    import_catalog(db, parse_catalog(stress.catalog_text()))
    db.dispose()

    ctx = multiprocessing.get_context("spawn")
    go, issuers_done = ctx.Event(), ctx.Event()
    issuers = [
        ctx.Process(
            target=stress.issuer, args=(url, i, PER_ISSUER, str(tmp_path / f"issuer{i}.json"), go)
        )
        for i in range(ISSUERS)
    ]
    callers = [
        ctx.Process(
            target=stress.caller, args=(url, n, str(tmp_path / f"caller{n}.json"), go, issuers_done)
        )
        for n in stress.COUNTERS
    ]
    for p in issuers + callers:
        p.start()
    go.set()
    for p in issuers:
        p.join(timeout=300)
        assert p.exitcode == 0, "an issuing process failed"
    issuers_done.set()
    for p in callers:
        p.join(timeout=300)
        assert p.exitcode == 0, "a calling process failed"
    issued = [
        t for i in range(ISSUERS) for t in json.loads((tmp_path / f"issuer{i}.json").read_text())
    ]
    calls = [
        c for n in stress.COUNTERS for c in json.loads((tmp_path / f"caller{n}.json").read_text())
    ]
    return issued, calls


def check(url: str, issued: list[dict], calls: list[dict], *, exact: bool) -> None:
    db = Database(url)
    with db.transaction(readonly=True) as s:
        tickets = {t.id: t for t in s.scalars(select(Ticket))}
        codes = dict(s.execute(select(Service.id, Service.code)).all())
        call_rows = s.execute(select(Call.ticket_id, func.count()).group_by(Call.ticket_id)).all()
        log = list(
            s.scalars(
                select(Event)
                .where(Event.kind.in_(("ticket.issued", "ticket.called")))
                .order_by(Event.id)
            )
        )
    db.dispose()

    # Idempotent issuing across processes: each request id gave exactly one ticket.
    by_request: dict[str, set[int]] = defaultdict(set)
    for t in issued:
        by_request[t["request_id"]].add(t["id"])
    assert all(len(ids) == 1 for ids in by_request.values())
    expected = ISSUERS * PER_ISSUER + stress.SHARED_REQUESTS
    assert len(tickets) == expected == len(by_request)

    # No duplicate number within a service and day.
    numbers = [(t.origin_service_id, t.business_day, t.number) for t in tickets.values()]
    assert len(set(numbers)) == len(numbers)
    # Numbers are gap-free per service: 1..n of each sequence was used.
    per_service: dict[int, list[int]] = defaultdict(list)
    for t in tickets.values():
        per_service[t.origin_service_id].append(t.seq)
    for seqs in per_service.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))

    # Every ticket called exactly once, none lost, by a counter that serves its service.
    called_ids = [c["id"] for c in calls]
    assert len(called_ids) == len(set(called_ids)) == expected
    assert all(n == 1 for _, n in call_rows) and len(call_rows) == expected
    assert all(t.status in ("called", "done") for t in tickets.values())
    for c in calls:
        assert c["service"] in stress.COUNTERS[c["counter"]]

    # The log's order is the order things happened in (commit order).
    call_events = [e for e in log if e.kind == "ticket.called"]
    position = {e.ticket_id: i for i, e in enumerate(call_events)}
    slack = 0 if exact else CALLERS

    # FIFO within a service and class.
    queues: dict[tuple[str, bool], list] = defaultdict(list)
    for t in tickets.values():
        queues[(codes[t.service_id], t.priority_group_id is not None)].append(t)
    for queue in queues.values():
        queue.sort(key=lambda t: (t.queued_at, t.id))
        for earlier, later in zip(queue, queue[1:], strict=False):
            late_by = position[earlier.id] - position[later.id]
            assert late_by <= slack, (
                f"{earlier.number} was called {late_by} calls after the younger {later.number}"
            )

    # Strict priority: a normal ticket is never called while a priority ticket of the
    # counter's services waits (on PostgreSQL: unless that one was being called meanwhile).
    waiting_priority: dict[str, set[int]] = defaultdict(set)
    for e in log:
        t = tickets[e.ticket_id]
        service = codes[t.service_id]
        if e.kind == "ticket.issued":
            if t.priority_group_id is not None:
                waiting_priority[service].add(t.id)
            continue
        waiting_priority[service].discard(t.id)
        if t.priority_group_id is not None:
            continue
        passed_over = [
            pid for code in stress.COUNTERS[e.data["counter"]] for pid in waiting_priority[code]
        ]
        for pid in passed_over:
            assert position[pid] - position[t.id] <= slack, (
                f"normal {t.number} called while priority {tickets[pid].number} waited"
            )


@pytest.mark.slow
def test_many_processes_on_one_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'centre.sqlite3').as_posix()}"
    issued, calls = run_stress(url, tmp_path)
    check(url, issued, calls, exact=True)


@pytest.mark.slow
@pytest.mark.postgres
def test_many_processes_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    issued, calls = run_stress(pg_url, tmp_path)
    check(pg_url, issued, calls, exact=False)


def follow_log_while_writing(url: str) -> tuple[list[int], list[int]]:
    """A display-like reader follows "events after the last id I saw" while 4 processes write."""
    db = Database(url)
    db.upgrade()
    import_catalog(db, parse_catalog(stress.catalog_text()))
    ctx = multiprocessing.get_context("spawn")
    go = ctx.Event()
    writers = [ctx.Process(target=stress.plain_issuer, args=(url, i, 80, go)) for i in range(4)]
    for p in writers:
        p.start()
    seen: list[int] = []
    last = 0

    def poll() -> None:
        nonlocal last
        with db.transaction(readonly=True) as s:
            ids = s.scalars(select(Event.id).where(Event.id > last).order_by(Event.id)).all()
        seen.extend(ids)
        if ids:
            last = ids[-1]

    go.set()
    while any(p.is_alive() for p in writers):
        poll()
    for p in writers:
        p.join()
        assert p.exitcode == 0
    poll()
    with db.transaction(readonly=True) as s:
        everything = list(s.scalars(select(Event.id).order_by(Event.id)))
    db.dispose()
    return seen, everything


@pytest.mark.slow
@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_a_reader_following_the_event_log_misses_nothing(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = (
        f"sqlite:///{(tmp_path / 'feed.sqlite3').as_posix()}"
        if backend == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    seen, everything = follow_log_while_writing(url)
    assert len(everything) == 1 + 4 * 80  # the catalogue import and every ticket
    assert seen == everything
