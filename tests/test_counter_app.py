"""The counter desktop on a real SQLite database with the sample catalogue, real users and the
real engine: sign-in, every action by its function key, legal buttons only, transfer, the
citizen's rating (dialog, second screen, timeout, clerk on their behalf), crash recovery,
database loss, and the smoke run."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from shared.catalog import import_catalog, load_catalog_file
from shared.counters import sign_in
from shared.db import Database
from shared.errors import DatabaseUnreachable
from shared.i18n import tr
from shared.models import Event, Rating, Ticket
from shared.queue import QueueEngine
from shared.resources import asset
from shared.settings import Settings
from shared.users import add_user

PASSWORD = "mat-khau-123"
WAIT = 5000


@pytest.fixture
def sample_url(tmp_path: Path) -> str:
    url = f"sqlite:///{(tmp_path / 'counter.sqlite3').as_posix()}"
    db = Database(url)
    db.upgrade()
    import_catalog(db, load_catalog_file(asset("catalog", "sample.toml")))
    for name, full in (("lan", "Nguyễn Thị Lan"), ("minh", "Trần Văn Minh")):
        add_user(db, name, PASSWORD, "clerk", full_name=full)
    db.dispose()
    return url


@pytest.fixture
def sample_db(sample_url: str):
    db = Database(sample_url)
    yield db
    db.dispose()


@pytest.fixture
def kiosk(sample_db: Database) -> QueueEngine:
    return QueueEngine(sample_db)


@pytest.fixture
def make_window(qtbot, sample_db):
    from counter.app import CounterWindow
    from shared.qt.fonts import load_fonts

    windows: list[Any] = []

    def make(settings: Settings | None = None):
        window = CounterWindow(sample_db, None, settings or Settings(), load_fonts())
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.stop()


def sign_in_window(qtbot, window, user: str = "lan", counter: int = 1, password: str = PASSWORD):
    page = window.sign_in_page
    page.username.setText(user)
    page.password.setText(password)
    page.counter.setText(str(counter))
    with qtbot.waitSignal(window.signed_in, timeout=WAIT):
        qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
    return window


@pytest.fixture
def signed_in(qtbot, make_window):
    return sign_in_window(qtbot, make_window())


def press(qtbot, window, key: Qt.Key) -> None:
    with qtbot.waitSignal(window.action_done, timeout=WAIT):
        qtbot.keyClick(window, key)


def ticket_row(db: Database, ticket_id: int) -> Ticket:
    with db.transaction(readonly=True) as s:
        return s.get_one(Ticket, ticket_id)


def enabled(window) -> set[str]:
    return {name for name, button in window.buttons.items() if button.isEnabled()}


# --- signing in ----------------------------------------------------------------------------------


def test_sign_in_shows_who_where_and_remembers_the_counter(qtbot, make_window) -> None:
    from counter.model import load_prefs

    window = sign_in_window(qtbot, make_window())
    assert window.page == "main"
    assert "Nguyễn Thị Lan" in window.who.text() and "Quầy 01" in window.who.text()
    assert load_prefs() == {"username": "lan", "counter": 1}
    again = make_window()
    assert again.sign_in_page.username.text() == "lan"
    assert again.sign_in_page.counter.text() == "1"
    with qtbot.waitSignal(window.signed_out, timeout=WAIT):
        qtbot.mouseClick(window.sign_out_button, Qt.MouseButton.LeftButton)
    assert window.page == "sign_in"


def test_wrong_password_is_refused_with_a_clear_message(qtbot, make_window) -> None:
    window = make_window()
    page = window.sign_in_page
    page.username.setText("lan")
    page.password.setText("sai-mat-khau")
    page.counter.setText("1")
    with qtbot.waitSignal(window.sign_in_failed, timeout=WAIT) as blocker:
        qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
    assert blocker.args == [tr("error.bad_login")]
    assert window.page == "sign_in" and page.message.isVisible()


def test_a_counter_held_by_another_clerk_is_refused(qtbot, make_window, sample_db) -> None:
    sign_in(sample_db, "lan", PASSWORD, 1, machine="pc-01")
    window = make_window()
    page = window.sign_in_page
    page.username.setText("minh")
    page.password.setText(PASSWORD)
    page.counter.setText("1")
    with qtbot.waitSignal(window.sign_in_failed, timeout=WAIT) as blocker:
        qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
    assert "Nguyễn Thị Lan" in blocker.args[0]
    assert window.page == "sign_in"


# --- actions -------------------------------------------------------------------------------------


def test_every_action_by_its_function_key(qtbot, signed_in, kiosk, sample_db) -> None:
    window = signed_in
    first, second = kiosk.issue("DD"), kiosk.issue("DD")
    for name, button in window.buttons.items():
        assert button.text().startswith("F"), name  # the shortcut is shown on the button

    press(qtbot, window, Qt.Key.Key_F2)
    assert window.ticket_panel.number.text() == first.number
    assert ticket_row(sample_db, first.id).status == "called"
    press(qtbot, window, Qt.Key.Key_F3)
    assert ticket_row(sample_db, first.id).recall_count == 1
    press(qtbot, window, Qt.Key.Key_F6)
    assert ticket_row(sample_db, first.id).status == "no_show"

    press(qtbot, window, Qt.Key.Key_F2)
    assert ticket_row(sample_db, second.id).status == "called"
    press(qtbot, window, Qt.Key.Key_F4)
    assert ticket_row(sample_db, second.id).status == "serving"
    press(qtbot, window, Qt.Key.Key_F7)
    assert ticket_row(sample_db, second.id).status == "held"
    assert window.queue_panel.held.count() == 1 and "resume" in enabled(window)
    press(qtbot, window, Qt.Key.Key_F10)
    assert ticket_row(sample_db, second.id).status == "waiting"
    press(qtbot, window, Qt.Key.Key_F2)
    assert ticket_row(sample_db, second.id).status == "called"
    with qtbot.waitSignal(window.rating_prompted, timeout=WAIT) as prompted:
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert ticket_row(sample_db, second.id).status == "done"
    prompted.args[0].timer.stop()
    prompted.args[0].close()

    press(qtbot, window, Qt.Key.Key_F9)
    assert window.snapshot.state.paused and window.paused_label.isVisible()
    assert "call_next" not in enabled(window)
    press(qtbot, window, Qt.Key.Key_F9)
    assert not window.snapshot.state.paused

    with sample_db.transaction(readonly=True) as s:
        users = set(
            s.scalars(
                select(Event.user_id).where(
                    Event.kind.like("ticket.%"), Event.counter_id.is_not(None)
                )
            )
        )
    assert users == {window.session.user_id}  # every action carries the clerk's id


def test_only_legal_actions_are_enabled(qtbot, signed_in, kiosk, sample_db) -> None:
    window = signed_in
    assert enabled(window) == {"call_next", "pause"}
    ticket = kiosk.issue("DD")
    press(qtbot, window, Qt.Key.Key_F2)
    assert enabled(window) == {
        "call_next",
        "recall",
        "start",
        "finish",
        "no_show",
        "hold",
        "transfer",
        "pause",
    }
    press(qtbot, window, Qt.Key.Key_F4)
    assert enabled(window) == {"call_next", "finish", "hold", "transfer", "pause"}
    # An illegal key does nothing at all.
    qtbot.keyClick(window, Qt.Key.Key_F6)
    qtbot.keyClick(window, Qt.Key.Key_F3)
    qtbot.wait(200)
    row = ticket_row(sample_db, ticket.id)
    assert (row.status, row.recall_count) == ("serving", 0)


def test_calling_with_an_open_ticket_asks_first(qtbot, signed_in, kiosk, sample_db) -> None:
    window = signed_in
    first, second = kiosk.issue("DD"), kiosk.issue("DD")
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.keyClick(window, Qt.Key.Key_F2)
    assert window.open_ticket_box is not None
    window.open_ticket_choices["cancel"].click()
    qtbot.wait(200)
    assert ticket_row(sample_db, first.id).status == "called"
    assert ticket_row(sample_db, second.id).status == "waiting"

    qtbot.keyClick(window, Qt.Key.Key_F2)
    with qtbot.waitSignal(window.action_done, timeout=WAIT):
        window.open_ticket_choices["no_show"].click()
    assert ticket_row(sample_db, first.id).status == "no_show"
    assert ticket_row(sample_db, second.id).status == "called"


def test_transfer_to_a_service_and_to_a_counter(qtbot, signed_in, kiosk, sample_db) -> None:
    window = signed_in
    first, second = kiosk.issue("DD"), kiosk.issue("DD")
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.keyClick(window, Qt.Key.Key_F8)
    dialog = window.transfer_dialog
    assert dialog is not None
    dialog.choose_service("HT")
    with qtbot.waitSignal(window.action_done, timeout=WAIT):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    row = ticket_row(sample_db, first.id)
    assert (row.status, kiosk.ticket(first.id).service) == ("waiting", "HT")
    assert window.ticket is None

    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.keyClick(window, Qt.Key.Key_F8)
    window.transfer_dialog.choose_counter(2)
    with qtbot.waitSignal(window.action_done, timeout=WAIT):
        qtbot.mouseClick(window.transfer_dialog.ok, Qt.MouseButton.LeftButton)
    assert kiosk.ticket(second.id).target_counter == 2


# --- satisfaction --------------------------------------------------------------------------------


def finish_and_prompt(qtbot, window, kiosk):
    ticket = kiosk.issue("DD")
    press(qtbot, window, Qt.Key.Key_F2)
    with qtbot.waitSignal(window.rating_prompted, timeout=WAIT) as prompted:
        qtbot.keyClick(window, Qt.Key.Key_F5)
    return ticket, prompted.args[0]


def ratings(db: Database) -> list[Rating]:
    with db.transaction(readonly=True) as s:
        return list(s.scalars(select(Rating).order_by(Rating.id)))


def test_the_citizen_rates_in_the_dialog(qtbot, signed_in, kiosk, sample_db) -> None:
    window = signed_in
    ticket, prompt = finish_and_prompt(qtbot, window, kiosk)
    labels = [b.text() for b in prompt.level_buttons.values()]
    assert labels == ["Rất hài lòng", "Hài lòng", "Không hài lòng"]  # highest first
    assert not prompt.isFullScreen()
    qtbot.mouseClick(prompt.level_buttons[1], Qt.MouseButton.LeftButton)
    assert prompt.reason_box.isVisible()
    prompt.chips[0].click()
    with qtbot.waitSignal(window.rating_recorded, timeout=WAIT):
        qtbot.mouseClick(prompt.send, Qt.MouseButton.LeftButton)
    (rating,) = ratings(sample_db)
    assert (rating.ticket_id, rating.level, rating.source) == (ticket.id, 1, "citizen")
    assert rating.reasons == ["Chờ lâu"] and rating.user_id == window.session.user_id


def test_no_answer_records_no_rating(qtbot, signed_in, kiosk, sample_db) -> None:
    _ticket, prompt = finish_and_prompt(qtbot, signed_in, kiosk)
    prompt.timer.setInterval(50)
    prompt.timer.start()
    with qtbot.waitSignal(signed_in.rating_recorded, timeout=WAIT):
        pass
    (rating,) = ratings(sample_db)
    assert (rating.outcome, rating.level) == ("no_rating", None)


def test_a_clerk_entering_the_rating_is_recorded(qtbot, signed_in, kiosk, sample_db) -> None:
    _ticket, prompt = finish_and_prompt(qtbot, signed_in, kiosk)
    prompt.by_clerk.setChecked(True)
    with qtbot.waitSignal(signed_in.rating_recorded, timeout=WAIT):
        qtbot.mouseClick(prompt.level_buttons[3], Qt.MouseButton.LeftButton)
    (rating,) = ratings(sample_db)
    assert (rating.level, rating.source) == (3, "clerk")


def test_rating_on_a_second_screen_is_frameless(qtbot, signed_in, kiosk, monkeypatch) -> None:
    from counter.widgets import RatingPrompt

    monkeypatch.setattr(RatingPrompt, "second_screen", staticmethod(lambda: signed_in.screen()))
    _ticket, prompt = finish_and_prompt(qtbot, signed_in, kiosk)
    assert prompt.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert prompt.screen() is signed_in.screen()
    with qtbot.waitSignal(signed_in.rating_recorded, timeout=WAIT):
        qtbot.mouseClick(prompt.level_buttons[2], Qt.MouseButton.LeftButton)


# --- never lose the citizen ----------------------------------------------------------------------


def test_a_restarted_counter_shows_its_open_ticket(qtbot, make_window, kiosk, sample_db) -> None:
    first = sign_in_window(qtbot, make_window())
    ticket = kiosk.issue("DD")
    press(qtbot, first, Qt.Key.Key_F2)
    press(qtbot, first, Qt.Key.Key_F4)
    first.stop()  # the PC crashed: nobody signed out
    first.close()
    again = sign_in_window(qtbot, make_window())
    assert again.ticket is not None and again.ticket.id == ticket.id
    assert again.ticket_panel.number.text() == ticket.number
    assert again.ticket.status == "serving" and "finish" in enabled(again)


def test_database_loss_keeps_the_ticket_and_locks_the_buttons(
    qtbot, signed_in, kiosk, monkeypatch
) -> None:
    window = signed_in
    ticket = kiosk.issue("DD")
    press(qtbot, window, Qt.Key.Key_F2)

    def unreachable(*_a: object, **_k: object) -> None:
        raise DatabaseUnreachable(url="sqlite:///test", detail="test")

    monkeypatch.setattr(window.engine, "recall", unreachable)
    with qtbot.waitSignal(window.online_changed, timeout=WAIT) as changed:
        qtbot.keyClick(window, Qt.Key.Key_F3)
    assert changed.args == [False]
    assert window.offline_banner.isVisible() and window.message.isVisible()
    assert window.ticket_panel.number.text() == ticket.number
    assert enabled(window) == set()
    with qtbot.waitSignal(window.online_changed, timeout=WAIT) as changed:
        window.on_connection_changed(True)  # the feed reached the database again
    assert changed.args == [True] and "recall" in enabled(window)


# --- the command ----------------------------------------------------------------------------------


def test_motcua_counter_opens_the_app_and_keeps_the_core_actions() -> None:
    """`motcua counter [--smoke …]` is the app; `motcua counter pause 3` the core's action."""
    from launcher import APPS
    from shared.cli import build_parser

    parser = build_parser(APPS)
    app = parser.parse_args(["--db", "x", "counter", "--smoke"])
    action = parser.parse_args(["counter", "pause", "3", "--db", "x"])
    assert app.handler.__name__ == "_run_counter" and app.smoke
    assert action.handler.__name__ == "cmd_counter" and action.number == 3


def test_smoke_and_screenshots(motcua_bin: str, sample_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MOTCUA_DB_URL": sample_url}
    shot = tmp_path / "sign-in.png"
    done = subprocess.run(
        [motcua_bin, "counter", "--smoke", "--screenshot", str(shot), "--size", "1280x720"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "first frame" in done.stdout and shot.stat().st_size > 1000
    main = tmp_path / "main.png"
    done = subprocess.run(
        [motcua_bin, "counter", "--screenshot", str(main), "--user", "lan", "--counter", "3"],
        capture_output=True,
        text=True,
        env={**env, "MOTCUA_PASSWORD": PASSWORD},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert main.stat().st_size > 1000
