"""The Vietnamese lunar calendar (UTC+7) against dates everyone in Việt Nam knows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from shared.lunar import (
    LunarDate,
    leap_month,
    lunar_new_year_eve,
    lunar_to_solar,
    solar_to_lunar,
    tet,
)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2024, date(2024, 2, 10)),
        (2025, date(2025, 1, 29)),
        (2026, date(2026, 2, 17)),
        (2027, date(2027, 2, 6)),
        (2028, date(2028, 1, 26)),
        (2020, date(2020, 1, 25)),
        (2000, date(2000, 2, 5)),
    ],
)
def test_tet(year: int, expected: date) -> None:
    assert tet(year) == expected
    assert solar_to_lunar(expected) == LunarDate(year, 1, 1)
    assert solar_to_lunar(expected - timedelta(days=1)).month == 12


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2024, date(2024, 4, 18)), (2025, date(2025, 4, 7)), (2026, date(2026, 4, 26))],
)
def test_gio_to_hung_vuong(year: int, expected: date) -> None:
    """Giỗ Tổ Hùng Vương is 10/3 lunar."""
    assert lunar_to_solar(year, 3, 10) == expected
    assert solar_to_lunar(expected) == LunarDate(year, 3, 10)


def test_mid_autumn() -> None:
    """Tết Trung thu, 15/8 lunar."""
    assert lunar_to_solar(2024, 8, 15) == date(2024, 9, 17)
    assert lunar_to_solar(2025, 8, 15) == date(2025, 10, 6)


@pytest.mark.parametrize(
    ("year", "vietnam", "china"),
    [(1985, date(1985, 1, 21), date(1985, 2, 20)), (2007, date(2007, 2, 17), date(2007, 2, 18))],
)
def test_vietnamese_and_chinese_calendars_differ(year: int, vietnam: date, china: date) -> None:
    """The Vietnamese calendar is computed for UTC+7, the Chinese one for UTC+8."""
    assert tet(year) == vietnam
    assert tet(year, tz_hours=8) == china
    assert solar_to_lunar(vietnam) == LunarDate(year, 1, 1)
    assert solar_to_lunar(vietnam, tz_hours=8) != LunarDate(year, 1, 1)


def test_leap_months() -> None:
    """Years with 13 months repeat one month (tháng nhuận)."""
    assert leap_month(2020) == 4
    assert leap_month(2023) == 2
    assert leap_month(2025) == 6
    assert leap_month(2028) == 5
    assert leap_month(2024) is None
    assert leap_month(2026) is None
    # The leap 6th month of 2025 began on 25/7/2025, right after the ordinary 6th month.
    assert lunar_to_solar(2025, 6, 1, leap=True) == date(2025, 7, 25)
    assert solar_to_lunar(date(2025, 7, 25)) == LunarDate(2025, 6, 1, leap=True)
    assert lunar_to_solar(2025, 6, 1) == date(2025, 6, 25)
    assert lunar_to_solar(2025, 7, 1) == date(2025, 8, 23)


def test_last_day_of_the_lunar_year() -> None:
    """The eve of Tết 2026 is 29 tháng Chạp (the 12th month had 29 days)."""
    assert lunar_new_year_eve(2026) == date(2026, 2, 16)
    assert solar_to_lunar(date(2026, 2, 16)) == LunarDate(2025, 12, 29)


def test_dates_that_do_not_exist_are_refused() -> None:
    with pytest.raises(ValueError):
        lunar_to_solar(2026, 6, 1, leap=True)  # 2026 has no leap month
    with pytest.raises(ValueError):
        lunar_to_solar(2025, 5, 1, leap=True)  # 2025's leap month is the 6th
    with pytest.raises(ValueError):
        lunar_to_solar(2025, 12, 30)  # tháng Chạp 2025 has 29 days
    with pytest.raises(ValueError):
        lunar_to_solar(2026, 13, 1)
    with pytest.raises(ValueError):
        solar_to_lunar(date(1700, 1, 1))


def test_four_centuries_day_by_day() -> None:
    """1800–2199: every day converts back to itself, and lunar days run 1, 2, … 29 or 30."""
    day = date(1800, 2, 1)
    previous = solar_to_lunar(day - timedelta(days=1))
    months = 0
    while day < date(2200, 1, 1):
        lunar = solar_to_lunar(day)
        assert lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap) == day
        if lunar.day == 1:
            assert previous.day in (29, 30), (day, previous)
            months += 1
        else:
            assert (lunar.year, lunar.month, lunar.leap, lunar.day - 1) == (
                previous.year,
                previous.month,
                previous.leap,
                previous.day,
            ), day
        previous = lunar
        day += timedelta(days=1)
    # 400 years hold 4947 or so lunations (mean 29.530589 days).
    assert abs(months - 146067 / 29.530589) < 2


def test_a_mean_lunation_ahead_of_the_true_new_moon() -> None:
    """7/5/2054: the mean lunation says a month has begun, the true new moon is the next day."""
    assert solar_to_lunar(date(2054, 5, 7)) == LunarDate(2054, 3, 30)
    assert solar_to_lunar(date(2054, 5, 8)) == LunarDate(2054, 4, 1)
