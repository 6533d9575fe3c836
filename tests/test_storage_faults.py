"""The SQLite file's disk fills up, turns read-only, or the file is damaged: a clear message that
says what to do, nothing acknowledged lost, and the damaged file never written to.

The full and read-only disks are real: a small tmpfs mounted for the test (root only; skipped
otherwise), filled with a file or remounted read-only.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from shared.catalog import import_catalog, load_catalog_file
from shared.db import Database
from shared.errors import DatabaseCorrupt, DatabaseReadOnly, DiskFull
from shared.models import Ticket
from shared.queue import QueueEngine
from shared.resources import asset


def _mount(folder: Path, *options: str) -> bool:
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(("size=3m", *options)), "tmpfs", str(folder)],
        capture_output=True,
    )
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB disk of its own."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root")
    folder = tmp_path / "disk"
    folder.mkdir()
    if not _mount(folder):
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _centre(path: Path) -> Database:
    db = Database(f"sqlite:///{path.as_posix()}")
    db.upgrade()
    import_catalog(db, load_catalog_file(asset("catalog", "sample.toml")))
    return db


def _fill(folder: Path) -> Path:
    """Take every free byte of the disk."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as out:  # unbuffered: nothing left to flush at close
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    out.write(b"\0" * size)
            except OSError:
                pass
    return filler


def _numbers(db: Database) -> list[str]:
    with db.transaction(readonly=True) as s:
        return list(s.scalars(select(Ticket.number).order_by(Ticket.id)))


def test_a_full_disk_says_so_loses_nothing_and_works_again_once_freed(
    small_disk: Path, motcua_bin: str
) -> None:
    path = small_disk / "motcua.sqlite3"
    db = _centre(path)
    engine = QueueEngine(db)
    given = [engine.issue("HT").number for _ in range(3)]
    filler = _fill(small_disk)
    with pytest.raises(DiskFull) as caught:
        for _ in range(200):  # the file's free pages first, then the disk
            given.append(engine.issue("HT").number)
    assert "đầy" in caught.value.message and str(path) in caught.value.message
    done = subprocess.run(
        [motcua_bin, "--db", str(path), "ticket", "issue", "HT"], capture_output=True, text=True
    )
    assert done.returncode == 4
    assert "Ổ đĩa chứa cơ sở dữ liệu đã đầy" in done.stderr and "Traceback" not in done.stderr
    filler.unlink()
    given.append(engine.issue("HT").number)  # back by itself once there is room
    assert _numbers(db) == given  # every acknowledged number, in order, no gap
    assert given == [str(2001 + n) for n in range(len(given))]
    with db.transaction(readonly=True) as s:
        assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    db.dispose()


def test_a_read_only_disk_says_so(small_disk: Path, motcua_bin: str) -> None:
    path = small_disk / "motcua.sqlite3"
    db = _centre(path)
    QueueEngine(db).issue("HT")
    db.dispose()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        done = subprocess.run(
            [motcua_bin, "--db", str(path), "ticket", "issue", "HT"],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 4
        assert "chỉ đọc được, không ghi được" in done.stderr and "Traceback" not in done.stderr
        db = Database(f"sqlite:///{path.as_posix()}")
        with pytest.raises(DatabaseReadOnly):
            QueueEngine(db).issue("HT")
        db.dispose()
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    db = Database(f"sqlite:///{path.as_posix()}")
    assert _numbers(db) == ["2001"]  # nothing lost, nothing half-written
    assert QueueEngine(db).issue("HT").number == "2002"
    db.dispose()


@pytest.mark.parametrize("where", ["header", "page"])
def test_a_damaged_file_is_named_and_never_written(
    tmp_path: Path, motcua_bin: str, where: str
) -> None:
    path = tmp_path / "motcua.sqlite3"
    db = _centre(path)
    engine = QueueEngine(db)
    for _ in range(50):
        engine.issue("HT")
    with db.transaction(readonly=True) as s:
        page = int(s.execute(text("PRAGMA page_size")).scalar() or 4096)
        root = int(
            s.execute(text("SELECT rootpage FROM sqlite_master WHERE name = 'tickets'")).scalar()
            or 0
        )
    db.dispose()
    data = bytearray(path.read_bytes())
    if where == "header":
        data[0:16] = b"not sqlite, sorry"[:16]
    else:
        # Scribble over the tickets table's first page (a bad sector, a torn write).
        start = (root - 1) * page
        data[start : start + page] = bytes(range(256)) * (page // 256)
    path.write_bytes(bytes(data))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    failures = []
    for command in (
        ["ticket", "issue", "HT"],
        ["queue", "status"],
        ["db", "upgrade"],
        ["ticket", "call", "3"],
    ):
        done = subprocess.run(
            [motcua_bin, "--db", str(path), *command], capture_output=True, text=True
        )
        if done.returncode != 0:
            assert done.returncode == 4, done.stderr
            assert "bị hỏng" in done.stderr and "motcua db restore" in done.stderr, done.stderr
            failures.append(command[0])
    assert failures  # a damaged file is noticed
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # never written to
    if where == "header":
        with pytest.raises(DatabaseCorrupt):
            QueueEngine(Database(f"sqlite:///{path.as_posix()}")).issue("HT")
