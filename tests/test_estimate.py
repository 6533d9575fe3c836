"""The estimated wait (shared.estimate): bands, the median of today's service times, and the
figure the engine prints on a ticket, from tickets really served on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.clock import utcnow
from shared.db import Database
from shared.estimate import (
    DEFAULT_SERVICE_MIN,
    band,
    estimate_wait,
    recent_service_minutes,
    typical_service_minutes,
)
from shared.models import Service
from shared.queue import QueueEngine

pytestmark = pytest.mark.timewise  # also run at shifted clocks (scripts/test.sh)

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (0, (0, 5)),
        (4, (0, 5)),
        (5, (5, 10)),
        (17, (15, 20)),
        (59, (55, 60)),
        (60, (60, 75)),
        (70, (60, 75)),
        (179, (165, 180)),
        (200, (180, 210)),
    ],
)
def test_band_rounds_to_five_minutes_never_to_the_minute(
    minutes: int, expected: tuple[int, int]
) -> None:
    assert band(minutes) == expected
    low, high = band(minutes)
    assert low % 5 == 0 and high % 5 == 0 and low <= minutes < high


def test_median_resists_one_long_service_and_needs_three_samples() -> None:
    assert typical_service_minutes([]) == DEFAULT_SERVICE_MIN
    assert typical_service_minutes([2.0, 3.0]) == DEFAULT_SERVICE_MIN
    assert typical_service_minutes([4.0, 5.0, 300.0]) == 5.0
    # Only the most recent 20 count (newest first).
    assert typical_service_minutes([10.0] * 20 + [1.0] * 30) == 10.0


def test_estimate_from_queue_counters_and_times() -> None:
    assert estimate_wait(3, 0, [5.0] * 5) is None  # no open counter: no estimate
    nobody = estimate_wait(0, 1)
    assert nobody is not None and nobody.under_five and (nobody.low, nobody.high) == (0, 5)
    six = estimate_wait(6, 2, [5.0, 5.0, 5.0])
    assert six is not None and six.minutes == 15 and (six.low, six.high) == (15, 20)
    default = estimate_wait(4, 1)
    assert default is not None and default.minutes == 24 and (default.low, default.high) == (20, 25)


@pytest.fixture(autouse=True)
def _wednesday_morning(clock) -> None:  # noqa: ANN001
    """The product's clock at 09:00 on Wednesday 18/11/2026, the centre open: the day's served
    tickets below are from 00:01 on, so every one of them is "today"."""
    clock.set(datetime(2026, 11, 18, 9, 0, tzinfo=ZONE))


def _day_start() -> datetime:
    """Today's local midnight plus a minute: every time after it is "today" at the centre."""
    now = utcnow().astimezone(ZONE)
    return now.replace(hour=0, minute=1, second=0, microsecond=0)


def _serve(engine: QueueEngine, service: str, counter: int, minutes: list[float]) -> None:
    """Issue, call and finish one ticket per duration, one after the other."""
    t = _day_start()
    tickets = [engine.issue(service, now=t) for _ in minutes]
    clock = t + timedelta(minutes=1)
    for ticket, duration in zip(tickets, minutes, strict=True):
        called = engine.call_next(counter, now=clock)
        assert called is not None and called.id == ticket.id
        clock += timedelta(minutes=duration)
        engine.finish(called.id, now=clock)
        clock += timedelta(seconds=30)


def test_recent_service_minutes_reads_todays_done_tickets(
    engine: QueueEngine, db: Database
) -> None:
    _serve(engine, "CT", 4, [4.0, 5.0, 30.0])
    from sqlalchemy import select

    with db.transaction(readonly=True) as s:
        service_id = s.scalar(select(Service.id).where(Service.code == "CT"))
        other = s.scalar(select(Service.id).where(Service.code == "HT"))
        got = recent_service_minutes(s, [service_id, other], _day_start().date())
    assert sorted(round(m, 2) for m in got[service_id]) == [4.0, 5.0, 30.0]
    assert got[service_id][0] == pytest.approx(30.0)  # newest first
    assert got[other] == []


def test_printed_estimate_uses_the_median_not_the_mean(engine: QueueEngine) -> None:
    """CT has one counter (4). Served in 4, 5 and 30 minutes today: median 5 (the mean, 13,
    would say 26 minutes for two people ahead)."""
    _serve(engine, "CT", 4, [4.0, 5.0, 30.0])
    later = _day_start() + timedelta(hours=1)
    waiting = [engine.issue("CT", now=later) for _ in range(3)]
    info = engine.print_details(waiting[2].id)
    assert info.ticket.ahead == 2
    assert info.estimated_wait_min == 10  # 2 × 5 min: the band 10–15


def test_printed_estimate_defaults_before_the_day_teaches(engine: QueueEngine) -> None:
    waiting = [engine.issue("CT") for _ in range(3)]
    info = engine.print_details(waiting[2].id)
    assert DEFAULT_SERVICE_MIN == 6.0
    assert info.estimated_wait_min == 10  # 2 × 6 = 12 min, printed as its band's lower end


def test_kiosk_figures_use_the_same_median(engine: QueueEngine, db: Database) -> None:
    from kiosk.model import home_from_figures, load_home, read_figures, wait_text

    _serve(engine, "CT", 4, [4.0, 5.0, 30.0])
    for _ in range(4):
        engine.issue("CT", now=_day_start() + timedelta(hours=1))
    home = home_from_figures(load_home(db, "TEST"), read_figures(db, engine.status()))
    ct = home.service("CT")
    assert ct is not None and ct.minutes_per_citizen == 5.0
    estimate = ct.estimate()
    assert estimate is not None and estimate.minutes == 20
    assert wait_text(estimate, "vi") == "chờ khoảng 20–25 phút"
    assert wait_text(estimate, "en") == "wait about 20–25 minutes"


def test_a_new_day_at_midnight_here_starts_the_estimate_afresh(
    engine: QueueEngine,
    db: Database,
    clock,  # noqa: ANN001
) -> None:
    """At 00:00 in Việt Nam (17:00 UTC, still yesterday there) the kiosk counts the new day's
    queue and service times: yesterday's waiting citizens and times no longer count."""
    from kiosk.model import home_from_figures, load_home, read_figures

    _serve(engine, "CT", 4, [4.0, 5.0, 30.0])
    for _ in range(4):
        engine.issue("CT", now=_day_start() + timedelta(hours=1))

    def ct_now() -> tuple[int, float]:
        home = home_from_figures(load_home(db, "TEST"), read_figures(db, engine.status()))
        ct = home.service("CT")
        assert ct is not None
        return ct.waiting, ct.minutes_per_citizen

    clock.set(datetime(2026, 11, 18, 23, 59, 50, tzinfo=ZONE))
    assert ct_now() == (4, 5.0)
    clock.set(datetime(2026, 11, 19, 0, 0, 10, tzinfo=ZONE))
    assert utcnow().day == 18  # the UTC date has not turned yet
    assert ct_now() == (0, DEFAULT_SERVICE_MIN)
    first = engine.issue("CT")
    assert first.business_day.isoformat() == "2026-11-19" and first.ahead == 0
    assert ct_now() == (1, DEFAULT_SERVICE_MIN)
