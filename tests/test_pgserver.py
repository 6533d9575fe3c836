"""The test suite's own PostgreSQL server really starts, speaks UTF-8 and goes away again."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text

from tests.helpers.pgserver import PgServer, PgServerError, find_pg_bin, pid_alive

VIETNAMESE = "Kính mời công dân có số thứ tự 1023 đến quầy số 5"


def _proc_uid(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])  # real uid; effective/saved follow
    raise AssertionError(f"no Uid line for pid {pid}")


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.postgres
def test_pgserver_lifecycle() -> None:
    server = PgServer()
    server.start()
    try:
        assert server.port is not None
        port = server.port
        base_dir = server.base_dir
        assert base_dir is not None
        assert server.url == f"postgresql+psycopg://motcua@127.0.0.1:{port}/postgres"
        assert _port_open(port)

        with psycopg.connect(server.dsn) as conn:
            row = conn.execute("SELECT current_setting('server_encoding')").fetchone()
            assert row == ("UTF8",)
            row = conn.execute("SELECT current_setting('max_connections')::int").fetchone()
            assert row is not None and row[0] >= 40

        url = server.create_database("motcua_pgserver_check")
        assert url.endswith(f":{port}/motcua_pgserver_check")
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                conn.execute(text("CREATE TABLE announcement (id serial PRIMARY KEY, body text)"))
                conn.execute(text("INSERT INTO announcement (body) VALUES (:b)"), {"b": VIETNAMESE})
            with engine.connect() as conn:
                body = conn.execute(text("SELECT body FROM announcement")).scalar_one()
                length = conn.execute(text("SELECT length(body) FROM announcement")).scalar_one()
            assert body == VIETNAMESE
            assert length == len(VIETNAMESE)  # characters, not bytes
        finally:
            engine.dispose()

        # PostgreSQL must not run as root: look at the postmaster itself, not at usename.
        pid_file = server.data_dir / "postmaster.pid"
        assert pid_file.stat().st_uid != 0
        pid = server.pid
        assert pid is not None
        uid = _proc_uid(pid)
        assert uid != 0
        assert uid == pid_file.stat().st_uid
        if os.geteuid() != 0:
            assert uid == os.geteuid()
    finally:
        server.stop()

    assert not server.running
    assert not _port_open(port)
    assert not base_dir.exists()
    assert not pid_alive(pid)  # gone, or a zombie waiting for PID 1 to reap it
    server.stop()  # idempotent


@pytest.mark.postgres
def test_pgserver_context_manager() -> None:
    with PgServer() as server:
        port = server.port
        assert port is not None
        with psycopg.connect(server.dsn) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    assert not _port_open(port)


def test_find_pg_bin_rejects_bad_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MOTCUA_PG_BIN", str(tmp_path))
    with pytest.raises(PgServerError, match="apt-get install postgresql"):
        find_pg_bin()
