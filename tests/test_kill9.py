"""Killed at any moment (SIGKILL: a power cut, a frozen PC reset), nothing acknowledged is lost.

Processes doing the centre's writes — issue a number, call the next citizen, finish, receive a
dossier — are killed at random moments, hundreds of times, on an SQLite file and on the
PostgreSQL server, and restarted; an operation whose process died before saying it was done is
retried with the same request id, as the kiosk and the counter do. Then every acknowledged
ticket and dossier is there, none is doubled, numbers and dossier codes have no gap, and the
database passes its own integrity check and the consistency queries below.

Two kinds of process: long-lived workers (the apps' worker threads, ``tests/helpers/
crashworker.py``) killed at any point of their loop, and ``motcua`` commands killed at any
point of their run (start-up, connection, transaction, output).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from shared.catalog import import_catalog, load_catalog_file
from shared.db import Database
from shared.dossier_views import Party, ReceiveForm
from shared.dossiers import DossierDesk
from shared.errors import NumberRangeExhausted
from shared.models import Call, Dossier, Event, NumberBlock, Ticket
from shared.queue import QueueEngine
from shared.resources import asset
from tests.helpers.crashworker import COUNTERS, PROCEDURE, SERVICES
from tests.helpers.fakeprinter import FakePrinter
from tests.helpers.xserver import XServer, have_xvfb

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
WORKER_KILLS = 160
COMMAND_KILLS = 45
WORKERS = 4


@dataclass
class Journal:
    """What the killed processes said: started and acknowledged operations by request id."""

    started: dict[str, tuple[str, str]] = field(default_factory=dict)
    """request id → (operation, service / counter / procedure)."""
    acked: dict[str, tuple[str, str]] = field(default_factory=dict)
    """request id → (operation, result)."""
    kills: int = 0
    mid_operation: int = 0
    """Kills that came after a START and before its ACK: inside an operation."""

    def read(self, output: str) -> None:
        for line in output.splitlines():
            parts = line.split()
            if len(parts) == 4 and parts[0] == "START":
                self.started[parts[2]] = (parts[1], parts[3])
            elif len(parts) == 4 and parts[0] in ("ACK", "REFUSED"):
                self.acked[parts[2]] = (parts[1], parts[3])

    def unfinished(self, op: str) -> list[tuple[str, str]]:
        """(request id, argument) of ``op`` started but never acknowledged."""
        return [
            (rid, arg)
            for rid, (kind, arg) in self.started.items()
            if kind == op and rid not in self.acked
        ]


@pytest.fixture
def centre(db: Database) -> Database:
    import_catalog(db, load_catalog_file(asset("catalog", "sample.toml")))
    return db


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


class Worker:
    """A crash worker process and a thread reading what it says as it says it."""

    def __init__(self, url: str, seed: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.crashworker", url, str(seed), f"w{seed}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=_env(),
        )
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.ready_at = 0.0
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if line.strip() == "READY":
                self.ready_at = time.monotonic()
                self.ready.set()

    def wait_inside_operation(self, timeout: float = 2.0) -> None:
        """Until the worker has said START and not yet ACK: a kill now lands inside a write."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.lines and self.lines[-1].startswith("START"):
                return
            time.sleep(0.0002)

    def kill(self, journal: Journal) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self.reader.join(timeout=30)
        assert self.process.stderr is not None
        err = self.process.stderr.read()
        assert "Traceback" not in err, err
        journal.read("".join(self.lines))
        journal.kills += 1
        if self.lines and self.lines[-1].startswith("START"):
            journal.mid_operation += 1


def test_killed_workers_lose_nothing_acknowledged(centre: Database, db_url: str) -> None:
    rng = random.Random(20261203)
    journal = Journal()
    seeds = iter(range(1, 10_000))
    workers = [Worker(db_url, next(seeds)) for _ in range(WORKERS)]
    try:
        while journal.kills < WORKER_KILLS:
            time.sleep(rng.uniform(0.02, 0.25))
            ready = [n for n, w in enumerate(workers) if w.ready.is_set()]
            if not ready:
                assert all(w.process.poll() is None for w in workers), "a worker fell over"
                continue
            index = rng.choice(ready)
            if time.monotonic() - workers[index].ready_at < rng.uniform(0.0, 1.2):
                continue  # a random moment of its life, not always its first operation
            if rng.random() < 0.5:
                # Half the kills aimed inside an operation (a random moment of it): the faster
                # the writes, the rarer a kill at any moment lands in one.
                workers[index].wait_inside_operation()
                time.sleep(rng.uniform(0.0, 0.003))
            workers[index].kill(journal)
            workers[index] = Worker(db_url, next(seeds))
    finally:
        for worker in workers:
            worker.kill(journal)
    # They worked between the kills, and many kills came in the middle of an operation.
    assert len(journal.acked) > WORKER_KILLS, journal.kills
    assert journal.mid_operation >= WORKER_KILLS // 3, (journal.kills, journal.mid_operation)
    _retry_unfinished(centre, journal)
    _assert_consistent(centre, journal)


def test_killed_commands_lose_nothing_acknowledged(
    centre: Database, db_url: str, motcua_bin: str
) -> None:
    rng = random.Random(31122026)
    journal = Journal()
    n = 0
    while journal.kills < COMMAND_KILLS:
        n += 1
        rid = f"cli-{n}"
        op = rng.choice(("issue", "issue", "call", "finish", "receive"))
        if op == "issue":
            arg = rng.choice(SERVICES)
            command = ["ticket", "issue", arg, "--request-id", rid]
        elif op == "receive":
            arg = PROCEDURE
            command = ["dossier", "receive", "--procedure", arg, "--name", f"Công dân {rid}"]
            command += ["--request-id", rid]
        elif op == "call":
            arg = str(rng.choice(COUNTERS))
            command = ["ticket", "call", arg]
        else:
            arg = str(rng.choice(COUNTERS))
            current = _current_ticket(centre, int(arg))
            if current is None:
                continue
            command = ["ticket", "finish", str(current)]
        journal.started[rid] = (op, arg)
        process = subprocess.Popen(
            [motcua_bin, "--db", db_url, "--json", *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            out, err = process.communicate(timeout=rng.uniform(0.1, 2.5))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.communicate(timeout=30)
            journal.kills += 1
            continue
        assert process.returncode in (0, 3), err  # 3: refused by the rules (nothing to finish)
        if process.returncode == 0:
            journal.acked[rid] = (op, _result(op, json.loads(out)))
    _retry_unfinished(centre, journal)
    _assert_consistent(centre, journal)


def _result(op: str, data: dict) -> str:
    if op == "issue":
        return f"{data['ticket']['id']}:{data['ticket']['number']}"
    if op == "receive":
        return str(data["code"])
    ticket = data.get("ticket")
    return str(ticket["id"]) if ticket else "-"


def _ticket_count(db: Database) -> int:
    with db.transaction(readonly=True) as s:
        return int(s.scalar(select(func.count()).select_from(Ticket)) or 0)


def _current_ticket(db: Database, counter: int) -> int | None:
    state = next(c for c in QueueEngine(db).status().counters if c.number == counter)
    return state.ticket.id if state.ticket is not None else None


def _retry_unfinished(db: Database, journal: Journal) -> None:
    """What a kiosk or a clerk does after a crash: the same request again (same request id)."""
    engine, desk = QueueEngine(db), DossierDesk(db)
    for rid, service in journal.unfinished("issue"):
        try:
            view = engine.issue(service, request_id=rid)
        except NumberRangeExhausted as error:  # refused politely, as the kiosk would be
            journal.acked[rid] = ("issue", error.code)
            continue
        journal.acked[rid] = ("issue", f"{view.id}:{view.number}")
    for rid, procedure in journal.unfinished("receive"):
        form = ReceiveForm(procedure, Party(kind="person", name=f"Công dân {rid}"))
        journal.acked[rid] = ("receive", desk.receive(form, request_id=rid).code)


def _assert_consistent(db: Database, journal: Journal) -> None:
    acked = journal.acked
    with db.transaction(readonly=True) as s:
        tickets = {t.id: t for t in s.scalars(select(Ticket))}
        by_request = Counter(t.request_id for t in tickets.values() if t.request_id)
        dossiers = {d.request_id: d for d in s.scalars(select(Dossier))}
        calls = s.execute(select(Call.ticket_id, Call.cycle)).all()
        issued_events = Counter(
            e.ticket_id for e in s.scalars(select(Event).where(Event.kind == "ticket.issued"))
        )
        received_events = Counter(
            e.dossier_id for e in s.scalars(select(Event).where(Event.kind == "dossier.received"))
        )
        dossier_count = s.scalar(select(func.count()).select_from(Dossier))
        reserved: dict[tuple[int, object], set[int]] = {}
        for block in s.scalars(select(NumberBlock)):
            reserved.setdefault((block.service_id, block.business_day), set()).update(
                range(block.first_seq, block.last_seq + 1)
            )
        if db.is_sqlite:
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert s.execute(text("PRAGMA foreign_key_check")).all() == []

    # Every acknowledged ticket is there, with the number the process was told; none doubled.
    for rid, (op, result) in acked.items():
        if op != "issue" or ":" not in result:  # refused (the range ran out): no ticket
            continue
        ticket_id, number = result.split(":")
        ticket = tickets[int(ticket_id)]
        assert (ticket.request_id, ticket.number) == (rid, number)
    assert [rid for rid, n in by_request.items() if n > 1] == []
    # Numbers: no gap and no repeat per service and day (a killed issue used none); numbers a
    # kiosk holds in reserve for an outage are set aside, not gaps.
    sequences: dict[tuple[int, object], list[int]] = {}
    for ticket in tickets.values():
        sequences.setdefault((ticket.origin_service_id, ticket.business_day), []).append(ticket.seq)
    for key, seqs in sequences.items():
        held = reserved.get(key, set())
        assert len(seqs) == len(set(seqs)), key
        given = set(seqs) - held
        assert sorted(given | held) == list(range(1, max(given | held) + 1)), key
    # Calls and finishes acknowledged are recorded; nobody called twice in one turn; at most
    # one current citizen per counter.
    assert len(calls) == len(set(calls))
    called = {ticket_id for ticket_id, _ in calls}
    for rid, (op, result) in acked.items():
        if op == "call" and result not in ("-", "none"):
            assert int(result) in called, rid
        if op == "finish" and result not in ("-", "none") and result.isdigit():
            assert tickets[int(result)].status == "done", rid
    current = Counter(t.counter_id for t in tickets.values() if t.status in ("called", "serving"))
    assert all(n == 1 for n in current.values()), current
    for ticket in tickets.values():
        if ticket.status in ("called", "serving", "done"):
            assert ticket.id in called and ticket.counter_id is not None, ticket.id
    # Each ticket and dossier was logged exactly once.
    assert set(issued_events) == set(tickets) and set(issued_events.values()) <= {1}
    # Dossiers: every acknowledged one there under its code; codes gap-free per day.
    for rid, (op, code) in acked.items():
        if op == "receive":
            assert dossiers[rid].code == code
    assert dossier_count == len(dossiers)  # one per request id
    numbers: dict[tuple[object, object], list[int]] = {}
    for dossier in dossiers.values():
        numbers.setdefault((dossier.agency_eid, dossier.receipt_day), []).append(
            dossier.register_no
        )
    for key, regs in numbers.items():
        assert sorted(regs) == list(range(1, len(regs) + 1)), key
    assert set(received_events) == {d.id for d in dossiers.values()}
    assert set(received_events.values()) <= {1}


# --- the programs themselves, on a screen ----------------------------------------------------

APP_KILLS = 3
PASSWORD = "mat-khau-dai-du"


def _printed_numbers(printer: FakePrinter) -> list[str]:
    """The numbers on the tickets the printer received whole (decoded from its bytes)."""
    from pyzbar.pyzbar import ZBarSymbol
    from pyzbar.pyzbar import decode as read_codes

    from shared.codes import decode as decode_code
    from tests.helpers.escpos_decode import decode as decode_escpos

    numbers = []
    for connection in printer.connections:
        if not connection.closed or not connection.payload:
            continue
        try:
            picture = decode_escpos(connection.payload)
        except ValueError:
            continue  # cut off mid-ticket by the kill: no ticket came out
        if not picture.cut_seen:
            continue
        for symbol in read_codes(picture.image.convert("L"), symbols=[ZBarSymbol.QRCODE]):
            numbers.append(decode_code(symbol.data.decode("ascii")).number)
    return numbers


@pytest.mark.skipif(not have_xvfb(), reason="Xvfb, xwininfo and xdotool are not installed")
def test_killed_kiosk_and_counter_programs_lose_nothing_acknowledged(
    qtbot, centre: Database, db_url: str, motcua_bin: str, clock, tmp_path: Path
) -> None:
    """The real kiosk and counter programs, full screen on an X server, touched and typed at
    by xdotool and killed at random moments: every ticket that came out of the printer is in
    the queue, none twice, and the counter's calls stay consistent."""
    from kiosk.app import KioskWindow
    from kiosk.model import load_home
    from shared.qt.fonts import load_fonts
    from shared.settings import Settings
    from shared.users import add_user

    rng = random.Random(7)
    add_user(centre, "lan", PASSWORD, "clerk", full_name="Nguyễn Thị Lan")
    clock.set("2026-11-18T09:00:00+07:00")  # open; the programs started below share it
    size = (1080, 1920)
    probe = KioskWindow(centre, None, Settings(), load_fonts(), load_home(centre, None))
    qtbot.addWidget(probe)
    probe.resize(*size)
    probe.show()
    button = probe.home_screen.button("HT")
    touch = button.mapTo(probe, button.rect().center())
    probe.close()

    journal = Journal()
    with FakePrinter("ok") as printer, XServer([size, (1366, 768)]) as x:
        config = tmp_path / "motcua.toml"
        config.write_text(
            f'[printer]\nkind = "network"\nhost = "{printer.host}"\nport = {printer.port}\n'
            "[kiosk]\nconfirm_seconds = 2\n",
            encoding="utf-8",
        )
        env = {**x.env(), "MOTCUA_PASSWORD": PASSWORD}

        def run(screen: int, *command: str) -> subprocess.Popen[str]:
            return subprocess.Popen(
                [motcua_bin, "--db", db_url, "--config", str(config), *command],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env={**env, "DISPLAY": f"{x.display}.{screen}"},
            )

        for _ in range(APP_KILLS):
            kiosk = run(0, "kiosk")
            x.wait_for_windows(1, screen=0, alive=kiosk)
            # Touch until the kiosk (once started) gives a number, then for a random while.
            before, deadline = _ticket_count(centre), time.monotonic() + 60
            while _ticket_count(centre) == before and time.monotonic() < deadline:
                x.click(touch.x(), touch.y(), screen=0)
                time.sleep(0.3)
            assert _ticket_count(centre) > before, "the kiosk gave no number"
            deadline = time.monotonic() + rng.uniform(0.0, 5.0)
            while time.monotonic() < deadline:
                x.click(touch.x(), touch.y(), screen=0)
                time.sleep(rng.uniform(0.05, 0.8))
            kiosk.send_signal(signal.SIGKILL)
            _, err = kiosk.communicate(timeout=30)
            assert "Traceback" not in err, err
            journal.kills += 1

            counter = run(1, "counter", "--user", "lan", "--counter", "4")
            [clerk] = x.wait_for_windows(1, screen=1, alive=counter)
            deadline = time.monotonic() + rng.uniform(2.0, 6.0)
            while time.monotonic() < deadline:
                x.keys(clerk, rng.choice(("F2", "F2", "F5")), screen=1)
                time.sleep(rng.uniform(0.05, 0.6))
            counter.send_signal(signal.SIGKILL)
            _, err = counter.communicate(timeout=30)
            assert "Traceback" not in err, err
            journal.kills += 1
        printed = _printed_numbers(printer)

    with centre.transaction(readonly=True) as s:
        numbers = Counter(s.scalars(select(Ticket.number)))
    assert printed, "no ticket came out of the printer"
    assert all(numbers[n] == 1 for n in printed), "a printed ticket is missing or doubled"
    assert len(printed) == len(set(printed))
    _assert_consistent(centre, journal)
