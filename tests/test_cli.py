"""The public contract of the ``motcua`` command, run as the installed console script.

Every test starts the real ``motcua`` executable in a subprocess against a real SQLite file (or
the suite's PostgreSQL server) and checks what a technician or a script relies on: exit codes,
JSON on stdout, messages for people on stderr, and what ends up in the database.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from shared.db import Database
from shared.settings import Settings, parse_settings
from shared.users import verify_password
from tests.helpers.catalogs import small_catalog

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "assets/catalog/sample.toml"
SAMPLE_CONFIG = ROOT / "assets/config/motcua.sample.toml"

TICKET_KEYS = {
    "id",
    "number",
    "service",
    "status",
    "priority",
    "issued_at",
    "called_at",
    "counter",
    "ahead",
}

Run = Callable[..., subprocess.CompletedProcess[str]]


# --- helpers ---------------------------------------------------------------------------------


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The current environment (with the isolated XDG_* folders), without MOTCUA_* leftovers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env.update(extra or {})
    return env


@pytest.fixture
def motcua(motcua_bin: str) -> Run:
    """Run ``motcua ARGS…``; returns the completed process (text, UTF-8)."""

    def run(
        *args: str,
        env: dict[str, str] | None = None,
        input: str | None = None,
        timeout: float = 120,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [motcua_bin, *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=_env(env),
            input=input,
            timeout=timeout,
        )

    return run


def ok(proc: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout: {proc.stdout}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr
    return proc


def refused(proc: subprocess.CompletedProcess[str], code: int) -> str:
    """Assert exit ``code``, no traceback and nothing on stdout; return stderr."""
    assert proc.returncode == code, f"exit {proc.returncode}\nstdout: {proc.stdout}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.strip(), "a refusal must explain itself on stderr"
    return proc.stderr


def as_json(proc: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(ok(proc).stdout)


@pytest.fixture
def sample_db(motcua: Run, sqlite_url: str) -> str:
    """An SQLite database with the schema and the sample catalogue, loaded through the CLI."""
    ok(motcua("--db", sqlite_url, "db", "upgrade"))
    ok(motcua("--db", sqlite_url, "catalog", "import", str(SAMPLE)))
    return sqlite_url


def issue(motcua: Run, db: str, service: str, *extra: str) -> dict[str, Any]:
    return as_json(motcua("ticket", "issue", service, "--db", db, "--json", *extra))["ticket"]


def act(motcua: Run, db: str, *args: str) -> dict[str, Any]:
    return as_json(motcua("ticket", *args, "--db", db, "--json"))["ticket"]


# --- database and catalogue ------------------------------------------------------------------


def test_upgrade_import_and_show_sample_catalogue(motcua: Run, sqlite_url: str) -> None:
    """`db upgrade` and `catalog import` of the sample succeed; `catalog show --json` lists it."""
    upgraded = as_json(motcua("--db", sqlite_url, "--json", "db", "upgrade"))
    assert upgraded["revision"]
    imported = as_json(motcua("--db", sqlite_url, "--json", "catalog", "import", str(SAMPLE)))
    assert imported["changed"] is True

    shown = as_json(motcua("--db", sqlite_url, "catalog", "show", "--json"))
    services = shown["services"]
    assert all(isinstance(s["code"], str) and s["code"] for s in services)
    assert all(isinstance(s["name"], str) and s["name"] for s in services)
    codes = {s["code"] for s in services}
    assert len(shown["sectors"]) >= 8
    assert len(shown["procedures"]) >= 30
    assert len(shown["counters"]) >= 6
    for counter in shown["counters"]:
        assert isinstance(counter["number"], int)
        assert counter["services"], f"counter {counter['number']} calls no service"
        assert set(counter["services"]) <= codes
    assert {p["service"] for p in shown["procedures"]} <= codes

    # Importing the same file again changes nothing.
    again = as_json(motcua("--db", sqlite_url, "--json", "catalog", "import", str(SAMPLE)))
    assert again["changed"] is False
    assert again["revision"] == imported["revision"]


def test_global_options_before_and_after_the_sub_command(motcua: Run, sample_db: str) -> None:
    """--db/--json may stand before or after the sub-command; --db beats MOTCUA_DB_URL."""
    before = ok(motcua("--db", sample_db, "ticket", "issue", "HT"))
    assert "[id 1]" in before.stdout
    after = as_json(motcua("ticket", "issue", "HT", "--db", sample_db, "--json"))
    assert after["ticket"]["id"] == 2
    top_json = as_json(motcua("--json", "--db", sample_db, "ticket", "issue", "HT"))
    assert top_json["ticket"]["id"] == 3

    from_env = as_json(motcua("ticket", "issue", "HT", "--json", env={"MOTCUA_DB_URL": sample_db}))
    assert from_env["ticket"]["id"] == 4

    # MOTCUA_DB_URL names a database without schema: --db must win over it.
    elsewhere = Path(sample_db.removeprefix("sqlite:///")).with_name("other.sqlite3")
    env = {"MOTCUA_DB_URL": f"sqlite:///{elsewhere.as_posix()}"}
    overridden = as_json(motcua("ticket", "issue", "HT", "--db", sample_db, "--json", env=env))
    assert overridden["ticket"]["id"] == 5


# --- tickets ---------------------------------------------------------------------------------


def test_ticket_issue_json_request_id_and_priority(motcua: Run, sample_db: str) -> None:
    """`ticket issue --json` gives the ticket; a repeated request id returns the same ticket."""
    first = issue(motcua, sample_db, "HT")
    assert TICKET_KEYS <= first.keys()
    assert first["service"] == "HT"
    assert first["status"] == "waiting"
    assert first["priority"] is None
    assert first["called_at"] is None and first["counter"] is None
    assert first["ahead"] == 0
    assert first["number"]

    second = issue(motcua, sample_db, "HT", "--request-id", "kiosk-1:0042")
    again = issue(motcua, sample_db, "HT", "--request-id", "kiosk-1:0042")
    assert again["id"] == second["id"] and again["number"] == second["number"]
    assert second["id"] != first["id"] and second["number"] != first["number"]
    assert second["ahead"] == 1

    elderly = issue(motcua, sample_db, "HT", "--priority", "elderly")
    assert elderly["priority"] == "elderly"
    assert elderly["status"] == "waiting"

    unknown_group = refused(
        motcua("ticket", "issue", "HT", "--priority", "vip", "--db", sample_db, "--json"), 3
    )
    assert "vip" in unknown_group


def test_call_returns_null_when_nobody_waits(motcua: Run, sample_db: str) -> None:
    """`ticket call N --json` prints {"ticket": null} and exits 0 when nothing waits."""
    proc = ok(motcua("ticket", "call", "8", "--db", sample_db, "--json"))
    assert json.loads(proc.stdout) == {"ticket": None}
    human = ok(motcua("ticket", "call", "8", "--db", sample_db))
    assert "8" in human.stdout

    ticket = issue(motcua, sample_db, "TKQ")
    called = act(motcua, sample_db, "call", "8")
    assert called["id"] == ticket["id"]
    assert called["status"] == "called"
    assert called["counter"] == 8
    assert called["called_at"] is not None


def test_ticket_lifecycle_through_the_cli(motcua: Run, sample_db: str) -> None:
    """recall, start, finish, no-show, hold, resume, cancel and transfer, each via the CLI."""
    db = sample_db
    a = issue(motcua, db, "HT")
    b = issue(motcua, db, "HT")
    c = issue(motcua, db, "HT")

    called = act(motcua, db, "call", "3")
    assert (called["id"], called["status"], called["counter"]) == (a["id"], "called", 3)
    recalled = act(motcua, db, "recall", str(a["id"]))
    assert recalled["status"] == "called" and recalled["recall_count"] == 1
    started = act(motcua, db, "start", str(a["id"]))
    assert started["status"] == "serving" and started["started_at"] is not None
    finished = act(motcua, db, "finish", str(a["id"]))
    assert finished["status"] == "done" and finished["finished_at"] is not None

    assert act(motcua, db, "call", "3")["id"] == b["id"]
    assert act(motcua, db, "no-show", str(b["id"]))["status"] == "no_show"
    resumed = act(motcua, db, "resume", str(b["id"]))
    assert resumed["status"] == "waiting"
    assert resumed["ahead"] == 0, "a resumed ticket goes back to the front of the queue"

    again = act(motcua, db, "call", "3")
    assert again["id"] == b["id"] and again["cycle"] == 2
    held = act(motcua, db, "hold", str(b["id"]))
    assert held["status"] == "held"
    back = act(motcua, db, "resume", str(b["id"]))
    assert back["status"] == "waiting" and back["target_counter"] == 3

    assert act(motcua, db, "cancel", str(c["id"]))["status"] == "cancelled"

    moved = act(motcua, db, "transfer", str(b["id"]), "--to-service", "DD")
    assert (moved["service"], moved["status"], moved["number"]) == ("DD", "waiting", b["number"])
    assert act(motcua, db, "call", "1")["id"] == b["id"]
    to_counter = act(motcua, db, "transfer", str(b["id"]), "--to-counter", "8")
    assert to_counter["status"] == "waiting" and to_counter["target_counter"] == 8
    assert act(motcua, db, "call", "8")["id"] == b["id"]

    shown = act(motcua, db, "show", str(b["id"]))
    assert (shown["status"], shown["counter"]) == ("called", 8)


def test_illegal_transition_exits_3_with_a_message(motcua: Run, sample_db: str) -> None:
    """An illegal transition exits 3, explains itself in Vietnamese (or English with --lang)."""
    ticket = issue(motcua, sample_db, "HT")
    tid = str(ticket["id"])

    vi = refused(motcua("ticket", "finish", tid, "--db", sample_db, "--json"), 3)
    assert "Không thể" in vi and "đang chờ" in vi and ticket["number"] in vi

    en = refused(motcua("ticket", "finish", tid, "--db", sample_db, "--json", "--lang", "en"), 3)
    assert "Cannot" in en and "waiting" in en and ticket["number"] in en
    en_before = refused(motcua("--lang", "en", "--db", sample_db, "ticket", "start", tid), 3)
    assert "Cannot" in en_before

    # The refused command changed nothing.
    assert act(motcua, sample_db, "show", tid)["status"] == "waiting"
    assert act(motcua, sample_db, "cancel", tid)["status"] == "cancelled"
    refused(motcua("ticket", "cancel", tid, "--db", sample_db), 3)
    refused(motcua("ticket", "show", "999", "--db", sample_db, "--json"), 3)


def test_queue_status_json(motcua: Run, sample_db: str) -> None:
    """`queue status --json` gives waiting counts per service and every counter's ticket."""
    issue(motcua, sample_db, "HT")
    issue(motcua, sample_db, "HT", "--priority", "elderly")
    issue(motcua, sample_db, "DD")
    called = act(motcua, sample_db, "call", "1")

    status = as_json(motcua("queue", "status", "--db", sample_db, "--json"))
    waiting = {s["code"]: s for s in status["services"]}
    assert waiting["HT"]["waiting"] == 2
    assert waiting["HT"]["priority_waiting"] == 1
    assert waiting["DD"]["waiting"] == 0
    assert waiting["TKQ"]["waiting"] == 0
    counters = {c["number"]: c for c in status["counters"]}
    assert len(counters) >= 6
    assert counters[1]["ticket"]["id"] == called["id"]
    assert counters[2]["ticket"] is None
    assert "DD" in counters[1]["services"]


# --- users -----------------------------------------------------------------------------------


def test_user_add_stores_an_argon2_hash(motcua: Run, sample_db: str) -> None:
    """`user add` reads the password from stdin and stores only an argon2 hash of it."""
    args = ["user", "add", "thu.nguyen", "--role", "clerk", "--db", sample_db, "--json"]
    proc = motcua(*args, input="secret-pass-1\n")
    user = as_json(proc)["user"]
    assert (user["username"], user["role"], user["active"]) == ("thu.nguyen", "clerk", True)

    path = sample_db.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT username, role, password_hash FROM users").fetchall()
    assert len(rows) == 1
    name, role, stored = rows[0]
    assert (name, role) == ("thu.nguyen", "clerk")
    assert stored.startswith("$argon2")
    assert "secret-pass-1" not in stored

    database = Database(sample_db)
    try:
        accepted = verify_password(database, "thu.nguyen", "secret-pass-1")
        assert accepted is not None and accepted.role == "clerk"
        assert verify_password(database, "thu.nguyen", "secret-pass-2") is None
        assert verify_password(database, "thu.nguyen", "secret-pass-1\n") is None
    finally:
        database.dispose()


@pytest.mark.parametrize(
    ("name", "role", "password", "expected"),
    [
        ("an.le", "king", "secret-pass-1", "king"),
        ("an.le", "clerk", "short", "8"),
    ],
    ids=["bad-role", "short-password"],
)
def test_user_add_refusals(
    motcua: Run, sample_db: str, name: str, role: str, password: str, expected: str
) -> None:
    """A bad role or a short password exits 3 and creates no account."""
    proc = motcua("user", "add", name, "--role", role, "--db", sample_db, input=password + "\n")
    assert expected in refused(proc, 3)
    with sqlite3.connect(sample_db.removeprefix("sqlite:///")) as conn:
        assert conn.execute("SELECT count(*) FROM users").fetchone() == (0,)


# --- exit codes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["frobnicate"], ["ticket", "issue"], ["ticket", "call", "three"], ["ticket"]],
    ids=["unknown-command", "missing-argument", "bad-int", "missing-action"],
)
def test_usage_errors_exit_2(motcua: Run, sqlite_url: str, args: list[str]) -> None:
    """A usage mistake exits 2 with argparse's message."""
    proc = motcua("--db", sqlite_url, *args)
    assert proc.returncode == 2
    assert "usage:" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unknown_service_exits_3(motcua: Run, sample_db: str) -> None:
    stderr = refused(motcua("ticket", "issue", "NOPE", "--db", sample_db, "--json"), 3)
    assert "NOPE" in stderr and "motcua catalog show" in stderr


@pytest.mark.parametrize(
    "args",
    [["ticket", "issue", "HT"], ["catalog", "show"], ["catalog", "import", str(SAMPLE)]],
    ids=["issue", "show", "import"],
)
def test_database_without_schema_exits_4(motcua: Run, sqlite_url: str, args: list[str]) -> None:
    """A database with no schema exits 4 and tells the technician to run `motcua db upgrade`."""
    stderr = refused(motcua("--db", sqlite_url, *args), 4)
    assert "motcua db upgrade" in stderr


def test_unreachable_postgresql_exits_4_quickly(motcua: Run) -> None:
    """An unreachable server exits 4 within seconds, naming the address tried."""
    started = time.monotonic()
    proc = motcua("--db", "postgresql://motcua@127.0.0.1:1/nothing", "ticket", "issue", "HT")
    elapsed = time.monotonic() - started
    stderr = refused(proc, 4)
    assert "127.0.0.1:1" in stderr
    assert elapsed < 15


def test_sqlite_path_that_cannot_be_created(motcua: Run, tmp_path: Path) -> None:
    """An SQLite file under a regular file is refused calmly (exit 4 or 2), naming the path."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file, not a directory\n")
    url = f"sqlite:///{(blocker / 'sub' / 'motcua.sqlite3').as_posix()}"
    proc = motcua("--db", url, "db", "upgrade")
    assert proc.returncode in (2, 4), f"exit {proc.returncode}: {proc.stderr}"
    assert "Traceback" not in proc.stderr
    assert "not-a-folder" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [["ticket", "issue", "HT"], ["db", "status"], ["db", "upgrade"]],
    ids=["issue", "status", "upgrade"],
)
def test_schema_revision_unknown_to_this_software_exits_4(
    motcua: Run, sample_db: str, args: list[str]
) -> None:
    """A database migrated by a newer MotCua is refused with exit 4, never touched."""
    path = sample_db.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'zzzz'")
    proc = motcua("--db", sample_db, *args)
    assert proc.returncode == 4, f"exit {proc.returncode}: {proc.stderr}"
    assert "Traceback" not in proc.stderr
    assert "zzzz" in proc.stderr
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("zzzz",)]
        assert conn.execute("SELECT count(*) FROM tickets").fetchone() == (0,)


@pytest.mark.postgres
def test_plain_postgresql_url_as_users_type_it(motcua: Run, pg_url: str) -> None:
    """`postgresql://user@host:port/db` (no driver name) works for every command."""
    assert pg_url.startswith("postgresql+psycopg://")
    plain = "postgresql://" + pg_url.removeprefix("postgresql+psycopg://")

    stderr = refused(motcua("--db", plain, "ticket", "issue", "HT"), 4)
    assert "motcua db upgrade" in stderr

    ok(motcua("--db", plain, "db", "upgrade"))
    ok(motcua("--db", plain, "catalog", "import", str(SAMPLE)))
    ticket = as_json(motcua("ticket", "issue", "HT", "--db", plain, "--json"))["ticket"]
    assert ticket["status"] == "waiting"
    from_env = issue(motcua, plain, "DD")
    assert from_env["service"] == "DD"
    status = as_json(motcua("queue", "status", "--json", env={"MOTCUA_DB_URL": plain}))
    assert {s["code"]: s["waiting"] for s in status["services"]}["HT"] == 1


# --- malformed catalogues --------------------------------------------------------------------


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the ``occurrence``-th line containing ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def _break_counter_service(text: str) -> tuple[str, int, str]:
    broken = text.replace('services = ["DD"]', 'services = ["NOPE"]')
    return broken, _line_of(broken, '"NOPE"'), "counters[5].services"


def _break_agency_eid(text: str) -> tuple[str, int, str]:
    broken = text.replace('agency_eid = "000.00.10.H39"', 'agency_eid = "10-H39"')
    return broken, _line_of(broken, "agency_eid"), "centre.agency_eid"


def _break_duplicate_service(text: str) -> tuple[str, int, str]:
    broken = text.replace('code = "CT"', 'code = "HT"')
    return broken, _line_of(broken, 'code = "HT"', 2), "services[3].code"


def _break_overlap(text: str) -> tuple[str, int, str]:
    broken = text.replace("start = 1001\nend = 1999", "start = 2500\nend = 3000")
    return broken, _line_of(broken, "start = 2500"), "services[2].start"


def _break_missing_name(text: str) -> tuple[str, int, str]:
    broken = text.replace('name = "Đất đai"\nname_en = "Land"', 'name_en = "Land"')
    header = _line_of(broken, 'code = "DD"', 2) - 1  # the [[services]] line of DD
    return broken, header, "services[2].name"


def _break_toml_syntax(text: str) -> tuple[str, int, str]:
    broken = text.replace('name = "Chứng thực"', 'name = "Chứng thực')
    return broken, _line_of(broken, '"Chứng thực'), ""


@pytest.mark.parametrize(
    "breaker",
    [
        _break_counter_service,
        _break_agency_eid,
        _break_duplicate_service,
        _break_overlap,
        _break_missing_name,
        _break_toml_syntax,
    ],
    ids=["unknown-service", "agency-eid", "duplicate-code", "overlap", "missing-field", "syntax"],
)
def test_malformed_catalogue_is_refused_and_changes_nothing(
    motcua: Run,
    sqlite_url: str,
    tmp_path: Path,
    breaker: Callable[[str], tuple[str, int, str]],
) -> None:
    """A wrong catalogue exits 3 naming file, line and field; the database is unchanged."""
    good = small_catalog(tmp_path)
    ok(motcua("--db", sqlite_url, "db", "upgrade"))
    ok(motcua("--db", sqlite_url, "catalog", "import", str(good)))
    before = ok(motcua("--db", sqlite_url, "catalog", "show", "--json")).stdout

    text, line, field = breaker(good.read_text(encoding="utf-8"))
    assert text != good.read_text(encoding="utf-8"), "the breaker did not change the file"
    broken = tmp_path / "broken.toml"
    broken.write_text(text, encoding="utf-8")

    stderr = refused(motcua("--db", sqlite_url, "catalog", "import", str(broken), "--json"), 3)
    assert str(broken) in stderr
    if field:
        assert f"dòng {line}" in stderr, stderr
        assert f"“{field}”" in stderr, stderr
        en = refused(
            motcua("--db", sqlite_url, "--lang", "en", "catalog", "import", str(broken)), 3
        )
        assert f"line {line}" in en and field in en
    else:  # a TOML syntax error: the parser's own position is reported
        assert re.search(rf"\bline {line}\b", stderr), stderr

    after = ok(motcua("--db", sqlite_url, "catalog", "show", "--json")).stdout
    assert after == before


def test_missing_catalogue_file_exits_3(motcua: Run, sample_db: str, tmp_path: Path) -> None:
    missing = tmp_path / "khong-co.toml"
    stderr = refused(motcua("--db", sample_db, "catalog", "import", str(missing)), 3)
    assert str(missing) in stderr


# --- demo ------------------------------------------------------------------------------------


def _demo(motcua: Run, path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    args = ["demo", "--headless", "--visitors", "40", "--seed", "3"]
    return ok(motcua(*args, "--db", f"sqlite:///{path.as_posix()}", *extra))


def test_demo_prints_a_summary(motcua: Run, tmp_path: Path) -> None:
    """The headless demo simulates 40 visitors and reports no duplicate numbers."""
    out = _demo(motcua, tmp_path / "demo.sqlite3").stdout
    assert re.search(r"Phiếu đã phát: 40\b", out), out
    assert "không số trùng" in out
    assert (tmp_path / "demo.sqlite3").is_file()


def test_demo_json_is_repeatable_with_the_same_seed(motcua: Run, tmp_path: Path) -> None:
    """`demo --json` counts 40 tickets, no duplicates; the same seed gives the same summary."""
    first = json.loads(_demo(motcua, tmp_path / "one.sqlite3", "--json").stdout)
    second = json.loads(_demo(motcua, tmp_path / "two.sqlite3", "--json").stdout)
    summary = first["summary"]
    assert summary["total"]["tickets"] == 40
    assert summary["duplicate_numbers"] == 0
    assert summary["tickets_called_twice"] == 0
    assert sum(s["tickets"] for s in summary["services"]) == 40

    def stable(result: dict[str, Any]) -> dict[str, Any]:
        out = dict(result)
        out.pop("database")
        out["summary"] = dict(out["summary"])
        out["summary"].pop("business_day")
        return out

    assert first["database"].endswith("one.sqlite3")
    assert stable(first) == stable(second)


# --- configuration ---------------------------------------------------------------------------


def test_config_sample_equals_the_shipped_file(motcua_bin: str) -> None:
    """`motcua config sample` prints assets/config/motcua.sample.toml byte for byte."""
    proc = subprocess.run(
        [motcua_bin, "config", "sample"], capture_output=True, env=_env(), timeout=60
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert proc.stdout == SAMPLE_CONFIG.read_bytes()


def test_every_sample_option_parses_when_uncommented() -> None:
    """Each `# key = value` line of the sample, uncommented, is a valid setting (its default)."""
    text = SAMPLE_CONFIG.read_text(encoding="utf-8")
    option = re.compile(r"^# (\w+) = (.+)$")
    section = None
    uncommented: list[str] = []
    options = 0
    for line in text.splitlines():
        if re.match(r"^\[\w+\]$", line):
            section = line[1:-1]
        match = option.match(line)
        if match:
            assert section is not None
            options += 1
            single = tomllib.loads(f"[{section}]\n{match[1]} = {match[2]}\n")
            parsed = parse_settings(single, source="sample")
            assert getattr(getattr(parsed, section), match[1]) == getattr(
                getattr(Settings(), section), match[1]
            )
            line = line[2:]
        uncommented.append(line)
    assert options >= 7
    assert parse_settings(tomllib.loads("\n".join(uncommented)), source="sample") == Settings()


def test_output_piped_to_a_reader_that_stops_early(motcua_bin: str, sample_db: str) -> None:
    """`motcua catalog show --json | head -1`: no error message when the reader goes away."""
    proc = subprocess.Popen(
        [motcua_bin, "catalog", "show", "--json", "--db", sample_db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `head` exiting before the command has written anything
    stderr = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=60) == 0
    assert stderr == ""
