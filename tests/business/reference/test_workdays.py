import logging
from datetime import date, datetime, timedelta

import pytest

from business.reference import workdays
from business.reference.models import CalendarDay
from business.reference.workdays import add_working_days, count_working_days, is_workday

pytestmark = pytest.mark.django_db


def test_2025_has_248_working_days(reference_data):
    assert count_working_days(date(2024, 12, 31), date(2025, 12, 31)) == 248


def test_2026_has_248_working_days(reference_data):
    assert count_working_days(date(2025, 12, 31), date(2026, 12, 31)) == 248


def test_add_working_days_over_national_day(reference_data):
    # Counts the make-up days Sun 09-28 and Sat 10-11 and skips 10-01 to 10-08.
    assert add_working_days(date(2025, 9, 26), 20) == date(2025, 10, 30)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 9, 28), True),  # Sunday, make-up working day
        (date(2025, 10, 11), True),  # Saturday, make-up working day
        (date(2025, 9, 27), False),  # ordinary Saturday
        (date(2025, 10, 1), False),  # National Day
        (date(2025, 10, 8), False),  # last day of the 2025 break, a Wednesday
        (date(2025, 10, 9), True),  # ordinary Thursday
        (date(2026, 2, 14), True),  # Saturday before the 2026 Spring Festival
        (date(2026, 2, 23), False),  # Monday inside the 2026 Spring Festival
    ],
)
def test_is_workday_on_official_calendar(reference_data, day, expected):
    assert is_workday(day) is expected


def test_add_count_round_trip(reference_data):
    start = date(2025, 1, 20)
    for offset in range(0, 400, 7):
        day = start + timedelta(days=offset)
        for n in (0, 1, 5, 20, 60):
            assert count_working_days(day, add_working_days(day, n)) == n, (day, n)


def test_add_zero_returns_start_even_on_holiday(reference_data):
    assert add_working_days(date(2025, 10, 1), 0) == date(2025, 10, 1)


def test_add_one_from_holiday(reference_data):
    assert add_working_days(date(2025, 10, 1), 1) == date(2025, 10, 9)


def test_count_excludes_start_and_includes_end(reference_data):
    # Thu 2025-10-09 and Fri 2025-10-10 are working days.
    assert count_working_days(date(2025, 10, 9), date(2025, 10, 10)) == 1
    assert count_working_days(date(2025, 10, 9), date(2025, 10, 9)) == 0


def test_count_reversed_range_is_negative(reference_data):
    assert count_working_days(date(2025, 10, 30), date(2025, 9, 26)) == -20


def test_year_without_rows_follows_monday_to_friday(reference_data):
    # 2030 has no rows: its 261 weekdays all count, including Tue 2030-01-01.
    assert count_working_days(date(2029, 12, 31), date(2030, 12, 31)) == 261
    assert is_workday(date(2030, 1, 1)) is True
    assert is_workday(date(2030, 1, 5)) is False


def test_year_without_rows_warns_once(reference_data, caplog, monkeypatch):
    monkeypatch.setattr(workdays, "_warned_years", set())

    with caplog.at_level(logging.WARNING, logger="business.reference.workdays"):
        is_workday(date(2031, 3, 3))
        workdays.clear_cache()
        is_workday(date(2031, 3, 4))

    warnings = [record for record in caplog.records if "2031" in record.getMessage()]
    assert len(warnings) == 1


def test_loaded_year_does_not_warn(reference_data, caplog, monkeypatch):
    monkeypatch.setattr(workdays, "_warned_years", set())

    with caplog.at_level(logging.WARNING, logger="business.reference.workdays"):
        is_workday(date(2025, 3, 3))

    assert caplog.records == []


def test_calendar_edit_clears_cache(reference_data):
    assert is_workday(date(2025, 10, 8)) is False

    CalendarDay.objects.get(date=date(2025, 10, 8)).delete()
    assert is_workday(date(2025, 10, 8)) is True

    CalendarDay.objects.create(date=date(2025, 10, 8), is_workday=False, name="国庆节、中秋节")
    assert is_workday(date(2025, 10, 8)) is False


def test_cache_reads_each_year_once(reference_data, django_assert_num_queries):
    with django_assert_num_queries(1):
        count_working_days(date(2025, 1, 1), date(2025, 12, 31))


def test_datetime_is_rejected():
    with pytest.raises(TypeError, match="must be a datetime.date"):
        is_workday(datetime(2025, 10, 1, 9, 0))


def test_negative_n_is_rejected():
    with pytest.raises(ValueError, match="0 or more"):
        add_working_days(date(2025, 10, 1), -1)
