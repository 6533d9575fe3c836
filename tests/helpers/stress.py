"""Worker processes for the concurrency tests: real processes on one shared database.

Each worker builds its own :class:`Database` (as every app does), waits for the common start
signal, works, and writes what it saw to a JSON file for the test to check.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

from shared.db import Database
from shared.queue import QueueEngine

SERVICES = ("HT", "DD", "CT")
COUNTERS: dict[int, list[str]] = {
    1: ["HT"],
    2: ["HT"],
    3: ["DD"],
    4: ["DD", "HT"],
    5: ["CT"],
    6: ["CT", "DD"],
    7: ["HT", "DD", "CT"],
    8: ["HT", "CT"],
}
SHARED_REQUESTS = 20

CATALOG = """\
format = 1

[centre]
code = "STRESS"
name = "Trung tâm kiểm tra tải"
agency = "UBND TỈNH THỬ NGHIỆM"
agency_eid = "000.00.10.H39"

[queue]
priority_policy = "strict"

[[priority_groups]]
code = "elderly"
name = "Người cao tuổi"

[[services]]
code = "HT"
name = "Hộ tịch"
start = 2001

[[services]]
code = "DD"
name = "Đất đai"
start = 1001
end = 1999

[[services]]
code = "CT"
name = "Chứng thực"
prefix = "A"
"""


def catalog_text() -> str:
    parts = [CATALOG]
    for number, services in COUNTERS.items():
        codes = ", ".join(f'"{c}"' for c in services)
        parts.append(f"[[counters]]\nnumber = {number}\nservices = [{codes}]\n")
    return "\n".join(parts)


def issuer(url: str, index: int, count: int, out: str, go: Any) -> None:
    db = Database(url)
    engine = QueueEngine(db, "STRESS")
    rng = random.Random(index)
    plan: list[tuple[str, str | None, str]] = []
    for i in range(count):
        priority = "elderly" if rng.random() < 0.15 else None
        plan.append((rng.choice(SERVICES), priority, f"issuer{index}-{i}"))
    # Both issuers also send the same requests (a kiosk retrying through another PC).
    for i in range(SHARED_REQUESTS):
        plan.insert(i * 3, (SERVICES[i % 3], None, f"shared-{i}"))
    go.wait()
    issued = []
    for service, priority, request_id in plan:
        t = engine.issue(service, priority=priority, request_id=request_id)
        issued.append(
            {
                "request_id": request_id,
                "id": t.id,
                "number": t.number,
                "service": t.service,
                "priority": t.priority,
            }
        )
        time.sleep(rng.uniform(0, 0.004))
    db.dispose()
    Path(out).write_text(json.dumps(issued))


def caller(url: str, counter: int, out: str, go: Any, issuers_done: Any) -> None:
    db = Database(url)
    engine = QueueEngine(db, "STRESS")
    rng = random.Random(1000 + counter)
    calls = []
    go.wait()
    while True:
        finished = issuers_done.is_set()
        t = engine.call_next(counter)
        if t is None:
            if finished:
                break
            time.sleep(0.005)
            continue
        calls.append(
            {
                "id": t.id,
                "number": t.number,
                "service": t.service,
                "priority": t.priority,
                "counter": counter,
            }
        )
        if rng.random() < 0.5:
            engine.finish(t.id)
    db.dispose()
    Path(out).write_text(json.dumps(calls))


def plain_issuer(url: str, index: int, count: int, go: Any) -> None:
    """Issue ``count`` tickets as fast as possible (for the event-log reader test)."""
    db = Database(url)
    engine = QueueEngine(db, "STRESS")
    go.wait()
    for i in range(count):
        engine.issue(SERVICES[(index + i) % len(SERVICES)])
    db.dispose()
