"""The counter's controller without a screen: no QApplication, no widgets, a real SQLite file
with the sample catalogue, real clerks and the real engine. A clerk signs in, calls, starts,
finishes (the citizen rates), marks a no-show, transfers with a note, holds and resumes, pauses;
actions not allowed now are refused; a request is never sent twice, not even after the database
was out of reach; a read begun before an action is dropped."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from counter.controller import CounterController, NoScreen, Step, Work
from counter.model import CounterSnapshot
from shared.db import Database
from shared.i18n import set_language, tr
from shared.models import Event, Rating, Ticket
from shared.queue import QueueEngine
from shared.settings import DatabaseSettings
from shared.users import add_user
from shared.views import TicketView

PASSWORD = "mat-khau-123"

Done = Callable[[object], None]

CALLED = {"call_next", "recall", "start", "finish", "no_show", "hold", "transfer", "pause"}
SERVING = {"call_next", "finish", "hold", "transfer", "pause"}


class Recorder(NoScreen):
    """A screen that writes down what it is told, in order."""

    def __init__(self) -> None:
        self.seen: list[tuple[Any, ...]] = []

    def kinds(self) -> list[str]:
        return [entry[0] for entry in self.seen]

    def of(self, kind: str) -> list[tuple[Any, ...]]:
        return [entry for entry in self.seen if entry[0] == kind]

    def on_signed_in(self, session: Any) -> None:
        self.seen.append(("signed_in", session))

    def on_opened(self, session: Any) -> None:
        self.seen.append(("opened", session))

    def on_sign_in_failed(self, text: str) -> None:
        self.seen.append(("sign_in_failed", text))

    def on_signed_out(self) -> None:
        self.seen.append(("signed_out",))

    def on_snapshot(self, snap: CounterSnapshot) -> None:
        self.seen.append(("snapshot", snap))

    def on_called(self, ticket: TicketView | None) -> None:
        self.seen.append(("called", ticket))

    def on_online(self, online: bool, changed: bool) -> None:
        self.seen.append(("online", online, changed))

    def on_busy(self, busy: bool) -> None:
        self.seen.append(("busy", busy))

    def show_message(self, text: str, *, error: bool = True) -> None:
        self.seen.append(("message", text, error))

    def on_action_done(self, action: str) -> None:
        self.seen.append(("done", action))

    def on_rating_due(self, ticket: TicketView, language: str) -> None:
        self.seen.append(("rating_due", ticket, language))

    def on_rated(self, view: Any) -> None:
        self.seen.append(("rated", view))


class HeldRunner:
    """Keeps the work until the test lets it run: what is in flight is visible meanwhile."""

    def __init__(self) -> None:
        self.waiting: list[tuple[Work, Callable[[object], None] | None, Done, Done]] = []

    def submit(
        self,
        work: Work,
        on_progress: Callable[[object], None] | None,
        on_done: Done,
        on_failed: Done,
    ) -> None:
        self.waiting.append((work, on_progress, on_done, on_failed))

    def wait(self, ms: int = 10_000) -> bool:
        return not self.waiting

    def run_next(self) -> None:
        work, on_progress, on_done, on_failed = self.waiting.pop(0)
        try:
            result = work(on_progress or (lambda _item: None))
        except Exception as error:  # noqa: BLE001 - handed on as the window's pool does
            on_failed(error)
        else:
            on_done(result)


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture
def clerks_url(sample_url: str) -> str:
    db = Database(sample_url)
    add_user(db, "lan", PASSWORD, "clerk", full_name="Nguyễn Thị Lan")
    add_user(db, "minh", PASSWORD, "clerk", full_name="Trần Văn Minh")
    db.dispose()
    return sample_url


@pytest.fixture
def db(clerks_url: str) -> Iterator[Database]:
    # The shortest wait for a locked file: an outage is noticed quickly.
    database = Database(clerks_url, DatabaseSettings(busy_timeout=1.0))
    yield database
    database.dispose()


@pytest.fixture
def kiosk(db: Database) -> QueueEngine:
    return QueueEngine(db)


@pytest.fixture
def screen() -> Recorder:
    return Recorder()


@pytest.fixture
def counter(db: Database, screen: Recorder) -> CounterController:
    controller = CounterController(db, None, screen)
    controller.sign_in("lan", PASSWORD, 1)
    assert controller.session is not None, screen.seen
    screen.seen.clear()
    return controller


def row(db: Database, ticket_id: int) -> Ticket:
    with db.transaction(readonly=True) as s:
        return s.get_one(Ticket, ticket_id)


def event_kinds(db: Database, ticket_id: int) -> list[str]:
    with db.transaction(readonly=True) as s:
        return list(
            s.scalars(select(Event.kind).where(Event.ticket_id == ticket_id).order_by(Event.id))
        )


def press(counter: CounterController, action: str) -> None:
    """What a function key does when it acts at once (no dialog in between)."""
    step = counter.decide(action)
    assert step is not None and step.kind == "run" and step.request is not None, step
    assert counter.run(step.request)


# --- signing in ---------------------------------------------------------------------------------


def test_sign_in_opens_the_counter_and_a_wrong_password_is_refused(
    db: Database, kiosk: QueueEngine
) -> None:
    screen = Recorder()
    counter = CounterController(db, None, screen)
    counter.sign_in("lan", "sai-mat-khau", 1)
    assert screen.seen == [("sign_in_failed", tr("error.bad_login"))]
    assert counter.session is None and counter.legal() == set()
    assert counter.decide("call_next") is None

    counter.sign_in("lan", PASSWORD, 1)
    assert screen.kinds() == ["sign_in_failed", "signed_in", "online", "snapshot", "opened"]
    assert counter.session.username == "lan" and counter.counter_number == 1
    assert counter.online and counter.ticket is None
    assert counter.legal() == {"call_next", "pause"}
    text, title = counter.who()
    assert "Nguyễn Thị Lan" in text and "Quầy 01" in title


def test_a_counter_held_by_another_clerk_is_refused(db: Database) -> None:
    first = CounterController(db, None)
    first.sign_in("lan", PASSWORD, 1)
    screen = Recorder()
    second = CounterController(db, None, screen)
    second.sign_in("minh", PASSWORD, 1)
    ((kind, text),) = screen.seen
    assert kind == "sign_in_failed" and "Nguyễn Thị Lan" in text
    assert second.session is None


def test_a_signed_in_counter_brings_its_open_ticket_back(
    db: Database, kiosk: QueueEngine, counter: CounterController
) -> None:
    ticket = kiosk.issue("DD")
    press(counter, "call_next")
    again = Recorder()
    restarted = CounterController(db, None, again)
    restarted.sign_in("lan", PASSWORD, 1)  # the same clerk after a crash: nobody signed out
    assert restarted.ticket is not None and restarted.ticket.id == ticket.id
    assert ("message", tr("counter.main.recovered", number=ticket.number), False) in again.seen
    assert restarted.legal() == CALLED


def test_sign_out_gives_the_counter_back(
    db: Database, counter: CounterController, screen: Recorder
) -> None:
    assert counter.sign_out()
    assert screen.kinds() == ["busy", "busy", "signed_out"]
    assert counter.session is None and counter.engine is None and counter.snapshot is None
    assert not counter.sign_out()  # nobody to sign out
    other = CounterController(db, None)
    other.sign_in("minh", PASSWORD, 1)
    assert other.session is not None and other.session.username == "minh"


# --- the actions --------------------------------------------------------------------------------


def test_call_next_start_finish_and_the_citizens_rating(
    db: Database, kiosk: QueueEngine, counter: CounterController, screen: Recorder
) -> None:
    first = kiosk.issue("DD", language="en")
    kiosk.issue("DD")
    press(counter, "call_next")
    assert counter.ticket is not None and counter.ticket.id == first.id
    assert row(db, first.id).status == "called"
    # The number is shown as soon as the call is committed, then the figures are read again.
    assert screen.kinds() == ["busy", "called", "busy", "snapshot", "done"]
    assert screen.of("called")[0][1].number == first.number
    assert counter.legal() == CALLED

    press(counter, "start")
    assert row(db, first.id).status == "serving" and counter.ticket.status == "serving"
    assert counter.legal() == SERVING

    screen.seen.clear()
    press(counter, "finish")
    assert row(db, first.id).status == "done"
    assert counter.ticket is None and counter.snapshot.figures.served == 1
    ((_kind, due, language),) = screen.of("rating_due")
    assert (due.id, language) == (first.id, "en")  # the citizen's language at the kiosk
    assert screen.kinds()[-2:] == ["done", "rating_due"]

    counter.rate(counter.rating_request(due, 3), 3, "citizen", ["Chờ lâu"])
    ((_kind, view),) = screen.of("rated")
    assert (view.level, view.source) == (3, "citizen")
    with db.transaction(readonly=True) as s:
        (rating,) = s.scalars(select(Rating))
    assert (rating.ticket_id, rating.level, rating.reasons) == (first.id, 3, ["Chờ lâu"])
    assert rating.user_id == counter.session.user_id
    label = tr("rating.3.3")
    assert screen.seen[-2] == (
        "message",
        tr("counter.rating.recorded", number=first.number, label=label),
        False,
    )


def test_no_show_then_nobody_left_to_call(
    db: Database, kiosk: QueueEngine, counter: CounterController, screen: Recorder
) -> None:
    ticket = kiosk.issue("DD")
    press(counter, "call_next")
    press(counter, "recall")
    assert row(db, ticket.id).recall_count == 1
    press(counter, "no_show")
    assert row(db, ticket.id).status == "no_show"
    assert counter.ticket is None and counter.snapshot.figures.no_shows == 1
    assert not screen.of("rating_due")  # nobody to rate a service not given

    screen.seen.clear()
    press(counter, "call_next")
    assert counter.ticket is None
    assert ("message", tr("counter.main.nobody"), False) in screen.seen
    assert screen.kinds()[-1] == "done"


def test_calling_with_a_ticket_open_asks_first_then_finishes_it(
    db: Database, kiosk: QueueEngine, counter: CounterController, screen: Recorder
) -> None:
    first, second = kiosk.issue("DD"), kiosk.issue("DD")
    press(counter, "call_next")
    step = counter.decide("call_next")
    assert step == Step("ask_open_ticket", ticket=counter.ticket)
    assert row(db, second.id).status == "waiting"  # asking changed nothing
    # The clerk's answer: finish the open one and call the next, in one press.
    assert counter.run(counter.request("call_next", first="finish", ticket_id=first.id))
    assert (row(db, first.id).status, row(db, second.id).status) == ("done", "called")
    assert counter.ticket is not None and counter.ticket.id == second.id
    ((_kind, due, _language),) = screen.of("rating_due")
    assert due.id == first.id


def test_transfer_to_another_service_with_a_note(
    db: Database, kiosk: QueueEngine, counter: CounterController
) -> None:
    ticket = kiosk.issue("DD")
    press(counter, "call_next")
    step = counter.decide("transfer")
    assert step is not None and step.kind == "transfer"  # the screen asks where to
    open_ticket, services, counters = counter.transfer_choices()
    assert open_ticket.id == ticket.id
    assert "DD" not in {s.code for s in services} and "HT" in {s.code for s in services}
    assert 1 not in {number for number, _name in counters} and 2 in dict(counters)
    request = counter.request("transfer", to_service="HT", note="Cần bản sao sổ đỏ")
    assert request.ticket_id == ticket.id
    assert counter.run(request)
    assert (row(db, ticket.id).status, kiosk.ticket(ticket.id).service) == ("waiting", "HT")
    assert counter.ticket is None
    with db.transaction(readonly=True) as s:
        (data,) = s.scalars(
            select(Event.data).where(Event.ticket_id == ticket.id, Event.kind == "ticket.transfer")
        )
    assert data["note"] == "Cần bản sao sổ đỏ" and data["to_service"] == "HT"


def test_hold_and_resume_the_chosen_or_the_first_held_ticket(
    db: Database, kiosk: QueueEngine, counter: CounterController
) -> None:
    first, second = kiosk.issue("DD"), kiosk.issue("DD")
    press(counter, "call_next")
    press(counter, "hold")
    press(counter, "call_next")
    press(counter, "hold")
    assert (row(db, first.id).status, row(db, second.id).status) == ("held", "held")
    assert [h.id for h in counter.held()] == [first.id, second.id]
    assert "resume" in counter.legal() and counter.ticket is None
    assert counter.decide("resume") == Step("resume", held_id=first.id)
    assert counter.decide("resume", selected_held=second.id) == Step("resume", held_id=second.id)
    assert counter.run(counter.request("resume", ticket_id=second.id))
    assert (row(db, first.id).status, row(db, second.id).status) == ("held", "waiting")
    assert [h.id for h in counter.held()] == [first.id]


def test_pause_with_a_reason_and_open_again(
    db: Database, kiosk: QueueEngine, counter: CounterController
) -> None:
    kiosk.issue("DD")
    assert counter.decide("pause") == Step("pause")  # the screen asks the reason first
    assert counter.run(counter.request("pause_counter", reason="meeting", note="giao ban"))
    assert counter.paused and counter.snapshot.pause_reason == "meeting"
    assert counter.pause_texts() == (tr("counter.main.paused"), "Họp, công tác: giao ban")
    assert counter.legal() == {"pause"}
    assert counter.decide("call_next") is None  # a paused counter calls nobody
    press(counter, "pause")  # pressed again: the counter opens, nothing asked
    assert not counter.paused and counter.pause_texts() == ("", "")
    assert "call_next" in counter.legal()


# --- refused --------------------------------------------------------------------------------------


def test_actions_not_allowed_now_are_refused(
    db: Database, kiosk: QueueEngine, counter: CounterController, screen: Recorder
) -> None:
    ticket = kiosk.issue("DD")
    for action in ("recall", "start", "finish", "no_show", "hold", "transfer", "resume"):
        assert counter.decide(action) is None, action  # no ticket open, none held
    press(counter, "call_next")
    press(counter, "start")
    for action in ("recall", "start", "no_show", "resume"):
        assert counter.decide(action) is None, action  # not for a citizen being served
    assert row(db, ticket.id).status == "serving" and screen.of("message") == []

    # Another PC finished it meanwhile, and this counter has not read it yet: the engine
    # refuses the press, the clerk is told, and the counter is read again.
    kiosk.finish(ticket.id)
    screen.seen.clear()
    assert counter.run(counter.request("hold"))
    ((_kind, text, error),) = screen.of("message")
    assert error and text and row(db, ticket.id).status == "done"
    assert "done" not in screen.kinds() and counter.online
    assert counter.ticket is None  # the reading after the refusal
    assert counter.legal() == {"call_next", "pause"}


def test_nothing_is_allowed_while_an_action_runs(db: Database, kiosk: QueueEngine) -> None:
    actions, reads = HeldRunner(), HeldRunner()
    counter = CounterController(db, None, Recorder(), actions=actions, reads=reads)
    counter.sign_in("lan", PASSWORD, 1)
    actions.run_next()
    ticket = kiosk.issue("DD")
    press(counter, "call_next")
    assert counter.busy and counter.legal() == set() and not counter.can_sign_out()
    assert counter.decide("call_next") is None and not counter.sign_out()
    actions.run_next()
    assert counter.busy  # the call is committed; the figures are being read
    reads.run_next()
    assert not counter.busy and counter.ticket is not None and counter.ticket.id == ticket.id
    assert counter.legal() == CALLED


def test_a_read_begun_before_an_action_is_dropped(db: Database, kiosk: QueueEngine) -> None:
    actions, reads = HeldRunner(), HeldRunner()
    screen = Recorder()
    counter = CounterController(db, None, screen, actions=actions, reads=reads)
    counter.sign_in("lan", PASSWORD, 1)
    actions.run_next()
    kiosk.issue("DD")
    counter.refresh()  # the change-feed said something moved
    counter.refresh()  # … and again: read once more afterwards, not twice at once
    assert len(reads.waiting) == 1
    press(counter, "call_next")
    actions.run_next()
    screen.seen.clear()
    reads.run_next()  # the older read (nobody called yet) comes back first: dropped
    assert screen.of("snapshot") == [] and counter.busy
    assert counter.ticket is not None and counter.ticket.status == "called"
    reads.run_next()  # the action's own read
    assert [kind for kind in screen.kinds() if kind != "busy"] == ["snapshot", "done"]
    assert reads.waiting == []  # the dropped read asks for no other


# --- once only ------------------------------------------------------------------------------------


def test_a_request_is_sent_once(
    db: Database, kiosk: QueueEngine, counter: CounterController, screen: Recorder
) -> None:
    first, second = kiosk.issue("DD"), kiosk.issue("DD")
    request = counter.request("call_next")
    assert counter.run(request)
    screen.seen.clear()
    assert not counter.run(request)  # the same press delivered again
    assert screen.seen == []
    assert (row(db, first.id).status, row(db, second.id).status) == ("called", "waiting")
    assert counter.request("call_next").id != request.id  # a new press is a new request


def test_after_an_outage_the_failed_request_is_not_sent_again(
    db: Database,
    kiosk: QueueEngine,
    counter: CounterController,
    screen: Recorder,
    clerks_url: str,
) -> None:
    """Another program holds the database file: the clerk's recall fails and says so, the
    counter goes offline with the citizen still shown and refuses every action; the same
    request tried again later is not sent; the counter comes back when the feed does."""
    ticket = kiosk.issue("DD")
    press(counter, "call_next")
    path = clerks_url.removeprefix("sqlite:///")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        screen.seen.clear()
        request = counter.request("recall")
        assert counter.run(request)
        assert screen.seen[:2] == [("busy", True), ("busy", False)]
        assert screen.seen[2] == ("online", False, True)
        kind, text, error = screen.seen[3]
        assert kind == "message" and error and text
        assert not counter.online and counter.legal() == set() and not counter.can_sign_out()
        assert counter.ticket is not None and counter.ticket.id == ticket.id  # still shown
        assert counter.decide("recall") is None and counter.decide("call_next") is None
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    screen.seen.clear()
    assert not counter.run(request)  # the database answers again: still not sent twice
    assert screen.seen == [] and not counter.online
    counter.connection_changed(True)  # the change-feed reached the database again
    assert counter.online and ("message", tr("counter.online_again"), False) in screen.seen
    assert counter.ticket is not None and counter.ticket.id == ticket.id
    assert (row(db, ticket.id).recall_count, event_kinds(db, ticket.id)) == (
        0,
        ["ticket.issued", "ticket.called"],
    )
    press(counter, "recall")  # a new press
    assert row(db, ticket.id).recall_count == 1


def test_the_controller_needs_no_qt() -> None:
    """The controller and what it uses load without any part of Qt."""
    import subprocess

    code = (
        "import sys, counter.controller\n"
        "loaded = [m for m in sys.modules if m.startswith('PySide6')]\n"
        "print(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
