"""The manager's reports against a small day built by hand through the real engine, on SQLite
and on PostgreSQL: every figure is worked out in the test's docstrings from the day below, and
the files (XLSX read back with openpyxl, PDF rendered to text, CSV) carry the same numbers."""

from __future__ import annotations

import csv
import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from shared.counters import sign_in
from shared.db import Database
from shared.dossier_views import Party, ReceiveForm
from shared.dossiers import DossierDesk
from shared.errors import ReportRefused
from shared.queue import QueueEngine
from shared.report_files import write_report
from shared.reports import build_report, satisfaction_class
from shared.users import add_user
from tests.helpers.clock import vn

DAY = date(2026, 11, 18)
PASSWORD = "mat-khau-dai"


@pytest.fixture
def day(db: Database, engine: QueueEngine, clock) -> Database:
    """Wednesday 18/11/2026 at the test centre (counter 1 serves HT, counter 2 HT then DD):

    ==========  =========================================================================
    08:00       lan signs in at counter 1, minh at counter 2; t1 HT issued
    08:05       t2 HT issued
    08:10       t3 DD issued; counter 1 calls t1 (waited 10 min), starts
    08:20       counter 1 finishes t1 (10 min); counter 2 calls t2 (waited 15), starts
    08:26       counter 2 finishes t2 (6 min)
    08:30       counter 2 calls t3 (waited 20)
    08:35       t3 no-show
    09:30       t4 HT issued
    09:40       counter 1 calls t4 (waited 10), starts
    10:00       counter 1 finishes t4 (20 min); t5 DD issued
    10:02       t5 cancelled
    10:05       t6 HT issued (still waiting at the end)
    ==========  =========================================================================

    Ratings (3-level scale): t1 Rất hài lòng, t2 Hài lòng, t4 Không hài lòng.
    Dossiers: d1 received 09:00 and ready at 10:00 (on time); d2 received 09:05, still open.
    """
    for name in ("lan", "minh"):
        add_user(db, name, PASSWORD, "clerk", full_name=name.title())
    clock.set(vn(2026, 11, 18, 8, 0))
    lan = sign_in(db, "lan", PASSWORD, 1, centre="TEST")
    minh = sign_in(db, "minh", PASSWORD, 2, centre="TEST")
    at1 = QueueEngine(db, "TEST", user_id=lan.user_id)
    at2 = QueueEngine(db, "TEST", user_id=minh.user_id)

    def at(hour: int, minute: int) -> None:
        clock.set(vn(2026, 11, 18, hour, minute))

    t1 = engine.issue("HT")
    at(8, 5)
    t2 = engine.issue("HT")
    at(8, 10)
    engine.issue("DD")
    assert at1.call_next(1).id == t1.id
    at1.start(t1.id)
    at(8, 20)
    at1.finish(t1.id)
    assert at2.call_next(2).id == t2.id
    at2.start(t2.id)
    at(8, 26)
    at2.finish(t2.id)
    at(8, 30)
    t3 = at2.call_next(2)
    at(8, 35)
    at2.no_show(t3.id)
    at(9, 0)
    desk = DossierDesk(db, "TEST")
    form = ReceiveForm(procedure_code="1.001193", applicant=Party(kind="person", name="Lê Thị Hoa"))
    d1 = desk.receive(form)
    at(9, 5)
    desk.receive(form)
    at(9, 30)
    t4 = engine.issue("HT")
    at(9, 40)
    assert at1.call_next(1).id == t4.id
    at1.start(t4.id)
    at(10, 0)
    at1.finish(t4.id)
    desk.mark_ready(d1.code)
    t5 = engine.issue("DD")
    at(10, 2)
    engine.cancel(t5.id)
    at(10, 5)
    engine.issue("HT")
    for ticket, level in ((t1, 3), (t2, 2), (t4, 1)):
        engine.rate(ticket.id, level, scale=3)
    at(16, 0)
    return db


def test_tickets_per_service_with_waits_and_service_times(day: Database) -> None:
    """HT: t1, t2, t4 served, t6 waiting; waits 10, 15, 10 min (mean 11.7, nearest-rank p50 10,
    p90 15); service 10, 6, 20 min (mean 12.0, p50 10, p90 20). DD: t3 no-show after 20 min,
    t5 cancelled. The whole day: waits 10, 15, 20, 10 (mean 13.75 → 13.8, p50 10, p90 20)."""
    report = build_report(day, "services", DAY, DAY, "TEST")
    assert report.records() == [
        {
            "service": "HT",
            "name": "Hộ tịch",
            "tickets": 4,
            "served": 3,
            "no_show": 0,
            "cancelled": 0,
            "not_finished": 1,
            "wait_mean": 11.7,
            "wait_p50": 10.0,
            "wait_p90": 15.0,
            "service_mean": 12.0,
            "service_p50": 10.0,
            "service_p90": 20.0,
        },
        {
            "service": "DD",
            "name": "Đất đai",
            "tickets": 2,
            "served": 0,
            "no_show": 1,
            "cancelled": 1,
            "not_finished": 0,
            "wait_mean": 20.0,
            "wait_p50": 20.0,
            "wait_p90": 20.0,
            "service_mean": None,
            "service_p50": None,
            "service_p90": None,
        },
    ]
    assert report.total == ["", "", 6, 3, 1, 1, 1, 13.8, 10.0, 20.0, 12.0, 10.0, 20.0]


def test_per_hour_per_day_per_counter(day: Database) -> None:
    """Taken at 08 (t1–t3), 09 (t4), 10 (t5, t6). Counter 1 called t1 and t4 (both served);
    counter 2 called t2 (served) and t3 (no-show). The day before has nothing."""
    hours = build_report(day, "hours", DAY, DAY, "TEST")
    assert [(r["hour"], r["tickets"], r["served"]) for r in hours.records()] == [
        ("08:00", 3, 2),
        ("09:00", 1, 1),
        ("10:00", 2, 0),
    ]
    days = build_report(day, "days", date(2026, 11, 17), DAY, "TEST")
    assert [(r["day"], r["tickets"], r["no_show"]) for r in days.records()] == [(DAY, 6, 1)]
    counters = build_report(day, "counters", DAY, DAY, "TEST")
    assert [
        (r["counter"], r["tickets"], r["served"], r["no_show"], r["service_mean"])
        for r in counters.records()
    ] == [(1, 2, 2, 0, 15.0), (2, 2, 1, 1, 6.0)]
    assert build_report(day, "services", date(2026, 11, 17), date(2026, 11, 17)).rows == []


def test_per_clerk_with_their_citizens_satisfaction(day: Database) -> None:
    """lan (counter 1) served t1 and t4, rated very satisfied and dissatisfied: 50 % satisfied;
    minh (counter 2) served t2 (satisfied) and had t3's no-show: 100 %."""
    report = build_report(day, "clerks", DAY, DAY, "TEST")
    assert [
        (r["clerk"], r["tickets"], r["served"], r["no_show"], r["rated"], r["share_satisfied"])
        for r in report.records()
    ] == [("lan", 2, 2, 0, 2, 50.0), ("minh", 2, 1, 1, 1, 100.0)]


def test_satisfaction_in_the_official_columns(day: Database) -> None:
    report = build_report(day, "satisfaction", DAY, DAY, "TEST")
    assert report.columns[2:6] == ["very_satisfied", "satisfied", "neutral", "dissatisfied"]
    assert [row[0] for row in report.rows] == [1, 2]
    assert report.rows[0][2:] == [1, 0, 0, 1, 2, 0, 50.0]
    assert report.rows[1][2:] == [0, 1, 0, 0, 1, 0, 100.0]
    assert report.total[2:] == [1, 1, 0, 1, 3, 0, 66.7]


def test_scales_map_to_the_official_columns() -> None:
    assert [satisfaction_class(5, level) for level in range(1, 6)] == [
        "dissatisfied",
        "dissatisfied",
        "neutral",
        "satisfied",
        "very_satisfied",
    ]
    assert [satisfaction_class(4, level) for level in range(1, 5)] == [
        "dissatisfied",
        "neutral",
        "satisfied",
        "very_satisfied",
    ]


def test_dossiers_per_procedure_and_sector(day: Database, clock) -> None:
    """Procedure 1.001193 (same day, cut-off 15:00): d1 ready on time, d2 open within its due
    date at 16:00 on the day, past it the next morning."""
    report = build_report(day, "dossiers", DAY, DAY, "TEST")
    assert report.records() == [
        {
            "procedure": "1.001193",
            "name": "Đăng ký khai sinh",
            "sector": "TP",
            "received": 2,
            "early": 0,
            "on_time": 1,
            "late": 0,
            "open_in_time": 1,
            "open_overdue": 0,
        }
    ]
    clock.set(vn(2026, 11, 19, 9, 0))
    sectors = build_report(day, "sectors", DAY, DAY, "TEST")
    assert sectors.rows == [["TP", "Tư pháp", 2, 0, 1, 0, 0, 1]]
    assert sectors.total == ["", "", 2, 0, 1, 0, 0, 1]


def test_refusals_are_clear(day: Database) -> None:
    with pytest.raises(ReportRefused) as wrong:
        build_report(day, "everything", DAY, DAY, "TEST")
    assert "services" in wrong.value.message_in("en")
    with pytest.raises(ReportRefused) as backwards:
        build_report(day, "days", DAY, date(2026, 11, 1), "TEST")
    assert backwards.value.message_in("en") == (
        "The first day (18/11/2026) is after the last (01/11/2026)."
    )
    with pytest.raises(ReportRefused):
        build_report(day, "days", date(2025, 1, 1), DAY, "TEST")


def test_files_carry_the_same_figures(day: Database, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    report = build_report(day, "services", DAY, DAY, "TEST")
    out = tmp_path / "out"
    sheet = load_workbook(write_report(report, out / "r.xlsx")).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Số phiếu theo dịch vụ"
    centre = "Trung tâm Phục vụ hành chính công thử nghiệm"
    assert values[1][0] == f"{centre} — Từ 18/11/2026 đến 18/11/2026"
    assert values[2][:3] == ["Dịch vụ", "Tên", "Số phiếu"]
    assert values[3][:8] == ["HT", "Hộ tịch", 4, 3, 0, 0, 1, 11.7]
    assert values[5][:3] == ["Tổng cộng", None, 6]

    with (write_report(report, out / "r.csv")).open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][:8] == ["HT", "Hộ tịch", "4", "3", "0", "0", "1", "11.7"]
    assert rows[-1][:3] == ["Tổng cộng", "", "6"]

    text = PdfReader(write_report(report, out / "r.pdf")).pages[0].extract_text()
    assert "Số phiếu theo dịch vụ" in text and "Hộ tịch" in text and "11,7" in text
    assert "18/11/2026" in text

    with pytest.raises(ReportRefused):
        write_report(report, out / "r.docx")
    assert sorted(p.name for p in out.iterdir()) == ["r.csv", "r.pdf", "r.xlsx"]


def test_the_command(day: Database, db_url: str, motcua_bin: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [motcua_bin, "report", "services", "--from", "18/11/2026", "--to", "2026-11-18"]
        + ["--db", db_url, "--json", "--xlsx", str(tmp_path / "a.xlsx")]
        + ["--csv", str(tmp_path / "a.csv"), "--pdf", str(tmp_path / "a.pdf")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["report"]["rows"][0][:3] == ["HT", "Hộ tịch", 4]
    assert data["report"]["headers"][2] == "Số phiếu"
    assert len(data["files"]) == 3 and all(Path(f).stat().st_size > 0 for f in data["files"])
    human = subprocess.run(
        [motcua_bin, "report", "satisfaction", "--from", "18/11/2026", "--to", "18/11/2026"]
        + ["--db", db_url, "--lang", "en"],
        capture_output=True,
        text=True,
    )
    assert human.returncode == 0, human.stderr
    assert "% satisfied" in human.stdout and "66,7" in human.stdout
    wrong = subprocess.run(
        [motcua_bin, "report", "days", "--from", "31/02/2026", "--to", "18/11/2026"]
        + ["--db", db_url],
        capture_output=True,
        text=True,
    )
    assert wrong.returncode == 2 and "31/02/2026" in wrong.stderr


def test_closed_days_are_kept_and_counted_again_when_they_change(day: Database, clock) -> None:
    """The next morning the day is over: its figures are kept (report_days, report_figures,
    report_bands) and every report reads the same as it did from the tickets. A late change to
    one of its tickets (t6, still waiting, cancelled the next day) makes its figures old: the
    next report counts the day again."""
    from sqlalchemy import func, select

    from shared.models import ReportBand, ReportDay, ReportFigure, Ticket

    kinds = ("services", "hours", "days", "counters", "clerks")
    live = {kind: build_report(day, kind, DAY, DAY, "TEST") for kind in kinds}
    with day.transaction(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(ReportDay)) == 0  # today: not kept
    clock.set(vn(2026, 11, 19, 7, 30))
    kept = {kind: build_report(day, kind, DAY, DAY, "TEST") for kind in kinds}
    assert {k: r.rows for k, r in kept.items()} == {k: r.rows for k, r in live.items()}
    assert {k: r.total for k, r in kept.items()} == {k: r.total for k, r in live.items()}
    with day.transaction(readonly=True) as s:
        [(kept_day, first_mark)] = s.execute(
            select(ReportDay.business_day, ReportDay.last_event_id)
        ).all()
        assert kept_day == DAY
        dims = set(s.scalars(select(ReportFigure.dimension).distinct()))
        assert dims == {"total", "services", "hours", "counters", "clerks"}
        assert s.scalar(select(func.count()).select_from(ReportBand)) > 0
        waiting = s.scalar(select(Ticket.id).where(Ticket.status == "waiting"))

    QueueEngine(day, "TEST").cancel(waiting)
    services = build_report(day, "services", DAY, DAY, "TEST")
    assert services.total[2:7] == [6, 3, 1, 2, 0]  # tickets, served, no-show, cancelled, left
    with day.transaction(readonly=True) as s:
        [(_, mark)] = s.execute(select(ReportDay.business_day, ReportDay.last_event_id)).all()
    assert mark > first_mark
    # A month around the day: the closed days without tickets are kept empty.
    month = build_report(day, "days", date(2026, 11, 1), date(2026, 11, 30), "TEST")
    assert [(r["day"], r["tickets"]) for r in month.records()] == [(DAY, 6)]
    with day.transaction(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(ReportDay)) == 18  # 1–18 November


def test_the_command_offers_every_report() -> None:
    """``cli.report`` lists the kinds without importing the reports (the parser stays light)."""
    from cli.report import KINDS
    from shared.reports import REPORT_KINDS

    assert KINDS == REPORT_KINDS
