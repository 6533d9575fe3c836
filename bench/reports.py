"""The manager's reports over a month of a big centre, on SQLite and PostgreSQL, beside the raw SQL.

Run from the repository root: ``.venv/bin/python -m bench.reports [--tickets 1000000]
[--dossiers 100000] [--backends sqlite,postgresql] [--rounds 3]``.

The data: the sample catalogue, 16 clerks, one session per counter and working day, and a month
(November 2026, its 21 working days) of ``--tickets`` tickets (done, no-show, cancelled, still
waiting; first calls with their waits, service times, half the served ones rated) and
``--dossiers`` dossiers (early, on time, late, open), written straight into the product's schema
by bulk inserts (the generator is not what is measured).

Measured for every report kind, interleaved, ``--rounds`` times after one warm-up round, median
kept:

* raw: the same figures by hand-written SQL through the plain driver (``sqlite3`` with the
  product's pragmas, ``psycopg``): a ``GROUP BY`` for the counts, a window query per measure for
  mean, p50 and p90, the same again over the whole range for the total row;
* product: ``shared.reports.build_report(db, kind, first day, last day)``, which opens its own
  read-only transaction.

Both answers are compared (tickets, served and the total row's figures must agree).
Goals (issue "Centre management and reports"): every report ≤ 2 s, product/raw ≤ 1.5.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import insert, select

from bench._common import (
    environment,
    markdown_table,
    print_environment,
    scratch_dir,
    write_results,
)
from shared.catalog import import_catalog, load_catalog_file
from shared.db import Database
from shared.models import (
    Call,
    Centre,
    Counter,
    CounterSession,
    Dossier,
    Procedure,
    Rating,
    Service,
    Ticket,
)
from shared.reports import REPORT_KINDS, build_report
from shared.resources import asset
from shared.users import add_user
from tests.helpers.pgserver import PgServer

NAME = "reports"
FIRST, LAST = date(2026, 11, 1), date(2026, 11, 30)
VN = timedelta(hours=7)
CLERKS = 16
CHUNK = 20_000


def working_days() -> list[date]:
    days, day = [], FIRST
    while day <= LAST:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


# --- the data ------------------------------------------------------------------------------------


def fill(db: Database, tickets: int, dossiers: int, seed: int = 7) -> dict[str, int]:
    """Write a month of a big centre into ``db`` (schema and sample catalogue already there)."""
    rng = random.Random(seed)
    clerk_ids = [
        add_user(db, f"canbo{i:02d}", "mat-khau-bench", "clerk", full_name=f"Cán bộ {i:02d}").id
        for i in range(1, CLERKS + 1)
    ]
    with db.transaction(readonly=True) as s:
        centre = s.scalar(select(Centre))
        assert centre is not None
        services = [row.id for row in s.execute(select(Service.id).order_by(Service.id))]
        counters = [row.id for row in s.execute(select(Counter.id).order_by(Counter.id))]
        procedures = s.execute(
            select(Procedure.id, Procedure.code, Procedure.name, Procedure.version)
        ).all()
    days = working_days()
    counts = {"tickets": 0, "calls": 0, "ratings": 0, "sessions": 0, "dossiers": 0}

    def utc(day: date, minutes: float) -> datetime:
        local = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=minutes)
        return local - VN

    def flush(table: Any, rows: list[dict[str, Any]]) -> None:
        if rows:
            with db.engine.begin() as conn:
                conn.execute(insert(table), rows)
            rows.clear()

    sessions: list[dict[str, Any]] = []
    clerk_of: dict[tuple[date, int], int] = {}
    for d_index, day in enumerate(days):
        for c_index, counter in enumerate(counters):
            clerk = clerk_ids[(c_index + d_index) % len(clerk_ids)]
            clerk_of[(day, counter)] = clerk
            sessions.append(
                {
                    "counter_id": counter,
                    "user_id": clerk,
                    "machine": f"pc-{c_index:02d}",
                    "started_at": utc(day, 7 * 60 + 15),
                    "ended_at": utc(day, 17 * 60 + 30),
                }
            )
    counts["sessions"] = len(sessions)
    flush(CounterSession.__table__, sessions)

    ticket_rows: list[dict[str, Any]] = []
    call_rows: list[dict[str, Any]] = []
    rating_rows: list[dict[str, Any]] = []
    seqs: dict[tuple[int, date], int] = {}
    per_day = tickets // len(days)
    next_id = 1
    for d_index, day in enumerate(days):
        n_today = per_day + (tickets - per_day * len(days) if d_index == len(days) - 1 else 0)
        for _ in range(n_today):
            service = rng.choice(services)
            seq = seqs[(service, day)] = seqs.get((service, day), 0) + 1
            issued = utc(day, rng.uniform(7 * 60 + 30, 16 * 60 + 30))
            roll = rng.random()
            status = (
                "done"
                if roll < 0.9
                else "no_show"
                if roll < 0.95
                else "cancelled"
                if roll < 0.98
                else "waiting"
            )
            row: dict[str, Any] = {
                "id": next_id,
                "centre_id": centre.id,
                "origin_service_id": service,
                "service_id": service,
                "business_day": day,
                "seq": seq,
                "number": str(seq),
                "status": status,
                "language": "vi",
                "issued_at": issued,
                "queued_at": issued,
                "waiting_since": issued,
                "queue_band": 1,
                "cycle": 1,
                "called_at": None,
                "started_at": None,
                "finished_at": None,
                "counter_id": None,
                "recall_count": 0,
            }
            if status in ("done", "no_show"):
                wait = rng.lognormvariate(6.5, 0.8)  # seconds; median ≈ 11 minutes
                called = issued + timedelta(seconds=wait)
                counter = rng.choice(counters)
                row.update(called_at=called, counter_id=counter)
                call_rows.append(
                    {
                        "ticket_id": next_id,
                        "cycle": 1,
                        "counter_id": counter,
                        "called_at": called,
                        "waited_seconds": wait,
                    }
                )
                if status == "done":
                    started = called + timedelta(seconds=rng.uniform(15, 90))
                    finished = started + timedelta(seconds=rng.lognormvariate(6.0, 0.5))
                    row.update(started_at=started, finished_at=finished)
                    if rng.random() < 0.5:
                        rating_rows.append(
                            {
                                "ticket_id": next_id,
                                "cycle": 1,
                                "counter_id": counter,
                                "user_id": clerk_of[(day, counter)],
                                "scale": 3,
                                "level": rng.choices((1, 2, 3), (5, 45, 50))[0],
                                "reasons": [],
                                "outcome": "rated",
                                "source": "citizen",
                                "created_at": finished,
                            }
                        )
            ticket_rows.append(row)
            next_id += 1
            if len(ticket_rows) >= CHUNK:
                counts["tickets"] += len(ticket_rows)
                flush(Ticket.__table__, ticket_rows)
                counts["calls"] += len(call_rows)
                flush(Call.__table__, call_rows)
                counts["ratings"] += len(rating_rows)
                flush(Rating.__table__, rating_rows)
    counts["tickets"] += len(ticket_rows)
    flush(Ticket.__table__, ticket_rows)
    counts["calls"] += len(call_rows)
    flush(Call.__table__, call_rows)
    counts["ratings"] += len(rating_rows)
    flush(Rating.__table__, rating_rows)

    dossier_rows: list[dict[str, Any]] = []
    dseq: dict[date, int] = {}
    for i in range(dossiers):
        day = days[i * len(days) // dossiers]
        seq = dseq[day] = dseq.get(day, 0) + 1
        proc = rng.choice(procedures)
        received = utc(day, rng.uniform(7 * 60 + 30, 16 * 60 + 30))
        due = received + timedelta(days=rng.choice((0, 3, 5, 10, 15, 20)))
        roll = rng.random()
        if roll < 0.7:
            ready = received + (due - received) * rng.uniform(0.3, 1.2)
            timeliness = (
                "late" if ready > due else "early" if ready.date() < due.date() else "on_time"
            )
            ready_at: datetime | None = ready
        else:
            timeliness, ready_at = None, None
        dossier_rows.append(
            {
                "centre_id": centre.id,
                "code": f"{centre.agency_eid}-{day:%y%m%d}-{seq:04d}",
                "secret": f"S{i:07d}",
                "agency_eid": centre.agency_eid,
                "receipt_day": day,
                "seq": seq,
                "register_no": i + 1,
                "register_volume": "2026",
                "procedure_id": proc.id,
                "procedure_code": proc.code,
                "procedure_name": proc.name,
                "procedure_name_en": "",
                "procedure_version": proc.version,
                "processing_days": 5,
                "fee": 0,
                "fee_note": "",
                "procedure_documents": [],
                "status": 9 if ready_at is not None else 4,
                "channel": 1,
                "sets": 1,
                "result_delivery": "desk",
                "result_address": "",
                "note": "",
                "received_at": received,
                "due_at": due,
                "appointment_at": due,
                "result_ready_at": ready_at,
                "timeliness": timeliness,
                "search_key": "",
                "applicant_masked": "N*** V*** A**",
                "updated_at": ready_at or received,
            }
        )
        if len(dossier_rows) >= CHUNK:
            counts["dossiers"] += len(dossier_rows)
            flush(Dossier.__table__, dossier_rows)
    counts["dossiers"] += len(dossier_rows)
    flush(Dossier.__table__, dossier_rows)
    return counts


# --- the raw SQL ---------------------------------------------------------------------------------

SERVICE_SECONDS = {
    "sqlite": "(julianday(t.finished_at) - julianday(t.started_at)) * 86400.0",
    "postgresql": "EXTRACT(EPOCH FROM t.finished_at - t.started_at)",
}
LOCAL_HOUR = {
    "sqlite": "CAST(strftime('%H', t.issued_at, '+420 minutes') AS INTEGER)",
    "postgresql": "CAST(EXTRACT(HOUR FROM t.issued_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS INTEGER)",
}
KEYS = {
    "total": "0",
    "services": "t.origin_service_id",
    "days": "t.business_day",
    "counters": "t.counter_id",
    "clerks": "cs.user_id",
}
CLERK_JOIN = (
    "JOIN counter_sessions cs ON cs.counter_id = t.counter_id AND cs.started_at <= t.called_at "
    "AND (cs.ended_at IS NULL OR cs.ended_at > t.called_at)"
)


def raw_facts(dialect: str, kind: str, centre: int) -> str:
    key = LOCAL_HOUR[dialect] if kind == "hours" else KEYS[kind]
    join = CLERK_JOIN if kind == "clerks" else ""
    where = "AND t.counter_id IS NOT NULL" if kind == "counters" else ""
    return (
        f"SELECT {key} AS k, t.status AS status, c.waited_seconds AS wait_s, "
        f"CASE WHEN t.status = 'done' AND t.started_at IS NOT NULL AND t.finished_at IS NOT NULL "
        f"THEN {SERVICE_SECONDS[dialect]} END AS service_s "
        f"FROM tickets t LEFT JOIN calls c ON c.ticket_id = t.id AND c.cycle = 1 {join} "
        f"WHERE t.centre_id = {centre} AND t.business_day BETWEEN '{FIRST}' AND '{LAST}' {where}"
    )


def raw_tally(dialect: str, kind: str, centre: int) -> list[str]:
    facts = raw_facts(dialect, kind, centre)
    counts = (
        f"WITH f AS ({facts}) SELECT k, COUNT(*), "
        "SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN status = 'no_show' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) FROM f GROUP BY k"
    )
    statements = [counts]
    for measure in ("wait_s", "service_s"):
        statements.append(
            f"WITH f AS ({facts}), r AS (SELECT k, {measure} AS v, "
            f"ROW_NUMBER() OVER (PARTITION BY k ORDER BY {measure}) AS rn, "
            f"COUNT(*) OVER (PARTITION BY k) AS n FROM f WHERE {measure} IS NOT NULL) "
            "SELECT k, AVG(v), MAX(CASE WHEN rn = (50 * n + 99) / 100 THEN v END), "
            "MAX(CASE WHEN rn = (90 * n + 99) / 100 THEN v END) FROM r GROUP BY k"
        )
    return statements


def raw_statements(dialect: str, kind: str, centre: int) -> list[str]:
    tickets_in = (
        f"JOIN tickets t ON t.id = r.ticket_id WHERE t.centre_id = {centre} "
        f"AND t.business_day BETWEEN '{FIRST}' AND '{LAST}'"
    )
    if kind == "satisfaction":
        return [
            f"SELECT r.counter_id, r.scale, r.level, COUNT(*) FROM ratings r {tickets_in} "
            "GROUP BY r.counter_id, r.scale, r.level"
        ]
    if kind in ("dossiers", "sectors"):
        keys = (
            "s.code, s.name" if kind == "sectors" else "d.procedure_code, d.procedure_name, s.code"
        )
        now = (
            "'2026-12-01 03:00:00'"
            if dialect == "sqlite"
            else "TIMESTAMPTZ '2026-12-01 03:00:00+00'"
        )
        standing = (
            f"COALESCE(d.timeliness, CASE WHEN d.due_at >= {now} THEN 'open_in_time' "
            "ELSE 'open_overdue' END)"
        )
        return [
            f"SELECT {keys}, {standing}, COUNT(*) FROM dossiers d "
            "JOIN procedures p ON p.id = d.procedure_id JOIN sectors s ON s.id = p.sector_id "
            f"WHERE d.centre_id = {centre} AND d.receipt_day BETWEEN '{FIRST}' AND '{LAST}' "
            f"GROUP BY {keys}, {standing}"
        ]
    statements = raw_tally(dialect, kind, centre) + raw_tally(dialect, "total", centre)
    if kind == "clerks":
        statements.append(
            f"SELECT r.user_id, r.scale, r.level, COUNT(*) FROM ratings r {tickets_in} "
            "AND r.user_id IS NOT NULL GROUP BY r.user_id, r.scale, r.level"
        )
    return statements


# --- measuring -----------------------------------------------------------------------------------


class Target:
    def __init__(self, backend: str, scratch: Path, pg: PgServer | None) -> None:
        self.backend = backend
        if backend == "sqlite":
            self.path = scratch / "reports.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            assert pg is not None
            self.url = pg.create_database("reports")
            self.dsn = pg.dsn_for("reports")
        self.db = Database(self.url)
        self.db.upgrade()
        import_catalog(self.db, load_catalog_file(asset("catalog", "sample.toml")))

    def raw_runner(self) -> tuple[Callable[[list[str]], list[list[Any]]], Callable[[], None]]:
        if self.backend == "sqlite":
            conn = sqlite3.connect(self.path)
            conn.execute("PRAGMA journal_mode=WAL")

            def run_sqlite(statements: list[str]) -> list[list[Any]]:
                conn.execute("BEGIN")
                try:
                    return [conn.execute(sql).fetchall() for sql in statements]
                finally:
                    conn.execute("COMMIT")

            return run_sqlite, conn.close
        pg_conn = psycopg.connect(self.dsn)

        def run_pg(statements: list[str]) -> list[list[Any]]:
            with pg_conn.transaction():
                pg_conn.execute("SET TRANSACTION READ ONLY")
                return [pg_conn.execute(sql).fetchall() for sql in statements]  # type: ignore[arg-type]

        return run_pg, pg_conn.close

    def analyse(self) -> None:
        if self.backend == "sqlite":
            with sqlite3.connect(self.path) as conn:
                conn.execute("ANALYZE")
        else:
            with psycopg.connect(self.dsn, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")


def check(kind: str, report: Any, raw: list[list[Any]]) -> None:
    """The product and the raw SQL count the same things."""
    if kind == "satisfaction":
        raw_rated = sum(row[3] for row in raw[0] if row[2] is not None)
        assert report.total[report.columns.index("rated")] == raw_rated, kind
        return
    if kind in ("dossiers", "sectors"):
        assert report.total[report.columns.index("received")] == sum(r[-1] for r in raw[0]), kind
        return
    column = report.columns.index("tickets")
    assert sum(r[column] for r in report.rows) == sum(row[1] for row in raw[0]), kind
    if report.total is not None:
        raw_total = raw[3][0]
        assert report.total[column : column + 2] == [raw_total[1], raw_total[2]], kind


TICKET_KINDS = ("services", "hours", "days", "counters", "clerks")


def raw_kept_statements(kind: str, centre: int) -> list[str]:
    """The same figures read from the kept day figures by hand: the sums per group and the
    30-second bands summed over the month (the product adds the percentiles on top)."""
    dimension = "total" if kind == "days" else kind
    day = "business_day, " if kind == "days" else ""
    where = (
        f"WHERE centre_id = {centre} AND business_day BETWEEN '{FIRST}' AND '{LAST}' "
        f"AND dimension IN ('{dimension}', 'total')"
    )
    ratings = []
    if kind == "clerks":  # the clerks' ratings are read from the ratings, as over the tickets
        ratings = [
            f"SELECT r.user_id, r.scale, r.level, COUNT(*) FROM ratings r "
            f"JOIN tickets t ON t.id = r.ticket_id WHERE t.centre_id = {centre} "
            f"AND t.business_day BETWEEN '{FIRST}' AND '{LAST}' AND r.user_id IS NOT NULL "
            "GROUP BY r.user_id, r.scale, r.level"
        ]
    return ratings + [
        f"SELECT {day}dimension, key, SUM(tickets), SUM(served), SUM(no_show), SUM(cancelled), "
        "SUM(wait_n), SUM(wait_sum), SUM(service_n), SUM(service_sum) "
        f"FROM report_figures {where} GROUP BY {day}dimension, key",
        f"SELECT {day}dimension, key, measure, band, SUM(count) FROM report_bands {where} "
        f"GROUP BY {day}dimension, key, measure, band",
    ]


def forget_kept(target: Target) -> None:
    with target.db.engine.begin() as conn:
        for table in ("report_bands", "report_figures", "report_days"):
            conn.exec_driver_sql(f"DELETE FROM {table}")


def measure(target: Target, rounds: int, kinds: tuple[str, ...]) -> list[dict[str, Any]]:
    """Per report: for the first (``services``) the product's first report of the month, which
    counts and keeps every closed day in every group; then, for each, one warm-up and
    ``rounds`` interleaved rounds of the raw SQL over the tickets, the raw SQL over the kept
    figures and the product's report."""
    with target.db.transaction(readonly=True) as s:
        centre = s.scalar(select(Centre.id))
    dialect = "sqlite" if target.backend == "sqlite" else "postgresql"
    run_raw, close = target.raw_runner()
    results = []
    try:
        for kind in kinds:
            statements = raw_statements(dialect, kind, centre)
            kept = kind in TICKET_KINDS
            first_ms = None
            if kind == TICKET_KINDS[0]:  # the month's first report counts and keeps its days
                forget_kept(target)
                t0 = time.perf_counter()
                report = build_report(target.db, kind, FIRST, LAST)
                first_ms = (time.perf_counter() - t0) * 1000
            raw_times, raw_kept_times, product_times = [], [], []
            for i in range(rounds + 1):  # the first round warms the caches
                t0 = time.perf_counter()
                raw = run_raw(statements)
                t1 = time.perf_counter()
                if kept:
                    run_raw(raw_kept_statements(kind, centre))
                t2 = time.perf_counter()
                report = build_report(target.db, kind, FIRST, LAST)
                t3 = time.perf_counter()
                if i == 0:
                    check(kind, report, raw)
                    continue
                raw_times.append(t1 - t0)
                raw_kept_times.append(t2 - t1)
                product_times.append(t3 - t2)
            raw_ms = statistics.median(raw_times) * 1000
            product_ms = statistics.median(product_times) * 1000
            raw_kept_ms = statistics.median(raw_kept_times) * 1000 if kept else None
            base = raw_kept_ms if raw_kept_ms else raw_ms
            results.append(
                {
                    "backend": target.backend,
                    "kind": kind,
                    "rows": len(report.rows),
                    "raw_tickets_ms": round(raw_ms, 1),
                    "raw_kept_ms": round(raw_kept_ms, 1) if raw_kept_ms else None,
                    "first_report_ms": round(first_ms, 1) if first_ms is not None else None,
                    "product_ms": round(product_ms, 1),
                    "ratio": round(product_ms / base, 2),
                    "ratio_to_raw_tickets": round(product_ms / raw_ms, 3),
                    "raw_tickets_all_ms": [round(t * 1000, 1) for t in raw_times],
                    "product_all_ms": [round(t * 1000, 1) for t in product_times],
                }
            )
            print(
                f"  {target.backend:<10} {kind:<12} raw over tickets {raw_ms:8.1f} ms, over kept "
                f"{(raw_kept_ms or 0):7.1f} ms; product first {(first_ms or 0):8.1f} ms, then "
                f"{product_ms:7.1f} ms (ratio {product_ms / base:5.2f})",
                flush=True,
            )
    finally:
        close()
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reports")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kinds", default=",".join(REPORT_KINDS), help="reports to measure")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results")
    args = parser.parse_args(argv)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]

    scratch = scratch_dir("motcua-bench-reports-")
    pg: PgServer | None = None
    try:
        pg_version = None
        if "postgresql" in backends:
            pg = PgServer().start()
            with psycopg.connect(pg.dsn) as conn:
                row = conn.execute("SHOW server_version").fetchone()
                pg_version = row[0] if row else None
        env = environment(scratch, pg_version)
        print(f"# {NAME}: a month's reports, product vs raw SQL")
        print_environment(env)
        runs: list[dict[str, Any]] = []
        data: dict[str, Any] = {}
        for backend in backends:
            t0 = time.perf_counter()
            target = Target(backend, scratch, pg)
            data[backend] = fill(target.db, args.tickets, args.dossiers)
            target.analyse()
            print(f"  {backend}: generated {data[backend]} in {time.perf_counter() - t0:.0f} s")
            kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
            runs += measure(target, args.rounds, kinds)
            target.db.dispose()
        table = [
            [
                r["backend"],
                r["kind"],
                r["rows"],
                r["raw_tickets_ms"],
                r["first_report_ms"] if r["first_report_ms"] is not None else "–",
                r["raw_kept_ms"] if r["raw_kept_ms"] is not None else "–",
                r["product_ms"],
                r["ratio"],
            ]
            for r in runs
        ]
        print()
        headers = [
            "backend",
            "report",
            "rows",
            "raw SQL over tickets ms",
            "product, first report ms",
            "raw SQL over kept days ms",
            "product ms",
            "product/raw",
        ]
        print(markdown_table(headers, table))
        if not args.no_save:
            path = write_results(
                NAME,
                {
                    "benchmark": NAME,
                    "environment": env,
                    "month": [str(FIRST), str(LAST)],
                    "data": data,
                    "runs": runs,
                },
            )
            print(f"\nresults: {path}")
    finally:
        if pg is not None:
            pg.stop()
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
