"""A centre on several PCs, as docs/install.md sets it up: one PostgreSQL server (the one the
suite starts), prepared with ``motcua db upgrade --db postgresql://…``; the display, the kiosk
and the counter each a separate process with its own user folders (one PC each), pointed at the
server through ``MOTCUA_DB_URL``, through the shared settings file copied into the PC's config
folder, or through ``--config``; a number taken on one PC is called on another."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from shared.migrations import HEAD_REVISION
from shared.resources import asset

pytestmark = pytest.mark.postgres

PASSWORD = "mat-khau-quay-3"
START_TIMEOUT = 120


def _pc(tmp_path: Path, name: str, **extra: str) -> dict[str, str]:
    """The environment of one PC: its own config, data and log folders, no screen."""
    home = tmp_path / name
    env = {k: v for k, v in os.environ.items() if k not in ("MOTCUA_DB_URL", "MOTCUA_CONFIG")}
    env.update(
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        QT_QPA_PLATFORM="offscreen",
        MOTCUA_VOICE="0",
    )
    env.update(extra)
    return env


def _run(command: list[str], env: dict[str, str], stdin: str | None = None) -> dict:
    result = subprocess.run(
        command, input=stdin, capture_output=True, text=True, env=env, timeout=START_TIMEOUT
    )
    assert result.returncode == 0, (command, result.stdout[-2000:], result.stderr[-2000:])
    return json.loads(result.stdout) if "--json" in command else {}


def _program(motcua_bin: str, app: str) -> str:
    """The ``motcua-APP`` program installed beside ``motcua`` (the bundle's names too)."""
    return str(Path(motcua_bin).with_name(f"motcua-{app}"))


def test_display_kiosk_and_counter_pcs_share_one_postgresql_server(
    pg_url: str, motcua_bin: str, tmp_path: Path
) -> None:
    # The server PC (or the technician's laptop): schema, catalogue and a clerk.
    server = _pc(tmp_path, "server")
    upgraded = _run([motcua_bin, "db", "upgrade", "--db", pg_url, "--json"], server)
    assert upgraded["revision"] == HEAD_REVISION
    _run(
        [motcua_bin, "catalog", "import", str(asset("catalog", "sample.toml")), "--json"],
        {**server, "MOTCUA_DB_URL": pg_url},
    )
    _run(
        [motcua_bin, "user", "add", "canbo3", "--role", "clerk", "--json"],
        {**server, "MOTCUA_DB_URL": pg_url},
        stdin=f"{PASSWORD}\n",
    )
    shared_settings = f'[database]\nurl = "{pg_url}"\n\n[centre]\ncode = "HCC-LA"\n'

    # Kiosk PC: the server's address in MOTCUA_DB_URL.
    kiosk_pc = _pc(tmp_path, "kiosk-pc", MOTCUA_DB_URL=pg_url)
    # Display PC: the shared settings file, copied where `motcua config path` says.
    display_pc = _pc(tmp_path, "display-pc")
    where = _run([motcua_bin, "config", "path", "--json"], display_pc)
    assert where["config_loaded"] is False
    config_file = Path(where["config_file"])
    config_file.parent.mkdir(parents=True, exist_ok=True)
    config_file.write_text(shared_settings, encoding="utf-8")
    seen = _run([motcua_bin, "config", "path", "--json"], display_pc)
    assert seen["config_loaded"] is True and seen["database"].startswith("postgresql")
    # Counter PC: the same file at another place, given with --config.
    counter_pc = _pc(tmp_path, "counter-pc", MOTCUA_PASSWORD=PASSWORD)
    counter_config = tmp_path / "counter-pc" / "centre.toml"
    counter_config.parent.mkdir(parents=True, exist_ok=True)
    counter_config.write_text(shared_settings, encoding="utf-8")

    # The three programs start together, each painting its first frame from the server.
    shots = {app: tmp_path / f"{app}.png" for app in ("display", "kiosk", "counter")}
    starts = {
        "display": (
            [_program(motcua_bin, "display"), "--screenshot", str(shots["display"])],
            display_pc,
        ),
        "kiosk": ([_program(motcua_bin, "kiosk"), "--screenshot", str(shots["kiosk"])], kiosk_pc),
        "counter": (
            [
                _program(motcua_bin, "counter"),
                "--config",
                str(counter_config),
                "--user",
                "canbo3",
                "--counter",
                "3",
                "--screenshot",
                str(shots["counter"]),
            ],
            counter_pc,
        ),
    }
    processes = {
        app: subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        for app, (command, env) in starts.items()
    }
    for app, process in processes.items():
        out, err = process.communicate(timeout=START_TIMEOUT)
        assert process.returncode == 0, (app, err[-3000:])
        assert f"{app}: first frame in" in out
        assert shots[app].stat().st_size > 1000

    # The clerk's sign-in above went to the server: the session is there for everyone.
    status = _run([motcua_bin, "queue", "status", "--json"], kiosk_pc)
    assert any(c["number"] == 3 for c in status["counters"])

    # A number taken at the kiosk PC is called by the counter PC and seen by the display PC.
    ticket = _run([motcua_bin, "ticket", "issue", "HT", "--json"], kiosk_pc)["ticket"]
    called = _run(
        [motcua_bin, "ticket", "call", "3", "--config", str(counter_config), "--json"], counter_pc
    )["ticket"]
    assert called["id"] == ticket["id"] and called["counter"] == 3
    board = _run([motcua_bin, "queue", "status", "--json"], display_pc)
    serving = {c["number"]: c["ticket"] for c in board["counters"]}
    assert serving[3] is not None and serving[3]["number"] == ticket["number"]


def test_the_display_pc_keeps_running_on_the_server_while_calls_are_made(
    pg_url: str, motcua_bin: str, tmp_path: Path
) -> None:
    """The waiting-room program started for real (not a smoke run) on the server stays up while
    another PC issues and calls numbers, and stops when asked."""
    technician = _pc(tmp_path, "server", MOTCUA_DB_URL=pg_url)
    _run([motcua_bin, "db", "upgrade", "--json"], technician)
    _run(
        [motcua_bin, "catalog", "import", str(asset("catalog", "sample.toml")), "--json"],
        technician,
    )
    display_pc = _pc(tmp_path, "display-pc", MOTCUA_DB_URL=pg_url)
    display = subprocess.Popen(
        [_program(motcua_bin, "display"), "--windowed", "--size", "1280x720"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=display_pc,
    )
    try:
        time.sleep(3)
        assert display.poll() is None, display.communicate()
        for _ in range(3):
            _run([motcua_bin, "ticket", "issue", "DD", "--json"], technician)
            _run([motcua_bin, "ticket", "call", "1", "--json"], technician)
        time.sleep(1)
        assert display.poll() is None, display.communicate()
    finally:
        display.send_signal(signal.SIGTERM)
        try:
            display.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            display.kill()
            display.communicate()
            pytest.fail("the display did not stop on SIGTERM")
