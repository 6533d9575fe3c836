"""A network receipt printer stand-in: a real TCP listener on 127.0.0.1, run in a thread.

It records every byte it receives, per connection, and answers the real-time status requests
``DLE EOT n`` (n = 1 printer, 2 offline cause, 3 error cause, 4 paper roll sensor) the way an
Epson-compatible printer does, in one of these modes:

``ok``            online, paper present, cover closed;
``paper_out``     offline, stopped by paper end, roll sensor says no paper;
``paper_low``     online, roll sensor says paper near end;
``cover_open``    offline, cover open;
``cutter_error``  offline, error: autocutter;
``silent``        reads everything, never answers a status request (many cheap printers);
``stall``         accepts the connection, never reads (tiny receive buffer) nor answers;
``hangup``        answers status like ``ok``, then drops the connection at the job's first bytes;
``refuse``        nothing listens: the port is bound but not listening, so connecting is refused.

Status requests are answered only while a connection has sent nothing else yet: the client asks
before the job, and a ``DLE EOT`` inside image data must not be taken for a request.
"""

from __future__ import annotations

import selectors
import socket
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType

DLE, EOT = 0x10, 0x04

# Answers per mode to DLE EOT 1, 2, 3, 4. Every answer has bit 1 and bit 4 set, bits 0, 7 clear.
_FINE = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}
ANSWERS: dict[str, dict[int, int]] = {
    "ok": _FINE,
    "paper_out": {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x72},
    "paper_low": {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E},
    "cover_open": {1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12},
    "cutter_error": {1: 0x1A, 2: 0x52, 3: 0x1A, 4: 0x12},
    "hangup": _FINE,
}
MODES = (*ANSWERS, "silent", "stall", "refuse")


@dataclass
class Connection:
    """What one client connection sent."""

    received: bytearray = field(default_factory=bytearray)
    status_requests: list[int] = field(default_factory=list)
    prefix_length: int = 0  # bytes of leading status requests
    in_prefix: bool = True  # nothing but status requests received so far
    closed: bool = False

    @property
    def payload(self) -> bytes:
        """The bytes after the leading status requests: the print job."""
        return bytes(self.received[self.prefix_length :])


class FakePrinter:
    """``with FakePrinter("ok") as printer: … printer.port …``"""

    def __init__(self, mode: str = "ok") -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.mode = mode
        self.host = "127.0.0.1"
        self.connections: list[Connection] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._held: list[socket.socket] = []
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if mode == "stall":
            # Set before listen() so that accepted sockets advertise a tiny window.
            self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        self._listener.bind((self.host, 0))
        self.port: int = self._listener.getsockname()[1]

    @property
    def label(self) -> str:
        return f"{self.host}:{self.port}"

    # --- life ------------------------------------------------------------------------------

    def start(self) -> FakePrinter:
        if self.mode != "refuse":
            self._listener.listen(8)
            self._listener.setblocking(False)
            self._thread = threading.Thread(
                target=self._serve, name=f"fake-printer-{self.mode}", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            if self._thread.is_alive():
                raise RuntimeError("fake printer thread did not stop")
            self._thread = None
        for sock in self._held:
            sock.close()
        self._held.clear()
        self._listener.close()

    def __enter__(self) -> FakePrinter:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # --- what was received -----------------------------------------------------------------

    @property
    def received(self) -> bytes:
        """Every byte of every connection, in order of connection."""
        with self._lock:
            return b"".join(bytes(c.received) for c in self.connections)

    @property
    def status_requests(self) -> list[int]:
        with self._lock:
            return [n for c in self.connections for n in c.status_requests]

    def wait_closed(self, count: int = 1, timeout: float = 5.0) -> list[Connection]:
        """Wait until ``count`` connections were closed by the client; the closed ones."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                closed = [c for c in self.connections if c.closed]
                if len(closed) >= count:
                    return closed
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(closed)} of {count} connections closed")
                self._changed.wait(left)

    # --- the server thread -----------------------------------------------------------------

    def _serve(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self._listener, selectors.EVENT_READ, None)
        try:
            while not self._stop.is_set():
                for key, _ in selector.select(timeout=0.02):
                    if key.data is None:
                        self._accept(selector)
                    else:
                        self._read(selector, key.fileobj, key.data)  # type: ignore[arg-type]
        finally:
            for key in list(selector.get_map().values()):
                if key.data is not None:
                    key.fileobj.close()  # type: ignore[union-attr]
            selector.close()

    def _accept(self, selector: selectors.BaseSelector) -> None:
        try:
            sock, _ = self._listener.accept()
        except BlockingIOError:
            return
        connection = Connection()
        with self._changed:
            self.connections.append(connection)
            self._changed.notify_all()
        if self.mode == "stall":
            self._held.append(sock)  # never read: the client's sends fill the window and block
            return
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ, connection)

    def _read(
        self, selector: selectors.BaseSelector, sock: socket.socket, connection: Connection
    ) -> None:
        try:
            chunk = sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        with self._changed:
            if chunk:
                connection.received += chunk
            else:
                connection.closed = True
            answers = self._answers(connection)
            self._changed.notify_all()
        if answers:
            try:
                sock.sendall(answers)
            except OSError:
                pass
        if self.mode == "hangup" and not connection.in_prefix and not connection.closed:
            with self._changed:
                connection.closed = True
                self._changed.notify_all()
            chunk = b""
        if not chunk:
            selector.unregister(sock)
            sock.close()

    def _answers(self, connection: Connection) -> bytes:
        """Answer the complete status requests at the start of the connection."""
        if not connection.in_prefix:
            return b""
        out = bytearray()
        data = connection.received
        pos = connection.prefix_length
        while pos + 3 <= len(data) and data[pos] == DLE and data[pos + 1] == EOT:
            n = data[pos + 2]
            if n not in (1, 2, 3, 4):
                break
            connection.status_requests.append(n)
            pos += 3
            answer = ANSWERS.get(self.mode, {}).get(n)
            if answer is not None:
                out.append(answer)
        connection.prefix_length = pos
        tail = bytes(data[pos : pos + 3])
        # A request cut between two reads is finished by the next read; anything else ends the
        # prefix for good.
        if tail and tail not in (bytes([DLE]), bytes([DLE, EOT])):
            connection.in_prefix = False
        return bytes(out)
