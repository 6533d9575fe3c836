"""``motcua doctor``: is this PC ready to serve the centre? Each check says ok, warn or fail, what
it found and what to do.

Checked: the database (reachable, schema, SQLite's own integrity check), this PC's clock (against
the PostgreSQL server's, or the newest event in the log), the printer (asked for its status, not
printed on), the fonts, the offline voice, free disk space (database, logs, backups), the last
daily backup, and whether the log folder can be written.

Exit code: 0 when nothing failed (warnings allowed), else the first failed area's: 4 database,
5 printer, 3 anything else.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Literal

from shared.errors import EXIT_DATABASE, EXIT_OK, EXIT_PRINTER, EXIT_REFUSED, MotcuaError
from shared.i18n import tr
from shared.settings import Settings
from shared.views import JsonView

Status = Literal["ok", "warn", "fail"]

DISK_WARN = 500 * 1024 * 1024
DISK_FAIL = 50 * 1024 * 1024
CLOCK_WARN = 5.0
"""Seconds of difference with the database server worth a warning (the server's time is used)."""
BACKUP_STALE = timedelta(days=2)


@dataclass(frozen=True)
class Check(JsonView):
    name: str
    """"database", "schema", "integrity", "clock", "printer", "fonts", "voice", "disk", "backup",
    "logs"."""
    status: Status
    detail: str
    """What was found, in the current language."""
    advice: str = ""
    """What to do about it (empty when ok)."""


@dataclass(frozen=True)
class Report(JsonView):
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.status != "fail" for c in self.checks)

    @property
    def exit_code(self) -> int:
        for check in self.checks:
            if check.status == "fail":
                if check.name in ("database", "schema", "integrity"):
                    return EXIT_DATABASE
                if check.name == "printer":
                    return EXIT_PRINTER
                return EXIT_REFUSED
        return EXIT_OK


def _ok(check: str, key: str, **params: object) -> Check:
    return Check(check, "ok", tr(key, **params))


def _bad(status: Status, check: str, detail: str, advice_key: str = "", **params: object) -> Check:
    return Check(check, status, detail, tr(advice_key, **params) if advice_key else "")


def examine(settings: Settings, db: object | None) -> Report:
    """Every check, in order; a check that cannot run says why instead of stopping the rest."""
    checks: list[Check] = []
    checks += _database(db)
    checks.append(_clock(db))
    checks.append(_printer(settings))
    checks.append(_fonts())
    checks.append(_voice(settings))
    checks.append(_disk(settings, db))
    checks.append(_backup(settings, db))
    checks.append(_logs(settings))
    return Report(checks)


# --- the checks --------------------------------------------------------------------------------


def _database(db: object | None) -> list[Check]:
    from shared.db import Database
    from shared.migrations import HEAD_REVISION

    assert isinstance(db, Database)
    try:
        current = db.current_revision()
    except MotcuaError as error:
        return [_bad("fail", "database", error.message, "doctor.advice.database")]
    checks = [_ok("database", "doctor.database.ok", url=db.display_url)]
    if current != HEAD_REVISION:
        return [
            *checks,
            _bad(
                "fail",
                "schema",
                tr("doctor.schema.old", current=current or "—", head=HEAD_REVISION),
                "doctor.advice.schema",
            ),
        ]
    checks.append(_ok("schema", "doctor.schema.ok", revision=current))
    if db.is_sqlite:
        from sqlalchemy import text

        try:
            with db.transaction(readonly=True) as s:
                result = s.execute(text("PRAGMA quick_check")).scalar()
        except MotcuaError as error:
            return [*checks, _bad("fail", "integrity", error.message, "doctor.advice.restore")]
        if result != "ok":
            detail = tr("doctor.integrity.bad", detail=str(result)[:200])
            return [*checks, _bad("fail", "integrity", detail, "doctor.advice.restore")]
        checks.append(_ok("integrity", "doctor.integrity.ok"))
    return checks


def _clock(db: object | None) -> Check:
    from sqlalchemy import func, select

    from shared.clock import CLOCK_ENV, is_shifted, utcnow
    from shared.db import Database
    from shared.models import Event

    assert isinstance(db, Database)
    if is_shifted():
        return _bad(
            "warn",
            "clock",
            tr("doctor.clock.shifted", variable=CLOCK_ENV, now=utcnow()),
            "doctor.advice.shifted",
            variable=CLOCK_ENV,
        )
    try:
        if not db.is_sqlite:
            offset = db.check_clock() or 0.0
            if abs(offset) > CLOCK_WARN:
                detail = tr(
                    "doctor.clock.skew",
                    seconds=f"{abs(offset):.0f}",
                    side=tr("doctor.clock.behind" if offset > 0 else "doctor.clock.ahead"),
                )
                return _bad("warn", "clock", detail, "doctor.advice.clock")
            return _ok("clock", "doctor.clock.server", seconds=f"{abs(offset):.1f}")
        with db.transaction(readonly=True) as s:
            newest = s.scalar(select(func.max(Event.at)))
    except MotcuaError as error:
        return _bad("warn", "clock", error.message)
    now = utcnow()
    if newest is not None and newest - now > timedelta(minutes=5):
        detail = tr("doctor.clock.went_back", newest=newest.isoformat(timespec="seconds"))
        return _bad("warn", "clock", detail, "doctor.advice.clock")
    return _ok("clock", "doctor.clock.ok", now=now.isoformat(timespec="seconds"))


def _printer(settings: Settings) -> Check:
    from shared.errors import PrinterError, PrinterNotConfigured
    from shared.printing.printers import open_printer, printer_label

    label = printer_label(settings.printer)
    try:
        with open_printer(settings.printer) as printer:
            status = printer.status() if settings.printer.check_status else None
            problem = status.problem(label) if status is not None else None
    except PrinterNotConfigured:
        return _bad("warn", "printer", tr("doctor.printer.none"), "doctor.advice.printer_none")
    except PrinterError as error:
        return _bad("fail", "printer", error.message, "doctor.advice.printer")
    if problem is not None:
        return _bad("fail", "printer", problem.message, "doctor.advice.printer")
    if status is None:
        return _ok("printer", "doctor.printer.reached", printer=label)
    if status.paper_near_end:
        return _bad("warn", "printer", tr("doctor.printer.paper_low", printer=label))
    return _ok("printer", "doctor.printer.ok", printer=label)


def _fonts() -> Check:
    from PIL import ImageFont

    from shared.resources import asset

    missing = []
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSerif-Regular.ttf"):
        path = asset("fonts", name)
        try:
            ImageFont.truetype(str(path), 20).getbbox("Hồ sơ Đặng Thị Ngọc Ánh")
        except OSError:
            missing.append(name)
    if missing:
        return _bad(
            "fail",
            "fonts",
            tr("doctor.fonts.missing", names=", ".join(missing)),
            "doctor.advice.reinstall",
        )
    return _ok("fonts", "doctor.fonts.ok")


def _voice(settings: Settings) -> Check:
    from shared.voice import find_espeak

    if not settings.voice.enabled:
        return _ok("voice", "doctor.voice.off")
    found = find_espeak()
    if found is None:
        return _bad("warn", "voice", tr("doctor.voice.missing"), "doctor.advice.voice")
    return _ok("voice", "doctor.voice.ok", path=found)


def _disk(settings: Settings, db: object | None) -> Check:
    from shared.backup import backup_folder
    from shared.db import Database

    places = {"logs": settings.log_dir, "backups": backup_folder(settings.backup)}
    if isinstance(db, Database) and db.is_sqlite:
        places["database"] = Path(db.url.database or ".").expanduser().parent
    lowest: tuple[int, str, Path] | None = None
    for what, folder in places.items():
        existing = folder
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        try:
            free = shutil.disk_usage(existing).free
        except OSError:
            continue
        if lowest is None or free < lowest[0]:
            lowest = (free, what, folder)
    if lowest is None:
        return _bad("warn", "disk", tr("doctor.disk.unknown"))
    free, what, folder = lowest
    size = f"{free / (1 << 20):.0f} MB"
    if free < DISK_FAIL:
        return _bad(
            "fail", "disk", tr("doctor.disk.low", free=size, path=folder), "doctor.advice.disk"
        )
    if free < DISK_WARN:
        return _bad(
            "warn", "disk", tr("doctor.disk.low", free=size, path=folder), "doctor.advice.disk"
        )
    return _ok("disk", "doctor.disk.ok", free=size, what=what)


def _backup(settings: Settings, db: object | None) -> Check:
    from shared.backup import backup_folder
    from shared.db import Database

    assert isinstance(db, Database)
    if settings.backup.keep <= 0 or (not db.is_sqlite and not settings.backup.postgresql):
        return _ok("backup", "doctor.backup.off")
    folder = backup_folder(settings.backup)
    copies = sorted(folder.glob("motcua-????-??-??.*")) if folder.exists() else []
    copies = [c for c in copies if c.suffix in (".sqlite3", ".dump")]
    if not copies:
        return _bad(
            "warn", "backup", tr("doctor.backup.none", folder=folder), "doctor.advice.backup"
        )
    newest = copies[-1]
    # The file's time and this computer's, both from the same system clock.
    age = timedelta(seconds=max(0.0, time.time() - newest.stat().st_mtime))
    if age > BACKUP_STALE:
        return _bad(
            "warn",
            "backup",
            tr("doctor.backup.old", file=newest.name, days=age.days),
            "doctor.advice.backup",
        )
    return _ok("backup", "doctor.backup.ok", file=newest.name)


def _logs(settings: Settings) -> Check:
    folder = settings.log_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".doctor-{os.getpid()}-{time.monotonic_ns()}"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        return _bad(
            "fail",
            "logs",
            tr("doctor.logs.bad", path=folder, detail=exc.strerror or str(exc)),
            "doctor.advice.logs",
        )
    return _ok("logs", "doctor.logs.ok", path=folder)
