"""What the kiosk shows, as plain data (no Qt): services with their queues, priority groups.

:func:`load_home` reads everything once (the UI calls it in a worker thread);
:func:`home_from_status` rebuilds the figures after each change-feed batch from one
:meth:`~shared.queue.QueueEngine.status` read.

The estimated wait shown on a service button is deliberately coarse: people waiting ×
:data:`~shared.queue.DEFAULT_SERVICE_MIN` minutes ÷ open counters serving the service, shown as a
5- or 10-minute range ("khoảng 15–20 phút"), never a false precision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from shared.i18n import tr
from shared.queue import DEFAULT_SERVICE_MIN
from shared.views import QueueStatus

CONFIRM_SECONDS = 8
"""How long the confirmation stays before the home screen comes back (kiosk.confirm_seconds)."""
CONFIRM_PRINTER_FAILED_SECONDS = 25
"""Longer when the printer failed: time to note the number or photograph the QR."""
TOUCH_GRACE_SECONDS = 1.5
"""A touch on the confirmation is ignored this long (a nervous second tap must not dismiss it)."""
IDLE_SECONDS = 30
"""A half-done flow (priority choice) returns home after this long without a touch."""
ERROR_SECONDS = 6
"""The calm error message stays this long, then home."""
RETRY_SECONDS = 3
"""Out of service: how often the kiosk tries the database again."""
REFRESH_THROTTLE_MS = 250
"""Change-feed batches closer than this cause one status read, not several."""
BUSY_NOTICE_MS = 300
"""When taking a number takes longer than this, say "Đang lấy số…"."""


@dataclass(frozen=True)
class ServiceChoice:
    """One service button."""

    code: str
    name: str
    name_en: str
    waiting: int
    open_counters: tuple[int, ...]
    """Numbers of the unpaused counters serving it; empty: it cannot be taken now."""

    @property
    def available(self) -> bool:
        return bool(self.open_counters)

    def label(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name

    def estimate_min(self) -> int:
        return math.ceil(self.waiting * DEFAULT_SERVICE_MIN / max(1, len(self.open_counters)))


@dataclass(frozen=True)
class GroupChoice:
    code: str
    name: str
    name_en: str

    def label(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name


@dataclass(frozen=True)
class HomeData:
    centre_name: str = ""
    centre_name_en: str = ""
    timezone: str = "Asia/Ho_Chi_Minh"
    centre_id: int | None = None
    last_event_id: int = 0
    services: tuple[ServiceChoice, ...] = ()
    groups: tuple[GroupChoice, ...] = field(default_factory=tuple)

    def centre_label(self, language: str) -> str:
        return self.centre_name_en if language == "en" and self.centre_name_en else self.centre_name

    def service(self, code: str) -> ServiceChoice | None:
        return next((s for s in self.services if s.code == code), None)


def choices_from_status(status: QueueStatus) -> tuple[ServiceChoice, ...]:
    open_by_service: dict[str, list[int]] = {}
    for counter in status.counters:
        if counter.paused:
            continue
        for code in counter.services:
            open_by_service.setdefault(code, []).append(counter.number)
    return tuple(
        ServiceChoice(
            code=svc.code,
            name=svc.name,
            name_en=svc.name_en,
            waiting=svc.waiting,
            open_counters=tuple(sorted(open_by_service.get(svc.code, ()))),
        )
        for svc in status.services
    )


def home_from_status(home: HomeData, status: QueueStatus) -> HomeData:
    return replace(home, services=choices_from_status(status))


def load_home(db: Any, centre: str | None) -> HomeData:
    """Everything the home screen needs (raises the :class:`~shared.errors.MotcuaError` family)."""
    from shared.board import load_board_source
    from shared.catalog import show_catalog

    source = load_board_source(db, centre)
    catalog = show_catalog(db, source.status.centre)
    groups = tuple(
        GroupChoice(g["code"], g["name"], g.get("name_en") or "")
        for g in catalog["priority_groups"]
    )
    return HomeData(
        centre_name=source.centre_name,
        centre_name_en=source.centre_name_en,
        timezone=source.timezone,
        centre_id=source.centre_id,
        last_event_id=source.last_event_id,
        services=choices_from_status(source.status),
        groups=groups,
    )


# --- wording ------------------------------------------------------------------------------------


def wait_range(minutes: int) -> tuple[int, int] | None:
    """A coarse range around ``minutes``: None under 5 minutes, 5-minute steps up to an hour,
    then 15-minute steps."""
    if minutes < 5:
        return None
    step = 5 if minutes < 60 else 15
    low = (minutes // step) * step
    return low, low + step


def wait_text(minutes: int | None, language: str) -> str:
    """ "khoảng 15–20 phút", "dưới 5 phút"; empty when unknown."""
    if minutes is None:
        return ""
    span = wait_range(minutes)
    if span is None:
        return tr("kiosk.wait.under5", language=language)
    return tr("kiosk.wait.range", language=language, low=span[0], high=span[1])


def waiting_text(waiting: int, language: str) -> str:
    if waiting == 0:
        return tr("kiosk.waiting.none", language=language)
    if waiting == 1:
        return tr("kiosk.waiting.one", language=language)
    return tr("kiosk.waiting.many", language=language, count=waiting)


def ahead_text(ahead: int | None, language: str) -> str:
    if not ahead:
        return tr("kiosk.ahead.none", language=language)
    if ahead == 1:
        return tr("kiosk.ahead.one", language=language)
    return tr("kiosk.ahead.many", language=language, count=ahead)
