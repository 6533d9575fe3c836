"""The kiosk goes on giving numbers while the database server is away.

A real kiosk window on PostgreSQL through a TCP proxy that drops or stalls the network, a
stand-in network printer, and another kiosk still reaching the server directly. While away the
kiosk gives numbers from the block it reserved, prints them marked as such, and when the
network is back hands them over: no number doubled, and the queue called in the order of issue.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from pyzbar.pyzbar import ZBarSymbol
from pyzbar.pyzbar import decode as read_codes
from sqlalchemy import select
from sqlalchemy.engine import make_url

from shared.catalog import import_catalog, load_catalog_file
from shared.codes import decode as decode_code
from shared.db import Database
from shared.models import Event, Ticket
from shared.queue import QueueEngine
from shared.resources import asset
from shared.settings import DatabaseSettings, KioskSettings, PrinterSettings, Settings
from tests.helpers.escpos_decode import decode as decode_escpos
from tests.helpers.fakeprinter import FakePrinter
from tests.helpers.tcpproxy import TcpProxy
from tests.test_kiosk import take

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timewise]

WAIT = 30_000
FAST = DatabaseSettings(busy_timeout=1.0, response_timeout=3.0)  # type: ignore[call-arg]
BLOCK = 5


@pytest.fixture
def centre(pg_url: str) -> Iterator[Database]:
    db = Database(pg_url)
    db.upgrade()
    import_catalog(db, load_catalog_file(asset("catalog", "sample.toml")))
    yield db
    db.dispose()


def printed_numbers(printer: FakePrinter) -> list[str]:
    """The numbers on the tickets that came out of the printer, read from their QR codes."""
    numbers = []
    for connection in printer.connections:
        if not connection.payload:
            continue
        picture = decode_escpos(connection.payload).image.convert("L")
        for symbol in read_codes(picture, symbols=[ZBarSymbol.QRCODE]):
            numbers.append(decode_code(symbol.data.decode("ascii")).number)
    return numbers


@pytest.mark.parametrize("failure", ["drop", "stall"])
def test_numbers_given_while_away_are_printed_marked_and_handed_over_in_order(
    qtbot, centre: Database, pg_url: str, clock, failure: str
) -> None:
    from kiosk.app import KioskWindow
    from kiosk.model import load_home
    from shared.qt.fonts import load_fonts

    clock.set("2026-11-18T09:00:00+07:00")
    other = QueueEngine(centre)  # another kiosk, still on the network
    url = make_url(pg_url)
    with TcpProxy(url.host or "", url.port or 5432) as proxy, FakePrinter("ok") as printer:
        db = Database(
            url.set(host=proxy.host, port=proxy.port).render_as_string(hide_password=False),
            FAST,
        )
        settings = Settings(
            printer=PrinterSettings(kind="network", host=printer.host, port=printer.port),  # type: ignore[call-arg]
            kiosk=KioskSettings(offline_block=BLOCK),  # type: ignore[call-arg]
        )
        window = KioskWindow(db, None, settings, load_fonts(), load_home(db, None))
        qtbot.addWidget(window)
        window.resize(1080, 1920)
        window.show()
        window.confirm_ms = window.confirm_failed_ms = 200  # the visitor takes it and goes
        try:
            with qtbot.waitSignal(window.home_refreshed, timeout=WAIT):
                window.start(poll_interval=0.1)  # reads the data, reserves its blocks
            offline = window.offline_numbers
            assert offline is not None and offline.remaining()["HT"] == BLOCK
            online, _ = take(qtbot, window, window.home_screen.button("HT"))
            assert online.number == "2006" and not online.offline  # 2001–2005 are the reserve
            qtbot.waitUntil(lambda: window.current == "home", timeout=WAIT)

            # The network goes (a reset, or silence); the kiosk notices by itself.
            getattr(proxy, failure)()
            if failure == "drop":
                qtbot.waitUntil(lambda: window.home.offline, timeout=WAIT)
            assert window.current == "home"  # no "out of service" while numbers are kept
            clock.advance(minutes=1)
            first, state = take(qtbot, window, window.home_screen.button("HT"))
            assert window.home.offline and window.home_screen.title.text.startswith("Mất kết")
            clock.advance(minutes=1)
            between = other.issue("HT")  # 09:02 on the other kiosk
            clock.advance(minutes=1)
            qtbot.waitUntil(lambda: window.current == "home", timeout=WAIT)  # the next visitor
            second, _ = take(qtbot, window, window.home_screen.button("HT"))
            assert (first.number, second.number, between.number) == ("2001", "2002", "2007")
            assert first.offline and second.offline and state == "printed"
            assert first.ahead is None and first.estimated_wait_min is None  # not known
            assert window.home.service("HT").offline_left == BLOCK - 2  # type: ignore[union-attr]
            # Kept on the kiosk meanwhile: the server has not seen them.
            with centre.transaction(readonly=True) as s:
                assert s.scalar(select(Ticket.id).where(Ticket.number == "2001")) is None

            # Back: handed over by itself, then the figures come back.
            proxy.resume()
            qtbot.waitUntil(lambda: window.online and not window.home.offline, timeout=WAIT)
            assert window.home_screen.title.text.startswith("Chạm")
        finally:
            proxy.resume()
            window.stop()
            db.dispose()
        printed = printed_numbers(printer)

    assert printed == ["2006", "2001", "2002"]
    with centre.transaction(readonly=True) as s:
        rows = list(s.scalars(select(Ticket).order_by(Ticket.issued_at)))
        offline_events = [
            e
            for e in s.scalars(select(Event).where(Event.kind == "ticket.issued"))
            if e.data.get("offline")
        ]
    # An online attempt cut off mid-way (the silent network) may have reached the server: it is
    # cancelled there once back, so one touch is one ticket.
    cancelled = [t for t in rows if t.status == "cancelled"]
    assert len(cancelled) <= (1 if failure == "stall" else 0)
    rows = [t for t in rows if t.status != "cancelled"]
    waiting = [t.number for t in rows if t.status == "waiting"]
    assert [t.number for t in rows] == ["2006", "2001", "2007", "2002"]  # by issue time
    assert len({t.number for t in rows}) == len(rows)  # none doubled
    assert {t.number for t in rows if t.block_id is not None} == {"2001", "2002"}
    assert len(offline_events) == 2
    # Counter 3 serves civil status: called in the order of issue.
    called = [other.call_next(3) for _ in waiting]
    assert [t.number for t in called if t] == waiting
