"""Read-only figures over a day: tickets, outcomes and waiting times per service."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.db import Database
from shared.models import Call, Service, Ticket
from shared.queue import resolve_centre
from shared.views import JsonView


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class WaitFigures(JsonView):
    code: str
    name: str
    tickets: int
    served: int
    no_show: int
    still_waiting: int
    mean_wait_min: float | None
    p90_wait_min: float | None


@dataclass(frozen=True)
class DaySummary(JsonView):
    centre: str
    business_day: date
    total: WaitFigures
    services: list[WaitFigures] = field(default_factory=list)
    duplicate_numbers: int = 0
    tickets_called_twice: int = 0


def day_summary(db: Database, day: date, centre: str | None = None) -> DaySummary:
    """Outcomes and first-call waiting times (minutes) of one local day."""

    def work(s: Session) -> DaySummary:
        c = resolve_centre(s, centre)
        rows = s.execute(
            select(Ticket.id, Ticket.origin_service_id, Ticket.status).where(
                Ticket.centre_id == c.id, Ticket.business_day == day
            )
        ).all()
        waits: dict[int, float] = dict(
            s.execute(
                select(Call.ticket_id, Call.waited_seconds)
                .join(Ticket, Ticket.id == Call.ticket_id)
                .where(Ticket.centre_id == c.id, Ticket.business_day == day, Call.cycle == 1)
            ).all()
        )
        duplicates = (
            s.scalar(
                select(func.count()).select_from(
                    select(Ticket.origin_service_id, Ticket.number)
                    .where(Ticket.centre_id == c.id, Ticket.business_day == day)
                    .group_by(Ticket.origin_service_id, Ticket.number)
                    .having(func.count() > 1)
                    .subquery()
                )
            )
            or 0
        )
        twice = (
            s.scalar(
                select(func.count()).select_from(
                    select(Call.ticket_id, Call.cycle)
                    .join(Ticket, Ticket.id == Call.ticket_id)
                    .where(Ticket.centre_id == c.id, Ticket.business_day == day)
                    .group_by(Call.ticket_id, Call.cycle)
                    .having(func.count() > 1)
                    .subquery()
                )
            )
            or 0
        )
        services = s.scalars(
            select(Service).where(Service.centre_id == c.id).order_by(Service.position)
        ).all()

        def figures(code: str, name: str, tickets: list[Any]) -> WaitFigures:
            minutes = [waits[t.id] / 60 for t in tickets if t.id in waits]
            return WaitFigures(
                code=code,
                name=name,
                tickets=len(tickets),
                served=sum(t.status == "done" for t in tickets),
                no_show=sum(t.status == "no_show" for t in tickets),
                still_waiting=sum(t.status == "waiting" for t in tickets),
                mean_wait_min=round(sum(minutes) / len(minutes), 1) if minutes else None,
                p90_wait_min=round(percentile(minutes, 90), 1) if minutes else None,
            )

        per_service = [
            figures(svc.code, svc.name, [r for r in rows if r.origin_service_id == svc.id])
            for svc in services
        ]
        return DaySummary(
            centre=c.code,
            business_day=day,
            total=figures("*", "", list(rows)),
            services=[f for f in per_service if f.tickets],
            duplicate_numbers=duplicates,
            tickets_called_twice=twice,
        )

    return db.run(work, readonly=True)
