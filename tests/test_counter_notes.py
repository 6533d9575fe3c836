"""A clerk's words with a transfer or a pause: kept (NFC, one line, capped) in the event the
engine writes, offered by the ``motcua`` command, and refused when the reason is not one of the
list. Notes go to the event log, so they must carry no personal data; the app says so."""

from __future__ import annotations

import json
import os
import subprocess
import unicodedata

import pytest
from sqlalchemy import select

from cli.counters import PAUSE_REASON_CHOICES
from shared.db import Database
from shared.i18n import MESSAGES
from shared.models import Event
from shared.queue import NOTE_MAX, PAUSE_REASONS, QueueEngine, clean_note


def events(db: Database, kind: str) -> list[Event]:
    with db.transaction(readonly=True) as s:
        return list(s.scalars(select(Event).where(Event.kind == kind).order_by(Event.id)))


def test_transfer_keeps_the_note_in_its_event(sample_db: Database) -> None:
    engine = QueueEngine(sample_db)
    ticket = engine.issue("DD")
    engine.call_next(1)
    decomposed = unicodedata.normalize("NFD", "Cần  bản sao\n sổ đỏ")
    engine.transfer(ticket.id, to_service="HT", note=decomposed)
    engine.call_next(3)
    engine.transfer(ticket.id, to_counter=2, note="x" * (NOTE_MAX + 50))
    engine.call_next(2)
    engine.transfer(ticket.id, to_counter=1)
    first, second, third = events(sample_db, "ticket.transfer")
    assert first.data["note"] == "Cần bản sao sổ đỏ"
    assert unicodedata.is_normalized("NFC", first.data["note"])
    assert len(second.data["note"]) == NOTE_MAX
    assert "note" not in third.data
    assert (first.data["counter"], second.data["counter"], third.data["counter"]) == (1, 3, 2)


def test_pause_keeps_its_reason_and_refuses_unknown_ones(sample_db: Database) -> None:
    engine = QueueEngine(sample_db)
    engine.pause_counter(1, reason="dossier_work", note="  hồ sơ đất  ")
    engine.resume_counter(1)
    engine.pause_counter(1)
    with pytest.raises(ValueError):
        engine.pause_counter(2, reason="lunch-ish")
    first, second = events(sample_db, "counter.paused")
    assert first.data == {"counter": 1, "reason": "dossier_work", "note": "hồ sơ đất"}
    assert second.data == {"counter": 1}


def test_every_reason_has_words_and_the_command_offers_the_same_list() -> None:
    assert PAUSE_REASON_CHOICES == PAUSE_REASONS
    for code in PAUSE_REASONS:
        assert f"counter.pause_reason.{code}" in MESSAGES
    assert clean_note(None) == "" and clean_note(" a \t b ") == "a b"


def test_the_command_takes_a_note_and_a_reason(motcua_bin: str, sample_url: str) -> None:
    env = {**os.environ, "MOTCUA_DB_URL": sample_url}

    def motcua(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [motcua_bin, *args], capture_output=True, text=True, env=env, timeout=60
        )

    issued = motcua("--json", "ticket", "issue", "DD")
    assert issued.returncode == 0, issued.stderr
    ticket_id = json.loads(issued.stdout)["ticket"]["id"]
    done = motcua("ticket", "transfer", str(ticket_id), "--to-service", "HT", "--note", "đã hẹn")
    assert done.returncode == 0, done.stderr
    done = motcua("counter", "pause", "4", "--reason", "meeting", "--note", "giao ban")
    assert done.returncode == 0, done.stderr
    bad = motcua("counter", "pause", "5", "--reason", "nap")
    assert bad.returncode == 2
    db = Database(sample_url)
    try:
        (transfer,) = events(db, "ticket.transfer")
        (pause,) = events(db, "counter.paused")
    finally:
        db.dispose()
    assert transfer.data["note"] == "đã hẹn"
    assert (pause.data["reason"], pause.data["note"]) == ("meeting", "giao ban")
