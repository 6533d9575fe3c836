"""The centre's logo in the kiosk's header: a PNG or SVG file from [kiosk] logo, or a plain
round mark with the centre's initials (no national emblem). Always drawn whole, centred in its
box with its own proportions: never stretched."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from kiosk.paint import NAVY, WHITE, YELLOW, draw_text

log = logging.getLogger("motcua.kiosk")

MAX_LETTERS = 4


def initials(logo_text: str, centre_code: str, centre_name: str) -> str:
    """The letters of the built-in mark: ``logo_text``, else the centre code's first part
    ("HCC-LA" → "HCC"), else the capitals of the name; at most :data:`MAX_LETTERS`."""
    text = logo_text.strip()
    if not text and centre_code:
        text = centre_code.replace("_", "-").split("-")[0]
    if not text:
        text = "".join(word[0] for word in centre_name.split() if word[:1].isupper())
    return text.upper()[:MAX_LETTERS]


class Logo:
    """Loads the configured file once; :meth:`paint` draws it (or the mark) into a box."""

    def __init__(self, path: str = "", letters: str = "", family: str = "") -> None:
        self.letters = letters
        self.family = family
        self.image: QImage | None = None
        self.svg: Any = None
        if path:
            self._load(Path(path).expanduser())

    def _load(self, path: Path) -> None:
        if not path.is_file():
            log.warning("kiosk logo not found: %s (the built-in mark is shown)", path)
            return
        if path.suffix.lower() == ".svg":
            from PySide6.QtSvg import QSvgRenderer

            renderer = QSvgRenderer(str(path))
            if renderer.isValid():
                self.svg = renderer
                return
        else:
            image = QImage(str(path))
            if not image.isNull():
                self.image = image
                return
        log.warning("kiosk logo cannot be read: %s (the built-in mark is shown)", path)

    @property
    def from_file(self) -> bool:
        return self.image is not None or self.svg is not None

    def natural_size(self) -> QSizeF:
        if self.image is not None:
            return QSizeF(self.image.size())
        if self.svg is not None:
            size = self.svg.defaultSize()
            if size.width() > 0 and size.height() > 0:
                return QSizeF(size)
        return QSizeF(1, 1)

    def fitted(self, box: QRectF) -> QRectF:
        """The largest rectangle with the logo's proportions inside ``box``, centred."""
        size = self.natural_size()
        scale = min(box.width() / size.width(), box.height() / size.height())
        w, h = size.width() * scale, size.height() * scale
        return QRectF(box.center().x() - w / 2, box.center().y() - h / 2, w, h)

    def paint(self, p: QPainter, box: QRectF) -> None:
        if box.width() < 4 or box.height() < 4:
            return
        target = self.fitted(box)
        if self.image is not None:
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            p.drawImage(target, self.image)
            return
        if self.svg is not None:
            self.svg.render(p, target)
            return
        if not self.letters:
            return
        # The built-in mark: a white ring on the navy header, the initials in yellow.
        ring = max(2.0, target.width() * 0.05)
        circle = target.adjusted(ring, ring, -ring, -ring)
        p.setPen(QPen(WHITE, ring))
        p.setBrush(QColor(NAVY))
        p.drawEllipse(circle)
        inner = circle.adjusted(
            circle.width() * 0.17,
            circle.height() * 0.25,
            -circle.width() * 0.17,
            -circle.height() * 0.25,
        )
        draw_text(
            p,
            inner,
            self.letters,
            self.family,
            color=YELLOW,
            bold=True,
            tight=True,
            align=Qt.AlignmentFlag.AlignCenter,
        )
