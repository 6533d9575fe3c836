"""The product's clock in tests: stands still at a chosen instant; programs a test starts share it.

``clock.set("2026-11-18T11:29:00+07:00")`` or ``clock.set(datetime(...))`` moves the whole product
(the core, the apps' windows, and any ``motcua`` process started afterwards, through
``MOTCUA_CLOCK``); ``clock.advance(minutes=2)`` moves it on.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from shared.clock import CLOCK_ENV, FixedClock

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(*parts: int) -> datetime:
    """A moment in Việt Nam's local time: ``vn(2026, 11, 18, 9, 0)``."""
    return datetime(*parts, tzinfo=VN)  # type: ignore[misc]


class TestClock(FixedClock):
    """A :class:`FixedClock` that also sets ``MOTCUA_CLOCK`` for the programs a test starts
    (they run on from the instant set, at real speed)."""

    __test__ = False  # not a test class for pytest

    def set(self, moment: datetime | str) -> datetime:
        at = super().set(moment)
        os.environ[CLOCK_ENV] = self.setting()
        return at

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        at = super().advance(delta, **parts)
        os.environ[CLOCK_ENV] = self.setting()
        return at
