"""``motcua dossier …`` through the installed executable, on SQLite and PostgreSQL: exit codes,
JSON on stdout, messages on stderr, and what ends up in the database."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from shared.catalog import import_catalog, load_catalog_file
from shared.codes import encode_dossier
from shared.db import Database
from shared.models import Event
from shared.resources import asset
from shared.users import add_user

pytestmark = pytest.mark.timewise  # also run at shifted clocks (scripts/test.sh)

Run = Callable[..., subprocess.CompletedProcess[str]]
LAND = "1.013831"  # Đăng ký biến động … (8 working days in the sample catalogue)
EID = "000.00.10.H39"


@pytest.fixture
def motcua(motcua_bin: str) -> Run:
    def run(*args: str, check: int | None = 0) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
        done = subprocess.run(
            [motcua_bin, *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=120,
        )
        if check is not None:
            assert done.returncode == check, (done.returncode, done.stdout, done.stderr)
        return done

    return run


@pytest.fixture
def url(db_url: str) -> str:
    """The sample catalogue on the backend, and a clerk named "lan"."""
    db = Database(db_url)
    db.upgrade()
    import_catalog(db, load_catalog_file(asset("catalog", "sample.toml")))
    add_user(db, "lan", "mat-khau-dai-du", "clerk", full_name="Trần Thị Lan")
    db.dispose()
    return db_url


def as_json(done: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(done.stdout)


def receive(motcua: Run, url: str, *extra: str, check: int | None = 0) -> Any:
    done = motcua(
        "dossier",
        "receive",
        "--db",
        url,
        "--procedure",
        LAND,
        "--name",
        "Nguyễn Văn An",
        "--id-number",
        "080085012345",
        "--phone",
        "+84 912 345 678",
        "--address",
        "12 Hùng Vương, Tân An",
        "--received-at",
        "2026-04-24T14:30",
        "--json",
        *extra,
        check=check,
    )
    return done if check != 0 else as_json(done)


def receive_bare(
    motcua: Run, url: str, name: str, *extra: str, procedure: str = LAND, check: int | None = 0
) -> subprocess.CompletedProcess[str]:
    """``dossier receive`` with only the procedure, the applicant's name and ``extra``."""
    return motcua(
        "dossier",
        "receive",
        "--db",
        url,
        "--procedure",
        procedure,
        "--name",
        name,
        *extra,
        check=check,
    )


def test_receive_prints_code_secret_and_due_date(motcua: Run, url: str) -> None:
    got = receive(motcua, url, "--user", "lan", "--sets", "2")
    assert got["code"] == f"{EID}-260424-0001"
    assert len(got["secret"]) == 8
    assert got["status"] == 2
    # Friday 24/4/2026 14:30 + 8 working days, Giỗ Tổ make-up day and 30/4–1/5 off.
    # Written in the centre's local time (the same instant as 07:30 UTC).
    assert got["due_at"] == "2026-05-11T14:30:00+07:00"
    assert got["dossier"]["due_at"] == got["due_at"]
    assert got["dossier"]["received_at"] == "2026-04-24T14:30:00+07:00"
    assert got["dossier"]["received_by"] == "Trần Thị Lan"
    assert got["dossier"]["sets"] == 2
    assert got["dossier"]["applicant"]["phone"] == "0912345678"
    again = receive(motcua, url)
    assert again["code"] == f"{EID}-260424-0002"
    human = receive_bare(motcua, url, "Lê Văn Bình").stdout
    assert "Đã tiếp nhận hồ sơ" in human and EID in human


def test_invalid_input_is_refused_with_every_field(motcua: Run, url: str) -> None:
    done = receive(motcua, url, "--id-number", "999085012345", "--email", "an@", check=3)
    assert "applicant.id_number" in done.stderr and "applicant.email" in done.stderr
    assert "mã tỉnh" in done.stderr
    assert set(as_json(done)["errors"]) == {"applicant.id_number", "applicant.email"}
    english = receive_bare(motcua, url, " ", "--lang", "en", "--sets", "0", check=3)
    assert "applicant.name" in english.stderr and "Sets: from 1 to 99" in english.stderr
    unknown = receive_bare(motcua, url, "A", procedure="9.999", check=3)
    assert "9.999" in unknown.stderr
    usage = receive_bare(motcua, url, "A", "--id-type", "bogus", check=2)
    assert "--id-type" in usage.stderr
    bad_time = receive_bare(motcua, url, "A", "--received-at", "hôm qua", check=3)
    assert "ISO" in bad_time.stderr
    listed = as_json(motcua("dossier", "list", "--db", url, "--json"))
    assert listed["dossiers"] == []


def test_follow_a_dossier_to_its_return(motcua: Run, url: str, tmp_path: Path) -> None:
    got = receive(motcua, url)
    code, secret = got["code"], got["secret"]
    state = as_json(motcua("dossier", "status", code, "--db", url, "--json"))
    assert state["status"] == 2 and "applicant" not in json.dumps(state)
    moved = as_json(
        motcua(
            "dossier",
            "handover",
            code,
            "--to",
            "Văn phòng đăng ký đất đai",
            "--days",
            "3",
            "--db",
            url,
            "--json",
            "--user",
            "lan",
        )
    )
    assert moved["status"] == 4
    assert moved["dossier"]["handovers"][0]["to_unit"] == "Văn phòng đăng ký đất đai"
    assert moved["dossier"]["handovers"][0]["user"] == "Trần Thị Lan"
    found = as_json(
        motcua("dossier", "list", "--search", "dang ky bien dong", "--db", url, "--json")
    )
    assert [r["code"] for r in found["dossiers"]] == [code]
    refused = motcua("dossier", "status", code, "--set", "10", "--db", url, check=3)
    assert "motcua dossier return" in refused.stderr
    assert as_json(motcua("dossier", "ready", code, "--db", url, "--json"))["status"] == 9
    kiosk = as_json(motcua("dossier", "lookup", code, secret, "--db", url, "--json"))["lookup"]
    assert kiosk["applicant_masked"] == "N*** V*** A**"
    assert kiosk["next_step"] == "dossier.next.collect"
    wrong = motcua("dossier", "lookup", code, "23456789", "--db", url, check=3)
    assert "không đúng" in wrong.stderr
    qr = encode_dossier(code, secret)
    returned = as_json(motcua("dossier", "return", qr, "--db", url, "--json"))
    assert returned["status"] == 10
    again = motcua("dossier", "status", code, "--set", "4", "--db", url, check=3)
    assert code in again.stderr

    path = tmp_path / "so.csv"
    book = as_json(
        motcua(
            "dossier",
            "book",
            "--from",
            "2026-04-24",
            "--to",
            "24/04/2026",
            "--csv",
            str(path),
            "--db",
            url,
            "--json",
        )
    )
    assert book["csv"] == str(path) and len(book["rows"]) == 1
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][1] == "Mã hồ sơ" and rows[1][1] == code and rows[1][4] == "Nguyễn Văn An"
    bad = motcua("dossier", "book", "--from", "24-04", "--to", "2026-04-24", "--db", url, check=3)
    assert "24-04" in bad.stderr


def test_show_is_logged_with_the_user_and_nothing_personal(motcua: Run, url: str) -> None:
    code = receive(motcua, url)["code"]
    shown = as_json(motcua("dossier", "show", code, "--user", "lan", "--db", url, "--json"))
    assert shown["dossier"]["applicant"]["id_number"] == "080085012345"
    human = motcua("dossier", "show", code, "--db", url).stdout
    assert "*********345" in human and "080085012345" not in human
    motcua("dossier", "show", code, "--user", "nobody", "--db", url, check=3)
    db = Database(url)
    with db.transaction(readonly=True) as s:
        log = list(s.scalars(select(Event).where(Event.kind.like("dossier.%")).order_by(Event.id)))
        from shared.models import User

        lan = s.scalar(select(User.id).where(User.username == "lan"))
    db.dispose()
    assert [e.kind for e in log] == ["dossier.received", "dossier.viewed", "dossier.viewed"]
    assert log[1].user_id == lan and log[2].user_id is None
    text = json.dumps([e.data for e in log], ensure_ascii=False)
    for personal in ("Nguyễn", "080085012345", "0912345678", "Hùng Vương"):
        assert personal not in text


def test_catalog_show_lists_procedures_with_deadline_and_cutoff(motcua: Run, url: str) -> None:
    shown = as_json(motcua("catalog", "show", "--db", url, "--json"))
    procedures = {p["code"]: p for p in shown["procedures"]}
    birth = procedures["1.001193"]
    assert (birth["processing_days"], birth["cutoff"]) == (0, "15:00")
    land = procedures[LAND]
    assert land["processing_days"] == 8 and land["cutoff"] == "15:00"  # the default
    assert {"code", "name", "processing_days", "cutoff", "version"} <= set(land)
