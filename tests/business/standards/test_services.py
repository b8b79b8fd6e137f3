import datetime

import pytest

from business.standards import services
from business.standards.models import MeasurementStandard, StandardEquipment
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


def standard(institution, valid_until=datetime.date(2028, 1, 1), **extra):
    return MeasurementStandard.objects.create(
        institution=institution,
        name="电子天平检定装置",
        certificate_number=extra.pop("certificate_number", "[2022]豫量标法证字第001号"),
        valid_until=valid_until,
        **extra,
    )


def test_valid_standard_has_no_problems():
    row = standard(factories.institution())
    assert services.problems_on([row], TODAY) == []
    services.check_standards_usable([row.pk], TODAY)


def test_expired_standard_detected():
    institution = factories.institution()
    row = standard(institution, valid_until=datetime.date(2026, 3, 9))
    problems = services.problems_on([row], TODAY)
    assert [problem.code for problem in problems] == ["standard_expired"]
    assert "2026-03-09" in problems[0].message
    with pytest.raises(services.StandardUnusableError) as raised:
        services.check_standards_usable([row], TODAY)
    assert raised.value.code == "standard_expired"
    assert list(services.expired_standards(institution, TODAY)) == [row]


def test_overdue_standard_instrument_detected_but_auxiliary_ignored():
    institution = factories.institution()
    row = standard(institution)
    StandardEquipment.objects.create(
        institution=institution,
        standard=row,
        role="auxiliary",
        name="温湿度计",
        due_on=datetime.date(2026, 1, 1),
    )
    assert services.problems_on([row], TODAY) == []
    StandardEquipment.objects.create(
        institution=institution,
        standard=row,
        name="F1 等级砝码",
        due_on=datetime.date(2026, 3, 1),
    )
    assert [p.code for p in services.problems_on([row], TODAY)] == ["equipment_overdue"]
    assert services.equipment_due(institution, 30, TODAY).count() == 2


def test_retired_and_unknown_standards_are_problems():
    row = standard(factories.institution(), is_retired=True)
    codes = [p.code for p in services.problems_on([row.pk, 999999], TODAY)]
    assert codes == ["retired", "not_found"]


def test_usable_standards_for_item():
    institution = factories.institution()
    item = factories.catalogue_item()
    valid = standard(institution)
    valid.catalogue_items.add(item)
    expired = standard(institution, valid_until=datetime.date(2025, 1, 1), certificate_number="B")
    expired.catalogue_items.add(item)
    assert list(services.usable_standards_for(institution, item, TODAY)) == [valid]
