"""Propagation latency: a ticket called in one process, painted by the display in others.

Run from the repository root: ``.venv/bin/python -m bench.display_latency``.

For each backend (SQLite, PostgreSQL) and each number of displays (1, 5), on a fresh copy of a
database holding the STRESS catalogue (``tests/helpers/stress.py``) and some waiting tickets:

* **displays**: N processes (multiprocessing, spawn, ``QT_QPA_PLATFORM=offscreen``), each
  running the real ``display.app.run(ctx)`` (voice off, window 1920×1080 through run()'s own
  ``--size`` path), with probes attached once its event loop runs: ``CallPanel.number_painted``
  (the call panel has just painted the number: the measured end point), the window's
  ``calls_shown`` (the board has applied the call in the UI thread) and, with a direct
  connection, the feed worker's ``events_arrived`` (the feed thread has read the call);
* **feed-only baseline** (the floor of the change-feed itself), in the same run on the same
  database: one plain process (no Qt) looping on ``ChangeFeed.wait`` with the display's poll
  interval and wait slice (``FeedThread``/``FeedWorker`` defaults, as run() builds them);
* **caller**: one process making ``QueueEngine.call_next`` calls on counters 1..8 in turn, one
  every 150–250 ms (uniformly jittered), issuing one ticket at a random moment between two
  calls (as a kiosk would), and recording ``time.time()`` as soon as ``call_next`` returns.

Latency = the first ``time.time()`` at which an observer saw the number − the moment the call
was committed: ``time.time()`` in a SQLAlchemy ``Session`` ``after_commit`` hook in the caller,
i.e. as soon as the DBAPI COMMIT has returned (the time right after ``call_next`` returned, a
fraction of a millisecond later, is kept in the JSON too). All processes run on one machine, so
they share the clock. The first calls of each run are a warm-up and not counted.
"""

from __future__ import annotations

import argparse
import inspect
import os
import queue as queue_mod
import random
import shutil
import sqlite3
import threading
import time
import traceback
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psycopg

from bench._common import (
    environment,
    latency_summary,
    markdown_table,
    print_environment,
    scratch_dir,
    write_results,
)
from bench.call_next import pg_product_db, sqlite_product_db
from shared.catalog import import_catalog, parse_catalog
from shared.db import Database
from shared.feed import ChangeFeed
from shared.queue import QueueEngine
from shared.settings import DatabaseSettings
from tests.helpers import stress
from tests.helpers.pgserver import PgServer

NAME = "display_latency"
CENTRE = "STRESS"
WINDOW_SIZE = "1920x1080"
PREFILL_PER_SERVICE = 40
WARMUP_CALLS = 3
PACE = (0.15, 0.25)  # seconds between calls, uniform
DRAIN_S = 2.5  # after the last call, before the observers are stopped
READY_TIMEOUT = 120.0
RESULT_TIMEOUT = 60.0
AIMS_P95_MS = {"sqlite": 300.0, "postgresql": 100.0}
CALLED = "ticket.called"


def _called_numbers(events: list[Any]) -> list[str]:
    return [
        str(e.data["number"])
        for e in events
        if e.kind == CALLED and (e.data or {}).get("number") is not None
    ]


# --- observer processes ------------------------------------------------------------------------


def display_worker(url: str, index: int, ready: Any, stop: Any, out: Any) -> None:
    """One waiting-room screen: ``display.app.run`` as the command runs it, with probes."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    announced = [False]
    try:
        from PySide6.QtCore import QObject, Qt, QTimer, Signal
        from PySide6.QtWidgets import QApplication

        from display.app import DisplayWindow, run
        from shared.qt.feed import FeedThread
        from shared.settings import Settings, VoiceSettings

        app = QApplication.instance() or QApplication(["motcua-display"])
        fed: dict[str, float] = {}  # feed thread read the call
        shown: dict[str, float] = {}  # UI thread applied it to the board
        painted: dict[str, float] = {}  # call panel painted it
        batches: list[int] = []  # calls per batch applied in the UI thread
        paints = [0]
        probe: dict[str, Any] = {}

        def on_fed(events: list[Any]) -> None:  # feed thread (direct connection)
            now = time.time()
            for number in _called_numbers(events):
                fed.setdefault(number, now)

        def on_shown(calls: list[Any]) -> None:
            now = time.time()
            batches.append(len(calls))
            for call in calls:
                shown.setdefault(call.number, now)

        def on_painted(number: str) -> None:
            now = time.time()
            paints[0] += 1
            if number:
                painted.setdefault(number, now)

        class Quitter(QObject):
            quit_requested = Signal()

        quitter = Quitter()
        quitter.quit_requested.connect(app.quit)  # emitted from another thread: queued

        def wait_for_stop() -> None:
            stop.wait()
            quitter.quit_requested.emit()

        def check_ready() -> None:
            feed = probe["feed"]
            if feed.connected and paints[0] > 0:
                probe["timer"].stop()
                announced[0] = True
                ready.put(("ready", index))

        def attach() -> None:
            windows = [w for w in app.topLevelWidgets() if isinstance(w, DisplayWindow)]
            window = windows[0]
            feed = window.findChild(FeedThread)
            window.call_panel.number_painted.connect(on_painted)
            window.calls_shown.connect(on_shown)
            feed.worker.events_arrived.connect(on_fed, Qt.ConnectionType.DirectConnection)
            probe.update(window=window, feed=feed)
            timer = QTimer()
            timer.setInterval(20)
            timer.timeout.connect(check_ready)
            probe["timer"] = timer
            timer.start()
            window.call_panel.update()  # one paint after the probe is attached
            threading.Thread(target=wait_for_stop, daemon=True).start()

        def attach_or_quit() -> None:
            try:
                attach()
            except BaseException:
                probe["error"] = traceback.format_exc()
                app.exit(1)

        QTimer.singleShot(0, attach_or_quit)
        db = Database(url)
        ctx = SimpleNamespace(
            args=argparse.Namespace(smoke=False, screenshot=None, size=WINDOW_SIZE, windowed=False),
            settings=Settings(voice=VoiceSettings(enabled=False)),
            db=db,
            centre=CENTRE,
        )
        code = run(ctx)
        if "error" in probe:
            raise RuntimeError(f"attaching the probes failed:\n{probe['error']}")
        window = probe.get("window")
        size = (window.width(), window.height()) if window is not None else None
        db.dispose()
        out.put(
            {
                "ok": True,
                "role": f"display {index}",
                "exit": code,
                "fed": fed,
                "shown": shown,
                "painted": painted,
                "batches": batches,
                "paints": paints[0],
                "window": size,
                "poll_interval": probe["feed"].worker._poll_interval if probe else None,
            }
        )
    except BaseException:
        if not announced[0]:
            ready.put(("error", index))
        out.put({"ok": False, "role": f"display {index}", "error": traceback.format_exc()})


def feed_worker(url: str, poll_interval: float, ready: Any, stop: Any, out: Any) -> None:
    """The baseline: a bare ChangeFeed loop, no Qt, as FeedWorker.run waits on it."""
    try:
        db = Database(url)
        feed = ChangeFeed(db, poll_interval=poll_interval)
        slice_ = min(poll_interval, 0.25)  # FeedWorker.run's wait slice
        if not feed.connected:
            raise RuntimeError(f"feed not connected: {feed.last_error}")
        ready.put(("ready", -1))
        seen: dict[str, float] = {}
        while not stop.is_set():
            events = feed.wait(slice_)
            if events:
                now = time.time()
                for number in _called_numbers(events):
                    seen.setdefault(number, now)
        feed.close()
        db.dispose()
        out.put({"ok": True, "role": "feed", "fed": seen})
    except BaseException:
        ready.put(("error", -1))
        out.put({"ok": False, "role": "feed", "error": traceback.format_exc()})


def _sleep_until(moment: float) -> None:
    pause = moment - time.monotonic()
    if pause > 0:
        time.sleep(pause)


def caller_worker(url: str, calls: int, seed: int, ready: Any, go: Any, out: Any) -> None:
    """Calls ``calls`` tickets at a jittered pace, issuing one ticket between two calls."""
    try:
        from sqlalchemy import event
        from sqlalchemy.orm import Session

        committed_at = [0.0]

        @event.listens_for(Session, "after_commit")
        def _stamp(session: Session) -> None:  # right after the DBAPI COMMIT returned
            committed_at[0] = time.time()

        db = Database(url)
        engine = QueueEngine(db, CENTRE)
        engine.status()  # warm-up: schema check, centre lookup, a pooled connection
        rng = random.Random(seed)
        records: list[dict[str, Any]] = []
        empty = 0
        ready.put(("ready", -2))
        go.wait()
        next_call = time.monotonic()
        for i in range(calls):
            counter = 1 + i % len(stress.COUNTERS)
            committed_at[0] = 0.0
            t0 = time.perf_counter()
            ticket = engine.call_next(counter)
            returned = time.time()
            call_ms = (time.perf_counter() - t0) * 1000
            if ticket is None:
                empty += 1
            else:
                records.append(
                    {
                        "number": ticket.number,
                        "counter": counter,
                        "t": committed_at[0] or returned,
                        "t_returned": returned,
                        "ms": call_ms,
                    }
                )
            gap = rng.uniform(*PACE)
            _sleep_until(next_call + rng.uniform(0.2, 0.8) * gap)
            engine.issue(stress.SERVICES[i % len(stress.SERVICES)])
            next_call += gap
            _sleep_until(next_call)
        db.dispose()
        out.put({"ok": True, "role": "caller", "calls": records, "empty": empty})
    except BaseException:
        ready.put(("error", -2))
        out.put({"ok": False, "role": "caller", "error": traceback.format_exc()})


# --- one run -----------------------------------------------------------------------------------


def _get(q: Any, timeout: float, processes: list[Any]) -> Any:
    """The next message of ``q``; fails early when one of ``processes`` died without one."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return q.get(timeout=min(1.0, max(0.01, deadline - time.monotonic())))
        except queue_mod.Empty:
            dead = [p for p in processes if p.exitcode not in (None, 0)]
            if dead:
                raise RuntimeError(f"{dead[0].name} died (exit code {dead[0].exitcode})") from None
            if time.monotonic() >= deadline:
                raise


def run_config(url: str, displays: int, calls: int, seed: int, poll: float) -> dict[str, Any]:
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    ready, out, go, stop = ctx.Queue(), ctx.Queue(), ctx.Event(), ctx.Event()
    observers = [
        ctx.Process(
            target=display_worker,
            args=(url, i, ready, stop, out),
            name=f"bench-display-{i}",
            daemon=True,
        )
        for i in range(displays)
    ]
    observers.append(
        ctx.Process(
            target=feed_worker, args=(url, poll, ready, stop, out), name="bench-feed", daemon=True
        )
    )
    caller = ctx.Process(
        target=caller_worker,
        args=(url, calls + WARMUP_CALLS, seed, ready, go, out),
        name="bench-caller",
        daemon=True,
    )
    everyone = [*observers, caller]
    results: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    try:
        for p in everyone:
            p.start()
        for _ in everyone:
            state, _who = _get(ready, READY_TIMEOUT, everyone)
            if state != "ready":
                failure = _get(out, RESULT_TIMEOUT, everyone)
                raise RuntimeError(f"{failure['role']} failed:\n{failure.get('error')}")
        startup = time.perf_counter() - t0
        go.set()
        caller_result = _get(out, RESULT_TIMEOUT + calls * PACE[1], everyone)
        results.append(caller_result)
        if caller_result.get("ok"):
            time.sleep(DRAIN_S)
        stop.set()
        while len(results) < len(everyone):
            results.append(_get(out, RESULT_TIMEOUT, everyone))
        for p in everyone:
            p.join(timeout=RESULT_TIMEOUT)
    except queue_mod.Empty:
        raise RuntimeError(
            f"processes did not answer in time ({len(results)} of {len(everyone)} reported)"
        ) from None
    finally:
        stop.set()
        go.set()
        for p in everyone:
            if p.is_alive():
                p.terminate()
                p.join(5)
            if p.is_alive():
                p.kill()
                p.join(5)
    failed = [r for r in results if not r.get("ok")]
    if failed:
        raise RuntimeError(f"{failed[0]['role']} failed:\n{failed[0]['error']}")
    by_role = {r["role"]: r for r in results}
    return {"startup_s": startup, **by_role}


def latencies(commits: dict[str, float], seen: dict[str, float]) -> list[float]:
    return [seen[n] - t for n, t in commits.items() if n in seen]


def summarise(raw: dict[str, Any], displays: int) -> dict[str, Any]:
    caller = raw["caller"]
    measured = caller["calls"][WARMUP_CALLS:]
    commits = {c["number"]: c["t"] for c in measured}
    feed_lat = latencies(commits, raw["feed"]["fed"])
    paint_lat: list[float] = []
    fed_lat: list[float] = []
    hop_lat: list[float] = []  # feed thread → board applied in the UI thread
    draw_lat: list[float] = []  # board applied → call panel painted
    superseded = 0  # applied in a batch with a later call: never the large number
    missing = 0
    per_display = []
    batch_sizes: list[int] = []
    for i in range(displays):
        d = raw[f"display {i}"]
        paint_lat += latencies(commits, d["painted"])
        fed_lat += latencies(commits, d["fed"])
        for n in commits:
            if n in d["fed"] and n in d["shown"]:
                hop_lat.append(d["shown"][n] - d["fed"][n])
            if n in d["shown"] and n in d["painted"]:
                draw_lat.append(d["painted"][n] - d["shown"][n])
            if n not in d["painted"]:
                if n in d["shown"]:
                    superseded += 1
                else:
                    missing += 1
        batch_sizes += d["batches"]
        per_display.append(
            {
                "painted": latency_summary(latencies(commits, d["painted"])),
                "window": d["window"],
                "paints": d["paints"],
                "poll_interval": d["poll_interval"],
            }
        )
    call_ms = sorted(c["ms"] for c in measured)
    returns = {c["number"]: c["t_returned"] for c in measured}
    paint_from_return = [
        x for i in range(displays) for x in latencies(returns, raw[f"display {i}"]["painted"])
    ]
    return {
        "backend": None,
        "displays": displays,
        "expected_calls": len(commits),
        "empty_calls": caller["empty"],
        "startup_s": raw["startup_s"],
        "call_next_ms": latency_summary([x / 1000 for x in call_ms]),
        "return_after_commit_ms": latency_summary([c["t_returned"] - c["t"] for c in measured]),
        "display_paint_from_return": latency_summary(paint_from_return),
        "feed_only": latency_summary(feed_lat),
        "feed_only_seen": len(feed_lat),
        "display_paint": latency_summary(paint_lat),
        "display_paint_seen": len(paint_lat),
        "display_paint_expected": len(commits) * displays,
        "superseded": superseded,
        "missing": missing,
        "stages": {
            "commit_to_feed_thread": latency_summary(fed_lat),
            "feed_thread_to_board": latency_summary(hop_lat),
            "board_to_painted": latency_summary(draw_lat),
        },
        "calls_per_batch_max": max(batch_sizes, default=0),
        "per_display": per_display,
        "raw_ms": {
            "feed_only": [round(x * 1000, 2) for x in feed_lat],
            "display_paint": [round(x * 1000, 2) for x in paint_lat],
        },
    }


# --- databases ---------------------------------------------------------------------------------


def prefill(db: Database) -> None:
    import_catalog(db, parse_catalog(stress.catalog_text()))
    engine = QueueEngine(db, CENTRE)
    for _ in range(PREFILL_PER_SERVICE):
        for service in stress.SERVICES:
            engine.issue(service)


def sqlite_template(scratch: Path) -> str:
    path = scratch / "template.sqlite3"
    db = Database(f"sqlite:///{path.as_posix()}", DatabaseSettings(sqlite_synchronous="NORMAL"))
    db.upgrade()
    prefill(db)
    db.dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return str(path)


def pg_template(pg: PgServer) -> str:
    name = "display_template"
    db = Database(pg.create_database(name))
    db.upgrade()
    prefill(db)
    db.dispose()
    return name


# --- main --------------------------------------------------------------------------------------


def fmt_lat(s: dict[str, Any]) -> str:
    if not s["n"]:
        return "—"
    return f"{s['p50_ms']:.1f} / {s['p95_ms']:.1f} / {s['p99_ms']:.1f}"


def fmt_p(s: dict[str, Any]) -> str:
    if not s["n"]:
        return "—"
    return f"{s['p50_ms']:.1f} / {s['p95_ms']:.1f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.display_latency")
    parser.add_argument("--calls", type=int, default=60, help="measured calls per run")
    parser.add_argument("--displays", default="1,5", help="comma-separated display counts")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args(argv)
    display_counts = [int(x) for x in args.displays.split(",")]
    backends = [b.strip() for b in args.backends.split(",")]
    assert args.calls + WARMUP_CALLS <= PREFILL_PER_SERVICE * len(stress.SERVICES)

    # The display's own poll interval: run() → start_feed → FeedThread's default.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from shared.qt.feed import FeedThread

    poll = inspect.signature(FeedThread.__init__).parameters["poll_interval"].default

    t_begin = time.perf_counter()
    scratch = scratch_dir("motcua-bench-display-")
    pg: PgServer | None = None
    results: dict[str, Any] = {
        "benchmark": NAME,
        "calls_per_run": args.calls,
        "warmup_calls": WARMUP_CALLS,
        "pace_s": PACE,
        "poll_interval_s": poll,
        "window": WINDOW_SIZE,
        "aims_p95_ms": AIMS_P95_MS,
        "runs": [],
    }
    table: list[list[Any]] = []
    stages: list[list[Any]] = []
    try:
        pg_version = None
        if "postgresql" in backends:
            pg = PgServer().start()
            with psycopg.connect(pg.dsn) as conn:
                pg_version = conn.execute("SHOW server_version").fetchone()[0]
        env = environment(scratch, pg_version)
        env["loadavg_at_start"] = os.getloadavg()
        results["environment"] = env
        print(f"# {NAME}: call committed → display painted, displays {display_counts}")
        print_environment(env)
        print(
            f"load average at start: {' '.join(f'{x:.2f}' for x in env['loadavg_at_start'])}; "
            f"feed poll interval {poll} s (FeedThread default, as display.app.run uses it)\n",
            flush=True,
        )

        for backend in backends:
            if backend == "sqlite":
                template = sqlite_template(scratch)
            elif backend == "postgresql":
                assert pg is not None
                template = pg_template(pg)
            else:
                raise ValueError(f"unknown backend {backend!r}")
            for displays in display_counts:
                label = f"d{displays}"
                if backend == "sqlite":
                    url = sqlite_product_db(Path(template), scratch, label)
                else:
                    assert pg is not None
                    url = pg_product_db(pg, template, label)
                raw = run_config(url, displays, args.calls, args.seed + displays, poll)
                run = summarise(raw, displays)
                used = {d["poll_interval"] for d in run["per_display"]}
                if used != {poll}:
                    raise RuntimeError(f"displays polled every {used} s, expected {poll} s")
                run["backend"] = backend
                results["runs"].append(run)
                feed, paint = run["feed_only"], run["display_paint"]
                seen = (
                    f"{run['display_paint_seen']}/{run['display_paint_expected']} "
                    f"(feed {run['feed_only_seen']}/{run['expected_calls']})"
                )
                table.append([backend, displays, fmt_lat(feed), fmt_lat(paint), seen])
                st = run["stages"]
                stages.append(
                    [
                        backend,
                        displays,
                        fmt_p(run["call_next_ms"]),
                        fmt_p(st["commit_to_feed_thread"]),
                        fmt_p(st["feed_thread_to_board"]),
                        fmt_p(st["board_to_painted"]),
                        f"{run['superseded']} / {run['missing']}",
                    ]
                )
                print(
                    f"  {backend} × {displays} display(s): feed-only p95 {feed['p95_ms']:.0f} ms, "
                    f"display p95 {paint['p95_ms']:.0f} ms; seen {seen}; "
                    f"start-up {run['startup_s']:.1f} s",
                    flush=True,
                )
    finally:
        if pg is not None:
            pg.stop()
        shutil.rmtree(scratch, ignore_errors=True)

    print()
    print("## display_latency: call committed → number on screen (ms)")
    print()
    print(
        markdown_table(
            [
                "backend",
                "displays",
                "feed-only p50/p95/p99 ms",
                "display paint p50/p95/p99 ms",
                "calls seen / expected",
            ],
            table,
        )
    )
    print()
    print("## where the time goes (p50 / p95 ms, all displays pooled)")
    print()
    print(
        markdown_table(
            [
                "backend",
                "displays",
                "call_next itself",
                "commit → feed thread read it",
                "feed thread → board (UI thread)",
                "board → call panel painted",
                "not painted large: superseded / missing",
            ],
            stages,
        )
    )
    print()
    verdicts = []
    for run in results["runs"]:
        aim = AIMS_P95_MS[run["backend"]]
        p95 = run["display_paint"]["p95_ms"]
        ok = p95 <= aim
        run["aim_met"] = ok
        verdicts.append(
            f"{run['backend']} × {run['displays']}: p95 {p95:.0f} ms "
            f"{'≤' if ok else '>'} {aim:.0f} ms: {'met' if ok else 'NOT met'}"
        )
    print("Aims (display paint p95): " + "; ".join(verdicts))
    results["loadavg_at_end"] = os.getloadavg()
    results["total_s"] = time.perf_counter() - t_begin
    path = write_results(NAME, results)
    print(f"\nresults: {path}")
    load = " ".join(f"{x:.2f}" for x in results["loadavg_at_end"])
    print(f"total {results['total_s']:.0f} s; load average at end: {load}")


if __name__ == "__main__":
    main()
