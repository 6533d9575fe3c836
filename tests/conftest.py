"""Shared fixtures: real SQLite files and a real PostgreSQL server started by the suite."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from shared.catalog import import_catalog, load_catalog_file
from shared.clock import CLOCK_ENV, current, system_clock, using
from shared.db import Database
from shared.queue import QueueEngine
from shared.resources import asset
from tests.helpers.catalogs import small_catalog
from tests.helpers.clock import TestClock, vn
from tests.helpers.pgserver import PgServer

ROOT = Path(__file__).resolve().parent.parent
_names = itertools.count()


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """Keep config, data and logs of every test out of the real user's folders."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.delenv("MOTCUA_DB_URL", raising=False)
    monkeypatch.delenv("MOTCUA_CONFIG", raising=False)


def pytest_report_header() -> str:
    clock = current()
    if clock is system_clock:
        return "product clock: this computer's time"
    return f"product clock: {CLOCK_ENV}={clock().isoformat()} (shifted)"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClock]:
    """The product's clock standing still on Wednesday 18/11/2026 at 09:00 in Việt Nam (an
    ordinary working morning) until the test sets or moves it; every part of the product reads
    it, and programs the test starts run on from it (``MOTCUA_CLOCK``)."""
    monkeypatch.setenv(CLOCK_ENV, "")  # put back as it was after the test
    fixed = TestClock(vn(2026, 11, 18, 9, 0))
    fixed.set(fixed())
    with using(fixed):
        yield fixed


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    server = PgServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    return pg_server.create_database(f"t{os.getpid()}_{next(_names)}")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{(tmp_path / 'motcua.sqlite3').as_posix()}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on an SQLite file and on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{(tmp_path / 'motcua.sqlite3').as_posix()}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    database.upgrade()
    yield database
    database.dispose()


@pytest.fixture
def load_catalog(db: Database, tmp_path: Path) -> Callable[..., QueueEngine]:
    """Import the small test catalogue with the given queue options; return its engine."""

    def load(**options: object) -> QueueEngine:
        import_catalog(db, load_catalog_file(small_catalog(tmp_path, **options)))  # type: ignore[arg-type]
        return QueueEngine(db, "TEST")

    return load


@pytest.fixture
def engine(load_catalog: Callable[..., QueueEngine]) -> QueueEngine:
    return load_catalog()


@pytest.fixture
def motcua_bin() -> str:
    """The installed ``motcua`` console script of this environment."""
    candidate = Path(sys.executable).with_name("motcua")
    if not candidate.exists():
        pytest.fail("the motcua command is not installed: run scripts/setup.sh")
    return str(candidate)


@pytest.fixture
def sample_url(tmp_path: Path) -> str:
    """A fresh SQLite file with the sample catalogue (the apps' tests run on it)."""
    url = f"sqlite:///{(tmp_path / 'sample.sqlite3').as_posix()}"
    database = Database(url)
    database.upgrade()
    import_catalog(database, load_catalog_file(asset("catalog", "sample.toml")))
    database.dispose()
    return url


@pytest.fixture
def sample_db(sample_url: str) -> Iterator[Database]:
    database = Database(sample_url)
    yield database
    database.dispose()
