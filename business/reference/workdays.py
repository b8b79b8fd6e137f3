"""Working-day arithmetic on the official calendar of mainland China.

Monday to Friday are working days and weekends are days off. CalendarDay rows store
the exceptions. A public holiday is a day off, and a make-up working day (调休上班)
is a worked Saturday or Sunday. A year without rows follows the plain
Monday–Friday rule and logs a warning, because the State Council publishes each
year's holiday notice only in the November before.

The rows are cached per year in this process. Saving or deleting a CalendarDay
clears the cache through signals. Other processes do not receive those signals, so
each cached year is also reloaded after CACHE_SECONDS. QuerySet.update(),
bulk_create() and raw SQL send no signals either, so call clear_cache() after them.
"""

import logging
import time
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CalendarDay

logger = logging.getLogger(__name__)

# Maximum age of a cached year in seconds. It bounds how long another worker process
# keeps using a calendar that an administrator has just edited.
CACHE_SECONDS = 600

ONE_DAY = timedelta(days=1)

# year -> (time.monotonic() at load, {date: is_workday})
_cached_years: dict[int, tuple[float, dict[date, bool]]] = {}
# Years already reported as missing, so each one is logged once per process.
_warned_years: set[int] = set()


def clear_cache() -> None:
    """Drop the cached calendar years, so the next call reads the database."""
    _cached_years.clear()


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
def _clear_cache_on_change(**kwargs) -> None:
    clear_cache()
    # Clear again after the commit, so that a year read again inside the same
    # transaction is not kept with rows another transaction cannot yet see.
    transaction.on_commit(clear_cache)


def _calendar_exceptions(year: int) -> dict[date, bool]:
    """Return {date: is_workday} for the CalendarDay rows of ``year``, cached."""
    cached = _cached_years.get(year)
    now = time.monotonic()
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1]

    rows = CalendarDay.objects.filter(date__range=(date(year, 1, 1), date(year, 12, 31)))
    exceptions = dict(rows.values_list("date", "is_workday"))
    if not exceptions and year not in _warned_years:
        _warned_years.add(year)
        logger.warning(
            "No holiday calendar is loaded for %s, so working days in %s follow the "
            "Monday-Friday rule only. Add the year's holidays and make-up working days "
            "(基础数据 > 节假日与调休) once the State Council notice is published.",
            year,
            year,
        )
    _cached_years[year] = (now, exceptions)
    return exceptions


def _require_date(value, argument: str) -> None:
    # datetime is a subclass of date but never equals a date key, so it would
    # silently miss every holiday.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(
            f"{argument} must be a datetime.date, got {type(value).__name__} {value!r}. "
            "Convert an aware datetime with django.utils.timezone.localdate()."
        )


def is_workday(day: date) -> bool:
    """Return whether ``day`` is a working day on the official calendar."""
    _require_date(day, "day")
    exceptions = _calendar_exceptions(day.year)
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def add_working_days(start: date, n: int) -> date:
    """Return the date that is ``n`` working days after ``start``.

    ``start`` itself is not counted, whether or not it is a working day, so the
    result is always a working day when n > 0. n = 0 returns ``start`` unchanged.
    Raises ValueError for negative n.
    """
    _require_date(start, "start")
    if n < 0:
        raise ValueError(f"n must be 0 or more, got {n}.")

    day = start
    remaining = n
    while remaining > 0:
        day += ONE_DAY
        if is_workday(day):
            remaining -= 1
    return day


def count_working_days(start: date, end: date) -> int:
    """Count the working days in the half-open range (start, end].

    ``start`` is excluded and ``end`` included, which matches add_working_days():
    count_working_days(start, add_working_days(start, n)) == n. When end is before
    start the result is the negated count of (end, start], and start == end gives 0.
    """
    _require_date(start, "start")
    _require_date(end, "end")
    if end < start:
        return -count_working_days(end, start)

    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if is_workday(day):
            count += 1
    return count
