"""Read-only figures over a day: tickets, outcomes and waiting times per service."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
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


# --- reports over a range of days (the manager's reports) ------------------------------------

REPORT_KINDS = (
    "services",
    "hours",
    "days",
    "counters",
    "clerks",
    "satisfaction",
    "dossiers",
    "sectors",
)
"""``motcua report KIND``: what each report is grouped by (see :func:`build_report`)."""

SATISFACTION = ("very_satisfied", "satisfied", "neutral", "dissatisfied")
"""The official three columns (Rất hài lòng, Hài lòng, Không hài lòng), plus Bình thường for
the 4- and 5-level scales; "Rất không hài lòng" counts as Không hài lòng."""

_LEVELS: dict[int, tuple[str, ...]] = {
    3: ("dissatisfied", "satisfied", "very_satisfied"),
    4: ("dissatisfied", "neutral", "satisfied", "very_satisfied"),
    5: ("dissatisfied", "dissatisfied", "neutral", "satisfied", "very_satisfied"),
}


def satisfaction_class(scale: int, level: int) -> str:
    """Where a rating (``level`` on a ``scale`` of 3, 4 or 5) goes in the official columns."""
    return _LEVELS[scale][level - 1]


@dataclass(frozen=True)
class Report(JsonView):
    """One report as plain data: its columns (keys; :meth:`headers` gives their titles in the
    current language), its rows and the total row (None where a total means nothing)."""

    kind: str
    centre: str
    centre_name: str
    date_from: date
    date_to: date
    columns: list[str]
    rows: list[list[Any]]
    total: list[Any] | None = None

    def title(self) -> str:
        from shared.i18n import tr

        return tr(f"report.{self.kind}")

    def headers(self) -> list[str]:
        from shared.i18n import tr

        return [tr(f"report.col.{c}") for c in self.columns]

    def records(self) -> list[dict[str, Any]]:
        """The rows as ``{column: value}``."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 60


def _stats(values: list[float]) -> list[float | None]:
    """Mean, p50 and p90 (nearest rank), rounded to 0.1; None when there are no values."""
    if not values:
        return [None, None, None]
    return [
        round(sum(values) / len(values), 1),
        round(percentile(values, 50), 1),
        round(percentile(values, 90), 1),
    ]


@dataclass
class _Tally:
    tickets: int = 0
    served: int = 0
    no_show: int = 0
    cancelled: int = 0
    left: int = 0
    waits: list[float] = field(default_factory=list)
    services: list[float] = field(default_factory=list)

    def add(self, t: Any) -> None:
        self.tickets += 1
        if t.status == "done":
            self.served += 1
        elif t.status == "no_show":
            self.no_show += 1
        elif t.status == "cancelled":
            self.cancelled += 1
        else:
            self.left += 1
        if t.wait_s is not None:
            self.waits.append(t.wait_s / 60)
        if t.status == "done" and t.started_at is not None and t.finished_at is not None:
            self.services.append((t.finished_at - t.started_at).total_seconds() / 60)

    def row(self) -> list[Any]:
        return [
            self.tickets,
            self.served,
            self.no_show,
            self.cancelled,
            self.left,
            *_stats(self.waits),
            *_stats(self.services),
        ]


_TALLY_COLUMNS = [
    "tickets",
    "served",
    "no_show",
    "cancelled",
    "not_finished",
    "wait_mean",
    "wait_p50",
    "wait_p90",
    "service_mean",
    "service_p50",
    "service_p90",
]


@dataclass
class _Ratings:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SATISFACTION, 0))
    no_rating: int = 0

    def add(self, scale: int, level: int | None) -> None:
        if level is None:
            self.no_rating += 1
        else:
            self.counts[satisfaction_class(scale, level)] += 1

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    def share(self) -> float | None:
        """Share satisfied, in per cent: Rất hài lòng and Hài lòng over every rating given."""
        if not self.rated:
            return None
        good = self.counts["very_satisfied"] + self.counts["satisfied"]
        return round(100 * good / self.rated, 1)

    def row(self) -> list[Any]:
        return [*(self.counts[k] for k in SATISFACTION), self.rated, self.no_rating, self.share()]


_RATING_COLUMNS = [*SATISFACTION, "rated", "no_rating", "share_satisfied"]


def build_report(
    db: Database, kind: str, date_from: date, date_to: date, centre: str | None = None
) -> Report:
    """A report over the local days ``date_from`` … ``date_to`` (both included), in one
    read-only transaction.

    * ``services``, ``hours``, ``days``, ``counters``, ``clerks``: tickets, served, no-shows,
      cancelled, not finished; the wait until the first call and the service time (start to
      finish), in minutes: mean, p50 and p90. Tickets count in the service that numbered them
      and in the local hour they were taken; a counter's and a clerk's figures are those of the
      tickets they called last (a clerk: the one signed in at that counter at the call).
      ``clerks`` adds the ratings their citizens gave and the share satisfied.
    * ``satisfaction``: ratings per counter in the official columns, with the share satisfied.
    * ``dossiers`` (per procedure) and ``sectors``: dossiers received in the range, those whose
      result was ready early, on time or late, and those still open within or past their due
      date.
    """
    from shared.errors import ReportRefused

    if kind not in REPORT_KINDS:
        raise ReportRefused("report.unknown_kind", kind=kind, kinds=", ".join(REPORT_KINDS))
    if date_to < date_from:
        raise ReportRefused(
            "report.bad_range", date_from=f"{date_from:%d/%m/%Y}", date_to=f"{date_to:%d/%m/%Y}"
        )
    if (date_to - date_from).days > 366:
        raise ReportRefused("report.too_long")

    def work(s: Session) -> Report:
        c = resolve_centre(s, centre)
        header = {
            "kind": kind,
            "centre": c.code,
            "centre_name": c.name,
            "date_from": date_from,
            "date_to": date_to,
        }
        if kind in ("dossiers", "sectors"):
            return _dossier_report(s, c, header)
        if kind == "satisfaction":
            return _satisfaction_report(s, c, header)
        return _ticket_report(s, c, header)

    return db.run(work, readonly=True)


def _ticket_facts(s: Session, c: Any, date_from: date, date_to: date) -> list[Any]:
    first_call = (
        select(Call.ticket_id, Call.waited_seconds.label("wait_s"))
        .where(Call.cycle == 1)
        .subquery()
    )
    return list(
        s.execute(
            select(
                Ticket.id,
                Ticket.origin_service_id,
                Ticket.status,
                Ticket.business_day,
                Ticket.issued_at,
                Ticket.called_at,
                Ticket.started_at,
                Ticket.finished_at,
                Ticket.counter_id,
                first_call.c.wait_s,
            )
            .outerjoin(first_call, first_call.c.ticket_id == Ticket.id)
            .where(
                Ticket.centre_id == c.id,
                Ticket.business_day >= date_from,
                Ticket.business_day <= date_to,
            )
            .order_by(Ticket.id)
        ).all()
    )


class _Sessions:
    """Who was signed in at which counter when: the clerk of a call."""

    def __init__(self, s: Session, c: Any) -> None:
        from shared.models import Counter, CounterSession

        rows = s.execute(
            select(CounterSession.counter_id, CounterSession.user_id, CounterSession.started_at)
            .join(Counter, Counter.id == CounterSession.counter_id)
            .where(Counter.centre_id == c.id)
            .order_by(CounterSession.started_at)
        ).all()
        self.by_counter: dict[int, list[tuple[datetime, int]]] = {}
        for counter_id, user_id, started in rows:
            self.by_counter.setdefault(counter_id, []).append((started, user_id))

    def clerk(self, counter_id: int | None, at: datetime | None) -> int | None:
        """The clerk whose session at the counter began last before ``at``."""
        import bisect

        if counter_id is None or at is None:
            return None
        sessions = self.by_counter.get(counter_id, [])
        i = bisect.bisect_right(sessions, at, key=lambda item: item[0])
        return sessions[i - 1][1] if i else None


def _ticket_report(s: Session, c: Any, header: dict[str, Any]) -> Report:
    from shared.clock import zone
    from shared.models import Counter, Rating, User

    kind = header["kind"]
    facts = _ticket_facts(s, c, header["date_from"], header["date_to"])
    total = _Tally()
    groups: dict[Any, _Tally] = {}
    clerk_of: dict[int, int | None] = {}
    sessions = _Sessions(s, c) if kind == "clerks" else None
    tz = zone(c.timezone)
    for t in facts:
        total.add(t)
        if kind == "services":
            key: Any = t.origin_service_id
        elif kind == "hours":
            key = t.issued_at.astimezone(tz).hour
        elif kind == "days":
            key = t.business_day
        elif kind == "counters":
            key = t.counter_id
        else:
            assert sessions is not None
            key = clerk_of[t.id] = sessions.clerk(t.counter_id, t.called_at)
        if key is None:
            continue  # never called: in the total only
        groups.setdefault(key, _Tally()).add(t)

    if kind == "services":
        services = s.execute(
            select(Service.id, Service.code, Service.name)
            .where(Service.centre_id == c.id)
            .order_by(Service.position, Service.code)
        ).all()
        rows = [[code, name, *groups[sid].row()] for sid, code, name in services if sid in groups]
        return Report(
            **header,
            columns=["service", "name", *_TALLY_COLUMNS],
            rows=rows,
            total=["", "", *total.row()],
        )
    if kind == "hours":
        rows = [[f"{h:02d}:00", *groups[h].row()] for h in sorted(groups)]
        return Report(
            **header, columns=["hour", *_TALLY_COLUMNS], rows=rows, total=["", *total.row()]
        )
    if kind == "days":
        rows = [[d, *groups[d].row()] for d in sorted(groups)]
        return Report(
            **header, columns=["day", *_TALLY_COLUMNS], rows=rows, total=["", *total.row()]
        )
    if kind == "counters":
        counters = s.execute(
            select(Counter.id, Counter.number, Counter.name)
            .where(Counter.centre_id == c.id)
            .order_by(Counter.number)
        ).all()
        rows = [[n, name, *groups[cid].row()] for cid, n, name in counters if cid in groups]
        return Report(
            **header,
            columns=["counter", "name", *_TALLY_COLUMNS],
            rows=rows,
            total=["", "", *total.row()],
        )
    # clerks: their tickets' figures and their citizens' ratings
    ratings: dict[int, _Ratings] = {}
    for user_id, scale, level in s.execute(
        select(Rating.user_id, Rating.scale, Rating.level)
        .join(Ticket, Ticket.id == Rating.ticket_id)
        .where(
            Ticket.centre_id == c.id,
            Ticket.business_day >= header["date_from"],
            Ticket.business_day <= header["date_to"],
            Rating.user_id.is_not(None),
        )
    ).all():
        ratings.setdefault(user_id, _Ratings()).add(scale, level)
    users = s.execute(
        select(User.id, User.username, User.full_name)
        .where(User.id.in_(set(groups) | set(ratings)))
        .order_by(User.username)
    ).all()
    rows = [
        [
            username,
            full_name,
            *groups.get(uid, _Tally()).row(),
            ratings.get(uid, _Ratings()).rated,
            ratings.get(uid, _Ratings()).share(),
        ]
        for uid, username, full_name in users
    ]
    return Report(
        **header,
        columns=["clerk", "name", *_TALLY_COLUMNS, "rated", "share_satisfied"],
        rows=rows,
        total=None,
    )


def _satisfaction_report(s: Session, c: Any, header: dict[str, Any]) -> Report:
    from shared.models import Counter, Rating

    groups: dict[int | None, _Ratings] = {}
    total = _Ratings()
    for counter_id, scale, level in s.execute(
        select(Rating.counter_id, Rating.scale, Rating.level)
        .join(Ticket, Ticket.id == Rating.ticket_id)
        .where(
            Ticket.centre_id == c.id,
            Ticket.business_day >= header["date_from"],
            Ticket.business_day <= header["date_to"],
        )
    ).all():
        groups.setdefault(counter_id, _Ratings()).add(scale, level)
        total.add(scale, level)
    counters = s.execute(
        select(Counter.id, Counter.number, Counter.name)
        .where(Counter.centre_id == c.id)
        .order_by(Counter.number)
    ).all()
    rows = [[n, name, *groups[cid].row()] for cid, n, name in counters if cid in groups]
    return Report(
        **header,
        columns=["counter", "name", *_RATING_COLUMNS],
        rows=rows,
        total=["", "", *total.row()],
    )


_DOSSIER_COLUMNS = ["received", "early", "on_time", "late", "open_in_time", "open_overdue"]


def _dossier_report(s: Session, c: Any, header: dict[str, Any]) -> Report:
    from shared.clock import utcnow
    from shared.models import Dossier, Procedure, Sector

    now = utcnow()
    rows_in = s.execute(
        select(
            Dossier.procedure_code,
            Dossier.procedure_name,
            Sector.code,
            Sector.name,
            Dossier.timeliness,
            Dossier.due_at,
        )
        .join(Procedure, Procedure.id == Dossier.procedure_id)
        .join(Sector, Sector.id == Procedure.sector_id)
        .where(
            Dossier.centre_id == c.id,
            Dossier.receipt_day >= header["date_from"],
            Dossier.receipt_day <= header["date_to"],
        )
    ).all()
    by_sector = header["kind"] == "sectors"
    groups: dict[tuple[str, str, str], list[int]] = {}
    total = [0] * len(_DOSSIER_COLUMNS)
    for code, name, sector, sector_name, timeliness, due_at in rows_in:
        key = (sector, sector_name, "") if by_sector else (code, name, sector)
        counts = groups.setdefault(key, [0] * len(_DOSSIER_COLUMNS))
        if timeliness is not None:
            column = _DOSSIER_COLUMNS.index(timeliness)
        else:
            column = _DOSSIER_COLUMNS.index("open_in_time" if due_at >= now else "open_overdue")
        for row in (counts, total):
            row[0] += 1
            row[column] += 1
    if by_sector:
        rows = [[k[0], k[1], *v] for k, v in sorted(groups.items())]
        return Report(
            **header,
            columns=["sector", "name", *_DOSSIER_COLUMNS],
            rows=rows,
            total=["", "", *total],
        )
    rows = [[k[0], k[1], k[2], *v] for k, v in sorted(groups.items())]
    return Report(
        **header,
        columns=["procedure", "name", "sector", *_DOSSIER_COLUMNS],
        rows=rows,
        total=["", "", "", *total],
    )
