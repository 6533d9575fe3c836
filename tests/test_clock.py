"""One clock for the whole product: set in a process, or for whole programs by MOTCUA_CLOCK."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shared import clock as product_clock
from shared.clock import (
    CLOCK_ENV,
    FixedClock,
    ShiftedClock,
    install_from_environment,
    is_shifted,
    parse_setting,
    set_clock,
    system_clock,
    today_in,
    using,
    utcnow,
)
from shared.errors import ClockSettingError
from tests.helpers.clock import VN, vn

pytestmark = pytest.mark.timewise  # also run at shifted clocks (scripts/test.sh)


def test_the_real_time_unless_set() -> None:
    with using(system_clock):
        before = datetime.now(UTC)
        now = utcnow()
        assert before <= now <= datetime.now(UTC)
        assert now.tzinfo is UTC and not is_shifted()


def test_a_fixed_clock_stands_still_until_moved_and_gives_utc() -> None:
    fixed = FixedClock(vn(2026, 11, 18, 23, 59))
    with using(fixed):
        assert utcnow() == datetime(2026, 11, 18, 16, 59, tzinfo=UTC) and utcnow().tzinfo is UTC
        time.sleep(0.01)
        assert utcnow() == datetime(2026, 11, 18, 16, 59, tzinfo=UTC)
        assert today_in("Asia/Ho_Chi_Minh").isoformat() == "2026-11-18" and is_shifted()
        fixed.advance(minutes=1)
        # 00:00 in Việt Nam while UTC is still the previous day.
        assert today_in("Asia/Ho_Chi_Minh").isoformat() == "2026-11-19"
        assert utcnow().date().isoformat() == "2026-11-18"
        fixed.set("2026-11-20T07:30:00+07:00")
        assert utcnow() == vn(2026, 11, 20, 7, 30)
    assert product_clock.current() is not fixed


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 11, 18, 9, 0))
    with pytest.raises(ClockSettingError):
        FixedClock(vn(2026, 1, 1)).set("2026-11-18T09:00")


def test_the_setting_runs_on_from_its_instant_and_names_the_moment_it_was_true() -> None:
    shifted = parse_setting("2026-12-06T21:00:00+07:00")
    assert abs(shifted() - vn(2026, 12, 6, 21, 0)) < timedelta(seconds=1)
    # Anchored: "that instant at this Unix time": every program reading it agrees.
    anchor = time.time() - 3600
    anchored = parse_setting(f"2026-12-06T21:00:00+07:00@{anchor}")
    assert abs(anchored() - vn(2026, 12, 6, 22, 0)) < timedelta(seconds=1)
    again = parse_setting(anchored.setting())
    assert abs(again() - anchored()) < timedelta(milliseconds=50)
    assert isinstance(again, ShiftedClock)


@pytest.mark.parametrize(
    "value", ["21:00", "2026-12-06T21:00:00", "tomorrow", "2026-12-06T21:00:00+07:00@soon"]
)
def test_a_bad_setting_is_a_clear_message(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CLOCK_ENV, value)
    previous = set_clock(None)
    try:
        with pytest.raises(ClockSettingError) as caught:
            install_from_environment()
        assert CLOCK_ENV in caught.value.message and "+07:00" in caught.value.message
        assert caught.value.exit_code == 2
    finally:
        set_clock(previous)


def test_the_setting_is_anchored_for_the_programs_started_from_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(CLOCK_ENV, "2026-12-06T21:00:00+07:00")
    previous = set_clock(None)
    try:
        clock = install_from_environment()
        assert "@" in os.environ[CLOCK_ENV]
        time.sleep(0.3)  # a child started later still reads the same clock
        child = subprocess.run(
            [sys.executable, "-c", "from shared.clock import utcnow; print(utcnow().isoformat())"],
            capture_output=True,
            text=True,
            check=True,
        )
        theirs = datetime.fromisoformat(child.stdout.strip())
        ours = clock()
        assert timedelta(0) <= ours - theirs < timedelta(seconds=5)
        assert abs(ours - vn(2026, 12, 6, 21, 0)) < timedelta(seconds=30)
    finally:
        set_clock(previous)


def run_motcua(motcua_bin: str, url: str, *args: str, at: str | None = None) -> dict:
    env = dict(os.environ)
    env.pop(CLOCK_ENV, None)
    if at is not None:
        env[CLOCK_ENV] = at
    done = subprocess.run(
        [motcua_bin, "--db", url, "--json", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_command_numbers_by_the_centres_day_on_the_clock_it_is_given(
    motcua_bin: str, sample_url: str
) -> None:
    """23:59 → 00:00 in UTC+7 while UTC is still the previous day: a new day, numbers from 1."""

    def issue(at: str) -> dict:
        return run_motcua(motcua_bin, sample_url, "ticket", "issue", "HT", at=at)["ticket"]

    one = issue("2026-11-18T23:59:40+07:00")
    two = issue("2026-11-18T23:59:50+07:00")
    first = issue("2026-11-19T00:00:10+07:00")
    assert [t["business_day"] for t in (one, two, first)] == ["2026-11-18"] * 2 + ["2026-11-19"]
    assert datetime.fromisoformat(first["issued_at"]).astimezone(UTC).day == 18  # still the 18th
    assert two["number"] != one["number"] and first["number"] == one["number"]


def test_the_command_says_what_is_wrong_with_the_clock_setting(
    motcua_bin: str, sample_url: str
) -> None:
    env = dict(os.environ, **{CLOCK_ENV: "21:00 tối nay"})
    done = subprocess.run(
        [motcua_bin, "--db", sample_url, "queue", "status"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2
    assert CLOCK_ENV in done.stderr and "21:00 tối nay" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.postgres
def test_a_pc_whose_own_clock_is_a_day_behind_takes_the_servers_time(
    motcua_bin: str, pg_url: str, tmp_path
) -> None:
    """The kiosk PC's clock is a day behind (a flat CMOS battery): its tickets still go to the
    centre's today, at the right time, by the PostgreSQL server's clock; the log says why."""
    faketime = shutil.which("faketime")
    if faketime is None:
        pytest.skip("faketime is not installed (bash scripts/setup.sh --test)")
    from shared.catalog import import_catalog, load_catalog_file
    from shared.db import Database
    from shared.resources import asset

    db = Database(pg_url)
    db.upgrade()
    import_catalog(db, load_catalog_file(asset("catalog", "sample.toml")))
    db.dispose()
    env = dict(os.environ)
    env.pop(CLOCK_ENV, None)  # this PC's own clock, wrong
    done = subprocess.run(
        [faketime, "-f", "-1d", motcua_bin, "--db", pg_url, "--json", "ticket", "issue", "HT"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    ticket = json.loads(done.stdout)["ticket"]
    real = datetime.now(UTC)  # the server's clock is right (same machine, no faketime)
    issued = datetime.fromisoformat(ticket["issued_at"])
    assert abs(issued - real) < timedelta(minutes=2)
    assert ticket["business_day"] == real.astimezone(VN).date().isoformat()
    logs = "".join(
        p.read_text(encoding="utf-8") for p in Path(os.environ["XDG_STATE_HOME"]).rglob("*.log")
    )
    assert "behind the database server" in logs
