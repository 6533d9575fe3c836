"""A province on one PostgreSQL and a busy centre on SQLite: simulated centres at their pace.

Run from the repository root: ``.venv/bin/python -m bench.scale`` (about 8 minutes on 2 cores;
needs the PostgreSQL server binaries, which ``scripts/setup.sh`` installs).

Every simulated centre has the stress catalogue's 8 counters, 2 kiosks and 2 waiting-room
displays. Each of them is one simulated PC: a thread with its own :class:`shared.db.Database`
(its own connection pool, as on its own machine) calling the core exactly as the app does:

* a kiosk issues a ticket (``QueueEngine.issue`` with a request id, a service at random, one in
  ten with a priority group) every 12-28 s;
* a counter calls the next citizen (``QueueEngine.call_next``, which also finishes the one
  before) every 40-120 s;
* a display follows the centre's events through :class:`shared.feed.ChangeFeed` (the display's
  change-feed, without the Qt window: ``bench.display_latency`` measures the paint) and notes,
  for every call, the time from the event's moment (taken in the call's transaction) to the
  feed returning it.

That is the pace of a busy centre at 9:00 on a Monday (``speed`` 1: 6 calls and 6 tickets a
minute per centre). ``speed`` k divides every pause by k: the same centres k times busier, which
is how the sweep finds where the design bends. PCs are spread over ``--workers`` processes.

Baseline, in the same run and on the same server: a probe process (no product code) that every
50 ms runs the raw call statement of ``bench.call_next`` on a raw table (its latency is the
floor of a call under this load) and writes a row with its time and a notification (PostgreSQL:
``NOTIFY``, read by a ``LISTEN`` connection; SQLite: polled at the display's interval), whose
lag is the floor of the display's.

Reported per run: tickets and calls per second (and what was offered), issue and call p95 with
the raw call's p95 beside it, display lag p95 beside the raw feed's, CPU of the server (all
PostgreSQL processes) and of the simulated PCs, server connections, and the checks (no ticket
called twice, no error).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import resource
import sqlite3
import threading
import time
import traceback
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql as pgsql

from bench._common import (
    environment,
    latency_summary,
    markdown_table,
    print_environment,
    scratch_dir,
    write_results,
)
from bench.call_next import (
    DUPLICATE_CALLS_SQL,
    RAW_PG_CALL,
    RAW_SQLITE_CALL,
    pg_admin,
    pg_raw_db,
    sqlite_raw_db,
)
from shared.catalog import import_catalog, parse_catalog
from shared.db import Database
from shared.feed import ChangeFeed
from shared.queue import QueueEngine
from shared.settings import DatabaseSettings
from tests.helpers import stress
from tests.helpers.pgserver import PgServer

NAME = "scale"
KIOSKS = 2
DISPLAYS = 2
COUNTERS = tuple(stress.COUNTERS)
ISSUE_PAUSE = (12.0, 28.0)
CALL_PAUSE = (40.0, 120.0)
PREFILL = 40  # waiting tickets per centre before the run
PROBE_PAUSE = 0.05
FEED_POLL = 0.2  # the display's poll interval (FeedThread's default)
WARMUP = 3.0
MIN_SAMPLES = 20
RAW_ROWS = 5_000
TICK = 1.0 / os.sysconf("SC_CLK_TCK")


def centre_code(index: int) -> str:
    return f"C{index + 1:02d}"


def catalog_for(code: str) -> str:
    # ĐĐ numbers as D1001… without the 1999 end: 999 a day would run out in the fastest runs.
    text = stress.catalog_text().replace('code = "STRESS"', f'code = "{code}"', 1)
    return text.replace("start = 1001\nend = 1999\n", 'prefix = "D"\nstart = 1001\n')


def prepare(db: Database, centres: int) -> None:
    db.upgrade()
    for i in range(centres):
        code = centre_code(i)
        import_catalog(db, parse_catalog(catalog_for(code)))
        engine = QueueEngine(db, code)
        for n in range(PREFILL):
            engine.issue(stress.SERVICES[n % len(stress.SERVICES)])


# --- the simulated PCs (in the worker processes) ---------------------------------------------


def _paced(
    stop: threading.Event, pause: tuple[float, float], speed: float, rng: random.Random
) -> Iterator[None]:
    """Yield at the pace: a pause drawn at random each time, divided by ``speed``; a PC that
    falls behind goes on at once (no burst to catch up). The first pause is a random part of
    one, as if the PC had been at work for a while."""
    due = time.monotonic() + rng.random() * rng.uniform(*pause) / speed
    while True:
        wait = due - time.monotonic()
        if wait > 0 and stop.wait(wait):
            return
        if stop.is_set():
            return
        yield
        due = max(due, time.monotonic()) + rng.uniform(*pause) / speed


def kiosk_pc(
    url: str, code: str, speed: float, seed: int, gate: Gate, out: dict[str, list[Any]]
) -> None:
    rng = random.Random(seed)
    db = Database(url)
    engine = QueueEngine(db, code)
    samples: list[tuple[float, float]] = []

    def issue() -> float:
        service = rng.choice(stress.SERVICES)
        priority = "elderly" if rng.random() < 0.1 else None
        t0 = time.perf_counter()
        engine.issue(service, priority=priority, request_id=uuid.uuid4().hex)
        return time.perf_counter() - t0

    try:
        out["first_issue"].append(issue())  # the kiosk's first ticket of the day
        if not gate.opened():
            return
        for _ in _paced(gate.stop, ISSUE_PAUSE, speed, rng):
            try:
                took = issue()
            except Exception as exc:  # noqa: BLE001 - counted and reported
                out["errors"].append(f"issue: {type(exc).__name__}: {exc}")
                continue
            samples.append((time.time(), took))
    finally:
        db.dispose()
        out["issue"].extend(samples)


def counter_pc(
    url: str,
    code: str,
    counter: int,
    speed: float,
    seed: int,
    gate: Gate,
    out: dict[str, list[Any]],
) -> None:
    rng = random.Random(seed)
    db = Database(url)
    engine = QueueEngine(db, code)
    samples: list[tuple[float, float]] = []
    empty = 0
    try:
        t0 = time.perf_counter()
        engine.call_next(counter)  # the clerk's first call of the day
        out["first_call"].append(time.perf_counter() - t0)
        if not gate.opened():
            return
        for _ in _paced(gate.stop, CALL_PAUSE, speed, rng):
            t0 = time.perf_counter()
            try:
                called = engine.call_next(counter)
            except Exception as exc:  # noqa: BLE001 - counted and reported
                out["errors"].append(f"call: {type(exc).__name__}: {exc}")
                continue
            took = time.perf_counter() - t0
            samples.append((time.time(), took))
            if called is None:
                empty += 1
            else:
                out["returned"].append((called.id, time.time()))
    finally:
        db.dispose()
        out["call"].extend(samples)
        out["empty"].append(empty)


def display_pc(url: str, centre_id: int, gate: Gate, out: dict[str, list[Any]]) -> None:
    db = Database(url)
    seen: list[tuple[int, float]] = []
    feed = ChangeFeed(db, centre_id=centre_id, poll_interval=FEED_POLL)
    try:
        feed.wait(0)  # reached the database: following from now
        if not gate.opened():
            return
        while not gate.stop.is_set():
            for event in feed.wait(0.5):
                if event.kind == "ticket.called" and event.ticket_id is not None:
                    seen.append((event.ticket_id, time.time()))
    finally:
        feed.close()
        db.dispose()
        out["seen"].extend(seen)


class Gate:
    """The worker's PCs: each reports ready after its first operation, then waits to open."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.go = threading.Event()
        self.ready = threading.Semaphore(0)

    def opened(self) -> bool:
        self.ready.release()
        self.go.wait()
        return not self.stop.is_set()


def worker(
    index: int,
    url: str,
    pcs: list[tuple[str, str, int, int]],
    speed: float,
    go: Any,
    stop_at: Any,
    results: Any,
) -> None:
    """One process hosting simulated PCs (threads); reports samples and its own CPU."""
    try:
        out: dict[str, list[Any]] = {
            key: []
            for key in ("issue", "call", "returned", "seen", "empty", "errors")
            + ("first_issue", "first_call")
        }
        gate = Gate()
        threads = []
        for n, (kind, code, centre_id, counter) in enumerate(pcs):
            seed = index * 1000 + n
            if kind == "kiosk":
                target, args = kiosk_pc, (url, code, speed, seed, gate, out)
            elif kind == "counter":
                target, args = counter_pc, (url, code, counter, speed, seed, gate, out)
            else:
                target, args = display_pc, (url, centre_id, gate, out)
            threads.append(
                threading.Thread(target=_guarded(target, out, gate), args=args, daemon=True)
            )
        for t in threads:
            t.start()
        for _ in threads:
            if not gate.ready.acquire(timeout=300):
                raise RuntimeError("a simulated PC did not get ready in 5 minutes")
        if out["errors"]:
            raise RuntimeError(out["errors"][0])
        results.put(("ready", index, None))
        go.wait()
        gate.go.set()
        usage0 = resource.getrusage(resource.RUSAGE_SELF)
        wall0 = time.time()
        while time.time() < stop_at.value:
            time.sleep(0.05)
        usage1 = resource.getrusage(resource.RUSAGE_SELF)
        wall1 = time.time()
        gate.stop.set()
        for t in threads:
            t.join(timeout=30)
        out["cpu_s"] = [(usage1.ru_utime + usage1.ru_stime) - (usage0.ru_utime + usage0.ru_stime)]
        out["wall_s"] = [wall1 - wall0]
        out["maxrss_mib"] = [usage1.ru_maxrss / 1024]
        out["pcs"] = [len(pcs)]
        results.put(("done", index, out))
    except BaseException:  # noqa: BLE001 - reported to the parent
        results.put(("error", index, traceback.format_exc()))


def _guarded(target: Any, out: dict[str, list[Any]], gate: Gate) -> Any:
    def run(*args: Any) -> None:
        try:
            target(*args)
        except Exception:  # noqa: BLE001 - a PC that dies is an error of the run
            out["errors"].append(traceback.format_exc())
            gate.ready.release()  # (a second release after opened() is harmless)

    return run


# --- the baseline probe ----------------------------------------------------------------------


def probe(kind: str, target: str, go: Any, stop_at: Any, results: Any) -> None:
    """Raw call statement every 50 ms (its latency) and a raw feed (its lag), no product code."""
    try:
        calls: list[tuple[float, float]] = []
        sent: dict[int, float] = {}
        received: dict[int, float] = {}
        done = threading.Event()
        if kind == "postgresql":
            conn = psycopg.connect(target, autocommit=True)
            conn.execute("CREATE TABLE IF NOT EXISTS probe (id BIGSERIAL PRIMARY KEY, t FLOAT8)")
            listener = psycopg.connect(target, autocommit=True)
            listener.execute("LISTEN probe")

            def read() -> None:
                while not done.is_set():
                    for note in listener.notifies(timeout=0.5):
                        received[int(note.payload)] = time.time()

            def write(n: int) -> None:
                conn.execute("SELECT pg_notify('probe', %s)", (str(n),))

            def call() -> None:
                conn.execute(RAW_PG_CALL, (1,)).fetchone()
        else:
            conn = sqlite3.connect(target, isolation_level=None, timeout=30)
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, t REAL)")
            reader = sqlite3.connect(target, isolation_level=None, check_same_thread=False)

            def read() -> None:
                last = reader.execute("SELECT coalesce(max(id), 0) FROM probe").fetchone()[0]
                while not done.wait(FEED_POLL):
                    rows = reader.execute(
                        "SELECT id, t FROM probe WHERE id > ? ORDER BY id", (last,)
                    ).fetchall()
                    now = time.time()
                    for row_id, n in rows:
                        received[int(n)] = now
                        last = row_id

            def write(n: int) -> None:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("INSERT INTO probe (t) VALUES (?)", (n,))
                conn.execute("COMMIT")

            def call() -> None:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(RAW_SQLITE_CALL, (1,)).fetchone()
                conn.execute("COMMIT")

        reader_thread = threading.Thread(target=read, daemon=True)
        reader_thread.start()
        results.put(("ready", -1, None))
        go.wait()
        due = time.monotonic()
        while time.time() < stop_at.value:
            t0 = time.perf_counter()
            call()
            calls.append((time.time(), time.perf_counter() - t0))
            n = len(calls)
            write(n)
            sent[n] = time.time()
            due += PROBE_PAUSE
            time.sleep(max(0.0, due - time.monotonic()))
        time.sleep(FEED_POLL * 2)
        done.set()
        reader_thread.join(timeout=5)
        lags = [(sent[n], received[n] - sent[n]) for n in sent if n in received]
        results.put(("probe", -1, {"call": calls, "lag": lags, "lost": len(sent) - len(lags)}))
    except BaseException:  # noqa: BLE001 - reported to the parent
        results.put(("error", -1, traceback.format_exc()))


# --- the server's CPU ------------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, float, float] | None:
    """(ppid, own CPU s, reaped children's CPU s) of a process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ppid = int(fields[1])
    own = (int(fields[11]) + int(fields[12])) * TICK
    children = (int(fields[13]) + int(fields[14])) * TICK
    return ppid, own, children


def server_cpu(postmaster: int | None) -> float:
    """CPU seconds used so far by a PostgreSQL server: the postmaster, its live processes and
    those it has reaped."""
    if postmaster is None:
        return 0.0
    top = _stat(postmaster)
    if top is None:
        return 0.0
    total = top[1] + top[2]
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != postmaster:
            stat = _stat(int(entry))
            if stat is not None and stat[0] == postmaster:
                total += stat[1]
    return total


def server_connections(pg: PgServer | None, dbname: str) -> int | None:
    if pg is None:
        return None
    with psycopg.connect(pg.dsn, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (dbname,)
        ).fetchone()
    return int(row[0]) if row else None


# --- one run ---------------------------------------------------------------------------------


def centre_ids(url: str, codes: list[str]) -> dict[str, int]:
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT code, id FROM centres").all()
    finally:
        db.dispose()
    ids = {code: int(cid) for code, cid in rows}
    return {code: ids[code] for code in codes}


def plan_pcs(url: str, centres: int, workers: int) -> list[list[tuple[str, str, int, int]]]:
    """The simulated PCs, spread over the workers (a centre's PCs over several of them)."""
    codes = [centre_code(i) for i in range(centres)]
    ids = centre_ids(url, codes)
    pcs: list[tuple[str, str, int, int]] = []
    for code in codes:
        pcs += [("kiosk", code, ids[code], 0)] * KIOSKS
        pcs += [("counter", code, ids[code], c) for c in COUNTERS]
        pcs += [("display", code, ids[code], 0)] * DISPLAYS
    plan: list[list[tuple[str, str, int, int]]] = [[] for _ in range(workers)]
    for i, pc in enumerate(pcs):
        plan[i % workers].append(pc)
    return [p for p in plan if p]


def run_once(
    *,
    backend: str,
    url: str,
    raw_target: str,
    centres: int,
    speed: float,
    workers: int,
    seconds: float,
    pg: PgServer | None,
    dbname: str,
) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    results = ctx.Queue()
    go = ctx.Event()
    stop_at = ctx.Value("d", 0.0)
    plan = plan_pcs(url, centres, workers)
    procs = [
        ctx.Process(target=worker, args=(i, url, pcs, speed, go, stop_at, results))
        for i, pcs in enumerate(plan)
    ]
    procs.append(ctx.Process(target=probe, args=(backend, raw_target, go, stop_at, results)))
    out: dict[str, Any] = {"workers": [], "probe": None}
    try:
        for p in procs:
            p.start()
        ready = 0
        while ready < len(procs):
            kind, index, payload = results.get(timeout=300)
            if kind == "error":
                raise RuntimeError(f"process {index} failed:\n{payload}")
            ready += kind == "ready"
        postmaster = pg.pid if pg is not None else None
        start = time.time()
        stop_at.value = start + WARMUP + seconds
        cpu0 = server_cpu(postmaster)
        go.set()
        time.sleep(WARMUP + seconds / 2)
        connections = server_connections(pg, dbname)
        time.sleep(max(0.0, stop_at.value - time.time()))
        cpu1 = server_cpu(postmaster)
        finished = 0
        while finished < len(procs):
            kind, index, payload = results.get(timeout=300)
            if kind == "error":
                raise RuntimeError(f"process {index} failed:\n{payload}")
            if kind == "done":
                out["workers"].append(payload)
                finished += 1
            elif kind == "probe":
                out["probe"] = payload
                finished += 1
        for p in procs:
            p.join(timeout=30)
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
                p.join(timeout=10)
    window = (start + WARMUP, start + WARMUP + seconds)
    return summarise(out, window, seconds, cpu1 - cpu0, connections, url, centres, speed)


def _within(samples: list[tuple[float, float]], window: tuple[float, float]) -> list[float]:
    return [value for at, value in samples if window[0] <= at <= window[1]]


def summarise(
    out: dict[str, Any],
    window: tuple[float, float],
    seconds: float,
    server_cpu_s: float,
    connections: int | None,
    url: str,
    centres: int,
    speed: float,
) -> dict[str, Any]:
    merged: dict[str, list[Any]] = {}
    for w in out["workers"]:
        for key, values in w.items():
            merged.setdefault(key, []).extend(values)
    issues = _within(merged["issue"], window)
    calls = _within(merged["call"], window)
    # Display lag: the call returned to the counter (committed) → a display's feed returned it.
    returned = dict(merged["returned"])
    lag_samples = [(returned[t], seen - returned[t]) for t, seen in merged["seen"] if t in returned]
    lags = _within(lag_samples, window)
    expected = DISPLAYS * len(_within([(at, 0.0) for at in returned.values()], window))
    raw_calls = _within(out["probe"]["call"], window)
    raw_lags = _within(out["probe"]["lag"], window)
    pcs = sum(merged["pcs"])
    client_cpu = sum(merged["cpu_s"])
    offered_issue = centres * KIOSKS * speed / (sum(ISSUE_PAUSE) / 2)
    offered_call = centres * len(COUNTERS) * speed / (sum(CALL_PAUSE) / 2)
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            duplicates = int(conn.exec_driver_sql(DUPLICATE_CALLS_SQL).scalar_one())
    finally:
        db.dispose()
    result = {
        "centres": centres,
        "speed": speed,
        "pcs": pcs,
        "workers": len(out["workers"]),
        "seconds": seconds,
        "offered_tickets_per_s": offered_issue,
        "offered_calls_per_s": offered_call,
        "tickets_per_s": len(issues) / seconds,
        "calls_per_s": len(calls) / seconds,
        "issue": latency_summary(issues),
        "call": latency_summary(calls),
        "raw_call": latency_summary(raw_calls),
        "display_lag": latency_summary(lags),
        "raw_feed_lag": latency_summary(raw_lags),
        "display_sightings": len(lags),
        "display_sightings_expected": expected,
        "raw_feed_lost": out["probe"]["lost"],
        "first_issue": latency_summary(merged["first_issue"]),
        "first_call": latency_summary(merged["first_call"]),
        "empty_calls": sum(merged["empty"]),
        "errors": merged["errors"][:20],
        "error_count": len(merged["errors"]),
        "duplicate_calls": duplicates,
        "server_cpu_pct": 100 * server_cpu_s / seconds,
        "clients_cpu_pct": 100 * client_cpu / seconds,
        "cpu_pct_per_worker": [100 * c / seconds for c in merged["cpu_s"]],
        "cpu_ms_per_pc_per_s": 1000 * client_cpu / seconds / max(pcs, 1),
        "worker_maxrss_mib": merged["maxrss_mib"],
        "server_connections": connections,
    }
    call_p95, raw_p95 = result["call"]["p95_ms"], result["raw_call"]["p95_ms"]
    lag_p95, raw_lag_p95 = result["display_lag"]["p95_ms"], result["raw_feed_lag"]["p95_ms"]
    result["call_p95_ratio"] = call_p95 / raw_p95 if raw_p95 else float("nan")
    result["lag_p95_ratio"] = lag_p95 / raw_lag_p95 if raw_lag_p95 else float("nan")
    return result


def bends(run: dict[str, Any], first: dict[str, Any]) -> list[str]:
    """Why a run counts as past the bend: throughput short of what was offered, or the call
    (or display) p95 more than twice that of the same centres at the realistic pace."""
    why = []
    enough = 5 * MIN_SAMPLES / run["seconds"]  # a rate measured on fewer says nothing
    if run["offered_calls_per_s"] >= enough:
        if run["calls_per_s"] < 0.9 * run["offered_calls_per_s"]:
            why.append("calls short of offered")
    if run["offered_tickets_per_s"] >= enough:
        if run["tickets_per_s"] < 0.9 * run["offered_tickets_per_s"]:
            why.append("tickets short of offered")
    for key, label in (("call", "call"), ("display_lag", "display lag")):
        if run[key]["n"] >= MIN_SAMPLES and first[key]["n"] >= MIN_SAMPLES:
            if run[key]["p95_ms"] > 2 * first[key]["p95_ms"]:
                why.append(f"{label} p95 > 2× realistic")
    if run["error_count"] or run["duplicate_calls"]:
        why.append("errors or duplicates")
    return why


def row(backend: str, r: dict[str, Any]) -> list[Any]:
    conns = r["server_connections"]
    return [
        backend,
        r["centres"],
        f"×{r['speed']:g}",
        r["pcs"],
        "—" if conns is None else conns,
        f"{r['tickets_per_s']:.1f} / {r['offered_tickets_per_s']:.1f}",
        f"{r['calls_per_s']:.1f} / {r['offered_calls_per_s']:.1f}",
        f"{r['issue']['p95_ms']:.1f} (n {r['issue']['n']})",
        f"{r['call']['p95_ms']:.1f} / {r['raw_call']['p95_ms']:.1f} = {r['call_p95_ratio']:.2f}"
        f" (n {r['call']['n']})",
        f"{r['display_lag']['p95_ms']:.0f} / {r['raw_feed_lag']['p95_ms']:.0f}"
        f" = {r['lag_p95_ratio']:.2f} (n {r['display_lag']['n']})",
        "—" if backend == "sqlite" else f"{r['server_cpu_pct']:.0f}",
        f"{r['clients_cpu_pct']:.0f} ({r['cpu_ms_per_pc_per_s']:.2f} ms/s per PC)",
        f"{r['duplicate_calls']} / {r['error_count']}",
    ]


HEADERS = [
    "backend",
    "centres",
    "pace",
    "PCs",
    "server conns",
    "tickets/s (offered)",
    "calls/s (offered)",
    "issue p95 ms",
    "call p95 ms / raw = ratio",
    "display lag p95 ms / raw feed = ratio",
    "server CPU %",
    "PCs' CPU % (per PC)",
    "dup / errors",
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scale")
    parser.add_argument("--seconds", type=float, default=30.0, help="measured seconds per run")
    parser.add_argument("--workers", type=int, default=4, help="processes hosting the PCs")
    parser.add_argument("--centres", default="1,10,40", help="PostgreSQL: centres per run")
    parser.add_argument(
        "--bend", default="5,10,20,40", help="PostgreSQL: faster paces for the most centres"
    )
    parser.add_argument("--sqlite", default="1,30,100,300", help="SQLite, one centre: paces")
    parser.add_argument("--backends", default="postgresql,sqlite")
    args = parser.parse_args(argv)
    centre_counts = [int(x) for x in args.centres.split(",") if x]
    bend_speeds = [float(x) for x in args.bend.split(",") if x]
    sqlite_speeds = [float(x) for x in args.sqlite.split(",") if x]
    backends = [b.strip() for b in args.backends.split(",")]

    scratch = scratch_dir("motcua-bench-scale-")
    pg: PgServer | None = None
    results: dict[str, Any] = {
        "benchmark": NAME,
        "pace": {
            "kiosks_per_centre": KIOSKS,
            "counters_per_centre": len(COUNTERS),
            "displays_per_centre": DISPLAYS,
            "issue_pause_s": ISSUE_PAUSE,
            "call_pause_s": CALL_PAUSE,
            "prefill_per_centre": PREFILL,
            "feed_poll_s": FEED_POLL,
            "probe_pause_s": PROBE_PAUSE,
        },
        "seconds": args.seconds,
        "runs": [],
    }
    table: list[list[Any]] = []
    t_begin = time.perf_counter()
    try:
        pg_version = None
        most = max(centre_counts) if centre_counts else 0
        if "postgresql" in backends and centre_counts:
            pg = PgServer(max_connections=max(200, most * 20 + 50)).start()
            with psycopg.connect(pg.dsn) as conn:
                pg_version = conn.execute("SHOW server_version").fetchone()[0]
        env = environment(scratch, pg_version)
        results["environment"] = env
        print(f"# {NAME}: simulated centres on one database")
        print_environment(env)

        if pg is not None:
            t0 = time.perf_counter()
            template_url = pg.create_database("scale_template")
            template = Database(template_url)
            prepare(template, most)
            template.dispose()
            print(
                f"  postgresql: {most} centres prepared ({PREFILL} waiting each) in "
                f"{time.perf_counter() - t0:.1f} s",
                flush=True,
            )
            plan = [(n, 1.0) for n in centre_counts] + [(most, s) for s in bend_speeds]
            first: dict[int, dict[str, Any]] = {}
            for n, speed in plan:
                label = f"c{n}_x{speed:g}".replace(".", "_")
                name = f"scale_{label}"
                pg_admin(
                    pg,
                    pgsql.SQL("CREATE DATABASE {} TEMPLATE scale_template").format(
                        pgsql.Identifier(name)
                    ),
                )
                raw = pg_raw_db(pg, label, RAW_ROWS)
                r = run_once(
                    backend="postgresql",
                    url=pg.url_for(name),
                    raw_target=raw,
                    centres=n,
                    speed=speed,
                    workers=args.workers,
                    seconds=args.seconds,
                    pg=pg,
                    dbname=name,
                )
                r["backend"] = "postgresql"
                if speed == 1.0:
                    first[n] = r
                r["bends"] = bends(r, first.get(n, r))
                results["runs"].append(r)
                table.append(row("postgresql", r))
                print("  " + " | ".join(str(c) for c in table[-1]), flush=True)
                pg_admin(pg, pgsql.SQL("DROP DATABASE {}").format(pgsql.Identifier(name)))

        if "sqlite" in backends and sqlite_speeds:
            template_path = scratch / "scale-template.sqlite3"
            tdb = Database(
                f"sqlite:///{template_path.as_posix()}",
                DatabaseSettings(sqlite_synchronous="NORMAL"),
            )
            prepare(tdb, 1)
            tdb.dispose()
            with sqlite3.connect(template_path, isolation_level=None) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            first_sqlite: dict[str, Any] | None = None
            for speed in sqlite_speeds:
                label = f"x{speed:g}".replace(".", "_")
                path = scratch / f"scale-{label}.sqlite3"
                path.write_bytes(template_path.read_bytes())
                raw = sqlite_raw_db(scratch, f"scale-{label}", RAW_ROWS)
                r = run_once(
                    backend="sqlite",
                    url=f"sqlite:///{path.as_posix()}",
                    raw_target=raw,
                    centres=1,
                    speed=speed,
                    workers=args.workers,
                    seconds=args.seconds,
                    pg=None,
                    dbname="",
                )
                r["backend"] = "sqlite"
                first_sqlite = first_sqlite or r
                r["bends"] = bends(r, first_sqlite)
                results["runs"].append(r)
                table.append(row("sqlite", r))
                print("  " + " | ".join(str(c) for c in table[-1]), flush=True)

        print()
        print(f"## scale: {args.seconds:g} s per run, {args.workers} processes hosting the PCs")
        print()
        print(markdown_table(HEADERS, table))
        print()
        for r in results["runs"]:
            if r["bends"]:
                print(
                    f"  {r['backend']} {r['centres']} centres ×{r['speed']:g}: past the bend "
                    f"({', '.join(r['bends'])})"
                )
            for error in r["errors"][:3]:
                print(f"  error ({r['backend']} ×{r['speed']:g}): {error.strip()[:300]}")
        results["elapsed_s"] = time.perf_counter() - t_begin
        path = write_results(NAME, results)
        print(f"\nresults: {path} ({results['elapsed_s']:.0f} s)")
    finally:
        if pg is not None:
            pg.stop()
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
