"""The citizen's rating on a real second screen: Qt's offscreen platform with two screens
(``offscreen:configfile=…``, Qt ≥ 6.5), in a process of its own (the screens are fixed when the
application starts). The prompt fills the other screen, frameless, while the clerk's window keeps
the keyboard; a touch records the level, silence records "no rating"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from shared.db import Database
from shared.models import Rating
from shared.users import add_user

PASSWORD = "mat-khau-123"
ROOT = Path(__file__).resolve().parent.parent

SCREENS = {
    "screens": [
        {
            "name": "citizen",
            "x": 1366,
            "y": 0,
            "width": 1280,
            "height": 800,
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        },
        {
            "name": "clerk",
            "x": 0,
            "y": 0,
            "width": 1366,
            "height": 768,
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        },
    ]
}

SCRIPT = r"""
import json, sys
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from counter.app import CounterWindow
from shared.db import Database
from shared.qt.fonts import load_fonts
from shared.queue import QueueEngine
from shared.settings import RatingSettings, Settings

app = QApplication([])
db = Database(sys.argv[1])
kiosk = QueueEngine(db)
window = CounterWindow(db, None, Settings(rating=RatingSettings(timeout=1.0)), load_fonts())
window.resize(1280, 720)
window.show()
out = {"screens": [s.name() for s in app.screens()]}

def wait(signal, ms=8000):
    got = []
    loop = QEventLoop()
    def slot(*args):
        got.append(args)
        loop.quit()
    signal.connect(slot)
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    signal.disconnect(slot)
    if not got:
        raise SystemExit(f"timed out waiting for {signal}")
    return got[0]

page = window.sign_in_page
page.username.setText("lan"); page.password.setText(sys.argv[2]); page.counter.setText("1")
QTest.mouseClick(page.button, Qt.MouseButton.LeftButton)
wait(window.signed_in)
out["clerk_screen"] = window.screen().name()
out["where"] = window.rating_where.text()

def serve():
    kiosk.issue("DD")
    QTest.keyClick(window, Qt.Key.Key_F2); wait(window.action_done)
    QTest.keyClick(window, Qt.Key.Key_F5)
    (prompt,) = wait(window.rating_prompted)
    app.processEvents()
    return prompt

# 1. The citizen touches "Hài lòng" on their screen.
prompt = serve()
out["touch"] = {
    "screen": prompt.screen().name(),
    "geometry": list(prompt.geometry().getRect()),
    "full_screen": prompt.isFullScreen(),
    "frameless": bool(prompt.windowFlags() & Qt.WindowType.FramelessWindowHint),
    "takes_focus": not bool(prompt.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus),
    "clerk_switch_shown": prompt.by_clerk.isVisible() or prompt.keys.isVisible(),
}
# Meanwhile the clerk calls the next citizen with the keyboard: the window still has the keys.
kiosk.issue("DD")
QTest.keyClick(window, Qt.Key.Key_F2)
wait(window.action_done)
out["called_while_rating"] = window.ticket.number if window.ticket else None
QTest.mouseClick(prompt.level_buttons[2], Qt.MouseButton.LeftButton)
(view,) = wait(window.rating_recorded)
out["touch"]["recorded"] = [view.level, view.source, view.outcome]

# 2. Nobody touches the screen: the timeout records "no rating".
QTest.keyClick(window, Qt.Key.Key_F5)
(prompt,) = wait(window.rating_prompted)
out["silence_screen"] = prompt.screen().name()
(view,) = wait(window.rating_recorded, 10000)
out["silence"] = [view.level, view.source, view.outcome]

# 3. The clerk's control: the prompt as a dialog here instead (remembered on this PC).
QTest.mouseClick(window.rating_where, Qt.MouseButton.LeftButton)
out["where_chosen"] = window.rating_where.text()
serve_ticket = kiosk.issue("DD")
QTest.keyClick(window, Qt.Key.Key_F2); wait(window.action_done)
QTest.keyClick(window, Qt.Key.Key_F5)
(prompt,) = wait(window.rating_prompted)
app.processEvents()
out["chosen_dialog"] = {
    "screen": prompt.screen().name(),
    "full_screen": prompt.isFullScreen(),
    "frameless": bool(prompt.windowFlags() & Qt.WindowType.FramelessWindowHint),
}
prompt.timer.stop()
prompt.reject()
wait(window.rating_recorded)
from counter.model import load_prefs
out["remembered"] = load_prefs().get("rating_on_dialog")
window.stop()
print("RESULT " + json.dumps(out))
"""


@pytest.fixture
def clerk_url(sample_url: str) -> str:
    db = Database(sample_url)
    add_user(db, "lan", PASSWORD, "clerk", full_name="Nguyễn Thị Lan")
    db.dispose()
    return sample_url


def test_rating_fills_the_second_screen_and_times_out_to_no_rating(
    clerk_url: str, tmp_path: Path
) -> None:
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(SCREENS), encoding="utf-8")
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, clerk_url, PASSWORD],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    out = json.loads(line.removeprefix("RESULT "))
    assert sorted(out["screens"]) == ["citizen", "clerk"]
    assert out["clerk_screen"] == "clerk"
    assert "citizen" in out["where"]  # the clerk is told where the prompt will appear
    touch = out["touch"]
    assert touch["screen"] == "citizen" and touch["geometry"] == [1366, 0, 1280, 800]
    assert touch["full_screen"] and touch["frameless"] and not touch["takes_focus"]
    assert not touch["clerk_switch_shown"]  # the clerk's switch stays off the citizen's screen
    assert out["called_while_rating"] is not None
    assert touch["recorded"] == [2, "citizen", "rated"]
    assert out["silence_screen"] == "citizen"
    assert out["silence"] == [None, "citizen", "no_rating"]
    assert "citizen" in out["where_chosen"] and out["remembered"] is True
    assert out["chosen_dialog"] == {"screen": "clerk", "full_screen": False, "frameless": False}
    db = Database(clerk_url)
    try:
        with db.transaction(readonly=True) as s:
            rows = list(s.scalars(select(Rating).order_by(Rating.id)))
        assert [(r.outcome, r.level) for r in rows] == [
            ("rated", 2),
            ("no_rating", None),
            ("no_rating", None),
        ]
        assert all(r.user_id is not None and r.counter_id is not None for r in rows)
    finally:
        db.dispose()
