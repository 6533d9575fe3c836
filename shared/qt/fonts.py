"""The shipped Noto Sans fonts, registered with Qt once per process.

Noto Sans covers every Vietnamese letter with its tone marks; the apps use it instead of whatever
the operating system offers, so tone marks look the same (and are never missing) on every PC.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFontDatabase

from shared.resources import asset

log = logging.getLogger("motcua.fonts")

FONT_FILES = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")
FALLBACK_FAMILY = "Noto Sans"

_family: str | None = None


def load_fonts() -> str:
    """Register the shipped fonts (once) and return their family name.

    Needs a QGuiApplication. When a file is missing or unreadable the family name is still
    returned, so Qt falls back to an installed Noto Sans or its default sans-serif font.
    """
    global _family
    if _family is not None:
        return _family
    family = FALLBACK_FAMILY
    for name in FONT_FILES:
        path = asset("fonts", name)
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("cannot load the font %s", path)
            continue
        families = QFontDatabase.applicationFontFamilies(font_id)
        if families:
            family = families[0]
    _family = family
    return family
