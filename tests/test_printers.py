"""ESC/POS encoding and the printer connections, with real parts.

The bytes are decoded back into a picture and compared pixel for pixel; network printers are a
real TCP listener on 127.0.0.1 (tests/helpers/fakeprinter.py); a serial printer is a real
pseudo-terminal; a file printer is a real file or FIFO. Only the USB device is a stand-in (there
is no USB printer here): pyusb's ``usb.core.find`` returns a recording fake device, and
python-escpos's Usb class drives it.
"""

from __future__ import annotations

import logging
import math
import os
import sys
import threading
import time
import tty
from array import array
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from shared.errors import (
    PrinterCoverOpen,
    PrinterFault,
    PrinterNotConfigured,
    PrinterOutOfPaper,
    PrinterTimeout,
    PrinterUnreachable,
)
from shared.i18n import tr
from shared.printing.escpos import FRAGMENT_HEIGHT, encode_image
from shared.printing.printers import (
    PrinterStatus,
    forget_silent_printers,
    open_printer,
    parse_status,
    print_bytes,
    printer_label,
    valid_status_byte,
)
from shared.settings import PrinterSettings
from tests.helpers.escpos_decode import EscposDecodeError, decode, parse
from tests.helpers.fakeprinter import FakePrinter

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _ask_every_printer_for_status():
    """Printers that ignored status requests are remembered per process: not across tests."""
    forget_silent_printers()
    yield
    forget_silent_printers()


# --- pictures -----------------------------------------------------------------------------------


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    fonts = sorted((ROOT / "assets").rglob("*.ttf"))
    if fonts:
        return ImageFont.truetype(str(fonts[0]), size)
    return ImageFont.load_default(size)


def ticket_like(width: int = 576, height: int = 400) -> Image.Image:
    """Shapes, thin lines, Vietnamese text and a checkerboard: every bit pattern matters."""
    image = Image.new("1", (width, height), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width - 1, height - 1), outline=0, width=3)
    draw.ellipse((20, 20, 180, 180), fill=0)
    draw.line((0, height - 1, width - 1, 0), fill=0, width=1)
    draw.text((200, 30), "SỐ THỨ TỰ", font=_font(36), fill=0)
    draw.text((200, 90), "Ủy ban nhân dân phường Đống Đa", font=_font(22), fill=0)
    for y in range(220, min(height - 10, 380)):
        for x in range(200 + (y % 2), min(width - 10, 560), 2):
            image.putpixel((x, y), 0)
    return image


def tall_image(width: int, height: int) -> Image.Image:
    image = Image.new("1", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for y in range(0, height, 37):
        draw.line((0, y, width - 1, (y * 7) % height), fill=0, width=2)
        draw.text((10, y), f"row {y}", font=_font(18), fill=0)
    draw.rectangle((0, height - 5, width - 1, height - 1), fill=0)  # the very last rows
    return image


def same_picture(a: Image.Image, b: Image.Image) -> bool:
    """Pixel for pixel. Compared as "L": ImageChops on mode "1" compares the stored values, and
    ``Image.new("1", size, 1)`` stores white as 1, not 255."""
    if a.size != b.size:
        return False
    return ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None


# --- encode and decode --------------------------------------------------------------------------


def test_encoded_ticket_decodes_to_the_same_picture_pixel_for_pixel() -> None:
    image = ticket_like()
    data = encode_image(image, cut=True)
    picture, cut_seen = decode(data)
    assert same_picture(picture, image)
    assert cut_seen
    assert data.startswith(b"\x1b@\x1dv0\x00")
    assert data.endswith(b"\x1bd\x06\x1dV\x00")


def test_a_tall_image_survives_fragmentation() -> None:
    image = tall_image(576, 2500)
    data = encode_image(image, cut=True)
    rasters = [c for c in parse(data) if c.name == "raster"]
    assert len(rasters) == math.ceil(2500 / FRAGMENT_HEIGHT)
    assert all(c.args == (72, min(FRAGMENT_HEIGHT, 2500 - i * FRAGMENT_HEIGHT))
               for i, c in enumerate(rasters))  # fmt: skip
    picture, cut_seen = decode(data)
    assert same_picture(picture, image) and cut_seen


def test_a_58mm_image_keeps_its_width() -> None:
    image = ticket_like(384, 700)
    picture, _ = decode(encode_image(image, cut=True))
    assert picture.size == (384, 700)
    assert same_picture(picture, image)


def test_without_cut_the_paper_is_fed_but_not_cut() -> None:
    image = ticket_like()
    data = encode_image(image, cut=False)
    picture, cut_seen = decode(data)
    assert not cut_seen and same_picture(picture, image)
    assert [c.name for c in parse(data)][-1] == "feed_lines"


def test_encoding_is_deterministic_and_thresholds_grey_without_dithering() -> None:
    image = ticket_like()
    assert encode_image(image, cut=True) == encode_image(image.copy(), cut=True)
    grey = image.convert("L").point(lambda v: 40 if v == 0 else 200)
    assert encode_image(grey, cut=True) == encode_image(image, cut=True)
    rgba = image.convert("RGBA")
    rgba.putalpha(Image.new("L", image.size, 255))
    assert encode_image(rgba, cut=True) == encode_image(image, cut=True)


def test_encoder_sends_no_text_commands() -> None:
    """Vietnamese never goes through a code page: only init, raster, feed and cut."""
    data = encode_image(ticket_like(), cut=True)
    assert {c.name for c in parse(data)} == {"init", "raster", "feed_lines", "cut"}


def test_decoder_is_strict() -> None:
    good = encode_image(ticket_like(64, 16), cut=True)
    with pytest.raises(EscposDecodeError, match="unexpected byte"):
        decode(good[:2] + b"Xin chao" + good[2:])
    with pytest.raises(EscposDecodeError, match="unknown command ESC"):
        decode(b"\x1bt\x1e" + good)  # select code page
    with pytest.raises(EscposDecodeError, match="truncated"):
        decode(good[:40])
    with pytest.raises(EscposDecodeError, match="after a feed"):
        decode(good[:-3] + good[2:])
    with pytest.raises(EscposDecodeError, match="no image"):
        decode(b"\x1b@\x1dV\x00")


# --- status bytes -------------------------------------------------------------------------------


def test_status_bytes_are_read_as_the_escpos_manual_says() -> None:
    assert parse_status({1: 0x12, 4: 0x12}) == PrinterStatus(online=True)
    assert parse_status({1: 0x12, 4: 0x1E}).paper_near_end
    out = parse_status({1: 0x1A, 2: 0x32, 4: 0x72})
    assert not out.online and out.paper_out and not out.cover_open
    assert parse_status({1: 0x1A, 2: 0x16}).cover_open
    fault = parse_status({1: 0x1A, 2: 0x52, 3: 0x1A})
    assert fault.error and fault.cutter_error
    assert isinstance(fault.problem("p"), PrinterFault)
    # head too hot: the printer recovers by itself, so the job may go
    assert parse_status({1: 0x1A, 2: 0x52, 3: 0x52}).problem("p") is None
    assert valid_status_byte(0x12) and not valid_status_byte(0x00) and not valid_status_byte(0xFF)


# --- network printer ----------------------------------------------------------------------------


def network(printer: FakePrinter, **changes: object) -> PrinterSettings:
    values: dict[str, object] = {
        "kind": "network",
        "host": printer.host,
        "port": printer.port,
        "timeout": 1.0,
    }
    values.update(changes)
    return PrinterSettings(**values)  # type: ignore[arg-type]


def test_network_printer_receives_exactly_the_encoded_bytes() -> None:
    image = ticket_like()
    data = encode_image(image, cut=True)
    with FakePrinter("ok") as printer:
        print_bytes(network(printer), data)
        (connection,) = printer.wait_closed(1)
    assert connection.status_requests == [1, 4]  # online? paper?
    assert connection.received == b"\x10\x04\x01\x10\x04\x04" + data
    assert connection.payload == data
    picture, cut_seen = decode(connection.payload)
    assert same_picture(picture, image) and cut_seen


def test_without_status_check_only_the_job_is_sent() -> None:
    data = encode_image(ticket_like(), cut=True)
    with FakePrinter("ok") as printer:
        print_bytes(network(printer, check_status=False), data)
        (connection,) = printer.wait_closed(1)
    assert connection.received == data and connection.status_requests == []


def test_refused_connection_is_unreachable_at_once() -> None:
    with FakePrinter("refuse") as printer:
        settings = network(printer, timeout=4.0)
        started = time.monotonic()
        with pytest.raises(PrinterUnreachable) as caught:
            print_bytes(settings, b"\x1b@")
        assert time.monotonic() - started < 2.0
    message = str(caught.value)
    assert message.startswith("Không kết nối được máy in")
    assert printer.label in message
    assert printer.label in caught.value.message_in("en")
    assert "Cannot reach" in caught.value.message_in("en")


def test_stalled_printer_times_out_within_the_timeout() -> None:
    data = encode_image(tall_image(576, 2500), cut=True)  # 180 KB: more than the buffers hold
    with FakePrinter("stall") as printer:
        settings = network(printer, timeout=1.0)
        started = time.monotonic()
        with pytest.raises(PrinterTimeout) as caught:
            print_bytes(settings, data)
        elapsed = time.monotonic() - started
    assert elapsed < settings.timeout + 1.5
    assert printer.label in str(caught.value)
    assert "không phản hồi sau 1 giây" in str(caught.value)


@pytest.mark.skipif(
    sys.platform not in ("linux", "darwin"), reason="needs the socket's unacknowledged count"
)
def test_stalled_printer_is_noticed_even_when_the_job_fits_in_our_send_buffer(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """10 KB go into the sender's socket buffer at once; the printer never acknowledges them.
    A printer that stalled is asked for its status again next time (not taken for one that
    merely ignores status requests)."""
    with FakePrinter("stall") as printer, caplog.at_level(logging.WARNING, "motcua.printer"):
        settings = network(printer, timeout=1.0)
        for _ in range(2):
            started = time.monotonic()
            with pytest.raises(PrinterTimeout):
                print_bytes(settings, b"\x1b@" + b"\x00" * 10_000)
            assert time.monotonic() - started < settings.timeout + 1.5
    assert caplog.text.count("did not answer the status request") == 2
    assert caplog.text.count("stalled after 10002 of 10002 bytes") == 2


@pytest.mark.parametrize(
    ("mode", "error", "requests"),
    [
        ("paper_out", PrinterOutOfPaper, [1, 2, 4]),
        ("cover_open", PrinterCoverOpen, [1, 2, 4]),
        ("cutter_error", PrinterFault, [1, 2, 3, 4]),
    ],
)
def test_printer_problem_is_reported_and_nothing_of_the_ticket_is_sent(
    mode: str, error: type[Exception], requests: list[int]
) -> None:
    data = encode_image(ticket_like(), cut=True)
    with FakePrinter(mode) as printer:
        started = time.monotonic()
        with pytest.raises(error) as caught:
            print_bytes(network(printer), data)
        assert time.monotonic() - started < 1.0
        (connection,) = printer.wait_closed(1)
    assert connection.status_requests == requests
    assert connection.payload == b""  # not one byte of the ticket
    assert printer.label in str(caught.value)


def test_paper_out_message_is_vietnamese_by_default_and_english_on_request() -> None:
    with FakePrinter("paper_out") as printer:
        with pytest.raises(PrinterOutOfPaper) as caught:
            print_bytes(network(printer), b"\x1b@")
    assert str(caught.value) == tr("error.printer_paper_out", printer=printer.label)
    assert "hết giấy" in str(caught.value)
    assert "out of paper" in caught.value.message_in("en")


def test_paper_near_end_prints_and_warns(caplog: pytest.LogCaptureFixture) -> None:
    data = encode_image(ticket_like(), cut=True)
    with FakePrinter("paper_low") as printer, caplog.at_level(logging.WARNING, "motcua.printer"):
        print_bytes(network(printer), data)
        (connection,) = printer.wait_closed(1)
    assert connection.payload == data
    assert "paper near its end" in caplog.text


def test_printer_that_ignores_status_requests_still_prints(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Many cheap printers ignore DLE EOT over the network: the ticket must come out anyway,
    the first time after a short wait, later without asking again."""
    data = encode_image(ticket_like(), cut=True)
    with FakePrinter("silent") as printer, caplog.at_level(logging.WARNING, "motcua.printer"):
        settings = network(printer, timeout=1.0)
        started = time.monotonic()
        print_bytes(settings, data)
        first = time.monotonic() - started
        started = time.monotonic()
        print_bytes(settings, data)
        second = time.monotonic() - started
        first_job, second_job = printer.wait_closed(2)
    assert first_job.status_requests == [1] and first_job.payload == data
    assert second_job.status_requests == [] and second_job.received == data
    assert 0.4 < first < settings.timeout + 0.5
    assert second < 0.3
    assert "printing without a status check" in caplog.text


def test_printer_that_drops_the_connection_mid_job_is_unreachable() -> None:
    data = encode_image(tall_image(576, 2500), cut=True)
    with FakePrinter("hangup") as printer:
        started = time.monotonic()
        with pytest.raises(PrinterUnreachable):
            print_bytes(network(printer), data)
        assert time.monotonic() - started < 2.0


def test_connection_can_be_used_step_by_step() -> None:
    with FakePrinter("paper_low") as printer:
        with open_printer(network(printer)) as connection:
            assert connection.label == printer.label
            status = connection.status()
            assert status is not None and status.online and status.paper_near_end
            connection.send(b"\x1b@")
        (record,) = printer.wait_closed(1)
    assert record.payload == b"\x1b@"


# --- file, none, labels -------------------------------------------------------------------------


def test_file_printer_writes_the_bytes(tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    target.write_bytes(b"old job")
    data = encode_image(ticket_like(), cut=True)
    print_bytes(PrinterSettings(kind="file", path=str(target)), data)
    assert target.read_bytes() == data


def test_unwritable_file_printer_is_unreachable(tmp_path: Path) -> None:
    for path in (tmp_path / "missing" / "lp0", tmp_path):
        settings = PrinterSettings(kind="file", path=str(path), timeout=1.0)
        with pytest.raises(PrinterUnreachable) as caught:
            print_bytes(settings, b"\x1b@")
        assert str(path) in str(caught.value)
        assert str(caught.value).startswith("Không kết nối được máy in")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a FIFO")
def test_file_printer_that_blocks_times_out(tmp_path: Path) -> None:
    """A device that never takes the bytes (here a FIFO nobody reads) cannot hang the caller."""
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    settings = PrinterSettings(kind="file", path=str(fifo), timeout=1.0)
    started = time.monotonic()
    with pytest.raises(PrinterTimeout):
        print_bytes(settings, b"\x1b@")
    assert time.monotonic() - started < settings.timeout + 1.5
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # let the abandoned open() return
    time.sleep(0.2)
    os.close(reader)


def test_no_printer_configured() -> None:
    with pytest.raises(PrinterNotConfigured) as caught:
        print_bytes(PrinterSettings(), b"\x1b@")
    assert str(caught.value).startswith("Chưa cấu hình máy in")
    for settings in (
        PrinterSettings(kind="network"),
        PrinterSettings(kind="usb"),
        PrinterSettings(kind="serial"),
        PrinterSettings(kind="file"),
    ):
        with pytest.raises(PrinterNotConfigured):
            open_printer(settings)


def test_labels_name_the_printer_without_secrets() -> None:
    assert printer_label(PrinterSettings(kind="network", host="192.0.2.7")) == "192.0.2.7:9100"
    assert printer_label(PrinterSettings(kind="network", host="::1", port=9)) == "[::1]:9"
    usb = PrinterSettings(kind="usb", usb_vendor=0x0416, usb_product=0x5011)
    assert printer_label(usb) == "USB 0416:5011"
    assert printer_label(PrinterSettings(kind="serial", serial_port="COM3")) == "COM3"
    assert printer_label(PrinterSettings(kind="cups", name="Quay1")) == "Quay1"


@pytest.mark.parametrize(
    ("kind", "module", "library"), [("win32", "win32print", "pywin32"), ("cups", "cups", "pycups")]
)
def test_a_missing_driver_library_is_a_printer_fault(kind: str, module: str, library: str) -> None:
    try:
        __import__(module)
    except ImportError:
        pass
    else:
        pytest.skip(f"{library} is installed here")
    with pytest.raises(PrinterFault) as caught:
        open_printer(PrinterSettings(kind=kind, name="POS-80"))
    assert library in str(caught.value) and "POS-80" in str(caught.value)


# --- serial printer on a pseudo-terminal --------------------------------------------------------


class PtyPrinter:
    """The far end of a real pseudo-terminal, answering status requests like a printer."""

    def __init__(self, answers: dict[int, int] | None, *, read: bool = True) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.master)
        tty.setraw(self.slave)
        self.path = os.ttyname(self.slave)
        self.answers = answers
        self.received = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True) if read else None

    def __enter__(self) -> PtyPrinter:
        if self._thread:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
        os.close(self.master)
        os.close(self.slave)

    def _serve(self) -> None:
        import select

        pending = b""
        while not self._stop.is_set():
            if not select.select([self.master], [], [], 0.02)[0]:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            self.received += chunk
            pending += chunk
            while self.answers is not None and len(pending) >= 3 and pending[:2] == b"\x10\x04":
                if pending[2] in self.answers:
                    os.write(self.master, bytes((self.answers[pending[2]],)))
                pending = pending[3:]
            if pending[:1] not in (b"", b"\x10"):
                pending = b""

    def wait_for(self, size: int, timeout: float = 5.0) -> bytes:
        deadline = time.monotonic() + timeout
        while len(self.received) < size and time.monotonic() < deadline:
            time.sleep(0.01)
        return bytes(self.received)


needs_pty = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")


@needs_pty
def test_serial_printer_gets_status_requests_then_the_job() -> None:
    pytest.importorskip("serial")
    data = encode_image(ticket_like(), cut=True)
    with PtyPrinter({1: 0x12, 4: 0x12}) as far:
        print_bytes(PrinterSettings(kind="serial", serial_port=far.path, timeout=2.0), data)
        received = far.wait_for(6 + len(data))
    assert received == b"\x10\x04\x01\x10\x04\x04" + data


@needs_pty
def test_serial_printer_out_of_paper() -> None:
    pytest.importorskip("serial")
    with PtyPrinter({1: 0x1A, 2: 0x32, 4: 0x72}) as far:
        with pytest.raises(PrinterOutOfPaper):
            print_bytes(PrinterSettings(kind="serial", serial_port=far.path), b"\x1b@job")
        time.sleep(0.1)
    assert b"job" not in far.received


@needs_pty
def test_serial_printer_that_takes_nothing_times_out() -> None:
    pytest.importorskip("serial")
    data = encode_image(tall_image(576, 2500), cut=True)
    with PtyPrinter(None, read=False) as far:
        settings = PrinterSettings(kind="serial", serial_port=far.path, timeout=1.0)
        started = time.monotonic()
        with pytest.raises(PrinterTimeout):
            print_bytes(settings, data)
        assert time.monotonic() - started < settings.timeout + 1.5


# --- USB printer: python-escpos's Usb class driving a stand-in pyusb device --------------------


class FakeEndpoint:
    def __init__(self, address: int) -> None:
        self.bEndpointAddress = address
        self.bmAttributes = 0x02  # bulk


class FakeBackend:
    """Not libusb1: python-escpos then leaves the kernel driver alone."""


class FakeUsbDevice:
    """What ``usb.core.find`` returns for a printer: records writes, answers reads."""

    def __init__(self, answers: dict[int, int] | None = None, *, stall: bool = False) -> None:
        self.backend = FakeBackend()
        self._ctx = self
        self.answers = answers or {}
        self.stall = stall
        self.written: list[tuple[int, bytes, int]] = []
        self.pending: list[int] = []
        self.disposed = False

    # the calls python-escpos and our code make
    def set_configuration(self) -> None:
        pass

    def reset(self) -> None:
        pass

    def get_active_configuration(self) -> dict[tuple[int, int], list[FakeEndpoint]]:
        return {(0, 0): [FakeEndpoint(0x81), FakeEndpoint(0x03)]}

    def write(self, endpoint: int, data: bytes, timeout: int | None = None) -> int:
        import usb.core

        if self.stall:
            raise usb.core.USBTimeoutError("Operation timed out", errno=110)
        data = bytes(data)
        self.written.append((endpoint, data, timeout or 0))
        if data[:2] == b"\x10\x04" and len(data) == 3 and data[2] in self.answers:
            self.pending.append(self.answers[data[2]])
        return len(data)

    def read(self, endpoint: int, size: int, timeout: int | None = None) -> array:
        import usb.core

        assert endpoint == 0x81
        if not self.pending:
            raise usb.core.USBTimeoutError("Operation timed out", errno=110)
        return array("B", [self.pending.pop(0)])

    def dispose(self, device: object) -> None:
        self.disposed = True

    @property
    def job(self) -> bytes:
        return b"".join(d for ep, d, _ in self.written if not d.startswith(b"\x10\x04"))


@pytest.fixture
def usb_device(monkeypatch: pytest.MonkeyPatch):
    usb_core = pytest.importorskip("usb.core")
    devices: list[FakeUsbDevice | None] = []

    def install(device: FakeUsbDevice | None) -> FakeUsbDevice | None:
        devices.append(device)
        monkeypatch.setattr(usb_core, "find", lambda **match: device)
        return device

    return install


USB = PrinterSettings(kind="usb", usb_vendor=0x0416, usb_product=0x5011, timeout=1.0)


def test_usb_printer_gets_the_job_on_its_own_bulk_endpoint(usb_device) -> None:
    device = usb_device(FakeUsbDevice({1: 0x12, 4: 0x12}))
    data = encode_image(tall_image(576, 600), cut=True)
    print_bytes(USB, data)
    assert device.job == data
    assert {ep for ep, _, _ in device.written} == {0x03}  # from the descriptors, not 0x01
    assert all(0 < timeout <= 1000 for _, _, timeout in device.written)
    assert [d[2] for _, d, _ in device.written if d.startswith(b"\x10\x04")] == [1, 4]
    assert device.disposed


def test_usb_printer_out_of_paper_gets_nothing(usb_device) -> None:
    device = usb_device(FakeUsbDevice({1: 0x1A, 2: 0x32, 4: 0x72}))
    with pytest.raises(PrinterOutOfPaper) as caught:
        print_bytes(USB, b"\x1b@job")
    assert device.job == b""
    assert "USB 0416:5011" in str(caught.value)


def test_usb_printer_not_plugged_in_is_unreachable(usb_device) -> None:
    usb_device(None)
    with pytest.raises(PrinterUnreachable) as caught:
        print_bytes(USB, b"\x1b@")
    assert "USB 0416:5011" in str(caught.value)


def test_usb_printer_that_takes_nothing_times_out(usb_device) -> None:
    usb_device(FakeUsbDevice(stall=True))
    started = time.monotonic()
    with pytest.raises(PrinterTimeout):
        print_bytes(USB, b"\x1b@" + b"\x00" * 100)
    assert time.monotonic() - started < USB.timeout + 1.5
