"""Helpers shared by the benchmarks: environment header, tables, JSON results, statistics,
a per-statement profiler for a :class:`shared.db.Database`, and the raw baseline table."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import event

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"

# The raw baselines write rows as wide as ``tickets`` (22 columns): the same names and types,
# but without the product's foreign keys and secondary indexes (the bare cost of a row).
RAW_COLUMNS_SQLITE = """
    id INTEGER PRIMARY KEY,
    centre_id INTEGER NOT NULL,
    origin_service_id INTEGER NOT NULL,
    service_id INTEGER NOT NULL,
    business_day DATE NOT NULL,
    seq INTEGER NOT NULL,
    number VARCHAR(16) NOT NULL,
    priority_group_id INTEGER,
    status VARCHAR(16) NOT NULL,
    language VARCHAR(2) NOT NULL,
    issued_at DATETIME NOT NULL,
    queued_at DATETIME NOT NULL,
    waiting_since DATETIME NOT NULL,
    queue_band INTEGER NOT NULL,
    cycle INTEGER NOT NULL,
    called_at DATETIME,
    started_at DATETIME,
    finished_at DATETIME,
    counter INTEGER,
    target_counter_id INTEGER,
    recall_count INTEGER NOT NULL,
    request_id VARCHAR(64)
"""
RAW_COLUMNS_PG = (
    RAW_COLUMNS_SQLITE.replace("id INTEGER PRIMARY KEY", "id BIGSERIAL PRIMARY KEY")
    .replace("DATETIME", "TIMESTAMPTZ")
    .replace("INTEGER", "INT")
)
RAW_INSERT_COLUMNS = (
    "centre_id, origin_service_id, service_id, business_day, seq, number, priority_group_id, "
    "status, language, issued_at, queued_at, waiting_since, queue_band, cycle, recall_count, "
    "request_id"
)


def raw_row(i: int) -> tuple[Any, ...]:
    """One raw row (values of :data:`RAW_INSERT_COLUMNS`), shaped like an issued ticket."""
    now = time.strftime("%Y-%m-%d %H:%M:%S.000000+00:00", time.gmtime())
    return (
        1,
        1 + i % 3,
        1 + i % 3,
        now[:10],
        i + 1,
        f"A{i + 1:04d}",
        None,
        "waiting",
        "vi",
        now,
        now,
        now,
        1,
        1,
        0,
        None,
    )


# --- environment ---------------------------------------------------------------------------


def scratch_dir(prefix: str) -> Path:
    """A fresh directory on the temp filesystem (honours TMPDIR); the caller removes it."""
    return Path(tempfile.mkdtemp(prefix=prefix))


def filesystem_of(path: Path) -> str:
    """``device type mountpoint`` of the filesystem holding ``path`` (from /proc/mounts)."""
    best = ("?", "?", "/")
    try:
        target = str(path.resolve())
        for line in Path("/proc/mounts").read_text().splitlines():
            dev, mnt, fstype = line.split()[:3]
            if (target == mnt or target.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(
                best[2]
            ):
                best = (dev, fstype, mnt)
    except OSError:
        pass
    return f"{best[1]} ({best[0]} on {best[2]})"


def environment(scratch: Path, pg_version: str | None = None) -> dict[str, Any]:
    env = {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "scratch_dir": str(scratch),
        "scratch_fs": filesystem_of(scratch),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    try:
        import psycopg

        env["psycopg"] = psycopg.__version__
    except ImportError:  # pragma: no cover
        pass
    if pg_version is not None:
        env["postgresql_server"] = pg_version
    return env


def print_environment(env: dict[str, Any]) -> None:
    print(f"os.cpu_count() = {env['cpu_count']}")
    line = f"Python {env['python']} · SQLite {env['sqlite']} · SQLAlchemy {env['sqlalchemy']}" + (
        f" · psycopg {env['psycopg']}" if "psycopg" in env else ""
    )
    if "postgresql_server" in env:
        line += f" · PostgreSQL server {env['postgresql_server']}"
    print(line)
    print(f"platform {env['platform']}; scratch files in {env['scratch_dir']}: {env['scratch_fs']}")
    print()
    sys.stdout.flush()


# --- output --------------------------------------------------------------------------------


def markdown_table(headers: list[str], rows: list[list[Any]]) -> str:
    cells = [[str(c) for c in row] for row in rows]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines)


def write_results(name: str, data: dict[str, Any]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    return path


# --- statistics ----------------------------------------------------------------------------


def percentile(sorted_values: list[float], q: float) -> float:
    """Linear-interpolated percentile (0 ≤ q ≤ 100) of an already sorted list."""
    if not sorted_values:
        return float("nan")
    pos = (len(sorted_values) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def latency_summary(latencies_s: list[float]) -> dict[str, float]:
    values = sorted(latencies_s)
    return {
        "n": len(values),
        "p50_ms": percentile(values, 50) * 1000,
        "p95_ms": percentile(values, 95) * 1000,
        "p99_ms": percentile(values, 99) * 1000,
        "max_ms": (values[-1] * 1000) if values else float("nan"),
        "mean_ms": (sum(values) / len(values) * 1000) if values else float("nan"),
    }


# --- where the product's time goes ---------------------------------------------------------


_DIRECT_PROFILES: list[StatementProfile] = []


def _attach_direct(profile: StatementProfile) -> None:
    """Time the statements of direct transactions (``shared.db.Direct``, the hot paths), which
    bypass SQLAlchemy's events: BEGIN, each statement and COMMIT."""
    from shared import db as product_db

    _DIRECT_PROFILES.append(profile)
    if getattr(product_db.Direct, "_bench_wrapped", False):
        return
    execute, commit, begin = (
        product_db.Direct.execute,
        product_db.Direct.commit,
        product_db._begin_immediate,
    )

    def timed_execute(self: Any, sql: str, params: Any = None) -> Any:
        t0 = time.perf_counter()
        try:
            return execute(self, sql, params)
        finally:
            _record(_statement_kind(sql), time.perf_counter() - t0)

    def timed_commit(self: Any) -> None:
        t0 = time.perf_counter()
        try:
            commit(self)
        finally:
            for profile in _DIRECT_PROFILES:
                profile.commit_s += time.perf_counter() - t0
                profile.commits += 1

    def timed_begin(connection: Any, timeout: float, **options: Any) -> None:
        t0 = time.perf_counter()
        try:
            begin(connection, timeout, **options)
        finally:
            _record("BEGIN", time.perf_counter() - t0)

    def _record(kind: str, spent: float) -> None:
        for profile in _DIRECT_PROFILES:
            profile.execute_s += spent
            profile.statements += 1
            profile.kinds[kind] += 1
            profile.kind_s[kind] += spent

    product_db.Direct.execute = timed_execute  # type: ignore[method-assign]
    product_db.Direct.commit = timed_commit  # type: ignore[method-assign]
    product_db._begin_immediate = timed_begin
    product_db.Direct._bench_wrapped = True  # type: ignore[attr-defined]


@dataclass
class StatementProfile:
    """Counts statements and splits wall time into SQL execution, COMMIT and the rest (Python:
    ORM, SQL compilation, session bookkeeping, building views), for one Database's engine."""

    statements: int = 0
    execute_s: float = 0.0
    commits: int = 0
    commit_s: float = 0.0
    kinds: Counter[str] = field(default_factory=Counter)
    kind_s: Counter[str] = field(default_factory=Counter)
    _t0: float = 0.0
    _c0: float = 0.0

    def attach(self, engine: sqlalchemy.Engine) -> None:
        from sqlalchemy.orm import Session

        @event.listens_for(engine, "before_cursor_execute")
        def _before(conn, cursor, statement, parameters, context, executemany):
            self._t0 = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def _after(conn, cursor, statement, parameters, context, executemany):
            spent = time.perf_counter() - self._t0
            kind = _statement_kind(statement)
            self.execute_s += spent
            self.statements += 1
            self.kinds[kind] += 1
            self.kind_s[kind] += spent

        @event.listens_for(engine, "commit")
        def _commit(conn):
            self._c0 = time.perf_counter()

        @event.listens_for(Session, "after_commit")
        def _after_commit(session):
            if self._c0:
                self.commit_s += time.perf_counter() - self._c0
                self.commits += 1
                self._c0 = 0.0

        _attach_direct(self)

    def summary(self, ops: int, total_s: float) -> dict[str, Any]:
        other = total_s - self.execute_s - self.commit_s
        return {
            "ops": ops,
            "total_ms_per_op": total_s / ops * 1000,
            "statements_per_op": self.statements / ops,
            "execute_ms_per_op": self.execute_s / ops * 1000,
            "commit_ms_per_op": self.commit_s / ops * 1000,
            "python_ms_per_op": other / ops * 1000,
            "statement_kinds_per_op": {k: round(v / ops, 2) for k, v in self.kinds.most_common()},
            "statement_kind_ms_per_op": {
                k: round(v / ops * 1000, 4) for k, v in self.kind_s.most_common()
            },
        }

    def raw(self) -> dict[str, Any]:
        """Plain totals, to add up profiles from several processes."""
        return {
            "statements": self.statements,
            "execute_s": self.execute_s,
            "commits": self.commits,
            "commit_s": self.commit_s,
            "kinds": dict(self.kinds),
            "kind_s": dict(self.kind_s),
        }


def _statement_kind(statement: str) -> str:
    words = statement.split()
    if not words:
        return "?"
    verb = words[0].upper()
    upper = [w.upper() for w in words]
    table = ""
    for marker in ("INTO", "UPDATE", "FROM"):
        if marker in upper:
            i = upper.index(marker)
            if i + 1 < len(words):
                table = words[i + 1].strip('"(')
                break
    if verb == "SELECT" and "PG_ADVISORY_XACT_LOCK" in statement.upper():
        return "SELECT pg_advisory_xact_lock"
    if verb == "SELECT" and "PG_NOTIFY" in statement.upper():
        return "SELECT pg_notify"
    if verb == "SELECT" and "FOR UPDATE" in statement.upper():
        verb = "SELECT … FOR UPDATE"
    return f"{verb} {table}".strip()


def profile_table(rows: list[tuple[str, dict[str, Any]]]) -> str:
    headers = [
        "what",
        "ms/op",
        "statements/op",
        "SQL execute ms/op",
        "COMMIT ms/op",
        "Python (ORM etc.) ms/op",
    ]

    def fmt(value: float, spec: str = ".3f") -> str:
        return "—" if value != value else format(value, spec)  # NaN: not measured

    body = [
        [
            name,
            fmt(p["total_ms_per_op"]),
            fmt(p["statements_per_op"], ".1f"),
            fmt(p["execute_ms_per_op"]),
            fmt(p["commit_ms_per_op"]),
            fmt(p["python_ms_per_op"]),
        ]
        for name, p in rows
    ]
    return markdown_table(headers, body)
