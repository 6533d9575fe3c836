"""``motcua demo``: a simulated working day, headless, or the whole centre as windows."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from cli.core import Context, Registrar
from shared.errors import MotcuaError
from shared.i18n import tr
from shared.settings import data_dir

log = logging.getLogger("motcua.cli")


def register(r: Registrar) -> None:
    """Add ``motcua demo``."""
    commands = r.commands
    leaf = r.leaf
    p = leaf(
        commands,
        "demo",
        cmd_demo,
        "simulate a working day on a fresh SQLite database and print a summary",
    )
    p.add_argument(
        "--headless",
        action="store_true",
        help="no windows: simulate a whole day and print a summary (without it: the kiosk, the "
        "waiting-room screen and two counters open on a fresh demo database)",
    )
    p.add_argument(
        "--visitors",
        type=int,
        default=300,
        metavar="N",
        help="citizens in the simulated day (headless), or already waiting (at most 40) when "
        "the windows open",
    )
    p.add_argument(
        "--arrivals",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="windowed demo: a simulated citizen takes a number every SECONDS on average "
        "(0: nobody else comes)",
    )
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.add_argument("--catalog", type=Path, metavar="FILE", help="catalogue (default: the sample)")


def cmd_demo(ctx: Context) -> int:
    from shared.db import normalise_url
    from shared.demo import run_demo

    a = ctx.args
    if a.visitors < 1 or a.visitors > 20000:
        raise MotcuaError("error.config", file="--visitors", detail="1–20000")
    if a.db:
        url = normalise_url(a.db)
        if url.get_backend_name() != "sqlite" or not url.database:
            raise MotcuaError(
                "error.config",
                file="--db",
                detail="demo cần một tệp SQLite / the demo needs an SQLite file",
            )
        path = Path(url.database)
    else:
        path = data_dir() / "demo.sqlite3"
    if not a.headless:
        return _windowed_demo(ctx, path)
    result = run_demo(
        path, visitors=a.visitors, seed=a.seed, catalog=a.catalog, settings=ctx.settings.database
    )
    data = {
        "database": result.database,
        "counters": result.counters,
        "summary": result.summary.to_json(),
    }
    return ctx.emit(data, lambda: _demo_text(result))


DEMO_LAYOUT = (
    ("display", "2x2:0"),
    ("kiosk", "2x2:1"),
    ("counter", "2x2:2"),
    ("counter", "2x2:3"),
)
"""The one-PC demo: the waiting-room screen and the kiosk above, two counters below."""


def _app_command(app: str) -> list[str]:
    """How to start one app from here: ``python -m launcher APP`` from source or a wheel; the
    bundle's own windowed program (``motcua-kiosk`` …, no console window on Windows) from the
    bundle."""
    if getattr(sys, "frozen", False):
        program = Path(sys.executable)
        return [str(program.with_name(f"motcua-{app}{program.suffix}"))]
    return [sys.executable, "-m", "launcher", app]


def _demo_config(ctx: Context, path: Path, url: str) -> Path:
    """The settings the demo's apps read: the user's own file when given (``--config``);
    otherwise a small file beside the demo database that keeps the kiosk taking numbers at any
    hour (a demo at night would otherwise show every service closed)."""
    if ctx.args.config:
        return Path(ctx.args.config)
    import json

    config = path.with_suffix(".toml")
    config.write_text(
        "# Written by `motcua demo` for its own apps; safe to delete.\n"
        f"[database]\nurl = {json.dumps(url)}\n\n"
        "[kiosk]\nfollow_opening_hours = false\n",
        encoding="utf-8",
    )
    return config


def _windowed_demo(ctx: Context, path: Path) -> int:
    """The kiosk, the waiting-room screen and two counters, each its own program, tiled on one
    screen, on a fresh demo database with citizens already waiting and (``--arrivals``) more
    arriving. Closing a window, Ctrl+C or SIGTERM ends them all."""
    import random
    import signal
    import subprocess
    import time

    from shared.demo import prepare_live_demo

    a = ctx.args
    demo = prepare_live_demo(
        path,
        waiting=min(a.visitors, 40),
        seed=a.seed,
        catalog=a.catalog,
        settings=ctx.settings.database,
    )
    print(
        tr(
            "demo.windowed",
            database=demo.database,
            clerks=", ".join(demo.clerks),
            password=demo.password,
        ),
        flush=True,
    )
    config = _demo_config(ctx, path, demo.url)
    common = ["--db", demo.url, "--config", str(config)]
    apps = [[*_app_command(app), *common, "--tile", tile] for app, tile in DEMO_LAYOUT]

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    processes = [subprocess.Popen(command) for command in apps]
    rng = random.Random(a.seed)
    arrivals = _Arrivals(ctx, demo.url, a.arrivals, rng) if a.arrivals > 0 else None
    try:
        while True:
            codes = [p.poll() for p in processes]
            if any(code is not None for code in codes):
                # One window closed: the demo ends (the others follow in ``finally``).
                return max(code or 0 for code in codes)
            if arrivals is not None:
                arrivals.tick()
            time.sleep(0.2)
    except KeyboardInterrupt:
        return 130
    finally:
        if arrivals is not None:
            arrivals.close()
        for p in processes:
            if p.poll() is None:
                p.terminate()
        for p in processes:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()


class _Arrivals:
    """Simulated citizens taking numbers during the windowed demo, one every ``mean`` seconds
    on average (exponential gaps), in the services that have a counter."""

    def __init__(self, ctx: Context, url: str, mean: float, rng: Any) -> None:
        import time

        from shared.catalog import show_catalog
        from shared.db import Database
        from shared.queue import QueueEngine

        self.db = Database(url, ctx.settings.database)
        info = show_catalog(self.db, None)
        served = {code for c in info["counters"] for code in c["services"]}
        self.services = sorted(s["code"] for s in info["services"] if s["code"] in served)
        self.engine = QueueEngine(self.db, None)
        self.mean, self.rng, self.clock = mean, rng, time.monotonic
        self.next_at = self.clock() + rng.expovariate(1 / mean)

    def tick(self) -> None:
        if self.clock() < self.next_at or not self.services:
            return
        self.next_at = self.clock() + self.rng.expovariate(1 / self.mean)
        try:
            self.engine.issue(self.rng.choice(self.services))
        except MotcuaError as error:  # a busy moment or a paused service: the next one comes
            log.info("demo arrival skipped: %s", error.message_in("en"))

    def close(self) -> None:
        self.db.dispose()


def _demo_text(result: Any) -> str:
    s = result.summary
    t = s.total

    def num(value: float | None) -> str:
        return "–" if value is None else f"{value:.1f}".replace(".", ",")

    lines = [
        f"{tr('demo.title')} – {s.centre} – {s.business_day:%d/%m/%Y}",
        f"{tr('demo.database')}: {result.database}",
        f"{tr('demo.counters')}: {result.counters}",
        f"{tr('demo.tickets')}: {t.tickets}   {tr('demo.served')}: {t.served}   "
        f"{tr('demo.no_show')}: {t.no_show}   {tr('demo.left')}: {t.still_waiting}",
        f"{tr('demo.wait')}: {tr('demo.mean')} {num(t.mean_wait_min)}, "
        f"{tr('demo.p90')} {num(t.p90_wait_min)}",
        "",
        f"  {tr('demo.service'):<10}{'#':>6}{tr('demo.mean'):>12}{'p90':>8}",
    ]
    for f in s.services:
        lines.append(
            f"  {f.code:<10}{f.tickets:>6}{num(f.mean_wait_min):>12}{num(f.p90_wait_min):>8}"
            f"   {f.name}"
        )
    ok = s.duplicate_numbers == 0 and s.tickets_called_twice == 0
    lines.append("")
    lines.append(
        f"{tr('demo.checks')}: "
        + (
            tr("demo.checks_ok")
            if ok
            else f"{s.duplicate_numbers} duplicate numbers, {s.tickets_called_twice} double calls"
        )
    )
    return "\n".join(lines)
