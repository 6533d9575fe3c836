"""The Vietnamese lunar calendar (âm lịch), computed for the time zone UTC+7.

This is Hồ Ngọc Đức's well-known algorithm (astronomical new moons and the sun's longitude,
after Jean Meeus, "Astronomical Algorithms"): a lunar month starts on the local day of a new
moon; month 11 is the month holding the winter solstice; a year with 13 months repeats (as a
leap month) the first month after month 11 in which the sun enters no new 30° sign.

The Vietnamese calendar is computed for UTC+7 and the Chinese one for UTC+8, so the two differ
when a new moon falls between 16:00 and 17:00 UTC: Tết 1985 was 21/1/1985 in Việt Nam but
20/2/1985 in China, Tết 2007 was 17/2/2007 in Việt Nam but 18/2/2007 in China. Pass
``tz_hours=8`` to get the Chinese calendar.

Valid for the Gregorian years 1800–2199 (the precision of the formulas); dates are
:class:`datetime.date`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

VIETNAM_TZ_HOURS = 7
"""The Vietnamese calendar is computed for UTC+7 (the Chinese one for UTC+8)."""

FIRST_YEAR = 1800
LAST_YEAR = 2199

_JD_1900 = 2415021.076998695
"""Julian day of the new moon of 1900-01-01 13:52 UT (lunation 0)."""
_SYNODIC = 29.530588853
_DR = math.pi / 180


@dataclass(frozen=True, order=True)
class LunarDate:
    """A day of the lunar calendar: ``LunarDate(2026, 3, 10)`` is Giỗ Tổ Hùng Vương 2026."""

    year: int
    month: int
    day: int
    leap: bool = False
    """True in the repeated (leap) month of a 13-month year (tháng nhuận)."""

    def __str__(self) -> str:
        leap = " nhuận" if self.leap else ""
        return f"{self.day}/{self.month}{leap}/{self.year} (âm lịch)"


def _jd(day: date) -> int:
    """Julian day number of a Gregorian date."""
    return day.toordinal() + 1721425


def _from_jd(jd: int) -> date:
    return date.fromordinal(jd - 1721425)


def _new_moon(k: int) -> float:
    """Julian day (UT, fractional) of the k-th new moon after 1900-01-01 13:52 UT."""
    t = k / 1236.85
    t2 = t * t
    t3 = t2 * t
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * _DR)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * _DR) + 0.0021 * math.sin(2 * _DR * m)
    c1 = c1 - 0.4068 * math.sin(mpr * _DR) + 0.0161 * math.sin(_DR * 2 * mpr)
    c1 = c1 - 0.0004 * math.sin(_DR * 3 * mpr)
    c1 = c1 + 0.0104 * math.sin(_DR * 2 * f) - 0.0051 * math.sin(_DR * (m + mpr))
    c1 = c1 - 0.0074 * math.sin(_DR * (m - mpr)) + 0.0004 * math.sin(_DR * (2 * f + m))
    c1 = c1 - 0.0004 * math.sin(_DR * (2 * f - m)) - 0.0006 * math.sin(_DR * (2 * f + mpr))
    c1 = c1 + 0.0010 * math.sin(_DR * (2 * f - mpr)) + 0.0005 * math.sin(_DR * (2 * mpr + m))
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd1 + c1 - delta_t


def _sun_longitude(jdn: float) -> float:
    """The sun's apparent longitude in radians, 0 ≤ L < 2π, at Julian day ``jdn`` (UT)."""
    t = (jdn - 2451545.0) / 36525
    t2 = t * t
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(_DR * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(_DR * 2 * m) + 0.000290 * math.sin(_DR * 3 * m)
    longitude = (l0 + dl) * _DR
    return longitude - 2 * math.pi * math.floor(longitude / (2 * math.pi))


def _sun_sign(day_number: int, tz_hours: int) -> int:
    """Which 30° sign (0–11) the sun is in at the start of local day ``day_number``."""
    return math.floor(_sun_longitude(day_number - 0.5 - tz_hours / 24) / math.pi * 6)


@lru_cache(maxsize=4096)
def _new_moon_day(k: int, tz_hours: int) -> int:
    """Julian day number of the local day holding the k-th new moon."""
    return math.floor(_new_moon(k) + 0.5 + tz_hours / 24)


@lru_cache(maxsize=1024)
def _month11(year: int, tz_hours: int) -> int:
    """Julian day number on which lunar month 11 (the winter-solstice month) of ``year`` starts."""
    off = _jd(date(year, 12, 31)) - 2415021
    k = math.floor(off / _SYNODIC)
    start = _new_moon_day(k, tz_hours)
    if _sun_sign(start, tz_hours) >= 9:
        start = _new_moon_day(k - 1, tz_hours)
    return start


def _leap_month_offset(a11: int, tz_hours: int) -> int:
    """Months after month 11 to the leap month, in a 13-month year starting at ``a11``."""
    k = math.floor((a11 - _JD_1900) / _SYNODIC + 0.5)
    i = 1
    arc = _sun_sign(_new_moon_day(k + i, tz_hours), tz_hours)
    while True:
        last = arc
        i += 1
        arc = _sun_sign(_new_moon_day(k + i, tz_hours), tz_hours)
        if arc == last or i >= 14:
            break
    return i - 1


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"the lunar calendar is computed for {FIRST_YEAR}–{LAST_YEAR}, not {year}")


def solar_to_lunar(day: date, *, tz_hours: int = VIETNAM_TZ_HOURS) -> LunarDate:
    """The lunar date of a (Gregorian) day: ``solar_to_lunar(date(2026, 2, 17))`` is 1/1/2026."""
    _check_year(day.year)
    day_number = _jd(day)
    k = math.floor((day_number - _JD_1900) / _SYNODIC)
    month_start = _new_moon_day(k + 1, tz_hours)
    while month_start > day_number:
        # The mean lunation can run ahead of the true new moon by up to about a day (e.g.
        # 7/5/2054, the last day of month 3): step back until the month has begun.
        k -= 1
        month_start = _new_moon_day(k + 1, tz_hours)
    a11 = _month11(day.year, tz_hours)
    b11 = a11
    if a11 >= month_start:
        lunar_year = day.year
        a11 = _month11(day.year - 1, tz_hours)
    else:
        lunar_year = day.year + 1
        b11 = _month11(day.year + 1, tz_hours)
    lunar_day = day_number - month_start + 1
    diff = math.floor((month_start - a11) / 29)
    leap = False
    month = diff + 11
    if b11 - a11 > 365:
        leap_diff = _leap_month_offset(a11, tz_hours)
        if diff >= leap_diff:
            month = diff + 10
            leap = diff == leap_diff
    if month > 12:
        month -= 12
    if month >= 11 and diff < 4:
        lunar_year -= 1
    return LunarDate(lunar_year, month, lunar_day, leap)


def lunar_to_solar(
    year: int, month: int, day: int, leap: bool = False, *, tz_hours: int = VIETNAM_TZ_HOURS
) -> date:
    """The Gregorian date of a lunar date; ``ValueError`` when it does not exist (a 30th in a
    29-day month, a leap month the year does not have)."""
    _check_year(year + 1 if year == FIRST_YEAR - 1 else year)
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise ValueError(f"no lunar date {day}/{month}/{year}")
    if month < 11:
        a11 = _month11(year - 1, tz_hours)
        b11 = _month11(year, tz_hours)
    else:
        a11 = _month11(year, tz_hours)
        b11 = _month11(year + 1, tz_hours)
    k = math.floor(0.5 + (a11 - _JD_1900) / _SYNODIC)
    off = month - 11
    if off < 0:
        off += 12
    if b11 - a11 > 365:
        leap_off = _leap_month_offset(a11, tz_hours)
        leap_month = leap_off - 2
        if leap_month < 0:
            leap_month += 12
        if leap and month != leap_month:
            raise ValueError(f"lunar year {year} has no leap month {month}")
        if leap or off >= leap_off:
            off += 1
    elif leap:
        raise ValueError(f"lunar year {year} has no leap month")
    month_start = _new_moon_day(k + off, tz_hours)
    result = _from_jd(month_start + day - 1)
    if solar_to_lunar(result, tz_hours=tz_hours) != LunarDate(year, month, day, leap):
        raise ValueError(f"lunar month {month}/{year} has no day {day}")
    return result


def tet(year: int, *, tz_hours: int = VIETNAM_TZ_HOURS) -> date:
    """Tết Nguyên đán (1/1 of the lunar year that starts in Gregorian ``year``)."""
    return lunar_to_solar(year, 1, 1, tz_hours=tz_hours)


def lunar_new_year_eve(year: int, *, tz_hours: int = VIETNAM_TZ_HOURS) -> date:
    """The last day of the lunar year before Tết ``year`` (29 or 30 tháng Chạp)."""
    return tet(year, tz_hours=tz_hours) - timedelta(days=1)


def leap_month(year: int, *, tz_hours: int = VIETNAM_TZ_HOURS) -> int | None:
    """The month repeated in lunar year ``year`` (tháng nhuận), or None in a 12-month year."""
    start = tet(year, tz_hours=tz_hours)
    end = tet(year + 1, tz_hours=tz_hours)
    day = start
    while day < end:
        lunar = solar_to_lunar(day, tz_hours=tz_hours)
        if lunar.leap:
            return lunar.month
        day += timedelta(days=29)
    return None
