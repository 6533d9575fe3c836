"""The kiosk: taking numbers on a real SQLite database with the sample catalogue, the real
engine and a real network printer stand-in; failures, live figures, idle reset, smoke run."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import subprocess

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from shared.db import Database
from shared.i18n import MESSAGES
from shared.models import Event, Ticket
from shared.queue import QueueEngine
from shared.settings import PrinterSettings, Settings
from tests.helpers.fakeprinter import FakePrinter


def printer_settings(printer: FakePrinter) -> Settings:
    return Settings(
        printer=PrinterSettings(kind="network", host=printer.host, port=printer.port)  # type: ignore[call-arg]
    )


@pytest.fixture
def make_kiosk(qtbot, sample_db):
    from kiosk.app import KioskWindow
    from kiosk.model import load_home
    from shared.qt.fonts import load_fonts

    windows = []

    def make(settings: Settings, size: tuple[int, int] = (1080, 1920), feed: bool = False):
        window = KioskWindow(sample_db, None, settings, load_fonts(), load_home(sample_db, None))
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        if feed:
            window.start_feed(poll_interval=0.05)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.stop()


def tickets(db: Database) -> list[Ticket]:
    with db.transaction(readonly=True) as s:
        return list(s.scalars(select(Ticket).order_by(Ticket.id)))


def event_count(db: Database, kind: str) -> int:
    with db.transaction(readonly=True) as s:
        return int(s.scalar(select(func.count()).select_from(Event).where(Event.kind == kind)))


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def take(qtbot, window, button):
    """Touch ``button``; wait for the confirmation and the printer's outcome."""
    shown: list = []
    printed: list = []
    window.ticket_shown.connect(shown.append)
    window.print_finished.connect(printed.append)
    click(qtbot, button)
    qtbot.waitUntil(lambda: bool(shown and printed), timeout=15_000)
    window.ticket_shown.disconnect(shown.append)
    window.print_finished.disconnect(printed.append)
    return shown[0], printed[0]


# --- taking a number ---------------------------------------------------------------------------


def test_one_touch_issues_prints_and_confirms(qtbot, make_kiosk, sample_db) -> None:
    with FakePrinter("ok") as printer:
        window = make_kiosk(printer_settings(printer))
        assert window.current == "home"
        button = window.home_screen.button("HT")
        assert button.height() >= 115
        confirmation, state = take(qtbot, window, button)
        assert state == "printed"
        assert window.current == "confirm"
        [ticket] = tickets(sample_db)
        assert ticket.number == confirmation.number == "2001"
        assert ticket.request_id and ticket.language == "vi"
        assert ticket.priority_group_id is None
        assert confirmation.qr_text
        assert printer.connections  # bytes went to the printer
        assert event_count(sample_db, "ticket.printed") == 1


def test_priority_takes_two_touches(qtbot, make_kiosk, sample_db) -> None:
    with FakePrinter("ok") as printer:
        window = make_kiosk(printer_settings(printer))
        click(qtbot, window.home_screen.priority_button)
        assert window.current == "groups"
        click(qtbot, window.group_screen.button("elderly"))
        assert window.current == "priority_services"
        confirmation, _ = take(qtbot, window, window.priority_screen.button("DD"))
        [ticket] = tickets(sample_db)
        assert ticket.number == confirmation.number == "1001"
        assert ticket.priority_group_id is not None


def test_english_follows_the_switch_and_the_ticket(qtbot, make_kiosk, sample_db) -> None:
    with FakePrinter("ok") as printer:
        window = make_kiosk(printer_settings(printer), size=(1920, 1080))
        click(qtbot, window.home_screen.languages[1])
        assert window.language == "en"
        assert window.home_screen.title.text.startswith("Touch")
        button = window.home_screen.button("CT")
        assert button.detail_lines()[0] == "Nobody waiting"
        confirmation, _ = take(qtbot, window, button)
        assert window.confirm_screen.status_text().startswith("Please take")
        [ticket] = tickets(sample_db)
        assert ticket.language == "en" and ticket.number == confirmation.number == "A001"


def test_double_tap_issues_once(qtbot, make_kiosk, sample_db) -> None:
    with FakePrinter("ok") as printer:
        window = make_kiosk(printer_settings(printer))
        button = window.home_screen.button("HT")
        printed: list = []
        window.print_finished.connect(printed.append)
        click(qtbot, button)
        click(qtbot, button)
        window.take("HT", None)  # a tap that reached the window anyway
        qtbot.waitUntil(lambda: bool(printed), timeout=15_000)
        assert len(tickets(sample_db)) == 1
        assert event_count(sample_db, "ticket.issued") == 1


def test_retry_after_a_failure_reuses_the_request_id(qtbot, make_kiosk, sample_db) -> None:
    window = make_kiosk(Settings())
    window.pending = ("HT", None, "fixed-request-id")
    engine = QueueEngine(sample_db)
    first = engine.issue("HT", request_id="fixed-request-id")  # the lost first attempt
    with qtbot.waitSignal(window.ticket_shown, timeout=10_000) as shown:
        window.take("HT", None)
    assert shown.args[0].number == first.number
    assert len(tickets(sample_db)) == 1


# --- failures ----------------------------------------------------------------------------------


def test_printer_out_of_paper_still_shows_the_number(qtbot, make_kiosk, sample_db) -> None:
    with FakePrinter("paper_out") as printer:
        window = make_kiosk(printer_settings(printer))
        confirmation, state = take(qtbot, window, window.home_screen.button("DD"))
        assert state == "printer_failed"
        assert window.current == "confirm"
        assert window.confirm_screen.confirmation.number == confirmation.number == "1001"
        assert "Máy in đang gặp sự cố" in window.confirm_screen.status_text()
        assert len(tickets(sample_db)) == 1
        assert event_count(sample_db, "ticket.print_failed") == 1


def test_confirmation_returns_home_by_itself(qtbot, make_kiosk) -> None:
    window = make_kiosk(Settings())  # no printer configured: printer failure path
    window.confirm_ms = window.confirm_failed_ms = 200
    take(qtbot, window, window.home_screen.button("HT"))
    qtbot.waitUntil(lambda: window.current == "home", timeout=3000)


def test_database_loss_shows_out_of_service_and_recovers(qtbot, make_kiosk) -> None:
    window = make_kiosk(Settings())
    window.on_connection_changed(False)
    assert window.current == "offline"
    with qtbot.waitSignal(window.home_refreshed, timeout=10_000):
        window.on_connection_changed(True)
    assert window.current == "home"


def test_unexpected_error_is_calm_and_goes_home(qtbot, make_kiosk) -> None:
    window = make_kiosk(Settings())
    window.error_ms = 200
    window.on_unexpected(RuntimeError("boom"))
    assert window.current == "error"
    qtbot.waitUntil(lambda: window.current == "home", timeout=3000)


def test_service_without_open_counter_is_disabled_with_reason(qtbot, make_kiosk, sample_db) -> None:
    engine = QueueEngine(sample_db)
    engine.pause_counter(8)  # the only counter of "Nhận kết quả"
    window = make_kiosk(Settings())
    button = window.home_screen.button("TKQ")
    assert button.isVisible() and not button.isEnabled() and button.unavailable
    assert button.detail_lines() == ("TẠM NGỪNG", "Hiện không có quầy nào mở")
    click(qtbot, button)
    assert window.current == "home" and not window.busy


# --- live figures and idle ---------------------------------------------------------------------


def test_counts_refresh_after_another_kiosk_issues(qtbot, make_kiosk, sample_db) -> None:
    window = make_kiosk(Settings(), feed=True)
    button = window.home_screen.button("XH")
    assert button.choice.waiting == 0
    other = QueueEngine(Database(str(sample_db.engine.url)))
    other.issue("XH")
    other.issue("XH")
    qtbot.waitUntil(lambda: window.home_screen.button("XH").choice.waiting == 2, timeout=5000)
    assert window.home_screen.button("XH").detail_lines()[0] == "2 người đang chờ"
    other.db.dispose()


def test_idle_resets_the_priority_flow(qtbot, make_kiosk, sample_db) -> None:
    window = make_kiosk(Settings())
    window.idle_ms = 300
    click(qtbot, window.home_screen.priority_button)
    click(qtbot, window.group_screen.button("pregnant"))
    assert window.current == "priority_services"
    with qtbot.waitSignal(window.flow_reset, timeout=3000):
        pass
    assert window.current == "home" and window.group is None
    assert tickets(sample_db) == []


# --- wording and the command -------------------------------------------------------------------


def test_every_kiosk_text_has_english() -> None:
    keys = [key for key in MESSAGES if key.startswith("kiosk.")]
    assert len(keys) > 20
    for key in keys:
        vi, en = MESSAGES[key]
        assert vi.strip() and en.strip(), key


def test_wait_is_a_rounded_range() -> None:
    from kiosk.model import wait_text

    assert wait_text(17, "vi") == "chờ khoảng 15–20 phút"
    assert wait_text(2, "en") == "wait under 5 minutes"
    assert wait_text(70, "en") == "wait about 60–75 minutes"


@pytest.mark.parametrize("size", ["1080x1920", "1920x1080"])
def test_smoke_screenshot_through_the_command(motcua_bin, sample_url, tmp_path, size) -> None:
    from PySide6.QtGui import QImage

    shot = tmp_path / f"kiosk-{size}.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [motcua_bin, "kiosk", "--smoke", "--screenshot", str(shot), "--windowed", "--size", size]
        + ["--db", sample_url],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("kiosk: first frame in ")
    image = QImage(str(shot))
    assert (image.width(), image.height()) == tuple(int(x) for x in size.split("x"))


def test_smoke_without_database_opens_out_of_service(motcua_bin, tmp_path) -> None:
    shot = tmp_path / "down.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [motcua_bin, "kiosk", "--smoke", "--screenshot", str(shot), "--size", "1080x1920"]
        + ["--db", "postgresql://nobody@127.0.0.1:9/none"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert shot.exists()


# --- leaving the kiosk: the admin gesture and PIN ----------------------------------------------


def kiosk_settings(pin_hash: str = "") -> Settings:
    from shared.settings import KioskSettings

    return Settings(kiosk=KioskSettings(admin_pin_hash=pin_hash))  # type: ignore[call-arg]


def admin_gesture(qtbot, window) -> None:
    """Five taps on the clock, top right of the home screen."""
    from PySide6.QtCore import QPoint

    header = window.home_screen.header
    corner = QPoint(header.width() - 30, 20)
    for _ in range(4):
        qtbot.mouseClick(header, Qt.MouseButton.LeftButton, pos=corner)
    assert window.current == "home"  # each tap counted once: four are not enough
    qtbot.mouseClick(header, Qt.MouseButton.LeftButton, pos=corner)


def type_pin(qtbot, window, pin: str) -> None:
    for digit in pin:
        click(qtbot, window.pin_screen.keys[digit])
    click(qtbot, window.pin_screen.keys["ok"])


def test_close_is_refused(qtbot, make_kiosk) -> None:
    window = make_kiosk(kiosk_settings())
    assert window.close() is False
    assert window.isVisible() and window.current == "home"


def test_settings_set_the_kiosk_timeouts(qtbot, make_kiosk) -> None:
    from shared.settings import KioskSettings

    window = make_kiosk(Settings(kiosk=KioskSettings(idle_seconds=45, confirm_seconds=3)))  # type: ignore[call-arg]
    assert (window.idle_ms, window.confirm_ms) == (45_000, 3_000)


def test_gesture_and_right_pin_close_the_kiosk(qtbot, make_kiosk) -> None:
    from shared.pin import hash_pin

    window = make_kiosk(kiosk_settings(hash_pin("2468")))
    for _ in range(4):  # four taps are not enough
        window.admin_tap()
    assert window.current == "home"
    window._admin_taps.clear()
    admin_gesture(qtbot, window)
    assert window.current == "admin"
    type_pin(qtbot, window, "2468")
    assert window.admin_unlocked
    assert not window.isVisible()


def test_slow_taps_do_not_open_the_pin_pad(qtbot, make_kiosk) -> None:
    from shared.pin import hash_pin

    window = make_kiosk(kiosk_settings(hash_pin("2468")))
    for second in range(5):
        window.admin_tap(now=1000.0 + second * 1.0)  # five taps over four seconds
    assert window.current == "home"


def test_wrong_pin_does_not_close(qtbot, make_kiosk) -> None:
    from shared.pin import hash_pin

    window = make_kiosk(kiosk_settings(hash_pin("2468")))
    window.admin_message_ms = 200
    admin_gesture(qtbot, window)
    assert window.current == "admin"
    type_pin(qtbot, window, "2469")
    assert window.pin_screen.message_key == "kiosk.admin.wrong"
    assert window.pin_screen.length == 0
    assert not window.admin_unlocked and window.isVisible()
    qtbot.waitUntil(lambda: window.current == "home", timeout=3000)
    assert window.close() is False


def test_no_pin_configured_stays(qtbot, make_kiosk) -> None:
    window = make_kiosk(kiosk_settings(""))
    window.admin_message_ms = 200
    admin_gesture(qtbot, window)
    assert window.current == "admin_off"
    qtbot.waitUntil(lambda: window.current == "home", timeout=3000)
    assert window.close() is False and window.isVisible()


def test_config_pin_prints_an_argon2_hash(motcua_bin) -> None:
    from shared.pin import verify_pin
    from shared.settings import parse_settings

    done = subprocess.run(
        [motcua_bin, "config", "pin"], input="1234\n", capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    assert line.startswith('admin_pin_hash = "$argon2')
    import tomllib

    settings = parse_settings({"kiosk": tomllib.loads(line)})
    assert verify_pin(settings.kiosk.admin_pin_hash, "1234")
    assert not verify_pin(settings.kiosk.admin_pin_hash, "1235")
    assert "1234" not in done.stderr


def test_config_pin_refuses_a_bad_pin(motcua_bin) -> None:
    done = subprocess.run(
        [motcua_bin, "config", "pin"], input="12a\n", capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 3
    assert done.stdout == ""
    assert "4" in done.stderr and "12" in done.stderr
