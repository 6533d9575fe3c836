"""The full-screen programs fill their screen on a real X server with no window manager (how
kiosk and waiting-room PCs boot), at the sizes real screens have, and on the screen chosen in
the settings of a PC with two monitors."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.xserver import Window, XServer, have_xvfb

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11"),
    pytest.mark.skipif(not have_xvfb(), reason="Xvfb, xwininfo and xdotool are not installed"),
]

SIZES = [(1920, 1080), (1080, 1920), (1366, 768), (800, 1280)]
"""Landscape full HD, a portrait kiosk, a cheap laptop-class panel, a portrait tablet-class
touch screen."""


def start(motcua_bin: str, app: str, url: str, x: XServer, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [motcua_bin, "--db", url, *extra, app],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=x.env(),
    )


def stop(program: subprocess.Popen[str]) -> str:
    program.send_signal(signal.SIGTERM)
    try:
        _, err = program.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        program.kill()
        _, err = program.communicate()
    return err


def wait_filled(
    x: XServer, program: subprocess.Popen[str], size: tuple[int, int], screen: int = 0
) -> list[Window]:
    """Wait until a window covers the whole of X screen ``screen``; the windows shown then."""
    wanted = f"{size[0]}x{size[1]}+0+0"
    deadline = time.monotonic() + 60
    shown: list[Window] = []
    while time.monotonic() < deadline:
        assert program.poll() is None, program.communicate()
        shown = x.windows(screen)
        if any(w.geometry == wanted for w in shown):
            return shown
        time.sleep(0.2)
    raise AssertionError(f"no window fills the {wanted} screen: {shown}")


@pytest.fixture
def centre(sample_url: str) -> Iterator[str]:
    yield sample_url


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("app", ["kiosk", "display"])
def test_fills_the_screen_without_a_window_manager(
    motcua_bin: str, centre: str, app: str, size: tuple[int, int]
) -> None:
    with XServer([size]) as x:
        program = start(motcua_bin, app, centre, x)
        try:
            shown = wait_filled(x, program, size)
            # One window, the whole screen, and something painted on it (not a blank window).
            assert [w.geometry for w in shown] == [f"{size[0]}x{size[1]}+0+0"], shown
            time.sleep(1.0)
            picture = x.grab()
            assert picture.size == size
            colours = picture.resize((size[0] // 8, size[1] // 8)).getcolors(1 << 16)
            assert colours is None or len(colours) > 8, "the screen is blank"
        finally:
            stop(program)


@pytest.mark.parametrize("app", ["kiosk", "display"])
def test_fills_the_screen_under_a_window_manager(motcua_bin: str, centre: str, app: str) -> None:
    """A desktop session (openbox, a small window manager): the same full screen, no frame."""
    if shutil.which("openbox") is None:
        pytest.skip("openbox is not installed (bash scripts/setup.sh --test)")
    size = (1366, 768)
    with XServer([size]) as x:
        manager = subprocess.Popen(
            ["openbox"], env=x.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            time.sleep(1.0)  # the window manager has taken the screen
            program = start(motcua_bin, app, centre, x)
            try:
                shown = wait_filled(x, program, size)
                assert [w.geometry for w in shown if w.width > 100] == ["1366x768+0+0"]
            finally:
                stop(program)
        finally:
            manager.terminate()
            manager.wait(timeout=10)


@pytest.mark.parametrize("app", ["kiosk", "display"])
def test_the_screen_setting_chooses_the_second_monitor(
    motcua_bin: str, centre: str, app: str, tmp_path: Path
) -> None:
    """A PC with two monitors (a 1366×768 one for the staff, a 1920×1080 one facing the room):
    ``[kiosk] screen`` / ``[display] screen`` = 2 puts the program on the second."""
    config = tmp_path / "motcua.toml"
    config.write_text(f'[{app}]\nscreen = "2"\n', encoding="utf-8")
    with XServer([(1366, 768), (1920, 1080)]) as x:
        program = start(motcua_bin, app, centre, x, "--config", str(config))
        try:
            shown = wait_filled(x, program, (1920, 1080), screen=1)
            assert [w.geometry for w in shown] == ["1920x1080+0+0"]
            assert x.windows(0) == []  # nothing on the first monitor
        finally:
            stop(program)


def test_a_screen_that_is_not_there_falls_back_to_the_primary_one(
    motcua_bin: str, centre: str, tmp_path: Path
) -> None:
    config = tmp_path / "motcua.toml"
    config.write_text('[display]\nscreen = "HDMI-9"\n', encoding="utf-8")
    with XServer([(1366, 768)]) as x:
        program = start(motcua_bin, "display", centre, x, "--config", str(config))
        try:
            wait_filled(x, program, (1366, 768))
        finally:
            stop(program)


# --- a person's journey on real screens ------------------------------------------------------

PASSWORD = "mat-khau-dai-du"


def read_digits(picture) -> str:  # noqa: ANN001 - a PIL image
    """The groups of digits painted in ``picture`` (sparse text), read by an OCR engine."""
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract-ocr is not installed (bash scripts/setup.sh --test)")
    grey = picture.convert("L")
    done = subprocess.run(
        ["tesseract", "stdin", "stdout", "--psm", "11", "-c", "tessedit_char_whitelist=0123456789"],
        input=_png(grey),
        capture_output=True,
        timeout=60,
    )
    return " ".join(done.stdout.decode("ascii", "replace").split())


def _png(picture) -> bytes:  # noqa: ANN001
    import io

    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def test_from_the_kiosk_touch_to_the_number_on_the_display(
    qtbot, motcua_bin: str, sample_url: str, sample_db, clock
) -> None:
    """Three programs, each full screen on its own screen with no window manager: a visitor
    touches the service's name on the portrait kiosk; the clerk presses F2 at the counter; the
    waiting-room display shows the number (read back from the screen by OCR). Clicks and keys go
    through the X server, where a person's would."""
    from display.app import DisplayWindow, make_board
    from kiosk.app import KioskWindow
    from kiosk.model import load_home
    from shared.board import load_board_source
    from shared.qt.fonts import load_fonts
    from shared.settings import DisplaySettings, Settings
    from shared.users import add_user

    add_user(sample_db, "lan", PASSWORD, "clerk", full_name="Nguyễn Thị Lan")
    clock.set("2026-11-18T09:00:00+07:00")  # Wednesday morning: open (every program reads it)
    kiosk_size, display_size = (1080, 1920), (1920, 1080)

    # Where the kiosk paints "Hộ tịch" and the display its number, at these sizes: the same
    # windows, laid out here off screen from the same data.
    family = load_fonts()
    probe = KioskWindow(sample_db, None, Settings(), family, load_home(sample_db, None))
    qtbot.addWidget(probe)
    probe.resize(*kiosk_size)
    probe.show()
    button = probe.home_screen.button("HT")
    centre = button.mapTo(probe, button.rect().center())
    board_probe = DisplayWindow(
        make_board(load_board_source(sample_db), DisplaySettings()), DisplaySettings(), family
    )
    qtbot.addWidget(board_probe)
    board_probe.resize(*display_size)
    board_probe.show()
    panel = board_probe.call_panel.geometry()

    with XServer([kiosk_size, display_size, (1366, 768)]) as x:
        env = {**x.env(), "MOTCUA_PASSWORD": PASSWORD}
        programs = []

        def run(screen: int, *command: str) -> subprocess.Popen[str]:
            program = subprocess.Popen(
                [motcua_bin, "--db", sample_url, *command],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env={**env, "DISPLAY": f"{x.display}.{screen}"},
            )
            programs.append(program)
            return program

        try:
            kiosk = run(0, "kiosk")
            display = run(1, "display")
            counter = run(2, "counter", "--user", "lan", "--counter", "4")
            wait_filled(x, kiosk, kiosk_size, 0)
            wait_filled(x, display, display_size, 1)
            [clerk] = x.wait_for_windows(1, screen=2, alive=counter)

            # The visitor touches "Hộ tịch" (waiting for the kiosk's home screen to be drawn).
            deadline = time.monotonic() + 30
            while _ticket_count(sample_db) == 0 and time.monotonic() < deadline:
                x.click(centre.x(), centre.y(), screen=0)
                time.sleep(1.0)
            number = _only_ticket(sample_db)
            assert number == "2001"

            # The clerk at counter 4 (it serves civil status) presses F2.
            deadline = time.monotonic() + 30
            while _status(sample_db) != "called" and time.monotonic() < deadline:
                x.keys(clerk, "F2", screen=2)
                time.sleep(1.0)
            assert _status(sample_db) == "called"

            # The waiting-room display shows it, big.
            deadline = time.monotonic() + 30
            seen = ""
            while time.monotonic() < deadline:
                shot = x.grab(1).crop(
                    (panel.left(), panel.top(), panel.right() + 1, panel.bottom() + 1)
                )
                seen = read_digits(shot)
                if number in seen.split():
                    break
                time.sleep(0.5)
            assert number in seen.split(), f"the display shows {seen!r}"
        finally:
            errors = [stop(p) for p in programs]
        assert all("Traceback" not in e for e in errors), errors


def _ticket_count(db) -> int:  # noqa: ANN001
    from sqlalchemy import func, select

    from shared.models import Ticket

    with db.transaction(readonly=True) as s:
        return int(s.scalar(select(func.count()).select_from(Ticket)) or 0)


def _only_ticket(db) -> str:  # noqa: ANN001
    from sqlalchemy import select

    from shared.models import Ticket

    with db.transaction(readonly=True) as s:
        [number] = s.scalars(select(Ticket.number)).all()
        return number


def _status(db) -> str:  # noqa: ANN001
    from sqlalchemy import select

    from shared.models import Ticket

    with db.transaction(readonly=True) as s:
        return str(s.scalar(select(Ticket.status)))


def test_the_rating_prompt_fills_the_citizens_screen(
    motcua_bin: str, sample_url: str, sample_db, clock
) -> None:
    """A counter PC with the clerk's monitor and a small touch screen facing the citizen
    (1024×600): after F5 the rating prompt covers the citizen's screen, not the clerk's."""
    from shared.queue import QueueEngine
    from shared.users import add_user

    add_user(sample_db, "lan", PASSWORD, "clerk", full_name="Nguyễn Thị Lan")
    clock.set("2026-11-18T09:00:00+07:00")
    QueueEngine(sample_db).issue("HT")
    with XServer([(1366, 768), (1024, 600)]) as x:
        counter = subprocess.Popen(
            [motcua_bin, "--db", sample_url, "counter", "--user", "lan", "--counter", "4"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**x.env(), "MOTCUA_PASSWORD": PASSWORD},
        )
        try:
            [clerk] = x.wait_for_windows(1, screen=0, alive=counter)
            assert x.windows(1) == []
            deadline = time.monotonic() + 30
            while _status(sample_db) != "called" and time.monotonic() < deadline:
                x.keys(clerk, "F2")
                time.sleep(1.0)
            while _status(sample_db) != "done" and time.monotonic() < deadline:
                x.keys(clerk, "F5")
                time.sleep(1.0)
            assert _status(sample_db) == "done"
            shown = wait_filled(x, counter, (1024, 600), screen=1)
            assert [w.geometry for w in shown] == ["1024x600+0+0"]
            assert [w.id for w in x.windows(0)] == [clerk.id]  # only the clerk's window there
        finally:
            err = stop(counter)
        assert "Traceback" not in err, err
