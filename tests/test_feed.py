"""The live change-feed on real databases: other processes write, the feed follows.

Checks that every event committed by another process arrives, in id order, once; that a feed
started after id N gets exactly what follows N; that a PostgreSQL restart (a real server of its
own, stopped and started again on the same port and data) is reported and then survived with no
gap and no duplicate; and that the Qt worker thread carries all of this to the UI thread.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import multiprocessing
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from shared.catalog import import_catalog, parse_catalog
from shared.db import Database
from shared.errors import DatabaseError
from shared.feed import ChangeFeed, latest_event_id
from shared.models import Centre, Event
from shared.queue import QueueEngine
from shared.views import EventView
from tests.helpers import stress
from tests.helpers.pgserver import PgServer

TICKETS = 25  # each is issued and called: 50 events per writer process


def write_calls(url: str, count: int, pause: float, go: Any) -> None:
    """Another process: issue, call and finish ``count`` tickets."""
    db = Database(url)
    engine = QueueEngine(db, "STRESS")
    go.wait()
    for i in range(count):
        engine.issue(stress.SERVICES[i % len(stress.SERVICES)])
        time.sleep(pause)
        called = engine.call_next(7)  # counter 7 serves every service
        assert called is not None
        engine.finish(called.id)
        time.sleep(pause)
    db.dispose()


def prepared(url: str) -> Database:
    db = Database(url)
    db.upgrade()
    import_catalog(db, parse_catalog(stress.catalog_text()))
    return db


def all_ids_after(db: Database, after: int) -> list[int]:
    with db.transaction(readonly=True) as s:
        return list(s.scalars(select(Event.id).where(Event.id > after).order_by(Event.id)))


def stress_centre_id(db: Database) -> int:
    with db.transaction(readonly=True) as s:
        return int(s.scalar(select(Centre.id).where(Centre.code == "STRESS")) or 0)


def collect(feed: ChangeFeed, count: int, limit: float) -> list[EventView]:
    """Wait until ``count`` events have arrived (or ``limit`` seconds have passed)."""
    got: list[EventView] = []
    deadline = time.monotonic() + limit
    while len(got) < count and time.monotonic() < deadline:
        got.extend(feed.wait(0.2))
    return got


def wait_for(predicate: Any, feed: ChangeFeed, limit: float) -> float:
    """Call ``feed.wait`` (which must return nothing) until ``predicate()``; seconds taken."""
    start = time.monotonic()
    while not predicate():
        assert time.monotonic() - start < limit, f"not within {limit} s: {feed.last_error}"
        assert feed.wait(0.1) == []
    return time.monotonic() - start


@pytest.fixture(scope="module")
def own_pg() -> Iterator[PgServer]:
    """A PostgreSQL server of this module's own, so its restarts don't disturb other tests."""
    server = PgServer().start()
    try:
        yield server
    finally:
        server.stop()


# --- events from another process ---------------------------------------------------------------


def test_events_from_another_process_arrive_in_order_once(db_url: str) -> None:
    db = prepared(db_url)
    start_id = latest_event_id(db)
    # On PostgreSQL the fallback poll comes only after the test's deadline: every event must
    # arrive by notification. (How soon: bench/display_latency.py.)
    feed = ChangeFeed(db, poll_interval=0.2 if db.is_sqlite else 600.0)
    assert feed.connected and feed.last_id == start_id

    ctx = multiprocessing.get_context("spawn")
    go = ctx.Event()
    writer = ctx.Process(target=write_calls, args=(db_url, TICKETS, 0.02, go))
    writer.start()
    received: list[EventView] = []
    try:
        go.set()
        deadline = time.monotonic() + 60
        while len(received) < 3 * TICKETS and time.monotonic() < deadline:
            received.extend(feed.wait(0.5))
        writer.join(timeout=60)
        assert writer.exitcode == 0, "the writing process failed"
        # Nothing more must come (no event handed out twice).
        extra = feed.wait(0.6)
    finally:
        if writer.is_alive():
            writer.kill()
        feed.close()

    assert extra == []
    ids = [e.id for e in received]
    assert ids == all_ids_after(db, start_id), "events missing, repeated or out of order"
    assert len(ids) == 3 * TICKETS
    assert feed.last_id == ids[-1]
    assert all(e.at.tzinfo is not None for e in received)
    db.dispose()


def test_a_feed_started_after_an_id_gets_exactly_what_follows(db_url: str) -> None:
    db = prepared(db_url)
    engine = QueueEngine(db, "STRESS")
    for service in ("HT", "DD", "CT", "HT", "DD"):
        engine.issue(service)
    ids = all_ids_after(db, 0)
    n = ids[-3]

    feed = ChangeFeed(db, after_id=n)
    got = collect(feed, 2, limit=5)
    assert [e.id for e in got] == ids[-2:]
    assert all(e.kind == "ticket.issued" for e in got)
    assert feed.wait(0.3) == []

    # "From now": nothing from before; the next event, and only it.
    now_feed = ChangeFeed(db)
    assert now_feed.last_id == ids[-1]
    assert now_feed.wait(0.3) == []
    engine.issue("CT")
    assert [e.id for e in collect(now_feed, 1, limit=5)] == all_ids_after(db, ids[-1])

    # A centre's feed reads that centre's events (and those of no centre), never the others'.
    centre = stress_centre_id(db)
    mine = ChangeFeed(db, after_id=0, centre_id=centre)
    others = ChangeFeed(db, after_id=0, centre_id=centre + 1000)
    assert {e.centre_id for e in collect(mine, len(ids) - 1, limit=5)} == {centre}
    assert mine.last_id == all_ids_after(db, 0)[-1]
    assert others.wait(0.5) == [] and others.last_id == 0
    assert ChangeFeed(db, centre_id=centre).last_id == mine.last_id  # "from now"
    for f in (feed, now_feed, mine, others):
        f.close()
    db.dispose()


@pytest.mark.postgres
def test_a_centre_feed_skips_the_notifications_of_other_centres(pg_url: str) -> None:
    """A province's displays are not woken for every call of every centre: the notification
    names its centre, and a feed of another centre does not read the log for it."""
    import psycopg

    db = prepared(pg_url)
    other_catalog = stress.catalog_text().replace('code = "STRESS"', 'code = "OTHER"', 1)
    import_catalog(db, parse_catalog(other_catalog))
    stress_engine, other_engine = QueueEngine(db, "STRESS"), QueueEngine(db, "OTHER")
    centre = stress_centre_id(db)
    with db.transaction(readonly=True) as s:
        other = int(s.scalar(select(Centre.id).where(Centre.code == "OTHER")) or 0)

    dsn = db.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as listener:
        listener.execute("LISTEN motcua_events")
        feed = ChangeFeed(db, centre_id=centre, poll_interval=0.05)
        assert feed.wait(0.2) == []  # the first read, on connecting
        start, newest = feed.last_id, all_ids_after(db, 0)[-1]
        other_engine.issue("HT")
        called = other_engine.call_next(7)
        assert called is not None
        # Heard (two events of the other centre), never read: the feed's place stays put.
        assert feed.wait(0.5) == [] and feed.last_id == start
        ids = all_ids_after(db, newest)
        payloads = [n.payload for n in listener.notifies(timeout=2, stop_after=2)]
        assert payloads == [f"{ids[0]}:ticket.issued:{other}", f"{ids[1]}:ticket.called:{other}"]

        # Its own centre's call is read at once, and the feed moves past the others' events.
        stress_engine.issue("HT")
        mine = collect(feed, 1, limit=5)
        assert [e.kind for e in mine] == ["ticket.issued"] and mine[0].centre_id == centre
        assert feed.last_id == all_ids_after(db, 0)[-1]
        feed.close()
    db.dispose()


@pytest.mark.postgres
def test_centres_append_events_without_waiting_for_each_other_and_no_feed_skips_one(
    pg_url: str,
) -> None:
    """Event ids keep their commit order per centre, not across the province: an event of one
    centre being written does not hold up another centre's, a feed of the second centre reads
    its own at once, a feed of the first waits for the commit, and a feed of every centre reads
    only once nothing is being written, so none of them skips the late one."""
    import threading

    from shared import events
    from shared.clock import utcnow

    db = prepared(pg_url)
    other_catalog = stress.catalog_text().replace('code = "STRESS"', 'code = "OTHER"', 1)
    import_catalog(db, parse_catalog(other_catalog))
    a = stress_centre_id(db)
    with db.transaction(readonly=True) as s:
        b = int(s.scalar(select(Centre.id).where(Centre.code == "OTHER")) or 0)
    feed_a = ChangeFeed(db, centre_id=a, poll_interval=0.05)
    feed_b = ChangeFeed(db, centre_id=b, poll_interval=0.05)
    feed_all = ChangeFeed(db, poll_interval=0.05)
    start = feed_all.last_id

    slow = db.engine.connect()
    slow_tx = slow.begin()
    late = events.append(slow, "test.late", at=utcnow(), centre_id=a)  # not committed yet
    with db.engine.connect() as quick:
        with quick.begin():
            quick.exec_driver_sql("SET LOCAL lock_timeout = '2s'")  # fails if it waits for A
            early = events.append(quick, "test.early", at=utcnow(), centre_id=b)
    assert early > late

    got_b = collect(feed_b, 1, limit=5)
    assert [(e.id, e.kind) for e in got_b] == [(early, "test.early")]
    assert feed_a.wait(0.3) == [] and feed_a.last_id <= start

    # A reader of every centre waits for the write in progress, then reads both in id order.
    read_all: list[list[EventView]] = []
    reader = threading.Thread(target=lambda: read_all.append(collect(feed_all, 2, limit=10)))
    reader.start()
    time.sleep(0.5)
    assert read_all == []  # still waiting for centre A's transaction
    slow_tx.commit()
    slow.close()
    reader.join(timeout=15)
    assert [e.id for e in read_all[0]] == [late, early]
    got_a = collect(feed_a, 1, limit=5)
    assert [(e.id, e.kind) for e in got_a] == [(late, "test.late")]
    for feed in (feed_a, feed_b, feed_all):
        feed.close()
    db.dispose()


# --- the database going away ---------------------------------------------------------------------


@pytest.mark.postgres
def test_postgresql_restart_is_reported_then_survived_without_gap_or_duplicate(
    own_pg: PgServer,
) -> None:
    url = own_pg.create_database("feed_restart")
    db = prepared(url)
    engine = QueueEngine(db, "STRESS")
    feed = ChangeFeed(db, poll_interval=0.2)
    start_id = feed.last_id
    engine.issue("HT")
    before = collect(feed, 1, limit=5)
    assert len(before) == 1 and feed.connected

    timings: dict[str, float] = {}

    def while_down() -> None:
        timings["lost"] = wait_for(lambda: not feed.connected, feed, limit=5)
        assert feed.last_error
        with pytest.raises(DatabaseError):
            engine.issue("HT")
        # Still down, still quiet: retries back off and wait() never raises.
        quiet_until = time.monotonic() + 1.5
        while time.monotonic() < quiet_until:
            assert feed.wait(0.2) == []
            assert not feed.connected

    own_pg.restart(while_down)
    # Written before the feed is back: it must catch up on these without any notification.
    for service in ("DD", "CT"):
        engine.issue(service)
    after: list[EventView] = []
    back = time.monotonic()
    while not feed.connected:
        assert time.monotonic() - back < 5, f"not back within 5 s: {feed.last_error}"
        after.extend(feed.wait(0.1))
    timings["back"] = time.monotonic() - back
    after += collect(feed, 2 - len(after), limit=5)
    engine.issue("HT")  # and this one arrives by notification again
    after += collect(feed, 1, limit=5)
    assert feed.wait(0.5) == []
    print(f"\nlost noticed after {timings['lost']:.2f} s, back after {timings['back']:.2f} s")

    ids = [e.id for e in before + after]
    assert ids == all_ids_after(db, start_id), "a gap or a duplicate across the restart"
    assert len(ids) == 4
    assert feed.connected
    feed.close()
    db.dispose()


def test_an_unreachable_postgresql_is_reported_never_raised() -> None:
    db = Database("postgresql://motcua@127.0.0.1:1/nowhere")
    started = time.monotonic()
    feed = ChangeFeed(db, poll_interval=0.1)
    assert feed.wait(1.0) == []
    assert feed.wait(0.0) == []
    assert time.monotonic() - started < 4
    assert not feed.connected
    assert feed.last_error and "127.0.0.1" in feed.last_error
    assert "motcua@" not in feed.last_error
    feed.close()
    assert feed.wait(1.0) == []


def test_an_sqlite_file_without_schema_is_waited_for(tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'later.sqlite3').as_posix()}"
    db = Database(url)
    feed = ChangeFeed(db, poll_interval=0.05)
    assert feed.wait(0.3) == []
    assert not feed.connected and feed.last_error
    # Another PC sets the database up; the feed starts from what exists then.
    other = prepared(url)
    wait_for(lambda: feed.connected, feed, limit=5)
    QueueEngine(other, "STRESS").issue("HT")
    got = collect(feed, 1, limit=5)
    assert [e.kind for e in got] == ["ticket.issued"]
    feed.close()
    other.dispose()
    db.dispose()


# --- Qt ----------------------------------------------------------------------------------------


@pytest.mark.postgres
def test_the_qt_feed_thread_delivers_events_and_connection_changes(
    qtbot: Any, own_pg: PgServer, tmp_path: Path
) -> None:
    from PySide6.QtCore import QThread

    from shared.qt.feed import FeedThread

    url = own_pg.create_database("feed_qt")
    db = prepared(url)
    feed = FeedThread(db, poll_interval=0.2)
    received: list[EventView] = []
    states: list[bool] = []
    threads: set[Any] = set()

    def on_events(events: list[EventView]) -> None:
        threads.add(QThread.currentThread())
        received.extend(events)

    feed.events_arrived.connect(on_events)
    feed.connection_changed.connect(states.append)
    feed.start()
    try:
        qtbot.waitUntil(lambda: states == [True], timeout=5000)

        ctx = multiprocessing.get_context("spawn")
        go = ctx.Event()
        writer = ctx.Process(target=write_calls, args=(url, 4, 0.0, go))
        writer.start()
        go.set()
        writer.join(timeout=60)
        assert writer.exitcode == 0
        qtbot.waitUntil(lambda: len(received) >= 12, timeout=5000)
        assert all(isinstance(e, EventView) for e in received)
        assert threads == {QThread.currentThread()}, "signals must be handled on the UI thread"

        def while_down() -> None:
            qtbot.waitUntil(lambda: states[-1] is False, timeout=5000)

        own_pg.restart(while_down)
        qtbot.waitUntil(lambda: states[-1] is True, timeout=6000)
        QueueEngine(db, "STRESS").issue("CT")
        qtbot.waitUntil(lambda: len(received) >= 13, timeout=5000)
        qtbot.wait(400)
        assert [e.id for e in received] == all_ids_after(db, received[0].id - 1)
        assert states == [True, False, True]
    finally:
        started = time.monotonic()
        stopped = feed.stop()
        took = time.monotonic() - started
    assert stopped and not feed.is_running()
    assert took < 1.0, f"stopping took {took:.2f} s"
    db.dispose()


def test_the_qt_feed_thread_on_sqlite_stops_promptly(qtbot: Any, tmp_path: Path) -> None:
    from shared.qt.feed import FeedThread

    url = f"sqlite:///{(tmp_path / 'qt.sqlite3').as_posix()}"
    db = prepared(url)
    feed = FeedThread(db, poll_interval=0.05)
    received: list[EventView] = []
    feed.events_arrived.connect(received.extend)
    with qtbot.waitSignal(feed.connection_changed, timeout=5000) as blocker:
        feed.start()
    assert blocker.args == [True]
    QueueEngine(db, "STRESS").issue("DD")
    qtbot.waitUntil(lambda: len(received) == 1, timeout=5000)
    started = time.monotonic()
    assert feed.stop()
    assert time.monotonic() - started < 1.0
    db.dispose()
