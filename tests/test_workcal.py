"""The working calendar: working days, due dates, and the editable per-year table.

Hand-computed answers use the official 2026 calendar shipped in assets/calendar/2026.toml:
Tết Mon 16/2 – Fri 20/2; Giỗ Tổ Sunday 26/4 → Monday 27/4 off; 30/4 (Thu), 1/5 (Fri); Saturday
22/8 worked for Monday 31/8; 1/9 and 2/9; 24/11.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from shared.clock import zone
from shared.db import Database
from shared.errors import (
    EXIT_REFUSED,
    EXIT_USAGE,
    CalendarDayUnset,
    CalendarInputError,
    ConfigError,
    WeekdayAlreadyWorking,
    WeekendAlreadyOff,
)
from shared.i18n import set_language
from shared.models import Base, Event
from shared.resources import asset
from shared.settings import CalendarSettings, parse_settings
from shared.users import add_user
from shared.workcal import (
    CalendarFile,
    WorkCalendar,
    WorkingHours,
    clear_day,
    confirm_year,
    import_calendar,
    load_calendar,
    load_calendar_file,
    parse_date,
    prefill,
    set_day_off,
    set_work_day,
    show_year,
    statutory_days_off,
    statutory_holidays,
)

pytestmark = pytest.mark.timewise  # also run at shifted clocks (scripts/test.sh)

TZ = zone("Asia/Ho_Chi_Minh")
OFFICIAL_2026 = asset("calendar", "2026.toml")


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=TZ)


def calendar_of(spec: CalendarFile, hours: WorkingHours | None = None) -> WorkCalendar:
    return WorkCalendar(dict(spec.off), [d for d, _ in spec.work], years=[spec.year], hours=hours)


@pytest.fixture(scope="module")
def official() -> CalendarFile:
    return load_calendar_file(OFFICIAL_2026)


@pytest.fixture
def cal(official: CalendarFile) -> WorkCalendar:
    return calendar_of(official)


# --- working days ----------------------------------------------------------------------------


def test_weekends_are_off_and_weekdays_work(cal: WorkCalendar) -> None:
    week = [date(2026, 3, 9) + timedelta(days=i) for i in range(7)]  # Mon 9/3 – Sun 15/3
    assert [cal.is_working_day(d) for d in week] == [True] * 5 + [False] * 2
    assert cal.next_working_day(date(2026, 3, 13)) == date(2026, 3, 16)  # Friday → Monday
    assert cal.add_working_days(date(2026, 3, 12), 3) == date(2026, 3, 17)
    assert cal.add_working_days(date(2026, 3, 12), 0) == date(2026, 3, 12)


def test_tet_2026_officials_off_monday_16_to_friday_20_february(cal: WorkCalendar) -> None:
    days = {date(2026, 2, 13) + timedelta(days=i): None for i in range(11)}
    working = [d for d in days if cal.is_working_day(d)]
    assert working == [date(2026, 2, 13), date(2026, 2, 23)]
    assert cal.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)
    assert cal.day_off_reason(date(2026, 2, 17)) == "Tết Nguyên đán (mùng 1)"


def test_gio_to_on_sunday_gives_monday_off(cal: WorkCalendar) -> None:
    assert not cal.is_working_day(date(2026, 4, 26))  # Sunday, Giỗ Tổ
    assert not cal.is_working_day(date(2026, 4, 27))  # Monday, make-up day
    assert cal.is_working_day(date(2026, 4, 28))
    assert cal.next_working_day(date(2026, 4, 24)) == date(2026, 4, 28)


def test_worked_saturday_22_august_and_monday_31_august_off(cal: WorkCalendar) -> None:
    assert cal.is_working_day(date(2026, 8, 22))
    assert not cal.is_working_day(date(2026, 8, 23))
    assert not cal.is_working_day(date(2026, 8, 31))
    assert cal.next_working_day(date(2026, 8, 21)) == date(2026, 8, 22)
    # Friday 28/8 + 1: 29–30 weekend, 31/8 swapped, 1/9 and 2/9 Quốc khánh → Thursday 3/9.
    assert cal.add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)
    # Without the swap the same days count differently.
    plain = WorkCalendar(statutory_days_off(2026), years=[2026])
    assert not plain.is_working_day(date(2026, 8, 22))
    assert plain.add_working_days(date(2026, 8, 28), 1) == date(2026, 8, 31)


# --- the statutory pre-fill ------------------------------------------------------------------


def test_statutory_2026_is_the_official_calendar_without_the_governments_swaps(
    official: CalendarFile,
) -> None:
    """The rules give every official 2026 day off except the swap (31/8) and 24/11."""
    rules = set(statutory_days_off(2026))
    shipped = {d for d, _ in official.off}
    assert shipped - rules == {date(2026, 8, 31), date(2026, 11, 24)}
    assert rules <= shipped
    assert "Giỗ Tổ" in statutory_days_off(2026)[date(2026, 4, 27)]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # 30/4 Saturday and 1/5 Sunday → Monday 2/5 and Tuesday 3/5 (as the government did).
        (2022, {date(2022, 5, 2), date(2022, 5, 3)}),
        # 1/5 Saturday → Monday 3/5.
        (2021, {date(2021, 4, 30), date(2021, 5, 3)}),
    ],
)
def test_make_up_days_for_holidays_on_weekends(year: int, expected: set[date]) -> None:
    off = statutory_days_off(year)
    may = {d for d in off if date(year, 4, 29) <= d <= date(year, 5, 10) and "Giỗ" not in off[d]}
    assert may == expected


@pytest.mark.parametrize(
    ("year", "days_off"),
    [
        (2021, {2, 3}),  # 2/9 Thursday: 3/9 Friday (Thu–Sun)
        (2022, {1, 2}),  # 2/9 Friday: 1/9 Thursday (tie with 3/9; the government chose 1/9)
        (2023, {1, 4}),  # 2/9 Saturday: 1/9 Friday, make-up Monday 4/9
        (2024, {2, 3}),  # 2/9 Monday: 1/9 Sunday, make-up Tuesday 3/9 (same days as 3/9)
        (2025, {1, 2}),  # 2/9 Tuesday: 1/9 Monday (Sat–Tue)
        (2026, {1, 2}),  # 2/9 Wednesday: tie, 1/9 as the government chose
    ],
)
def test_national_day_and_its_adjacent_day(year: int, days_off: set[int]) -> None:
    off = statutory_days_off(year)
    assert {d.day for d in off if d.month == 9} == days_off


def test_tet_is_the_last_day_of_the_year_and_the_first_four(official: CalendarFile) -> None:
    holidays = dict(statutory_holidays(2025))
    tet = [d for d, reason in holidays.items() if reason.startswith("Tết Nguyên đán")]
    assert tet == [date(2025, 1, 28) + timedelta(days=i) for i in range(5)]
    # 1/2/2025 (mùng 4) is a Saturday: the next working day, Monday 3/2, is off instead.
    assert date(2025, 2, 3) in statutory_days_off(2025)
    assert date(2025, 2, 1) not in statutory_days_off(2025)  # weekends are never listed


# --- due dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (at(2026, 3, 10, 14, 59), at(2026, 3, 10, 17)),
        (at(2026, 3, 10, 14, 59, 59), at(2026, 3, 10, 17)),
        (at(2026, 3, 10, 15, 0), at(2026, 3, 11, 17)),
        (at(2026, 3, 10, 15, 1), at(2026, 3, 11, 17)),
        (at(2026, 3, 10, 6, 30), at(2026, 3, 10, 17)),  # before opening, before the cut-off
        (at(2026, 3, 10, 12, 0), at(2026, 3, 10, 17)),  # lunch
        (at(2026, 3, 10, 18, 0), at(2026, 3, 11, 17)),  # after closing
        (at(2026, 3, 14, 10, 0), at(2026, 3, 16, 17)),  # Saturday → Monday
        (at(2026, 4, 24, 15, 0), at(2026, 4, 28, 17)),  # Friday after the cut-off → Tuesday
    ],
)
def test_same_day_procedures_and_the_cutoff(
    cal: WorkCalendar, received: datetime, expected: datetime
) -> None:
    assert cal.due_at(received, days=0) == expected
    assert cal.due_at(received, hours=0) == expected


def test_a_procedures_own_cutoff_and_the_configured_default(cal: WorkCalendar) -> None:
    assert cal.due_at(at(2026, 3, 10, 11, 0), days=0, cutoff="11:00") == at(2026, 3, 11, 17)
    assert cal.due_at(at(2026, 3, 10, 10, 59), days=0, cutoff="11:00") == at(2026, 3, 10, 17)
    with pytest.raises(CalendarInputError):
        cal.due_at(at(2026, 3, 10, 10, 0), days=0, cutoff="25:00")
    early = WorkCalendar(hours=WorkingHours(default_cutoff=time(10, 0)))
    assert early.due_at(at(2026, 3, 10, 10, 0), days=0) == at(2026, 3, 11, 17)


def test_friday_afternoon_before_the_gio_to_and_april_30_holidays(cal: WorkCalendar) -> None:
    """Friday 24/4/2026 16:00, 3 days: Mon 27/4 off (make-up), Tue 28 (1), Wed 29 (2),
    Thu 30/4 and Fri 1/5 off, weekend, Mon 4/5 (3) → 4/5 at 16:00."""
    assert cal.due_at(at(2026, 4, 24, 16, 0), days=3) == at(2026, 5, 4, 16, 0)


def test_whole_days_keep_the_time_of_receipt(cal: WorkCalendar) -> None:
    assert cal.due_at(at(2026, 3, 10, 9, 15), days=5) == at(2026, 3, 17, 9, 15)
    assert cal.due_at(at(2026, 3, 10, 9, 15), days=5.0) == at(2026, 3, 17, 9, 15)
    # Seconds round the deadline up to the next minute, never down.
    assert cal.due_at(at(2026, 3, 10, 9, 15, 1), days=1) == at(2026, 3, 11, 9, 16)


@pytest.mark.parametrize(
    ("received", "counted"),
    [
        (at(2026, 3, 10, 6, 45), at(2026, 3, 10, 7, 30)),  # before opening
        (at(2026, 3, 10, 11, 30), at(2026, 3, 10, 13, 30)),  # 11:30 is closed already
        (at(2026, 3, 10, 12, 10), at(2026, 3, 10, 13, 30)),  # lunch
        (at(2026, 3, 10, 16, 59), at(2026, 3, 10, 16, 59)),
        (at(2026, 3, 10, 17, 0), at(2026, 3, 11, 7, 30)),  # closing → next working day
        (at(2026, 3, 10, 21, 0), at(2026, 3, 11, 7, 30)),
        (at(2026, 3, 14, 10, 0), at(2026, 3, 16, 7, 30)),  # Saturday
        (at(2026, 2, 18, 9, 0), at(2026, 2, 23, 7, 30)),  # Tết
        (at(2026, 8, 22, 9, 0), at(2026, 8, 22, 9, 0)),  # the worked Saturday
    ],
)
def test_when_a_receipt_starts_to_count(
    cal: WorkCalendar, received: datetime, counted: datetime
) -> None:
    assert cal.counted_from(received) == counted


def test_receipts_outside_open_hours(cal: WorkCalendar) -> None:
    assert cal.due_at(at(2026, 3, 10, 12, 0), days=1) == at(2026, 3, 11, 13, 30)
    assert cal.due_at(at(2026, 3, 10, 17, 30), days=2) == at(2026, 3, 13, 7, 30)
    assert cal.due_at(at(2026, 3, 14, 10, 0), days=2) == at(2026, 3, 18, 7, 30)
    # Received during Tết: counts from Monday 23/2 opening.
    assert cal.due_at(at(2026, 2, 18, 9, 0), days=1) == at(2026, 2, 24, 7, 30)


def test_year_end_receipts_fall_due_in_january(cal: WorkCalendar) -> None:
    """31/12/2026 (Thursday): 1/1/2027 is a holiday even before 2027 is entered."""
    assert 2027 not in cal.years
    assert cal.due_at(at(2026, 12, 31, 10, 0), days=1) == at(2027, 1, 4, 10, 0)
    assert cal.due_at(at(2026, 12, 31, 10, 0), days=2) == at(2027, 1, 5, 10, 0)
    assert cal.due_at(at(2026, 12, 31, 15, 30), days=0) == at(2027, 1, 4, 17, 0)
    assert cal.due_at(at(2026, 12, 31, 17, 30), days=1) == at(2027, 1, 5, 7, 30)


def test_tet_2026_in_the_middle_of_a_deadline(cal: WorkCalendar) -> None:
    # Thursday 12/2 10:00 + 3: Fri 13/2 (1), Mon 23/2 (2), Tue 24/2 (3).
    assert cal.due_at(at(2026, 2, 12, 10, 0), days=3) == at(2026, 2, 24, 10, 0)


def test_processing_hours_count_only_open_periods(cal: WorkCalendar) -> None:
    # Tue 10/3 16:00 + 4 h: 1 h on Tuesday, 3 h from Wednesday 07:30 → 10:30.
    assert cal.due_at(at(2026, 3, 10, 16, 0), hours=4) == at(2026, 3, 11, 10, 30)
    # 10:00 + 2 h: 1 h 30 before lunch, 30 min after → 14:00.
    assert cal.due_at(at(2026, 3, 10, 10, 0), hours=2) == at(2026, 3, 10, 14, 0)
    # Exactly to the end of the morning stays at 11:30.
    assert cal.due_at(at(2026, 3, 10, 10, 0), hours=1.5) == at(2026, 3, 10, 11, 30)
    # Friday 24/4 12:00 + 8 h: 3 h 30 on Friday, then Tuesday 28/4 07:30 + 4 h 30 → 13:30 + 30.
    assert cal.due_at(at(2026, 4, 24, 12, 0), hours=8) == at(2026, 4, 28, 14, 0)
    # A whole week of open hours from Friday 16:00 lands on the following Friday 16:00.
    assert cal.due_at(at(2026, 3, 13, 16, 0), hours=37.5) == at(2026, 3, 20, 16, 0)


def test_fractional_days_are_hours_of_a_working_day(cal: WorkCalendar) -> None:
    # 0.5 day = 3 h 45 min. Tue 10:00 → 13:45 (1 h 30 before lunch, 2 h 15 after).
    assert cal.due_at(at(2026, 3, 10, 10, 0), days=0.5) == at(2026, 3, 10, 15, 45)
    # Friday 24/4 16:00 + 0.5: 1 h on Friday, 2 h 45 on Tuesday 28/4 → 10:15.
    assert cal.due_at(at(2026, 4, 24, 16, 0), days=0.5) == at(2026, 4, 28, 10, 15)
    assert cal.due_at(at(2026, 3, 10, 10, 0), days=1.5) == at(2026, 3, 11, 15, 45)


def test_whole_days_equal_their_working_hours(cal: WorkCalendar) -> None:
    """N days = N × 7.5 open hours: the same moment of working time, checked on random
    receipts across the year. (Hours that end exactly at a closing stay at that closing, e.g.
    11:30 or 17:00; whole days then give the next opening, 13:30 or 07:30 of the next working
    day, which is the same moment of working time: no open minute lies between them.)"""
    rng = random.Random(2026)
    length = cal.hours.day_length.total_seconds() / 3600
    for _ in range(400):
        day = date(2026, 1, 1) + timedelta(days=rng.randrange(365))
        received = at(day.year, day.month, day.day, rng.randrange(6, 19), rng.randrange(60))
        n = rng.randrange(1, 16)
        by_days = cal.due_at(received, days=n)
        by_hours = cal.due_at(received, hours=n * length)
        assert cal.counted_from(by_days) == by_days, received  # always inside an open period
        assert cal.counted_from(by_hours) == by_days, received
        if by_days.time() not in (time(7, 30), time(13, 30)):
            assert by_hours == by_days, received


def test_due_dates_are_aware_in_the_centres_zone(cal: WorkCalendar) -> None:
    received = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội
    due = cal.due_at(received, days=1)
    assert due == at(2026, 3, 11, 10, 0)
    assert due.utcoffset() == timedelta(hours=7)
    # 23:30 UTC on Monday is 06:30 on Tuesday in Hà Nội: Tuesday's receipt.
    assert cal.due_at(datetime(2026, 3, 9, 23, 30, tzinfo=UTC), days=0) == at(2026, 3, 10, 17)
    with pytest.raises(ValueError):
        cal.due_at(datetime(2026, 3, 10, 10, 0), days=1)
    with pytest.raises(ValueError):
        cal.due_at(received, days=1, hours=2)
    with pytest.raises(ValueError):
        cal.due_at(received)
    with pytest.raises(ValueError):
        cal.due_at(received, days=-1)


def test_other_opening_hours_from_settings() -> None:
    hours = WorkingHours.from_settings(
        CalendarSettings(morning="08:00-12:00", afternoon="13:00-17:00", default_cutoff="16:00")
    )
    assert hours.day_length == timedelta(hours=8)
    other = WorkCalendar(hours=hours)
    assert other.due_at(at(2026, 3, 10, 12, 30), days=1) == at(2026, 3, 11, 13, 0)
    assert other.due_at(at(2026, 3, 10, 15, 30), days=0) == at(2026, 3, 10, 17, 0)
    assert other.due_at(at(2026, 3, 10, 10, 0), days=0.5) == at(2026, 3, 10, 15, 0)
    assert WorkingHours.from_settings(parse_settings({}).calendar) == WorkingHours()
    for bad in (
        CalendarSettings(morning="07:30"),
        CalendarSettings(morning="11:30-07:30"),
        CalendarSettings(afternoon="11:00-17:00"),  # overlaps the morning
        CalendarSettings(default_cutoff="3pm"),
    ):
        with pytest.raises(ConfigError) as caught:
            WorkingHours.from_settings(bad)
        assert caught.value.exit_code == EXIT_USAGE


def test_timeliness(cal: WorkCalendar) -> None:
    due = at(2026, 3, 11, 10, 0)
    assert cal.timeliness(at(2026, 3, 11, 10, 0), due) == "on_time"
    assert cal.timeliness(at(2026, 3, 11, 10, 0, 1), due) == "late"
    assert cal.timeliness(at(2026, 3, 11, 7, 30), due) == "on_time"  # same day, earlier
    assert cal.timeliness(at(2026, 3, 10, 23, 59), due) == "early"
    assert cal.timeliness(at(2026, 3, 12, 8, 0), due) == "late"
    # The day is the centre's: 23:30 UTC on 10/3 is 06:30 on 11/3 in Hà Nội.
    assert cal.timeliness(datetime(2026, 3, 10, 23, 30, tzinfo=UTC), due) == "on_time"
    assert cal.timeliness(datetime(2026, 3, 10, 16, 30, tzinfo=UTC), due) == "early"


def test_dates_as_people_type_them() -> None:
    assert parse_date("2026-04-27") == parse_date("27/04/2026") == parse_date(" 27/4/2026 ")
    for bad in ("2026-02-30", "31/04/2026", "27.04.2026", "", "2026-4", "1899-12-31"):
        with pytest.raises(CalendarInputError) as caught:
            parse_date(bad)
        assert caught.value.exit_code == EXIT_USAGE


# --- the table, on SQLite and PostgreSQL -----------------------------------------------------


def test_migration_builds_exactly_the_calendar_tables(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "calendar" in repr(d)] == []
    with db.engine.connect() as conn:
        tables = set(conn.dialect.get_table_names(conn))
    assert {"calendar_years", "calendar_days"} <= tables


def _events(db: Database) -> list[Event]:
    with db.transaction(readonly=True) as s:
        return list(s.scalars(select(Event).where(Event.kind.like("calendar.%"))))


def test_edit_a_year_and_load_it(db: Database) -> None:
    admin = add_user(db, "quantri", "mat-khau-dai", "admin")
    entry = set_work_day(db, date(2026, 8, 22), "Làm bù cho 31/8", user_id=admin.id)
    assert entry.working and entry.kind == "work" and entry.source == "manual"
    entry = set_day_off(db, parse_date("31/08/2026"), "  Hoán đổi   với 22/8 ", user_id=admin.id)
    assert not entry.working and entry.reason == "Hoán đổi với 22/8"

    view = show_year(db, 2026)
    assert view.year == 2026 and not view.confirmed
    assert view.work == (date(2026, 8, 22),)
    off = {item["date"]: item for item in view.off}
    # The first change to a year starts from the statutory pre-fill.
    assert off["2026-04-27"]["source"] == "prefill"
    assert off["2026-08-31"] == {
        "date": "2026-08-31",
        "reason": "Hoán đổi với 22/8",
        "source": "manual",
    }
    assert list(off) == sorted(off)
    json_view = view.to_json()
    assert json_view["work"] == ["2026-08-22"] and json_view["confirmed"] is False

    with db.transaction(readonly=True) as s:
        cal = load_calendar(s)
    assert cal.years == {2026}
    assert cal.is_working_day(date(2026, 8, 22))
    assert not cal.is_working_day(date(2026, 8, 31))
    assert not cal.is_working_day(date(2026, 4, 27))
    assert cal.due_at(at(2026, 8, 21, 10, 0), days=1) == at(2026, 8, 22, 10, 0)

    cleared = clear_day(db, date(2026, 8, 22), user_id=admin.id)
    assert not cleared.working and cleared.kind is None
    cleared = clear_day(db, date(2026, 4, 27))
    assert cleared.working
    with db.transaction(readonly=True) as s:
        cal = load_calendar(s)
    assert not cal.is_working_day(date(2026, 8, 22))
    assert cal.is_working_day(date(2026, 4, 27))

    events = _events(db)
    assert [e.kind for e in events] == ["calendar.changed"] * 4
    assert [e.user_id for e in events] == [admin.id, admin.id, admin.id, None]
    assert [e.data["action"] for e in events] == ["work", "off", "clear", "clear"]
    assert events[1].data == {"action": "off", "day": "2026-08-31", "year": 2026}
    assert all("Hoán" not in str(e.data) for e in events)  # free text stays out of the log


def test_nonsense_is_refused_and_writes_nothing(db: Database) -> None:
    set_language("vi")
    with pytest.raises(WeekendAlreadyOff) as caught:
        set_day_off(db, date(2026, 8, 22), "lễ")
    assert caught.value.exit_code == EXIT_REFUSED
    assert "Thứ Bảy 22/08/2026" in caught.value.message
    assert "motcua calendar clear 2026-08-22" in caught.value.message
    assert "Saturday 22/08/2026 is a weekend day" in caught.value.message_in("en")
    with pytest.raises(WeekdayAlreadyWorking) as refused:
        set_work_day(db, date(2026, 8, 24))
    assert "Thứ Hai 24/08/2026" in refused.value.message
    assert "Monday" in refused.value.message_in("en")
    with pytest.raises(CalendarDayUnset):
        clear_day(db, date(2026, 3, 10))
    with pytest.raises(CalendarInputError):
        set_day_off(db, date(2026, 3, 10), "x" * 201)
    assert show_year(db, 2026).off[0]["source"] == "statutory"  # nothing stored
    assert _events(db) == []


def test_prefill_never_overwrites_manual_entries_and_unconfirms(db: Database) -> None:
    set_day_off(db, date(2026, 4, 27), "Nghỉ bù Giỗ Tổ (theo thông báo của tỉnh)")
    set_day_off(db, date(2026, 11, 24), "Ngày Văn hóa Việt Nam")
    confirmed = confirm_year(db, 2026)
    assert confirmed.confirmed
    result = prefill(db, 2026)
    assert result.kept == (date(2026, 4, 27),)
    assert result.written == len(statutory_days_off(2026)) - 1
    view = show_year(db, 2026)
    assert not view.confirmed
    off = {item["date"]: item for item in view.off}
    assert off["2026-04-27"]["reason"] == "Nghỉ bù Giỗ Tổ (theo thông báo của tỉnh)"
    assert off["2026-04-27"]["source"] == "manual"
    assert off["2026-11-24"]["source"] == "manual"
    assert set(off) == {d.isoformat() for d in statutory_days_off(2026)} | {"2026-11-24"}
    # A second pre-fill changes nothing.
    assert prefill(db, 2026).kept == result.kept
    assert show_year(db, 2026).off == view.off
    assert [e.kind for e in _events(db)][-3:] == [
        "calendar.confirmed",
        "calendar.changed",
        "calendar.changed",
    ]


def test_confirm_year_records_who(db: Database) -> None:
    admin = add_user(db, "quantri", "mat-khau-dai", "admin")
    view = confirm_year(db, 2027, user_id=admin.id)
    assert view.confirmed and view.year == 2027
    assert date(2027, 1, 1).isoformat() in {item["date"] for item in view.off}
    with db.transaction(readonly=True) as s:
        cal = load_calendar(s)
    assert cal.confirmed_years == {2027}
    (event,) = _events(db)
    assert (event.kind, event.user_id, event.data) == (
        "calendar.confirmed",
        admin.id,
        {"year": 2027},
    )


def test_import_the_official_2026_calendar(db: Database, official: CalendarFile) -> None:
    set_day_off(db, date(2026, 3, 6), "Đại hội (nhập tay)")  # a manual day not in the file
    result = import_calendar(db, official)
    assert (result.year, result.off, result.work) == (2026, 13, 1)
    view = show_year(db, 2026)
    assert not view.confirmed
    assert view.work == (date(2026, 8, 22),)
    sources = {item["date"]: item["source"] for item in view.off}
    assert sources.pop("2026-03-06") == "manual"
    assert set(sources.values()) == {"import"}
    assert set(sources) == {d.isoformat() for d, _ in official.off}
    with db.transaction(readonly=True) as s:
        cal = load_calendar(s)
    assert cal.due_at(at(2026, 4, 24, 16, 0), days=3) == at(2026, 5, 4, 16, 0)
    assert cal.add_working_days(date(2026, 8, 21), 1) == date(2026, 8, 22)
    assert not cal.is_working_day(date(2026, 11, 24))


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("year = 2026\n[[off]]\ndate = 2026-08-22\nreason = 'x'\n", "weekend"),
        ("year = 2026\n[[work]]\ndate = 2026-08-24\n", "weekday"),
        ("year = 2026\n[[off]]\ndate = 2027-01-01\n", "not in 2026"),
        ("year = 2026\n[[off]]\ndate = 2026-03-10\n[[off]]\ndate = 2026-03-10\n", "twice"),
        ("year = 2026\n[[off]]\ndate = '2026-02-30'\n", "2026-02-30"),
        ("year = 2026\nholidays = []\n", "unknown keys"),
        ("year = 'hai nghìn'\n", "year"),
        ("year = 2026\n[[off]\n", "line 2"),
    ],
)
def test_wrong_calendar_files_are_refused(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "lich.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CalendarInputError) as caught:
        load_calendar_file(path)
    assert caught.value.exit_code == EXIT_USAGE
    assert str(path) in caught.value.message
    assert words in caught.value.message or words in caught.value.message_in("en")


def test_calendar_file_dates_may_be_strings(tmp_path: Path) -> None:
    path = tmp_path / "lich.toml"
    path.write_text(
        "year = 2027\n[[off]]\ndate = '05/02/2027'\nreason = 'Tết'\n[[work]]\ndate = 2027-02-13\n",
        encoding="utf-8",
    )
    spec = load_calendar_file(path)
    assert spec.off == ((date(2027, 2, 5), "Tết"),)
    assert spec.work == ((date(2027, 2, 13), ""),)


def test_two_first_changes_to_a_year_at_once(db: Database) -> None:
    """Two administrators change a year nobody has touched: both changes land, pre-filled once."""
    import threading

    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def change(action: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            action()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [
        threading.Thread(target=change, args=(lambda: set_day_off(db, date(2028, 3, 6), "a"),)),
        threading.Thread(target=change, args=(lambda: set_work_day(db, date(2028, 3, 4), "b"),)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    view = show_year(db, 2028)
    assert view.work == (date(2028, 3, 4),)
    dates = [item["date"] for item in view.off]
    assert "2028-03-06" in dates and "2028-01-26" in dates  # the manual day and Tết
    assert len(dates) == len(set(dates)) == len(statutory_days_off(2028)) + 1
