"""The windowed demo: kiosk, waiting-room screen and two counters as separate programs on one
fresh SQLite database, ended together."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from sqlalchemy import func, select

from shared.db import Database
from shared.demo import DEMO_PASSWORD, prepare_live_demo
from shared.models import Ticket
from shared.queue import QueueEngine
from shared.users import verify_password


def _children(marker: str) -> list[str]:
    found = subprocess.run(["pgrep", "-af", marker], capture_output=True, text=True).stdout
    return [line for line in found.splitlines() if "launcher" in line]


def test_live_demo_database_has_clerks_and_citizens_waiting(tmp_path: Path) -> None:
    demo = prepare_live_demo(tmp_path / "live.sqlite3", waiting=12, seed=4)
    db = Database(demo.url)
    assert all(verify_password(db, name, DEMO_PASSWORD) for name in demo.clerks)
    status = QueueEngine(db).status()
    assert sum(s.waiting for s in status.services) == 12
    db.dispose()


def test_windowed_demo_starts_four_programs_that_see_each_other_and_stop_together(
    motcua_bin: str, tmp_path: Path
) -> None:
    path = tmp_path / "windowed-demo.sqlite3"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    parent = subprocess.Popen(
        [motcua_bin, "demo", "--visitors", "8", "--arrivals", "0.3", "--db", f"sqlite:///{path}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while len(_children(str(path))) < 4 and time.monotonic() < deadline:
            assert parent.poll() is None, parent.communicate()
            time.sleep(0.3)
        commands = [line.split() for line in _children(str(path))]
        placed = sorted((c[c.index("launcher") + 1], c[c.index("--tile") + 1]) for c in commands)
        assert placed == [
            ("counter", "2x2:2"),
            ("counter", "2x2:3"),
            ("display", "2x2:0"),
            ("kiosk", "2x2:1"),
        ]
        # The apps read a demo settings file that keeps the kiosk taking numbers at any hour.
        config = path.with_suffix(".toml").read_text(encoding="utf-8")
        assert "follow_opening_hours = false" in config
        # Simulated citizens keep arriving (one every 0.3 s on average) after the 8 waiting.
        db = Database(f"sqlite:///{path}")
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with db.transaction(readonly=True) as s:
                    issued = s.scalar(select(func.count()).select_from(Ticket))
                if issued >= 12:
                    break
                time.sleep(0.3)
            assert issued >= 12
        finally:
            db.dispose()
        # The demo database is live: a call made elsewhere is an ordinary call.
        called = subprocess.run(
            [motcua_bin, "ticket", "call", "1", "--db", f"sqlite:///{path}", "--json"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert json.loads(called.stdout)["ticket"] is not None
    finally:
        parent.send_signal(signal.SIGTERM)
        out, err = parent.communicate(timeout=30)
    assert "canbo1" in out and DEMO_PASSWORD in out
    deadline = time.monotonic() + 10
    while _children(str(path)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _children(str(path)) == []
