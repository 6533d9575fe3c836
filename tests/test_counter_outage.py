"""A real database outage at the counter: the PostgreSQL server stops while a citizen is at the
counter, then starts again. The app says it is offline, keeps the citizen's number on screen,
refuses (never queues) actions meanwhile, and comes back by itself."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from shared.catalog import import_catalog, load_catalog_file
from shared.db import Database
from shared.i18n import set_language
from shared.models import Event, Ticket
from shared.queue import QueueEngine
from shared.resources import asset
from shared.settings import Settings
from shared.users import add_user
from tests.helpers.pgserver import PgServer

PASSWORD = "mat-khau-123"
WAIT = 8000

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def own_pg() -> Iterator[PgServer]:
    """A server of this test's own: its restart must not disturb the session's server."""
    server = PgServer().start()
    try:
        yield server
    finally:
        server.stop()


def test_postgresql_outage_keeps_the_citizen_and_recovers_by_itself(qtbot, own_pg) -> None:
    from counter.app import CounterWindow
    from shared.qt.fonts import load_fonts

    set_language("vi")
    db = Database(own_pg.create_database("counter_outage"))
    db.upgrade()
    import_catalog(db, load_catalog_file(asset("catalog", "sample.toml")))
    add_user(db, "lan", PASSWORD, "clerk", full_name="Nguyễn Thị Lan")
    kiosk = QueueEngine(db)
    window = CounterWindow(db, None, Settings(), load_fonts())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    try:
        page = window.sign_in_page
        page.username.setText("lan")
        page.password.setText(PASSWORD)
        page.counter.setText("1")
        with qtbot.waitSignal(window.signed_in, timeout=WAIT):
            qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
        ticket = kiosk.issue("DD")
        kiosk.issue("DD")
        with qtbot.waitSignal(window.action_done, timeout=WAIT):
            qtbot.keyClick(window, Qt.Key.Key_F2)
        assert window.ticket_panel.number.text() == ticket.number
        qtbot.waitUntil(lambda: window.feed is not None and window.feed.connected, timeout=WAIT)
        seen: dict[str, object] = {}

        def while_down() -> None:
            # The clerk presses "recall" at once: it fails and says so; nothing waits to retry.
            qtbot.keyClick(window, Qt.Key.Key_F3)
            qtbot.waitUntil(lambda: not window.online, timeout=WAIT)
            qtbot.waitUntil(lambda: not window.busy, timeout=WAIT)
            seen["banner"] = window.offline_banner.isVisible()
            seen["number"] = window.ticket_panel.number.text()
            seen["enabled"] = {n for n, b in window.buttons.items() if b.isEnabled()}
            seen["sign_out"] = window.sign_out_button.isEnabled()
            for key in (Qt.Key.Key_F2, Qt.Key.Key_F3, Qt.Key.Key_F5, Qt.Key.Key_F9):
                qtbot.keyClick(window, key)  # locked: nothing runs, nothing is kept for later
            seen["busy"] = window.busy
            qtbot.wait(1500)  # stays offline and keeps the number while the server is down
            seen["still_offline"] = not window.online and window.offline_banner.isVisible()
            seen["number_later"] = window.ticket_panel.number.text()

        own_pg.restart(while_down)
        assert seen == {
            "banner": True,
            "number": ticket.number,
            "enabled": set(),
            "sign_out": False,
            "busy": False,
            "still_offline": True,
            "number_later": ticket.number,
        }
        # Back by itself (the feed reconnects, or the retry timer reads again): no click needed.
        qtbot.waitUntil(lambda: window.online, timeout=15_000)
        assert not window.offline_banner.isVisible()
        assert window.ticket is not None and window.ticket.id == ticket.id
        assert "recall" in {n for n, b in window.buttons.items() if b.isEnabled()}
        with db.transaction(readonly=True) as s:
            row = s.get_one(Ticket, ticket.id)
            kinds = list(
                s.scalars(select(Event.kind).where(Event.ticket_id == ticket.id).order_by(Event.id))
            )
        # Nothing was done silently during or after the outage.
        assert (row.status, row.recall_count) == ("called", 0)
        assert kinds == ["ticket.issued", "ticket.called"]
        with qtbot.waitSignal(window.action_done, timeout=WAIT):
            qtbot.keyClick(window, Qt.Key.Key_F3)
        with db.transaction(readonly=True) as s:
            assert s.get_one(Ticket, ticket.id).recall_count == 1
    finally:
        window.stop()
        db.dispose()
