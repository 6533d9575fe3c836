"""A dossier's whole journey, as the centre lives it, with the real parts end to end.

A clerk receives a land-registration dossier on the Friday afternoon before the Giỗ Tổ make-up
day and 30/4–1/5; both slips are printed (the A4 Mẫu 01 as a PDF and its pages, the thermal slip
as the printer's own picture); the citizen scans the slip's QR at the kiosk (the QR read back
from the printed picture by zbar, then typed by a keyboard-wedge scanner) and reads where the
dossier stands; the clerk forwards it to another agency, records its result, marks the result
ready, and returns it by scanning the same slip.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from pyzbar.pyzbar import ZBarSymbol, decode

from shared.db import Database
from shared.demo import load_shipped_calendars
from shared.dossier_views import (
    ACCEPTED,
    PROCESSING,
    RESULT_READY,
    RETURNED,
    Party,
    ReceiveForm,
)
from shared.dossiers import DossierDesk
from shared.forms import FormOptions, render_form_pages, render_form_pdf
from shared.forms.slip import render_thermal_slip
from shared.printing.layout import PrinterProfile
from shared.settings import Settings
from shared.users import add_user

pytestmark = pytest.mark.timewise  # also run at shifted clocks (scripts/test.sh)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
FRIDAY_AFTERNOON = datetime(2026, 4, 24, 16, 0, tzinfo=HCM)
LAND_REGISTRATION = "1.013978"  # 20 working days in the sample catalogue
DUE = datetime(2026, 5, 27, 16, 0, tzinfo=HCM)
"""20 working days after Friday 24/4/2026, by hand on the 2026 calendar: Monday 27/4 (make-up
for Giỗ Tổ), Thursday 30/4 and Friday 1/5 are days off; 28–29/4 are days 1–2, 4–8/5 days 3–7,
11–15/5 days 8–12, 18–22/5 days 13–17, 25–27/5 days 18–20."""
NAME = "Nguyễn Thị Ngọc Ánh"


@pytest.fixture
def centre(sample_db: Database) -> Iterator[Database]:
    load_shipped_calendars(sample_db)
    yield sample_db


def qr_texts(image) -> list[str]:  # noqa: ANN001 - a PIL image
    return [
        symbol.data.decode("ascii")
        for symbol in decode(image.convert("L"), symbols=[ZBarSymbol.QRCODE])
    ]


def test_receive_print_track_forward_and_return(
    qtbot, centre: Database, tmp_path: Path, clock
) -> None:
    from kiosk.app import KioskWindow
    from kiosk.model import load_home, lookup_rows
    from shared.qt.fonts import load_fonts
    from tests.test_kiosk import send_keys

    clerk = add_user(centre, "hong", "mat-khau-dai-du", "clerk", full_name="Lê Thị Hồng")
    desk = DossierDesk(centre, None, clerk.id)
    form = ReceiveForm(
        procedure_code=LAND_REGISTRATION,
        applicant=Party(
            kind="person",
            name=NAME,
            id_type="cccd",
            id_number="079301000123",
            address="Số 12 đường Trần Hưng Đạo, phường Tân An, tỉnh Long An",
            phone="0912 345 678",
        ),
    )
    clock.set(FRIDAY_AFTERNOON)
    received = desk.receive(form, counter=1)
    assert received.status == ACCEPTED
    assert received.due_at == DUE and received.appointment_at == DUE

    # Both slips: the A4 form (two copies) and the thermal slip.
    options = FormOptions(timezone="Asia/Ho_Chi_Minh")
    pdf = render_form_pdf("01", received, tmp_path / "mau01.pdf", options=options)
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Liên 1: Lưu" in text and "Liên 2: Giao công dân" in text
    assert "16 giờ 00 phút, ngày 27 tháng 05 năm 2026" in text
    assert received.code in text and NAME in text
    pages = render_form_pages("01", received, dpi=200, options=options)
    on_pages = [qr for page in pages for qr in qr_texts(page)]
    slip = render_thermal_slip(received, PrinterProfile.for_paper(80), options)
    on_slip = qr_texts(slip)
    assert len(on_slip) == 1 and on_slip[0] in on_pages  # the citizen's copy carries the QR
    scanned = on_slip[0]
    assert received.code in scanned and received.secret in scanned
    assert "Nguy" not in scanned and "079301000123" not in scanned

    # The citizen scans the slip at the kiosk on Tuesday morning.
    clock.set(datetime(2026, 4, 28, 9, 0, tzinfo=HCM))
    window = KioskWindow(centre, None, Settings(), load_fonts(), load_home(centre, None))
    qtbot.addWidget(window)
    window.resize(1080, 1920)
    window.show()
    qtbot.waitExposed(window)

    def kiosk_reads() -> dict[str, str]:
        with qtbot.waitSignal(window.lookup_finished, timeout=10_000) as done:
            send_keys(window, scanned + "\n")
        view = done.args[0]
        assert view.code == received.code and view.applicant_masked == "N*** T*** N*** Á***"
        rows = dict(lookup_rows(view, "vi", "Asia/Ho_Chi_Minh"))
        assert NAME not in str(rows) and "079301000123" not in str(rows)
        return rows

    rows = kiosk_reads()
    assert rows["Tình trạng"] == "Được tiếp nhận"
    assert "27/05/2026" in str(rows)
    assert rows["Tiến độ"] == "✓ Trong hạn"  # open: within its time, never "early"

    # Forwarded to another agency at 09:30, its result back on 22/5, the result ready.
    clock.advance(minutes=30)
    desk.hand_over(received.code, "Văn phòng Đăng ký đất đai tỉnh Long An", days=15)
    assert desk.show(received.code).status == PROCESSING
    clock.set(datetime(2026, 5, 22, 10, 0, tzinfo=HCM))
    desk.record_step_result(received.code, 1, "Đã cấp Giấy chứng nhận")
    ready = desk.mark_ready(received.code)
    assert ready.status == RESULT_READY and ready.timeliness == "early"
    assert ready.handovers[0].result == "Đã cấp Giấy chứng nhận"
    rows = kiosk_reads()
    assert rows["Tình trạng"] == "Đã xử lý xong" and rows["Tiến độ"] == "✓ Trước hạn"

    # Returned by scanning the same slip at the counter, on the appointment day.
    clock.set(DUE)
    returned = desk.return_result(scanned)
    assert returned.status == RETURNED and returned.returned_at == DUE
    assert kiosk_reads()["Tình trạng"] == "Đã trả kết quả"
