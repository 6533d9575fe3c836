"""A simulated working day on the real engine: visitors take numbers, counters serve them.

Nothing here fakes the engine: every ticket is issued, called, started, finished or marked
no-show through :class:`shared.queue.QueueEngine`, in its own transaction, on a real SQLite file.
Only the clock is simulated, so a day of 07:30–17:00 runs in seconds, and the seed makes a run
repeatable.
"""

from __future__ import annotations

import heapq
import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from shared.catalog import import_catalog, load_catalog_file, show_catalog
from shared.clock import utcnow, zone
from shared.db import Database
from shared.queue import QueueEngine
from shared.reports import DaySummary, day_summary
from shared.resources import asset
from shared.settings import DatabaseSettings

OPEN = time(7, 30)
LAST_ARRIVAL = time(16, 30)
PRIORITY_SHARE = 0.12
NO_SHOW_SHARE = 0.04
MEAN_SERVICE_MIN = 7.0


@dataclass(frozen=True)
class DemoResult:
    database: str
    counters: int
    summary: DaySummary
    extra: dict[str, Any] = field(default_factory=dict)


def load_shipped_calendars(db: Database) -> None:
    """The official working calendars shipped in ``assets/calendar`` (days off, worked days)."""
    from shared.workcal import import_calendar, load_calendar_file

    for path in sorted(asset("calendar").glob("*.toml")):
        import_calendar(db, load_calendar_file(path))


def sample_catalog_path() -> Path:
    return asset("catalog", "sample.toml")


def run_demo(
    db_path: Path,
    *,
    visitors: int,
    seed: int,
    catalog: Path | None = None,
    day: date | None = None,
    settings: DatabaseSettings | None = None,
) -> DemoResult:
    """Build a fresh database at ``db_path``, simulate one day, return the day's summary."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db = Database(f"sqlite:///{db_path.resolve().as_posix()}", settings)
    try:
        db.upgrade()
        spec = load_catalog_file(catalog or sample_catalog_path())
        import_catalog(db, spec)
        load_shipped_calendars(db)
        info = show_catalog(db, spec.centre.code)
        engine = QueueEngine(db, spec.centre.code)
        tz = zone(spec.centre.timezone)
        today = day or utcnow().astimezone(tz).date()
        _simulate(engine, info, tz, today, visitors, random.Random(seed))
        summary = day_summary(db, today, spec.centre.code)
        return DemoResult(str(db_path), len(info["counters"]), summary)
    finally:
        db.dispose()


def _simulate(
    engine: QueueEngine,
    info: dict[str, Any],
    tz: Any,
    day: date,
    visitors: int,
    rng: random.Random,
) -> None:
    opening = datetime.combine(day, OPEN, tzinfo=tz)
    span = (datetime.combine(day, LAST_ARRIVAL, tzinfo=tz) - opening).total_seconds()
    services = [s["code"] for s in info["services"]]
    served_by = {
        code: [c["number"] for c in info["counters"] if code in c["services"]] for code in services
    }
    services = [code for code in services if served_by[code]]
    # Busier queues first in the catalogue get more visitors (a gentle Zipf-like spread).
    popularity = [1.0 / (rank + 1) ** 0.6 for rank in range(len(services))]
    groups = [g["code"] for g in info["priority_groups"]]

    queue: list[tuple[datetime, int, str, Any]] = []
    order = itertools.count()
    for _ in range(visitors):
        # Morning peak: arrivals lean towards the first hours of the day.
        offset = span * rng.betavariate(1.6, 2.6)
        service = rng.choices(services, popularity)[0]
        priority = rng.choice(groups) if groups and rng.random() < PRIORITY_SHARE else None
        heapq.heappush(
            queue, (opening + timedelta(seconds=offset), next(order), "arrive", (service, priority))
        )
    idle = {c["number"] for c in info["counters"]}
    for number in sorted(idle):
        heapq.heappush(queue, (opening, next(order), "free", number))
    idle.clear()

    while queue:
        now, _, kind, payload = heapq.heappop(queue)
        if kind == "arrive":
            service, priority = payload
            engine.issue(service, priority=priority, request_id=None, now=now)
            for number in sorted(idle & set(served_by[service])):
                idle.discard(number)
                heapq.heappush(queue, (now, next(order), "free", number))
        elif kind == "free":
            ticket = engine.call_next(payload, now=now)
            if ticket is None:
                idle.add(payload)
                continue
            if rng.random() < NO_SHOW_SHARE:
                wait = timedelta(minutes=2)
                heapq.heappush(queue, (now + wait, next(order), "no_show", (payload, ticket.id)))
                continue
            walk = timedelta(seconds=rng.uniform(20, 90))
            heapq.heappush(queue, (now + walk, next(order), "start", (payload, ticket.id)))
        elif kind == "start":
            number, ticket_id = payload
            engine.start(ticket_id, now=now)
            duration = timedelta(minutes=rng.lognormvariate(0, 0.5) * MEAN_SERVICE_MIN * 0.88)
            heapq.heappush(queue, (now + duration, next(order), "finish", payload))
        elif kind == "finish":
            number, ticket_id = payload
            engine.finish(ticket_id, now=now)
            heapq.heappush(queue, (now, next(order), "free", number))
        elif kind == "no_show":
            number, ticket_id = payload
            engine.no_show(ticket_id, now=now)
            heapq.heappush(queue, (now, next(order), "free", number))


DEMO_PASSWORD = "motcua-demo"
DEMO_CLERKS = (("canbo1", "Nguyễn Thị Lan"), ("canbo2", "Trần Văn Minh"))


@dataclass(frozen=True)
class LiveDemo:
    database: str
    url: str
    clerks: tuple[str, ...]
    password: str
    waiting: int


def prepare_live_demo(
    db_path: Path,
    *,
    waiting: int,
    seed: int,
    catalog: Path | None = None,
    settings: DatabaseSettings | None = None,
) -> LiveDemo:
    """A fresh database for the windowed demo: the catalogue, two clerks, citizens waiting."""
    from shared.users import add_user

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db_path.resolve().as_posix()}"
    db = Database(url, settings)
    try:
        db.upgrade()
        spec = load_catalog_file(catalog or sample_catalog_path())
        import_catalog(db, spec)
        load_shipped_calendars(db)
        for username, full_name in DEMO_CLERKS:
            add_user(db, username, DEMO_PASSWORD, "clerk", full_name=full_name)
        info = show_catalog(db, spec.centre.code)
        engine = QueueEngine(db, spec.centre.code)
        rng = random.Random(seed)
        served = {code for c in info["counters"] for code in c["services"]}
        services = [s["code"] for s in info["services"] if s["code"] in served]
        groups = [g["code"] for g in info["priority_groups"]]
        for _ in range(waiting):
            priority = rng.choice(groups) if groups and rng.random() < PRIORITY_SHARE else None
            engine.issue(rng.choice(services), priority=priority)
    finally:
        db.dispose()
    return LiveDemo(str(db_path), url, tuple(u for u, _ in DEMO_CLERKS), DEMO_PASSWORD, waiting)
