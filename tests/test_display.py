"""The waiting-room display: the board model, the widgets over it, and the command's smoke run."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from shared.board import Board, Call, announceable, load_board_source, parse_counters
from shared.catalog import import_catalog, load_catalog_file
from shared.db import Database
from shared.errors import ConfigError
from shared.feed import ChangeFeed
from shared.queue import QueueEngine
from shared.resources import asset
from shared.settings import DisplaySettings
from shared.views import EventView

pytestmark = pytest.mark.timewise  # also run at shifted clocks (scripts/test.sh)

# --- fixtures: a real SQLite database with the sample catalogue --------------------------------


@pytest.fixture
def engine(sample_db: Database) -> QueueEngine:
    return QueueEngine(sample_db)


class Events:
    """Reads the events the engine wrote, as the change-feed would hand them over."""

    def __init__(self, db: Database, after_id: int) -> None:
        self.feed = ChangeFeed(db, after_id=after_id, poll_interval=0.05)

    def new(self) -> list[EventView]:
        return self.feed.wait(0.05)


def board_for(db: Database, **display: object) -> tuple[Board, Events]:
    source = load_board_source(db)
    settings = DisplaySettings(**display)  # type: ignore[arg-type]
    board = Board.from_status(
        source.status,
        source.centre_name,
        counters=settings.counters,
        services=settings.services,
        recent_limit=settings.recent_calls,
        timezone=source.timezone,
        centre_id=source.centre_id,
        last_event_id=source.last_event_id,
    )
    return board, Events(db, source.last_event_id)


def call(engine: QueueEngine, service: str, counter: int):
    engine.issue(service)
    ticket = engine.call_next(counter)
    assert ticket is not None
    return ticket


# --- the board ---------------------------------------------------------------------------------


def test_a_call_shows_on_the_board_and_is_returned_for_announcing(sample_db, engine) -> None:
    board, events = board_for(sample_db)
    ticket = call(engine, "HT", 3)
    calls = board.apply(events.new())
    assert [(c.number, c.counter, c.service, c.recall) for c in calls] == [
        (ticket.number, 3, "HT", False)
    ]
    assert board.latest == calls[0]
    assert board.counters[3].serving == ticket.number
    assert board.latest.at is not None and board.latest.at.tzinfo is not None


def test_recall_is_announced_again_and_finish_clears_the_counter(sample_db, engine) -> None:
    board, events = board_for(sample_db)
    ticket = call(engine, "HT", 3)
    board.apply(events.new())
    engine.recall(ticket.id)
    calls = board.apply(events.new())
    assert [(c.number, c.recall, c.service) for c in calls] == [(ticket.number, True, "HT")]
    assert board.latest is not None and board.latest.recall
    assert [c.number for c in board.recent] == [ticket.number]  # no duplicate in the list
    engine.finish(ticket.id)
    assert board.apply(events.new()) == []
    assert board.counters[3].serving is None


@pytest.mark.parametrize("action", ["no_show", "hold", "transfer"])
def test_leaving_the_counter_clears_it(sample_db, engine, action: str) -> None:
    board, events = board_for(sample_db)
    ticket = call(engine, "DD", 1)
    board.apply(events.new())
    if action == "transfer":
        engine.transfer(ticket.id, to_service="HT")
    else:
        getattr(engine, action)(ticket.id)
    board.apply(events.new())
    assert board.counters[1].serving is None


def test_the_next_call_replaces_the_counters_number(sample_db, engine) -> None:
    board, events = board_for(sample_db)
    first = call(engine, "DD", 1)
    second = call(engine, "DD", 1)  # finishes the first one automatically
    calls = board.apply(events.new())
    assert [c.number for c in calls] == [first.number, second.number]
    assert board.counters[1].serving == second.number


def test_a_burst_of_calls_is_returned_in_order(sample_db, engine) -> None:
    board, events = board_for(sample_db, recent_calls=6)
    called = [call(engine, s, c).number for s, c in [("DD", 1), ("DD", 2), ("HT", 3), ("CT", 4)]]
    called.append(call(engine, "DKKD", 5).number)
    calls = board.apply(events.new())
    assert [c.number for c in calls] == called
    assert [c.counter for c in calls] == [1, 2, 3, 4, 5]
    assert board.latest is not None and board.latest.number == called[-1]
    assert [c.number for c in board.recent] == called[::-1]
    assert [c.number for c in board.earlier()] == called[-2::-1]


def test_events_already_applied_are_skipped(sample_db, engine) -> None:
    board, events = board_for(sample_db)
    call(engine, "HT", 3)
    batch = events.new()
    assert len(board.apply(batch)) == 1
    assert board.apply(batch) == []  # a reconnecting feed repeating itself


def test_start_up_state_comes_from_the_queue_status(sample_db, engine) -> None:
    a = call(engine, "DD", 1)
    b = call(engine, "HT", 3)
    engine.pause_counter(8)
    board, _ = board_for(sample_db)
    assert board.latest is not None and board.latest.number == b.number
    assert [c.number for c in board.recent] == [b.number, a.number]
    assert board.counters[8].paused
    assert board.centre_name == "Trung tâm Phục vụ hành chính công tỉnh Long An"


def test_paused_and_resumed_counters(sample_db, engine) -> None:
    board, events = board_for(sample_db)
    engine.pause_counter(5)
    board.apply(events.new())
    assert board.counters[5].paused
    engine.resume_counter(5)
    board.apply(events.new())
    assert not board.counters[5].paused


def test_filters_by_counter_and_service(sample_db, engine) -> None:
    board, events = board_for(sample_db, counters="1-3", services="")
    assert [t.number for t in board.tiles()] == [1, 2, 3]
    call(engine, "DD", 1)
    call(engine, "CT", 4)  # another screen's counter
    assert [c.counter for c in board.apply(events.new())] == [1]
    assert board.counters[4].serving is not None  # known, just not shown

    board, events = board_for(sample_db, services="ht, ct")
    assert [t.number for t in board.tiles()] == [3, 4]  # counters serving HT or CT
    hidden = call(engine, "DD", 2)
    shown = call(engine, "HT", 4)
    assert [c.number for c in board.apply(events.new())] == [shown.number]
    engine.recall(shown.id)
    engine.recall(hidden.id)
    assert [(c.number, c.recall) for c in board.apply(events.new())] == [(shown.number, True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", None), ("1-4, 7", {1, 2, 3, 4, 7}), (" 5 ", {5}), ("2–3;9", {2, 3, 9})],
)
def test_counter_filter_text(text: str, expected: set[int] | None) -> None:
    assert parse_counters(text) == (None if expected is None else frozenset(expected))


@pytest.mark.parametrize(
    ("counters", "services"), [("1-x", ""), ("4-2", ""), ("quầy 5", ""), ("", "HT, C/T")]
)
def test_bad_filter_text_is_a_clear_config_error(counters: str, services: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Board.from_status(None, "X", counters=counters, services=services)
    message = caught.value.message
    assert "display." in message and ("e.g." in message or "lớn hơn" in message)


def test_a_new_day_starts_with_an_empty_list() -> None:
    board = Board.from_status(None, "X")
    day1 = datetime(2026, 5, 20, 3, 0, tzinfo=UTC)

    def called(event_id: int, at: datetime, number: str) -> EventView:
        data = {"number": number, "counter": 1, "service": "HT"}
        return EventView(event_id, "ticket.called", at, 1, event_id, 1, 1, data)

    board.apply([called(1, day1, "2001")])
    assert board.latest is not None
    board.apply([called(2, day1 + timedelta(days=1), "2001")])
    assert [c.event_id for c in board.recent] == [2]


def test_stale_calls_are_shown_but_not_announced() -> None:
    now = datetime(2026, 5, 20, 3, 0, tzinfo=UTC)
    old = Call("1001", 1, "DD", 1, at=now - timedelta(minutes=10))
    new = Call("1002", 1, "DD", 2, at=now)
    batch = [EventView(2, "ticket.called", now, 1, 2, 1, 1, {})]
    assert announceable([old, new], batch) == [new]


# --- the widgets -------------------------------------------------------------------------------


@pytest.fixture
def make_window(qtbot, sample_db):
    from display.app import DisplayWindow, make_board
    from shared.qt.fonts import load_fonts

    def make(size: tuple[int, int] = (1920, 1080), **display: object):
        settings = DisplaySettings(**display)  # type: ignore[arg-type]
        source = load_board_source(sample_db)
        window = DisplayWindow(make_board(source, settings), settings, load_fonts())
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        return window, Events(sample_db, source.last_event_id)

    return make


def test_fonts_load_once_and_name_noto_sans(qapp) -> None:
    from shared.qt.fonts import load_fonts

    assert load_fonts() == load_fonts() == "Noto Sans"


def test_a_call_updates_the_big_number_and_the_counter_tile(qtbot, make_window, engine) -> None:
    window, events = make_window()
    ticket = call(engine, "HT", 3)
    with qtbot.waitSignal(window.calls_shown) as shown:
        window.on_events_arrived(events.new())
    assert [c.number for c in shown.args[0]] == [ticket.number]
    assert window.call_panel.number_text() == ticket.number
    assert window.call_panel.counter_text() == "→ QUẦY 3"
    assert f"Quầy 03 – {ticket.number}" in window.counter_grid.tile_texts()
    assert window.highlighted
    with qtbot.waitSignal(window.call_panel.number_painted) as painted:
        window.repaint()
    assert painted.args == [ticket.number]


def test_highlight_ends_after_highlight_seconds(qtbot, make_window, engine) -> None:
    window, events = make_window(highlight_seconds=1.0)
    call(engine, "HT", 3)
    window.on_events_arrived(events.new())
    assert window.highlighted
    qtbot.waitUntil(lambda: not window.highlighted, timeout=3000)


def test_a_burst_of_five_calls(qtbot, make_window, engine) -> None:
    window, events = make_window(recent_calls=6)
    pairs = [("DD", 1), ("DD", 2), ("HT", 3), ("CT", 4), ("DKKD", 5)]
    numbers = [call(engine, s, c).number for s, c in pairs]
    spoken: list[list[Call]] = []
    window.calls_to_announce.connect(spoken.append)
    window.on_events_arrived(events.new())
    assert window.call_panel.number_text() == numbers[-1]
    assert window.call_panel.counter_text() == "→ QUẦY 5"
    assert window.recent_list.row_texts() == [
        f"{numbers[3]} → Quầy 04",
        f"{numbers[2]} → Quầy 03",
        f"{numbers[1]} → Quầy 02",
        f"{numbers[0]} → Quầy 01",
    ]
    assert [c.number for c in spoken[0]] == numbers


def test_recall_highlights_again(qtbot, make_window, engine) -> None:
    window, events = make_window(highlight_seconds=1.0)
    ticket = call(engine, "HT", 3)
    window.on_events_arrived(events.new())
    qtbot.waitUntil(lambda: not window.highlighted, timeout=3000)
    engine.recall(ticket.id)
    with qtbot.waitSignal(window.calls_to_announce) as spoken:
        window.on_events_arrived(events.new())
    assert window.highlighted
    assert spoken.args[0][0].recall
    assert window.board.latest is not None and window.board.latest.recall


def test_filter_hides_other_counters(qtbot, make_window, engine) -> None:
    window, events = make_window(counters="1-2")
    assert [t.split(" – ")[0] for t in window.counter_grid.tile_texts()] == ["Quầy 01", "Quầy 02"]
    shown = call(engine, "DD", 1)
    call(engine, "HT", 3)
    window.on_events_arrived(events.new())
    assert window.call_panel.number_text() == shown.number
    assert window.recent_list.row_texts() == []


def test_paused_counter_says_so(qtbot, make_window, engine) -> None:
    window, events = make_window()
    engine.pause_counter(8)
    window.on_events_arrived(events.new())
    assert "Quầy 08 – Tạm dừng" in window.counter_grid.tile_texts()


def test_connection_banner(qtbot, make_window) -> None:
    window, _ = make_window()
    assert not window.banner_visible
    with qtbot.waitSignal(window.online_changed) as changed:
        window.on_connection_changed(False)
    assert changed.args == [False]
    assert window.banner_visible
    assert window.banner.text() == "Mất kết nối – đang kết nối lại…"
    assert window.call_panel.geometry().top() >= window.banner.geometry().bottom()
    window.on_connection_changed(True)
    assert not window.banner_visible


def test_started_without_database_loads_the_state_when_the_feed_connects(
    qtbot, sample_db, engine
) -> None:
    from display.app import DisplayWindow, make_board
    from shared.qt.fonts import load_fonts

    ticket = call(engine, "HT", 3)
    settings = DisplaySettings()
    window = DisplayWindow(make_board(None, settings), settings, load_fonts())
    qtbot.addWidget(window)
    window.reload = lambda: load_board_source(sample_db)
    window.on_connection_changed(False)
    assert window.banner_visible and window.board.latest is None
    with qtbot.waitSignal(window.state_loaded, timeout=5000):
        window.on_connection_changed(True)
    assert not window.banner_visible
    assert window.call_panel.number_text() == ticket.number
    assert window.board.centre_name.startswith("Trung tâm")


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_layout_fits_the_screen(qtbot, make_window, size: tuple[int, int]) -> None:
    window, _ = make_window(size, notice="Giờ làm việc: 7:30 – 17:00")
    screen = window.rect()
    for widget in (window.header, window.call_panel, window.counter_grid, window.recent_list):
        assert screen.contains(widget.geometry()), widget
    # The called number gets a large share of the screen.
    panel = window.call_panel.geometry()
    assert panel.height() >= 0.35 * size[1] and panel.width() >= 0.55 * min(size)


def test_the_header_shows_the_centres_time_on_the_products_clock(qtbot, make_window, clock) -> None:
    """23:59 → 00:00 in Việt Nam while UTC is still the day before: the date turns here."""
    clock.set("2026-11-22T23:59:30+07:00")
    window, _ = make_window()
    assert (window.header.clock_text(), window.header.date_text()) == (
        "23:59",
        "Chủ Nhật, 22/11/2026",
    )
    clock.advance(seconds=30)
    window.header.on_tick_elapsed()
    assert (window.header.clock_text(), window.header.date_text()) == (
        "00:00",
        "Thứ Hai, 23/11/2026",
    )


def test_date_line_in_vietnamese() -> None:
    from display.widgets import date_line

    assert date_line(datetime(2025, 5, 21, 9, 0)) == "Thứ Tư, 21/05/2025"


def test_number_is_hundreds_of_pixels_tall(qapp) -> None:
    from display.widgets import fitted_size
    from shared.qt.fonts import load_fonts

    family = load_fonts()
    assert fitted_size(family, True, "1023", 1000, 460, 10_000, True) > 400


# --- the command -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["1920x1080", "1080x1920"])
def test_smoke_screenshot_through_the_command(
    motcua_bin, sample_url, engine, tmp_path, size: str
) -> None:
    from PySide6.QtGui import QImage

    call(engine, "HT", 3)
    shot = tmp_path / f"display-{size}.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [motcua_bin, "display", "--smoke", "--screenshot", str(shot), "--windowed", "--size", size]
        + ["--db", sample_url],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("display: first frame in ")
    image = QImage(str(shot))
    w, h = (int(x) for x in size.split("x"))
    assert (image.width(), image.height()) == (w, h)


def test_smoke_without_database_still_opens(motcua_bin, tmp_path) -> None:
    shot = tmp_path / "down.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [motcua_bin, "display", "--smoke", "--screenshot", str(shot), "--size", "1280x720"]
        + ["--db", "postgresql://nobody@127.0.0.1:9/none"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert shot.exists()


def test_bad_size_is_a_usage_error(motcua_bin, sample_url) -> None:
    done = subprocess.run(
        [motcua_bin, "display", "--smoke", "--size", "big", "--db", sample_url],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=60,
    )
    assert done.returncode == 2
    assert "WxH" in done.stderr


def test_qt_calls_do_not_leak_references_to_none(qtbot) -> None:
    """PySide6 6.12.0 drops a reference to ``None`` at every void call on Python 3.11, so a
    screen repainting all day aborts ("none_dealloc"); pyproject pins a release without it."""
    import sys

    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(64, 64, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    before = sys.getrefcount(None)
    for _ in range(20_000):
        painter.setPen(QColor(255, 255, 255))
        painter.fillRect(0, 0, 8, 8, QColor(0, 0, 0))
    lost = before - sys.getrefcount(None)
    painter.end()
    assert lost < 1_000


def test_display_on_a_machine_without_a_screen(motcua_bin: str, sqlite_url: str) -> None:
    """Over SSH a smoke run still works (offscreen); a real start says why it cannot open,
    instead of Qt aborting."""
    import subprocess

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")
    }
    smoke = subprocess.run(
        [motcua_bin, "display", "--smoke", "--windowed", "--size", "640x360", "--db", sqlite_url],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert smoke.returncode == 0, smoke.stderr
    assert "first frame" in smoke.stdout
    real = subprocess.run(
        [motcua_bin, "display", "--db", sqlite_url],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert real.returncode == 2 and "DISPLAY" in real.stderr


@pytest.mark.postgres
@pytest.mark.slow
def test_the_screen_survives_a_postgresql_restart_by_itself(qtbot) -> None:
    """A live screen on PostgreSQL: the server stops and starts again; the screen shows
    "mất kết nối" meanwhile, then comes back and shows the next call without anyone touching it."""
    from display.app import DisplayWindow, make_board, start_feed
    from shared.qt.fonts import load_fonts
    from tests.helpers.pgserver import PgServer

    server = PgServer().start()
    try:
        url = server.create_database("display_restart")
        db = Database(url)
        db.upgrade()
        import_catalog(db, load_catalog_file(asset("catalog", "sample.toml")))
        engine = QueueEngine(db)
        settings = DisplaySettings()
        source = load_board_source(db)
        window = DisplayWindow(make_board(source, settings), settings, load_fonts())
        qtbot.addWidget(window)
        window.resize(1280, 720)
        window.show()
        feed = start_feed(window, db, source.last_event_id, source.centre_id)
        try:
            qtbot.waitUntil(lambda: feed.connected, timeout=5000)
            first = call(engine, "HT", 3)
            qtbot.waitUntil(lambda: window.call_panel.number_text() == first.number, timeout=3000)

            def while_down() -> None:
                qtbot.waitUntil(lambda: window.banner_visible, timeout=6000)

            server.restart(while_down)
            qtbot.waitUntil(lambda: not window.banner_visible, timeout=8000)
            second = call(engine, "DD", 1)
            qtbot.waitUntil(lambda: window.call_panel.number_text() == second.number, timeout=3000)
            assert [c.number for c in window.board.recent][:2] == [second.number, first.number]
        finally:
            assert feed.stop()
        db.dispose()
    finally:
        server.stop()
