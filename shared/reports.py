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
    return None if seconds is None else round(seconds / 60, 1)


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

    def add(self, scale: int, level: int | None, count: int = 1) -> None:
        if level is None:
            self.no_rating += count
        else:
            self.counts[satisfaction_class(scale, level)] += count

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
    read-only transaction; the database does the counting (``GROUP BY``, and window functions
    for the percentiles), so a month of a big centre is a few result rows to read.

    * ``services``, ``hours``, ``days``, ``counters``, ``clerks``: tickets, served, no-shows,
      cancelled, not finished; the wait until the first call and the service time (start to
      finish), in minutes: mean, p50 and p90 (nearest rank). Tickets count in the service that
      numbered them and in the local hour they were taken; a counter's and a clerk's figures
      are those of the tickets they called last (a clerk: the one signed in at that counter at
      the call). ``clerks`` adds the ratings their citizens gave and the share satisfied. The
      total row covers every ticket of the range.
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


def _seconds_between(dialect: str, later: Any, earlier: Any) -> Any:
    if dialect == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def _local_hour(dialect: str, column: Any, timezone: str, day: date) -> Any:
    from sqlalchemy import Integer, cast

    if dialect == "postgresql":
        return cast(func.extract("hour", func.timezone(timezone, column)), Integer)
    # SQLite keeps UTC: shift by the zone's offset that day (Việt Nam has no summer time).
    from shared.clock import zone

    noon = datetime(day.year, day.month, day.day, 12, tzinfo=zone(timezone))
    offset = noon.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    return cast(func.strftime("%H", column, f"{minutes:+d} minutes"), Integer)


def _ticket_facts(s: Session, c: Any, header: dict[str, Any], kind: str) -> Any:
    """One row per ticket of the range: its group key ``k``, status, wait and service seconds.
    ``kind`` "total" puts every ticket in one group."""
    from sqlalchemy import and_, case, literal, or_
    from sqlalchemy.orm import aliased

    from shared.models import CounterSession

    dialect = s.get_bind().dialect.name
    first = aliased(Call)
    service_s = case(
        (
            and_(
                Ticket.status == "done",
                Ticket.started_at.is_not(None),
                Ticket.finished_at.is_not(None),
            ),
            _seconds_between(dialect, Ticket.finished_at, Ticket.started_at),
        ),
        else_=None,
    )
    keys: dict[str, Any] = {
        "total": literal(0),
        "services": Ticket.origin_service_id,
        "hours": _local_hour(dialect, Ticket.issued_at, c.timezone, header["date_from"]),
        "days": Ticket.business_day,
        "counters": Ticket.counter_id,
        "clerks": CounterSession.user_id,
    }
    stmt = (
        select(
            keys[kind].label("k"),
            Ticket.status.label("status"),
            first.waited_seconds.label("wait_s"),
            service_s.label("service_s"),
        )
        .select_from(Ticket)
        .outerjoin(first, and_(first.ticket_id == Ticket.id, first.cycle == 1))
        .where(
            Ticket.centre_id == c.id,
            Ticket.business_day >= header["date_from"],
            Ticket.business_day <= header["date_to"],
        )
    )
    if kind == "counters":
        stmt = stmt.where(Ticket.counter_id.is_not(None))
    elif kind == "clerks":
        stmt = stmt.join(
            CounterSession,
            and_(
                CounterSession.counter_id == Ticket.counter_id,
                CounterSession.started_at <= Ticket.called_at,
                or_(
                    CounterSession.ended_at.is_(None),
                    CounterSession.ended_at > Ticket.called_at,
                ),
            ),
        )
    return stmt.subquery("facts")


def _tallies(s: Session, facts: Any) -> dict[Any, list[Any]]:
    """Per group key: the :data:`_TALLY_COLUMNS` figures (counts from one ``GROUP BY``, means
    and nearest-rank percentiles from one window query per measure)."""
    from sqlalchemy import case

    def count_of(*statuses: str) -> Any:
        return func.coalesce(func.sum(case((facts.c.status.in_(statuses), 1), else_=0)), 0)

    figures: dict[Any, list[Any]] = {}
    for k, tickets, served, no_show, cancelled in s.execute(
        select(
            facts.c.k,
            func.count(),
            count_of("done"),
            count_of("no_show"),
            count_of("cancelled"),
        ).group_by(facts.c.k)
    ):
        left = tickets - served - no_show - cancelled
        figures[k] = [tickets, served, no_show, cancelled, left, None, None, None, None, None, None]
    for offset, measure in ((5, facts.c.wait_s), (8, facts.c.service_s)):
        ranked = (
            select(
                facts.c.k.label("k"),
                measure.label("v"),
                func.row_number().over(partition_by=facts.c.k, order_by=measure).label("rn"),
                func.count().over(partition_by=facts.c.k).label("n"),
            )
            .where(measure.is_not(None))
            .subquery("ranked")
        )
        r = ranked.c
        for k, mean, p50, p90 in s.execute(
            select(
                r.k,
                func.avg(r.v),
                func.max(case((r.rn == (50 * r.n + 99) // 100, r.v))),
                func.max(case((r.rn == (90 * r.n + 99) // 100, r.v))),
            ).group_by(r.k)
        ):
            if k in figures:
                figures[k][offset : offset + 3] = [_minutes(mean), _minutes(p50), _minutes(p90)]
    return figures


def _ticket_report(s: Session, c: Any, header: dict[str, Any]) -> Report:
    from shared.models import Counter, Rating, User

    kind = header["kind"]
    groups = _tallies(s, _ticket_facts(s, c, header, kind))
    empty = [0, 0, 0, 0, 0, None, None, None, None, None, None]
    total = _tallies(s, _ticket_facts(s, c, header, "total")).get(0, empty)

    if kind == "services":
        services = s.execute(
            select(Service.id, Service.code, Service.name)
            .where(Service.centre_id == c.id)
            .order_by(Service.position, Service.code)
        ).all()
        rows = [[code, name, *groups[sid]] for sid, code, name in services if sid in groups]
        return Report(
            **header,
            columns=["service", "name", *_TALLY_COLUMNS],
            rows=rows,
            total=["", "", *total],
        )
    if kind == "hours":
        rows = [[f"{h:02d}:00", *groups[h]] for h in sorted(groups)]
        return Report(**header, columns=["hour", *_TALLY_COLUMNS], rows=rows, total=["", *total])
    if kind == "days":
        rows = [[_as_date(d), *groups[d]] for d in sorted(groups)]
        return Report(**header, columns=["day", *_TALLY_COLUMNS], rows=rows, total=["", *total])
    if kind == "counters":
        counters = s.execute(
            select(Counter.id, Counter.number, Counter.name)
            .where(Counter.centre_id == c.id)
            .order_by(Counter.number)
        ).all()
        rows = [[n, name, *groups[cid]] for cid, n, name in counters if cid in groups]
        return Report(
            **header,
            columns=["counter", "name", *_TALLY_COLUMNS],
            rows=rows,
            total=["", "", *total],
        )
    # clerks: their tickets' figures and their citizens' ratings
    ratings: dict[int, _Ratings] = {}
    for user_id, scale, level, count in s.execute(
        select(Rating.user_id, Rating.scale, Rating.level, func.count())
        .join(Ticket, Ticket.id == Rating.ticket_id)
        .where(
            Ticket.centre_id == c.id,
            Ticket.business_day >= header["date_from"],
            Ticket.business_day <= header["date_to"],
            Rating.user_id.is_not(None),
        )
        .group_by(Rating.user_id, Rating.scale, Rating.level)
    ).all():
        ratings.setdefault(user_id, _Ratings()).add(scale, level, count)
    users = s.execute(
        select(User.id, User.username, User.full_name)
        .where(User.id.in_(set(groups) | set(ratings)))
        .order_by(User.username)
    ).all()
    rows = [
        [
            username,
            full_name,
            *groups.get(uid, empty),
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


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _satisfaction_report(s: Session, c: Any, header: dict[str, Any]) -> Report:
    from shared.models import Counter, Rating

    groups: dict[int | None, _Ratings] = {}
    total = _Ratings()
    for counter_id, scale, level, count in s.execute(
        select(Rating.counter_id, Rating.scale, Rating.level, func.count())
        .join(Ticket, Ticket.id == Rating.ticket_id)
        .where(
            Ticket.centre_id == c.id,
            Ticket.business_day >= header["date_from"],
            Ticket.business_day <= header["date_to"],
        )
        .group_by(Rating.counter_id, Rating.scale, Rating.level)
    ).all():
        groups.setdefault(counter_id, _Ratings()).add(scale, level, count)
        total.add(scale, level, count)
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
    from sqlalchemy import case

    from shared.clock import utcnow
    from shared.models import Dossier, Procedure, Sector

    standing = func.coalesce(
        Dossier.timeliness,
        case((Dossier.due_at >= utcnow(), "open_in_time"), else_="open_overdue"),
    )
    by_sector = header["kind"] == "sectors"
    keys = (
        (Sector.code, Sector.name)
        if by_sector
        else (Dossier.procedure_code, Dossier.procedure_name, Sector.code)
    )
    groups: dict[tuple[Any, ...], list[int]] = {}
    total = [0] * len(_DOSSIER_COLUMNS)
    for *key, state, count in s.execute(
        select(*keys, standing, func.count())
        .join(Procedure, Procedure.id == Dossier.procedure_id)
        .join(Sector, Sector.id == Procedure.sector_id)
        .where(
            Dossier.centre_id == c.id,
            Dossier.receipt_day >= header["date_from"],
            Dossier.receipt_day <= header["date_to"],
        )
        .group_by(*keys, standing)
    ):
        counts = groups.setdefault(tuple(key), [0] * len(_DOSSIER_COLUMNS))
        for row in (counts, total):
            row[0] += count
            row[_DOSSIER_COLUMNS.index(state)] += count
    rows = [[*k, *v] for k, v in sorted(groups.items())]
    if by_sector:
        columns = ["sector", "name", *_DOSSIER_COLUMNS]
    else:
        columns = ["procedure", "name", "sector", *_DOSSIER_COLUMNS]
    return Report(
        **header,
        columns=columns,
        rows=rows,
        total=[""] * (len(columns) - len(total)) + total,
    )
