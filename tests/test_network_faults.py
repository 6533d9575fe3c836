"""The network between a PC and the PostgreSQL server fails, loudly or silently, while others
keep working: the counter and the waiting-room display say so, lose nothing, and come back by
themselves when the network does.

A TCP proxy (``tests/helpers/tcpproxy.py``) stands between the programs under test and the
suite's PostgreSQL server: ``drop`` resets every connection and refuses new ones (a cable pulled
at a switch that answers), ``stall`` lets nothing through while keeping connections open (a
frozen server or a wedged link, which no kernel timeout notices). Another "PC" keeps issuing and
calling on the server directly meanwhile.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select
from sqlalchemy.engine import make_url

from shared.catalog import import_catalog, load_catalog_file
from shared.db import Database
from shared.i18n import set_language
from shared.models import Event, Ticket
from shared.queue import QueueEngine
from shared.resources import asset
from shared.settings import DatabaseSettings, Settings
from shared.users import add_user
from tests.helpers.tcpproxy import TcpProxy

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

PASSWORD = "mat-khau-123"
WAIT = 8000
FAST = DatabaseSettings(busy_timeout=1.0, response_timeout=3.0)  # type: ignore[call-arg]
"""A short watch on the server's answers, so a silent network shows within seconds."""
NOTICED = 30_000
"""Milliseconds within which a failed network must show: the watch (6 s), a reconnection
attempt (connect timeout 5 s) and the app's own retry pace, with room for a loaded machine."""


@pytest.fixture
def centre(pg_url: str) -> Iterator[Database]:
    db = Database(pg_url)
    db.upgrade()
    import_catalog(db, load_catalog_file(asset("catalog", "sample.toml")))
    add_user(db, "lan", PASSWORD, "clerk", full_name="Nguyễn Thị Lan")
    yield db
    db.dispose()


@pytest.fixture
def proxy(pg_url: str) -> Iterator[TcpProxy]:
    url = make_url(pg_url)
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        yield proxy


def through(pg_url: str, proxy: TcpProxy) -> Database:
    url = make_url(pg_url).set(host=proxy.host, port=proxy.port)
    return Database(url.render_as_string(hide_password=False), FAST)


class OtherPC:
    """Another kiosk and counter on the server directly, busy all along."""

    def __init__(self, db: Database) -> None:
        self.engine = QueueEngine(db)
        self.stop = threading.Event()
        self.issued: list[str] = []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            self.issued.append(self.engine.issue("CT").number)
            self.engine.call_next(8)
            self.stop.wait(0.05)

    def __enter__(self) -> OtherPC:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=30)


@pytest.mark.parametrize("failure", ["drop", "stall"])
def test_the_counter_says_so_keeps_the_citizen_and_comes_back(
    qtbot, centre: Database, pg_url: str, proxy: TcpProxy, failure: str
) -> None:
    from counter.app import CounterWindow
    from shared.qt.fonts import load_fonts

    set_language("vi")
    db = through(pg_url, proxy)
    kiosk = QueueEngine(centre)
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
        with qtbot.waitSignal(window.action_done, timeout=WAIT):
            qtbot.keyClick(window, Qt.Key.Key_F2)
        assert window.ticket_panel.number.text() == ticket.number
        qtbot.waitUntil(lambda: window.feed is not None and window.feed.connected, timeout=WAIT)

        with OtherPC(centre) as other:
            getattr(proxy, failure)()
            qtbot.keyClick(window, Qt.Key.Key_F3)  # recall: cannot reach the server
            qtbot.waitUntil(lambda: not window.online, timeout=NOTICED)
            qtbot.waitUntil(lambda: not window.busy, timeout=NOTICED)
            assert window.offline_banner.isVisible()
            assert window.ticket_panel.number.text() == ticket.number  # the citizen stays
            assert {n for n, b in window.buttons.items() if b.isEnabled()} == set()
            # The rest of the centre works on meanwhile.
            during = len(other.issued)
            qtbot.waitUntil(lambda: len(other.issued) > during + 2, timeout=NOTICED)
            proxy.resume()
            # Back by itself: no click needed.
            qtbot.waitUntil(lambda: window.online, timeout=NOTICED)
        assert not window.offline_banner.isVisible()
        assert window.ticket is not None and window.ticket.id == ticket.id
        with centre.transaction(readonly=True) as s:
            row = s.get_one(Ticket, ticket.id)
            kinds = list(
                s.scalars(select(Event.kind).where(Event.ticket_id == ticket.id).order_by(Event.id))
            )
        assert (row.status, row.recall_count) == ("called", 0)  # the failed recall: not done
        assert kinds == ["ticket.issued", "ticket.called"]
        with qtbot.waitSignal(window.action_done, timeout=WAIT):
            qtbot.keyClick(window, Qt.Key.Key_F3)
        with centre.transaction(readonly=True) as s:
            assert s.get_one(Ticket, ticket.id).recall_count == 1
    finally:
        window.stop()
        db.dispose()


@pytest.mark.parametrize("failure", ["drop", "stall"])
def test_the_display_says_so_and_catches_up_by_itself(
    qtbot, centre: Database, pg_url: str, proxy: TcpProxy, failure: str
) -> None:
    from display.app import DisplayWindow, make_board, start_feed
    from shared.board import load_board_source
    from shared.qt.fonts import load_fonts
    from shared.settings import DisplaySettings

    db = through(pg_url, proxy)
    source = load_board_source(db)
    settings = DisplaySettings()
    window = DisplayWindow(make_board(source, settings), settings, load_fonts())
    window.reload = lambda: load_board_source(db)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    feed = start_feed(window, db, source.last_event_id, source.centre_id)
    engine = QueueEngine(centre)
    try:
        first = engine.issue("HT")
        engine.call_next(3)
        qtbot.waitUntil(lambda: window.call_panel.number_text() == first.number, timeout=WAIT)
        with OtherPC(centre):
            getattr(proxy, failure)()
            qtbot.waitUntil(lambda: window.banner_visible, timeout=NOTICED)
            # Called while this screen could not hear: shown once it is back.
            missed = engine.issue("HT")
            engine.call_next(3)
            assert window.call_panel.number_text() == first.number
            proxy.resume()
            qtbot.waitUntil(lambda: not window.banner_visible, timeout=NOTICED)
            qtbot.waitUntil(
                lambda: window.board.counters[3].serving == missed.number, timeout=NOTICED
            )
    finally:
        feed.stop()
        db.dispose()
