"""The working calendar: which days the centre works, and when a dossier is due.

The calendar is an editable per-year table (``calendar_days``): weekdays off (holidays, make-up
days, swapped days) with their reason, and worked Saturdays/Sundays. Everything else follows the
week: Monday–Friday work, Saturday–Sunday off. A year the table does not hold yet follows the
statutory holidays (:func:`statutory_days_off`, Labour Code 2019 Art. 112 with the Vietnamese
lunar calendar); the first change to such a year starts from that pre-fill, and an
administrator confirms the year once it matches the government's announcement.

:class:`WorkCalendar` is a plain snapshot (no database); :func:`load_calendar` reads it. The
use cases that write (:func:`set_day_off`, :func:`set_work_day`, :func:`clear_day`,
:func:`prefill`, :func:`confirm_year`, :func:`import_calendar`) each run in one transaction and
append one event (``calendar.changed`` or ``calendar.confirmed``) with the user id when known.

Due dates (:meth:`WorkCalendar.due_at`), all in the centre's time zone; see docs/calendar.md:

* **Open periods.** A working day is open in the periods of :class:`WorkingHours` (default
  07:30–11:30 and 13:30–17:00, half-open: 11:30 and 17:00 are already closed).
* **Receipt.** A receipt on a non-working day, or at/after closing, counts as received at the
  opening of the next working day; before opening it counts from opening; during lunch from the
  afternoon opening.
* **N working days** (N ≥ 1, whole): due on the N-th working day after the receipt day (that day
  not counted), at the receipt's time of day as counted above. That equals N × the day's open
  hours counted across open periods, so whole and fractional days agree.
* **Fractional days** (e.g. 0.5, 1.5): days × the working day's length (7.5 h by default) in
  working hours.
* **Hours** (``processing_hours``): working hours added across the open periods of working days.
* **Same day** (0 days or 0 hours): received before the cut-off (the procedure's, else
  ``[calendar] default_cutoff``, 15:00) → due that day at closing; at or after the cut-off →
  the next working day at closing.
* Results are rounded **up** to the whole minute (appointments are printed to the minute).
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, Literal

from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.orm import Session

from shared.clock import DEFAULT_TIMEZONE, ensure_aware, zone
from shared.db import Database
from shared.dossier_views import CalendarYear, Progress, Timeliness
from shared.errors import (
    CalendarDayUnset,
    CalendarInputError,
    ConfigError,
    WeekdayAlreadyWorking,
    WeekendAlreadyOff,
)
from shared.events import append
from shared.i18n import tr
from shared.lunar import lunar_new_year_eve, lunar_to_solar, tet
from shared.models import CalendarDay, CalendarYearStatus, UTCDateTime
from shared.settings import CalendarSettings
from shared.views import JsonView

FIRST_YEAR: Final = 1900
LAST_YEAR: Final = 2199
REASON_LIMIT: Final = 200
EVENT_CHANGED: Final = "calendar.changed"
EVENT_CONFIRMED: Final = "calendar.confirmed"
_SEARCH_LIMIT = 800
"""Days searched for the next working day before the calendar is declared unusable."""

Source = Literal["manual", "import", "prefill"]


# --- parsing ---------------------------------------------------------------------------------

_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_VN = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_date(text: str) -> date:
    """``2026-04-27`` or ``27/04/2026``; anything else raises :class:`CalendarInputError`."""
    value = text.strip()
    match = _DATE_ISO.match(value)
    parts: tuple[int, int, int] | None = None
    if match:
        parts = (int(match[1]), int(match[2]), int(match[3]))
    else:
        match = _DATE_VN.match(value)
        if match:
            parts = (int(match[3]), int(match[2]), int(match[1]))
    try:
        if parts is None:
            raise ValueError(value)
        day = date(*parts)
    except ValueError:
        raise CalendarInputError("error.calendar_bad_date", text=text) from None
    check_year(day.year)
    return day


def parse_time(text: str) -> time:
    """``HH:MM`` (24-hour); anything else raises :class:`CalendarInputError`."""
    match = _TIME.match(text.strip())
    try:
        if not match:
            raise ValueError(text)
        return time(int(match[1]), int(match[2]))
    except ValueError:
        raise CalendarInputError("error.calendar_bad_time", text=text) from None


def check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarInputError("error.calendar_bad_year", year=year)
    return year


def _clean_reason(reason: str) -> str:
    text = unicodedata.normalize("NFC", " ".join(reason.split()))
    if len(text) > REASON_LIMIT:
        raise CalendarInputError("error.calendar_reason_long", limit=REASON_LIMIT)
    return text


def weekday_name(day: date) -> str:
    return tr(f"calendar.weekday.{day.weekday()}")


def _dmy(day: date) -> str:
    return f"{day:%d/%m/%Y}"


# --- working hours ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkingHours:
    """The open periods of a working day and the default same-day cut-off."""

    periods: tuple[tuple[time, time], ...] = (
        (time(7, 30), time(11, 30)),
        (time(13, 30), time(17, 0)),
    )
    default_cutoff: time = time(15, 0)

    def __post_init__(self) -> None:
        if not self.periods:
            raise ValueError("a working day needs at least one open period")
        previous = time.min
        for start, end in self.periods:
            if not previous <= start < end:
                raise ValueError(f"open periods must be in order and not overlap: {self.periods}")
            previous = end

    @classmethod
    def from_settings(cls, settings: CalendarSettings) -> WorkingHours:
        """From the ``[calendar]`` section; a wrong value raises :class:`ConfigError`."""
        try:
            periods = (_period(settings.morning), _period(settings.afternoon))
            return cls(periods, parse_time(settings.default_cutoff))
        except (ValueError, CalendarInputError) as exc:
            detail = exc.message if isinstance(exc, CalendarInputError) else str(exc)
            raise ConfigError(file="[calendar]", detail=detail) from None

    @property
    def opening(self) -> time:
        return self.periods[0][0]

    @property
    def closing(self) -> time:
        return self.periods[-1][1]

    @property
    def day_length(self) -> timedelta:
        """Open time of one working day (7 h 30 min by default)."""
        return sum((_span(start, end) for start, end in self.periods), timedelta())


def _period(text: str) -> tuple[time, time]:
    start, sep, end = text.partition("-")
    if not sep:
        raise ValueError(f"“{text}”: HH:MM-HH:MM")
    first, last = parse_time(start), parse_time(end)
    if not first < last:
        raise ValueError(f"“{text}”: the end must come after the start")
    return first, last


def _span(start: time, end: time) -> timedelta:
    return datetime.combine(date.min, end) - datetime.combine(date.min, start)


# --- statutory holidays (Labour Code 2019 Art. 112) ------------------------------------------

_WEEKEND: Final = (5, 6)


def _is_weekend(day: date) -> bool:
    return day.weekday() in _WEEKEND


def statutory_holidays(year: int) -> list[tuple[date, str]]:
    """The public holidays of ``year`` by the Labour Code (weekend ones included), by date.

    1/1; Tết: the last day of the lunar year and the first four days of the new one (the
    government's usual split of the 5 days); Giỗ Tổ Hùng Vương 10/3 lunar; 30/4; 1/5; 2/9 with
    one adjacent day, 1/9 or 3/9, whichever gives the longer break (ties: 1/9, as in 2022, 2023
    and 2026).
    """
    check_year(year)
    eve = lunar_new_year_eve(year)
    new_year = tet(year)
    days: list[tuple[date, str]] = [(date(year, 1, 1), "Tết Dương lịch")]
    days.append((eve, "Tết Nguyên đán (ngày cuối năm Âm lịch)"))
    days += [(new_year + timedelta(days=i), f"Tết Nguyên đán (mùng {i + 1})") for i in range(4)]
    days.append((lunar_to_solar(year, 3, 10), "Giỗ Tổ Hùng Vương (10/3 Âm lịch)"))
    days.append((date(year, 4, 30), "Ngày Chiến thắng (30/4)"))
    days.append((date(year, 5, 1), "Ngày Quốc tế Lao động (1/5)"))
    national = date(year, 9, 2)
    days.append((national, "Quốc khánh (2/9)"))
    days.append((_national_day_neighbour(national), "Quốc khánh (ngày liền kề)"))
    return sorted(days)


def _national_day_neighbour(national: date) -> date:
    """1/9 or 3/9: the one whose break (with make-up days) around 2/9 is longer; ties: 1/9."""
    best: tuple[int, date] | None = None
    for candidate in (national - timedelta(days=1), national + timedelta(days=1)):
        holidays = [(national, ""), (candidate, "")]
        off = set(_with_make_up(holidays))
        length = _break_length(national, off)
        if best is None or length > best[0]:
            best = (length, candidate)
    assert best is not None
    return best[1]


def _break_length(day: date, off: set[date]) -> int:
    def closed(d: date) -> bool:
        return _is_weekend(d) or d in off

    first = last = day
    while closed(first - timedelta(days=1)):
        first -= timedelta(days=1)
    while closed(last + timedelta(days=1)):
        last += timedelta(days=1)
    return (last - first).days + 1


def _with_make_up(holidays: list[tuple[date, str]]) -> dict[date, str]:
    """Weekday days off: holidays on weekdays, and for each holiday on a Saturday or Sunday a
    make-up day (nghỉ bù) on the next working day (Labour Code 2019 Art. 112(3))."""
    taken = {day for day, _ in holidays}
    off = {day: reason for day, reason in holidays if not _is_weekend(day)}
    for day, reason in sorted(holidays):
        if not _is_weekend(day):
            continue
        make_up = day + timedelta(days=1)
        while _is_weekend(make_up) or make_up in taken or make_up in off:
            make_up += timedelta(days=1)
        off[make_up] = f"Nghỉ bù {reason} ({weekday_vi(day)} {day:%d/%m})"
    return off


def weekday_vi(day: date) -> str:
    return tr(f"calendar.weekday.{day.weekday()}", language="vi")


@lru_cache(maxsize=64)
def _statutory(year: int) -> tuple[tuple[date, str], ...]:
    return tuple(sorted(_with_make_up(statutory_holidays(year)).items()))


def statutory_days_off(year: int) -> dict[date, str]:
    """Weekdays off in ``year`` by the law alone (holidays and make-up days), with reasons.

    The government's yearly swaps (e.g. work Saturday 22/8/2026 for Monday 31/8/2026) are not
    rules: an administrator enters or imports them.
    """
    return dict(_statutory(year))


# --- the snapshot ----------------------------------------------------------------------------


class WorkCalendar:
    """Which days are worked and when things are due; a plain snapshot, no database."""

    def __init__(
        self,
        off: Mapping[date, str] | None = None,
        work: Iterable[date] = (),
        *,
        years: Iterable[int] = (),
        confirmed: Iterable[int] = (),
        hours: WorkingHours | None = None,
        timezone: str = DEFAULT_TIMEZONE,
    ) -> None:
        self._off = dict(off or {})
        self._work = frozenset(work)
        self.years = frozenset(years)
        """Years the table holds; other years follow :func:`statutory_days_off`."""
        self.confirmed_years = frozenset(confirmed)
        self.hours = hours or WorkingHours()
        self.timezone = timezone
        self.tz = zone(timezone)

    # --- days ------------------------------------------------------------------------------

    def day_off_reason(self, day: date) -> str | None:
        """Why a weekday is off ("" when no reason was given); None when it is not off."""
        if day.year in self.years:
            return self._off.get(day)
        if FIRST_YEAR <= day.year <= LAST_YEAR:
            return statutory_days_off(day.year).get(day)
        return None

    def is_working_day(self, day: date) -> bool:
        if day.year in self.years and day in self._work:
            return True
        if _is_weekend(day):
            return False
        return self.day_off_reason(day) is None

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        candidate = day
        for _ in range(_SEARCH_LIMIT):
            candidate += timedelta(days=1)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"no working day within {_SEARCH_LIMIT} days after {day}")

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (``day`` itself not counted); n = 0: ``day``."""
        if n < 0:
            raise ValueError(f"working days must be ≥ 0, not {n}")
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    # --- moments ---------------------------------------------------------------------------

    def _at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=self.tz)

    def counted_from(self, received_at: datetime) -> datetime:
        """When a receipt starts to count: inside an open period, itself; otherwise the next
        opening (lunch → afternoon opening; after closing or on a day off → the next working
        day's opening)."""
        local = ensure_aware(received_at).astimezone(self.tz)
        day, clock = local.date(), local.timetz().replace(tzinfo=None)
        if self.is_working_day(day):
            for start, end in self.hours.periods:
                if clock < start:
                    return self._at(day, start)
                if clock < end:
                    return local
        return self._at(self.next_working_day(day), self.hours.opening)

    def due_at(
        self,
        received_at: datetime,
        *,
        days: float | None = None,
        hours: float | None = None,
        cutoff: str | None = None,
    ) -> datetime:
        """When a procedure received at ``received_at`` is due (aware, centre zone, rounded up
        to the minute). Exactly one of ``days`` (working days) and ``hours`` (working hours).

        * days = N ≥ 1 whole: the N-th working day after the day the receipt counts from (that
          day not counted), at its time of day; see :meth:`counted_from`.
        * fractional days: days × the working day's length, as working hours.
        * hours: working hours added across the open periods of working days.
        * 0 (days or hours): same-day; received before ``cutoff`` (``HH:MM``, default
          ``[calendar] default_cutoff``) → that working day at closing, else the next working
          day at closing.
        """
        if (days is None) == (hours is None):
            raise ValueError("give exactly one of days and hours")
        amount = float(days if days is not None else hours)  # type: ignore[arg-type]
        if not math.isfinite(amount) or amount < 0:
            raise ValueError(f"a processing time must be ≥ 0, not {amount}")
        if amount == 0:
            return self._same_day(received_at, cutoff)
        start = self.counted_from(received_at)
        if days is not None and amount.is_integer():
            due_day = self.add_working_days(start.date(), int(amount))
            return _ceil_minute(self._at(due_day, start.timetz().replace(tzinfo=None)))
        length = amount * self.hours.day_length if days is not None else timedelta(hours=amount)
        return _ceil_minute(self._add_open_time(start, length))

    def _same_day(self, received_at: datetime, cutoff: str | None) -> datetime:
        limit = parse_time(cutoff) if cutoff else self.hours.default_cutoff
        local = ensure_aware(received_at).astimezone(self.tz)
        start = self.counted_from(received_at)
        clock = local.timetz().replace(tzinfo=None) if start.date() == local.date() else time.min
        day = start.date() if clock < limit else self.next_working_day(start.date())
        return self._at(day, self.hours.closing)

    def _add_open_time(self, start: datetime, length: timedelta) -> datetime:
        remaining = length
        day = start.date()
        position = start.timetz().replace(tzinfo=None)
        for _ in range(_SEARCH_LIMIT * 2):
            for period_start, period_end in self.hours.periods:
                if period_end <= position:
                    continue
                begin = max(position, period_start)
                available = _span(begin, period_end)
                if remaining <= available:
                    return self._at(day, begin) + remaining
                remaining -= available
            day = self.next_working_day(day)
            position = time.min
        raise ValueError(f"processing time too long: {length}")

    def timeliness(self, done_at: datetime, due_at: datetime) -> Timeliness:
        """Of a result ready at ``done_at``: "late" after ``due_at``; "early" on an earlier
        calendar day than ``due_at``'s (centre zone); otherwise "on_time"."""
        done, due = ensure_aware(done_at), ensure_aware(due_at)
        if done > due:
            return "late"
        if done.astimezone(self.tz).date() < due.astimezone(self.tz).date():
            return "early"
        return "on_time"

    def progress(self, now: datetime, due_at: datetime) -> Progress:
        """Of work still open at ``now``: "overdue" after ``due_at``; "due_today" on
        ``due_at``'s calendar day (centre zone) up to that time; otherwise "in_time"."""
        at, due = ensure_aware(now), ensure_aware(due_at)
        if at > due:
            return "overdue"
        if at.astimezone(self.tz).date() == due.astimezone(self.tz).date():
            return "due_today"
        return "in_time"


def _ceil_minute(moment: datetime) -> datetime:
    if moment.second or moment.microsecond:
        moment = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return moment


def load_calendar(
    session: Session, hours: WorkingHours | None = None, *, timezone: str | None = None
) -> WorkCalendar:
    """The calendar as stored (every year the table holds; other years statutory)."""
    years = session.execute(select(CalendarYearStatus.year, CalendarYearStatus.confirmed)).all()
    rows = session.execute(select(CalendarDay.day, CalendarDay.kind, CalendarDay.reason)).all()
    return WorkCalendar(
        {day: reason for day, kind, reason in rows if kind == "off"},
        [day for day, kind, _ in rows if kind == "work"],
        years=[year for year, _ in years],
        confirmed=[year for year, confirmed in years if confirmed],
        hours=hours,
        timezone=timezone or DEFAULT_TIMEZONE,
    )


# --- use cases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEntry(JsonView):
    """One day after a change: what it is now."""

    day: date
    working: bool
    kind: str | None
    """"off" or "work" when the table holds the day, else None (the week's rule applies)."""
    reason: str
    source: str | None


@dataclass(frozen=True)
class PrefillResult(JsonView):
    year: int
    written: int
    """Days off written (or kept as they were) from the rules."""
    kept: tuple[date, ...]
    """Days entered by hand or imported, left untouched."""
    removed: int
    """Pre-filled days no longer given by the rules."""


@dataclass(frozen=True)
class ImportResult(JsonView):
    year: int
    off: int
    work: int


def _now(now: datetime | None) -> datetime:
    return ensure_aware(now)


_YEAR_INSERT = text(
    "INSERT INTO calendar_years (year, confirmed, updated_at) VALUES (:year, false, :at)"
    " ON CONFLICT (year) DO NOTHING RETURNING year"
).bindparams(bindparam("at", type_=UTCDateTime()))


def _ensure_year(s: Session, year: int, now: datetime) -> CalendarYearStatus:
    """The year's row, locked; a year seen for the first time starts from the statutory
    pre-fill. (Two first changes at once on PostgreSQL: the second waits for the first's insert
    and then finds the row.)"""
    check_year(year)
    created = s.execute(_YEAR_INSERT, {"year": year, "at": now}).scalar() is not None
    row = s.get(CalendarYearStatus, year, with_for_update=True)
    assert row is not None
    if created:
        for day, reason in statutory_days_off(year).items():
            s.add(
                CalendarDay(
                    day=day, year=year, kind="off", reason=reason, source="prefill", updated_at=now
                )
            )
        s.flush()
    return row


def _entry(s: Session, day: date) -> CalendarEntry:
    row = s.get(CalendarDay, day)
    working = row.kind == "work" if row is not None else not _is_weekend(day)
    return CalendarEntry(
        day=day,
        working=working,
        kind=row.kind if row else None,
        reason=row.reason if row else "",
        source=row.source if row else None,
    )


def _put(
    s: Session,
    day: date,
    kind: str,
    reason: str,
    source: Source,
    user_id: int | None,
    now: datetime,
) -> None:
    row = s.get(CalendarDay, day)
    if row is None:
        s.add(
            CalendarDay(
                day=day,
                year=day.year,
                kind=kind,
                reason=reason,
                source=source,
                updated_at=now,
                updated_by=user_id,
            )
        )
    else:
        row.kind, row.reason, row.source = kind, reason, source
        row.updated_at, row.updated_by = now, user_id
    s.flush()


def set_day_off(
    db: Database,
    day: date,
    reason: str = "",
    user_id: int | None = None,
    *,
    now: datetime | None = None,
) -> CalendarEntry:
    """Mark a weekday (Monday–Friday) off with its reason; a Saturday or Sunday is refused
    (it is off already; a worked weekend day is undone with :func:`clear_day`)."""
    check_year(day.year)
    if _is_weekend(day):
        raise WeekendAlreadyOff(day)
    return _mark_day(db, day, "off", reason, user_id, now)


def set_work_day(
    db: Database,
    day: date,
    reason: str = "",
    user_id: int | None = None,
    *,
    now: datetime | None = None,
) -> CalendarEntry:
    """Mark a Saturday or Sunday worked (a swapped day, e.g. Saturday 22/8/2026); a weekday is
    refused (it is worked already; a weekday off is undone with :func:`clear_day`)."""
    check_year(day.year)
    if not _is_weekend(day):
        raise WeekdayAlreadyWorking(day)
    return _mark_day(db, day, "work", reason, user_id, now)


def _mark_day(
    db: Database,
    day: date,
    kind: str,
    reason: str,
    user_id: int | None,
    now: datetime | None,
) -> CalendarEntry:
    """One manual entry ("off" or "work") and its event, in one transaction."""
    text = _clean_reason(reason)
    at = _now(now)

    def work(s: Session) -> CalendarEntry:
        _ensure_year(s, day.year, at)
        _put(s, day, kind, text, "manual", user_id, at)
        entry = _entry(s, day)
        append(s, EVENT_CHANGED, at=at, user_id=user_id, data=_event(day, kind))
        return entry

    return db.run(work)


def clear_day(
    db: Database, day: date, user_id: int | None = None, *, now: datetime | None = None
) -> CalendarEntry:
    """Remove the table's entry for ``day``: it follows the week again (weekday: worked,
    weekend: off). Refused when the table holds nothing for it."""
    check_year(day.year)
    at = _now(now)

    def work(s: Session) -> CalendarEntry:
        _ensure_year(s, day.year, at)
        row = s.get(CalendarDay, day)
        if row is None:
            raise CalendarDayUnset(day=_dmy(day), year=day.year)
        s.delete(row)
        s.flush()
        entry = _entry(s, day)
        append(s, EVENT_CHANGED, at=at, user_id=user_id, data=_event(day, "clear"))
        return entry

    return db.run(work)


def _event(day: date, action: str) -> dict[str, Any]:
    return {"action": action, "day": day.isoformat(), "year": day.year}


def show_year(db: Database, year: int) -> CalendarYear:
    """Every weekday off (with reason and source) and every worked weekend day of ``year``.

    A year the table does not hold shows the statutory pre-fill (unconfirmed, source
    "statutory"), which is what the calendar applies to it.
    """
    check_year(year)

    def work(s: Session) -> CalendarYear:
        status = s.get(CalendarYearStatus, year)
        if status is None:
            off = tuple(
                {"date": day.isoformat(), "reason": reason, "source": "statutory"}
                for day, reason in sorted(statutory_days_off(year).items())
            )
            return CalendarYear(year=year, off=off, work=(), confirmed=False)
        rows = s.scalars(
            select(CalendarDay).where(CalendarDay.year == year).order_by(CalendarDay.day)
        ).all()
        return CalendarYear(
            year=year,
            off=tuple(
                {"date": r.day.isoformat(), "reason": r.reason, "source": r.source}
                for r in rows
                if r.kind == "off"
            ),
            work=tuple(r.day for r in rows if r.kind == "work"),
            confirmed=status.confirmed,
        )

    return db.run(work, readonly=True)


def prefill(
    db: Database, year: int, user_id: int | None = None, *, now: datetime | None = None
) -> PrefillResult:
    """Write the statutory days off of ``year`` (:func:`statutory_days_off`) and mark the year
    unconfirmed. Days entered by hand or imported are never overwritten; earlier pre-filled days
    the rules no longer give are removed."""
    check_year(year)
    at = _now(now)
    wanted = statutory_days_off(year)

    def work(s: Session) -> PrefillResult:
        status = _ensure_year(s, year, at)
        rows = {
            r.day: r for r in s.scalars(select(CalendarDay).where(CalendarDay.year == year)).all()
        }
        kept = tuple(sorted(day for day in wanted if day in rows and rows[day].source != "prefill"))
        removed = 0
        for day, row in rows.items():
            if row.source == "prefill" and day not in wanted:
                s.delete(row)
                removed += 1
        s.flush()
        written = 0
        for day, reason in wanted.items():
            if day in kept:
                continue
            _put(s, day, "off", reason, "prefill", user_id, at)
            written += 1
        status.confirmed, status.confirmed_at, status.confirmed_by = False, None, None
        status.updated_at = at
        append(
            s,
            EVENT_CHANGED,
            at=at,
            user_id=user_id,
            data={"action": "prefill", "year": year, "written": written, "kept": len(kept)},
        )
        return PrefillResult(year=year, written=written, kept=kept, removed=removed)

    return db.run(work)


def confirm_year(
    db: Database, year: int, user_id: int | None = None, *, now: datetime | None = None
) -> CalendarYear:
    """An administrator confirms that ``year`` matches the government's announcement."""
    check_year(year)
    at = _now(now)

    def work(s: Session) -> None:
        status = _ensure_year(s, year, at)
        status.confirmed, status.confirmed_at, status.confirmed_by = True, at, user_id
        status.updated_at = at
        s.flush()
        append(s, EVENT_CONFIRMED, at=at, user_id=user_id, data={"year": year})

    db.run(work)
    return show_year(db, year)


# --- calendar files --------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarFile:
    """A year's calendar as read from a TOML file (``assets/calendar/2026.toml``)."""

    year: int
    off: tuple[tuple[date, str], ...]
    work: tuple[tuple[date, str], ...]


def load_calendar_file(path: str | Path) -> CalendarFile:
    """Read and check a calendar file; raises :class:`CalendarInputError` naming the mistake.

    ``year = 2026``, then ``[[off]]`` tables (``date``, ``reason``) for weekdays off and
    ``[[work]]`` tables (``date``, optional ``reason``) for worked Saturdays/Sundays.
    """
    path = Path(path)
    name = str(path)
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise CalendarInputError(
            "error.calendar_file", file=name, detail=exc.strerror or str(exc)
        ) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CalendarInputError("error.calendar_file", file=name, detail=str(exc)) from None

    def fail(detail: str) -> CalendarInputError:
        return CalendarInputError("error.calendar_file", file=name, detail=detail)

    unknown = set(data) - {"year", "off", "work"}
    if unknown:
        raise fail(f"khóa lạ / unknown keys: {', '.join(sorted(unknown))}")
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise fail(f"year: cần một năm / must be a year, got {year!r}")
    seen: set[date] = set()

    def entries(kind: str) -> tuple[tuple[date, str], ...]:
        items = data.get(kind, [])
        if not isinstance(items, list):
            raise fail(f"{kind}: cần [[{kind}]] / must be an array of tables")
        out: list[tuple[date, str]] = []
        for number, item in enumerate(items, 1):
            where = f"[[{kind}]] #{number}"
            if not isinstance(item, dict) or set(item) - {"date", "reason"}:
                raise fail(f"{where}: chỉ có date, reason / only date and reason")
            raw = item.get("date")
            if isinstance(raw, date) and not isinstance(raw, datetime):
                day = raw
            elif isinstance(raw, str):
                try:
                    day = parse_date(raw)
                except CalendarInputError:
                    raise fail(f"{where}: date {raw!r}") from None
            else:
                raise fail(f"{where}: date {raw!r}")
            reason = item.get("reason", "")
            if not isinstance(reason, str) or len(reason) > REASON_LIMIT:
                raise fail(f"{where}: reason")
            if day.year != year:
                raise fail(f"{where}: {day} không thuộc năm / is not in {year}")
            if day in seen:
                raise fail(f"{where}: {day} lặp lại / appears twice")
            if kind == "off" and _is_weekend(day):
                raise fail(f"{where}: {day} là thứ Bảy/Chủ nhật / is a weekend day")
            if kind == "work" and not _is_weekend(day):
                raise fail(f"{where}: {day} không phải thứ Bảy/Chủ nhật / is a weekday")
            seen.add(day)
            out.append((day, _clean_reason(reason)))
        return tuple(sorted(out))

    return CalendarFile(year=year, off=entries("off"), work=entries("work"))


def import_calendar(
    db: Database,
    spec: CalendarFile,
    user_id: int | None = None,
    *,
    now: datetime | None = None,
) -> ImportResult:
    """Load a year's calendar, all or nothing: the file's days replace the year's pre-filled
    days and any entry on the same date; other entries made by hand stay. The year is left
    unconfirmed for an administrator to check and confirm."""
    at = _now(now)

    def work(s: Session) -> ImportResult:
        status = _ensure_year(s, spec.year, at)
        s.execute(
            delete(CalendarDay).where(
                CalendarDay.year == spec.year, CalendarDay.source == "prefill"
            )
        )
        for day, reason in spec.off:
            _put(s, day, "off", reason, "import", user_id, at)
        for day, reason in spec.work:
            _put(s, day, "work", reason, "import", user_id, at)
        status.confirmed, status.confirmed_at, status.confirmed_by = False, None, None
        status.updated_at = at
        append(
            s,
            EVENT_CHANGED,
            at=at,
            user_id=user_id,
            data={
                "action": "import",
                "year": spec.year,
                "off": len(spec.off),
                "work": len(spec.work),
            },
        )
        return ImportResult(year=spec.year, off=len(spec.off), work=len(spec.work))

    return db.run(work)
