"""The waiting-room screen: ``motcua display`` (and the ``motcua-display`` program).

The window draws a :class:`~shared.board.Board`. The change-feed (:mod:`shared.qt.feed`) reads
the event log in its own thread and hands the new events over by signal; the window applies
them to the board, repaints, highlights the new call and hands it to the announcer (its own
thread too). Nothing here touches the database on the UI thread, except the one read of the
initial state before the window exists.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QRect, QTimer, Signal
from PySide6.QtGui import QColor, QPalette, QResizeEvent
from PySide6.QtWidgets import QWidget

from display.widgets import (
    NAVY,
    Banner,
    CallPanel,
    CounterGrid,
    HeaderBar,
    NoticeTicker,
    RecentList,
    grid_columns,
)
from shared.board import Board, BoardSource, Call, announceable, load_board_source
from shared.clock import utcnow
from shared.errors import ConfigError, MotcuaError
from shared.qt.platform import report_first_frame, start_app
from shared.qt.screens import show_full_screen
from shared.settings import DisplaySettings, VoiceSettings
from shared.views import EventView

log = logging.getLogger("motcua.display")

DEFAULT_WINDOW = (1920, 1080)


class DisplayWindow(QWidget):
    """The whole screen; layout follows the aspect ratio (landscape or portrait TV)."""

    calls_shown = Signal(list)
    """New calls and recalls (a list of :class:`~shared.board.Call`) just shown, in order."""
    calls_to_announce = Signal(list)
    """The subset of ``calls_shown`` worth speaking (not stale catch-up after an outage)."""
    online_changed = Signal(bool)
    """The screen switched between connected and "mất kết nối"."""
    state_loaded = Signal(object)
    """A :class:`~shared.board.BoardSource` read in the background (after a failed start)."""

    def __init__(
        self,
        board: Board,
        settings: DisplaySettings,
        family: str,
        *,
        now: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.board = board
        self.settings = settings
        self.family = family
        self.online = True
        self.reload: Callable[[], BoardSource] | None = None
        """Reads the initial state again; used when the database was down at start-up."""
        self._loaded = bool(board.counters) or board.last_event_id > 0
        self._reloading = False
        clock = now or (lambda: board.local_time(utcnow()))
        self.setWindowTitle(board.centre_name or "MotCua")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(NAVY))
        self.setPalette(palette)

        # Widgets
        self.header = HeaderBar(board, family, clock, self)
        self.call_panel = CallPanel(board, family, self)
        self.counter_grid = CounterGrid(board, family, self)
        self.recent_list = RecentList(board, family, self)
        self.banner = Banner(family, self)
        self.banner.hide()
        self.ticker = NoticeTicker(settings.notice, family, self)
        self.ticker.setVisible(bool(self.ticker.text))

        # Signals
        self._highlight = QTimer(self)
        self._highlight.setSingleShot(True)
        self._highlight.timeout.connect(self.on_highlight_elapsed)
        self.state_loaded.connect(self.on_state_loaded)

    # --- reading (for tests and the benchmark) ---------------------------------------------

    @property
    def highlighted(self) -> bool:
        return self.call_panel.highlighted

    @property
    def banner_visible(self) -> bool:
        return not self.banner.isHidden()

    # --- slots -------------------------------------------------------------------------------

    def on_events_arrived(self, events: list[EventView]) -> None:
        """New events from the change-feed, in id order."""
        calls = self.board.apply(events)
        if calls:
            self._highlight_call(calls[-1])
        self.refresh()
        if calls:
            self.calls_shown.emit(calls)
            spoken = announceable(calls, events)
            if spoken:
                self.calls_to_announce.emit(spoken)

    def on_connection_changed(self, online: bool) -> None:
        """The change-feed reached the database (True) or lost it (False)."""
        if online and not self._loaded:
            self._start_reload()
        if online == self.online:
            return
        self.online = online
        self.banner.setVisible(not online)
        self._layout()
        self.online_changed.emit(online)

    def on_state_loaded(self, source: BoardSource) -> None:
        self._reloading = False
        self.board.centre_name = source.centre_name
        self.board.centre_name_en = source.centre_name_en
        self.board.timezone = source.timezone
        self.board.centre_id = source.centre_id
        self.board.reset(source.status, last_event_id=source.last_event_id)
        self._loaded = True
        self.setWindowTitle(source.centre_name)
        self._layout()
        self.refresh()

    def on_highlight_elapsed(self) -> None:
        self.call_panel.set_highlighted(False)
        self.counter_grid.hot_counter = None
        self.counter_grid.update()

    # --- internals ---------------------------------------------------------------------------

    def refresh(self) -> None:
        for widget in (self.header, self.call_panel, self.counter_grid, self.recent_list):
            widget.update()

    def _highlight_call(self, call: Call) -> None:
        self.call_panel.set_highlighted(True)
        self.counter_grid.hot_counter = call.counter
        self._highlight.start(int(self.settings.highlight_seconds * 1000))

    def _start_reload(self) -> None:
        if self.reload is None or self._reloading:
            return
        self._reloading = True
        reload = self.reload

        def work() -> None:
            try:
                source = reload()
            except MotcuaError as error:
                log.warning("initial state still unreadable: %s", error.message_in("en"))
                self._reloading = False
                return
            except Exception:
                log.exception("initial state unreadable")
                self._reloading = False
                return
            self.state_loaded.emit(source)  # queued to the UI thread

        threading.Thread(target=work, name="motcua-display-load", daemon=True).start()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._layout()

    def _layout(self) -> None:
        w, h = self.width(), self.height()
        portrait = h > w
        gap = max(8, round(min(w, h) * 0.012))
        y = 0
        header_h = round(h * (0.065 if portrait else 0.1))
        self.header.setGeometry(0, 0, w, header_h)
        y = header_h
        if self.banner_visible:
            banner_h = round(h * (0.055 if portrait else 0.09))
            self.banner.setGeometry(0, y, w, banner_h)
            y += banner_h
        ticker_h = round(h * (0.04 if portrait else 0.065)) if self.ticker.text else 0
        if ticker_h:
            self.ticker.setGeometry(0, h - ticker_h, w, ticker_h)
        body = QRect(gap, y + gap, w - 2 * gap, h - y - ticker_h - 2 * gap)
        tiles = max(1, len(self.board.tiles()))
        limit = self.settings.recent_calls
        self.recent_list.setVisible(limit > 0)
        if portrait:
            call_h = round(body.height() * 0.42)
            recent_h = round(body.height() * 0.2) if limit else 0
            grid_h = body.height() - call_h - recent_h - (2 if limit else 1) * gap
            self.call_panel.setGeometry(body.x(), body.y(), body.width(), call_h)
            grid_top = body.y() + call_h + gap
            self.counter_grid.setGeometry(body.x(), grid_top, body.width(), grid_h)
            self.counter_grid.set_columns(grid_columns(tiles, body.width(), grid_h, 2.2))
            if limit:
                cols = min(limit, 3)
                rows = -(-limit // cols)
                self.recent_list.set_grid(cols, rows)
                self.recent_list.setGeometry(
                    body.x(), grid_top + grid_h + gap, body.width(), recent_h
                )
        else:
            recent_h = round(body.height() * 0.19) if limit else 0
            main_h = body.height() - recent_h - (gap if limit else 0)
            call_w = round(body.width() * 0.58)
            self.call_panel.setGeometry(body.x(), body.y(), call_w, main_h)
            grid_w = body.width() - call_w - gap
            self.counter_grid.setGeometry(body.x() + call_w + gap, body.y(), grid_w, main_h)
            self.counter_grid.set_columns(grid_columns(tiles, grid_w, main_h, 2.6))
            if limit:
                self.recent_list.set_grid(limit, 1)
                self.recent_list.setGeometry(
                    body.x(), body.y() + main_h + gap, body.width(), recent_h
                )


# --- wiring ------------------------------------------------------------------------------------


def make_board(source: BoardSource | None, settings: DisplaySettings, config: str = "") -> Board:
    """The board for ``source`` (None: the database was unreachable) and this screen's filters."""
    if source is None:
        return Board.from_status(
            None,
            "",
            counters=settings.counters,
            services=settings.services,
            recent_limit=settings.recent_calls,
            source=config,
        )
    return Board.from_status(
        source.status,
        source.centre_name,
        centre_name_en=source.centre_name_en,
        counters=settings.counters,
        services=settings.services,
        recent_limit=settings.recent_calls,
        timezone=source.timezone,
        centre_id=source.centre_id,
        last_event_id=source.last_event_id,
        source=config,
    )


class Speaker(QObject):
    """Hands the window's calls to the announcer (queue and thread of :mod:`shared.announcer`)."""

    def __init__(self, voice: VoiceSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from shared.announcer import Announcer, SystemPlayer

        self._player = SystemPlayer()
        self.announcer = Announcer(self._player, settings=voice, stop_playback=self._player.stop)

    def on_calls_to_announce(self, calls: list[Call]) -> None:
        from shared.announcer import Announcement

        for call in calls:
            self.announcer.announce(
                Announcement(call.number, call.counter, key=f"event {call.event_id}")
            )

    def close(self) -> None:
        self.announcer.close()


def start_feed(window: DisplayWindow, db: Any, after_id: int | None, centre_id: int | None) -> Any:
    """Start the change-feed thread and connect it to ``window``; returns it (call ``stop``)."""
    from shared.qt.feed import FeedThread

    feed = FeedThread(db, after_id=after_id, centre_id=centre_id, parent=window)
    feed.events_arrived.connect(window.on_events_arrived)
    feed.connection_changed.connect(window.on_connection_changed)
    feed.start()
    return feed


def run(ctx: Any) -> int:
    """``motcua display``: open the screen; ``--smoke``/``--screenshot`` paint one frame, exit."""
    start = start_app(ctx.args)
    if isinstance(start, int):
        return start
    app, family, started = start.app, start.family, start.started
    smoke, screenshot, size, windowed = start.smoke, start.screenshot, start.size, start.windowed
    settings = ctx.settings
    source: BoardSource | None
    try:
        source = load_board_source(ctx.db, ctx.centre)
    except ConfigError:
        raise
    except MotcuaError as error:
        log.warning("display starts without the database: %s", error.message_in("en"))
        source = None
    board = make_board(source, settings.display, settings.source)
    window = DisplayWindow(board, settings.display, family)
    window.reload = lambda: load_board_source(ctx.db, ctx.centre)
    if source is None:
        window.on_connection_changed(False)
    if windowed:
        window.resize(*(size or DEFAULT_WINDOW))
        start.place(window)
        window.show()
    else:
        show_full_screen(window, settings.display.screen)

    if smoke:
        report_first_frame(app, window, started, "display", screenshot)
        window.close()
        return 0

    speaker: Speaker | None = None
    if settings.voice.enabled:
        speaker = Speaker(settings.voice, window)
        window.calls_to_announce.connect(speaker.on_calls_to_announce)
    feed = start_feed(
        window,
        ctx.db,
        source.last_event_id if source else None,
        source.centre_id if source else None,
    )
    from shared.qt.backup import DailyBackups

    backups = DailyBackups(lambda: ctx.db, settings.backup, ctx.centre, window)
    try:
        return int(app.exec())
    finally:
        backups.stop()
        feed.stop()
        if speaker is not None:
            speaker.close()
