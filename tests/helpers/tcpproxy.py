"""A small TCP proxy standing in for the network between the PCs and the database server.

``with TcpProxy(target_host, target_port) as proxy:`` listens on 127.0.0.1:``proxy.port`` and
forwards every connection to the target, until told otherwise:

``proxy.drop()``   the network fails loudly: every connection is reset, new ones are refused
                   (reset at once);
``proxy.stall()``  the network (or the server) goes silent: connections stay open, nothing
                   gets through either way, new connections are accepted and hang;
``proxy.resume()`` back to normal for new connections; stalled ones flow again.
"""

from __future__ import annotations

import selectors
import socket
import struct
import threading
from types import TracebackType

_LINGER_RESET = struct.pack("ii", 1, 0)


class _Pair:
    def __init__(self, client: socket.socket, server: socket.socket | None) -> None:
        self.client = client
        self.server = server
        self.to_server = bytearray()
        self.to_client = bytearray()

    def close(self, reset: bool = False) -> None:
        for sock in (self.client, self.server):
            if sock is None:
                continue
            if reset:
                try:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RESET)
                except OSError:
                    pass
            sock.close()


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.mode = "pass"
        self.accepted = 0
        self._lock = threading.Lock()
        self._pairs: list[_Pair] = []
        self._stop = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.setblocking(False)
        self.host = "127.0.0.1"
        self.port: int = self._listener.getsockname()[1]
        self._wake_r, self._wake_w = socket.socketpair()
        self._thread = threading.Thread(target=self._serve, name="tcp-proxy", daemon=True)

    def __enter__(self) -> TcpProxy:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._wake()
        self._thread.join(timeout=10)
        with self._lock:
            for pair in self._pairs:
                pair.close()
            self._pairs.clear()
        self._listener.close()
        self._wake_r.close()
        self._wake_w.close()

    # --- modes -----------------------------------------------------------------------------

    def drop(self) -> None:
        with self._lock:
            self.mode = "drop"
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            pair.close(reset=True)
        self._wake()

    def stall(self) -> None:
        with self._lock:
            self.mode = "stall"
        self._wake()

    def resume(self) -> None:
        with self._lock:
            self.mode = "pass"
        self._wake()

    @property
    def connections(self) -> int:
        with self._lock:
            return len(self._pairs)

    # --- the pump --------------------------------------------------------------------------

    def _wake(self) -> None:
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass

    def _serve(self) -> None:
        while not self._stop.is_set():
            selector = selectors.DefaultSelector()
            selector.register(self._listener, selectors.EVENT_READ, "accept")
            selector.register(self._wake_r, selectors.EVENT_READ, "wake")
            with self._lock:
                mode = self.mode
                pairs = list(self._pairs)
            if mode == "pass":
                for pair in pairs:
                    if pair.server is None and not self._connect(pair):
                        continue
                    for sock, out in ((pair.client, pair.to_client), (pair.server, pair.to_server)):
                        events = selectors.EVENT_READ | (selectors.EVENT_WRITE if out else 0)
                        selector.register(sock, events, pair)
            for key, events in selector.select(timeout=0.5):
                if key.data == "wake":
                    try:
                        self._wake_r.recv(4096)
                    except OSError:
                        pass
                elif key.data == "accept":
                    self._accept(mode)
                else:
                    self._pump(key.fileobj, events, key.data)  # type: ignore[arg-type]
            selector.close()

    def _accept(self, mode: str) -> None:
        try:
            client, _ = self._listener.accept()
        except BlockingIOError:
            return
        self.accepted += 1
        if mode == "drop":
            _Pair(client, None).close(reset=True)
            return
        client.setblocking(False)
        pair = _Pair(client, None)
        with self._lock:
            self._pairs.append(pair)
        if mode == "pass":
            self._connect(pair)

    def _connect(self, pair: _Pair) -> bool:
        """Open the pair's connection to the target (a connection accepted while stalled gets
        one when the network is back)."""
        try:
            server = socket.create_connection(self.target, timeout=5)
        except OSError:
            with self._lock:
                if pair in self._pairs:
                    self._pairs.remove(pair)
            pair.close(reset=True)
            return False
        server.setblocking(False)
        pair.server = server
        return True

    def _pump(self, sock: socket.socket, events: int, pair: _Pair) -> None:
        if pair.server is None:
            return
        peer_out = pair.to_server if sock is pair.client else pair.to_client
        own_out = pair.to_client if sock is pair.client else pair.to_server
        try:
            if events & selectors.EVENT_READ:
                data = sock.recv(65536)
                if not data:
                    raise ConnectionError("closed")
                peer_out += data
            if events & selectors.EVENT_WRITE and own_out:
                sent = sock.send(own_out)
                del own_out[:sent]
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            with self._lock:
                if pair in self._pairs:
                    self._pairs.remove(pair)
            pair.close()
