"""The estimated wait: how long until a ticket taken now (or already waiting) is called.

Qt-free, used by the kiosk (each service card and the confirmation) and by the printed ticket.

How it works
------------
1. **People ahead** (``ahead``): for a new ticket, everyone waiting in that service's queue today;
   for a ticket already issued, the people the engine would call before it.
2. **Counters**: the open counters that serve the service (paused counters do not count). No open
   counter: no estimate at all (the kiosk says why the service cannot be taken instead).
3. **Time per citizen**: the *median* of the last :data:`SAMPLE_SIZE` service times of that
   service *today* (from the call to the end of the service, ``called_at`` → ``finished_at`` of
   tickets marked done). A median, so one very long or one skipped citizen does not move it.
   Each time is kept between :data:`MIN_SERVICE_MIN` and :data:`MAX_SERVICE_MIN` minutes. With
   fewer than :data:`MIN_SAMPLES` finished tickets today the assumption
   :data:`DEFAULT_SERVICE_MIN` is used (the morning's first citizens).
4. **Minutes** = ahead × time per citizen ÷ counters, rounded up.
5. **Shown as a range, never to the minute**: under 5 minutes → "under 5 minutes"; then the
   5-minute band that holds the figure ("khoảng 15–20 phút" / "about 15–20 minutes"),
   15-minute bands from one hour and 30-minute bands from three hours.

It is a first estimator: it ignores citizens being served right now, priority tickets that will
overtake, counters that serve several queues and the lunch break. A later check against a
simulation will tell how good it is.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

DEFAULT_SERVICE_MIN = 6.0
"""Assumed minutes per citizen until the day has taught the estimator better."""
SAMPLE_SIZE = 20
"""How many of the service's most recent finished tickets today are looked at."""
MIN_SAMPLES = 3
"""Fewer finished tickets than this today: :data:`DEFAULT_SERVICE_MIN` is used."""
MIN_SERVICE_MIN = 0.5
MAX_SERVICE_MIN = 90.0
"""Each measured service time is kept within these bounds (a ticket left open over lunch must
not make the afternoon's estimate absurd)."""
UNDER_MINUTES = 5
"""Below this, the estimate is "under 5 minutes"."""


@dataclass(frozen=True)
class WaitEstimate:
    """An estimated wait: ``minutes`` (the computed figure) and the band shown to citizens."""

    minutes: int
    low: int
    """Lower end of the band shown; 0 with ``high == 5`` means "under 5 minutes"."""
    high: int

    @property
    def under_five(self) -> bool:
        return self.high <= UNDER_MINUTES


def typical_service_minutes(durations: Sequence[float]) -> float:
    """The time per citizen: median of ``durations`` (minutes, newest first, at most
    :data:`SAMPLE_SIZE` used), or :data:`DEFAULT_SERVICE_MIN` with fewer than
    :data:`MIN_SAMPLES`."""
    kept = [min(MAX_SERVICE_MIN, max(MIN_SERVICE_MIN, d)) for d in durations[:SAMPLE_SIZE]]
    if len(kept) < MIN_SAMPLES:
        return DEFAULT_SERVICE_MIN
    return float(statistics.median(kept))


def band(minutes: float) -> tuple[int, int]:
    """The range shown for ``minutes``: (0, 5) under 5 minutes, else the 5-, 15- or 30-minute
    band that holds it (``band(17) == (15, 20)``, ``band(70) == (60, 75)``)."""
    if minutes < UNDER_MINUTES:
        return 0, UNDER_MINUTES
    step = 5 if minutes < 60 else 15 if minutes < 180 else 30
    low = int(minutes // step) * step
    return low, low + step


def estimate_wait(
    ahead: int, counters: int, durations: Sequence[float] = ()
) -> WaitEstimate | None:
    """The wait for someone with ``ahead`` people before them, ``counters`` open counters serving
    the queue and today's recent service times ``durations`` (minutes, newest first).

    None when no counter is open (nobody will be called)."""
    if counters <= 0:
        return None
    per_citizen = typical_service_minutes(durations)
    minutes = math.ceil(max(0, ahead) * per_citizen / counters)
    low, high = band(minutes)
    return WaitEstimate(minutes=minutes, low=low, high=high)


def recent_service_minutes(
    session: Any, service_ids: Iterable[int], business_day: date, limit: int = SAMPLE_SIZE
) -> dict[int, list[float]]:
    """Service times (minutes, newest first) of the last ``limit`` done tickets of each service on
    ``business_day``: one small indexed query per service."""
    from sqlalchemy import select

    from shared.models import Ticket

    out: dict[int, list[float]] = {}
    for service_id in service_ids:
        rows = session.execute(
            select(Ticket.called_at, Ticket.finished_at)
            .where(
                Ticket.service_id == service_id,
                Ticket.business_day == business_day,
                Ticket.status == "done",
                Ticket.called_at.is_not(None),
                Ticket.finished_at.is_not(None),
            )
            .order_by(Ticket.finished_at.desc())
            .limit(limit)
        ).all()
        out[service_id] = [
            (finished - called).total_seconds() / 60 for called, finished in rows if finished
        ]
    return out
