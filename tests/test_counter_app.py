"""The counter desktop on a real SQLite database with the sample catalogue, real users and the
real engine: sign-in, every action by its function key, legal buttons only, transfer (with a note
that the next counter sees), pause with a reason, the dialogs by keyboard alone, function keys
with the focus anywhere and never while a dialog is open, the citizen's rating (dialog, timeout,
clerk on their behalf, the citizen's language), the English switch, crash recovery, database loss,
and the smoke run. The second screen, a real outage and the issue's "done means" have files of
their own (tests/test_counter_screens.py, _outage.py, _done.py)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from shared.catalog import import_catalog, load_catalog_file
from shared.counters import sign_in
from shared.db import Database
from shared.errors import DatabaseUnreachable
from shared.i18n import set_language, tr
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
def sample_db(sample_url: str) -> Iterator[Database]:
    db = Database(sample_url)
    yield db
    db.dispose()


@pytest.fixture
def kiosk(sample_db: Database) -> QueueEngine:
    return QueueEngine(sample_db)


@pytest.fixture
def make_window(qtbot, sample_db) -> Iterator[Callable[..., Any]]:
    from counter.app import CounterWindow
    from shared.qt.fonts import load_fonts

    windows: list[Any] = []

    def make(settings: Settings | None = None) -> Any:
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


def sign_in_window(
    qtbot, window, user: str = "lan", counter: int = 1, password: str = PASSWORD
) -> Any:
    page = window.sign_in_page
    page.username.setText(user)
    page.password.setText(password)
    page.counter.setText(str(counter))
    with qtbot.waitSignal(window.signed_in, timeout=WAIT):
        qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
    return window


@pytest.fixture
def signed_in(qtbot, make_window) -> Any:
    return sign_in_window(qtbot, make_window())


def press(qtbot, window, key: Qt.Key) -> None:
    with qtbot.waitSignal(window.action_done, timeout=WAIT):
        qtbot.keyClick(window, key)


def ticket_row(db: Database, ticket_id: int) -> Ticket:
    with db.transaction(readonly=True) as s:
        return s.get_one(Ticket, ticket_id)


def enabled(window) -> set[str]:
    return {name for name, button in window.buttons.items() if button.isEnabled()}


@pytest.fixture(autouse=True)
def _vietnamese_again() -> Any:
    """The language switch changes this thread's language: every test starts in Vietnamese."""
    set_language("vi")
    yield
    set_language("vi")


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

    qtbot.keyClick(window, Qt.Key.Key_F9)  # asks the reason first
    assert window.pause_dialog is not None
    with qtbot.waitSignal(window.action_done, timeout=WAIT):
        qtbot.keyClick(window.pause_dialog.focusWidget(), Qt.Key.Key_Return)
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


def finish_and_prompt(qtbot, window, kiosk) -> tuple[Any, Any]:
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


def test_rating_as_a_dialog_times_out_to_no_rating(qtbot, signed_in, kiosk, sample_db) -> None:
    """One screen: the clerk's window says the rating opens here, as a dialog; nobody answers
    within the configured time and "no rating" is recorded, never a guessed level."""
    from shared.settings import RatingSettings

    window = signed_in
    assert window.rating_where.text() == tr("counter.rating.where.dialog")
    window.settings = Settings(rating=RatingSettings(timeout=0.3))
    ticket, prompt = finish_and_prompt(qtbot, window, kiosk)
    assert not prompt.on_second_screen and not prompt.isFullScreen()
    assert not prompt.windowFlags() & Qt.WindowType.FramelessWindowHint
    with qtbot.waitSignal(window.rating_recorded, timeout=WAIT) as recorded:
        pass
    assert recorded.args[0].outcome == "no_rating"
    (rating,) = ratings(sample_db)
    assert (rating.ticket_id, rating.outcome, rating.level) == (ticket.id, "no_rating", None)


def test_rating_keys_are_recorded_as_the_clerk(qtbot, signed_in, kiosk, sample_db) -> None:
    """Digits choose a level too, but a key press is the clerk's: recorded as such."""
    _ticket, prompt = finish_and_prompt(qtbot, signed_in, kiosk)
    with qtbot.waitSignal(signed_in.rating_recorded, timeout=WAIT):
        qtbot.keyClick(prompt, Qt.Key.Key_2)
    (rating,) = ratings(sample_db)
    assert (rating.level, rating.source) == (2, "clerk")


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
    from cli.commands import build_parser
    from launcher import APPS

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


# --- transfer notes, pause reasons, the keyboard ----------------------------------------------


def focused(qtbot) -> Any:
    """The widget that has the keyboard (after the newest window became active)."""
    from PySide6.QtWidgets import QApplication

    def settled() -> bool:
        active = QApplication.activeModalWidget() or QApplication.activeWindow()
        widget = QApplication.focusWidget()
        return widget is not None and active is not None and widget.window() is active

    qtbot.waitUntil(settled, timeout=WAIT)
    return QApplication.focusWidget()


def key(qtbot, k: Qt.Key, text: str = "") -> None:
    """A key press where the keyboard is now (the focused widget of the active window); with
    ``text``, type it one character at a time, Vietnamese letters included (as an input method
    delivers them; QTest.keyClicks takes ASCII only)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    target = focused(qtbot)
    if not text:
        qtbot.keyClick(target, k)
        return
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def test_transfer_by_keyboard_with_a_note_reaches_the_next_counter(
    qtbot, make_window, kiosk, sample_db
) -> None:
    """Counter 1 sends a citizen to counter 2 with a note, keyboard only; counter 2 calls them
    and sees where they come from and the note."""
    first = sign_in_window(qtbot, make_window())
    ticket = kiosk.issue("DD")
    press(qtbot, first, Qt.Key.Key_F2)
    qtbot.keyClick(first, Qt.Key.Key_F8)
    dialog = first.transfer_dialog
    assert dialog is not None and dialog.isVisible()
    assert focused(qtbot) is dialog.service
    key(qtbot, Qt.Key.Key_Backtab)  # to the "to the service" choice
    key(qtbot, Qt.Key.Key_Down)  # arrows move to "to the counter"
    assert dialog.to_counter.isChecked()
    key(qtbot, Qt.Key.Key_Tab)
    assert focused(qtbot) is dialog.counter
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Tab)
    assert focused(qtbot) is dialog.note
    key(qtbot, Qt.Key.Key_A, "Cần nộp bản sao sổ đỏ")
    with qtbot.waitSignal(first.action_done, timeout=WAIT):
        key(qtbot, Qt.Key.Key_Return)
    moved = kiosk.ticket(ticket.id)
    assert (moved.status, moved.target_counter) == ("waiting", 2)
    with sample_db.transaction(readonly=True) as s:
        (data,) = s.scalars(
            select(Event.data).where(Event.ticket_id == ticket.id, Event.kind == "ticket.transfer")
        )
    assert data["note"] == "Cần nộp bản sao sổ đỏ" and data["to_counter"] == 2

    second = sign_in_window(qtbot, make_window(), user="minh", counter=2)
    press(qtbot, second, Qt.Key.Key_F2)
    assert second.ticket.id == ticket.id
    history = second.ticket_panel.history
    assert history.isVisible()
    assert "quầy 01: Đất đai → quầy 02" in history.text()
    assert "“Cần nộp bản sao sổ đỏ”" in history.text()


def test_pause_with_a_reason_and_a_note_by_keyboard(qtbot, signed_in, sample_db) -> None:
    window = signed_in
    qtbot.keyClick(window, Qt.Key.Key_F9)
    dialog = window.pause_dialog
    assert dialog is not None and focused(qtbot) is dialog.reason
    assert dialog.reason.currentData() == "break"
    key(qtbot, Qt.Key.Key_Down)
    assert dialog.reason.currentData() == "meeting"
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_A, "họp giao ban")
    with qtbot.waitSignal(window.action_done, timeout=WAIT):
        key(qtbot, Qt.Key.Key_Return)
    assert window.snapshot.state.paused
    assert window.snapshot.pause_reason == "meeting"
    assert window.paused_label.text() == tr(
        "counter.main.paused_reason", reason="Họp, công tác: họp giao ban"
    )
    with sample_db.transaction(readonly=True) as s:
        event = s.scalars(select(Event).where(Event.kind == "counter.paused")).one()
    assert event.data["reason"] == "meeting" and event.data["note"] == "họp giao ban"
    assert event.user_id == window.session.user_id
    press(qtbot, window, Qt.Key.Key_F9)  # reopening asks nothing
    assert not window.snapshot.state.paused and not window.paused_label.isVisible()


def test_esc_closes_a_dialog_without_acting(qtbot, signed_in, kiosk, sample_db) -> None:
    window = signed_in
    qtbot.keyClick(window, Qt.Key.Key_F9)
    key(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.pause_dialog is None, timeout=WAIT)
    ticket = kiosk.issue("DD")
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.keyClick(window, Qt.Key.Key_F8)
    key(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.transfer_dialog is None, timeout=WAIT)
    qtbot.wait(200)
    assert not window.snapshot.state.paused
    assert ticket_row(sample_db, ticket.id).status == "called"


def test_function_keys_do_nothing_while_a_dialog_is_open(
    qtbot, signed_in, kiosk, sample_db
) -> None:
    window = signed_in
    ticket = kiosk.issue("DD")
    kiosk.issue("DD")
    press(qtbot, window, Qt.Key.Key_F2)
    for opener, attr in ((Qt.Key.Key_F8, "transfer_dialog"), (Qt.Key.Key_F2, "open_ticket_box")):
        qtbot.keyClick(window, opener)
        dialog = getattr(window, attr)
        assert dialog is not None and dialog.isVisible()
        for k in (Qt.Key.Key_F2, Qt.Key.Key_F3, Qt.Key.Key_F6, Qt.Key.Key_F9):
            key(qtbot, k)  # where the keyboard is: the dialog
            qtbot.keyClick(window, k)  # even sent to the window itself
        qtbot.wait(200)
        row = ticket_row(sample_db, ticket.id)
        assert (row.status, row.recall_count) == ("called", 0)
        assert not window.busy and window.pause_dialog is None
        key(qtbot, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda a=attr: getattr(window, a) is None, timeout=WAIT)


def test_the_open_ticket_question_by_keyboard(qtbot, signed_in, kiosk, sample_db) -> None:
    window = signed_in
    first, second, third = kiosk.issue("DD"), kiosk.issue("DD"), kiosk.issue("DD")
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.keyClick(window, Qt.Key.Key_F2)
    box = window.open_ticket_box
    assert focused(qtbot) is window.open_ticket_choices["finish"]
    # Tab to "no-show and call next", then Space.
    for _ in range(4):
        if focused(qtbot) is window.open_ticket_choices["no_show"]:
            break
        key(qtbot, Qt.Key.Key_Tab)
    assert focused(qtbot) is window.open_ticket_choices["no_show"]
    with qtbot.waitSignal(window.action_done, timeout=WAIT):
        key(qtbot, Qt.Key.Key_Space)
    assert window.open_ticket_box is None and box is not None
    assert ticket_row(sample_db, first.id).status == "no_show"
    assert ticket_row(sample_db, second.id).status == "called"
    # Enter: finish it and call the next one.
    qtbot.keyClick(window, Qt.Key.Key_F2)
    with qtbot.waitSignal(window.action_done, timeout=WAIT):
        key(qtbot, Qt.Key.Key_Return)
    assert ticket_row(sample_db, second.id).status == "done"
    assert ticket_row(sample_db, third.id).status == "called"
    if window.rating_prompt is not None:
        window.rating_prompt.reject()


def test_function_keys_work_while_the_queue_panel_has_the_focus(
    qtbot, signed_in, kiosk, sample_db
) -> None:
    window = signed_in
    first, second = kiosk.issue("DD"), kiosk.issue("DD")
    press(qtbot, window, Qt.Key.Key_F2)
    press(qtbot, window, Qt.Key.Key_F7)  # hold the first
    held = window.queue_panel.held
    held.setFocus()
    qtbot.waitUntil(held.hasFocus, timeout=WAIT)
    with qtbot.waitSignal(window.action_done, timeout=WAIT):
        qtbot.keyClick(held, Qt.Key.Key_F2)
    assert ticket_row(sample_db, second.id).status == "called"
    with qtbot.waitSignal(window.action_done, timeout=WAIT):
        qtbot.keyClick(held, Qt.Key.Key_F6)
    assert ticket_row(sample_db, second.id).status == "no_show"
    # Enter on a held number resumes it (arrows choose it).
    assert held.currentItem().data(Qt.ItemDataRole.UserRole) == first.id
    with qtbot.waitSignal(window.action_done, timeout=WAIT):
        qtbot.keyClick(held, Qt.Key.Key_Return)
    assert ticket_row(sample_db, first.id).status == "waiting"


# --- English -------------------------------------------------------------------------------------


def vietnamese(text: str) -> bool:
    """True when the text has Vietnamese letters (tone marks, ă â đ ê ô ơ ư)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text)
    return "đ" in text.lower() or any(unicodedata.category(ch) == "Mn" for ch in decomposed)


def texts_of(root: Any) -> list[str]:
    """Every text a person can read in a window: labels, buttons, choices, titles, tips."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QLabel,
        QLineEdit,
        QListWidget,
        QWidget,
    )

    found = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        found.append(widget.toolTip())
        if isinstance(widget, QLabel | QAbstractButton):
            found.append(widget.text())
        if isinstance(widget, QLineEdit):
            found.append(widget.placeholderText())
        if isinstance(widget, QComboBox):
            found.extend(widget.itemText(i) for i in range(widget.count()))
        if isinstance(widget, QListWidget):
            found.extend(widget.item(i).text() for i in range(widget.count()))
    return [t for t in found if t]


def untranslated(root: Any, data: tuple[str, ...]) -> list[str]:
    """Texts still in Vietnamese once what comes from the centre's data is taken out."""
    left = []
    for text in texts_of(root):
        for value in data:
            text = text.replace(value, "")
        if vietnamese(text):
            left.append(text)
    return left


def test_english_switch_leaves_no_vietnamese_in_the_clerks_screens(
    qtbot, make_window, kiosk, sample_db
) -> None:
    """Vietnamese by default; the switch turns every text of the clerk's window and dialogs
    into English (names from the catalogue stay as the centre wrote them), and is remembered."""
    from counter.model import load_prefs

    window = make_window()
    assert vietnamese(window.sign_in_page.title.text())
    with qtbot.waitSignal(window.language_changed, timeout=WAIT):
        qtbot.mouseClick(window.sign_in_page.language_button, Qt.MouseButton.LeftButton)
    assert load_prefs()["language"] == "en"
    assert untranslated(window, ("Tiếng Việt",)) == []  # the switch back names its language
    sign_in_window(qtbot, window)
    data = ("Tiếng Việt", "Nguyễn Thị Lan", "Trần Văn Minh")
    counters = (window.snapshot.state.name, *(name for _n, name in window.snapshot.counters))
    data = data + counters + ("Chờ lâu", "Thái độ phục vụ", "Hướng dẫn chưa rõ", "Thủ tục phức tạp")
    kiosk.issue("DD", priority=None)
    held = kiosk.issue("DD")
    press(qtbot, window, Qt.Key.Key_F2)
    press(qtbot, window, Qt.Key.Key_F7)
    press(qtbot, window, Qt.Key.Key_F2)
    assert window.ticket.id == held.id
    assert untranslated(window, data) == [], "main window"
    qtbot.keyClick(window, Qt.Key.Key_F8)
    assert untranslated(window.transfer_dialog, data) == [], "transfer dialog"
    key(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.transfer_dialog is None, timeout=WAIT)
    qtbot.keyClick(window, Qt.Key.Key_F2)
    assert untranslated(window.open_ticket_box, data) == [], "open ticket question"
    key(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.open_ticket_box is None, timeout=WAIT)
    with qtbot.waitSignal(window.rating_prompted, timeout=WAIT) as prompted:
        qtbot.keyClick(window, Qt.Key.Key_F5)
    prompted.args[0].timer.stop()
    prompted.args[0].close()
    qtbot.keyClick(window, Qt.Key.Key_F9)
    assert untranslated(window.pause_dialog, data) == [], "pause dialog"
    with qtbot.waitSignal(window.action_done, timeout=WAIT):
        key(qtbot, Qt.Key.Key_Return)
    assert untranslated(window, data) == [], "main window, paused"
    assert window.paused_label.text() == "COUNTER PAUSED — Break"
    # Back to Vietnamese: everything follows.
    with qtbot.waitSignal(window.language_changed, timeout=WAIT):
        qtbot.mouseClick(window.language_button, Qt.MouseButton.LeftButton)
    assert window.buttons["call_next"].text() == "F2  Gọi tiếp"
    assert window.paused_label.text().startswith("QUẦY ĐANG TẠM NGƯNG")


def test_the_rating_prompt_speaks_the_citizens_language(qtbot, signed_in, kiosk) -> None:
    """The clerk works in Vietnamese; a citizen who chose English at the kiosk rates in English."""
    kiosk.issue("DD", language="en")
    press(qtbot, signed_in, Qt.Key.Key_F2)
    with qtbot.waitSignal(signed_in.rating_prompted, timeout=WAIT) as prompted:
        qtbot.keyClick(signed_in, Qt.Key.Key_F5)
    prompt = prompted.args[0]
    assert [b.text() for b in prompt.level_buttons.values()] == [
        tr("rating.3.3", language="en"),
        tr("rating.3.2", language="en"),
        tr("rating.3.1", language="en"),
    ]
    assert signed_in.buttons["call_next"].text() == "F2  Gọi tiếp"
    prompt.timer.stop()
    prompt.close()


def test_errors_from_the_engine_follow_the_clerks_language(qtbot, signed_in, kiosk) -> None:
    """The engine words its refusals in its worker thread: they come in English too."""
    window = signed_in
    window.set_ui_language("en")
    window.feed.events_arrived.disconnect(window.on_events_arrived)  # hear nothing new
    kiosk.pause_counter(1)  # another PC paused it; this window does not know yet
    qtbot.keyClick(window, Qt.Key.Key_F9)
    assert window.pause_dialog is not None
    with qtbot.waitSignal(window.message_shown, timeout=WAIT) as shown:
        key(qtbot, Qt.Key.Key_Return)
    assert shown.args[0] == "Counter 1 is already paused."
    assert not vietnamese(shown.args[0])
