"""The kiosk's first frame: "Đang khởi động…" painted before anything else is loaded.

``motcua kiosk`` (the launcher's fast path) opens this window right after its command line is
parsed: before the settings, the log file, the kiosk's screens and the database. It imports only
PySide6, the painting helpers and the shipped fonts. :func:`kiosk.program.run` then builds the real
window, shows it in the same place on the same "starting" screen (it looks the same) and closes
this one. A bad config file is still reported as before: the message on stderr and its exit code
(the starting window simply goes away with the process).

The picture is the one :class:`kiosk.screens.MessageScreen` paints for ``kiosk.starting``: the
Vietnamese title large in yellow, the English one under it. The texts, and the sizes that fit the
usual kiosk windows, are written here so the first frame needs neither the translations nor the
size search (the tests check both against :mod:`shared.i18n` and :func:`kiosk.paint.fitted_lines`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import QVBoxLayout, QWidget

from shared.qt.platform import AppStart, report_first_frame, start_app
from shared.qt.text import qfont, text_extent

# Neither kiosk.paint nor Qt's ``Qt`` namespace here: the first use of ``PySide6.QtCore.Qt``
# builds all its enums (about 12 ms), which the first frame does not need.
NAVY = QColor("#0a1a33")
YELLOW = QColor("#ffd400")
MUTED = QColor("#c9d6ea")
""":mod:`kiosk.paint`'s colours of the message screens (the tests compare them)."""

TITLE_VI = "Đang khởi động, xin chờ giây lát…"
TITLE_EN = "Starting, one moment…"
"""``kiosk.starting`` in both languages (checked against :mod:`shared.i18n` by the tests)."""

DEFAULT_WINDOW = (1080, 1920)
"""``--windowed`` without ``--size``."""

Fit = tuple[int, tuple[str, ...]]
FitKey = tuple[str, str, int, int, int]
"""(family, text, box width, box height, largest size) of a bold title on at most two lines."""

KNOWN_FITS: dict[FitKey, Fit] = {
    ("Noto Sans", TITLE_VI, 928, 633, 115): (109, ("Đang khởi động,", "xin chờ giây lát…")),
    ("Noto Sans", TITLE_EN, 928, 418, 81): (81, ("Starting, one", "moment…")),
    ("Noto Sans", TITLE_VI, 1768, 350, 64): (64, (TITLE_VI,)),
    ("Noto Sans", TITLE_EN, 1768, 229, 48): (48, (TITLE_EN,)),
}
""":func:`kiosk.paint.fitted_lines` for the 1080×1920 and 1920×1080 windows (others search)."""


def fit(family: str, text: str, width: int, height: int, max_px: int) -> Fit:
    """The size and lines of a bold title in its box: known, or searched like every text."""
    known = KNOWN_FITS.get((family, text, width, height, max_px))
    if known is not None:
        return known
    from kiosk.paint import fitted_lines

    return fitted_lines(family, True, text, width, height, max_px, 2)


class StartingWindow(QWidget):
    """The whole window while the kiosk loads: the ``kiosk.starting`` message screen; then the
    top-level window around the real kiosk (:meth:`adopt`), so there is one window throughout
    (no second window to map, no second full-screen backing store)."""

    def __init__(self, family: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.family = family
        self.content: QWidget | None = None
        self.setWindowTitle("MotCua")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), NAVY)
        self.setPalette(palette)
        self.parts = [_Title(self, 0, YELLOW), _Title(self, 1, MUTED)]

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        for part in self.parts:
            part.setGeometry(self.rect())

    def adopt(self, content: QWidget) -> None:
        """Show ``content`` (the kiosk window) filling this window, with its title; closing
        this window asks ``content`` first (the kiosk refuses without the technician's PIN)."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(content)
        self.content = content
        self.setWindowTitle(content.windowTitle())
        content.windowTitleChanged.connect(self.setWindowTitle)
        for part in self.parts:
            part.hide()
        content.show()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if self.content is not None and self.content.isVisible() and not self.content.close():
            event.ignore()
            return
        event.accept()

    def titles(self) -> list[tuple[QRectF, int, tuple[str, ...]]]:
        """Where each title goes (its box, size and lines): :class:`kiosk.screens.MessageScreen`'s
        layout of a title without a body, Vietnamese first."""
        w, h = self.width(), self.height()
        pad = min(w, h) * 0.07
        area = QRectF(pad, h * 0.22, w - 2 * pad, h * 0.56)
        y = area.top()
        used: int | None = None
        placed: list[tuple[QRectF, int, tuple[str, ...]]] = []
        for text, share in ((TITLE_VI, 0.24), (TITLE_EN, 0.16)):
            box = QRectF(area.left(), y, area.width(), area.height() * share / 0.40)
            cap = int(h * 0.06)
            if used is not None:
                cap = min(cap, int(used * 0.75))  # the second language is smaller
            rect = box.adjusted(0, 6, 0, -6)
            px, lines = 0, ()
            if rect.width() >= 2 and rect.height() >= 2:
                px, lines = fit(self.family, text, int(rect.width()), int(rect.height()), cap)
            placed.append((rect, px, lines))
            if used is None:
                used = px
            y = box.bottom()
        return placed


class _Title(QWidget):
    """One title of the starting window, painted over all of it in its palette's text colour.

    (The colour comes with the painter from the palette: ``QPainter.setPen`` would build the
    ``Qt`` enums to choose among its overloads.)"""

    def __init__(self, window: StartingWindow, index: int, colour: QColor) -> None:
        super().__init__(window)
        self.index = index
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self.setPalette(palette)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        window = self.parentWidget()
        if not isinstance(window, StartingWindow) or window.content is not None:
            return
        rect, px, lines = window.titles()[self.index]
        if not lines:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        f = qfont(window.family, True, px)
        fm = QFontMetricsF(f)
        extents = [text_extent(fm, line, False) for line in lines]
        top = rect.top() + (rect.height() - sum(up + down for _, up, down in extents)) / 2
        p.setFont(f)
        for line, (width, up, down) in zip(lines, extents, strict=True):
            p.drawText(QPointF(rect.left() + (rect.width() - width) / 2, top + up), line)
            top += up + down
        p.end()


@dataclass
class Early:
    """The application and the starting window opened before the kiosk's modules."""

    start: AppStart
    window: StartingWindow


_early: Early | None = None


def open_early(args: Any) -> bool:
    """Show the starting window now (and, with ``--smoke``, say "first frame"); False when the
    normal start must answer instead (bad ``--size``/``--tile``, no screen to open)."""
    global _early
    try:
        start = start_app(args, quiet=True)
    except Exception:  # noqa: BLE001 - the normal start reports it, with its message
        return False
    if isinstance(start, int):
        return False
    window = StartingWindow(start.family)
    if start.windowed:
        window.resize(*(start.size or DEFAULT_WINDOW))
        start.place(window)
        window.show()
    else:
        from shared.qt.screens import show_full_screen

        # The primary screen for now; the kiosk moves to its [kiosk] screen once the settings
        # are read.
        show_full_screen(window)
    if start.smoke:
        report_first_frame(start.app, window, start.started, "kiosk", None)
    else:
        start.app.processEvents()
    _early = Early(start, window)
    return True


def take_early() -> Early | None:
    """The early start, once (``kiosk.program.run`` continues from it)."""
    global _early
    early, _early = _early, None
    return early
