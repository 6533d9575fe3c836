"""Backups taken while the centre works, restored while a counter is attached, daily copies kept,
and files that are not backups refused (SQLite's online backup; pg_dump / pg_restore)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select, text

from shared.backup import backup, daily_backup, restore
from shared.catalog import import_catalog, load_catalog_file
from shared.db import Database
from shared.errors import BackupRefused
from shared.feed import ChangeFeed, latest_event_id
from shared.models import Ticket
from shared.queue import QueueEngine
from shared.resources import asset
from shared.settings import BackupSettings, Settings
from shared.users import add_user
from tests.helpers.clock import vn

PASSWORD = "mat-khau-123"
WAIT = 15_000


@pytest.fixture
def centre(db_url: str) -> Iterator[Database]:
    db = Database(db_url)
    db.upgrade()
    import_catalog(db, load_catalog_file(asset("catalog", "sample.toml")))
    yield db
    db.dispose()


def numbers(db: Database) -> list[str]:
    with db.transaction(readonly=True) as s:
        return list(s.scalars(select(Ticket.number).order_by(Ticket.id)))


def test_a_backup_taken_while_kiosks_issue_restores_exactly(
    centre: Database, tmp_path: Path
) -> None:
    engine = QueueEngine(centre)
    for _ in range(20):
        engine.issue("HT")
    stop = threading.Event()
    during: list[str] = []

    def kiosk() -> None:
        other = QueueEngine(Database(str(centre.engine.url)))
        while not stop.is_set():
            during.append(other.issue("DD").number)

    worker = threading.Thread(target=kiosk)
    worker.start()
    try:
        result = backup(centre, tmp_path / "copy.bak")
    finally:
        stop.set()
        worker.join(timeout=30)
    assert during  # the kiosk kept issuing meanwhile
    assert Path(result.path).stat().st_size == result.bytes > 0
    assert result.revision == centre.current_revision()
    at_backup = None
    if centre.is_sqlite:  # the copy is a sound database of its own
        copy = sqlite3.connect(result.path)
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        at_backup = [r[0] for r in copy.execute("SELECT number FROM tickets ORDER BY id")]
        copy.close()
    after = numbers(centre)
    engine.issue("HT")
    engine.call_next(3)
    restore(centre, Path(result.path))
    restored = numbers(centre)
    # Exactly a state the database went through: everything before the backup, a prefix of
    # what was issued during it, nothing after it.
    assert restored[:20] == after[:20] and set(restored) <= set(after)
    if at_backup is not None:
        assert restored == at_backup
    # Numbering goes on from the restored state, without repeating a number it holds.
    new = engine.issue("HT").number
    assert new not in restored
    with centre.transaction(readonly=True) as s:
        if centre.is_sqlite:
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_files_that_are_not_backups_are_refused_and_nothing_changes(
    centre: Database, tmp_path: Path
) -> None:
    QueueEngine(centre).issue("HT")
    garbage = tmp_path / "garbage.bak"
    garbage.write_bytes(b"this is not a database" * 100)
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x TEXT)")
    conn.commit()
    conn.close()
    for path in (garbage, other, tmp_path / "missing.bak"):
        with pytest.raises(BackupRefused):
            restore(centre, path)
    assert numbers(centre) == ["2001"]


@pytest.mark.parametrize("read_after_backup", [0, 1, 2])
def test_a_change_feed_sees_the_restore_wherever_it_had_got_to(
    centre: Database, tmp_path: Path, read_after_backup: int
) -> None:
    """Two tickets are issued after the backup; the feed had read none, one or both of them when
    the backup is restored. Each time it reports the loss (so the program reads everything
    again), and then follows the restored database with ids that still only grow."""
    engine = QueueEngine(centre)
    engine.issue("HT")
    feed = ChangeFeed(centre, after_id=latest_event_id(centre), poll_interval=0.05)
    try:
        copy = backup(centre, tmp_path / "copy.bak")
        for i in range(2):
            engine.issue("HT")
            if i < read_after_backup:
                assert [e.kind for e in feed.wait(5)] == ["ticket.issued"]
        highest = latest_event_id(centre)
        restore(Database(str(centre.engine.url)), Path(copy.path))
        assert latest_event_id(centre) > highest  # the restore's own event, above them all
        assert feed.wait(5) == [] and not feed.connected
        assert "restored" in (feed.last_error or "")
        again = engine.issue("HT")
        arrived = feed.wait(5)
        assert feed.connected and [e.ticket_id for e in arrived] == [again.id]
        assert arrived[0].id > highest
    finally:
        feed.close()


def test_restoring_with_a_counter_attached_it_follows_by_itself(
    qtbot, db_url: str, tmp_path: Path
) -> None:
    """A clerk is serving 2001 when the technician restores the backup taken at that moment,
    after the clerk had moved on to 2002: the counter shows 2001 again, by itself."""
    from counter.app import CounterWindow
    from shared.qt.fonts import load_fonts

    db = Database(db_url)
    db.upgrade()
    import_catalog(db, load_catalog_file(asset("catalog", "sample.toml")))
    add_user(db, "lan", PASSWORD, "clerk", full_name="Nguyễn Thị Lan")
    kiosk = QueueEngine(db)
    first, second = kiosk.issue("DD"), kiosk.issue("DD")
    window = CounterWindow(db, None, Settings(), load_fonts())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    try:
        page = window.sign_in_page
        page.username.setText("lan")
        page.password.setText(PASSWORD)
        page.counter.setText("1")
        with qtbot.waitSignal(window.signed_in, timeout=WAIT):
            qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
        with qtbot.waitSignal(window.action_done, timeout=WAIT):
            qtbot.keyClick(window, Qt.Key.Key_F2)
        assert window.ticket is not None and window.ticket.id == first.id
        qtbot.waitUntil(lambda: window.feed is not None and window.feed.connected, timeout=WAIT)
        copy = backup(db, tmp_path / "noon.bak")
        with qtbot.waitSignal(window.action_done, timeout=WAIT):
            qtbot.keyClick(window, Qt.Key.Key_F5)  # finish 2001
        with qtbot.waitSignal(window.action_done, timeout=WAIT):
            qtbot.keyClick(window, Qt.Key.Key_F2)  # call 2002
        assert window.ticket is not None and window.ticket.id == second.id
        technician = Database(db_url)
        restore(technician, Path(copy.path))
        technician.dispose()
        qtbot.waitUntil(
            lambda: window.ticket is not None and window.ticket.id == first.id, timeout=WAIT
        )
        assert window.online and window.ticket_panel.number.text() == first.number
        with qtbot.waitSignal(window.action_done, timeout=WAIT):
            qtbot.keyClick(window, Qt.Key.Key_F3)  # the restored data works: recall 2001
        with db.transaction(readonly=True) as s:
            assert s.get_one(Ticket, first.id).recall_count == 1
            assert s.get_one(Ticket, second.id).status == "waiting"
    finally:
        window.stop()
        db.dispose()


def test_the_daily_backup_is_taken_once_after_its_time_and_old_ones_go(
    tmp_path: Path, sample_url: str
) -> None:
    db = Database(sample_url)
    settings = BackupSettings(keep=3, at="12:00", folder=str(tmp_path / "copies"))  # type: ignore[call-arg]
    folder = tmp_path / "copies"
    folder.mkdir()
    for day in range(10, 15):  # five older copies
        (folder / f"motcua-2026-11-{day}.sqlite3").write_bytes(b"old")
    tz = "Asia/Ho_Chi_Minh"
    assert daily_backup(db, settings, timezone=tz, now=vn(2026, 11, 18, 11, 59)) is None
    taken = daily_backup(db, settings, timezone=tz, now=vn(2026, 11, 18, 12, 0))
    assert taken is not None and Path(taken.path).name == "motcua-2026-11-18.sqlite3"
    assert daily_backup(db, settings, timezone=tz, now=vn(2026, 11, 18, 16, 0)) is None  # done
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == [
        "motcua-2026-11-13.sqlite3",
        "motcua-2026-11-14.sqlite3",
        "motcua-2026-11-18.sqlite3",
    ]
    off = BackupSettings(keep=0, folder=str(folder))  # type: ignore[call-arg]
    assert daily_backup(db, off, timezone=tz, now=vn(2026, 11, 19, 13, 0)) is None
    # Another program of the centre taking the day's copy right now: left to it.
    (folder / "motcua-2026-11-19.sqlite3.taking").write_bytes(b"")
    assert daily_backup(db, settings, timezone=tz, now=vn(2026, 11, 19, 13, 0)) is None
    assert not (folder / "motcua-2026-11-19.sqlite3").exists()
    db.dispose()


def test_backup_and_restore_commands(motcua_bin: str, sample_url: str, tmp_path: Path) -> None:
    target = tmp_path / "by-hand.bak"
    done = subprocess.run(
        [motcua_bin, "--db", sample_url, "--json", "db", "backup", str(target)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert target.exists()
    refused = subprocess.run(
        [motcua_bin, "--db", sample_url, "db", "restore", str(target)],
        input="no\n",
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 3 and "YES" in refused.stderr
    restored = subprocess.run(
        [motcua_bin, "--db", sample_url, "db", "restore", str(target), "--yes"],
        capture_output=True,
        text=True,
    )
    assert restored.returncode == 0, restored.stderr
    bad = subprocess.run(
        [motcua_bin, "--db", sample_url, "db", "restore", str(tmp_path / "none.bak"), "--yes"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 3 and "không phải bản sao lưu dùng được" in bad.stderr


def test_a_running_program_takes_the_days_backup_in_the_background(
    qtbot, sample_url: str, tmp_path: Path, clock
) -> None:
    from shared.qt.backup import DailyBackups

    clock.set(vn(2026, 11, 18, 12, 30))
    db = Database(sample_url)
    folder = tmp_path / "copies"
    settings = BackupSettings(keep=2, at="12:00", folder=str(folder))  # type: ignore[call-arg]
    backups = DailyBackups(lambda: db, settings, None)
    try:
        backups.check()
        qtbot.waitUntil(lambda: not backups.busy, timeout=WAIT)
        assert [p.name for p in folder.iterdir()] == ["motcua-2026-11-18.sqlite3"]
        copy = sqlite3.connect(folder / "motcua-2026-11-18.sqlite3")
        assert copy.execute("SELECT count(*) FROM services").fetchone()[0] > 0
        copy.close()
    finally:
        backups.stop()
        db.dispose()
