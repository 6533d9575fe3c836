"""``motcua db roles``: each kind of PC logs in with only what it needs (PostgreSQL).

The waiting-room display's login can read the queue and write nothing; the kiosk's issues
numbers and looks dossiers up but cannot read a citizen's name, ID number, address or phone;
the counter's serves and receives dossiers but cannot change the catalogue. Each program still
does its whole job under its own login.
"""

from __future__ import annotations

import itertools
import os
import subprocess
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from shared.catalog import import_catalog, load_catalog_file
from shared.db import Database
from shared.dossier_views import Party, ReceiveForm
from shared.dossiers import DossierDesk, lookup
from shared.errors import DatabaseNotAllowed
from shared.queue import QueueEngine
from shared.resources import asset
from shared.users import add_user

pytestmark = pytest.mark.postgres

NAME = "Nguyễn Thị Ngọc Ánh"
CCCD = "079301000123"
_logins = itertools.count()


@pytest.fixture
def centre(pg_url: str) -> Iterator[Database]:
    db = Database(pg_url)
    db.upgrade()
    import_catalog(db, load_catalog_file(asset("catalog", "sample.toml")))
    yield db
    db.dispose()


def as_login(pg_url: str, name: str) -> Database:
    url = make_url(pg_url).set(username=name, password="mat-khau-may-tram")
    return Database(url.render_as_string(hide_password=False))


@pytest.fixture
def logins(centre: Database, pg_url: str, motcua_bin: str) -> dict[str, str]:
    n = next(_logins)
    names = {kind: f"{kind}_pc{os.getpid()}_{n}" for kind in ("display", "kiosk", "counter")}
    args = [arg for kind, name in names.items() for arg in ("--login", f"{kind}:{name}")]
    done = subprocess.run(
        [motcua_bin, "--db", pg_url, "--json", "db", "roles", *args],
        input="mat-khau-may-tram\n" * len(names),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return names


def denied(db: Database, statement: str) -> bool:
    try:
        with db.transaction() as s:
            s.execute(text(statement))
    except DatabaseNotAllowed:
        return True
    return False


def test_the_display_reads_the_queue_and_writes_nothing(
    centre: Database, pg_url: str, logins: dict[str, str]
) -> None:
    from shared.board import load_board_source

    QueueEngine(centre).issue("HT")
    display = as_login(pg_url, logins["display"])
    try:
        source = load_board_source(display)  # what the screen reads at start
        assert source.centre_name and source.status.services
        with pytest.raises(DatabaseNotAllowed) as caught:
            QueueEngine(display).issue("HT")
        assert "không được phép" in caught.value.message
        for statement in (
            "UPDATE tickets SET status = 'cancelled'",
            "DELETE FROM tickets",
            "INSERT INTO events (kind, at, data) VALUES ('x', now(), '{}')",
            "UPDATE services SET name = 'x'",
            "SELECT * FROM dossiers",
            "SELECT * FROM users",
        ):
            assert denied(display, statement), statement
    finally:
        display.dispose()


def test_the_kiosk_issues_and_looks_up_but_cannot_read_a_citizens_dossier(
    centre: Database, pg_url: str, logins: dict[str, str]
) -> None:
    from kiosk.model import load_home

    clerk = add_user(centre, "lan", "mat-khau-dai-du", "clerk", full_name="Trần Thị Lan")
    form = ReceiveForm(
        procedure_code="1.001193",
        applicant=Party(
            kind="person", name=NAME, id_type="cccd", id_number=CCCD, phone="0912345678"
        ),
    )
    received = DossierDesk(centre, None, clerk.id).receive(form)
    kiosk = as_login(pg_url, logins["kiosk"])
    try:
        home = load_home(kiosk, None)
        assert home.services
        engine = QueueEngine(kiosk)
        assert engine.issue("HT", request_id="k1").number
        assert engine.reserve_block("kiosk-pc", "DD", 5) is not None
        assert engine.print_details(engine.issue("DD").id).secret
        view = lookup(kiosk, received.code, received.secret)  # the citizen scans the slip
        assert view.applicant_masked == "N*** T*** N*** Á***" and view.status == 2
        for statement in (
            "SELECT name FROM dossier_parties",
            "SELECT id_number, phone FROM dossier_parties",
            "SELECT search_key FROM dossiers",
            "SELECT * FROM dossiers",
            "SELECT name FROM dossier_documents",
            "SELECT password_hash FROM users",
            "UPDATE services SET name = 'x'",
            "DELETE FROM tickets",
        ):
            assert denied(kiosk, statement), statement
    finally:
        kiosk.dispose()


def test_the_counter_serves_and_receives_but_cannot_change_the_catalogue(
    centre: Database, pg_url: str, logins: dict[str, str], tmp_path
) -> None:
    clerk = add_user(centre, "lan", "mat-khau-dai-du", "clerk", full_name="Trần Thị Lan")
    QueueEngine(centre).issue("DD")
    counter = as_login(pg_url, logins["counter"])
    try:
        engine = QueueEngine(counter, user_id=clerk.id)
        called = engine.call_next(1)
        assert called is not None and engine.finish(called.id).status == "done"
        desk = DossierDesk(counter, None, clerk.id)
        view = desk.receive(
            ReceiveForm(procedure_code="1.001193", applicant=Party(kind="person", name=NAME))
        )
        assert desk.show(view.code).applicant.name == NAME
        changed = tmp_path / "changed.toml"
        changed.write_text(
            asset("catalog", "sample.toml")
            .read_text(encoding="utf-8")
            .replace('"Hộ tịch"', '"Hộ tịch – đổi tên"', 1),
            encoding="utf-8",
        )
        with pytest.raises(DatabaseNotAllowed):
            import_catalog(counter, load_catalog_file(changed))
        for statement in (
            "UPDATE users SET role = 'admin'",
            "DELETE FROM events",
            "DELETE FROM dossiers",
            "INSERT INTO calendar_days (day, kind, reason, source) "
            "VALUES ('2026-12-24', 'off', 'x', 'manual')",
        ):
            assert denied(counter, statement), statement
    finally:
        counter.dispose()


def test_the_programs_start_under_their_own_logins(
    pg_url: str, logins: dict[str, str], motcua_bin: str
) -> None:
    for app, login, said in (
        ("display", logins["display"], "display: first frame"),
        ("kiosk", logins["kiosk"], "kiosk: home"),
    ):
        url = make_url(pg_url).set(username=login, password="mat-khau-may-tram")
        done = subprocess.run(
            [motcua_bin, "--db", url.render_as_string(hide_password=False), app, "--smoke"],
            capture_output=True,
            text=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            timeout=120,
        )
        assert done.returncode == 0 and said in done.stdout, done.stdout + done.stderr


def test_roles_are_refused_on_sqlite(motcua_bin: str, sample_url: str) -> None:
    done = subprocess.run(
        [motcua_bin, "--db", sample_url, "db", "roles"], capture_output=True, text=True
    )
    assert done.returncode == 2 and "PostgreSQL" in done.stderr
