"""Backups of the centre's database, taken while everything runs, and restoring one.

SQLite: SQLite's online backup API copies the live file page by page (kiosks and counters keep
working meanwhile), the copy is checked (``PRAGMA integrity_check``) and only then takes its
name. Restoring copies a checked backup back over the live database the same way, after saving
the current one beside it (``<file>.before-restore-<time>``); programs still running see the
restored data at their next transaction. The restore ends with a ``database.restored`` event
numbered above every id handed out before it, so each change-feed sees it wherever it had got
to, and the programs read everything again.

PostgreSQL: the server's own tools, ``pg_dump -Fc`` and ``pg_restore --clean --single-transaction``
(installed with PostgreSQL, or its client tools on a PC), found on the PATH or in PostgreSQL's
usual folders.

Daily backups (``[backup]``): the first program of the centre running after ``at`` takes the
day's backup into ``folder`` (``motcua-YYYY-MM-DD.sqlite3`` / ``.dump``) and keeps the newest
``keep`` of them; one file per day whoever takes it.
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from datetime import time as dtime
from pathlib import Path

from shared import events
from shared.clock import ensure_aware, now_in, utcnow, zone
from shared.db import Database, unwatched
from shared.errors import BackupError, BackupRefused
from shared.feed import latest_event_id
from shared.migrations import HEAD_REVISION, KNOWN_REVISIONS
from shared.settings import BackupSettings, data_dir
from shared.views import JsonView

log = logging.getLogger("motcua.backup")

PART = ".part"
STALE_PART_S = 3600.0
"""A half-written backup older than this was left by a program that stopped: taken again."""


@dataclass(frozen=True)
class BackupResult(JsonView):
    path: str
    bytes: int
    database: str
    revision: str | None


# --- taking a backup ---------------------------------------------------------------------------


def backup(db: Database, target: Path) -> BackupResult:
    """Copy the database to ``target`` (a new file; an existing one is replaced only once the
    new copy is complete and checked). Raises :class:`BackupError` with what went wrong."""
    target = target.expanduser().resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + PART)
    try:
        with unwatched():
            if db.is_sqlite:
                _backup_sqlite(db, part)
            else:
                _backup_postgresql(db, part)
        _fsync(part)
        os.replace(part, target)
    except BackupError:
        part.unlink(missing_ok=True)
        raise
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise BackupError(detail=exc.strerror or str(exc)) from exc
    size = target.stat().st_size
    log.info("backup of %s written to %s (%d bytes)", db.display_url, target, size)
    return BackupResult(str(target), size, db.display_url, db.current_revision())


def _sqlite_file(db: Database) -> Path:
    return Path(db.url.database or "").expanduser().resolve()


def _backup_sqlite(db: Database, part: Path) -> None:
    source_path = _sqlite_file(db)
    if not source_path.exists():
        raise BackupError(detail=f"{source_path}: không có tệp / no such file")
    part.unlink(missing_ok=True)
    source = sqlite3.connect(source_path, timeout=db.settings.busy_timeout)
    try:
        copy = sqlite3.connect(part)
        try:
            # In steps, with pauses: the kiosks and counters keep writing meanwhile.
            source.backup(copy, pages=2048, sleep=0.005)
            _check_sqlite(copy, part)
        finally:
            copy.close()
    except sqlite3.Error as exc:
        raise BackupError(detail=str(exc)) from exc
    finally:
        source.close()


def _check_sqlite(conn: sqlite3.Connection, path: Path) -> str | None:
    """The schema revision of a checked SQLite copy; BackupRefused when it is not sound."""
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(path=str(path), detail=str(exc)) from exc
    if not result or result[0] != "ok":
        raise BackupRefused(path=str(path), detail=f"integrity_check: {result}")
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        raise BackupRefused(
            path=str(path), detail="không phải cơ sở dữ liệu MotCua / not a MotCua database"
        ) from None
    return row[0] if row else None


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


# --- PostgreSQL --------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    """``pg_dump`` / ``pg_restore``: on the PATH, else in PostgreSQL's usual folders (the newest
    version first)."""
    found = shutil.which(name)
    if found:
        return found
    exe = f"{name}.exe" if sys.platform == "win32" else name
    patterns = [f"/usr/lib/postgresql/*/bin/{exe}", f"/usr/pgsql-*/bin/{exe}"]
    if sys.platform == "win32":
        base = os.environ.get("ProgramFiles", r"C:\Program Files")
        patterns.append(os.path.join(base, "PostgreSQL", "*", "bin", exe))
    candidates = sorted(
        (path for pattern in patterns for path in glob.glob(pattern)),
        key=lambda p: [int(part) if part.isdigit() else 0 for part in Path(p).parts],
    )
    if not candidates:
        raise BackupError("error.backup_tool_missing", tool=name)
    return candidates[-1]


def _pg_args(db: Database) -> tuple[list[str], dict[str, str]]:
    url = db.url
    args = ["-h", url.host or "localhost", "-p", str(url.port or 5432)]
    if url.username:
        args += ["-U", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    env["PGCONNECT_TIMEOUT"] = "10"
    return args, env


def _run_tool(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BackupError(detail=str(exc)) from exc
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        raise BackupError(detail=lines[-1] if lines else f"exit {done.returncode}")


def _backup_postgresql(db: Database, part: Path) -> None:
    args, env = _pg_args(db)
    command = [_pg_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(part), *args]
    _run_tool([*command, db.url.database or "motcua"], env)


# --- restoring ---------------------------------------------------------------------------------


def restore(db: Database, source: Path) -> BackupResult:
    """Put the backup ``source`` in place of the database's content, while programs may be
    running. A file that is not a sound backup of this product is refused before anything is
    touched (:class:`BackupRefused`); on SQLite the current data is saved beside it first."""
    source = source.expanduser().resolve()
    if not source.is_file():
        raise BackupRefused(path=str(source), detail="không có tệp / no such file")
    with unwatched():
        before = _newest_event(db)
        if db.is_sqlite:
            revision = _restore_sqlite(db, source)
        else:
            revision = _restore_postgresql(db, source)
    if revision != HEAD_REVISION:
        db.upgrade()  # a backup made by an older version: brought up to this one
    with db.transaction() as s:
        # Numbered above every event handed out before, so that every running program reads it
        # and starts again from the restored data, wherever its change-feed had got to.
        events.append_above(s, "database.restored", before, at=utcnow(), data={"file": source.name})
    log.warning("database %s restored from %s", db.display_url, source)
    return BackupResult(str(source), source.stat().st_size, db.display_url, db.current_revision())


def _newest_event(db: Database) -> int:
    """The newest event id of the live database; 0 when it has none (or is not one yet)."""
    try:
        return latest_event_id(db)
    except Exception:  # noqa: BLE001 - an empty or broken database is what a restore mends
        return 0


def _restore_sqlite(db: Database, source: Path) -> str | None:
    try:
        backup_conn = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupRefused(path=str(source), detail=str(exc)) from exc
    try:
        revision = _check_sqlite(backup_conn, source)
        if revision not in KNOWN_REVISIONS:
            raise BackupRefused(
                path=str(source),
                detail=f"phiên bản {revision} / schema revision {revision} unknown here",
            )
        live = _sqlite_file(db)
        if live.exists():
            stamp = now_in("UTC").strftime("%Y%m%d-%H%M%S")
            saved = live.with_name(f"{live.name}.before-restore-{stamp}")
            _backup_sqlite(db, saved)
            log.info("the data before the restore is kept in %s", saved)
        target = sqlite3.connect(live, timeout=db.settings.busy_timeout)
        try:
            backup_conn.backup(target, pages=2048, sleep=0.005)
        except sqlite3.Error as exc:
            raise BackupError(detail=str(exc)) from exc
        finally:
            target.close()
        return revision
    finally:
        backup_conn.close()


def _restore_postgresql(db: Database, source: Path) -> str | None:
    args, env = _pg_args(db)
    tool = _pg_tool("pg_restore")
    try:
        listing = subprocess.run(
            [tool, "--list", str(source)], capture_output=True, text=True, timeout=600
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BackupError(detail=str(exc)) from exc
    if listing.returncode != 0 or "TABLE DATA public alembic_version" not in listing.stdout:
        raise BackupRefused(
            path=str(source), detail="không phải bản sao lưu MotCua / not a MotCua backup"
        )
    command = [tool, "--clean", "--if-exists", "--no-owner", "--single-transaction", *args]
    _run_tool([*command, "-d", db.url.database or "motcua", str(source)], env)
    return db.current_revision()


# --- daily backups -----------------------------------------------------------------------------


def _hhmm(text: str) -> dtime:
    try:
        hour, minute = (int(part) for part in text.strip().split(":"))
        return dtime(hour, minute)
    except ValueError:
        from shared.errors import ConfigError

        raise ConfigError(
            file="[backup] at", detail=f"{text!r}: cần dạng / expected HH:MM"
        ) from None


def backup_folder(settings: BackupSettings) -> Path:
    return Path(settings.folder).expanduser() if settings.folder else data_dir() / "backups"


def centre_timezone(db: Database, centre: str | None = None) -> str:
    """The time zone of the centre (the only one, when ``centre`` is None)."""
    from sqlalchemy import select

    from shared.clock import DEFAULT_TIMEZONE
    from shared.models import Centre

    with db.transaction(readonly=True) as s:
        stmt = select(Centre.timezone).order_by(Centre.id).limit(1)
        if centre:
            stmt = stmt.where(Centre.code == centre)
        return s.scalar(stmt) or DEFAULT_TIMEZONE


def daily_backup(
    db: Database, settings: BackupSettings, *, timezone: str, now: datetime | None = None
) -> BackupResult | None:
    """Today's backup, if it is due and nobody took it yet; then only the newest ``keep`` are
    kept. None when there is nothing to do (off, not yet time, already taken, taken by another
    program right now)."""
    if settings.keep <= 0 or (not db.is_sqlite and not settings.postgresql):
        return None
    local = ensure_aware(now).astimezone(zone(timezone))
    if local.time() < _hhmm(settings.at):
        return None
    folder = backup_folder(settings)
    suffix = ".sqlite3" if db.is_sqlite else ".dump"
    target = folder / f"motcua-{local:%Y-%m-%d}{suffix}"
    if target.exists():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    claim = target.with_name(target.name + ".taking")
    try:
        fd = os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        if time.time() - claim.stat().st_mtime < STALE_PART_S:
            return None  # another program of the centre is taking it
        claim.unlink(missing_ok=True)
        return None  # taken again at the next check
    os.close(fd)
    try:
        result = backup(db, target)
    finally:
        claim.unlink(missing_ok=True)
    kept = sorted(folder.glob(f"motcua-????-??-??{suffix}"))
    for old in kept[: max(0, len(kept) - settings.keep)]:
        old.unlink(missing_ok=True)
        log.info("old backup %s removed (keeping %d)", old.name, settings.keep)
    return result
