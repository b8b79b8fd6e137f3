import pytest
from django.contrib.auth import get_user_model

from business.instruments import services
from business.instruments.models import Instrument, InstrumentStatusChange
from business.instruments.services import InstrumentError
from tests import factories

pytestmark = pytest.mark.django_db

Status = Instrument.Status


@pytest.fixture
def instrument():
    return factories.instrument()


@pytest.fixture
def disabled(instrument):
    return services.disable_instrument(instrument, "送修", actor=None)


@pytest.fixture
def scrapped(instrument):
    return services.scrap_instrument(instrument, "传感器损坏，无法修复", actor=None)


def history(instrument) -> list[tuple[str, str, str]]:
    return list(
        InstrumentStatusChange.objects.filter(instrument=instrument).values_list(
            "from_status", "to_status", "reason"
        )
    )


def test_disable_in_use_instrument(instrument):
    changed = services.disable_instrument(instrument, "  送修  ", actor=None)

    assert changed.status == Status.DISABLED
    assert Instrument.objects.get(pk=instrument.pk).status == Status.DISABLED
    assert history(instrument) == [(Status.IN_USE, Status.DISABLED, "送修")]


def test_disable_requires_reason(instrument):
    with pytest.raises(InstrumentError) as error:
        services.disable_instrument(instrument, "   ", actor=None)

    assert error.value.message == "请填写停用原因。"
    assert error.value.code == "missing_reason"
    assert Instrument.objects.get(pk=instrument.pk).status == Status.IN_USE
    assert history(instrument) == []


def test_disable_twice_rejected(disabled):
    with pytest.raises(InstrumentError) as error:
        services.disable_instrument(disabled, "再次停用", actor=None)

    assert error.value.code == "already_disabled"
    assert error.value.message == "该计量器具已停用，不能重复停用。"
    assert len(history(disabled)) == 1


def test_enable_disabled_instrument(disabled):
    changed = services.enable_instrument(disabled, actor=None)

    assert changed.status == Status.IN_USE
    assert history(disabled) == [
        (Status.IN_USE, Status.DISABLED, "送修"),
        (Status.DISABLED, Status.IN_USE, ""),
    ]


def test_enable_in_use_rejected(instrument):
    with pytest.raises(InstrumentError) as error:
        services.enable_instrument(instrument, actor=None)

    assert error.value.code == "already_in_use"
    assert history(instrument) == []


def test_scrap_in_use_instrument(instrument):
    changed = services.scrap_instrument(instrument, "传感器损坏，无法修复", actor=None)

    assert changed.status == Status.SCRAPPED
    assert history(instrument) == [(Status.IN_USE, Status.SCRAPPED, "传感器损坏，无法修复")]


def test_scrap_disabled_instrument(disabled):
    changed = services.scrap_instrument(disabled, "维修费用过高", actor=None)

    assert changed.status == Status.SCRAPPED
    assert [to for _, to, _ in history(disabled)] == [Status.DISABLED, Status.SCRAPPED]


def test_scrap_requires_reason(instrument):
    with pytest.raises(InstrumentError) as error:
        services.scrap_instrument(instrument, "", actor=None)

    assert error.value.message == "请填写报废原因。"
    assert Instrument.objects.get(pk=instrument.pk).status == Status.IN_USE


def test_scrapped_cannot_be_enabled(scrapped):
    with pytest.raises(InstrumentError) as error:
        services.enable_instrument(scrapped, "误操作", actor=None)

    assert error.value.message == "报废的计量器具不能恢复使用。"
    assert error.value.code == "scrapped"
    assert Instrument.objects.get(pk=scrapped.pk).status == Status.SCRAPPED


def test_scrapped_cannot_be_disabled(scrapped):
    with pytest.raises(InstrumentError) as error:
        services.disable_instrument(scrapped, "停用", actor=None)

    assert error.value.code == "scrapped"


def test_scrapped_cannot_be_scrapped_again(scrapped):
    with pytest.raises(InstrumentError) as error:
        services.scrap_instrument(scrapped, "再次报废", actor=None)

    assert error.value.code == "already_scrapped"
    assert len(history(scrapped)) == 1


def test_transition_ignores_stale_instance(instrument):
    services.scrap_instrument(instrument, "损坏", actor=None)

    # ``instrument`` still has the old status in memory, but the service reads the locked row.
    assert instrument.status == Status.IN_USE
    with pytest.raises(InstrumentError) as error:
        services.disable_instrument(instrument, "停用", actor=None)

    assert error.value.code == "scrapped"


def test_status_cannot_be_assigned_directly(instrument):
    loaded = Instrument.objects.get(pk=instrument.pk)

    with pytest.raises(AttributeError):
        loaded.status = Status.IN_USE


def test_refresh_from_db_reloads_status(instrument):
    services.disable_instrument(instrument, "送修", actor=None)

    instrument.refresh_from_db()

    assert instrument.status == Status.DISABLED


def test_reason_too_long_rejected(instrument):
    with pytest.raises(InstrumentError) as error:
        services.disable_instrument(instrument, "长" * 201, actor=None)

    assert error.value.code == "reason_too_long"
    assert "200" in error.value.message


def test_history_records_actor_and_time(instrument):
    user = get_user_model().objects.create_user(username="ledger-admin", password="x" * 16)

    services.disable_instrument(instrument, "送修", actor=user)
    services.enable_instrument(instrument, "修复完成", actor=None)

    first, second = InstrumentStatusChange.objects.filter(instrument=instrument)
    assert first.actor.startswith("ledger-admin")
    assert str(user.pk) in first.actor
    assert second.actor == "系统"
    assert second.reason == "修复完成"
    assert first.changed_at <= second.changed_at
