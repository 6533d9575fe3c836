"""Printing tickets end to end: the ``motcua`` command, the real renderer, a real network
printer stand-in (a TCP listener), a real QR decoder, and the event log."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops
from pyzbar.pyzbar import decode as zbar_decode
from sqlalchemy import select

from shared.codes import TicketToken, decode
from shared.db import Database
from shared.models import Event, Ticket
from tests.helpers.escpos_decode import decode as decode_escpos
from tests.helpers.fakeprinter import FakePrinter

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "assets/catalog/sample.toml"


def _env(config: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    if config is not None:
        env["MOTCUA_CONFIG"] = str(config)
    return env


def run(motcua_bin: str, *args: str, config: Path | None = None, timeout: float = 60) -> Any:
    return subprocess.run(
        [motcua_bin, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(config),
        timeout=timeout,
    )


@pytest.fixture
def centre(motcua_bin: str, sqlite_url: str) -> str:
    for args in (("db", "upgrade"), ("catalog", "import", str(SAMPLE))):
        assert run(motcua_bin, *args, "--db", sqlite_url).returncode == 0
    return sqlite_url


def issue(motcua_bin: str, db: str, *args: str, config: Path | None = None) -> Any:
    proc = run(motcua_bin, "ticket", "issue", *args, "--db", db, "--json", config=config)
    return proc, (json.loads(proc.stdout) if proc.stdout else None)


def printer_config(tmp_path: Path, printer: FakePrinter, **extra: object) -> Path:
    lines = ["[printer]", 'kind = "network"', f'host = "{printer.host}"', f"port = {printer.port}"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in extra.items()]
    path = tmp_path / "motcua.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def events(db_url: str, kind_prefix: str) -> list[Event]:
    db = Database(db_url)
    with db.transaction(readonly=True) as s:
        rows = list(s.scalars(select(Event).where(Event.kind.like(f"{kind_prefix}%"))))
    db.dispose()
    return rows


def same_picture(a: Image.Image, b: Image.Image) -> bool:
    return (
        a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None
    )


def test_ticket_print_to_files_gives_a_readable_qr_and_the_same_picture_in_bytes(
    motcua_bin: str, centre: str, tmp_path: Path
) -> None:
    _, data = issue(motcua_bin, centre, "DD", "--priority", "elderly")
    ticket = data["ticket"]
    png, binary = tmp_path / "t.png", tmp_path / "t.bin"
    proc = run(
        motcua_bin,
        "ticket",
        "print",
        str(ticket["id"]),
        "--png",
        str(png),
        "--escpos",
        str(binary),
        "--db",
        centre,
        "--json",
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)["print"]
    assert result["printed"] is False and result["bytes"] == binary.stat().st_size

    image = Image.open(png)
    assert image.mode == "1" and image.width == 576
    # The QR decodes with a real decoder to a token naming exactly this ticket.
    codes = zbar_decode(image.convert("L"))
    assert len(codes) == 1
    token = decode(codes[0].data)
    assert isinstance(token, TicketToken)
    assert (token.centre, token.day.isoformat(), token.number) == (
        "HCC-LA",
        ticket["business_day"],
        ticket["number"],
    )
    db = Database(centre)
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(Ticket.secret).where(Ticket.id == ticket["id"])) == token.secret
    db.dispose()
    # The printer bytes decode back to the same picture, dot for dot, and end with a cut.
    picture, cut = decode_escpos(binary.read_bytes())
    assert cut and same_picture(picture, image)
    # Saving files is not a print: nothing in the log.
    assert events(centre, "ticket.print") == []


def test_issue_and_print_on_a_network_printer(motcua_bin: str, centre: str, tmp_path: Path) -> None:
    with FakePrinter("ok") as printer:
        config = printer_config(tmp_path, printer)
        proc, data = issue(motcua_bin, centre, "HT", "--print", config=config)
        assert proc.returncode == 0, proc.stderr
        printer.wait_closed()
        picture, cut = decode_escpos(printer.connections[0].payload)
    assert data["print"]["printed"] is True and data["print"]["printer"] == printer.label
    assert cut and picture.width == 576
    [code] = zbar_decode(picture.convert("L"))
    assert decode(code.data).number == data["ticket"]["number"]  # type: ignore[union-attr]
    kinds = [e.kind for e in events(centre, "ticket.print")]
    assert kinds == ["ticket.print_attempt", "ticket.printed"]


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        ("refuse", "printer_unreachable"),
        ("paper_out", "printer_paper_out"),
        ("cover_open", "printer_cover_open"),
        ("stall", "printer_timeout"),
    ],
)
def test_printer_fault_keeps_the_ticket_and_says_what_to_do(
    motcua_bin: str, centre: str, tmp_path: Path, mode: str, error: str
) -> None:
    with FakePrinter(mode) as printer:
        config = printer_config(tmp_path, printer, timeout=1.0)
        started = time.monotonic()
        proc, data = issue(motcua_bin, centre, "HT", "--print", config=config)
        elapsed = time.monotonic() - started
    # A dead printer never holds the kiosk for long: the 1 s timeout, plus start-up.
    assert elapsed < 8
    assert proc.returncode == 5
    assert data["print"] == {"printed": False, "error": error, "message": data["print"]["message"]}
    assert printer.label in proc.stderr and "Traceback" not in proc.stderr
    # The ticket is issued all the same, and can be printed again.
    ticket_id = data["ticket"]["id"]
    shown = json.loads(
        run(motcua_bin, "ticket", "show", str(ticket_id), "--db", centre, "--json").stdout
    )
    assert shown["ticket"]["status"] == "waiting"
    failures = events(centre, "ticket.print_failed")
    assert [(e.ticket_id, e.data["error"]) for e in failures] == [(ticket_id, error)]
    assert [e.kind for e in events(centre, "ticket.print")][0] == "ticket.print_attempt"
    if mode == "paper_out":
        assert printer.connections and all(not c.payload for c in printer.connections)


def test_reprint_after_the_paper_is_back(motcua_bin: str, centre: str, tmp_path: Path) -> None:
    with FakePrinter("paper_out") as printer:
        _, data = issue(
            motcua_bin,
            centre,
            "CT",
            "--print",
            config=printer_config(tmp_path, printer, timeout=1.0),
        )
    ticket_id = data["ticket"]["id"]
    with FakePrinter("ok") as printer:
        proc = run(
            motcua_bin,
            "ticket",
            "print",
            str(ticket_id),
            "--db",
            centre,
            config=printer_config(tmp_path, printer),
        )
        printer.wait_closed()
    assert proc.returncode == 0, proc.stderr
    assert printer.label in proc.stdout
    [code] = zbar_decode(decode_escpos(printer.connections[0].payload)[0].convert("L"))
    assert decode(code.data).number == data["ticket"]["number"]  # type: ignore[union-attr]
    kinds = [e.kind for e in events(centre, "ticket.print")]
    assert kinds == [
        "ticket.print_attempt",
        "ticket.print_failed",
        "ticket.print_attempt",
        "ticket.printed",
    ]


def test_no_printer_configured(motcua_bin: str, centre: str) -> None:
    proc, data = issue(motcua_bin, centre, "HT", "--print")
    assert proc.returncode == 5
    assert data["print"]["error"] == "printer_not_configured"
    assert "[printer]" in proc.stderr


def test_printer_test_page_before_any_database(
    motcua_bin: str, tmp_path: Path, sqlite_url: str
) -> None:
    """A technician sets up the printer first: the test page needs no database."""
    with FakePrinter("ok") as printer:
        proc = run(
            motcua_bin,
            "printer",
            "test",
            "--db",
            sqlite_url,
            config=printer_config(tmp_path, printer),
        )
        printer.wait_closed()
    assert proc.returncode == 0, proc.stderr
    picture, cut = decode_escpos(printer.connections[0].payload)
    assert cut and picture.height > 1000
    assert any(c.type == "QRCODE" for c in zbar_decode(picture.convert("L")))


def test_old_ticket_without_a_secret_gets_one_when_printed(
    motcua_bin: str, centre: str, tmp_path: Path
) -> None:
    """Tickets issued before QR secrets existed (schema 0001) still print a valid code."""
    _, data = issue(motcua_bin, centre, "HT")
    db = Database(centre)
    with db.transaction() as s:
        s.get_one(Ticket, data["ticket"]["id"]).secret = None
    proc = run(
        motcua_bin,
        "ticket",
        "print",
        str(data["ticket"]["id"]),
        "--png",
        str(tmp_path / "old.png"),
        "--db",
        centre,
    )
    assert proc.returncode == 0, proc.stderr
    with db.transaction(readonly=True) as s:
        secret = s.get_one(Ticket, data["ticket"]["id"]).secret
    db.dispose()
    [code] = zbar_decode(Image.open(tmp_path / "old.png").convert("L"))
    assert secret and decode(code.data).secret == secret  # type: ignore[union-attr]


def test_public_lookup_url_in_the_qr(motcua_bin: str, centre: str, tmp_path: Path) -> None:
    config = tmp_path / "lookup.toml"
    config.write_text('[lookup]\nbase_url = "https://dichvucong.example.gov.vn/tra-cuu"\n')
    _, data = issue(motcua_bin, centre, "DD")
    proc = run(
        motcua_bin,
        "ticket",
        "print",
        str(data["ticket"]["id"]),
        "--png",
        str(tmp_path / "url.png"),
        "--db",
        centre,
        config=config,
    )
    assert proc.returncode == 0, proc.stderr
    [code] = zbar_decode(Image.open(tmp_path / "url.png").convert("L"))
    text = code.data.decode("ascii")
    assert text.startswith("https://dichvucong.example.gov.vn/tra-cuu?t=T1:HCC-LA:")
    assert decode(text).number == data["ticket"]["number"]  # type: ignore[union-attr]
