"""Time: one clock for the whole product; always aware UTC in storage, the centre's local day
for numbering.

Every part of the product reads "now" from :func:`utcnow` (use cases also take an optional
``now`` so the demo can run a compressed day): the queue engine, the dossier desk, the calendar,
the kiosk's opening hours, the display's clock, the counter's lists. By default it is this
computer's real time. Two ways to set it otherwise, both for tests, training and rehearsals:

* in a process, :func:`set_clock` / :func:`using` with a :class:`FixedClock` (stands still until
  moved) or a :class:`ShiftedClock` (runs at real speed from another instant);
* for whole programs, the environment variable ``MOTCUA_CLOCK``: an ISO instant with its UTC
  offset, e.g. ``2026-12-06T21:00:00+07:00``: the program's clock reads that instant when it
  first looks and runs on from there. The value is then rewritten as
  ``2026-12-06T21:00:00+07:00@1796562000.000`` ("that instant at this Unix time") so that every
  program started from this one keeps the very same clock; that form may also be given directly.

A shifted clock is logged as a warning when a program starts (``motcua doctor`` shows it): a
centre in service never sets it.

On PostgreSQL the database server's clock is the centre's: when this computer's own clock is
more than a few seconds off it (a flat CMOS battery, a wrong time zone setting, a jump), the
database layer measures the difference and the product uses the server's time
(:func:`set_correction`; logged). A clock set on purpose (above) is never corrected.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
CLOCK_ENV = "MOTCUA_CLOCK"

Clock = Callable[[], datetime]
"""Anything that returns the current instant, aware."""


def system_clock() -> datetime:
    """This computer's real time."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class ShiftedClock:
    """Real time moved by ``offset``: it runs at real speed."""

    offset: timedelta

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    @classmethod
    def starting_at(cls, moment: datetime, *, real: float | None = None) -> ShiftedClock:
        """The clock that reads ``moment`` at Unix time ``real`` (by default: now)."""
        at = time.time() if real is None else real
        return cls(_aware(moment) - datetime.fromtimestamp(at, UTC))

    def setting(self) -> str:
        """The ``MOTCUA_CLOCK`` value that gives another program this same clock."""
        real = time.time()
        moment = datetime.fromtimestamp(real, UTC) + self.offset
        return f"{moment.isoformat()}@{real:.6f}"


class FixedClock:
    """A clock that stands still until it is set or moved (tests, rehearsals)."""

    def __init__(self, moment: datetime) -> None:
        self._lock = threading.Lock()
        self._at = _aware(moment)

    def __call__(self) -> datetime:
        with self._lock:
            return self._at

    def set(self, moment: datetime | str) -> datetime:
        """Stand at ``moment`` (an aware datetime or an ISO text with its UTC offset)."""
        at = _aware(parse_instant(moment) if isinstance(moment, str) else moment)
        with self._lock:
            self._at = at
        return at

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Move forward by ``delta`` or by ``timedelta(**parts)`` (``minutes=2``)."""
        step = (delta or timedelta()) + timedelta(**parts)
        with self._lock:
            self._at += step
            return self._at

    def setting(self) -> str:
        """The ``MOTCUA_CLOCK`` value for another program: this instant, running from now."""
        return ShiftedClock.starting_at(self()).setting()

    def __repr__(self) -> str:
        return f"FixedClock({self().isoformat()})"


_lock = threading.Lock()
_clock: Clock | None = None
_correction = timedelta(0)


def utcnow() -> datetime:
    """The product's current instant, aware, in UTC."""
    clock = _clock if _clock is not None else install_from_environment()
    if clock is system_clock:
        return clock().astimezone(UTC) + _correction
    return clock().astimezone(UTC)


def set_correction(offset: timedelta) -> None:
    """Add ``offset`` to this computer's own time from now on (the database server's clock
    minus this computer's; zero to stop). A clock set on purpose is never corrected."""
    global _correction
    _correction = offset


def correction() -> timedelta:
    """What is added to this computer's time (see :func:`set_correction`)."""
    return _correction


def now_in(timezone: str) -> datetime:
    """The product's current instant in a centre's time zone."""
    return utcnow().astimezone(zone(timezone))


def today_in(timezone: str) -> date:
    """The centre's calendar day now (not this computer's: 06:30 in Hà Nội is 23:30 UTC)."""
    return now_in(timezone).date()


def current() -> Clock:
    """The clock in use."""
    return _clock if _clock is not None else install_from_environment()


def set_clock(clock: Clock | None) -> Clock | None:
    """Use ``clock`` from now on (``None``: read ``MOTCUA_CLOCK`` again); returns the old one."""
    global _clock
    with _lock:
        previous, _clock = _clock, clock
    return previous


@contextmanager
def using(clock: Clock) -> Iterator[Clock]:
    """Use ``clock`` inside the block, then the previous one again."""
    previous = set_clock(clock)
    try:
        yield clock
    finally:
        set_clock(previous)


def is_shifted() -> bool:
    """Whether the clock in use is not this computer's real time."""
    return current() is not system_clock


def install_from_environment() -> Clock:
    """Take the clock from ``MOTCUA_CLOCK`` (unset or empty: the real time) and use it.

    An unanchored value is anchored to the time it is read and written back into the
    environment, so that the programs this one starts share its clock. Raises
    :class:`~shared.errors.ConfigError` on a value that is not an instant with its UTC offset.
    """
    global _clock
    with _lock:
        if _clock is not None:
            return _clock
        text = os.environ.get(CLOCK_ENV, "").strip()
        if not text:
            _clock = system_clock
            return _clock
        clock = parse_setting(text)
        os.environ[CLOCK_ENV] = clock.setting()
        _clock = clock
        return clock


def parse_setting(text: str) -> ShiftedClock:
    """``ISO`` or ``ISO@UNIX_TIME`` (see the module's notes) as a clock."""
    instant, _, real = text.strip().partition("@")
    moment = parse_instant(instant)
    if not real:
        return ShiftedClock.starting_at(moment)
    try:
        anchor = float(real)
    except ValueError:
        raise _bad_setting(text) from None
    return ShiftedClock.starting_at(moment, real=anchor)


def parse_instant(text: str | datetime) -> datetime:
    """An ISO instant with its UTC offset (``2026-12-06T21:00:00+07:00``), aware."""
    if isinstance(text, datetime):
        return _aware(text)
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise _bad_setting(text) from None
    if moment.tzinfo is None:
        raise _bad_setting(text)
    return moment


def _bad_setting(text: str) -> Exception:
    from shared.errors import ClockSettingError

    return ClockSettingError(variable=CLOCK_ENV, value=repr(text))


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; pass an aware one")
    return moment.astimezone(UTC)


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
    """``moment`` in UTC; the product's clock when ``None``."""
    if moment is None:
        return utcnow()
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; pass an aware one")
    return moment.astimezone(UTC)


def format_vn(moment: datetime, timezone: str, *, seconds: bool = True) -> str:
    """Vietnamese print format, local time: ``25/11/2026 - 08:05:09``."""
    local = moment.astimezone(zone(timezone))
    return local.strftime("%d/%m/%Y - %H:%M:%S" if seconds else "%d/%m/%Y - %H:%M")
