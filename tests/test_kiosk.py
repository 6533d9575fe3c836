"""The kiosk: taking numbers on a real SQLite database with the sample catalogue, the real
engine and a real network printer stand-in; failures, live figures, idle reset, smoke run."""

from __future__ import annotations

import dataclasses
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import subprocess
import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from shared.db import Database
from shared.i18n import MESSAGES
from shared.models import Event, Ticket
from shared.queue import QueueEngine
from shared.settings import PrinterSettings, Settings
from tests.helpers.fakeprinter import FakePrinter

pytestmark = pytest.mark.timewise  # also run at shifted clocks (scripts/test.sh)

OPEN_TIME = datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
"""A Wednesday morning: the centre is open (the kiosk's clock in these tests)."""


def printer_settings(printer: FakePrinter) -> Settings:
    return Settings(
        printer=PrinterSettings(kind="network", host=printer.host, port=printer.port)  # type: ignore[call-arg]
    )


@pytest.fixture
def make_kiosk(qtbot, sample_db, clock):
    from kiosk.app import KioskWindow
    from kiosk.model import load_home
    from shared.qt.fonts import load_fonts

    windows = []

    def make(
        settings: Settings,
        size: tuple[int, int] = (1080, 1920),
        feed: bool = False,
        now: datetime = OPEN_TIME,
        db: Database | None = None,
    ):
        database = db or sample_db
        clock.set(now)
        window = KioskWindow(
            database,
            None,
            settings,
            load_fonts(),
            load_home(database, None),
        )
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
    assert "kiosk: home in " in done.stdout  # the data came after the first frame
    image = QImage(str(shot))
    assert (image.width(), image.height()) == tuple(int(x) for x in size.split("x"))


def test_first_frame_needs_no_database() -> None:
    """The window paints "Đang khởi động…" before SQLAlchemy, the engine or the catalogue are
    imported; the data follow from the worker (a fresh interpreter, so nothing is cached)."""
    script = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from shared.qt.fonts import load_fonts
from kiosk.app import KioskWindow
from shared.settings import Settings
w = KioskWindow(None, None, Settings(), load_fonts(), None, starting=True, db_source=lambda: 1 / 0)
w.resize(1080, 1920)
w.show()
app.processEvents()
w.grab()
names = ("sqlalchemy", "shared.db", "shared.queue", "shared.catalog")
heavy = [m for m in names if m in sys.modules]
print(w.current, heavy)
w.stop()
"""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "starting []"


def test_command_reaches_the_first_frame_without_the_cli_or_the_database(
    motcua_bin, sample_url, tmp_path
) -> None:
    """`motcua kiosk --smoke` through the launcher's fast path: before the "first frame" line
    only the starting window is imported: not the core's command-line module, the settings, the
    log file, the kiosk's screens, SQLAlchemy or the engine (-X importtime lines come in order
    with the output: both streams unbuffered into one pipe, the worker starts after the frame);
    all of them come after it, and the data are shown."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # no config file: no TOML to read
    env.pop("MOTCUA_CONFIG", None)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "launcher", "kiosk", "--smoke", "--windowed"]
        + ["--size", "1080x1920", "--db", sample_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    before = done.stdout.split("kiosk: first frame in ")[0]
    imported = {line.rsplit("|", 1)[-1].strip() for line in before.splitlines() if "|" in line}
    assert "kiosk.starting" in imported
    unwanted = {
        "cli",
        "cli.core",
        "cli.commands",
        "shared.settings",
        "shared.logs",
        "shared.i18n",
        "kiosk.app",
        "kiosk.screens",
        "kiosk.paint",
        "cli.calendar",
        "cli.dossier",
        "cli.forms",
        "tomllib",
        "uuid",
        "sqlalchemy",
        "shared.db",
        "shared.models",
        "shared.queue",
    }
    assert imported & unwanted == set()
    assert "kiosk: home in " in done.stdout
    after = done.stdout.split("kiosk: first frame in ")[1]
    assert "kiosk.app" in after and "shared.settings" in after


def test_starting_window_paints_the_starting_screen(qtbot) -> None:
    """The first frame (kiosk.starting) is pixel for pixel the kiosk's own "starting" screen,
    at the sizes it knows and at others (searched); its texts, colours and known sizes are the
    translations', kiosk.paint's and fitted_lines' own."""
    from kiosk import paint
    from kiosk.app import KioskWindow
    from kiosk.starting import KNOWN_FITS, MUTED, NAVY, TITLE_EN, TITLE_VI, YELLOW, StartingWindow
    from shared.qt.fonts import load_fonts

    assert (TITLE_VI, TITLE_EN) == MESSAGES["kiosk.starting"]
    assert (NAVY, YELLOW, MUTED) == (paint.NAVY, paint.YELLOW, paint.MUTED)
    family = load_fonts()
    for (font_family, text, width, height, max_px), known in KNOWN_FITS.items():
        assert font_family == family
        assert paint.fitted_lines(family, True, text, width, height, max_px, 2) == known
    for size in ((1080, 1920), (1920, 1080), (800, 600)):
        first = StartingWindow(family)
        qtbot.addWidget(first)
        first.resize(*size)
        window = KioskWindow(
            None, None, Settings(), family, None, starting=True, db_source=lambda: 1 / 0
        )
        qtbot.addWidget(window)
        window.resize(*size)
        assert window.current == "starting"
        expected = window.grab().toImage()
        image = first.grab().toImage()
        assert image == expected.convertToFormat(image.format()), size
        colours = {image.pixel(x, y) for x in range(0, size[0], 5) for y in range(0, size[1], 5)}
        assert len(colours) > 3  # the texts are there, not only the background
        window.stop()
        window.admin_unlocked = True


def test_starting_window_holds_the_kiosk(qtbot) -> None:
    """After the first frame the kiosk is shown inside the starting window (one top-level
    window): its title follows, and closing asks the kiosk (refused without the PIN)."""
    from kiosk.app import KioskWindow
    from kiosk.starting import StartingWindow
    from shared.qt.fonts import load_fonts

    family = load_fonts()
    host = StartingWindow(family)
    qtbot.addWidget(host)
    host.resize(1080, 1920)
    host.show()
    window = KioskWindow(
        None, None, Settings(), family, None, starting=True, db_source=lambda: 1 / 0
    )
    host.adopt(window)
    assert window.window() is host and window.isVisible()
    window.setWindowTitle("Trung tâm")
    assert host.windowTitle() == "Trung tâm"
    assert not host.close() and host.isVisible()  # the kiosk refuses without its PIN
    window.admin_unlocked = True
    assert host.close() and not host.isVisible()
    window.stop()


def test_bad_config_is_reported_after_the_first_frame(motcua_bin, tmp_path) -> None:
    """The starting frame comes before the config file is read: a bad file is still reported
    (message on stderr, exit code 2), also by a smoke run."""
    config = tmp_path / "bad.toml"
    config.write_text("this is = = not toml\n", encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [motcua_bin, "kiosk", "--smoke", "--windowed", "--config", str(config)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout.startswith("kiosk: first frame in ")
    assert str(config) in done.stderr


def test_fast_command_line_is_the_full_parsers() -> None:
    """`motcua kiosk …` parsed without the core's commands gives the same options; anything
    else (help, mistakes, other commands) goes to the full parser."""
    from cli.commands import build_parser
    from launcher import APPS, _fast_args

    full = build_parser(APPS)
    for argv in (
        ["kiosk"],
        ["kiosk", "--smoke", "--windowed", "--size", "1080x1920", "--db", "sqlite:///x"],
        ["kiosk", "--screenshot", "a.png", "--lang", "en", "--centre", "C1", "--tile", "2x2:1"],
        ["kiosk", "--config=c.toml", "--json", "--lang=vi"],
    ):
        fast = _fast_args(argv)
        assert fast is not None and vars(fast) == vars(full.parse_args(argv)), argv
    for argv in (["kiosk", "-h"], ["kiosk", "--win"], ["kiosk", "--lang", "fr"], ["display"]):
        assert _fast_args(argv) is None, argv


def test_pyside_import_hook_keeps_no_source(tmp_path) -> None:
    """After lighten_pyside_imports, a module imported later is not kept in linecache (PySide6's
    own check read it with inspect.getsource: ~19 MiB for the kiosk's SQLAlchemy stack)."""
    script = f"""
import linecache, sys
from shared.qt.platform import lighten_pyside_imports
lighten_pyside_imports()
sys.path.insert(0, {str(tmp_path)!r})
import probe_mod_a, probe_mod_b
seen = sys.modules["shibokensupport.feature"].pyside_feature_dict
kept = sorted(n for n in linecache.cache if "probe_mod" in n)
print(kept, seen["probe_mod_a"], seen["probe_mod_b"])
"""
    (tmp_path / "probe_mod_a.py").write_text("X = 1\n")
    (tmp_path / "probe_mod_b.py").write_text("import PySide6.QtCore\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[]", "-1", "0"]


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
    window.controller.admin_taps.clear()
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


# --- opening hours, used-up ranges, larger text, logo --------------------------------------------

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def test_services_closed_on_sunday_say_when_they_open(qtbot, make_kiosk) -> None:
    sunday = datetime(2026, 11, 22, 10, 0, tzinfo=ZONE)
    window = make_kiosk(Settings(), now=sunday)
    button = window.home_screen.button("HT")
    assert button.isVisible() and not button.isEnabled()
    assert button.detail_lines() == ("Ngoài giờ làm việc", "Mở lại 07:30 Thứ Hai 23/11")
    click(qtbot, button)
    assert window.current == "home" and tickets(window.db) == []
    window.set_language("en")
    assert button.detail_lines() == ("Outside opening hours", "Opens again Monday 23/11, 07:30")


def test_a_public_holiday_from_the_working_calendar_is_closed(qtbot, make_kiosk) -> None:
    """Monday 27/04/2026 is the day off for Giỗ Tổ (Sunday 26/04): the working calendar says so."""
    window = make_kiosk(Settings(), now=datetime(2026, 4, 27, 9, 0, tzinfo=ZONE))
    assert window.home.calendar is not None
    button = window.home_screen.button("HT")
    assert not button.isEnabled()
    assert button.detail_lines() == ("Ngoài giờ làm việc", "Mở lại 07:30 Thứ Ba 28/04")


def test_lunch_break_closes_until_the_afternoon(qtbot, make_kiosk, clock) -> None:
    window = make_kiosk(Settings(), now=datetime(2026, 11, 18, 12, 0, tzinfo=ZONE))
    window.check_hours()
    button = window.home_screen.button("DD")
    assert not button.isEnabled()
    assert button.detail_lines() == ("Ngoài giờ làm việc", "Mở lại lúc 13:30")
    clock.set(datetime(2026, 11, 18, 13, 30, tzinfo=ZONE))
    window.check_hours()  # the half-minute timer, without any database read
    assert button.isEnabled() and button.detail_lines()[0] == "Không có ai đang chờ"


@pytest.mark.parametrize(
    ("moment", "reopens"),
    [
        ((2026, 11, 18, 7, 29), "Mở lại lúc 07:30"),  # Wednesday, before opening
        ((2026, 11, 18, 7, 30), None),
        ((2026, 11, 18, 11, 29), None),
        ((2026, 11, 18, 11, 31), "Mở lại lúc 13:30"),  # lunch break
        ((2026, 11, 18, 14, 59), None),
        ((2026, 11, 18, 15, 1), None),  # after the dossiers' cut-off, still open for numbers
        ((2026, 11, 18, 16, 59), None),
        ((2026, 11, 18, 17, 0), "Mở lại 07:30 Thứ Năm 19/11"),  # closing time
        ((2026, 11, 18, 23, 59), "Mở lại 07:30 Thứ Năm 19/11"),
        ((2026, 11, 19, 0, 0), "Mở lại lúc 07:30"),  # Thursday here, 17:00 Wednesday in UTC
        ((2026, 11, 21, 9, 0), "Mở lại 07:30 Thứ Hai 23/11"),  # an ordinary Saturday
        ((2026, 8, 22, 9, 0), None),  # the Saturday worked in 2026 (for Monday 31/8)
        ((2026, 8, 31, 9, 0), "Mở lại 07:30 Thứ Năm 03/09"),  # off; then 1–2/9 Quốc khánh
        ((2026, 2, 16, 9, 0), "Mở lại 07:30 Thứ Hai 23/02"),  # Tết 2026 (16–20/2)
    ],
)
def test_the_kiosk_opens_and_closes_by_the_centres_clock_and_calendar(
    qtbot, make_kiosk, sample_db, moment, reopens
) -> None:
    """Every edge of the day and of the calendar, on the product's clock (the official 2026
    calendar loaded): services open, or closed with when they open again."""
    from shared.demo import load_shipped_calendars

    load_shipped_calendars(sample_db)
    window = make_kiosk(Settings(), now=datetime(*moment, tzinfo=ZONE))
    button = window.home_screen.button("HT")
    if reopens is None:
        assert button.isEnabled() and button.detail_lines()[0] == "Không có ai đang chờ"
    else:
        assert not button.isEnabled()
        assert button.detail_lines() == ("Ngoài giờ làm việc", reopens)


def test_the_kiosk_follows_the_clock_across_the_day(qtbot, make_kiosk, clock) -> None:
    """One kiosk left running: the half-minute check opens and closes it as the clock moves."""
    window = make_kiosk(Settings(), now=datetime(2026, 11, 18, 7, 29, 30, tzinfo=ZONE))
    button = window.home_screen.button("HT")
    seen = []
    for minutes in (1, 240, 2, 120, 60, 60, 30 + 7 * 60, 7 * 60, 90):
        clock.advance(minutes=minutes)
        window.check_hours()
        button = window.home_screen.button("HT")
        seen.append((f"{clock().astimezone(ZONE):%d %H:%M}", button.isEnabled()))
    assert seen == [
        ("18 07:30", True),
        ("18 11:30", False),
        ("18 11:32", False),
        ("18 13:32", True),
        ("18 14:32", True),
        ("18 15:32", True),
        ("18 23:02", False),
        ("19 06:02", False),
        ("19 07:32", True),  # Thursday: open again, nothing restarted
    ]


def test_opening_hours_can_be_switched_off(qtbot, make_kiosk) -> None:
    from shared.settings import KioskSettings

    sunday_night = datetime(2026, 11, 22, 23, 0, tzinfo=ZONE)
    settings = Settings(kiosk=KioskSettings(follow_opening_hours=False))  # type: ignore[call-arg]
    window = make_kiosk(settings, now=sunday_night)
    assert window.home_screen.button("HT").isEnabled()


def test_used_up_number_range_is_disabled_live(qtbot, make_kiosk, tmp_path) -> None:
    from shared.catalog import import_catalog, load_catalog_file
    from tests.helpers.catalogs import small_catalog

    db = Database(f"sqlite:///{(tmp_path / 'small.sqlite3').as_posix()}")
    db.upgrade()
    import_catalog(db, load_catalog_file(small_catalog(tmp_path)))
    try:
        window = make_kiosk(Settings(), feed=True, db=db)
        button = window.home_screen.button("SMALL")  # numbers S001–S002 only
        assert button.isEnabled()
        other = QueueEngine(Database(str(db.engine.url)), "TEST")
        other.issue("SMALL")
        other.issue("SMALL")
        qtbot.waitUntil(lambda: window.home_screen.button("SMALL").unavailable, timeout=5000)
        button = window.home_screen.button("SMALL")
        assert button.isVisible() and not button.isEnabled()
        assert button.detail_lines() == ("Đã hết số hôm nay", "Vui lòng quay lại ngày làm việc sau")
        assert window.home_screen.button("HT").isEnabled()
        other.db.dispose()
    finally:
        window.stop()
        db.dispose()


def test_larger_text_and_english_reset_when_left_alone(qtbot, make_kiosk) -> None:
    window = make_kiosk(Settings())
    window.idle_ms = 300
    click(qtbot, window.home_screen.large_button)
    assert window.large and window.home_screen.button("HT").large
    click(qtbot, window.home_screen.languages[1])
    assert window.language == "en"
    with qtbot.waitSignal(window.flow_reset, timeout=3000):
        pass
    assert window.current == "home"
    assert not window.large and not window.home_screen.button("HT").large
    assert window.language == "vi"


def test_larger_text_resets_after_a_ticket(qtbot, make_kiosk) -> None:
    window = make_kiosk(Settings())
    window.confirm_ms = window.confirm_failed_ms = 200
    click(qtbot, window.home_screen.large_button)
    click(qtbot, window.home_screen.languages[1])
    take(qtbot, window, window.home_screen.button("HT"))
    qtbot.waitUntil(lambda: window.current == "home", timeout=3000)
    assert not window.large and window.language == "vi"


def test_logo_from_file_keeps_its_proportions(qtbot, tmp_path) -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage

    from kiosk.logo import Logo, initials

    path = tmp_path / "logo.png"
    image = QImage(400, 100, QImage.Format.Format_ARGB32)
    image.fill(QColor("#c00000"))
    assert image.save(str(path))
    logo = Logo(str(path))
    assert logo.from_file
    box = logo.fitted(QRectF(0, 0, 200, 200))
    assert (box.width(), box.height()) == (200, 50)  # never stretched to the square
    svg = tmp_path / "logo.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="30">'
        '<rect width="60" height="30" fill="#036"/></svg>',
        encoding="utf-8",
    )
    assert Logo(str(svg)).fitted(QRectF(0, 0, 90, 90)).height() == 45
    assert not Logo(str(tmp_path / "missing.png")).from_file  # the built-in mark instead
    assert initials("", "HCC-LA", "Trung tâm") == "HCC"
    assert initials("tt", "HCC-LA", "") == "TT"


def test_home_shows_the_built_in_mark(qtbot, make_kiosk) -> None:
    window = make_kiosk(Settings())
    logo = window.home_screen.header.logo
    assert logo is not None and not logo.from_file and logo.letters == "HCC"


# --- dossier lookup -----------------------------------------------------------------------------


def send_keys(window, text: str, gap_ms: int = 0, qtbot=None) -> None:
    """Keystrokes to the window as a keyboard (or a keyboard-wedge scanner) sends them."""
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for char in text:
        key = Qt.Key.Key_Return if char == "\n" else Qt.Key(ord(char.upper()))
        for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
            event = QKeyEvent(
                kind, key, Qt.KeyboardModifier.NoModifier, "\r" if char == "\n" else char
            )
            QApplication.sendEvent(window, event)
        if gap_ms and qtbot is not None:
            qtbot.wait(gap_ms)


def test_scanner_filter_tells_a_scan_from_a_person(qtbot) -> None:
    from kiosk.scanner import ScannerFilter

    scanner = ScannerFilter(gap_ms=60)
    scans: list[str] = []
    typed: list[str] = []
    scanner.scanned.connect(scans.append)
    scanner.typed.connect(typed.append)
    t = 100.0
    for char in "MOTCUA:D:ABC123":
        scanner.key_pressed(Qt.Key.Key_A, char, t)
        t += 0.008
    scanner.key_pressed(Qt.Key.Key_Return, "\r", t)
    assert scans == ["MOTCUA:D:ABC123"] and typed == []
    # A person: 150 ms between keys; then a short fast pair with Enter (not a scan either).
    for char in "ABC123":
        t += 0.15
        scanner.key_pressed(Qt.Key.Key_A, char, t)
    t += 0.15
    scanner.key_pressed(Qt.Key.Key_Return, "\r", t)
    for char in "OK":
        t += 0.01
        scanner.key_pressed(Qt.Key.Key_A, char, t)
    scanner.key_pressed(Qt.Key.Key_Return, "\r", t + 0.01)
    assert scans == ["MOTCUA:D:ABC123"]
    assert "".join(typed) == "ABC123\nOK\n"
    # A slow Enter after a fast burst: typed, not scanned.
    for char in "ZZZZZZZZ":
        t += 0.005
        scanner.key_pressed(Qt.Key.Key_A, char, t)
    scanner.key_pressed(Qt.Key.Key_Return, "\r", t + 0.5)
    assert scans == ["MOTCUA:D:ABC123"]


def receive_dossier(db: Database, name: str = "Nguyễn Văn An"):
    from shared.dossier_views import Party, ReceiveForm
    from shared.dossiers import DossierDesk

    form = ReceiveForm(procedure_code="1.001193", applicant=Party(kind="person", name=name))
    return DossierDesk(db, None).receive(form)


def scan(qtbot, window, text: str):
    """A keyboard-wedge scanner reads ``text`` (fast keystrokes, then Enter)."""
    with qtbot.waitSignal(window.lookup_finished, timeout=10_000) as done:
        send_keys(window, text + "\n")
    return done.args[0]


def test_scanning_a_slip_on_any_screen_shows_the_dossier(qtbot, make_kiosk, sample_db) -> None:
    from shared.codes import encode_dossier
    from shared.dossier_views import DossierPublicView

    dossier = receive_dossier(sample_db)
    window = make_kiosk(Settings())
    click(qtbot, window.home_screen.priority_button)
    assert window.current == "groups"  # in the middle of another flow
    view = scan(qtbot, window, encode_dossier(dossier.code, dossier.secret))
    assert isinstance(view, DossierPublicView)
    assert window.current == "lookup" and window.lookup_screen.state == "result"
    assert view.code == dossier.code and view.applicant_masked == "N*** V*** A**"
    from kiosk.model import lookup_rows

    rows = dict(lookup_rows(view, "vi", "Asia/Ho_Chi_Minh"))
    assert rows["Tình trạng"] == "Được tiếp nhận"
    assert "Nguyễn" not in str(rows)
    assert tickets(sample_db) == []


@pytest.mark.parametrize(
    "garbage",
    [
        "https://example.invalid/not-a-slip?x=1",
        "079201001234|123456789|Nguyen Van An|01011990",  # a citizen ID card's QR
        "MOTCUA:D1:000.00.10.H39-261113-0042:ABCDEF:ZZZZ",  # damaged check characters
        "éèê-à-â@@@###",
    ],
)
def test_garbage_or_foreign_qr_gets_one_calm_message(qtbot, make_kiosk, garbage) -> None:
    window = make_kiosk(Settings())
    assert scan(qtbot, window, garbage) == "kiosk.lookup.refused"
    assert window.current == "lookup"
    assert window.lookup_screen.message_key == "kiosk.lookup.refused"
    assert tickets(window.db) == []  # no key reached a service button


def test_typed_code_and_secret_show_the_dossier(qtbot, make_kiosk, sample_db) -> None:
    dossier = receive_dossier(sample_db)
    window = make_kiosk(Settings())
    click(qtbot, window.home_screen.lookup_button)
    screen = window.lookup_screen
    prefix, rest = dossier.code.rsplit("-", 2)[0], dossier.code.split("-", 1)[1]
    assert screen.code == prefix + "-"
    for key in rest.replace("-", ""):
        click(qtbot, screen.keys[key])
    assert screen.code == dossier.code
    click(qtbot, screen.keys["next"])
    for key in dossier.secret:
        click(qtbot, screen.keys[key])
    with qtbot.waitSignal(window.lookup_finished, timeout=10_000) as done:
        click(qtbot, screen.search)
    assert done.args[0].code == dossier.code
    assert screen.state == "result"
    click(qtbot, screen.again)
    assert screen.state == "entry" and screen.code == prefix + "-"


def test_wrong_secret_and_unknown_code_look_the_same_then_slow_down(
    qtbot, make_kiosk, sample_db
) -> None:
    dossier = receive_dossier(sample_db)
    window = make_kiosk(Settings())
    window.open_lookup()
    outcomes = []
    for code, secret in (
        (dossier.code, "WRONG2"),  # the code exists
        ("000.00.10.H39-200101-9999", "WRONG2"),  # it does not
    ):
        with qtbot.waitSignal(window.lookup_finished, timeout=10_000) as done:
            window.on_lookup_submitted(code, secret)
        outcomes.append((done.args[0], window.lookup_screen.message_text()))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == "kiosk.lookup.refused"
    for _ in range(3):  # three free attempts per code, then each costs a wait
        with qtbot.waitSignal(window.lookup_finished, timeout=10_000) as done:
            window.on_lookup_submitted(dossier.code, "WRONG2")
    assert done.args[0] == "kiosk.lookup.slow"
    screen = window.lookup_screen
    assert screen.slowed and not screen.search.isEnabled()
    assert "5 giây" in screen.message_text()


def test_a_person_typing_is_not_a_scan(qtbot, make_kiosk) -> None:
    window = make_kiosk(Settings())
    finished: list = []
    window.lookup_finished.connect(finished.append)
    send_keys(window, "ABCDEFGH\n", gap_ms=130, qtbot=qtbot)
    qtbot.wait(200)
    assert window.current == "home" and finished == []


def test_lookup_keys_help_typing_the_code(qtbot, make_kiosk) -> None:
    window = make_kiosk(Settings())
    click(qtbot, window.home_screen.lookup_button)
    assert window.current == "lookup"
    screen = window.lookup_screen
    assert screen.code == "000.00.10.H39-"  # the centre's agency e-ID, from the catalogue
    for key in "2611130042":
        click(qtbot, screen.keys[key])
    assert screen.code == "000.00.10.H39-261113-0042"  # "-" after the date
    click(qtbot, screen.keys["next"])
    assert screen.active == "secret"
    for look_alike in ("0", "1", "O", "I", "."):
        assert not screen.keys[look_alike].isEnabled()
    for key in "Q7K":
        click(qtbot, screen.keys[key])
    click(qtbot, screen.keys["delete"])
    assert screen.secret == "Q7"
    send_keys(window, "m", gap_ms=150, qtbot=qtbot)  # a person's keyboard types in the field
    qtbot.waitUntil(lambda: screen.secret == "Q7M", timeout=2000)
    with qtbot.waitSignal(window.lookup_finished, timeout=10_000) as done:
        click(qtbot, screen.search)
    assert done.args[0] == "kiosk.lookup.refused"
    assert screen.secret == "" and screen.code == "000.00.10.H39-261113-0042"
    click(qtbot, screen.back)
    assert window.current == "home"


def test_lookup_needs_both_fields(qtbot, make_kiosk) -> None:
    window = make_kiosk(Settings())
    window.open_lookup()
    screen = window.lookup_screen
    finished: list = []
    window.lookup_finished.connect(finished.append)
    click(qtbot, screen.search)
    assert screen.message_key == "kiosk.lookup.missing_fields" and finished == []


def test_lookup_slow_down_counts_the_seconds(qtbot, make_kiosk) -> None:
    from shared.errors import LookupSlowDown

    window = make_kiosk(Settings())
    window.open_lookup()
    window.on_lookup_failed(LookupSlowDown(42))
    screen = window.lookup_screen
    assert screen.message_text() == "Đã nhập sai nhiều lần. Vui lòng chờ 42 giây rồi thử lại."
    assert not screen.search.isEnabled()
    screen.wait_until = 0
    screen._on_countdown()
    assert screen.search.isEnabled() and screen.message_key is None


def test_lookup_idle_goes_home(qtbot, make_kiosk) -> None:
    window = make_kiosk(Settings())
    window.idle_ms = 300
    click(qtbot, window.home_screen.lookup_button)
    with qtbot.waitSignal(window.flow_reset, timeout=3000):
        pass
    assert window.current == "home"


def test_lookup_result_wording() -> None:
    from kiosk.model import lookup_rows, next_step_text
    from shared.dossier_views import DocumentLine, DossierPublicView

    received = datetime(2026, 11, 13, 7, 20, tzinfo=UTC)
    due = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    view = DossierPublicView(
        code="000.00.10.H39-261113-0042",
        procedure_name="Đăng ký khai sinh",
        procedure_name_en="Birth registration",
        status=5,
        received_at=received,
        due_at=due,
        appointment_at=due,
        timeliness=None,
        next_step="",
        applicant_masked="N*** V*** A**",
        missing=(DocumentLine("Giấy chứng sinh", originals=1),),
        progress="overdue",
    )
    rows = dict(lookup_rows(view, "vi", "Asia/Ho_Chi_Minh"))
    assert rows["Người nộp"] == "N*** V*** A**"
    assert rows["Ngày nhận"] == "14:20 ngày 13/11/2026"  # UTC+7
    assert rows["Hẹn trả kết quả"] == "16:00 ngày 27/11/2026"
    assert rows["Tiến độ"] == "⚠ Quá hạn"
    assert rows["Tình trạng"] == "Yêu cầu bổ sung giấy tờ"
    assert "Giấy chứng sinh" in next_step_text(view, "vi")
    en = dict(lookup_rows(view, "en", "Asia/Ho_Chi_Minh"))
    assert en["Result due"] == "27/11/2026 at 16:00" and en["Procedure"] == "Birth registration"
    # Submitted online, not yet accepted: no date is promised before the clock starts.
    online = dataclasses.replace(view, status=1, progress=None, missing=())
    rows = dict(lookup_rows(online, "vi", "Asia/Ho_Chi_Minh"))
    assert rows["Tình trạng"] == "Mới đăng ký" and "27/11" not in str(rows)
    assert rows["Hẹn trả kết quả"].startswith("Chưa có")
    assert "Tiến độ" not in rows  # the legal clock has not started
    # Open and within its time, due today, or finished: one word each, marked, never by colour.
    for progress, words in (("in_time", "✓ Trong hạn"), ("due_today", "✓ Đến hạn hôm nay")):
        rows = dict(lookup_rows(dataclasses.replace(view, progress=progress), "vi", "UTC"))
        assert rows["Tiến độ"] == words
    done = dataclasses.replace(view, status=10, timeliness="early", progress=None)
    assert dict(lookup_rows(done, "vi", "UTC"))["Tiến độ"] == "✓ Trước hạn"
    assert dict(lookup_rows(done, "en", "UTC"))["Progress"] == "✓ Ahead of time"


# --- a real database outage -------------------------------------------------------------------


@pytest.mark.postgres
def test_postgres_outage_shows_out_of_service_and_comes_back(qtbot, make_kiosk, pg_server, pg_url):
    """A kiosk keeping no numbers in reserve ([kiosk] offline_block = 0): out of service while
    the server is away, back by itself (with reserves: tests/test_kiosk_offline.py)."""
    from shared.catalog import import_catalog, load_catalog_file
    from shared.resources import asset
    from shared.settings import KioskSettings

    db = Database(pg_url)
    db.upgrade()
    import_catalog(db, load_catalog_file(asset("catalog", "sample.toml")))
    settings = Settings(kiosk=KioskSettings(offline_block=0))  # type: ignore[call-arg]
    window = make_kiosk(settings, feed=True, db=db)
    try:
        assert window.current == "home"

        def while_down() -> None:
            qtbot.waitUntil(lambda: window.current == "offline", timeout=20_000)
            click(qtbot, window)  # a touch on the calm screen changes nothing
            assert window.current == "offline"

        pg_server.restart(while_down=while_down)
        qtbot.waitUntil(lambda: window.current == "home", timeout=30_000)  # by itself
        confirmation, _ = take(qtbot, window, window.home_screen.button("HT"))
        assert confirmation.number == "2001"
    finally:
        window.stop()
        db.dispose()
