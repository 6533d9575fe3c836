"""Time: always aware UTC in storage, the centre's local day for numbering.

Use cases take an optional ``now`` so the demo can run a compressed day and tests can cross
midnight; by default it is the real time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


def utcnow() -> datetime:
    return datetime.now(UTC)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None


def local_day(moment: datetime, timezone: str) -> date:
    """The centre's calendar day at ``moment`` (not the UTC day: 06:30 in Hà Nội is 23:30 UTC)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(zone(timezone)).date()


def ensure_aware(moment: datetime | None) -> datetime:
    if moment is None:
        return utcnow()
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; pass an aware one")
    return moment.astimezone(UTC)


def format_vn(moment: datetime, timezone: str, *, seconds: bool = True) -> str:
    """Vietnamese print format, local time: ``25/11/2026 - 08:05:09``."""
    local = moment.astimezone(zone(timezone))
    return local.strftime("%d/%m/%Y - %H:%M:%S" if seconds else "%d/%m/%Y - %H:%M")
