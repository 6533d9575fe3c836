"""Send ESC/POS bytes to the configured printer, in bounded time, with errors a person can act on.

:func:`open_printer` builds a :class:`PrinterConnection` from :class:`PrinterSettings`;
:func:`print_bytes` opens, checks the status, sends and closes. Every failure is one of the typed
:class:`~shared.errors.PrinterError` family, whose message names the printer by its
:attr:`~PrinterConnection.label` (address, USB id, port, path or name; never a secret):

==========================  ====================================================================
PrinterNotConfigured        kind "none", or the kind's address (host, USB id, port, path) empty
PrinterUnreachable          connection refused, no route, unknown host, device or file that
                            cannot be opened or written, connection lost during the job
PrinterTimeout              the printer stopped taking data (or the OS call hung) for
                            ``settings.timeout`` seconds
PrinterOutOfPaper           status: paper end
PrinterCoverOpen            status: cover open
PrinterFault                status: cutter or unrecoverable error; driver library missing
==========================  ====================================================================

**Bounded time.** No step waits longer than about ``settings.timeout`` for a printer that makes
no progress: connecting, at most ``timeout``; the status requests, at most twice
``min(STATUS_WAIT, timeout / 2)``; sending, at most ``timeout`` without progress and
``timeout + len(data) / MIN_THROUGHPUT`` in all (a slow but working printer is not cut off
mid-ticket; a dead one is). The network
printer is driven at socket level (see :class:`NetworkPrinter`); the others go through
python-escpos's classes, each call run in a worker thread that the caller stops waiting for at
the deadline (the thread, stuck in the OS, is then abandoned with its connection).

**Status.** Where the connection can read (network, USB, serial), the printer is asked with the
real-time requests ``DLE EOT n`` before the job: n=1 (printer: online?), n=4 (paper roll sensor),
and, only when offline, n=2 (offline cause: cover open, paper end, error) and, only on error, n=3
(error cause). Many cheap printers ignore these requests over the network; a centre wants its
ticket printed anyway, so a printer that does not answer within :data:`STATUS_WAIT` seconds gets
the job without a check, and a warning is logged. Once such a printer has taken a whole job it
is not asked again for :data:`SILENT_RETRY` seconds, so it does not cost every ticket the wait
(one that stalls instead is asked again next time). Paper near its end is logged as a warning
and printed on.
"""

from __future__ import annotations

import errno
import logging
import socket
import struct
import sys
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, ClassVar, TypeVar

# Imported first: it arranges the clean-up of python-escpos's temporary folder.
import shared.printing.escpos  # noqa: F401  isort: skip
from escpos import exceptions as escpos_errors
from escpos import printer as escpos_printer

from shared.errors import (
    PrinterCoverOpen,
    PrinterError,
    PrinterFault,
    PrinterNotConfigured,
    PrinterOutOfPaper,
    PrinterTimeout,
    PrinterUnreachable,
)
from shared.settings import PrinterSettings

log = logging.getLogger("motcua.printer")

T = TypeVar("T")

DLE_EOT = b"\x10\x04"
STATUS_PRINTER = 1
STATUS_OFFLINE_CAUSE = 2
STATUS_ERROR_CAUSE = 3
STATUS_PAPER = 4

STATUS_WAIT = 1.0
"""Most seconds to wait for the answer to one status request (and at most half the timeout).
A printer that implements ``DLE EOT`` answers in milliseconds."""

SILENT_RETRY = 600.0
"""Seconds during which a printer that did not answer a status request, then took the job, is
not asked again."""

MIN_THROUGHPUT = 16_000
"""Bytes per second that even a slow printer takes: the job's allowance on top of the timeout."""

CHUNK = 16_384
"""Bytes written per call, so a printer that stops taking data is noticed between calls."""

SERIAL_CHUNK = 1024
"""Bytes written per call on a serial line (about 1 s at 9600 baud)."""

_SNDBUF = 16_384
"""Network send buffer: a stalled printer fills it quickly, so the stall is seen."""


# --- status ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer answered to the real-time status requests."""

    online: bool
    cover_open: bool = False
    paper_out: bool = False
    paper_near_end: bool = False
    error: bool = False
    cutter_error: bool = False
    unrecoverable_error: bool = False
    auto_recoverable_error: bool = False

    def problem(self, label: str) -> PrinterError | None:
        """The error to report before printing, or None when the job may go."""
        if self.cover_open:
            return PrinterCoverOpen(printer=label)
        if self.paper_out:
            return PrinterOutOfPaper(printer=label)
        if self.cutter_error:
            return PrinterFault(printer=label, detail="lỗi dao cắt giấy / cutter error")
        if self.unrecoverable_error:
            return PrinterFault(
                printer=label, detail="lỗi không tự khắc phục được / unrecoverable error"
            )
        if self.error and not self.auto_recoverable_error:
            return PrinterFault(printer=label, detail="lỗi không rõ / unknown error")
        return None


def valid_status_byte(value: int) -> bool:
    """Every ``DLE EOT`` answer has bits 1 and 4 set and bits 0 and 7 clear."""
    return value & 0x93 == 0x12


def parse_status(answers: dict[int, int]) -> PrinterStatus:
    """Read the answers to ``DLE EOT n`` (keyed by n; 1 is required, the others optional)."""
    printer = answers[STATUS_PRINTER]
    cause = answers.get(STATUS_OFFLINE_CAUSE, 0)
    error_cause = answers.get(STATUS_ERROR_CAUSE, 0)
    paper = answers.get(STATUS_PAPER, 0)
    return PrinterStatus(
        online=not printer & 0x08,
        cover_open=bool(cause & 0x04),
        paper_out=bool(cause & 0x20) or paper & 0x60 == 0x60,
        paper_near_end=paper & 0x0C == 0x0C,
        error=bool(cause & 0x40),
        cutter_error=bool(error_cause & 0x08),
        unrecoverable_error=bool(error_cause & 0x20),
        auto_recoverable_error=bool(error_cause & 0x40),
    )


_silent_lock = threading.Lock()
_silent_until: dict[str, float] = {}


def forget_silent_printers() -> None:
    """Ask every printer for its status again (printers that ignored it were remembered)."""
    with _silent_lock:
        _silent_until.clear()


# --- labels and the factory ------------------------------------------------------------------


def printer_label(settings: PrinterSettings) -> str:
    """A short name of the printer for messages: its address, never a secret."""
    kind = settings.kind
    if kind == "network":
        host = f"[{settings.host}]" if ":" in settings.host else settings.host
        return f"{host}:{settings.port}"
    if kind == "usb":
        return f"USB {settings.usb_vendor:04x}:{settings.usb_product:04x}"
    if kind == "serial":
        return settings.serial_port
    if kind == "file":
        return settings.path
    if kind in ("win32", "cups"):
        return settings.name or f"{kind} (mặc định / default)"
    return "(chưa cấu hình / not configured)"


def open_printer(settings: PrinterSettings) -> PrinterConnection:
    """An open connection to the configured printer (close it, or use it in ``with``)."""
    kinds: dict[str, type[PrinterConnection]] = {
        "network": NetworkPrinter,
        "usb": UsbPrinter,
        "serial": SerialPrinter,
        "file": FilePrinter,
        "win32": Win32Printer,
        "cups": CupsPrinter,
    }
    cls = kinds.get(settings.kind)
    if cls is None:
        raise PrinterNotConfigured()
    connection = cls(settings)
    try:
        connection.open()
    except BaseException:
        connection.abort()
        raise
    return connection


def print_bytes(settings: PrinterSettings, data: bytes) -> None:
    """Open the printer, check its status (if asked and possible), send ``data``, close."""
    started = time.monotonic()
    with open_printer(settings) as printer:
        if settings.check_status:
            printer.check_ready()
        printer.send(data)
    log.info(
        "printed %d bytes on %s printer %s in %.2f s",
        len(data),
        settings.kind,
        printer.label,
        time.monotonic() - started,
    )


# --- the connection --------------------------------------------------------------------------


class PrinterConnection(ABC):
    """One open connection to a printer: ``status()``, ``check_ready()``, ``send()``,
    ``close()``."""

    kind: ClassVar[str]
    reads_status: bool = False
    """Whether the connection can read the printer's answers (``status()`` may say something)."""

    def __init__(self, settings: PrinterSettings) -> None:
        self.settings = settings
        self.label = printer_label(settings)
        self.timeout = settings.timeout
        self.status_wait = min(STATUS_WAIT, settings.timeout / 2)
        self._unanswered = False

    # lifecycle

    @abstractmethod
    def open(self) -> None:
        """Connect; raises PrinterNotConfigured, PrinterUnreachable or PrinterTimeout."""

    @abstractmethod
    def close(self) -> None:
        """Finish and release the connection (never raises, never hangs)."""

    def abort(self) -> None:
        """Drop the connection after a failure."""
        self.close()

    def __enter__(self) -> PrinterConnection:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc is None:
            self.close()
        else:
            self.abort()

    # sending

    def send(self, data: bytes) -> None:
        """Write ``data`` to the printer within :meth:`send_budget` seconds."""
        self._send(data)
        if self._unanswered:
            self._unanswered = False
            with _silent_lock:
                _silent_until[self._silent_key] = time.monotonic() + SILENT_RETRY

    @abstractmethod
    def _send(self, data: bytes) -> None:
        """Write ``data`` within :meth:`send_budget` seconds or raise the typed error."""

    def send_budget(self, size: int) -> float:
        """Most seconds a job of ``size`` bytes may take."""
        return self.timeout + size / MIN_THROUGHPUT

    # status

    def _query(self, n: int, wait: float) -> int | None:
        """Send ``DLE EOT n``; the answer byte, or None if none came within ``wait`` seconds."""
        raise NotImplementedError

    def status(self) -> PrinterStatus | None:
        """Ask the printer now; its status, or None when the connection cannot read it or the
        printer gave no (valid) answer to the first request."""
        if not self.reads_status:
            return None
        answers: dict[int, int] = {}
        deadline = time.monotonic() + 2 * self.status_wait
        wanted = [STATUS_PRINTER, STATUS_PAPER]
        while wanted:
            n = wanted.pop(0)
            wait = min(self.status_wait, deadline - time.monotonic())
            answer = self._query(n, wait) if wait > 0 else None
            if answer is None or not valid_status_byte(answer):
                what = "no answer" if answer is None else f"unexpected answer 0x{answer:02x}"
                log.warning("printer %s: %s to status request %d", self.label, what, n)
                if n == STATUS_PRINTER:
                    return None
                continue
            answers[n] = answer
            if n == STATUS_PRINTER and answer & 0x08:  # offline: ask why
                wanted.insert(0, STATUS_OFFLINE_CAUSE)
            if n == STATUS_OFFLINE_CAUSE and answer & 0x40:  # error: ask which
                wanted.insert(0, STATUS_ERROR_CAUSE)
        return parse_status(answers)

    def check_ready(self) -> PrinterStatus | None:
        """Raise the typed error if the printer reports a problem; its status otherwise.

        A printer that does not answer gets the job (None is returned). Once such a printer
        has taken a whole job, it is taken for one that ignores status requests and is not
        asked again for :data:`SILENT_RETRY` seconds; one that then stalls is asked again.
        """
        if not self.reads_status:
            return None
        with _silent_lock:
            if _silent_until.get(self._silent_key, 0.0) > time.monotonic():
                return None
        status = self.status()
        if status is None:
            log.warning(
                "printer %s did not answer the status request within %.1f s; printing without "
                "a status check (set printer.check_status = false if it never answers)",
                self.label,
                self.status_wait,
            )
            self._unanswered = True
            return None
        problem = status.problem(self.label)
        if problem is not None:
            log.warning("printer %s not ready: %s", self.label, problem.code)
            raise problem
        if status.paper_near_end:
            log.warning("printer %s: paper near its end", self.label)
        if not status.online:
            log.warning("printer %s offline without a reported cause; sending", self.label)
        return status

    @property
    def _silent_key(self) -> str:
        return f"{self.kind}:{self.label}"

    # helpers

    def _timeout_error(self, seconds: float | None = None) -> PrinterTimeout:
        return PrinterTimeout(printer=self.label, seconds=_seconds(seconds or self.timeout))


def _seconds(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


# --- network: socket level -------------------------------------------------------------------


class NetworkPrinter(PrinterConnection):
    """A raw TCP printer (port 9100), driven with a plain socket rather than escpos's Network.

    escpos's Network turns every connection error into one DeviceNotFoundError (refused and
    timed out look alike), sends with one ``sendall`` under one timeout (a slow but working
    printer and a stalled one look alike), and reads status with ``recv(16)`` (answers may run
    together). Here: a refused connection fails at once; data goes out in chunks, and a printer
    that takes no byte for ``timeout`` seconds raises PrinterTimeout; after the last chunk the
    socket's unacknowledged bytes are watched until the printer has taken them all (Linux,
    macOS), so a job that fits in this computer's send buffer does not pass for printed when the
    printer takes none of it. (A job that fits in the printer's own receive buffer is taken by
    its network stack even when it does not print: no timeout can see that.)
    """

    kind = "network"
    reads_status = True

    def __init__(self, settings: PrinterSettings) -> None:
        super().__init__(settings)
        self._sock: socket.socket | None = None

    def open(self) -> None:
        if not self.settings.host:
            raise PrinterNotConfigured()
        host, port = self.settings.host, self.settings.port
        try:
            infos = socket.getaddrinfo(
                host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST
            )
        except OSError:  # a host name: its resolution has no timeout of its own, bound it
            infos = []
        try:
            infos = infos or _call_bounded(
                lambda: socket.getaddrinfo(host, port, type=socket.SOCK_STREAM),
                self.timeout,
                f"resolve {self.label}",
            )
        except _Hung:
            raise PrinterUnreachable(printer=self.label) from None
        except OSError as exc:
            raise PrinterUnreachable(printer=self.label) from exc
        deadline = time.monotonic() + self.timeout
        last: OSError | None = None
        for family, kind, proto, _, address in infos:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            sock = socket.socket(family, kind, proto)
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, _SNDBUF)
                # Small writes (status requests, the job's tail) go at once, not after an ACK.
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.settimeout(left)
                sock.connect(address)
            except OSError as exc:
                sock.close()
                last = exc
                continue
            self._sock = sock
            return
        log.warning("printer %s unreachable: %s", self.label, last or "connect timed out")
        raise PrinterUnreachable(printer=self.label) from last

    def _socket(self) -> socket.socket:
        if self._sock is None:
            raise PrinterUnreachable(printer=self.label)
        return self._sock

    def _query(self, n: int, wait: float) -> int | None:
        sock = self._socket()
        try:
            sock.settimeout(wait)
            sock.sendall(DLE_EOT + bytes((n,)))
            answer = sock.recv(1)
        except TimeoutError:
            return None
        except OSError as exc:
            raise PrinterUnreachable(printer=self.label) from exc
        if not answer:  # the printer closed the connection
            raise PrinterUnreachable(printer=self.label)
        return answer[0]

    def _send(self, data: bytes) -> None:
        sock = self._socket()
        started = time.monotonic()
        deadline = started + self.send_budget(len(data))
        progress = started
        view = memoryview(data)
        sent = 0
        try:
            while sent < len(data):
                left = min(progress + self.timeout, deadline) - time.monotonic()
                if left <= 0:
                    raise self._timeout_error()
                sock.settimeout(left)
                try:
                    sent += sock.send(view[sent : sent + CHUNK])
                except TimeoutError:
                    raise self._timeout_error() from None
                progress = time.monotonic()
            self._wait_taken(sock, progress, deadline)
        except OSError as exc:
            log.warning("printer %s: connection lost after %d bytes: %s", self.label, sent, exc)
            raise PrinterUnreachable(printer=self.label) from exc
        except PrinterTimeout:
            log.warning("printer %s stalled after %d of %d bytes", self.label, sent, len(data))
            raise

    def _wait_taken(self, sock: socket.socket, progress: float, deadline: float) -> None:
        """Wait until the printer acknowledged every byte, while it keeps taking them."""
        unsent = _unacknowledged(sock)
        while unsent:
            now = time.monotonic()
            if now >= min(progress + self.timeout, deadline):
                raise self._timeout_error()
            error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if error:
                raise OSError(error, "connection lost")
            time.sleep(0.005)
            left = _unacknowledged(sock)
            if left is None or left < unsent:
                progress = time.monotonic()
            unsent = left

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is None:
            return
        try:
            sock.shutdown(socket.SHUT_WR)
            # Read away late answers (a slow status reply): unread data would make the close
            # reset the connection.
            sock.setblocking(False)
            for _ in range(16):
                if not sock.recv(4096):
                    break
        except OSError:
            pass
        sock.close()

    def abort(self) -> None:
        """After a failure: reset the connection if bytes are still on their way (a stalled
        printer must not print half a ticket later), else close it normally."""
        sock = self._sock
        if sock is None:
            return
        if _unacknowledged(sock) == 0:  # unknown (None) counts as still on its way
            self.close()
            return
        self._sock = None
        linger = struct.pack("HH" if sys.platform == "win32" else "ii", 1, 0)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        except OSError:
            pass
        sock.close()


def _unacknowledged(sock: socket.socket) -> int | None:
    """Bytes written to ``sock`` that the peer has not acknowledged; None if unknown here."""
    try:
        if sys.platform.startswith("linux"):
            import fcntl
            import termios

            raw = fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")  # = SIOCOUTQ
            return int(struct.unpack("i", raw)[0])
        if sys.platform == "darwin":
            return sock.getsockopt(socket.SOL_SOCKET, 0x1024)  # SO_NWRITE
    except OSError:
        return None
    return None


# --- python-escpos backed kinds ----------------------------------------------------------------


class _Hung(Exception):
    """A bounded call did not return in time."""


def _call_bounded(call: Callable[[], T], seconds: float, what: str) -> T:
    """``call()``, or :class:`_Hung` after ``seconds`` (the call goes on in a daemon thread)."""
    box: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # handed to the caller
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=run, name=f"motcua-printer {what}", daemon=True).start()
    if not done.wait(max(seconds, 0.0)):
        raise _Hung(what)
    if "error" in box:
        raise box["error"]
    return box["value"]


def _missing_driver(label: str, library: str) -> PrinterFault:
    return PrinterFault(
        printer=label,
        detail=f"máy tính này thiếu thư viện {library} / the {library} library is not installed",
    )


class EscposPrinter(PrinterConnection):
    """A printer reached through one of python-escpos's printer classes.

    Each call into python-escpos runs in a worker thread; at the deadline the caller gets
    PrinterTimeout and the connection is abandoned (not closed: closing could wait on the very
    call that hangs). Errors of python-escpos, pyusb, pyserial and the OS become typed errors.
    """

    library: ClassVar[str] = ""

    def __init__(self, settings: PrinterSettings) -> None:
        super().__init__(settings)
        self._printer: Any = None
        self._abandoned = False

    @abstractmethod
    def _create(self) -> Any:
        """The python-escpos printer object (not yet opened)."""

    def _open_device(self) -> None:
        self._printer.open()

    def _write(self, data: bytes, deadline: float) -> None:
        for start in range(0, len(data), CHUNK):
            self._printer._raw(data[start : start + CHUNK])

    def _configured(self) -> bool:
        return True

    def _bounded(self, call: Callable[[], T], seconds: float, what: str) -> T:
        if self._abandoned:
            raise PrinterUnreachable(printer=self.label)
        try:
            return _call_bounded(call, seconds, f"{what} {self.label}")
        except _Hung:
            self._abandoned = True
            log.warning("printer %s: %s did not return in %.1f s", self.label, what, seconds)
            raise self._timeout_error(seconds) from None
        except PrinterError:
            raise
        except Exception as exc:
            error = self._translate(exc)
            if error is None:
                raise
            log.warning("printer %s: %s failed: %r", self.label, what, exc)
            raise error from exc

    def _translate(self, exc: Exception) -> PrinterError | None:
        """The typed error for an exception of python-escpos, a driver library or the OS."""
        if _is_timeout(exc):
            return self._timeout_error()
        if isinstance(exc, escpos_errors.DeviceNotFoundError | OSError):
            return PrinterUnreachable(printer=self.label)
        if isinstance(exc, escpos_errors.Error):
            return PrinterFault(printer=self.label, detail=str(exc).strip().splitlines()[0])
        if isinstance(exc, RuntimeError) and "install" in str(exc):
            return _missing_driver(self.label, self.library)
        return None

    def open(self) -> None:
        if not self._configured():
            raise PrinterNotConfigured()
        self._printer = self._bounded(self._create, self.timeout, "create")
        self._bounded(self._open_device, self.timeout, "open")

    def _send(self, data: bytes) -> None:
        budget = self.send_budget(len(data))
        deadline = time.monotonic() + budget
        self._bounded(lambda: self._write(data, deadline), budget, "send")

    def _query(self, n: int, wait: float) -> int | None:
        return self._bounded(lambda: self._read_status(n, wait), wait + 0.5, "status")

    def _read_status(self, n: int, wait: float) -> int | None:
        raise NotImplementedError

    def close(self) -> None:
        self._release(lambda printer: printer.close(), self.timeout)

    def abort(self) -> None:
        self._release(self._drop, min(0.5, self.timeout))

    def _drop(self, printer: Any) -> None:
        """Release ``printer`` after a failure, without waiting for unsent data."""
        printer.close()

    def _release(self, release: Callable[[Any], None], seconds: float) -> None:
        printer, self._printer = self._printer, None
        if printer is None or self._abandoned:
            return
        try:
            _call_bounded(lambda: release(printer), seconds, f"close {self.label}")
        except _Hung:
            log.warning("printer %s: close did not return in %.1f s", self.label, seconds)
        except Exception as exc:
            log.warning("printer %s: close failed: %r", self.label, exc)


def _is_timeout(exc: BaseException) -> bool:
    if isinstance(exc, TimeoutError):
        return True
    if type(exc).__name__ in ("USBTimeoutError", "SerialTimeoutException"):
        return True
    return isinstance(exc, OSError) and exc.errno == errno.ETIMEDOUT


class UsbPrinter(EscposPrinter):
    """A USB printer (python-escpos's Usb, pyusb). Bulk endpoints are taken from the device's
    descriptors when it has them (printers differ from escpos's 0x82/0x01)."""

    kind = "usb"
    reads_status = True
    library = "pyusb"

    def _configured(self) -> bool:
        return bool(self.settings.usb_vendor and self.settings.usb_product)

    def _create(self) -> Any:
        if not escpos_printer.Usb.is_usable():
            raise _missing_driver(self.label, self.library)
        return escpos_printer.Usb(
            idVendor=self.settings.usb_vendor,
            idProduct=self.settings.usb_product,
            timeout=self._ms(self.timeout),
        )

    @staticmethod
    def _ms(seconds: float) -> int:
        return max(1, int(seconds * 1000))

    def _open_device(self) -> None:
        self._printer.open()
        self._find_endpoints()

    def _find_endpoints(self) -> None:
        import usb.core
        import usb.util

        def bulk(direction: int) -> Callable[[Any], bool]:
            return lambda ep: (
                usb.util.endpoint_direction(ep.bEndpointAddress) == direction
                and usb.util.endpoint_type(ep.bmAttributes) == usb.util.ENDPOINT_TYPE_BULK
            )

        try:
            interface = self._printer.device.get_active_configuration()[(0, 0)]
        except (usb.core.USBError, LookupError, NotImplementedError, AttributeError) as exc:
            log.info("printer %s: endpoints not read (%r); using defaults", self.label, exc)
            return
        out_ep = usb.util.find_descriptor(interface, custom_match=bulk(usb.util.ENDPOINT_OUT))
        in_ep = usb.util.find_descriptor(interface, custom_match=bulk(usb.util.ENDPOINT_IN))
        if out_ep is not None:
            self._printer.out_ep = out_ep.bEndpointAddress
        if in_ep is not None:
            self._printer.in_ep = in_ep.bEndpointAddress
        else:
            self.reads_status = False

    def _write(self, data: bytes, deadline: float) -> None:
        progress = time.monotonic()
        for start in range(0, len(data), CHUNK):
            left = min(progress + self.timeout, deadline) - time.monotonic()
            if left <= 0:
                raise TimeoutError("usb write")
            self._printer.timeout = self._ms(left)
            self._printer._raw(data[start : start + CHUNK])
            progress = time.monotonic()

    def _read_status(self, n: int, wait: float) -> int | None:
        device = self._printer.device
        device.write(self._printer.out_ep, DLE_EOT + bytes((n,)), self._ms(wait))
        try:
            answer = device.read(self._printer.in_ep, 64, self._ms(wait))
        except Exception as exc:
            if _is_timeout(exc):
                return None
            raise
        return answer[-1] if len(answer) else None


class SerialPrinter(EscposPrinter):
    """A serial printer (python-escpos's Serial, pyserial)."""

    kind = "serial"
    reads_status = True
    library = "pyserial"

    def _configured(self) -> bool:
        return bool(self.settings.serial_port)

    def _create(self) -> Any:
        if not escpos_printer.Serial.is_usable():
            raise _missing_driver(self.label, self.library)
        return escpos_printer.Serial(
            devfile=self.settings.serial_port,
            baudrate=self.settings.baudrate,
            timeout=self.status_wait,
        )

    def _open_device(self) -> None:
        self._printer.open()
        self._printer.device.write_timeout = self.timeout

    def send_budget(self, size: int) -> float:
        # A serial line carries about baudrate / 10 bytes per second (8N1).
        return self.timeout + size / min(MIN_THROUGHPUT, self.settings.baudrate / 10)

    def _write(self, data: bytes, deadline: float) -> None:
        device = self._printer.device
        progress = time.monotonic()
        for start in range(0, len(data), SERIAL_CHUNK):
            left = min(progress + self.timeout, deadline) - time.monotonic()
            if left <= 0:
                raise TimeoutError("serial write")
            device.write_timeout = left
            self._printer._raw(data[start : start + SERIAL_CHUNK])
            progress = time.monotonic()

    def _read_status(self, n: int, wait: float) -> int | None:
        device = self._printer.device
        device.reset_input_buffer()
        device.write_timeout = wait
        device.timeout = wait
        device.write(DLE_EOT + bytes((n,)))
        answer = device.read(1)
        return answer[0] if answer else None

    def _drop(self, printer: Any) -> None:
        # escpos's close() first waits for the unsent bytes to drain: discard them instead.
        device = printer.device
        if device is not None and device.is_open:
            device.reset_output_buffer()
            device.close()
        printer._device = False


class FilePrinter(EscposPrinter):
    """A device or file path (python-escpos's File): ``/dev/usb/lp0``, a parallel port, a file.

    Such a device can block a write for ever when the printer is off: the worker thread bounds
    it. Nothing can be read back: no status."""

    kind = "file"

    def _configured(self) -> bool:
        return bool(self.settings.path)

    def _create(self) -> Any:
        return escpos_printer.File(devfile=self.settings.path, auto_flush=False)

    def _write(self, data: bytes, deadline: float) -> None:
        super()._write(data, deadline)
        self._printer.flush()


class Win32Printer(EscposPrinter):
    """A Windows printer queue, raw (python-escpos's Win32Raw, pywin32). No status."""

    kind = "win32"
    library = "pywin32"

    def _create(self) -> Any:
        if not escpos_printer.Win32Raw.is_usable():
            raise _missing_driver(self.label, self.library)
        return escpos_printer.Win32Raw(printer_name=self.settings.name)

    def _open_device(self) -> None:
        self._printer.open(job_name="MotCua")

    def _translate(self, exc: Exception) -> PrinterError | None:
        if type(exc).__name__ == "error" and type(exc).__module__ == "pywintypes":
            return PrinterUnreachable(printer=self.label)
        return super()._translate(exc)


class CupsPrinter(EscposPrinter):
    """A CUPS queue, raw (python-escpos's CupsPrinter, pycups). The job is handed to CUPS at
    close, so :meth:`send` includes it. No status."""

    kind = "cups"
    library = "pycups"

    def _create(self) -> Any:
        if not escpos_printer.CupsPrinter.is_usable():
            raise _missing_driver(self.label, self.library)
        return escpos_printer.CupsPrinter(printer_name=self.settings.name)

    def _open_device(self) -> None:
        self._printer.open(job_name="MotCua")

    def _write(self, data: bytes, deadline: float) -> None:
        self._printer._raw(data)
        self._printer.send()  # hand the job to CUPS now, so its errors are this call's

    def _translate(self, exc: Exception) -> PrinterError | None:
        if type(exc).__name__ in ("IPPError", "HTTPError"):
            return PrinterUnreachable(printer=self.label)
        return super()._translate(exc)
