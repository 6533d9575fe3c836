"""The counter's dossier window on a real SQLite file with the sample catalogue, real users, the
real dossier desk and the real forms: opened from the counter with its ticket, receiving by
keyboard (tone-mark-free procedure search, field errors at the field, nothing saved while
invalid), the list, the full dossier (a logged reading, ID masked), hand-over, result ready,
return by the slip's scanned QR, the A4 form into a PDF printer, "Save PDF", the thermal slip
through a real TCP printer, and the tracking book as CSV and PDF."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import csv
import re
import unicodedata
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDateTime, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableWidget,
    QTabWidget,
    QTextBrowser,
    QWidget,
)
from sqlalchemy import func, select

from shared.catalog import import_catalog, load_catalog_file
from shared.codes import encode_dossier
from shared.db import Database
from shared.dossier_views import Party, ReceiveForm
from shared.dossiers import DossierDesk
from shared.i18n import set_language, tr
from shared.models import Dossier, Event
from shared.queue import QueueEngine
from shared.resources import asset
from shared.settings import PrinterSettings, Settings
from shared.users import add_user
from tests.helpers.fakeprinter import FakePrinter

pytestmark = pytest.mark.timewise  # also run at shifted clocks (scripts/test.sh)

PASSWORD = "mat-khau-123"
WAIT = 10_000
CCCD = "001203001234"
BIRTH = "1.001193"  # Thủ tục đăng ký khai sinh
LAND = "1.013978"  # Đăng ký đất đai … lần đầu (20 working days)


@pytest.fixture
def sample_url(tmp_path: Path) -> str:
    url = f"sqlite:///{(tmp_path / 'dossiers.sqlite3').as_posix()}"
    db = Database(url)
    db.upgrade()
    import_catalog(db, load_catalog_file(asset("catalog", "sample.toml")))
    add_user(db, "lan", PASSWORD, "clerk", full_name="Nguyễn Thị Lan")
    db.dispose()
    return url


@pytest.fixture
def sample_db(sample_url: str) -> Iterator[Database]:
    db = Database(sample_url)
    yield db
    db.dispose()


@pytest.fixture(autouse=True)
def _vietnamese() -> Any:
    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture
def make_counter(qtbot: Any, sample_db: Database) -> Iterator[Callable[..., Any]]:
    from counter.app import CounterWindow
    from shared.qt.fonts import load_fonts

    windows: list[Any] = []

    def make(settings: Settings | None = None) -> Any:
        window = CounterWindow(sample_db, None, settings or Settings(), load_fonts())
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        page = window.sign_in_page
        page.username.setText("lan")
        page.password.setText(PASSWORD)
        page.counter.setText("1")
        with qtbot.waitSignal(window.signed_in, timeout=WAIT):
            qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
        windows.append(window)
        return window

    yield make
    for window in windows:
        dossiers = window.dossier_button.dossier_window
        if dossiers is not None:
            dossiers.stop()
        window.stop()


def open_dossiers(qtbot: Any, counter: Any) -> Any:
    """F11 on the counter: the dossier window, once it has read the catalogue."""
    with qtbot.waitSignal(counter.dossier_button.opened, timeout=WAIT) as opened:
        qtbot.keyClick(counter, Qt.Key.Key_F11)
    window = opened.args[0]
    if window.info is None:
        qtbot.waitSignal(window.info_loaded, timeout=WAIT).wait()
    qtbot.waitUntil(lambda: window.info is not None, timeout=WAIT)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)  # focus moves with Tab
    return window


@pytest.fixture
def dossiers(qtbot: Any, make_counter: Any) -> Any:
    return open_dossiers(qtbot, make_counter())


def count_dossiers(db: Database) -> int:
    with db.transaction(readonly=True) as s:
        return int(s.scalar(select(func.count()).select_from(Dossier)) or 0)


def events_of(db: Database, kind: str) -> list[Event]:
    with db.transaction(readonly=True) as s:
        return list(s.scalars(select(Event).where(Event.kind == kind)))


def type_text(qtbot: Any, widget: Any, text: str) -> None:
    """Type ``text`` key by key; letters beyond Latin-1 (Vietnamese tone marks) arrive as key
    events carrying their text, as an input method delivers them."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch)
                QApplication.sendEvent(widget, event)


def pick_birth_registration(qtbot: Any, window: Any) -> None:
    edit = window.form.picker.edit
    edit.setFocus()
    qtbot.keyClicks(edit, "dang ky khai sinh")
    assert BIRTH in window.form.picker.match_codes()
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert window.form.picker.current is not None
    assert window.form.picker.current.code == BIRTH


def type_applicant(qtbot: Any, window: Any, number: str = CCCD) -> None:
    """Name, ID type (arrow key), ID number, address, phone: each field gets the focus and
    the clerk leaves it with Tab."""
    form = window.form
    app = form.applicant

    def field(widget: Any, text: str | None = None, key: Qt.Key | None = None) -> None:
        widget.setFocus()
        assert widget.hasFocus()
        if text is not None:
            type_text(qtbot, widget, text)
        if key is not None:
            qtbot.keyClick(widget, key)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)

    field(app.name, "Nguyễn Văn An")
    field(app.id_type, key=Qt.Key.Key_Down)  # "— Không có —" → CCCD
    assert app.id_type.currentData() == "cccd"
    field(app.id_number, number)
    field(app.address, "12 Hùng Vương, phường 1, Tân An")
    field(app.phone, "0912 345 678")


def receive_by_keyboard(qtbot: Any, window: Any) -> Any:
    pick_birth_registration(qtbot, window)
    type_applicant(qtbot, window)
    with qtbot.waitSignal(window.received, timeout=WAIT) as got:
        qtbot.keyClick(window.form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    return got.args[0]


def no_dialog_open() -> bool:
    return not [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QDialog | QMessageBox) and w.isVisible()
    ]


def pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", path.read_bytes()))


def pdf_printer(path: Path) -> QPrinter:
    from counter.dossier_print import new_printer

    printer = new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def receive_directly(db: Database, name: str = "Trần Thị Bích") -> Any:
    desk = DossierDesk(db)
    form = ReceiveForm(
        procedure_code=BIRTH,
        applicant=Party(kind="person", name=name, id_type="cccd", id_number=CCCD),
    )
    return desk.receive(form)


# --- opening and receiving -------------------------------------------------------------------


def test_f11_opens_the_window_for_the_clerk_counter_and_ticket(
    qtbot: Any, make_counter: Any, sample_db: Database
) -> None:
    counter = make_counter()
    ticket = QueueEngine(sample_db).issue("DD")
    with qtbot.waitSignal(counter.action_done, timeout=WAIT):
        qtbot.keyClick(counter, Qt.Key.Key_F2)
    assert counter.ticket is not None and counter.ticket.id == ticket.id
    assert counter.dossier_button.text().startswith("F11")
    window = open_dossiers(qtbot, counter)
    assert window.user_id == counter.session.user_id
    assert (window.counter, window.ticket_id) == (1, ticket.id)
    assert ticket.number in window.form.ticket_label.text()
    view = receive_by_keyboard(qtbot, window)
    assert (view.ticket_id, view.counter) == (ticket.id, 1)
    assert view.received_by == "Nguyễn Thị Lan"
    # The counter finishes that citizen: the next dossier is linked to no ticket.
    with qtbot.waitSignal(counter.action_done, timeout=WAIT):
        qtbot.keyClick(counter, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.ticket_id is None, timeout=WAIT)
    assert window.form.ticket_label.text() == tr("counter.dossier.receive.no_ticket")
    # Signing out closes the clerk's dossier window.
    with qtbot.waitSignal(counter.signed_out, timeout=WAIT):
        qtbot.mouseClick(counter.sign_out_button, Qt.MouseButton.LeftButton)
    assert counter.dossier_button.dossier_window is None and not window.isVisible()


def test_tone_mark_free_search_finds_the_procedure_and_fills_the_form(
    qtbot: Any, dossiers: Any
) -> None:
    window = dossiers
    pick_birth_registration(qtbot, window)
    form = window.form
    assert form.picker.edit.text().startswith(f"{BIRTH} – Thủ tục đăng ký khai sinh")
    names = [form.documents.item(r, 0).text() for r in range(form.documents.rowCount())]
    assert names[0] == "Tờ khai đăng ký khai sinh" and len(names) == 4
    # The due date is previewed before saving, to the minute.
    assert re.search(r"\d\d giờ \d\d phút, ngày \d\d/\d\d/\d{4}", form.due_preview.text())
    # By code too, and a word of the name without tone marks in upper case.
    form.picker.clear()
    qtbot.keyClicks(form.picker.edit, "1.0011")
    assert form.picker.match_codes()[0].startswith("1.0011")
    form.picker.clear()
    qtbot.keyClicks(form.picker.edit, "KET HON")
    assert "1.000894" in form.picker.match_codes()
    assert BIRTH not in form.picker.match_codes()


def test_receiving_by_keyboard_saves_the_dossier_with_its_due_date(
    qtbot: Any, dossiers: Any, sample_db: Database, clock: Any
) -> None:
    window = dossiers
    # A Friday afternoon before the 2 September holiday; a 20-working-day land procedure.
    friday = clock.set(datetime(2026, 8, 28, 14, 40, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    edit = window.form.picker.edit
    edit.setFocus()
    qtbot.keyClicks(edit, "dang ky dat dai lan dau")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert window.form.picker.current is not None
    assert window.form.picker.current.code == LAND
    type_applicant(qtbot, window)
    preview = window.form.due_preview.text()
    with qtbot.waitSignal(window.received, timeout=WAIT) as got:
        qtbot.keyClick(window.form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    view = got.args[0]
    assert view.received_at == friday and view.due_at > friday
    assert count_dossiers(sample_db) == 1
    with sample_db.transaction(readonly=True) as s:
        row = s.scalar(select(Dossier))
        assert row is not None
        assert (row.code, row.secret, row.procedure_code) == (view.code, view.secret, LAND)
        assert row.due_at == view.due_at and row.ticket_id is None
    result = window.result
    assert window.receive_stack.currentWidget() is result
    assert result.code.text() == view.code and view.code.startswith("000.00.10.H39-260828-")
    assert result.secret.text() == view.secret
    assert re.fullmatch(r"\d\d giờ \d\d phút, ngày \d\d/\d\d/\d{4}", result.due.text())
    assert result.due.text() in preview  # the preview said what was saved
    assert CCCD not in result.details.text()  # the ID number stays in the form


@pytest.mark.parametrize(
    ("moment", "due_text", "due"),
    [
        ((14, 59), "17 giờ 00 phút, ngày 18/11/2026", (18, 17, 0)),
        ((15, 1), "17 giờ 00 phút, ngày 19/11/2026", (19, 17, 0)),  # after the cut-off
    ],
)
def test_a_same_day_procedure_is_due_by_the_cutoff_on_the_clock(
    qtbot: Any,
    dossiers: Any,
    clock: Any,
    moment: tuple[int, int],
    due_text: str,
    due: tuple[int, int, int],
) -> None:
    """Wednesday 18/11/2026: before 15:00 due today at closing, after it the next working day;
    the preview says so before saving, and the saved dossier agrees."""
    window = dossiers
    clock.set(datetime(2026, 11, 18, *moment, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    pick_birth_registration(qtbot, window)
    assert due_text in window.form.due_preview.text()
    type_applicant(qtbot, window)
    with qtbot.waitSignal(window.received, timeout=WAIT) as got:
        qtbot.keyClick(window.form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    view = got.args[0]
    assert view.due_at == datetime(2026, 11, *due, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert window.result.due.text() == due_text


def test_an_invalid_cccd_is_marked_at_the_field_and_nothing_is_saved(
    qtbot: Any, dossiers: Any, sample_db: Database
) -> None:
    window = dossiers
    form = window.form
    pick_birth_registration(qtbot, window)
    type_applicant(qtbot, window, number="12345")
    box = form.boxes["applicant.id_number"]
    # Marked as soon as the clerk leaves the field: border, icon and words under the field.
    assert box.editor.property("invalid") is True
    assert box.error_row.isVisible() and box.icon.pixmap() is not None
    assert box.error.text() == tr("dossier.invalid.cccd_shape")
    assert form.boxes["applicant.name"].error_row.isHidden()
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(200)
    assert count_dossiers(sample_db) == 0
    assert window.receive_stack.currentWidget() is form
    assert form.applicant.id_number.hasFocus()
    assert no_dialog_open()
    # A wrong province code has its own message; fixing the number clears the mark.
    form.applicant.id_number.clear()
    qtbot.keyClicks(form.applicant.id_number, "003203001234")
    assert box.error.text() == tr("dossier.invalid.cccd_province")
    form.applicant.id_number.clear()
    qtbot.keyClicks(form.applicant.id_number, CCCD)
    assert box.error_row.isHidden() and box.editor.property("invalid") is False


def test_an_empty_form_marks_the_required_fields_on_save(
    qtbot: Any, dossiers: Any, sample_db: Database
) -> None:
    window = dossiers
    form = window.form
    assert form.boxes["applicant.name"].error_row.isHidden()  # nothing marked before leaving
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.boxes["procedure_code"].error.text() == tr("dossier.invalid.required")
    assert form.boxes["applicant.name"].error_row.isVisible()
    assert form.picker.edit.hasFocus()
    form.by_post.setChecked(True)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.boxes["result_address"].error.text() == tr("dossier.invalid.post_address")
    assert count_dossiers(sample_db) == 0 and no_dialog_open()


# --- the list, the full dossier, actions, return by scanning ---------------------------------


def test_list_open_hand_over_ready_and_return_by_scanning(
    qtbot: Any, dossiers: Any, sample_db: Database, clock: Any
) -> None:
    window = dossiers
    # Wednesday 09:00: a same-day procedure is due at 17:00 today.
    received = receive_directly(sample_db)
    receive_directly(sample_db, "Lê Văn Cường")
    window.tabs.setCurrentIndex(1)
    panel = window.list
    qtbot.waitUntil(lambda: len(panel.rows) == 2, timeout=WAIT)  # the tab shows them all
    qtbot.keyClicks(panel.search, "tran thi bich")
    qtbot.waitUntil(lambda: [r.code for r in panel.rows] == [received.code], timeout=WAIT)
    assert panel.table.rowCount() == 1
    assert panel.table.item(0, 6).text() == "Đến hạn hôm nay" == tr("dossier.progress.due_today")
    viewed = len(events_of(sample_db, "dossier.viewed"))
    panel.table.setFocus()
    panel.table.setCurrentCell(0, 0)
    with qtbot.waitSignal(window.dossier_shown, timeout=WAIT):
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    detail = window.detail
    assert window.list_stack.currentWidget() is detail
    shown = events_of(sample_db, "dossier.viewed")
    assert len(shown) == viewed + 1 and shown[-1].user_id == window.user_id
    applicant = detail.values["applicant"]
    assert "*********234" in detail.sheet.toPlainText() and CCCD not in detail.sheet.toPlainText()
    assert "Trần Thị Bích" in applicant and CCCD not in applicant and "*********234" in applicant
    assert detail.buttons["hand_over"].isVisible() and not detail.buttons["return"].isVisible()

    # Hand over to another agency for 3 working days.
    dialog = window.open_action("hand_over")
    type_text(qtbot, dialog.unit, "Phòng Tư pháp")
    dialog.days.setValue(3)
    with qtbot.waitSignal(window.action_finished, timeout=WAIT) as done:
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    view = done.args[1]
    assert view.status == 4 and [h.to_unit for h in view.handovers] == ["Phòng Tư pháp"]
    assert "Bước 1: từ Bộ phận Tiếp nhận và Trả kết quả đến Phòng Tư pháp" in detail.steps.text()
    assert not dialog.isVisible()

    # A hand-over needs a unit: said at the field, nothing done.
    dialog = window.open_action("hand_over")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert dialog.boxes["to_unit"].error.text() == tr("dossier.invalid.required")
    dialog.reject()

    dialog = window.open_action("mark_ready")
    with qtbot.waitSignal(window.action_finished, timeout=WAIT) as done:
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    assert done.args[1].status == 9
    assert detail.buttons["return"].isVisible()

    # Back to the list; the scanner types the slip's QR and Enter into the return field.
    qtbot.mouseClick(detail.back, Qt.MouseButton.LeftButton)
    panel.scan.setFocus()
    qtbot.keyClicks(panel.scan, encode_dossier(received.code, received.secret))
    with qtbot.waitSignal(window.action_finished, timeout=WAIT) as done:
        qtbot.keyClick(panel.scan, Qt.Key.Key_Return)
    assert done.args == ["return", done.args[1]] and done.args[1].status == 10
    with sample_db.transaction(readonly=True) as s:
        row = s.scalar(select(Dossier).where(Dossier.code == received.code))
        assert row is not None and row.status == 10 and row.returned_at is not None
    assert panel.scan.text() == ""


def test_a_foreign_scan_is_refused_with_a_message(
    qtbot: Any, dossiers: Any, sample_db: Database
) -> None:
    window = dossiers
    window.tabs.setCurrentIndex(1)
    received = receive_directly(sample_db)
    panel = window.list
    qtbot.keyClicks(panel.scan, "079203001234|Nguyen Van A|01012003")  # a CCCD card's QR
    with qtbot.waitSignal(window.failed, timeout=WAIT) as failed:
        qtbot.keyClick(panel.scan, Qt.Key.Key_Return)
    assert "079203001234" not in failed.args[0]
    assert window.bar.isVisible()
    with sample_db.transaction(readonly=True) as s:
        assert s.scalar(select(Dossier.status).where(Dossier.code == received.code)) == 2


def test_supplement_request_prints_form_02(
    qtbot: Any, dossiers: Any, sample_db: Database, tmp_path: Path
) -> None:
    window = dossiers
    received = receive_directly(sample_db)
    target = tmp_path / "mau02.pdf"
    window.choose_printer = lambda title, landscape: pdf_printer(target)
    window.tabs.setCurrentIndex(1)
    with qtbot.waitSignal(window.dossier_shown, timeout=WAIT):
        window.open_dossier(received.code)
    dialog = window.open_action("supplement")
    assert dialog.missing.rowCount() == 4
    type_text(qtbot, dialog.reason, "Giấy chứng sinh bị mờ, không đọc được")
    with qtbot.waitSignal(window.printed, timeout=WAIT) as printed:
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    assert printed.args[0] == "02"
    assert target.exists() and pdf_pages(target) >= 1
    assert window.detail.view.status == 5
    assert window.detail.print_buttons["02"].isVisibleTo(window.detail)


def test_an_online_dossier_is_accepted_here_and_its_receipt_printed(
    qtbot: Any, dossiers: Any, sample_db: Database, tmp_path: Path
) -> None:
    window = dossiers
    online = DossierDesk(sample_db, None).register(
        ReceiveForm(procedure_code="1.001193", applicant=Party(kind="person", name="Lê Văn Bình"))
    )
    assert online.status == 1
    target = tmp_path / "mau01.pdf"
    window.choose_printer = lambda title, landscape: pdf_printer(target)
    window.tabs.setCurrentIndex(1)
    with qtbot.waitSignal(window.dossier_shown, timeout=WAIT):
        window.open_dossier(online.code)
    detail = window.detail
    # Before acceptance: only "accept" (and refuse) are offered, and no receipt slip.
    assert detail.buttons["accept"].isVisibleTo(detail)
    assert not detail.buttons["mark_ready"].isVisibleTo(detail)
    assert not detail.print_buttons["01"].isVisibleTo(detail)
    assert not detail.print_buttons["slip"].isVisibleTo(detail)
    dialog = window.open_action("accept")
    with qtbot.waitSignal(window.printed, timeout=WAIT) as printed:
        ok(qtbot, dialog)
    assert printed.args[0] == "01" and pdf_pages(target) == 2  # both copies of Mẫu 01
    view = detail.view
    assert view.status == 2 and view.counter == window.counter
    assert not detail.buttons["accept"].isVisibleTo(detail)
    assert detail.print_buttons["01"].isVisibleTo(detail)
    assert len(events_of(sample_db, "dossier.accepted")) == 1


def ok(qtbot: Any, dialog: Any) -> None:
    button = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_step_result_reschedule_and_refuse_with_their_forms(
    qtbot: Any, dossiers: Any, sample_db: Database, tmp_path: Path
) -> None:
    window = dossiers
    first, second = receive_directly(sample_db), receive_directly(sample_db, "Lê Văn Cường")
    DossierDesk(sample_db).hand_over(first.code, "Phòng Tư pháp", days=2)
    printed_to: list[Path] = []

    def choose(title: str, landscape: bool) -> QPrinter:
        printed_to.append(tmp_path / f"form{len(printed_to)}.pdf")
        return pdf_printer(printed_to[-1])

    window.choose_printer = choose
    window.tabs.setCurrentIndex(1)
    with qtbot.waitSignal(window.dossier_shown, timeout=WAIT):
        window.open_dossier(first.code)
    detail = window.detail
    assert detail.buttons["step_result"].isVisible()

    dialog = window.open_action("step_result")
    assert dialog.step.count() == 1 and dialog.step.currentData() == 1
    type_text(qtbot, dialog.result, "Đã ký trích lục")
    with qtbot.waitSignal(window.action_finished, timeout=WAIT) as done:
        ok(qtbot, dialog)
    [step] = done.args[1].handovers
    assert step.result == "Đã ký trích lục" and step.result_at is not None
    assert not detail.buttons["step_result"].isVisible()

    # A new date must come after the current one: said at the field, the desk not asked.
    dialog = window.open_action("reschedule")
    current = first.appointment_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    dialog.when.setDateTime(QDateTime(current.date(), current.time().replace(tzinfo=None)))
    type_text(qtbot, dialog.reason, "Chờ xác minh của cơ quan khác")
    ok(qtbot, dialog)
    assert dialog.boxes["new_due_at"].error_row.isVisible()
    dialog.when.setDateTime(dialog.when.dateTime().addDays(3))
    with qtbot.waitSignal(window.printed, timeout=WAIT) as printed:
        ok(qtbot, dialog)
    assert printed.args[0] == "04" and pdf_pages(printed_to[-1]) >= 1
    assert detail.view.appointment_at > first.appointment_at
    assert [n.form for n in detail.view.notices] == ["04"]

    with qtbot.waitSignal(window.dossier_shown, timeout=WAIT):
        window.open_dossier(second.code)
    dialog = window.open_action("refuse")
    ok(qtbot, dialog)
    assert dialog.boxes["reason"].error.text() == tr("dossier.invalid.required")
    type_text(qtbot, dialog.reason, "Hồ sơ không thuộc thẩm quyền giải quyết")
    with qtbot.waitSignal(window.printed, timeout=WAIT) as printed:
        ok(qtbot, dialog)
    assert printed.args[0] == "03" and pdf_pages(printed_to[-1]) >= 1
    assert detail.view.status == 3
    assert not any(b.isVisible() for b in detail.buttons.values())  # refused: final


# --- printing ------------------------------------------------------------------------------


def test_the_a4_receipt_prints_both_copies_into_the_printer(
    qtbot: Any, dossiers: Any, tmp_path: Path
) -> None:
    window = dossiers
    receive_by_keyboard(qtbot, window)
    target = tmp_path / "mau01.pdf"
    asked: list[tuple[str, bool]] = []

    def choose(title: str, landscape: bool) -> QPrinter:
        asked.append((title, landscape))
        return pdf_printer(target)

    window.choose_printer = choose
    with qtbot.waitSignal(window.printed, timeout=30_000) as printed:
        qtbot.mouseClick(window.result.print_a4, Qt.MouseButton.LeftButton)
    assert printed.args == ["01", 2]
    assert asked == [(tr("counter.dossier.form_title.01"), False)]
    assert target.exists() and pdf_pages(target) == 2
    assert target.stat().st_size > 50_000  # two 300-dpi pages were drawn, not blank sheets


def test_cancelling_the_printer_dialog_prints_nothing(qtbot: Any, dossiers: Any) -> None:
    window = dossiers
    receive_by_keyboard(qtbot, window)
    window.choose_printer = lambda title, landscape: None
    printed: list[object] = []
    window.printed.connect(lambda *a: printed.append(a))
    qtbot.mouseClick(window.result.print_a4, Qt.MouseButton.LeftButton)
    qtbot.wait(300)
    assert printed == []


def test_paint_pages_draws_every_image_on_its_own_sheet(qtbot: Any, tmp_path: Path) -> None:
    from PIL import Image

    from counter.dossier_print import paint_pages

    target = tmp_path / "three.pdf"
    pages = [Image.new("L", (2480, 3508), shade) for shade in (0, 128, 255)]
    assert paint_pages(pdf_printer(target), pages) == 3
    assert pdf_pages(target) == 3
    with pytest.raises(ValueError):
        paint_pages(pdf_printer(tmp_path / "none.pdf"), [])


def test_save_pdf_writes_the_forms_pdf(qtbot: Any, dossiers: Any, tmp_path: Path) -> None:
    window = dossiers
    view = receive_by_keyboard(qtbot, window)
    target = tmp_path / "out" / "giay-hen.pdf"
    suggested: list[str] = []
    window.choose_path = lambda title, name: suggested.append(name) or target
    with qtbot.waitSignal(window.saved, timeout=WAIT) as saved:
        qtbot.mouseClick(window.result.save_pdf, Qt.MouseButton.LeftButton)
    assert saved.args == [str(target)]
    assert suggested == [f"{view.code}-mau01.pdf"]
    assert target.read_bytes().startswith(b"%PDF") and pdf_pages(target) == 2


def on_printer(printer: FakePrinter) -> Settings:
    """Settings that send the thermal slip to ``printer``."""
    return Settings(
        printer=PrinterSettings(kind="network", host=printer.host, port=printer.port)  # type: ignore[call-arg]
    )


def test_the_thermal_slip_goes_to_the_ticket_printer(qtbot: Any, make_counter: Any) -> None:
    with FakePrinter("ok") as printer:
        window = open_dossiers(qtbot, make_counter(on_printer(printer)))
        receive_by_keyboard(qtbot, window)
        assert window.result.print_a4.hasFocus()
        with qtbot.waitSignal(window.printed, timeout=WAIT) as printed:
            qtbot.keyClick(
                window.result.print_a4, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier
            )
        assert printed.args[0] == "slip" and printed.args[1].printed
        printer.wait_closed()
        assert len(printer.received) > 10_000  # a raster image of the whole slip
        assert window.result.status.text() == tr("counter.dossier.printed_slip")


def test_a_printer_failure_is_said_in_the_panel(qtbot: Any, make_counter: Any) -> None:
    with FakePrinter("paper_out") as printer:
        window = open_dossiers(qtbot, make_counter(on_printer(printer)))
        receive_by_keyboard(qtbot, window)
        qtbot.mouseClick(window.result.print_slip, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.result.status.objectName() == "bar_error", timeout=WAIT)
        assert window.result.status.isVisible() and no_dialog_open()


# --- the tracking book -----------------------------------------------------------------------


def test_tracking_book_exports_csv_and_pdf(
    qtbot: Any, dossiers: Any, sample_db: Database, tmp_path: Path
) -> None:
    window = dossiers
    first = receive_directly(sample_db)
    window.tabs.setCurrentIndex(2)
    book = window.book
    with qtbot.waitSignal(window.book_loaded, timeout=WAIT) as loaded:
        qtbot.mouseClick(book.read_button, Qt.MouseButton.LeftButton)
    assert [r.code for r in loaded.args[0]] == [first.code]
    assert book.table.item(0, 1).text() == first.code
    assert len(events_of(sample_db, "dossier.book_read")) == 1
    csv_path = tmp_path / "so.csv"
    window.choose_path = lambda title, name: csv_path
    with qtbot.waitSignal(window.saved, timeout=WAIT):
        qtbot.mouseClick(book.csv_button, Qt.MouseButton.LeftButton)
    with csv_path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][1] == "Mã hồ sơ" and rows[1][1] == first.code
    pdf_path = tmp_path / "so.pdf"
    window.choose_path = lambda title, name: pdf_path
    with qtbot.waitSignal(window.saved, timeout=30_000):
        qtbot.mouseClick(book.pdf_button, Qt.MouseButton.LeftButton)
    assert pdf_pages(pdf_path) >= 1


def vietnamese(text: str) -> bool:
    decomposed = unicodedata.normalize("NFD", text)
    return "đ" in text.lower() or any(unicodedata.category(ch) == "Mn" for ch in decomposed)


def texts_of(root: QWidget) -> list[str]:
    """Every text a clerk can read in ``root``: labels, buttons, placeholders, items, headers."""
    found: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        found.append(widget.toolTip())
        if isinstance(widget, QLabel | QAbstractButton):
            found.append(widget.text())
        if isinstance(widget, QLineEdit):
            found.append(widget.placeholderText())
        if isinstance(widget, QComboBox):
            found.extend(widget.itemText(i) for i in range(widget.count()))
        if isinstance(widget, QTableWidget):
            for c in range(widget.columnCount()):
                header = widget.horizontalHeaderItem(c)
                found.append(header.text() if header else "")
        if isinstance(widget, QTabWidget):
            found.extend(widget.tabText(i) for i in range(widget.count()))
        if isinstance(widget, QTextBrowser):
            found.append(widget.toPlainText())
    return [t for t in found if t]


def untranslated(root: QWidget, data: tuple[str, ...]) -> list[str]:
    left = []
    for text in texts_of(root):
        for value in sorted(data, key=len, reverse=True):
            text = text.replace(value, "")
        if vietnamese(text):
            left.append(text)
    return left


def test_english_leaves_no_vietnamese_but_the_citizens_and_catalogue_data(
    qtbot: Any, dossiers: Any, sample_db: Database
) -> None:
    window = dossiers
    set_language("en")
    window.retranslate()
    assert window.tabs.tabText(0) == "Receive a dossier (Ctrl+1)"
    pick_birth_registration(qtbot, window)
    type_applicant(qtbot, window, number="12345")
    qtbot.keyClick(window.form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    procedure = window.form.picker.current
    assert procedure is not None
    data = (
        "Nguyễn Văn An",
        "12 Hùng Vương, phường 1, Tân An",
        "Nguyễn Thị Lan",
        procedure.name,
        procedure.fee_note,
        *(d.name for d in procedure.documents),
    )
    assert window.form.boxes["applicant.id_number"].error.text() == (
        "A citizen ID (CCCD) number has exactly 12 digits"
    ) or not vietnamese(window.form.boxes["applicant.id_number"].error.text())
    assert untranslated(window, data) == [], "receiving form with errors"
    window.form.applicant.id_number.clear()
    qtbot.keyClicks(window.form.applicant.id_number, CCCD)
    with qtbot.waitSignal(window.received, timeout=WAIT) as got:
        qtbot.keyClick(window.form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert untranslated(window, data) == [], "result panel"
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: len(window.list.rows) == 1, timeout=WAIT)
    assert untranslated(window, data) == [], "list"
    with qtbot.waitSignal(window.dossier_shown, timeout=WAIT):
        window.open_dossier(got.args[0].code)
    assert untranslated(window, data) == [], "detail"
    dialog = window.open_action("hand_over")
    assert untranslated(dialog, data) == [], "hand-over dialog"
    dialog.reject()
    window.tabs.setCurrentIndex(2)
    with qtbot.waitSignal(window.book_loaded, timeout=WAIT):
        qtbot.mouseClick(window.book.read_button, Qt.MouseButton.LeftButton)
    assert untranslated(window, data) == [], "tracking book"
