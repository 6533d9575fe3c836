"""The queue engine's rules, each checked on an SQLite file and on the PostgreSQL server."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from shared.db import Database
from shared.errors import (
    CounterPaused,
    CounterStateUnchanged,
    IllegalTransition,
    NumberRangeExhausted,
    RequestIdConflict,
    ServiceInactive,
    UnknownCounter,
    UnknownPriorityGroup,
    UnknownService,
    UnknownTicket,
)
from shared.i18n import set_language
from shared.models import Call, Event, Ticket
from shared.queue import QueueEngine, format_number

pytestmark = pytest.mark.timewise  # also run at shifted clocks (scripts/test.sh)

# 09:00 in Hà Nội on a Wednesday.
MORNING = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return MORNING + timedelta(minutes=minutes)


def events(db: Database) -> list[Event]:
    with db.transaction(readonly=True) as s:
        return list(s.scalars(select(Event).order_by(Event.id)))


# --- numbering -------------------------------------------------------------------------------


def test_format_number() -> None:
    assert format_number("A", 12, 3) == "A012"
    assert format_number("", 1023, 0) == "1023"
    assert format_number("B", 1, 0) == "B001"
    assert format_number("", 7, 4) == "0007"


def test_numbers_follow_each_service_range(engine: QueueEngine) -> None:
    numbers = [engine.issue("HT", now=at(i)).number for i in range(3)]
    assert numbers == ["2001", "2002", "2003"]
    assert engine.issue("DD", now=at(4)).number == "1001"
    assert [engine.issue("CT", now=at(5 + i)).number for i in range(2)] == ["A001", "A002"]


def test_numbers_restart_on_the_centres_local_day_not_utc(
    engine: QueueEngine, db: Database
) -> None:
    # 16:58 and 16:59 UTC are 23:58 and 23:59 in Hà Nội; 17:01 UTC is the next local day.
    late = datetime(2026, 11, 25, 16, 58, tzinfo=UTC)
    first = engine.issue("HT", now=late)
    second = engine.issue("HT", now=late + timedelta(minutes=1))
    next_day = engine.issue("HT", now=late + timedelta(minutes=3))
    assert (first.number, second.number) == ("2001", "2002")
    assert first.business_day.isoformat() == "2026-11-25"
    assert next_day.number == "2001"
    assert next_day.business_day.isoformat() == "2026-11-26"
    # History is kept: yesterday's tickets are still there.
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(text("count(*)")).select_from(Ticket)) == 3


def test_yesterdays_waiting_tickets_are_not_called_today(engine: QueueEngine) -> None:
    engine.issue("HT", now=at(0))
    tomorrow = at(24 * 60)
    assert engine.call_next(1, now=tomorrow) is None
    fresh = engine.issue("HT", now=tomorrow)
    assert engine.call_next(1, now=tomorrow).id == fresh.id


def test_number_range_end_refuses_with_a_clear_message(engine: QueueEngine) -> None:
    set_language("vi")
    assert [engine.issue("SMALL", now=at(i)).number for i in range(2)] == ["S001", "S002"]
    with pytest.raises(NumberRangeExhausted) as caught:
        engine.issue("SMALL", now=at(3))
    assert "phát hết số" in caught.value.message
    assert "widen" in caught.value.message_in("en")
    # The refusal did not consume a number: the next day starts again at S001.
    assert engine.issue("SMALL", now=at(24 * 60)).number == "S001"


def test_unknown_service_and_priority_group(engine: QueueEngine, db: Database) -> None:
    with pytest.raises(UnknownService):
        engine.issue("NOPE", now=at(0))
    with pytest.raises(UnknownPriorityGroup) as caught:
        engine.issue("HT", priority="vip", now=at(0))
    assert "elderly" in caught.value.message
    assert events(db)[-1].kind == "catalog.imported"  # nothing was written


def test_request_id_makes_issuing_idempotent(engine: QueueEngine) -> None:
    first = engine.issue("HT", request_id="kiosk1-000042", now=at(0))
    again = engine.issue("HT", request_id="kiosk1-000042", now=at(1))
    assert again.id == first.id and again.number == first.number
    assert engine.issue("HT", now=at(2)).number == "2002"
    with pytest.raises(RequestIdConflict):
        engine.issue("DD", request_id="kiosk1-000042", now=at(3))


# --- calling order ---------------------------------------------------------------------------


def test_call_next_is_fifo_and_only_for_the_counters_services(engine: QueueEngine) -> None:
    d1 = engine.issue("DD", now=at(0))
    h1 = engine.issue("HT", now=at(1))
    h2 = engine.issue("HT", now=at(2))
    # Counter 1 serves HT only: it skips the older land ticket.
    assert engine.call_next(1, now=at(3)).id == h1.id
    # Counter 5 serves DD only.
    assert engine.call_next(5, now=at(4)).id == d1.id
    assert engine.call_next(5, now=at(5)) is None
    assert engine.call_next(1, now=at(6)).id == h2.id


def test_fifo_counter_takes_the_oldest_of_all_its_services(engine: QueueEngine) -> None:
    h = engine.issue("HT", now=at(1))
    d = engine.issue("DD", now=at(0))
    a = engine.issue("CT", now=at(2))
    assert [engine.call_next(4, now=at(3 + i)).id for i in range(3)] == [d.id, h.id, a.id]


def test_order_counter_serves_its_first_service_first(engine: QueueEngine) -> None:
    d = engine.issue("DD", now=at(0))
    h = engine.issue("HT", now=at(1))
    # Counter 2 lists HT before DD.
    assert engine.call_next(2, now=at(2)).id == h.id
    assert engine.call_next(2, now=at(3)).id == d.id


def test_weighted_counter_shares_calls_by_weight(engine: QueueEngine) -> None:
    for i in range(8):
        engine.issue("DD", now=at(i * 0.1))
        engine.issue("HT", now=at(i * 0.1 + 0.05))
    served = [engine.call_next(3, now=at(10 + i)).service for i in range(8)]
    # Weights HT 3 : DD 1.
    assert served.count("HT") == 6 and served.count("DD") == 2


def test_strict_priority_goes_first(engine: QueueEngine, db: Database) -> None:
    n1 = engine.issue("HT", now=at(0))
    p1 = engine.issue("HT", priority="elderly", now=at(1))
    n2 = engine.issue("HT", now=at(2))
    assert engine.ahead(n1.id) == 1 and engine.ahead(n2.id) == 2 and engine.ahead(p1.id) == 0
    order = [engine.call_next(1, now=at(3 + i)).id for i in range(3)]
    assert order == [p1.id, n1.id, n2.id]
    issued = next(e for e in events(db) if e.kind == "ticket.issued" and e.ticket_id == p1.id)
    assert issued.data["priority_reason"] == "priority_group:elderly"


def test_interleaved_priority_one_after_every_n_normal(
    load_catalog: Callable[..., QueueEngine],
) -> None:
    engine = load_catalog(policy="interleave", every=2)
    normal = [engine.issue("HT", now=at(i)) for i in range(5)]
    prio = [engine.issue("HT", priority="disabled", now=at(10 + i)) for i in range(2)]
    calls = [engine.call_next(1, now=at(20 + i)).id for i in range(7)]
    n, p = [t.id for t in normal], [t.id for t in prio]
    assert calls == [n[0], n[1], p[0], n[2], n[3], p[1], n[4]]


def test_interleave_falls_back_when_one_class_is_empty(
    load_catalog: Callable[..., QueueEngine],
) -> None:
    engine = load_catalog(policy="interleave", every=3)
    p = [engine.issue("HT", priority="elderly", now=at(i)) for i in range(2)]
    assert [engine.call_next(1, now=at(5 + i)).id for i in range(2)] == [t.id for t in p]


# --- transitions -----------------------------------------------------------------------------


def test_full_lifecycle_writes_one_event_per_change(engine: QueueEngine, db: Database) -> None:
    before = len(events(db))
    t = engine.issue("HT", now=at(0))
    called = engine.call_next(1, now=at(1))
    assert (called.id, called.status, called.counter) == (t.id, "called", 1)
    assert engine.recall(t.id, now=at(2)).recall_count == 1
    assert engine.start(t.id, now=at(3)).status == "serving"
    done = engine.finish(t.id, now=at(9))
    assert done.status == "done" and done.finished_at == at(9)
    log = events(db)[before:]
    assert [e.kind for e in log] == [
        "ticket.issued",
        "ticket.called",
        "ticket.recall",
        "ticket.start",
        "ticket.finish",
    ]
    ids = [e.id for e in log]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(e.ticket_id == t.id for e in log)
    # No personal data in the log: only numbers, codes and ids.
    assert set(log[1].data) <= {"number", "status", "counter", "service", "priority", "cycle"}


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("recall", "waiting"),
        ("start", "waiting"),
        ("finish", "waiting"),
        ("no_show", "waiting"),
        ("hold", "waiting"),
        ("resume", "waiting"),
        ("cancel", "done"),
        ("start", "done"),
    ],
)
def test_illegal_transitions_are_refused_with_a_message_for_the_clerk(
    engine: QueueEngine, db: Database, action: str, status: str
) -> None:
    set_language("vi")
    t = engine.issue("HT", now=at(0))
    if status == "done":
        engine.call_next(1, now=at(1))
        engine.finish(t.id, now=at(2))
    before = len(events(db))
    with pytest.raises(IllegalTransition) as caught:
        getattr(engine, action)(t.id, now=at(3))
    assert t.number in caught.value.message
    assert caught.value.exit_code == 3
    assert len(events(db)) == before
    assert engine.ticket(t.id).status == status


def test_unknown_ticket_and_counter(engine: QueueEngine) -> None:
    with pytest.raises(UnknownTicket):
        engine.finish(999_999)
    with pytest.raises(UnknownCounter):
        engine.call_next(42)


def test_call_next_finishes_the_counters_current_ticket(engine: QueueEngine) -> None:
    a = engine.issue("HT", now=at(0))
    b = engine.issue("HT", now=at(1))
    engine.call_next(1, now=at(2))
    engine.start(a.id, now=at(3))
    assert engine.call_next(1, now=at(10)).id == b.id
    assert engine.ticket(a.id).status == "done"
    assert engine.ticket(a.id).finished_at == at(10)


def test_no_show_then_late_arrival_goes_to_the_front(engine: QueueEngine) -> None:
    late = engine.issue("HT", now=at(0))
    other = engine.issue("HT", now=at(1))
    engine.call_next(1, now=at(2))
    assert engine.no_show(late.id, now=at(4)).status == "no_show"
    back = engine.resume(late.id, now=at(5))
    assert back.status == "waiting" and back.ahead == 0 and back.cycle == 2
    assert engine.ticket(other.id).ahead == 1
    assert engine.call_next(1, now=at(6)).id == late.id


def test_hold_frees_the_counter_and_resume_returns_to_that_counter(engine: QueueEngine) -> None:
    parked = engine.issue("HT", now=at(0))
    nxt = engine.issue("HT", now=at(1))
    engine.call_next(4, now=at(2))
    held = engine.hold(parked.id, now=at(3))
    assert held.status == "held"
    assert engine.call_next(4, now=at(4)).id == nxt.id
    resumed = engine.resume(parked.id, now=at(8))
    assert resumed.target_counter == 4
    # Another counter serving the same service does not take it.
    assert engine.call_next(1, now=at(9)) is None
    assert engine.call_next(4, now=at(10)).id == parked.id


def test_cancel_removes_a_waiting_ticket_from_the_queue(engine: QueueEngine) -> None:
    a = engine.issue("HT", now=at(0))
    b = engine.issue("HT", now=at(1))
    assert engine.cancel(a.id, now=at(2)).status == "cancelled"
    assert engine.ticket(b.id).ahead == 0
    assert engine.call_next(1, now=at(3)).id == b.id


@pytest.mark.parametrize(("placement", "expected_ahead"), [("keep", 1), ("front", 0), ("back", 2)])
def test_transfer_to_another_service_placement(
    load_catalog: Callable[..., QueueEngine], placement: str, expected_ahead: int
) -> None:
    engine = load_catalog(placement=placement)
    d_old = engine.issue("DD", now=at(0))
    moved = engine.issue("HT", now=at(1))
    engine.issue("DD", now=at(2))
    engine.call_next(1, now=at(3))
    t = engine.transfer(moved.id, to_service="DD", now=at(4))
    assert (t.service, t.number, t.status) == ("DD", moved.number, "waiting")
    assert t.ahead == expected_ahead
    first = engine.call_next(5, now=at(5)).id
    assert first == (moved.id if placement == "front" else d_old.id)


def test_transfer_to_a_counter_only_that_counter_calls_it(engine: QueueEngine) -> None:
    t = engine.issue("HT", now=at(0))
    engine.call_next(1, now=at(1))
    moved = engine.transfer(t.id, to_counter=5, placement="front", now=at(2))
    assert moved.target_counter == 5 and moved.status == "waiting"
    assert engine.call_next(1, now=at(3)) is None
    got = engine.call_next(5, now=at(4))
    assert got.id == t.id and got.counter == 5 and got.cycle == 2


def test_transferred_number_does_not_collide_with_the_new_services_numbers(
    engine: QueueEngine, db: Database
) -> None:
    # HT numbers and a second service sharing the same sequence value must both survive.
    a = engine.issue("DD", now=at(0))
    b = engine.issue("HT", now=at(1))
    engine.transfer(b.id, to_service="DD", now=at(2))
    c = engine.issue("DD", now=at(3))
    assert (a.number, b.number, c.number) == ("1001", "2001", "1002")


def test_paused_counter_does_not_call(engine: QueueEngine) -> None:
    engine.issue("HT", now=at(0))
    assert engine.pause_counter(1, now=at(1)).paused is True
    with pytest.raises(CounterPaused):
        engine.call_next(1, now=at(2))
    with pytest.raises(CounterStateUnchanged):
        engine.pause_counter(1, now=at(3))
    assert engine.resume_counter(1, now=at(4)).paused is False
    assert engine.call_next(1, now=at(5)) is not None


def test_status_counts_waiting_and_shows_counters(engine: QueueEngine) -> None:
    engine.issue("HT", now=at(0))
    engine.issue("HT", priority="elderly", now=at(1))
    engine.issue("DD", now=at(2))
    engine.call_next(5, now=at(3))
    status = engine.status(now=at(4))
    waiting = {s.code: (s.waiting, s.priority_waiting) for s in status.services}
    assert waiting["HT"] == (2, 1) and waiting["DD"] == (0, 0)
    counters = {c.number: c for c in status.counters}
    assert counters[5].ticket is not None and counters[5].ticket.number == "1001"
    assert counters[1].ticket is None
    assert engine.waiting_counts(now=at(4))["HT"] == 2


# --- constraints backing the rules -----------------------------------------------------------


def test_database_refuses_a_second_call_of_the_same_turn(engine: QueueEngine, db: Database) -> None:
    t = engine.issue("HT", now=at(0))
    engine.call_next(1, now=at(1))
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.add(Call(ticket_id=t.id, cycle=1, counter_id=1, called_at=at(2), waited_seconds=0))


def test_database_refuses_a_duplicate_number(engine: QueueEngine, db: Database) -> None:
    t = engine.issue("HT", now=at(0))
    other = engine.issue("HT", now=at(1))
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.execute(update(Ticket).where(Ticket.id == other.id).values(seq=1, number=t.number))


def test_event_log_is_append_only(engine: QueueEngine, db: Database) -> None:
    engine.issue("HT", now=at(0))
    with pytest.raises(DBAPIError, match="append-only"), db.transaction() as s:
        s.execute(update(Event).values(kind="tampered"))
    with pytest.raises(DBAPIError, match="append-only"), db.transaction() as s:
        s.execute(text("DELETE FROM events"))
    assert all(e.kind != "tampered" for e in events(db))


def test_a_head_held_by_another_counter_is_skipped_not_waited_for(
    engine: QueueEngine, db: Database
) -> None:
    """PostgreSQL: while another counter's transaction holds the first waiting ticket, a call
    takes the next one at once (SKIP LOCKED), and the held one is called afterwards. SQLite
    has one writer at a time: nothing to skip there."""
    if db.is_sqlite:
        pytest.skip("SQLite: one writer at a time")
    first, second, third = (engine.issue("HT", now=at(i)) for i in range(3))
    with db.engine.connect() as other:
        other.execute(text("SELECT id FROM tickets WHERE id = :id FOR UPDATE"), {"id": first.id})
        called = engine.call_next(1, now=at(5))
        assert called is not None and called.id == second.id
        other.rollback()
    assert [engine.call_next(1, now=at(6 + i)).id for i in range(2)] == [first.id, third.id]  # type: ignore[union-attr]
    with db.transaction(readonly=True) as s:
        calls = s.execute(select(Call.ticket_id, Call.cycle).order_by(Call.id)).all()
    assert [c.ticket_id for c in calls] == [second.id, first.id, third.id]
    kinds = [
        (e.kind, e.ticket_id)
        for e in events(db)
        if e.kind.startswith("ticket.") and e.kind != "ticket.issued"
    ]
    assert kinds == [
        ("ticket.called", second.id),
        ("ticket.finished", second.id),
        ("ticket.called", first.id),
        ("ticket.finished", first.id),
        ("ticket.called", third.id),
    ]


def test_a_catalogue_changed_on_another_pc_is_followed_both_ways(
    engine: QueueEngine, db: Database, tmp_path
) -> None:
    """The engine keeps the catalogue it read; a service taken away and given back on another
    PC is refused and then issued again, without restarting the kiosk."""
    from shared.catalog import import_catalog, load_catalog_file
    from tests.helpers.catalogs import small_catalog

    full = small_catalog(tmp_path)
    without_ct = tmp_path / "without-ct.toml"
    text_ = full.read_text(encoding="utf-8")
    text_ = text_.replace(
        '[[services]]\ncode = "CT"\nname = "Chứng thực"\nsector = "TP"\nprefix = "A"\n', ""
    )
    text_ = text_.replace(
        'services = ["HT", "DD", "CT", "SMALL"]', 'services = ["HT", "DD", "SMALL"]'
    )
    without_ct.write_text(text_, encoding="utf-8")
    assert engine.issue("CT", now=at(0)).number == "A001"
    other = Database(str(db.engine.url.render_as_string(hide_password=False)))
    import_catalog(other, load_catalog_file(without_ct))
    with pytest.raises(ServiceInactive):
        engine.issue("CT", now=at(1))
    import_catalog(other, load_catalog_file(full))
    assert engine.issue("CT", now=at(2)).number == "A002"
    other.dispose()


def test_a_call_at_a_counter_busy_with_another_call_waits_for_it(
    engine: QueueEngine, db: Database
) -> None:
    """PostgreSQL: while another transaction holds the counter (a second call pressed at the same
    counter), a call waits for it and then calls the next ticket, never one already current."""
    if db.is_sqlite:
        pytest.skip("SQLite: one writer at a time")
    import threading

    first, second = (engine.issue("HT", now=at(i)) for i in range(2))
    other = QueueEngine(Database(db.engine.url.render_as_string(hide_password=False)), "TEST")
    holding = threading.Event()
    release = threading.Event()

    def hold_counter() -> None:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT id FROM counters WHERE number = 1 FOR UPDATE"))
            holding.set()
            release.wait(10)
            conn.rollback()

    holder = threading.Thread(target=hold_counter)
    holder.start()
    assert holding.wait(10)
    result: list[object] = []
    caller = threading.Thread(target=lambda: result.append(other.call_next(1, now=at(5))))
    caller.start()
    caller.join(0.5)
    assert caller.is_alive()  # waiting for the counter
    release.set()
    caller.join(10)
    holder.join(10)
    assert [getattr(r, "id", None) for r in result] == [first.id]
    assert engine.call_next(1, now=at(6)).id == second.id  # type: ignore[union-attr]
    with db.transaction(readonly=True) as s:
        current = s.scalars(
            select(Ticket.id).where(Ticket.counter_id.is_not(None), Ticket.status == "called")
        ).all()
    assert current == [second.id]
    other.db.dispose()
