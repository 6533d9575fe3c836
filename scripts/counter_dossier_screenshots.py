"""Save screenshots of the counter's dossier window (default /tmp/counter-dossier-shots).

    .venv/bin/python scripts/counter_dossier_screenshots.py [OUTDIR]

A throw-away SQLite database with the sample catalogue and one clerk; the form's clock on a
Friday afternoon before the 2 September holiday (the land-registration dossier of the issue's
"done means"). Shots: the empty receiving form, the form with field errors (Vietnamese and
English), the result panel, the list (late ones first), one dossier in full with a hand-over
step, a hand-over dialog, the tracking book. Offscreen: needs no display.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datetime import date, datetime  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from counter.dossier_window import DossierWindow  # noqa: E402
from shared.catalog import import_catalog, load_catalog_file  # noqa: E402
from shared.clock import FixedClock, set_clock  # noqa: E402
from shared.db import Database  # noqa: E402
from shared.dossier_views import DocumentLine, Party, ReceiveForm  # noqa: E402
from shared.dossiers import DossierDesk  # noqa: E402
from shared.i18n import set_language  # noqa: E402
from shared.qt.fonts import load_fonts  # noqa: E402
from shared.resources import asset  # noqa: E402
from shared.settings import Settings  # noqa: E402
from shared.users import add_user  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FRIDAY = datetime(2026, 8, 28, 14, 40, tzinfo=TZ)
LAND = "1.013978"
SIZE = (1366, 768)


def wait(app: QApplication, ready: Callable[[], bool], timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > end:
            raise TimeoutError("the dossier window did not answer in time")
        app.processEvents()
        time.sleep(0.02)
    for _ in range(5):
        app.processEvents()


def shot(app: QApplication, widget: QWidget, out: Path, name: str) -> None:
    for _ in range(5):
        app.processEvents()
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(path)


def seed(db: Database, user_id: int) -> None:
    """A few dossiers received earlier: one late, one handed over, one ready."""
    desk = DossierDesk(db, None, user_id)
    people = (
        ("Trần Thị Bích Ngọc", "1.001193", datetime(2026, 8, 20, 9, 10, tzinfo=TZ)),
        ("Công ty TNHH Thương mại Dịch vụ Phú Quý Long An", "1.000894", FRIDAY),
        ("Lê Văn Cường", LAND, datetime(2026, 7, 1, 8, 30, tzinfo=TZ)),
        ("Phạm Thị Hồng Nhung", "1.004873", datetime(2026, 8, 27, 15, 30, tzinfo=TZ)),
    )
    codes = []
    for name, procedure, when in people:
        kind = "organisation" if name.startswith("Công ty") else "person"
        id_type, number = ("tax", "1101234567") if kind == "organisation" else ("cccd", CCCD)
        form = ReceiveForm(
            procedure_code=procedure,
            applicant=Party(
                kind=kind,  # type: ignore[arg-type]
                name=name,
                id_type=id_type,  # type: ignore[arg-type]
                id_number=number,
                address="Số 12 đường Hùng Vương, phường 1, thành phố Tân An, tỉnh Long An",
                phone="0912345678",
            ),
        )
        codes.append(desk.receive(form, received_at=when, counter=1).code)
    desk.hand_over(
        codes[2],
        "Văn phòng Đăng ký đất đai tỉnh Long An",
        days=15,
        now=datetime(2026, 7, 2, 9, 0, tzinfo=TZ),
    )
    desk.mark_ready(codes[3], now=datetime(2026, 8, 28, 10, 0, tzinfo=TZ))


CCCD = "080203001234"


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/counter-dossier-shots")
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="motcua-dossier-shots-"))
    db = Database(f"sqlite:///{(tmp / 'shots.sqlite3').as_posix()}")
    db.upgrade()
    import_catalog(db, load_catalog_file(asset("catalog", "sample.toml")))
    user = add_user(db, "lan", "mat-khau-123", "clerk", full_name="Nguyễn Thị Lan")
    user_id = int(getattr(user, "id", 1))
    set_clock(FixedClock(FRIDAY))  # every part of the product sees that Friday afternoon
    seed(db, user_id)

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    family = load_fonts()
    app.setFont(family)
    set_language("vi")
    window = DossierWindow(db, None, user_id, 1, None, Settings(), family, ticket_number="")
    window.resize(*SIZE)
    window.show()
    wait(app, lambda: window.info is not None)
    window.form.update_preview()
    shot(app, window, out, "01-receive-empty")

    # Field errors: a wrong CCCD, phone and e-mail, post without an address, then Save.
    form = window.form
    form.picker.edit.setText("dang ky dat dai")
    form.picker.edit.textEdited.emit("dang ky dat dai")
    shot(app, window, out, "02-receive-procedure-search")
    form.picker.choose(LAND)
    form.applicant.name.setText("Nguyễn Văn An")
    form.applicant.id_type.setCurrentIndex(1)
    form.applicant.id_number.setText("12345")
    form.applicant.phone.setText("09123")
    form.applicant.email.setText("an@")
    form.submit()
    shot(app, window, out, "03-receive-errors")
    bar = form.scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    shot(app, window, out, "03b-receive-errors-scrolled")
    bar.setValue(0)
    set_language("en")
    window.retranslate()
    shot(app, window, out, "04-receive-errors-en")
    set_language("vi")
    window.retranslate()

    form.applicant.id_number.setText(CCCD)
    form.applicant.phone.setText("0912 345 678")
    form.applicant.email.setText("an.nguyen@example.vn")
    form.applicant.address.setText("Số 45 đường Nguyễn Huệ, phường 2, thành phố Tân An")
    form.has_submitter.setChecked(True)
    form.submitter.name.setText("Nguyễn Thị Hoà")
    form.add_document_row(DocumentLine("Bản vẽ sơ đồ thửa đất (do người nộp bổ sung)", 1, 0, 0))
    shot(app, window, out, "05-receive-filled")
    got: list[object] = []
    window.received.connect(got.append)
    form.submit()
    wait(app, lambda: bool(got))
    shot(app, window, out, "06-result")

    window.tabs.setCurrentIndex(1)
    wait(app, lambda: len(window.list.rows) >= 5)
    shot(app, window, out, "07-list")
    late = next(r for r in window.list.rows if r.procedure_code == LAND and r.late)
    shown: list[object] = []
    window.dossier_shown.connect(shown.append)
    window.open_dossier(late.code)
    wait(app, lambda: bool(shown))
    shot(app, window, out, "08-detail")
    dialog = window.open_action("step_result")
    if dialog is not None:
        dialog.result.setText("Đã cấp Giấy chứng nhận")
        shot(app, dialog, out, "09-dialog-step-result")
        dialog.reject()

    window.tabs.setCurrentIndex(2)
    window.book.date_from.setDate(date(2026, 7, 1))
    window.book.date_to.setDate(date(2026, 12, 31))
    loaded: list[object] = []
    window.book_loaded.connect(loaded.append)
    window.book.request()
    wait(app, lambda: bool(loaded))
    shot(app, window, out, "10-book")
    window.stop()
    window.close()
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
