import pytest

from business.instruments import services
from business.instruments.models import Instrument, InstrumentStatusChange
from business.instruments.services import InstrumentError, InstrumentValidationError
from business.organisations.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise():
    return factories.enterprise()


@pytest.fixture
def fields():
    return {
        "name": "电子计价秤",
        "catalogue_item": factories.catalogue_item(),
        "kind": "电子计价秤",
        "usage": "trade_settlement",
        "model": "ACS-15",
        "serial_number": "JS2026000001",
        "manufacturer": "上海示例衡器有限公司",
        "division": factories.division(),
    }


def codes(error) -> list[tuple[str, str]]:
    return [(item.field, item.code) for item in error.value.errors]


def test_file_mandatory_instrument(enterprise, fields):
    instrument = services.file_instrument(enterprise, actor=None, **fields)

    assert instrument.pk is not None
    assert instrument.status == Instrument.Status.IN_USE
    assert instrument.is_mandatory
    change = InstrumentStatusChange.objects.get(instrument=instrument)
    assert change.from_status == ""
    assert change.to_status == Instrument.Status.IN_USE
    assert change.reason == "备案"


def test_file_non_mandatory_instrument(enterprise, fields):
    fields.update(catalogue_item=None, usage="")

    instrument = services.file_instrument(enterprise, actor=None, **fields)

    assert not instrument.is_mandatory


def test_file_strips_text(enterprise, fields):
    fields.update(name="  电子计价秤 ", serial_number=" JS01 ")

    instrument = services.file_instrument(enterprise, actor=None, **fields)

    assert instrument.name == "电子计价秤"
    assert instrument.serial_number == "JS01"


def test_catalogue_item_without_usage_rejected(enterprise, fields):
    fields["usage"] = ""

    with pytest.raises(InstrumentValidationError) as error:
        services.file_instrument(enterprise, actor=None, **fields)

    assert codes(error) == [("usage", "missing_usage")]
    assert "用途" in error.value.message
    assert not Instrument.objects.exists()


def test_usage_without_catalogue_item_rejected(enterprise, fields):
    fields["catalogue_item"] = None

    with pytest.raises(InstrumentValidationError) as error:
        services.file_instrument(enterprise, actor=None, **fields)

    assert codes(error) == [("catalogue_item", "missing_catalogue_item")]


def test_name_and_serial_required(enterprise, fields):
    fields.update(name=" ", serial_number="")

    with pytest.raises(InstrumentValidationError) as error:
        services.file_instrument(enterprise, actor=None, **fields)

    assert codes(error) == [("name", "required"), ("serial_number", "required")]
    assert error.value.errors[0].message == "请填写器具名称。"
    assert error.value.errors[1].message == "请填写出厂编号。"


def test_text_too_long_rejected(enterprise, fields):
    fields["name"] = "秤" * 101

    with pytest.raises(InstrumentValidationError) as error:
        services.file_instrument(enterprise, actor=None, **fields)

    assert codes(error) == [("name", "too_long")]
    assert "100" in error.value.errors[0].message


def test_invalid_usage_rejected(enterprise, fields):
    fields["usage"] = "retail"

    with pytest.raises(InstrumentValidationError) as error:
        services.file_instrument(enterprise, actor=None, **fields)

    assert codes(error) == [("usage", "invalid_choice")]


def test_division_must_be_county(enterprise, fields):
    fields["division"] = factories.division().parent

    with pytest.raises(InstrumentValidationError) as error:
        services.file_instrument(enterprise, actor=None, **fields)

    assert codes(error) == [("division", "division_not_county")]
    assert "410100" in error.value.message


def test_division_defaults_to_enterprise_county(enterprise, fields):
    del fields["division"]

    instrument = services.file_instrument(enterprise, actor=None, **fields)

    assert instrument.division_id == enterprise.division_id


def test_division_required_outside_county(enterprise, fields):
    enterprise.division = factories.division().parent
    enterprise.save()
    del fields["division"]

    with pytest.raises(InstrumentValidationError) as error:
        services.file_instrument(enterprise, actor=None, **fields)

    assert codes(error) == [("division", "required")]


def test_duplicate_serial_per_manufacturer_rejected(enterprise, fields):
    services.file_instrument(enterprise, actor=None, **fields)

    with pytest.raises(InstrumentValidationError) as error:
        services.file_instrument(enterprise, actor=None, **fields)

    assert codes(error) == [("serial_number", "duplicate_serial")]
    assert "JS2026000001" in error.value.message
    assert "上海示例衡器有限公司" in error.value.message
    assert Instrument.objects.count() == 1


def test_scrapped_serial_still_duplicate(enterprise, fields):
    instrument = services.file_instrument(enterprise, actor=None, **fields)
    services.scrap_instrument(instrument, "损坏", actor=None)

    with pytest.raises(InstrumentValidationError):
        services.file_instrument(enterprise, actor=None, **fields)


def test_same_serial_other_manufacturer_accepted(enterprise, fields):
    services.file_instrument(enterprise, actor=None, **fields)
    fields["manufacturer"] = "宁波示例衡器有限公司"

    services.file_instrument(enterprise, actor=None, **fields)

    assert Instrument.objects.count() == 2


def test_same_serial_other_enterprise_accepted(enterprise, fields):
    services.file_instrument(enterprise, actor=None, **fields)
    other = factories.enterprise(name="郑州市金水区另一家超市有限公司")

    services.file_instrument(other, actor=None, **fields)

    assert Instrument.objects.count() == 2


def test_filing_for_institution_rejected(fields):
    institution = factories.institution()

    with pytest.raises(InstrumentError) as error:
        services.file_instrument(institution, actor=None, **fields)

    assert error.value.code == "not_enterprise"


def test_filing_for_inactive_enterprise_rejected(enterprise, fields):
    Organisation.objects.filter(pk=enterprise.pk).update(is_active=False)
    enterprise.refresh_from_db()

    with pytest.raises(InstrumentError) as error:
        services.file_instrument(enterprise, actor=None, **fields)

    assert error.value.code == "enterprise_inactive"


def test_unknown_field_is_programming_error(enterprise, fields):
    with pytest.raises(TypeError):
        services.file_instrument(enterprise, actor=None, status="scrapped", **fields)
