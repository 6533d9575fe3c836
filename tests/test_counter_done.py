"""Issue 6's "done means", as far as a machine can check it.

On the sample catalogue with two clerks, a kiosk issues a stream of tickets; two counter windows
serve them with the keyboard alone (function keys, dialogs by keys), one citizen is transferred
with a note, one is a no-show, citizens rate on the prompt, and every rating lands in the
database linked to its ticket, counter and clerk. Then a real counter process (its own Qt
application on the offscreen platform) is killed mid-service, and ``motcua counter`` started
again shows the same citizen, read back from the database."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from shared.counters import open_session
from shared.db import Database
from shared.i18n import set_language
from shared.models import Counter, Event, Rating, Ticket, User
from shared.queue import QueueEngine
from shared.settings import RatingSettings, Settings
from shared.users import add_user

PASSWORD = "mat-khau-123"
WAIT = 8000
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def clerks_url(sample_url: str) -> str:
    db = Database(sample_url)
    add_user(db, "lan", PASSWORD, "clerk", full_name="Nguyễn Thị Lan")
    add_user(db, "minh", PASSWORD, "clerk", full_name="Trần Văn Minh")
    db.dispose()
    return sample_url


@pytest.fixture
def db(clerks_url: str) -> Iterator[Database]:
    database = Database(clerks_url)
    yield database
    database.dispose()


def open_counter(qtbot, db: Database, user: str, number: int) -> Any:
    """A counter window, signed in by typing into the sign-in page and pressing Enter."""
    from counter.app import CounterWindow
    from shared.qt.fonts import load_fonts

    window = CounterWindow(db, None, Settings(rating=RatingSettings(timeout=0.5)), load_fonts())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    page = window.sign_in_page
    for edit, text in ((page.username, user), (page.password, PASSWORD), (page.counter, "")):
        edit.clear()
        qtbot.keyClicks(edit, text)
    qtbot.keyClicks(page.counter, str(number))
    with qtbot.waitSignal(window.signed_in, timeout=WAIT):
        qtbot.keyClick(page.counter, Qt.Key.Key_Return)
    return window


def press(qtbot, window: Any, key: Qt.Key) -> None:
    with qtbot.waitSignal(window.action_done, timeout=WAIT):
        qtbot.keyClick(window, key)


def keyboard(qtbot) -> Any:
    from PySide6.QtWidgets import QApplication

    def settled() -> bool:
        active = QApplication.activeModalWidget() or QApplication.activeWindow()
        widget = QApplication.focusWidget()
        return widget is not None and active is not None and widget.window() is active

    qtbot.waitUntil(settled, timeout=WAIT)
    return QApplication.focusWidget()


def finish(qtbot, window: Any) -> Any:
    """F5: the service is over; the rating prompt opens for the citizen."""
    with qtbot.waitSignal(window.rating_prompted, timeout=WAIT) as prompted:
        qtbot.keyClick(window, Qt.Key.Key_F5)
    return prompted.args[0]


def test_two_clerks_serve_a_stream_by_keyboard_and_ratings_land(qtbot, db: Database) -> None:
    set_language("vi")
    kiosk = QueueEngine(db)
    lan = open_counter(qtbot, db, "lan", 1)
    minh = open_counter(qtbot, db, "minh", 2)
    tickets = [kiosk.issue("DD") for _ in range(8)]
    rated: list[tuple[int, int | None]] = []
    try:
        # Lan: call, start, finish; the citizen touches "Rất hài lòng".
        press(qtbot, lan, Qt.Key.Key_F2)
        press(qtbot, lan, Qt.Key.Key_F4)
        first = lan.ticket
        prompt = finish(qtbot, lan)
        with qtbot.waitSignal(lan.rating_recorded, timeout=WAIT):
            qtbot.mouseClick(prompt.level_buttons[3], Qt.MouseButton.LeftButton)
        rated.append((first.id, 3))

        # Minh: the next citizen does not come.
        press(qtbot, minh, Qt.Key.Key_F2)
        no_show = minh.ticket
        press(qtbot, minh, Qt.Key.Key_F6)

        # Minh: the next one belongs to civil status: F8, Tab to the note, type, Enter.
        press(qtbot, minh, Qt.Key.Key_F2)
        moved = minh.ticket
        qtbot.keyClick(minh, Qt.Key.Key_F8)
        dialog = minh.transfer_dialog
        assert keyboard(qtbot) is dialog.service
        for _ in range(dialog.service.count()):  # arrows through the services to "HT"
            if dialog.service.currentData() == "HT":
                break
            qtbot.keyClick(keyboard(qtbot), Qt.Key.Key_Down)
        assert dialog.service.currentData() == "HT"
        for _ in range(8):  # Tab on to the note
            if keyboard(qtbot) is dialog.note:
                break
            qtbot.keyClick(keyboard(qtbot), Qt.Key.Key_Tab)
            qtbot.keyClick(keyboard(qtbot), Qt.Key.Key_Tab)
        qtbot.keyClicks(dialog.note, "ho tich, da kiem tra giay to")
        with qtbot.waitSignal(minh.action_done, timeout=WAIT):
            qtbot.keyClick(keyboard(qtbot), Qt.Key.Key_Return)

        # Both go on through the stream: call, finish; ratings by touch or none at all.
        for round_ in range(2):
            for window in (lan, minh):
                press(qtbot, window, Qt.Key.Key_F2)
                ticket = window.ticket
                prompt = finish(qtbot, window)
                if round_ == 0:
                    prompt.on_level(1)
                    prompt.chips[0].click()
                    with qtbot.waitSignal(window.rating_recorded, timeout=WAIT):
                        qtbot.mouseClick(prompt.send, Qt.MouseButton.LeftButton)
                    rated.append((ticket.id, 1))
                else:
                    with qtbot.waitSignal(window.rating_recorded, timeout=WAIT):
                        pass  # nobody answers: "no rating" after the timeout
                    rated.append((ticket.id, None))
    finally:
        lan.stop()
        minh.stop()

    with db.transaction(readonly=True) as s:
        users = {u.username: u.id for u in s.scalars(select(User))}
        counters = {c.id: c.number for c in s.scalars(select(Counter))}
        ratings = {r.ticket_id: r for r in s.scalars(select(Rating))}
        statuses = {t.id: t.status for t in s.scalars(select(Ticket))}
        transfer = s.scalars(
            select(Event).where(Event.kind == "ticket.transfer", Event.ticket_id == moved.id)
        ).one()
        served_by = {
            ticket_id: user_id
            for ticket_id, user_id in s.execute(
                select(Event.ticket_id, Event.user_id).where(Event.kind == "ticket.called")
            ).all()
        }
    assert statuses[no_show.id] == "no_show" and no_show.id not in ratings
    assert statuses[moved.id] == "waiting" and moved.id not in ratings
    assert transfer.data["to_service"] == "HT"
    assert transfer.data["note"] == "ho tich, da kiem tra giay to"
    assert transfer.user_id == users["minh"]
    assert len(rated) == 5 and {t for t, _ in rated} <= {t.id for t in tickets}
    for ticket_id, level in rated:
        rating = ratings[ticket_id]
        assert statuses[ticket_id] == "done"
        assert rating.level == level
        assert rating.outcome == ("rated" if level is not None else "no_rating")
        assert rating.source == "citizen"
        assert rating.user_id == served_by[ticket_id]  # the clerk who served
        expected_counter = 1 if rating.user_id == users["lan"] else 2
        assert counters[rating.counter_id] == expected_counter
    assert {r.user_id for r in ratings.values()} == {users["lan"], users["minh"]}


COUNTER_PROCESS = r"""
import sys
from PySide6.QtCore import Qt, QEventLoop, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from counter.app import CounterWindow
from shared.db import Database
from shared.qt.fonts import load_fonts
from shared.settings import Settings

app = QApplication([])
window = CounterWindow(Database(sys.argv[1]), None, Settings(), load_fonts())
window.resize(1366, 768)
window.show()

def wait(signal):
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(10000, loop.quit)
    loop.exec()

page = window.sign_in_page
page.username.setText("lan"); page.password.setText(sys.argv[2]); page.counter.setText("1")
QTest.keyClick(page.counter, Qt.Key.Key_Return)
wait(window.signed_in)
QTest.keyClick(window, Qt.Key.Key_F2)
wait(window.action_done)
QTest.keyClick(window, Qt.Key.Key_F4)
wait(window.action_done)
print("SERVING", window.ticket.number, window.ticket.status, flush=True)
app.exec()
"""


def test_a_killed_counter_process_brings_the_citizen_back(
    clerks_url: str, db: Database, motcua_bin: str, tmp_path: Path
) -> None:
    kiosk = QueueEngine(db)
    ticket = kiosk.issue("DD")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
        "MOTCUA_DB_URL": clerks_url,
        "MOTCUA_PASSWORD": PASSWORD,
    }
    process = subprocess.Popen(
        [sys.executable, "-c", COUNTER_PROCESS, clerks_url, PASSWORD],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.split() == ["SERVING", ticket.number, "serving"], process.stderr.read()
        process.send_signal(signal.SIGKILL)  # the PC lost power mid-service
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    session = open_session(db, 1)
    assert session is not None and session.username == "lan"  # nobody signed out

    started = time.perf_counter()
    shot = tmp_path / "restarted.png"
    again = subprocess.run(
        [motcua_bin, "counter", "--screenshot", str(shot), "--user", "lan", "--counter", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert again.returncode == 0, again.stderr
    assert f"counter 1: open ticket {ticket.number} serving" in again.stdout
    assert shot.stat().st_size > 1000 and time.perf_counter() - started < 60
    with db.transaction(readonly=True) as s:
        row = s.get_one(Ticket, ticket.id)
    assert row.status == "serving"
