"""The database layer: schema checks, migrations, and failures that lose nothing."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from shared.db import Database, normalise_url
from shared.errors import (
    BadDatabaseUrl,
    DatabaseBusy,
    DatabaseLost,
    DatabaseUnreachable,
    SchemaOutdated,
    SchemaTooNew,
)
from shared.migrations import HEAD_REVISION, KNOWN_REVISIONS, alembic_config
from shared.models import Base, Ticket
from shared.queue import QueueEngine
from shared.settings import DatabaseSettings
from tests.helpers.pgserver import PgServer


def test_revisions_declared_in_code_match_the_migration_files() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_current_head() == HEAD_REVISION
    in_order = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert in_order == list(KNOWN_REVISIONS)


def test_migrations_build_exactly_the_model(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert db.current_revision() == HEAD_REVISION
    assert db.upgrade() == HEAD_REVISION  # a second upgrade changes nothing


def test_missing_and_unknown_schemas_are_refused(db_url: str) -> None:
    db = Database(db_url)
    with pytest.raises(SchemaOutdated) as caught:
        db.check_schema()
    assert "motcua db upgrade" in caught.value.message
    assert caught.value.exit_code == 4
    db.upgrade()
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zzzz_future'"))
    fresh = Database(db_url)
    with pytest.raises(SchemaTooNew):
        QueueEngine(fresh).status()
    fresh.dispose()
    db.dispose()


def test_two_computers_upgrading_at_once(db_url: str, motcua_bin: str) -> None:
    procs = [
        subprocess.Popen(
            [motcua_bin, "db", "upgrade", "--db", db_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert Database(db_url).current_revision() == HEAD_REVISION


def test_urls_as_people_type_them(tmp_path: Path) -> None:
    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgres://u:p@h:5433/db").drivername == "postgresql+psycopg"
    path_url = normalise_url(str(tmp_path / "x.sqlite3"))
    assert path_url.drivername == "sqlite" and path_url.database == str(tmp_path / "x.sqlite3")
    for bad in ("", "mysql://u@h/db", "sqlite+pysqlcipher:///x"):
        with pytest.raises(BadDatabaseUrl):
            normalise_url(bad)


def test_sqlite_is_set_up_for_several_processes(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    db.upgrade()
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    db.dispose()


def test_sqlite_writer_waits_then_gives_up_cleanly(sqlite_url: str, tmp_path: Path) -> None:
    """Another program holds the write lock past the busy timeout: a clear error, nothing lost."""
    from shared.catalog import import_catalog, load_catalog_file
    from tests.helpers.catalogs import small_catalog

    db = Database(sqlite_url, DatabaseSettings(busy_timeout=1.0))
    db.upgrade()
    import_catalog(db, load_catalog_file(small_catalog(tmp_path)))
    engine = QueueEngine(db, "TEST")
    engine.issue("HT")
    blocker = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusy) as caught:
            engine.issue("HT")
        assert "thử lại" in caught.value.message
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    # Once the other program lets go, work continues with the next number.
    assert engine.issue("HT").number == "2002"
    db.dispose()


@pytest.mark.postgres
def test_server_connection_lost_mid_transaction_writes_nothing(
    pg_server: PgServer, pg_url: str, tmp_path: Path
) -> None:
    from shared.catalog import import_catalog, load_catalog_file
    from tests.helpers.catalogs import small_catalog

    db = Database(pg_url)
    db.upgrade()
    import_catalog(db, load_catalog_file(small_catalog(tmp_path)))
    engine = QueueEngine(db, "TEST")
    engine.issue("HT")
    # While the ticket is written but not committed, the server drops the connection: the
    # event's insert ends the session it runs in (once: a sequence does not roll back).
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE SEQUENCE cut_once")
        conn.exec_driver_sql(
            "CREATE FUNCTION cut_connection() RETURNS trigger LANGUAGE plpgsql AS $$"
            " BEGIN IF nextval('cut_once') = 1 THEN"
            " PERFORM pg_terminate_backend(pg_backend_pid()); END IF; RETURN NEW; END $$"
        )
        conn.exec_driver_sql(
            "CREATE TRIGGER cut BEFORE INSERT ON events FOR EACH ROW"
            " EXECUTE FUNCTION cut_connection()"
        )

    with pytest.raises(DatabaseLost) as caught:
        engine.issue("HT")
    assert caught.value.exit_code == 4
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 1
    # The lost attempt consumed no number: the next ticket is 2002.
    assert engine.issue("HT").number == "2002"
    db.dispose()


def test_unreachable_server_is_reported_not_crashed() -> None:
    db = Database("postgresql://motcua@127.0.0.1:1/motcua", DatabaseSettings(busy_timeout=2))
    with pytest.raises(DatabaseUnreachable) as caught:
        db.check_schema()
    assert "127.0.0.1:1" in caught.value.message
    assert caught.value.exit_code == 4


def test_an_old_schema_is_refused_until_upgraded_and_keeps_its_data(
    db_url: str, motcua_bin: str
) -> None:
    """A database left at the first revision (an older MotCua): every command says to run
    `motcua db upgrade` (exit 4); the upgrade keeps what was there."""
    from shared.migrations import upgrade

    old = Database(db_url)
    upgrade(old.engine, "0001_initial")
    with old.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO centres (code, name, name_en, agency, agency_eid, place, "
                "timezone, priority_policy, priority_every, transfer_placement, "
                "catalog_revision, updated_at) VALUES ('OLD', 'Trung tâm cũ', '', '', "
                "'000.00.10.H39', '', 'Asia/Ho_Chi_Minh', 'strict', 3, 'keep', 1, "
                "'2026-01-02 03:04:05')"
            )
        )
    old.dispose()
    proc = subprocess.run(
        [motcua_bin, "queue", "status", "--db", db_url], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 4
    assert "0001_initial" in proc.stderr and "motcua db upgrade" in proc.stderr
    proc = subprocess.run(
        [motcua_bin, "db", "upgrade", "--db", db_url], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    db = Database(db_url)
    assert db.current_revision() == HEAD_REVISION
    with db.transaction(readonly=True) as s:
        assert s.execute(text("SELECT name FROM centres WHERE code = 'OLD'")).scalar() == (
            "Trung tâm cũ"
        )
    db.dispose()
