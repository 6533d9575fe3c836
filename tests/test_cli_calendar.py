"""``motcua calendar …`` run as the installed console script, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from shared.resources import asset

pytestmark = pytest.mark.timewise  # also run at shifted clocks (scripts/test.sh)

OFFICIAL_2026 = str(asset("calendar", "2026.toml"))
Run = Callable[..., subprocess.CompletedProcess[str]]


def _runner(motcua_bin: str, db_url: str) -> Run:
    """Run ``motcua ARGS… --db URL`` on a fresh, upgraded database."""

    def run(*args: str, config: Path | None = None) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
        if config is not None:
            env["MOTCUA_CONFIG"] = str(config)
        return subprocess.run(
            [motcua_bin, *args, "--db", db_url],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=120,
        )

    upgraded = run("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    return run


@pytest.fixture
def motcua(motcua_bin: str, db_url: str) -> Run:
    """On SQLite and on PostgreSQL."""
    return _runner(motcua_bin, db_url)


@pytest.fixture
def motcua_sqlite(motcua_bin: str, sqlite_url: str) -> Run:
    """On SQLite only (what is checked does not depend on the database)."""
    return _runner(motcua_bin, sqlite_url)


def ok(proc: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert proc.returncode == 0, (proc.returncode, proc.stdout, proc.stderr)
    return proc


def data(proc: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(ok(proc).stdout)


def test_import_show_confirm_the_official_2026_calendar(motcua: Run) -> None:
    before = data(motcua("calendar", "show", "2026", "--json"))
    assert before["year"] == 2026 and before["confirmed"] is False and before["work"] == []
    assert {item["source"] for item in before["off"]} == {"statutory"}

    imported = data(motcua("calendar", "import", OFFICIAL_2026, "--json"))
    assert (imported["year"], imported["off"], imported["work"]) == (2026, 13, 1)

    shown = data(motcua("calendar", "show", "2026", "--json"))
    assert shown["work"] == ["2026-08-22"]
    assert shown["confirmed"] is False
    dates = [item["date"] for item in shown["off"]]
    assert dates == [
        "2026-01-01",
        "2026-02-16",
        "2026-02-17",
        "2026-02-18",
        "2026-02-19",
        "2026-02-20",
        "2026-04-27",
        "2026-04-30",
        "2026-05-01",
        "2026-08-31",
        "2026-09-01",
        "2026-09-02",
        "2026-11-24",
    ]
    assert all(item["reason"] for item in shown["off"])
    assert "Giỗ Tổ" in shown["off"][6]["reason"]

    human = ok(motcua("calendar", "show", "2026")).stdout
    assert "chưa xác nhận" in human and "Thứ Bảy   22/08/2026" in human

    confirmed = ok(motcua("calendar", "confirm", "2026"))
    assert "Đã xác nhận lịch làm việc năm 2026" in confirmed.stdout
    assert data(motcua("calendar", "show", "2026", "--json"))["confirmed"] is True

    # The shipped calendar decides the due dates: Saturday 22/8 is worked.
    due = data(
        motcua("calendar", "due", "--received-at", "2026-08-21T10:00", "--days", "1", "--json")
    )
    assert due["due_at"] == "2026-08-22T10:00:00+07:00"


def test_edit_days_and_refusals(motcua: Run) -> None:
    proc = ok(motcua("calendar", "off", "2026-03-06", "--reason", "Đại hội Đảng bộ tỉnh"))
    assert "Thứ Sáu 06/03/2026 giờ là ngày nghỉ – Đại hội Đảng bộ tỉnh." in proc.stdout
    worked = data(motcua("calendar", "work", "08/03/2026", "--json", "--lang", "en"))
    assert worked["day"] == {
        "day": "2026-03-08",
        "working": True,
        "kind": "work",
        "reason": "",
        "source": "manual",
    }
    shown = data(motcua("calendar", "show", "2026", "--json"))
    assert shown["work"] == ["2026-03-08"]
    assert {"date": "2026-03-06", "reason": "Đại hội Đảng bộ tỉnh", "source": "manual"} in shown[
        "off"
    ]

    saturday = motcua("calendar", "off", "2026-03-07")
    assert saturday.returncode == 3
    assert "Thứ Bảy 07/03/2026 vốn là ngày nghỉ cuối tuần" in saturday.stderr
    weekday = motcua("calendar", "work", "2026-03-09", "--lang", "en")
    assert weekday.returncode == 3
    assert "Monday 09/03/2026 is a working day already" in weekday.stderr
    nothing = motcua("calendar", "clear", "2026-03-10")
    assert nothing.returncode == 3 and "không có gì để bỏ" in nothing.stderr
    for args in (
        ("off", "2026-02-30"),
        ("work", "hôm nay"),
        ("clear", "32/01/2026"),
        ("show", "20x6"),
        ("prefill", "1800"),
    ):
        bad = motcua("calendar", *args)
        assert bad.returncode == 2, (args, bad.stderr)
        assert "Traceback" not in bad.stderr and bad.stderr.strip()
    assert "2026-02-30" in motcua("calendar", "off", "2026-02-30").stderr

    cleared = data(motcua("calendar", "clear", "2026-03-08", "--json"))
    assert cleared["day"]["working"] is False
    assert data(motcua("calendar", "show", "2026", "--json"))["work"] == []


def test_prefill_keeps_what_was_entered(motcua: Run) -> None:
    ok(motcua("calendar", "off", "2027-02-05", "--reason", "Tết (theo thông báo)"))
    result = data(motcua("calendar", "prefill", "2027", "--json"))
    assert result["kept"] == ["2027-02-05"]
    human = ok(motcua("calendar", "prefill", "2027")).stdout
    assert "Tết (theo thông báo)" in human and "motcua calendar confirm 2027" in human
    shown = data(motcua("calendar", "show", "2027", "--json"))
    assert shown["confirmed"] is False
    assert {"date": "2027-02-05", "reason": "Tết (theo thông báo)", "source": "manual"} in shown[
        "off"
    ]
    assert "2027-01-01" in [item["date"] for item in shown["off"]]


def test_due_dates_for_technicians(motcua_sqlite: Run, tmp_path: Path) -> None:
    motcua = motcua_sqlite

    def due(*args: str, config: Path | None = None) -> str:
        return data(motcua("calendar", "due", *args, "--json", config=config))["due_at"]

    # Without an imported year the statutory holidays apply (Monday 27/4 make-up day).
    assert due("--received-at", "2026-04-24T16:00", "--days", "3") == "2026-05-04T16:00:00+07:00"
    assert due("--received-at", "2026-03-10T14:59", "--days", "0") == "2026-03-10T17:00:00+07:00"
    assert due("--received-at", "2026-03-10T15:00", "--days", "0") == "2026-03-11T17:00:00+07:00"
    assert due("--received-at", "2026-03-10T15:01", "--days", "0") == "2026-03-11T17:00:00+07:00"
    assert (
        due("--received-at", "2026-03-10T15:30", "--days", "0", "--cutoff", "16:00")
        == "2026-03-10T17:00:00+07:00"
    )
    assert due("--received-at", "2026-03-10T10:00", "--days", "0,5") == "2026-03-10T15:45:00+07:00"
    assert due("--received-at", "2026-03-10T16:00", "--hours", "4") == "2026-03-11T10:30:00+07:00"
    # An offset in the input is honoured: 03:00 UTC is 10:00 in Hà Nội.
    assert (
        due("--received-at", "2026-03-10T03:00:00+00:00", "--days", "1")
        == "2026-03-11T10:00:00+07:00"
    )
    assert due("--received-at", "2026-12-31T10:00", "--days", "1") == "2027-01-04T10:00:00+07:00"

    human = ok(motcua("calendar", "due", "--received-at", "2026-04-24T16:00", "--days", "3"))
    assert human.stdout.strip() == "Hạn trả kết quả: Thứ Hai 04/05/2026 16:00"

    config = tmp_path / "motcua.toml"
    config.write_text(
        '[calendar]\nmorning = "08:00-12:00"\nafternoon = "13:00-17:00"\n'
        'default_cutoff = "16:00"\n',
        encoding="utf-8",
    )
    assert (
        due("--received-at", "2026-03-10T12:30", "--days", "1", config=config)
        == "2026-03-11T13:00:00+07:00"
    )
    assert (
        due("--received-at", "2026-03-10T15:30", "--days", "0", config=config)
        == "2026-03-10T17:00:00+07:00"
    )

    for args in (
        ("--received-at", "2026-03-10T10:00", "--days", "-1"),
        ("--received-at", "2026-03-10T10:00", "--days", "ba"),
        ("--received-at", "2026-03-10T10:00", "--days", "0", "--cutoff", "25:00"),
        ("--received-at", "10/03/2026 10h", "--days", "1"),
    ):
        bad = motcua("calendar", "due", *args)
        assert bad.returncode == 2, (args, bad.stderr)
        assert "Traceback" not in bad.stderr and bad.stderr.strip()
    assert motcua("calendar", "due", "--received-at", "2026-03-10T10:00").returncode == 2


def test_a_wrong_file_imports_nothing(motcua_sqlite: Run, tmp_path: Path) -> None:
    motcua = motcua_sqlite

    path = tmp_path / "2026.toml"
    path.write_text(
        "year = 2026\n[[off]]\ndate = 2026-03-10\nreason = 'x'\n"
        "[[off]]\ndate = 2026-03-14\nreason = 'thứ Bảy'\n",
        encoding="utf-8",
    )
    proc = motcua("calendar", "import", str(path))
    assert proc.returncode == 2
    assert str(path) in proc.stderr and "2026-03-14" in proc.stderr
    shown = data(motcua("calendar", "show", "2026", "--json"))
    assert "2026-03-10" not in [item["date"] for item in shown["off"]]
    missing = motcua("calendar", "import", str(tmp_path / "none.toml"))
    assert missing.returncode == 2
