"""A throw-away PostgreSQL server for the test suite.

The server lives in a fresh temporary directory, listens only on 127.0.0.1 at a free port,
trusts every local connection and is removed again by :meth:`PgServer.stop` (also registered
with :mod:`atexit`).  PostgreSQL refuses to run as root, so when the tests run as root the
server is run as the ``postgres`` user (or a system user ``motcua-test`` that is created on
demand) through ``runuser``.
"""

from __future__ import annotations

import atexit
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

__all__ = ["PgServer", "PgServerError", "find_pg_bin", "pid_alive"]

PG_TOOLS = ("initdb", "pg_ctl", "postgres")
DEFAULT_SUPERUSER = "motcua"
DEFAULT_DBNAME = "postgres"
FALLBACK_OS_USER = "motcua-test"
START_TIMEOUT = 30.0
INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found. "
    "Install them with `apt-get install postgresql`, or point MOTCUA_PG_BIN at the directory "
    "that holds them (e.g. /usr/lib/postgresql/15/bin)."
)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
# sun_path is 108 bytes on Linux; the socket file is "<dir>/.s.PGSQL.<port>".
_MAX_SOCKET_DIR_LEN = 80


class PgServerError(RuntimeError):
    """The test PostgreSQL server could not be set up, started or stopped."""


def _has_tools(directory: Path) -> bool:
    return all(os.access(directory / tool, os.X_OK) for tool in PG_TOOLS)


def _version_key(bin_dir: Path) -> tuple[int, ...]:
    parts = re.findall(r"\d+", bin_dir.parent.name)
    return tuple(int(p) for p in parts) if parts else (-1,)


def find_pg_bin() -> Path:
    """Return the directory holding ``initdb``, ``pg_ctl`` and ``postgres``.

    Order: ``$MOTCUA_PG_BIN``; the highest version under ``/usr/lib/postgresql/*/bin``
    (Debian's layout); the directory of ``initdb`` on ``PATH``.
    """
    override = os.environ.get("MOTCUA_PG_BIN")
    if override:
        path = Path(override).expanduser()
        if not _has_tools(path):
            raise PgServerError(
                f"MOTCUA_PG_BIN={override!r} does not contain {', '.join(PG_TOOLS)}. "
                + INSTALL_HINT
            )
        return path

    # postgresql-client alone creates /usr/lib/postgresql/N/bin too (psql, pg_dump, ...),
    # so only directories that really hold the server tools count.
    candidates = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if _has_tools(p)]
    if candidates:
        return max(candidates, key=_version_key)

    which = shutil.which("initdb")
    if which:
        for directory in (Path(which).parent, Path(which).resolve().parent):
            if _has_tools(directory):
                return directory
    raise PgServerError(INSTALL_HINT)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ensure_os_user() -> pwd.struct_passwd:
    """The unprivileged account that runs the server when we are root."""
    for name in ("postgres", FALLBACK_OS_USER):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    proc = subprocess.run(
        [
            "useradd",
            "--system",
            "--no-create-home",
            "--home-dir",
            "/nonexistent",
            "--shell",
            "/usr/sbin/nologin",
            FALLBACK_OS_USER,
        ],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        # Exit status 9 (name already in use) means a parallel run created it first.
        return pwd.getpwnam(FALLBACK_OS_USER)
    except KeyError:
        raise PgServerError(
            f"could not create system user {FALLBACK_OS_USER!r} to run PostgreSQL "
            f"(useradd exit {proc.returncode}): {proc.stderr.strip()}"
        ) from None


def _reachable_by_others(directory: Path) -> bool:
    """Whether every ancestor of ``directory`` can be traversed by an unprivileged user."""
    for parent in [directory, *directory.parents]:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            return False
    return True


def _make_base_dir(as_other_user: bool) -> Path:
    base = Path(tempfile.gettempdir()).resolve()
    too_long = len(str(base)) > _MAX_SOCKET_DIR_LEN - 30
    if too_long or (as_other_user and not _reachable_by_others(base)):
        base = Path("/tmp")
    return Path(tempfile.mkdtemp(prefix="motcua-pg-", dir=base))


def pid_alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie.

    The postmaster is detached by pg_ctl and re-parented to PID 1, which may reap it late,
    so a stopped server can linger as a zombie for a moment.
    """
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    state = stat_line.rsplit(")", 1)[-1].split()[0]
    return state not in ("Z", "X")


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"<no log: {exc}>"
    return "\n".join(text.splitlines()[-lines:])


class PgServer:
    """A private PostgreSQL cluster started for the duration of a test session.

    >>> with PgServer() as pg:
    ...     engine = sqlalchemy.create_engine(pg.create_database("t1"))
    """

    def __init__(
        self,
        *,
        bin_dir: Path | None = None,
        superuser: str = DEFAULT_SUPERUSER,
        dbname: str = DEFAULT_DBNAME,
        max_connections: int = 200,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        self.bin_dir: Path = Path(bin_dir) if bin_dir is not None else find_pg_bin()
        self.superuser = superuser
        self.dbname = dbname
        self.max_connections = max_connections
        self.start_timeout = start_timeout
        self.host = "127.0.0.1"
        self.port: int | None = None
        self.base_dir: Path | None = None
        self.os_user: str | None = None
        self._uid: int | None = None
        self._gid: int | None = None
        self._running = False

    # -- paths ------------------------------------------------------------------------------

    def _base(self) -> Path:
        if self.base_dir is None:
            raise PgServerError("PgServer has not been started")
        return self.base_dir

    @property
    def data_dir(self) -> Path:
        return self._base() / "data"

    @property
    def socket_dir(self) -> Path:
        return self._base() / "sock"

    @property
    def log_file(self) -> Path:
        return self._base() / "postgres.log"

    @property
    def running(self) -> bool:
        return self._running

    # -- connection strings -----------------------------------------------------------------

    def _require_port(self) -> int:
        if self.port is None or not self._running:
            raise PgServerError("PgServer is not running")
        return self.port

    def url_for(self, dbname: str) -> str:
        """SQLAlchemy URL (psycopg 3 driver) for database ``dbname`` on this server."""
        return f"postgresql+psycopg://{self.superuser}@{self.host}:{self._require_port()}/{dbname}"

    def dsn_for(self, dbname: str) -> str:
        """libpq connection string for plain ``psycopg.connect``."""
        return make_conninfo(
            host=self.host, port=self._require_port(), user=self.superuser, dbname=dbname
        )

    @property
    def url(self) -> str:
        return self.url_for(self.dbname)

    @property
    def dsn(self) -> str:
        return self.dsn_for(self.dbname)

    @property
    def pid(self) -> int | None:
        """PID of the postmaster (first line of ``postmaster.pid``), if it is running."""
        try:
            first = (self.data_dir / "postmaster.pid").read_text().splitlines()[0]
        except (OSError, IndexError, PgServerError):
            return None
        return int(first) if first.strip().isdigit() else None

    # -- lifecycle --------------------------------------------------------------------------

    def _command(self, tool: str, *args: str) -> list[str]:
        cmd = [str(self.bin_dir / tool), *args]
        if self.os_user is not None:
            cmd = ["runuser", "-u", self.os_user, "--", *cmd]
        return cmd

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C", LANG="C")
        proc = subprocess.run(
            self._command(tool, *args),
            cwd=self._base(),
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and proc.returncode != 0:
            raise PgServerError(
                f"{tool} failed with exit status {proc.returncode}\n"
                f"command: {' '.join(proc.args)}\n"
                f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
                + (f"\nserver log tail:\n{_tail(self.log_file)}" if tool == "pg_ctl" else "")
            )
        return proc

    def _chown(self, path: Path) -> None:
        if self._uid is not None and self._gid is not None:
            os.chown(path, self._uid, self._gid)

    def start(self) -> PgServer:
        if self._running:
            return self
        as_root = os.geteuid() == 0
        if as_root:
            account = _ensure_os_user()
            self.os_user, self._uid, self._gid = account.pw_name, account.pw_uid, account.pw_gid
        self.base_dir = _make_base_dir(as_other_user=as_root)
        atexit.register(self.stop)
        try:
            self._chown(self.base_dir)
            self.socket_dir.mkdir(mode=0o700)
            self._chown(self.socket_dir)
            self._run(
                "initdb",
                "-D",
                str(self.data_dir),
                "--auth=trust",
                "-U",
                self.superuser,
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            )
            self._start_server()
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_server(self, attempts: int = 3) -> None:
        for attempt in range(1, attempts + 1):
            self.port = _free_port()
            self.log_file.unlink(missing_ok=True)  # so the log only tells about this attempt
            options = (
                f"-p {self.port} -k {self.socket_dir} "
                f"-c listen_addresses={self.host} "
                f"-c max_connections={self.max_connections} -c fsync=on"
            )
            proc = self._run(
                "pg_ctl",
                "-D",
                str(self.data_dir),
                "-o",
                options,
                "-l",
                str(self.log_file),
                "-t",
                str(int(self.start_timeout)),
                "-w",
                "start",
                check=False,
            )
            if proc.returncode == 0:
                self._running = True
                return
            log = _tail(self.log_file)
            # Someone grabbed the port between _free_port() and the bind: pick another one.
            if "Address already in use" in log and attempt < attempts:
                self._pg_ctl_stop("immediate")
                continue
            raise PgServerError(
                f"pg_ctl start failed with exit status {proc.returncode}\n"
                f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}\nserver log tail:\n{log}"
            )

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            try:
                with psycopg.connect(self.dsn, connect_timeout=2) as conn:
                    conn.execute("SELECT 1")
                return
            except psycopg.OperationalError as exc:
                last_error = exc
                time.sleep(0.1)
        raise PgServerError(
            f"PostgreSQL on {self.host}:{self.port} did not accept connections within "
            f"{self.start_timeout:.0f} s: {last_error}\nserver log tail:\n{_tail(self.log_file)}"
        )

    def create_database(self, name: str) -> str:
        """Create a fresh, empty UTF-8 database and return its SQLAlchemy URL."""
        if not _IDENTIFIER.match(name):
            raise ValueError(f"not a plain database name: {name!r}")
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
                    sql.Identifier(name)
                )
            )
        return self.url_for(name)

    def stop(self) -> None:
        """Stop the server and delete its directory. Safe to call more than once."""
        atexit.unregister(self.stop)
        base = self.base_dir
        if base is None:
            return
        try:
            if (base / "data" / "postmaster.pid").exists():
                if self._pg_ctl_stop("fast").returncode != 0:
                    self._kill_postmaster()
        finally:
            self._running = False
            self.base_dir = None
            shutil.rmtree(base, ignore_errors=True)

    def restart(self, while_down: Callable[[], object] | None = None) -> PgServer:
        """Stop the server and start the same cluster again: same data directory, same port.

        Clients see a real outage (a "fast" shutdown ends their sessions); ``while_down``, if
        given, runs while the server is stopped. The data (databases, events) survives.
        """
        port = self._require_port()
        if self._pg_ctl_stop("fast").returncode != 0:
            self._kill_postmaster()
        self._running = False
        try:
            if while_down is not None:
                while_down()
        finally:
            options = (
                f"-p {port} -k {self.socket_dir} "
                f"-c listen_addresses={self.host} "
                f"-c max_connections={self.max_connections} -c fsync=on"
            )
            self._run(
                "pg_ctl",
                "-D",
                str(self.data_dir),
                "-o",
                options,
                "-l",
                str(self.log_file),
                "-t",
                str(int(self.start_timeout)),
                "-w",
                "start",
            )
            self._running = True
            self._wait_until_ready()
        return self

    def _pg_ctl_stop(self, mode: str) -> subprocess.CompletedProcess[str]:
        return self._run(
            "pg_ctl", "-D", str(self.data_dir), "-m", mode, "-t", "30", "-w", "stop", check=False
        )

    def _kill_postmaster(self) -> None:
        pid = self.pid
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGQUIT)  # immediate shutdown
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if not pid_alive(pid):
                return
            time.sleep(0.1)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    # -- context manager --------------------------------------------------------------------

    def __enter__(self) -> PgServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = f"{self.host}:{self.port}" if self._running else "stopped"
        return f"<PgServer {state} bin={self.bin_dir}>"
