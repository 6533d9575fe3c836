"""The kiosk's controller on its own: no window, no QApplication. A real SQLite database with the
sample catalogue and the real engine; background work runs at once (:class:`InlineTasks`) and
each timeout happens when the test fires its timer (:class:`ManualTimer`)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from kiosk.controller import KioskController
from kiosk.model import PRINTED, PRINTER_FAILED, Confirmation, load_home
from kiosk.ports import KioskView, ManualTimer
from shared.db import Database
from shared.errors import DatabaseError
from shared.models import Ticket
from shared.queue import QueueEngine
from shared.settings import DatabaseSettings, KioskSettings, Settings

OPEN_TIME = datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
"""A Wednesday morning: the centre is open."""


class Shown(KioskView):
    """Keeps what the controller asked to show, in order."""

    def __init__(self) -> None:
        self.screens: list[str] = []
        self.tickets: list[Confirmation] = []
        self.printed: list[str] = []
        self.resets = 0
        self.lookups: list[object] = []
        self.lookup_messages: list[str] = []
        self.pin_refused = 0
        self.closed = False
        self.busy: list[bool] = []

    def present(self, screen: str) -> None:
        self.screens.append(screen)

    def show_busy(self, busy: bool) -> None:
        self.busy.append(busy)

    def notify_ticket(self, confirmation: Confirmation) -> None:
        self.tickets.append(confirmation)

    def notify_printed(self, state: str) -> None:
        self.printed.append(state)

    def notify_flow_reset(self) -> None:
        self.resets += 1

    def lookup_message(self, key: str) -> None:
        self.lookup_messages.append(key)

    def notify_lookup(self, result: object) -> None:
        self.lookups.append(result)

    def refuse_pin(self) -> None:
        self.pin_refused += 1

    def close_kiosk(self) -> None:
        self.closed = True


@pytest.fixture
def kiosk_db(sample_url: str, clock) -> Iterator[Database]:
    """The sample centre, with a short lock wait (a locked database fails in half a second)."""
    clock.set(OPEN_TIME)
    database = Database(sample_url, DatabaseSettings(busy_timeout=0.5))  # type: ignore[call-arg]
    yield database
    database.dispose()


def make(db: Database, settings: Settings | None = None) -> tuple[KioskController, Shown]:
    shown = Shown()
    controller = KioskController(db, None, settings or Settings(), load_home(db, None), view=shown)
    controller.open()
    return controller, shown


def tickets(db: Database) -> list[Ticket]:
    with db.transaction(readonly=True) as s:
        return list(s.scalars(select(Ticket).order_by(Ticket.id)))


def timer(controller: KioskController, name: str) -> ManualTimer:
    found = getattr(controller, name)
    assert isinstance(found, ManualTimer)
    return found


def sqlite_path(db: Database) -> Path:
    return Path(str(db.engine.url.database))


# --- the screen flow -----------------------------------------------------------------------------


def test_priority_flow_goes_forward_back_and_home_when_left_alone(kiosk_db) -> None:
    controller, shown = make(kiosk_db)
    assert controller.current == "home" and shown.screens == ["home"]
    controller.on_priority_chosen()
    assert controller.current == "groups"
    controller.on_group_chosen("no-such-group")  # not offered: nothing happens
    assert controller.current == "groups" and controller.group is None
    controller.on_group_chosen("elderly")
    assert controller.current == "priority_services"
    assert controller.group is not None and controller.group.code == "elderly"
    controller.on_priority_chosen()  # the priority services' back button: the groups again
    assert controller.current == "groups"
    controller.on_group_chosen("pregnant")
    idle = timer(controller, "idle_timer")
    assert idle.is_active() and idle.interval == controller.idle_ms
    idle.fire()
    assert controller.current == "home" and controller.group is None
    assert shown.resets == 1
    assert shown.screens == ["home", "groups", "priority_services", "groups"] + [
        "priority_services",
        "home",
    ]
    assert tickets(kiosk_db) == []


def test_english_and_larger_text_last_for_one_visitor(kiosk_db) -> None:
    controller, shown = make(kiosk_db)
    idle = timer(controller, "idle_timer")
    assert not idle.is_active()  # nothing to undo on a fresh home screen
    controller.set_language("en")
    controller.toggle_large()
    assert (controller.language, controller.large) == ("en", True)
    assert idle.is_active()
    idle.fire()
    assert (controller.language, controller.large) == ("vi", False)
    assert controller.current == "home" and shown.resets == 1


def test_a_ticket_is_issued_confirmed_and_the_confirmation_goes_home(kiosk_db) -> None:
    controller, shown = make(kiosk_db)  # no printer configured: the printer fails
    controller.set_language("en")
    controller.on_service_chosen("HT")
    assert controller.current == "confirm" and not controller.busy
    assert shown.busy == [True, False]
    [ticket] = tickets(kiosk_db)
    [confirmation] = shown.tickets
    assert confirmation == controller.confirmation
    assert confirmation.number == ticket.number == "2001" and ticket.language == "en"
    assert ticket.request_id and controller.pending is None
    assert shown.printed == [PRINTER_FAILED] and controller.print_state == PRINTER_FAILED
    confirm = timer(controller, "confirm_timer")
    assert confirm.is_active() and confirm.interval == controller.confirm_failed_ms
    confirm.fire()
    assert controller.current == "home" and controller.language == "vi"


def test_priority_ticket_carries_the_group(kiosk_db) -> None:
    controller, shown = make(kiosk_db)
    controller.on_priority_chosen()
    controller.on_group_chosen("elderly")
    controller.on_priority_service_chosen("DD")
    [ticket] = tickets(kiosk_db)
    assert ticket.priority_group_id is not None
    assert shown.tickets[0].number == ticket.number == "1001"
    assert controller.current == "confirm"


# --- request ids, retries and failures -----------------------------------------------------------


def test_retry_reuses_the_request_id_and_gets_the_same_ticket(kiosk_db) -> None:
    """The first touch fails (the database is locked past its wait): out of service, the attempt
    kept. The server had in fact taken it (its answer lost); once back, touching the same service
    again sends the same request id and shows that same ticket, not a second one."""
    controller, shown = make(kiosk_db)
    lock = sqlite3.connect(sqlite_path(kiosk_db), isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    try:
        controller.on_service_chosen("HT")
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert controller.current == "offline" and not controller.online and not controller.busy
    assert controller.pending is not None
    service, priority, request_id = controller.pending
    assert (service, priority) == ("HT", None)
    assert tickets(kiosk_db) == [] and shown.tickets == []
    controller.on_service_chosen("HT")  # out of service: a touch does nothing
    assert tickets(kiosk_db) == [] and controller.pending[2] == request_id
    lost = QueueEngine(kiosk_db).issue("HT", request_id=request_id)  # the answer that was lost

    retry = timer(controller, "retry_timer")
    assert retry.is_active()
    retry.fire()  # the data read again: the server is back
    assert controller.online and controller.current == "home" and not retry.is_active()
    controller.on_service_chosen("HT")
    assert [c.number for c in shown.tickets] == [lost.number]
    assert [t.request_id for t in tickets(kiosk_db)] == [request_id]

    # The next citizen is a new attempt: a new request id, a new ticket.
    controller.go_home()
    controller.on_service_chosen("HT")
    numbers = [t.number for t in tickets(kiosk_db)]
    assert len(numbers) == 2 and numbers[0] == lost.number and numbers[1] != lost.number
    assert tickets(kiosk_db)[1].request_id != request_id


def test_changing_the_service_after_a_failure_is_a_new_attempt(kiosk_db) -> None:
    controller, _ = make(kiosk_db)
    controller.pending = ("HT", None, "kept-for-another-service")
    controller.on_service_chosen("DD")
    [ticket] = tickets(kiosk_db)
    assert ticket.request_id != "kept-for-another-service"


def test_a_refused_number_shows_the_error_and_forgets_the_attempt(kiosk_db) -> None:
    controller, shown = make(kiosk_db)
    controller.on_service_chosen("NO-SUCH-SERVICE")
    assert controller.current == "error" and controller.pending is None
    assert controller.online and not controller.busy and tickets(kiosk_db) == []
    error = timer(controller, "error_timer")
    assert error.is_active() and error.interval == controller.error_ms
    error.fire()
    assert controller.current == "home"


def test_unexpected_error_is_calm_and_goes_home(kiosk_db) -> None:
    controller, _ = make(kiosk_db)
    controller.on_unexpected(RuntimeError("boom"))
    assert controller.current == "error"
    timer(controller, "error_timer").fire()
    assert controller.current == "home"


def test_database_lost_and_back(kiosk_db) -> None:
    controller, shown = make(kiosk_db)
    controller.on_connection_changed(False)
    assert controller.current == "offline" and not controller.online
    retry = timer(controller, "retry_timer")
    assert retry.is_active() and retry.repeat
    controller.go_home()  # a touch on "out of service" stays there
    assert controller.current == "offline"
    controller.on_connection_changed(True)
    assert controller.current == "home" and controller.online and not retry.is_active()


def test_starting_without_a_database_stays_out_of_service(sample_url, clock) -> None:
    """The first reading fails: "starting" becomes "out of service", retried every few seconds
    (and nothing is issued meanwhile)."""
    down = Database("postgresql://nobody@127.0.0.1:9/none", DatabaseSettings(busy_timeout=1.0))  # type: ignore[call-arg]
    shown = Shown()
    controller = KioskController(None, None, Settings(), None, view=shown, db_source=lambda: down)
    controller.open(starting=True)
    assert controller.current == "starting"
    controller.start()
    assert controller.current == "offline" and not controller.reloading
    assert isinstance(controller.last_reload_error, DatabaseError)
    assert timer(controller, "retry_timer").is_active()
    controller.on_service_chosen("HT")
    assert shown.tickets == [] and controller.current == "offline"
    down.dispose()


def test_services_close_and_open_with_the_clock(kiosk_db, clock) -> None:
    controller, _ = make(kiosk_db)
    hours = timer(controller, "hours_timer")
    assert hours.is_active() and hours.repeat
    clock.set(datetime(2026, 11, 18, 12, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))  # lunch
    shown_homes: list[bool] = []

    class Homes(KioskView):
        def show_home(self, home, shown) -> None:  # type: ignore[no-untyped-def]
            shown_homes.append(shown.service("HT").available)

    controller.view = Homes()
    hours.fire()
    clock.set(datetime(2026, 11, 18, 13, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    hours.fire()
    assert shown_homes == [False, True] and hours.is_active()


# --- lookup and the technician's PIN -------------------------------------------------------------


def test_lookup_refused_and_back_home(kiosk_db) -> None:
    controller, shown = make(kiosk_db)
    controller.open_lookup()
    assert controller.current == "lookup"
    controller.on_lookup_submitted("000.00.10.H39-261113-0042", "WRONG2")
    assert shown.lookups == ["kiosk.lookup.refused"]
    assert shown.lookup_messages == ["kiosk.lookup.refused"] and not controller.looking_up
    timer(controller, "idle_timer").fire()
    assert controller.current == "home" and shown.resets == 1


def test_admin_gesture_and_pin(kiosk_db) -> None:
    from shared.pin import hash_pin

    settings = Settings(kiosk=KioskSettings(admin_pin_hash=hash_pin("2468")))  # type: ignore[call-arg]
    controller, shown = make(kiosk_db, settings)
    for second in range(5):
        controller.admin_tap(now=1000.0 + second)  # five taps over four seconds: too slow
    assert controller.current == "home"
    for tap in range(4):
        controller.admin_tap(now=2000.0 + tap * 0.2)
    controller.corner_touched(False)  # a touch elsewhere starts the gesture again
    controller.admin_tap(now=2001.0)
    assert controller.current == "home"
    for tap in range(5):
        controller.admin_tap(now=3000.0 + tap * 0.2)
    assert controller.current == "admin"
    controller.on_pin_entered("2469")
    assert shown.pin_refused == 1 and not controller.admin_unlocked and not shown.closed
    timer(controller, "admin_timer").fire()
    assert controller.current == "home"
    for tap in range(5):
        controller.admin_tap(now=4000.0 + tap * 0.2)
    controller.on_pin_entered("2468")
    assert controller.admin_unlocked and shown.closed


def test_printed_ticket_with_a_working_printer(kiosk_db) -> None:
    from shared.settings import PrinterSettings
    from tests.helpers.fakeprinter import FakePrinter

    with FakePrinter("ok") as printer:
        settings = Settings(
            printer=PrinterSettings(kind="network", host=printer.host, port=printer.port)  # type: ignore[call-arg]
        )
        controller, shown = make(kiosk_db, settings)
        controller.on_service_chosen("CT")
        assert shown.printed == [PRINTED] and printer.connections
        confirm = timer(controller, "confirm_timer")
        assert confirm.interval == controller.confirm_ms


def test_the_controller_needs_no_qt() -> None:
    script = (
        "import sys, kiosk.controller\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
