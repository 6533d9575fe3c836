"""``motcua doctor``: what a technician runs on a PC of the centre; JSON and exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from shared.clock import CLOCK_ENV
from tests.helpers.fakeprinter import FakePrinter


def doctor(
    motcua_bin: str, url: str, tmp_path: Path, config: str = "", *, prefix: tuple[str, ...] = ()
) -> tuple[int, dict[str, dict]]:
    settings = tmp_path / "motcua.toml"
    settings.write_text(
        f'[backup]\nfolder = "{(tmp_path / "copies").as_posix()}"\n' + config, encoding="utf-8"
    )
    env = dict(os.environ)
    env.pop(CLOCK_ENV, None)
    done = subprocess.run(
        [*prefix, motcua_bin, "--db", url, "--config", str(settings), "--json", "doctor"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.stdout.startswith("{"), done.stderr
    data = json.loads(done.stdout)
    checks = {c["name"]: c for c in data["checks"]}
    assert data["ok"] == (done.returncode == 0), done.stderr
    return done.returncode, checks


def statuses(checks: dict[str, dict]) -> dict[str, str]:
    return {name: c["status"] for name, c in checks.items()}


def test_a_ready_pc_passes_every_check(motcua_bin: str, sample_url: str, tmp_path: Path) -> None:
    subprocess.run(
        [motcua_bin, "--db", sample_url, "db", "backup", str(tmp_path / "copies" / "x")],
        check=True,
        capture_output=True,
    )
    (tmp_path / "copies" / "x").rename(tmp_path / "copies" / "motcua-2026-12-01.sqlite3")
    with FakePrinter("ok") as printer:
        printer_config = (
            f'[printer]\nkind = "network"\nhost = "{printer.host}"\nport = {printer.port}\n'
        )
        code, checks = doctor(motcua_bin, sample_url, tmp_path, printer_config)
    assert code == 0
    expected = {
        "database",
        "schema",
        "integrity",
        "clock",
        "printer",
        "fonts",
        "voice",
        "disk",
        "backup",
        "logs",
    }
    assert set(checks) == expected
    wanted = {name: "ok" for name in expected}
    if shutil.which("espeak-ng") is None:
        wanted["voice"] = "warn"
    assert statuses(checks) == wanted
    assert printer.status_requests  # asked for its status…
    assert all(not c.payload for c in printer.connections)  # …and nothing printed


@pytest.mark.parametrize(
    ("mode", "words"), [("paper_out", "hết giấy"), ("cover_open", "nắp"), ("refuse", "Không")]
)
def test_a_printer_in_trouble_fails_with_exit_5(
    motcua_bin: str, sample_url: str, tmp_path: Path, mode: str, words: str
) -> None:
    with FakePrinter(mode) as printer:
        config = f'[printer]\nkind = "network"\nhost = "{printer.host}"\nport = {printer.port}\n'
        code, checks = doctor(motcua_bin, sample_url, tmp_path, config)
    assert code == 5
    assert (
        checks["printer"]["status"] == "fail"
        and words.lower() in checks["printer"]["detail"].lower()
    )
    assert "motcua printer test" in checks["printer"]["advice"]


def test_an_old_or_missing_schema_fails_with_exit_4(motcua_bin: str, tmp_path: Path) -> None:
    code, checks = doctor(motcua_bin, str(tmp_path / "empty.sqlite3"), tmp_path)
    assert code == 4 and checks["schema"]["status"] == "fail"
    assert "motcua db upgrade" in checks["schema"]["advice"]


def test_a_damaged_file_fails_the_integrity_check(
    motcua_bin: str, sample_url: str, tmp_path: Path
) -> None:
    import sqlite3

    path = Path(sample_url.removeprefix("sqlite:///"))
    conn = sqlite3.connect(path)
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'procedures'").fetchone()[
        0
    ]
    conn.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page + 100 : root * page] = b"\xff" * (page - 100)
    path.write_bytes(bytes(data))
    code, checks = doctor(motcua_bin, sample_url, tmp_path)
    assert code == 4 and checks["integrity"]["status"] == "fail"
    assert "motcua db restore" in checks["integrity"]["advice"]


@pytest.mark.postgres
def test_a_pc_clock_off_the_servers_is_a_warning(
    motcua_bin: str, pg_url: str, tmp_path: Path
) -> None:
    faketime = shutil.which("faketime")
    if faketime is None:
        pytest.skip("faketime is not installed (bash scripts/setup.sh --test)")
    subprocess.run([motcua_bin, "--db", pg_url, "db", "upgrade"], check=True, capture_output=True)
    code, checks = doctor(motcua_bin, pg_url, tmp_path, prefix=(faketime, "-f", "-1h"))
    assert checks["clock"]["status"] == "warn"
    assert "3600" in checks["clock"]["detail"] or "3599" in checks["clock"]["detail"]
    assert "chậm hơn" in checks["clock"]["detail"]
    assert code == 0  # a warning: the server's time is used meanwhile
