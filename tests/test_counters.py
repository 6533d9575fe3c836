"""Clerks at counters (one clerk per counter, even racing from two PCs) and satisfaction
ratings, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from shared.counters import open_session, sign_in, sign_out
from shared.db import Database
from shared.errors import CounterTaken, RatingRefused, UserError
from shared.models import Event, Rating
from shared.queue import QueueEngine
from shared.users import add_user

PASSWORD = "mat-khau-123"


@pytest.fixture
def clerks(db: Database, engine: QueueEngine) -> dict[str, int]:
    return {
        name: add_user(db, name, PASSWORD, "clerk", full_name=full).id
        for name, full in (("lan", "Nguyễn Thị Lan"), ("minh", "Trần Văn Minh"))
    }


def test_one_clerk_per_counter(db: Database, clerks: dict[str, int]) -> None:
    first = sign_in(db, "lan", PASSWORD, 1, machine="pc-01")
    assert (first.counter, first.username, first.machine) == (1, "lan", "pc-01")
    with pytest.raises(CounterTaken) as caught:
        sign_in(db, "minh", PASSWORD, 1, machine="pc-02")
    assert "Nguyễn Thị Lan" in caught.value.message
    # The same clerk coming back (crash, reboot) gets the same session.
    assert sign_in(db, "lan", PASSWORD, 1, machine="pc-01").id == first.id
    assert sign_in(db, "minh", PASSWORD, 2).counter == 2
    sign_out(db, 1)
    assert open_session(db, 1) is None
    assert sign_in(db, "minh", PASSWORD, 1).username == "minh"


def test_wrong_password_and_sign_out_of_an_empty_counter(
    db: Database, clerks: dict[str, int]
) -> None:
    with pytest.raises(UserError) as caught:
        sign_in(db, "lan", "wrong-password", 1)
    assert caught.value.message_key == "error.bad_login"
    with pytest.raises(UserError):
        sign_out(db, 3)


def _race(url: str, name: str, go: Any, out: str) -> None:
    db = Database(url)
    go.wait()
    try:
        session = sign_in(db, name, PASSWORD, 5)
        Path(out).write_text(json.dumps({"ok": session.username}))
    except CounterTaken as error:
        Path(out).write_text(json.dumps({"refused": error.code}))
    db.dispose()


@pytest.mark.slow
def test_two_clerks_racing_for_one_counter(
    db: Database, db_url: str, clerks: dict[str, int], tmp_path: Path
) -> None:
    ctx = multiprocessing.get_context("spawn")
    for attempt in range(3):
        go = ctx.Event()
        outs = [tmp_path / f"{attempt}-{name}.json" for name in clerks]
        procs = [
            ctx.Process(target=_race, args=(db_url, name, go, str(out)))
            for name, out in zip(clerks, outs, strict=True)
        ]
        for p in procs:
            p.start()
        go.set()
        for p in procs:
            p.join(timeout=60)
            assert p.exitcode == 0
        results = [json.loads(out.read_text()) for out in outs]
        winners = [r["ok"] for r in results if "ok" in r]
        assert len(winners) == 1 and {"refused": "counter_taken"} in results
        assert open_session(db, 5).username == winners[0]  # type: ignore[union-attr]
        sign_out(db, 5)


def test_every_action_carries_the_clerks_id(
    db: Database, engine: QueueEngine, clerks: dict[str, int]
) -> None:
    clerk = QueueEngine(db, "TEST", user_id=clerks["lan"])
    t = engine.issue("HT")
    clerk.call_next(1)
    clerk.start(t.id)
    clerk.finish(t.id)
    with db.transaction(readonly=True) as s:
        rows = s.execute(
            select(Event.kind, Event.user_id).where(Event.ticket_id == t.id).order_by(Event.id)
        ).all()
    assert rows == [
        ("ticket.issued", None),
        ("ticket.called", clerks["lan"]),
        ("ticket.start", clerks["lan"]),
        ("ticket.finish", clerks["lan"]),
    ]


def test_rating_a_finished_service(
    db: Database, engine: QueueEngine, clerks: dict[str, int]
) -> None:
    clerk = QueueEngine(db, "TEST", user_id=clerks["minh"])
    t = engine.issue("HT")
    clerk.call_next(1)
    with pytest.raises(RatingRefused):
        engine.rate(t.id, 3)  # still being served
    clerk.finish(t.id)
    for bad in (0, 4, -1):
        with pytest.raises(RatingRefused) as caught:
            engine.rate(t.id, bad)
        assert caught.value.exit_code == 3
    rating = engine.rate(t.id, 1, reasons=("Chờ lâu", " "))
    assert (rating.level, rating.label, rating.reasons) == (1, "Không hài lòng", ["Chờ lâu"])
    assert rating.clerk_id == clerks["minh"]
    with pytest.raises(RatingRefused):
        engine.rate(t.id, 3)  # one rating per service
    with db.transaction(readonly=True) as s:
        row = s.scalar(select(Rating).where(Rating.ticket_id == t.id))
        event = s.scalar(select(Event).where(Event.kind == "ticket.rated"))
    assert row is not None and (row.user_id, row.counter_id, row.source) == (
        clerks["minh"],
        1,
        "citizen",
    )
    assert event is not None and event.data["level"] == 1


def test_no_rating_is_recorded_as_such_and_other_scales(engine: QueueEngine) -> None:
    a, b = engine.issue("HT"), engine.issue("HT")
    for t in (a, b):
        engine.call_next(1)
        engine.finish(t.id)
    none = engine.rate(a.id, None, source="citizen")
    assert (none.outcome, none.level, none.label) == ("no_rating", None, None)
    five = engine.rate(b.id, 5, scale=5, source="clerk")
    assert (five.label, five.source) == ("Rất hài lòng", "clerk")


def test_motcua_ticket_rate(motcua_bin: str, db_url: str, engine: QueueEngine) -> None:
    t = engine.issue("HT")
    engine.call_next(1)
    engine.finish(t.id)

    def rate(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [motcua_bin, "ticket", "rate", str(t.id), *args, "--db", db_url],
            capture_output=True,
            text=True,
            timeout=60,
        )

    for bad in ("0", "4", "abc", "-1"):
        refused = rate(bad)
        assert refused.returncode == 3, (bad, refused.stderr)
        assert "1 đến 3" in refused.stderr
    done = rate("2", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rating"] | {"ticket_id": t.id} == {
        "ticket_id": t.id,
        "number": t.number,
        "level": 2,
        "scale": 3,
        "label": "Hài lòng",
        "outcome": "rated",
        "source": "command",
        "reasons": [],
        "clerk_id": None,
    }
    assert rate("3").returncode == 3  # already rated
