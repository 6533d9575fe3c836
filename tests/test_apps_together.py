"""The apps together on one database, as in a centre: a clerk presses F2 in the counter window
and the waiting-room screen, following the change-feed, shows the number within a second."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from typing import Any

from PySide6.QtCore import Qt

from shared.board import load_board_source
from shared.catalog import import_catalog, load_catalog_file
from shared.db import Database
from shared.queue import QueueEngine
from shared.resources import asset
from shared.settings import DisplaySettings, Settings
from shared.users import add_user

PASSWORD = "mat-khau-123"


def test_a_call_from_the_counter_window_reaches_the_screen_within_a_second(
    qtbot: Any, db_url: str
) -> None:
    from counter.app import CounterWindow
    from display.app import DisplayWindow, make_board, start_feed
    from shared.qt.fonts import load_fonts

    db = Database(db_url)
    db.upgrade()
    import_catalog(db, load_catalog_file(asset("catalog", "sample.toml")))
    add_user(db, "lan", PASSWORD, "clerk", full_name="Nguyễn Thị Lan")
    kiosk = QueueEngine(db)
    waiting = [kiosk.issue("DD") for _ in range(3)]
    family = load_fonts()

    settings = DisplaySettings()
    source = load_board_source(db)
    screen = DisplayWindow(make_board(source, settings), settings, family)
    qtbot.addWidget(screen)
    screen.resize(1280, 720)
    screen.show()
    feed = start_feed(screen, db, source.last_event_id, source.centre_id)

    counter = CounterWindow(db, None, Settings(), family)
    qtbot.addWidget(counter)
    counter.resize(1366, 768)
    counter.show()
    try:
        qtbot.waitUntil(lambda: feed.connected, timeout=5000)
        page = counter.sign_in_page
        page.username.setText("lan")
        page.password.setText(PASSWORD)
        page.counter.setText("1")
        with qtbot.waitSignal(counter.signed_in, timeout=5000):
            qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
        for expected in waiting[:2]:
            with qtbot.waitSignal(counter.action_done, timeout=5000):
                qtbot.keyClick(counter, Qt.Key.Key_F2)
            # How fast is measured in bench/display_latency.py; here: it arrives, by itself.
            qtbot.waitUntil(
                lambda n=expected.number: screen.call_panel.number_text() == n, timeout=10_000
            )
            assert screen.board.counters[1].serving == expected.number
            # Finish first, so the next F2 has no open ticket to ask about.
            with qtbot.waitSignal(counter.action_done, timeout=5000):
                qtbot.keyClick(counter, Qt.Key.Key_F5)
            rating = getattr(counter, "rating_prompt", None)
            if rating is not None and rating.isVisible():
                rating.close()
    finally:
        counter.stop()
        assert feed.stop()
        db.dispose()
