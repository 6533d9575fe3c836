"""Call-next latency and throughput with 1, 4 and 16 processes, on SQLite and PostgreSQL.

Run from the repository root: ``.venv/bin/python -m bench.call_next [--procs 1,4,16]``.

Each run starts P fresh processes (multiprocessing, spawn); each connects, warms up, waits for a
common start Event, then makes a fixed number of calls, timing each with ``time.perf_counter``.
Raw and product run back to back on the same server, each on its own fresh database:

* raw, PostgreSQL: psycopg, autocommit, one statement per call::

      UPDATE tickets_raw SET status='called', counter=%s WHERE id = (SELECT id FROM tickets_raw
      WHERE status='waiting' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id

* raw, SQLite: sqlite3, the same statement without ``FOR UPDATE SKIP LOCKED`` between
  ``BEGIN IMMEDIATE`` and ``COMMIT``, with the product's pragmas (WAL, synchronous=FULL, busy
  timeout);
* product: ``QueueEngine(Database(url), "STRESS").call_next(counter)``, counter = 1..8 by
  process index (16 processes: two per counter, serialised by the counter's row lock).

The raw table is as wide as ``tickets`` with an index on (status, id); the product database is
pre-filled once per backend by ``QueueEngine.issue`` (a template, copied for each run), the raw
one by a bulk insert, with enough waiting tickets that nobody runs dry. Afterwards every run is
checked for duplicates: ids returned twice, and for the product (ticket, cycle) pairs with more
than one row in ``calls``.
"""

from __future__ import annotations

import argparse
import os
import queue as queue_mod
import shutil
import sqlite3
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql as pgsql

from bench._common import (
    RAW_COLUMNS_PG,
    RAW_COLUMNS_SQLITE,
    RAW_INSERT_COLUMNS,
    StatementProfile,
    environment,
    latency_summary,
    markdown_table,
    print_environment,
    profile_table,
    raw_row,
    scratch_dir,
    write_results,
)
from shared.catalog import import_catalog, parse_catalog
from shared.db import Database
from shared.queue import QueueEngine
from shared.settings import DatabaseSettings
from tests.helpers import stress
from tests.helpers.pgserver import PgServer

NAME = "call_next"
CALLS_PER_PROC = {1: 200, 4: 100, 16: 40}
PER_SERVICE = 700  # waiting tickets per service (DD allows 999 a day)
N_COUNTERS = len(stress.COUNTERS)
BUSY_TIMEOUT = DatabaseSettings().busy_timeout
SYNCHRONOUS = DatabaseSettings().sqlite_synchronous  # FULL, the product default
JOIN_TIMEOUT = 300.0

RAW_PG_CALL = (
    "UPDATE tickets_raw SET status='called', counter=%s WHERE id = (SELECT id FROM tickets_raw "
    "WHERE status='waiting' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id"
)
RAW_SQLITE_CALL = (
    "UPDATE tickets_raw SET status='called', counter=? WHERE id = (SELECT id FROM tickets_raw "
    "WHERE status='waiting' ORDER BY id LIMIT 1) RETURNING id"
)
DUPLICATE_CALLS_SQL = (
    "SELECT count(*) FROM (SELECT ticket_id, cycle FROM calls GROUP BY ticket_id, cycle "
    "HAVING count(*) > 1) AS d"
)


def counter_for(index: int) -> int:
    return 1 + index % N_COUNTERS


# --- worker processes ------------------------------------------------------------------------


def _timed_loop(call: Any, n: int) -> dict[str, Any]:
    latencies: list[float] = []
    ids: list[int] = []
    empty = 0
    t_start = time.perf_counter()
    for _ in range(n):
        t0 = time.perf_counter()
        got = call()
        latencies.append(time.perf_counter() - t0)
        if got is None:
            empty += 1
        else:
            ids.append(got)
    # perf_counter is CLOCK_MONOTONIC on Linux: comparable between processes.
    return {
        "latencies": latencies,
        "ids": ids,
        "empty": empty,
        "t_start": t_start,
        "t_end": time.perf_counter(),
    }


def worker(
    kind: str, target: str, index: int, n: int, ready: Any, go: Any, out: Any, profile: bool = False
) -> None:
    """One calling process. ``kind``: raw_sqlite, raw_pg or product."""
    counter = counter_for(index)
    announced = False
    try:
        cleanup: Any = None
        prof = None
        if kind == "raw_sqlite":
            conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("SELECT count(*) FROM tickets_raw").fetchone()

            def call() -> int | None:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    row = conn.execute(RAW_SQLITE_CALL, (counter,)).fetchone()
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                return row[0] if row else None

            cleanup = conn.close
        elif kind == "raw_pg":
            pconn = psycopg.connect(target, autocommit=True)
            pconn.execute("SELECT count(*) FROM tickets_raw").fetchone()

            def call() -> int | None:
                row = pconn.execute(RAW_PG_CALL, (counter,)).fetchone()
                return row[0] if row else None

            cleanup = pconn.close
        elif kind == "product":
            db = Database(target)
            engine = QueueEngine(db, "STRESS")
            engine.status()  # warm-up: schema check, centre lookup, a pooled connection
            if profile:
                prof = StatementProfile()
                prof.attach(db.engine)

            def call() -> int | None:
                ticket = engine.call_next(counter)
                return ticket.id if ticket is not None else None

            cleanup = db.dispose
        else:
            raise ValueError(kind)
        ready.put(("ready", index))
        announced = True
        go.wait()
        result = _timed_loop(call, n)
        cleanup()
        result.update(ok=True, index=index, counter=counter, pid=os.getpid())
        if prof is not None:
            result["profile"] = prof.raw()
        out.put(result)
    except BaseException:
        if not announced:
            ready.put(("error", index))
        out.put({"ok": False, "index": index, "error": traceback.format_exc()})


def run_processes(
    kind: str, target: str, procs: int, n: int, *, profile: bool = False
) -> list[dict[str, Any]]:
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    ready, out, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    workers = [
        ctx.Process(
            target=worker,
            args=(kind, target, i, n, ready, go, out, profile),
            name=f"bench-{kind}-{i}",
        )
        for i in range(procs)
    ]
    results: list[dict[str, Any]] = []
    try:
        for p in workers:
            p.start()
        for _ in range(procs):
            ready.get(timeout=JOIN_TIMEOUT)
        go.set()
        for _ in range(procs):
            results.append(out.get(timeout=JOIN_TIMEOUT))
        for p in workers:
            p.join(timeout=JOIN_TIMEOUT)
    except queue_mod.Empty:
        raise RuntimeError(f"{kind}: worker processes did not answer in time") from None
    finally:
        for p in workers:
            if p.is_alive():
                p.terminate()
                p.join(5)
    failed = [r for r in results if not r.get("ok")]
    if failed:
        raise RuntimeError(f"{kind} worker {failed[0]['index']} failed:\n{failed[0]['error']}")
    return results


def summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    latencies = [x for r in results for x in r["latencies"]]
    ids = [x for r in results for x in r["ids"]]
    wall = max(r["t_end"] for r in results) - min(r["t_start"] for r in results)
    summary = latency_summary(latencies)
    summary.update(
        calls=len(latencies),
        wall_s=wall,
        calls_per_s=len(latencies) / wall,
        empty=sum(r["empty"] for r in results),
        returned=len(ids),
        duplicate_ids=len(ids) - len(set(ids)),
    )
    return summary


# --- databases -------------------------------------------------------------------------------


def issue_prefill(db: Database) -> int:
    engine = QueueEngine(db, "STRESS")
    issued = 0
    for _ in range(PER_SERVICE):
        for service in stress.SERVICES:
            engine.issue(service)
            issued += 1
    return issued


def sqlite_product_template(scratch: Path) -> Path:
    path = scratch / "product-template.sqlite3"
    # NORMAL only makes the one-off pre-fill faster; the runs use the default settings (FULL).
    db = Database(f"sqlite:///{path.as_posix()}", DatabaseSettings(sqlite_synchronous="NORMAL"))
    db.upgrade()
    import_catalog(db, parse_catalog(stress.catalog_text()))
    issue_prefill(db)
    db.dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


def sqlite_product_db(template: Path, scratch: Path, label: str) -> str:
    path = scratch / f"product-{label}.sqlite3"
    shutil.copyfile(template, path)
    return f"sqlite:///{path.as_posix()}"


def sqlite_raw_db(scratch: Path, label: str, rows: int) -> str:
    path = scratch / f"raw-{label}.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"CREATE TABLE tickets_raw ({RAW_COLUMNS_SQLITE})")
    conn.execute("CREATE INDEX tickets_raw_waiting ON tickets_raw (status, id)")
    placeholders = ", ".join("?" for _ in RAW_INSERT_COLUMNS.split(","))
    conn.execute("BEGIN")
    conn.executemany(
        f"INSERT INTO tickets_raw ({RAW_INSERT_COLUMNS}) VALUES ({placeholders})",
        (raw_row(i) for i in range(rows)),
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    return str(path)


def pg_admin(pg: PgServer, statement: pgsql.Composable | str) -> None:
    with psycopg.connect(pg.dsn, autocommit=True) as conn:
        conn.execute(statement)


def pg_product_template(pg: PgServer) -> str:
    name = "product_template"
    url = pg.create_database(name)
    db = Database(url)
    db.upgrade()
    import_catalog(db, parse_catalog(stress.catalog_text()))
    issue_prefill(db)
    db.dispose()
    return name


def pg_product_db(pg: PgServer, template: str, label: str) -> str:
    name = f"product_{label}"
    pg_admin(
        pg,
        pgsql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            pgsql.Identifier(name), pgsql.Identifier(template)
        ),
    )
    with psycopg.connect(pg.dsn_for(name), autocommit=True) as conn:
        conn.execute("ANALYZE")
    return pg.url_for(name)


def pg_raw_db(pg: PgServer, label: str, rows: int) -> str:
    name = f"raw_{label}"
    pg.create_database(name)
    dsn = pg.dsn_for(name)
    placeholders = ", ".join("%s" for _ in RAW_INSERT_COLUMNS.split(","))
    with psycopg.connect(dsn) as conn:
        conn.execute(f"CREATE TABLE tickets_raw ({RAW_COLUMNS_PG})")
        conn.execute("CREATE INDEX tickets_raw_waiting ON tickets_raw (status, id)")
        with conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO tickets_raw ({RAW_INSERT_COLUMNS}) VALUES ({placeholders})",
                [raw_row(i) for i in range(rows)],
            )
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("ANALYZE")
    return dsn


def product_duplicates(url: str) -> dict[str, int]:
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            dup = conn.exec_driver_sql(DUPLICATE_CALLS_SQL).scalar_one()
            calls = conn.exec_driver_sql("SELECT count(*) FROM calls").scalar_one()
    finally:
        db.dispose()
    return {"duplicate_calls": int(dup), "calls_rows": int(calls)}


def raw_sqlite_check(path: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM tickets_raw WHERE status='called'").fetchone()[0]


def raw_pg_check(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT count(*) FROM tickets_raw WHERE status='called'").fetchone()[0]


class Backend:
    """Fresh raw and product databases of one backend (the product's from a pre-filled
    template)."""

    def __init__(self, name: str, scratch: Path, pg: PgServer | None, raw_rows: int) -> None:
        self.name, self.scratch, self.pg, self.raw_rows = name, scratch, pg, raw_rows
        self.raw_kind = "raw_sqlite" if name == "sqlite" else "raw_pg"
        if name == "sqlite":
            self.template = str(sqlite_product_template(scratch))
        elif name == "postgresql":
            assert pg is not None
            self.template = pg_product_template(pg)
        else:
            raise ValueError(f"unknown backend {name!r}")

    def product_db(self, label: str) -> str:
        if self.pg is None or self.name == "sqlite":
            return sqlite_product_db(Path(self.template), self.scratch, label)
        return pg_product_db(self.pg, self.template, label)

    def raw_db(self, label: str) -> str:
        if self.pg is None or self.name == "sqlite":
            return sqlite_raw_db(self.scratch, label, self.raw_rows)
        return pg_raw_db(self.pg, label, self.raw_rows)

    def raw_called(self, target: str) -> int:
        return raw_sqlite_check(target) if self.name == "sqlite" else raw_pg_check(target)


# --- profile ---------------------------------------------------------------------------------


def profile_single(url: str, calls: int) -> dict[str, Any]:
    """Statements and time split of call_next in this process (no contention)."""
    db = Database(url)
    engine = QueueEngine(db, "STRESS")
    engine.status()
    prof = StatementProfile()
    prof.attach(db.engine)
    start = time.perf_counter()
    for i in range(calls):
        engine.call_next(counter_for(i))
    total = time.perf_counter() - start
    db.dispose()
    return prof.summary(calls, total)


def merge_profiles(results: list[dict[str, Any]]) -> dict[str, Any]:
    kinds: Counter[str] = Counter()
    kind_s: Counter[str] = Counter()
    execute_s = commit_s = 0.0
    statements = 0
    for r in results:
        p = r["profile"]
        kinds.update(p["kinds"])
        kind_s.update(p["kind_s"])
        execute_s += p["execute_s"]
        commit_s += p["commit_s"]
        statements += p["statements"]
    ops = sum(len(r["latencies"]) for r in results)
    total = sum(sum(r["latencies"]) for r in results)
    return {
        "ops": ops,
        "total_ms_per_op": total / ops * 1000,
        "statements_per_op": statements / ops,
        "execute_ms_per_op": execute_s / ops * 1000,
        "commit_ms_per_op": commit_s / ops * 1000,
        "python_ms_per_op": (total - execute_s - commit_s) / ops * 1000,
        "statement_kinds_per_op": {k: round(v / ops, 2) for k, v in kinds.most_common()},
        "statement_kind_ms_per_op": {k: round(v / ops * 1000, 4) for k, v in kind_s.most_common()},
    }


# --- main ------------------------------------------------------------------------------------


def fmt_lat(s: dict[str, Any]) -> str:
    return f"{s['p50_ms']:.2f} / {s['p95_ms']:.2f} / {s['p99_ms']:.2f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.call_next")
    parser.add_argument("--procs", default="1,4,16", help="comma-separated process counts")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--no-diagnose",
        action="store_true",
        help="skip the extra profiled product run at the highest process count",
    )
    args = parser.parse_args(argv)
    proc_counts = [int(x) for x in args.procs.split(",")]
    backends = [b.strip() for b in args.backends.split(",")]
    for procs in proc_counts:
        CALLS_PER_PROC.setdefault(procs, max(10, 640 // procs))
    max_calls = max(procs * CALLS_PER_PROC[procs] for procs in proc_counts)
    assert max_calls < PER_SERVICE, "pre-fill too small for the planned calls"
    raw_rows = PER_SERVICE * len(stress.SERVICES)

    t_begin = time.perf_counter()
    scratch = scratch_dir("motcua-bench-call-")
    pg: PgServer | None = None
    results: dict[str, Any] = {
        "benchmark": NAME,
        "calls_per_proc": CALLS_PER_PROC,
        "prefill_tickets": raw_rows,
        "runs": [],
        "profiles": {},
    }
    table: list[list[Any]] = []
    try:
        pg_version = None
        if "postgresql" in backends:
            pg = PgServer().start()
            with psycopg.connect(pg.dsn) as conn:
                pg_version = conn.execute("SHOW server_version").fetchone()[0]
        env = environment(scratch, pg_version)
        results["environment"] = env
        print(f"# {NAME}: call-next latency, product vs raw, processes {proc_counts}")
        print_environment(env)

        for backend in backends:
            t0 = time.perf_counter()
            target = Backend(backend, scratch, pg, raw_rows)
            print(
                f"  {backend}: pre-filled {raw_rows} tickets through QueueEngine.issue in "
                f"{time.perf_counter() - t0:.1f} s",
                flush=True,
            )
            for procs in proc_counts:
                n = CALLS_PER_PROC[procs]
                label = f"p{procs}"
                raw_target, product_url = target.raw_db(label), target.product_db(label)
                raw = summarise(run_processes(target.raw_kind, raw_target, procs, n))
                raw_called = target.raw_called(raw_target)
                product = summarise(run_processes("product", product_url, procs, n))
                product.update(product_duplicates(product_url))
                ratio = product["p95_ms"] / raw["p95_ms"]
                run = {
                    "backend": backend,
                    "procs": procs,
                    "calls_per_proc": n,
                    "raw": raw,
                    "raw_rows_called": raw_called,
                    "product": product,
                    "p95_ratio": ratio,
                }
                results["runs"].append(run)
                dups = (
                    f"raw {raw['duplicate_ids']}; product {product['duplicate_ids']} ids, "
                    f"{product['duplicate_calls']} in calls"
                )
                if product["calls_rows"] != product["returned"]:
                    dups += f" (calls rows {product['calls_rows']} ≠ {product['returned']})"
                if raw_called != raw["returned"]:
                    dups += f" (raw rows called {raw_called} ≠ {raw['returned']})"
                if raw["empty"] or product["empty"]:
                    dups += f" (ran dry: raw {raw['empty']}, product {product['empty']})"
                table.append(
                    [
                        backend,
                        procs,
                        fmt_lat(raw),
                        f"{raw['calls_per_s']:,.0f}",
                        fmt_lat(product),
                        f"{product['calls_per_s']:,.0f}",
                        f"{ratio:.2f}",
                        dups,
                    ]
                )
                print(
                    f"  {backend} × {procs}: raw p95 {raw['p95_ms']:.2f} ms, "
                    f"{raw['calls_per_s']:,.0f}/s; product p95 {product['p95_ms']:.2f} ms, "
                    f"{product['calls_per_s']:,.0f}/s",
                    flush=True,
                )

            # Where the product's time goes: one process, then (under contention) the
            # highest process count with a statement profiler in every process.
            single = profile_single(target.product_db("profile1"), 150)
            results["profiles"][f"{backend}, 1 process"] = single
            if not args.no_diagnose:
                top = max(proc_counts)
                merged = merge_profiles(
                    run_processes(
                        "product",
                        target.product_db("profileN"),
                        top,
                        CALLS_PER_PROC[top],
                        profile=True,
                    )
                )
                results["profiles"][f"{backend}, {top} processes"] = merged

        print()
        print("## call_next: latency (ms) and throughput, raw vs product")
        print()
        print(
            markdown_table(
                [
                    "backend",
                    "procs",
                    "raw p50/p95/p99 ms",
                    "raw calls/s",
                    "product p50/p95/p99 ms",
                    "product calls/s",
                    "p95 ratio",
                    "duplicates",
                ],
                table,
            )
        )
        print()
        print(
            "Goal: p95 ratio ≤ 2 with zero duplicates. Calls per process: "
            + ", ".join(f"{p} proc → {CALLS_PER_PROC[p]}" for p in proc_counts)
            + "."
        )
        print()
        print("## Where a product call_next spends its time")
        print()
        print(profile_table(list(results["profiles"].items())))
        for name, prof in results["profiles"].items():
            print()
            print(f"{name} — statements per call (count, ms):")
            kinds = prof["statement_kinds_per_op"]
            times = prof["statement_kind_ms_per_op"]
            print("; ".join(f"{k} ×{v:g} ({times.get(k, 0):.3f})" for k, v in kinds.items()))
    finally:
        if pg is not None:
            pg.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    results["runtime_s"] = time.perf_counter() - t_begin
    path = write_results(NAME, results)
    print()
    print(f"Total runtime {results['runtime_s']:.1f} s; results in {path}")


if __name__ == "__main__":
    main()
