"""The kiosk's screens: thin painted widgets over :class:`~kiosk.model.HomeData`.

Big white cards with dark text on a dark navy background; the priority entry is yellow with black
text and says "ƯU TIÊN" in words. A service that cannot be taken now is a grey card that says why
(never hidden, never told by colour alone). Every text is fitted with QFontMetrics
(:mod:`kiosk.paint`), so tone marks are never clipped, whatever the screen size.

One screen per module: :mod:`~kiosk.screens.home` (services, and the priority flow's services),
:mod:`~kiosk.screens.groups`, :mod:`~kiosk.screens.confirm`, :mod:`~kiosk.screens.message`,
:mod:`~kiosk.screens.pin` and :mod:`~kiosk.screens.lookup`; what they share is in
:mod:`~kiosk.screens.base` (header, top bar, grid) and :mod:`~kiosk.screens.buttons` (the
buttons and their card painting).
"""

from __future__ import annotations

from kiosk.model import Confirmation, local_clock
from kiosk.screens.base import HeaderBar, Screen, TitleBar, TopBar, TopBarScreen
from kiosk.screens.buttons import (
    BackButton,
    GroupButton,
    LanguageButton,
    LargeTextButton,
    LookupEntryButton,
    PriorityButton,
    ServiceButton,
    TouchButton,
    draw_magnifier,
    paint_card,
    paint_framed,
    paint_switch,
)
from kiosk.screens.confirm import ConfirmScreen
from kiosk.screens.groups import GroupScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.lookup import LookupScreen
from kiosk.screens.message import MessageScreen
from kiosk.screens.pin import PinScreen

__all__ = [
    "BackButton",
    "Confirmation",
    "ConfirmScreen",
    "GroupButton",
    "GroupScreen",
    "HeaderBar",
    "HomeScreen",
    "LanguageButton",
    "LargeTextButton",
    "LookupEntryButton",
    "LookupScreen",
    "MessageScreen",
    "PinScreen",
    "PriorityButton",
    "Screen",
    "ServiceButton",
    "TitleBar",
    "TopBar",
    "TopBarScreen",
    "TouchButton",
    "draw_magnifier",
    "local_clock",
    "paint_card",
    "paint_framed",
    "paint_switch",
]
