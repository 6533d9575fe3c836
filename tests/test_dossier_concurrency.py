"""Dossier codes under concurrent counters: real processes receiving on one shared database.

Codes ``<agency e-ID>-<YYMMDD>-<NNNN>`` come from an atomic upsert of the (agency, local day) row
of ``dossier_sequences``; here 6 processes receive 25 dossiers each, as fast as they can, on an
SQLite file and on the PostgreSQL server: every number of the day is used exactly once.
"""

from __future__ import annotations

import json
import multiprocessing
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from shared.catalog import import_catalog, parse_catalog
from shared.db import Database
from shared.dossier_views import Party, ReceiveForm
from shared.dossiers import DossierDesk
from shared.models import Dossier, DossierSequence, Event

PROCESSES = 6
PER_PROCESS = 25
EID = "000.00.10.H39"
DAY = datetime(2026, 4, 24, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

CATALOG = """\
format = 1

[centre]
code = "STRESS"
name = "Trung tâm kiểm tra tải"
agency = "UBND TỈNH THỬ NGHIỆM"
agency_eid = "000.00.10.H39"

[[sectors]]
code = "TP"
name = "Tư pháp"

[[services]]
code = "HT"
name = "Hộ tịch"
sector = "TP"

[[procedures]]
code = "1.001193"
name = "Đăng ký khai sinh"
sector = "TP"
service = "HT"
processing_days = 3
"""


def receiver(url: str, index: int, out: str, go: Any) -> None:
    """One counter: receive PER_PROCESS dossiers, half of them on the next local day."""
    db = Database(url)
    desk = DossierDesk(db, "STRESS")
    go.wait()
    codes = []
    for i in range(PER_PROCESS):
        form = ReceiveForm(
            procedure_code="1.001193",
            applicant=Party(kind="person", name=f"Công dân {index}-{i}"),
        )
        # Alternate days: the sequence of each day must stay gap-free on its own.
        moment = DAY + timedelta(days=i % 2, minutes=i)
        codes.append(desk.receive(form, received_at=moment, counter=1 + index % 2).code)
    db.dispose()
    Path(out).write_text(json.dumps(codes))


def run_receivers(url: str, tmp_path: Path) -> list[str]:
    db = Database(url)
    db.upgrade()
    import_catalog(
        db,
        parse_catalog(
            CATALOG + '\n[[counters]]\nnumber = 1\nservices = ["HT"]\n'
            '\n[[counters]]\nnumber = 2\nservices = ["HT"]\n'
        ),
    )
    db.dispose()
    ctx = multiprocessing.get_context("spawn")
    go = ctx.Event()
    workers = [
        ctx.Process(target=receiver, args=(url, i, str(tmp_path / f"r{i}.json"), go))
        for i in range(PROCESSES)
    ]
    for p in workers:
        p.start()
    go.set()
    for p in workers:
        p.join(timeout=300)
        assert p.exitcode == 0, "a receiving process failed"
    return [c for i in range(PROCESSES) for c in json.loads((tmp_path / f"r{i}.json").read_text())]


def check(url: str, codes: list[str]) -> None:
    total = PROCESSES * PER_PROCESS
    assert len(codes) == len(set(codes)) == total  # no duplicates
    by_day: dict[str, list[int]] = {}
    for code in codes:
        eid, ymd, number = code.rsplit("-", 2)
        assert eid == EID and len(number) == 4
        by_day.setdefault(ymd, []).append(int(number))
    assert set(by_day) == {"260424", "260425"}
    for numbers in by_day.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))  # no gaps
    db = Database(url)
    with db.transaction(readonly=True) as s:
        stored = {d.code: (d.seq, d.register_no) for d in s.scalars(select(Dossier))}
        sequences = sorted(s.scalars(select(DossierSequence.last_seq)))
        received = s.scalars(select(Event.dossier_id).where(Event.kind == "dossier.received"))
        received_ids = list(received)
    db.dispose()
    assert set(stored) == set(codes)
    assert all(seq == int(code[-4:]) for code, (seq, _) in stored.items())
    # The tracking book numbers the year's volume: one gap-free run over both days.
    assert sorted(reg for _, reg in stored.values()) == list(range(1, total + 1))
    assert sum(sequences) == total and len(sequences) == 2
    assert len(received_ids) == len(set(received_ids)) == total


@pytest.mark.slow
def test_concurrent_counters_number_dossiers_without_gaps_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'centre.sqlite3').as_posix()}"
    check(url, run_receivers(url, tmp_path))


@pytest.mark.slow
@pytest.mark.postgres
def test_concurrent_counters_number_dossiers_without_gaps_on_postgresql(
    pg_url: str, tmp_path: Path
) -> None:
    check(pg_url, run_receivers(pg_url, tmp_path))
