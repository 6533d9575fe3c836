"""Issuing tickets on SQLite: ``QueueEngine.issue`` against a raw single-row insert loop.

Run from the repository root: ``.venv/bin/python -m bench.issue_sqlite [--n 2000] [--rounds 3]``.

Both sides use a fresh file in the same directory with the product's connection settings (WAL,
busy timeout, foreign keys on) and the same ``synchronous`` level; one transaction per row:

* raw: plain :mod:`sqlite3`, ``BEGIN IMMEDIATE; INSERT INTO tickets_raw(...) VALUES (...);
  COMMIT`` on a table as wide as ``tickets`` (22 columns, primary key only);
* product: ``QueueEngine(db, "STRESS").issue(service)`` on a database made with
  ``Database(url).upgrade()`` + ``import_catalog`` of the stress catalogue, services in turn.

Each (synchronous level, round) runs raw and product one after the other, alternating which goes
first; the reported figure is the median over the rounds. One warm-up row/ticket (not timed)
precedes each timed loop. A last, separate pass counts the product's statements per ticket and
splits its time into SQL, COMMIT and Python.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import time
from pathlib import Path
from typing import Any

from bench._common import (
    RAW_COLUMNS_SQLITE,
    RAW_INSERT_COLUMNS,
    StatementProfile,
    environment,
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

NAME = "issue_sqlite"
SYNC_LEVELS = ("FULL", "NORMAL")  # FULL is the product default (DatabaseSettings)
BUSY_TIMEOUT = DatabaseSettings().busy_timeout


def raw_connect(path: Path, synchronous: str) -> sqlite3.Connection:
    """A plain sqlite3 connection with the product's pragmas (see shared.db)."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def run_raw(path: Path, synchronous: str, n: int) -> float:
    conn = raw_connect(path, synchronous)
    conn.execute(f"CREATE TABLE tickets_raw ({RAW_COLUMNS_SQLITE})")
    placeholders = ", ".join("?" for _ in RAW_INSERT_COLUMNS.split(","))
    sql = f"INSERT INTO tickets_raw ({RAW_INSERT_COLUMNS}) VALUES ({placeholders})"
    rows = [raw_row(i) for i in range(n + 1)]
    conn.execute("BEGIN IMMEDIATE")  # warm-up row
    conn.execute(sql, rows[0])
    conn.execute("COMMIT")
    start = time.perf_counter()
    for row in rows[1:]:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(sql, row)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    count = conn.execute("SELECT count(*) FROM tickets_raw").fetchone()[0]
    conn.close()
    assert count == n + 1, count
    return elapsed


def fresh_product(path: Path, synchronous: str) -> tuple[Database, QueueEngine]:
    db = Database(f"sqlite:///{path.as_posix()}", DatabaseSettings(sqlite_synchronous=synchronous))
    db.upgrade()
    import_catalog(db, parse_catalog(stress.catalog_text()))
    engine = QueueEngine(db, "STRESS")
    engine.issue(stress.SERVICES[0])  # warm-up: schema check, centre lookup, pool
    return db, engine


def run_product(path: Path, synchronous: str, n: int) -> float:
    db, engine = fresh_product(path, synchronous)
    services = stress.SERVICES
    start = time.perf_counter()
    for i in range(n):
        engine.issue(services[i % len(services)])
    elapsed = time.perf_counter() - start
    with db.engine.connect() as conn:
        count, distinct = conn.exec_driver_sql(
            "SELECT count(*), count(DISTINCT origin_service_id || '/' || number) FROM tickets"
        ).one()
    db.dispose()
    assert count == distinct == n + 1, (count, distinct)
    return elapsed


def profile_product(path: Path, synchronous: str, n: int) -> dict[str, Any]:
    db, engine = fresh_product(path, synchronous)
    prof = StatementProfile()
    prof.attach(db.engine)
    start = time.perf_counter()
    for i in range(n):
        engine.issue(stress.SERVICES[i % 3])
    total = time.perf_counter() - start
    db.dispose()
    return prof.summary(n, total)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.issue_sqlite")
    parser.add_argument("--n", type=int, default=2000, help="tickets/rows per timed loop")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile-n", type=int, default=300)
    args = parser.parse_args(argv)

    t_begin = time.perf_counter()
    scratch = scratch_dir("motcua-bench-issue-")
    env = environment(scratch)
    print(f"# {NAME}: issuing {args.n} tickets, product vs raw insert-and-commit, SQLite WAL")
    print_environment(env)
    results: dict[str, Any] = {
        "benchmark": NAME,
        "environment": env,
        "n": args.n,
        "rounds": args.rounds,
        "rows": [],
    }
    try:
        table_rows = []
        for sync in SYNC_LEVELS:
            raw_rates, product_rates = [], []
            for r in range(args.rounds):
                order = ("raw", "product") if r % 2 == 0 else ("product", "raw")
                for side in order:
                    path = scratch / f"{sync.lower()}-{r}-{side}.sqlite3"
                    if side == "raw":
                        raw_rates.append(args.n / run_raw(path, sync, args.n))
                    else:
                        product_rates.append(args.n / run_product(path, sync, args.n))
                print(
                    f"  synchronous={sync} round {r + 1}/{args.rounds}: raw "
                    f"{raw_rates[-1]:,.0f} rows/s, product {product_rates[-1]:,.0f} tickets/s",
                    flush=True,
                )
            raw_med = statistics.median(raw_rates)
            prod_med = statistics.median(product_rates)
            ratio = prod_med / raw_med
            results["rows"].append(
                {
                    "synchronous": sync,
                    "raw_rows_per_s": raw_rates,
                    "product_tickets_per_s": product_rates,
                    "raw_median": raw_med,
                    "product_median": prod_med,
                    "ratio": ratio,
                    "goal_met": ratio >= 0.5,
                }
            )
            table_rows.append(
                [
                    f"WAL, synchronous={sync}" + (" (default)" if sync == "FULL" else ""),
                    f"{raw_med:,.0f}",
                    f"{prod_med:,.0f}",
                    f"{ratio:.3f}",
                    "yes" if ratio >= 0.5 else "no",
                    " / ".join(f"{x:,.0f}" for x in raw_rates),
                    " / ".join(f"{x:,.0f}" for x in product_rates),
                ]
            )
        print()
        print(f"## Issue throughput, N={args.n}, median of {args.rounds} interleaved rounds")
        print()
        print(
            markdown_table(
                [
                    "SQLite",
                    "raw rows/s",
                    "product tickets/s",
                    "product/raw",
                    "≥ 0.5?",
                    "raw per round",
                    "product per round",
                ],
                table_rows,
            )
        )

        print()
        print(f"## Where an issue spends its time ({args.profile_n} tickets, one process)")
        print()
        prof_rows = []
        for sync in SYNC_LEVELS:
            p = profile_product(scratch / f"profile-{sync.lower()}.sqlite3", sync, args.profile_n)
            raw_ms = 1000 / next(
                r["raw_median"] for r in results["rows"] if r["synchronous"] == sync
            )
            prof_rows.append((f"product issue, synchronous={sync}", p))
            prof_rows.append(
                (
                    f"raw insert, synchronous={sync}",
                    {
                        "total_ms_per_op": raw_ms,
                        "statements_per_op": 3.0,
                        "execute_ms_per_op": float("nan"),
                        "commit_ms_per_op": float("nan"),
                        "python_ms_per_op": float("nan"),
                    },
                )
            )
        print(profile_table(prof_rows))
        print()
        kinds = prof_rows[0][1]["statement_kinds_per_op"]
        print(
            "Statements per issued ticket (FULL): "
            + ", ".join(f"{k} ×{v:g}" for k, v in kinds.items())
        )
        results["profile"] = {name: p for name, p in prof_rows}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    results["runtime_s"] = time.perf_counter() - t_begin
    path = write_results(NAME, results)
    print()
    print(f"Total runtime {results['runtime_s']:.1f} s; results in {path}")


if __name__ == "__main__":
    main()
