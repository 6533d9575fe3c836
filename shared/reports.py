"""Read-only figures over a day: tickets, outcomes and waiting times per service."""

from __future__ import annotations

import logging
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

log = logging.getLogger("motcua.reports")


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
    """A report over the local days ``date_from`` … ``date_to`` (both included). The ticket
    reports first keep the figures of closed days not kept yet (:func:`keep_report_days`), then
    read them, with today's tickets counted by the database, in one read-only transaction; the
    other reports are one ``GROUP BY`` each.

    * ``services``, ``hours``, ``days``, ``counters``, ``clerks``: tickets, served, no-shows,
      cancelled, not finished; the wait until the first call and the service time (start to
      finish), in minutes: mean, p50 and p90 (nearest rank over 30-second bands: exact to half
      a minute). Tickets count in the service that numbered them and in the local hour they
      were taken; a counter's and a clerk's figures are those of the tickets they called last
      (a clerk: the one signed in at that counter at the call). ``clerks`` adds the ratings
      their citizens gave and the share satisfied. The total row covers every ticket of the
      range.
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

    if kind in ("services", "hours", "days", "counters", "clerks"):
        from shared.errors import DatabaseError

        try:
            keep_report_days(db, date_from, date_to, centre)
        except DatabaseError:
            log.warning("report: the figures of closed days could not be kept; counted anew")

    def work(s: Session) -> Report:
        _plan_for_these_dates(s)
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


def _plan_for_these_dates(s: Session) -> None:
    """PostgreSQL: plan the report's statements for their own dates. The product's connections
    keep one generic plan per statement (right for the hot path, ``shared.db``); a report over
    a month read with a plan made for any range took twice as long."""
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy import text

        s.execute(text("SET LOCAL plan_cache_mode = auto"))


def _seconds_between(dialect: str, later: Any, earlier: Any) -> Any:
    if dialect == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def _band(dialect: str, seconds: Any) -> Any:
    """The band (:data:`BAND_SECONDS` wide) of a duration, rounded to the millisecond first:
    SQLite's julian-day arithmetic gives 1199.99999… for twenty minutes."""
    from sqlalchemy import Integer, Numeric, cast

    if dialect == "postgresql":
        return cast(func.floor(func.round(cast(seconds, Numeric), 3) / BAND_SECONDS), Integer)
    return cast(func.round(seconds, 3) / BAND_SECONDS, Integer)  # positive: truncation is floor


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


BAND_SECONDS = 30
"""Waits and service times are kept in bands this wide: a percentile is the lower edge of its
band (exact to half a minute; the means are exact). Finer bands would keep as many rows as
there are tickets."""

DIMENSIONS = ("total", "services", "hours", "counters", "clerks")
"""The groups a day's tickets are counted in; ``total`` is the whole day (the ``days`` report)."""


def _day_facts(s: Session, c: Any, first: date, last: date, dimension: str) -> Any:
    """One row per ticket of the days ``first`` … ``last``: its day, its group key ``k`` in
    ``dimension``, status, wait and service seconds."""
    from sqlalchemy import and_, case, literal, or_
    from sqlalchemy.orm import aliased

    from shared.models import CounterSession

    dialect = s.get_bind().dialect.name
    first_call = aliased(Call)
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
        "hours": _local_hour(dialect, Ticket.issued_at, c.timezone, first),
        "counters": Ticket.counter_id,
        "clerks": CounterSession.user_id,
    }
    stmt = (
        select(
            Ticket.business_day.label("day"),
            keys[dimension].label("k"),
            Ticket.status.label("status"),
            first_call.waited_seconds.label("wait_s"),
            service_s.label("service_s"),
        )
        .select_from(Ticket)
        .outerjoin(first_call, and_(first_call.ticket_id == Ticket.id, first_call.cycle == 1))
        .where(
            Ticket.centre_id == c.id,
            Ticket.business_day >= first,
            Ticket.business_day <= last,
        )
    )
    if dimension == "counters":
        stmt = stmt.where(Ticket.counter_id.is_not(None))
    elif dimension == "clerks":
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


@dataclass
class _Figures:
    """Counts, sums and bands of one group, added up over days."""

    tickets: int = 0
    served: int = 0
    no_show: int = 0
    cancelled: int = 0
    wait_n: int = 0
    wait_sum: float = 0.0
    service_n: int = 0
    service_sum: float = 0.0
    bands: dict[str, dict[int, int]] = field(default_factory=lambda: {"wait": {}, "service": {}})

    def add(self, row: Any) -> None:
        self.tickets += row.tickets
        self.served += row.served
        self.no_show += row.no_show
        self.cancelled += row.cancelled
        self.wait_n += row.wait_n
        self.wait_sum += row.wait_sum
        self.service_n += row.service_n
        self.service_sum += row.service_sum

    def add_band(self, measure: str, band: int, count: int) -> None:
        bands = self.bands[measure]
        bands[band] = bands.get(band, 0) + count

    def _percentile(self, measure: str, q: int) -> float | None:
        bands = self.bands[measure]
        n = sum(bands.values())
        if not n:
            return None
        rank = max(1, -(-q * n // 100))  # nearest rank: ⌈q·n/100⌉
        seen = 0
        for band in sorted(bands):
            seen += bands[band]
            if seen >= rank:
                return _minutes(band * BAND_SECONDS)
        return None  # pragma: no cover - the loop always reaches n

    def row(self) -> list[Any]:
        left = self.tickets - self.served - self.no_show - self.cancelled
        wait = _minutes(self.wait_sum / self.wait_n) if self.wait_n else None
        service = _minutes(self.service_sum / self.service_n) if self.service_n else None
        return [
            self.tickets,
            self.served,
            self.no_show,
            self.cancelled,
            left,
            wait,
            self._percentile("wait", 50),
            self._percentile("wait", 90),
            service,
            self._percentile("service", 50),
            self._percentile("service", 90),
        ]


def _count_days(
    s: Session, c: Any, first: date, last: date, dimensions: tuple[str, ...]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The figures and bands of the days ``first`` … ``last`` in each of ``dimensions``,
    counted by the database from the tickets, as rows of ``report_figures`` and
    ``report_bands``."""
    from sqlalchemy import case

    dialect = s.get_bind().dialect.name
    figures: list[dict[str, Any]] = []
    bands: list[dict[str, Any]] = []

    def key_text(value: Any) -> str:
        return "" if value is None else str(value)

    for dimension in dimensions:
        facts = _day_facts(s, c, first, last, dimension)
        f = facts.c

        def count_of(status: str, f: Any = f) -> Any:
            return func.coalesce(func.sum(case((f.status == status, 1), else_=0)), 0)

        for row in s.execute(
            select(
                f.day,
                f.k,
                func.count(),
                count_of("done"),
                count_of("no_show"),
                count_of("cancelled"),
                func.count(f.wait_s),
                func.coalesce(func.sum(f.wait_s), 0.0),
                func.count(f.service_s),
                func.coalesce(func.sum(f.service_s), 0.0),
            ).group_by(f.day, f.k)
        ):
            figures.append(
                {
                    "centre_id": c.id,
                    "business_day": _as_date(row[0]),
                    "dimension": dimension,
                    "key": "" if dimension == "total" else key_text(row[1]),
                    "tickets": row[2],
                    "served": row[3],
                    "no_show": row[4],
                    "cancelled": row[5],
                    "wait_n": row[6],
                    "wait_sum": float(row[7]),
                    "service_n": row[8],
                    "service_sum": float(row[9]),
                }
            )
        for measure, column in (("wait", f.wait_s), ("service", f.service_s)):
            band = _band(dialect, column)
            for day, k, b, count in s.execute(
                select(f.day, f.k, band, func.count())
                .where(column.is_not(None))
                .group_by(f.day, f.k, band)
            ):
                bands.append(
                    {
                        "centre_id": c.id,
                        "business_day": _as_date(day),
                        "dimension": dimension,
                        "key": "" if dimension == "total" else key_text(k),
                        "measure": measure,
                        "band": int(b),
                        "count": count,
                    }
                )
    return figures, bands


def _closed_last(c: Any, last: date) -> date:
    """The last day of the range that is over in the centre's time zone."""
    from datetime import timedelta

    from shared.clock import today_in

    return min(last, today_in(c.timezone) - timedelta(days=1))


def keep_report_days(
    db: Database, date_from: date, date_to: date, centre: str | None = None
) -> int:
    """Count and keep the figures of the closed days of ``date_from`` … ``date_to`` that have
    none yet, or whose tickets changed since (an event about one of them after the figures'
    last event); returns how many days were counted. The tickets are read in a read-only
    transaction; the figures are written in one short transaction (a kiosk issuing at the same
    moment never waits for the counting)."""
    from datetime import timedelta

    from shared.clock import utcnow
    from shared.models import Event, ReportBand, ReportDay, ReportFigure

    def plan(s: Session) -> tuple[Any, list[date], int, list[Any], list[Any]]:
        _plan_for_these_dates(s)
        c = resolve_centre(s, centre)
        closed_last = _closed_last(c, date_to)
        if closed_last < date_from:
            return c, [], 0, [], []
        kept = dict(
            s.execute(
                select(ReportDay.business_day, ReportDay.last_event_id).where(
                    ReportDay.centre_id == c.id,
                    ReportDay.business_day >= date_from,
                    ReportDay.business_day <= closed_last,
                )
            ).all()
        )
        kept = {_as_date(day): last for day, last in kept.items()}
        todo: set[date] = set()
        day = date_from
        while day <= closed_last:
            if day not in kept:
                todo.add(day)
            day += timedelta(days=1)
        if kept:
            for day, newest in s.execute(
                select(Ticket.business_day, func.max(Event.id))
                .join(Ticket, Ticket.id == Event.ticket_id)
                .where(
                    Event.centre_id == c.id,
                    Event.id > min(kept.values()),
                    Ticket.business_day >= date_from,
                    Ticket.business_day <= closed_last,
                )
                .group_by(Ticket.business_day)
            ):
                if newest > kept.get(_as_date(day), newest):
                    todo.add(_as_date(day))
        if not todo:
            return c, [], 0, [], []
        mark = int(
            s.scalar(select(func.max(Event.id)).where(Event.centre_id == c.id)) or 0
        )  # read before counting: a change during the counting makes the day old again
        figures, bands = _count_days(s, c, min(todo), max(todo), DIMENSIONS)
        figures = [f for f in figures if f["business_day"] in todo]
        bands = [b for b in bands if b["business_day"] in todo]
        return c, sorted(todo), mark, figures, bands

    c, todo, mark, figures, bands = db.run(plan, readonly=True)
    if not todo:
        return 0

    def write(s: Session) -> None:
        for model in (ReportBand, ReportFigure, ReportDay):
            s.execute(
                model.__table__.delete().where(
                    model.centre_id == c.id, model.business_day.in_(todo)
                )
            )
        if figures:
            s.execute(ReportFigure.__table__.insert(), figures)
        if bands:
            s.execute(ReportBand.__table__.insert(), bands)
        now = utcnow()
        s.execute(
            ReportDay.__table__.insert(),
            [
                {"centre_id": c.id, "business_day": d, "last_event_id": mark, "made_at": now}
                for d in todo
            ],
        )

    db.run(write)
    return len(todo)


def _ticket_figures(
    s: Session, c: Any, header: dict[str, Any], dimension: str
) -> tuple[dict[str, _Figures], _Figures]:
    """``dimension``'s figures per group key over the report's days, and the total: kept
    figures for the closed days that have them, counted from the tickets for the others.
    ``days`` gives the whole-day figures keyed by the day (ISO)."""
    from datetime import timedelta

    from shared.models import ReportBand, ReportDay, ReportFigure

    first, last = header["date_from"], header["date_to"]
    by_day = dimension == "days"
    dims = ("total",) if dimension in ("total", "days") else (dimension, "total")
    closed_last = _closed_last(c, last)
    kept_days = {
        _as_date(d)
        for d in s.scalars(
            select(ReportDay.business_day).where(
                ReportDay.centre_id == c.id,
                ReportDay.business_day >= first,
                ReportDay.business_day <= closed_last,
            )
        )
    }
    groups: dict[str, dict[str, _Figures]] = {d: {} for d in dims}
    if kept_days:
        for row in s.execute(
            select(ReportFigure).where(
                ReportFigure.centre_id == c.id,
                ReportFigure.business_day >= first,
                ReportFigure.business_day <= closed_last,
                ReportFigure.dimension.in_(dims),
            )
        ).scalars():
            key = _as_date(row.business_day).isoformat() if by_day else row.key
            groups[row.dimension].setdefault(key, _Figures()).add(row)
        day_column = ReportBand.business_day if by_day else func.min(ReportBand.business_day)
        for banded_day, dim, key, measure, band, count in s.execute(
            select(
                day_column,
                ReportBand.dimension,
                ReportBand.key,
                ReportBand.measure,
                ReportBand.band,
                func.sum(ReportBand.count),
            )
            .where(
                ReportBand.centre_id == c.id,
                ReportBand.business_day >= first,
                ReportBand.business_day <= closed_last,
                ReportBand.dimension.in_(dims),
            )
            .group_by(
                *((ReportBand.business_day,) if by_day else ()),
                ReportBand.dimension,
                ReportBand.key,
                ReportBand.measure,
                ReportBand.band,
            )
        ):
            if by_day:
                key = _as_date(banded_day).isoformat()
            groups[dim].setdefault(key, _Figures()).add_band(measure, band, int(count))
    # Days without kept figures (today, days to come, or closed days not counted yet).
    missing = []
    day = first
    while day <= last:
        if day not in kept_days:
            missing.append(day)
        day += timedelta(days=1)
    if missing:
        figures, bands = _count_days(s, c, min(missing), max(missing), dims)
        wanted = set(missing)
        for f in figures:
            if f["business_day"] in wanted:
                row = _Figures(**{k: f[k] for k in _FIGURE_FIELDS})
                key = f["business_day"].isoformat() if by_day else f["key"]
                groups[f["dimension"]].setdefault(key, _Figures()).add(row)
        for b in bands:
            if b["business_day"] in wanted:
                key = b["business_day"].isoformat() if by_day else b["key"]
                groups[b["dimension"]].setdefault(key, _Figures()).add_band(
                    b["measure"], b["band"], b["count"]
                )
    total = _Figures()
    for figures_ in groups["total"].values():
        total.add(figures_)
        for measure, bands_ in figures_.bands.items():
            for band, count in bands_.items():
                total.add_band(measure, band, count)
    return groups["total" if by_day else dimension], total


_FIGURE_FIELDS = (
    "tickets",
    "served",
    "no_show",
    "cancelled",
    "wait_n",
    "wait_sum",
    "service_n",
    "service_sum",
)


def _ticket_report(s: Session, c: Any, header: dict[str, Any]) -> Report:
    from shared.models import Counter, Rating, User

    kind = header["kind"]
    if kind == "days":
        per_day, total = _ticket_figures(s, c, header, "days")
        rows = [
            [date.fromisoformat(day), *figures.row()]
            for day, figures in sorted(per_day.items())
            if figures.tickets
        ]
        return Report(
            **header, columns=["day", *_TALLY_COLUMNS], rows=rows, total=["", *total.row()]
        )
    groups, total = _ticket_figures(s, c, header, kind)
    if kind == "services":
        services = s.execute(
            select(Service.id, Service.code, Service.name)
            .where(Service.centre_id == c.id)
            .order_by(Service.position, Service.code)
        ).all()
        rows = [
            [code, name, *groups[str(sid)].row()]
            for sid, code, name in services
            if str(sid) in groups
        ]
        return Report(
            **header,
            columns=["service", "name", *_TALLY_COLUMNS],
            rows=rows,
            total=["", "", *total.row()],
        )
    if kind == "hours":
        rows = [[f"{int(h):02d}:00", *groups[h].row()] for h in sorted(groups, key=int)]
        return Report(
            **header, columns=["hour", *_TALLY_COLUMNS], rows=rows, total=["", *total.row()]
        )
    if kind == "counters":
        counters = s.execute(
            select(Counter.id, Counter.number, Counter.name)
            .where(Counter.centre_id == c.id)
            .order_by(Counter.number)
        ).all()
        rows = [
            [n, name, *groups[str(cid)].row()] for cid, n, name in counters if str(cid) in groups
        ]
        return Report(
            **header,
            columns=["counter", "name", *_TALLY_COLUMNS],
            rows=rows,
            total=["", "", *total.row()],
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
    ids = {int(k) for k in groups} | set(ratings)
    users = s.execute(
        select(User.id, User.username, User.full_name)
        .where(User.id.in_(ids))
        .order_by(User.username)
    ).all()
    rows = [
        [
            username,
            full_name,
            *groups.get(str(uid), _Figures()).row(),
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
