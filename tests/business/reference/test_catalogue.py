from datetime import date

import pytest
from django.core.exceptions import ValidationError

from business.reference.models import (
    CalendarDay,
    CatalogueItem,
    MissingIntervalError,
    Regulation,
    last_valid_day,
)

pytestmark = pytest.mark.django_db


def test_water_meter_rows_split_by_size(reference_data):
    rows = CatalogueItem.objects.filter(item_name="水表").order_by("number")

    assert [(row.verification_form, row.cycle_months, row.service_life_months) for row in rows] == [
        ("replace", None, 72),
        ("replace", None, 48),
        ("periodic", 24, None),
    ]
    assert "DN ≤ 25" in rows[0].scope
    assert "25 < DN ≤ 50" in rows[1].scope


def test_valid_until_periodic(reference_data):
    water_meter_large = CatalogueItem.objects.get(number=3)

    assert water_meter_large.valid_until(date(2025, 3, 10)) == date(2027, 3, 9)


def test_valid_until_replace(reference_data):
    water_meter_small = CatalogueItem.objects.get(number=1)

    assert water_meter_small.valid_until(date(2025, 3, 10)) == date(2031, 3, 9)


def test_valid_until_scrap(reference_data):
    thermometer = CatalogueItem.objects.get(item_name="体温计")

    assert thermometer.verification_form == "scrap"
    assert thermometer.valid_until(date(2025, 3, 10)) is None


def test_valid_until_without_interval_raises(reference_data):
    heat_meter = CatalogueItem.objects.get(number=9)

    assert heat_meter.cycle_months is None
    with pytest.raises(MissingIntervalError, match="row 9"):
        heat_meter.valid_until(date(2025, 3, 10))


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 3, 10), 12, date(2026, 3, 9)),
        (date(2025, 1, 1), 6, date(2025, 6, 30)),
        (date(2025, 1, 31), 1, date(2025, 2, 27)),  # Feb 28 is the clamped anniversary
        (date(2024, 2, 29), 12, date(2025, 2, 27)),
    ],
)
def test_last_valid_day(start, months, expected):
    assert last_valid_day(start, months) == expected


def test_clean_rejects_cycle_on_replace_row():
    item = CatalogueItem(number=99, verification_form="replace", cycle_months=12)

    with pytest.raises(ValidationError) as error:
        item.clean()

    assert "cycle_months" in error.value.message_dict


def test_clean_rejects_service_life_on_scrap_row():
    item = CatalogueItem(number=99, verification_form="scrap", service_life_months=12)

    with pytest.raises(ValidationError) as error:
        item.clean()

    assert "service_life_months" in error.value.message_dict


def test_regulation_clean_rejects_kind_mismatch():
    with pytest.raises(ValidationError):
        Regulation(code="JJF 1069-2012", name="法定计量检定机构考核规范", kind="JJG").clean()


def test_calendar_day_clean_rejects_weekday_makeup():
    with pytest.raises(ValidationError):
        CalendarDay(date=date(2025, 10, 13), is_workday=True, name="测试").clean()


def test_confidence_marks_loaded(reference_data):
    assert CatalogueItem.objects.get(number=1).get_confidence_display() == "已核实"
    assert CatalogueItem.objects.filter(confidence="U").count() > 0
    assert not CatalogueItem.objects.exclude(confidence__in=["C", "P", "U"]).exists()
