"""Entering, checking and approving records, and the certificate approval issues."""

import datetime

import pytest
from django.utils import timezone

from business.access import PermissionDeniedError
from business.applications import services as applications
from business.applications.models import ApplicationStatus
from business.certificates import services as certificates
from business.certificates.models import Certificate
from business.verification import services
from business.verification.models import RecordStatus
from tests import factories
from tests.business.verification.helpers import GOOD_DATA, build_chain, qualify, standard

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def received(chain, count=None):
    application = applications.submit_application(
        chain.applicant,
        instrument_ids=[instrument.pk for instrument in chain.instruments[:count]],
        preferred_date=TODAY,
        delivery_mode="send",
        institution_id=chain.institution.pk,
    )
    applications.confirm_booking(chain.clerk, application, appointment_date=TODAY)
    items = list(application.items.all())
    applications.receive_instruments(
        chain.clerk,
        application,
        sample_numbers={item.pk: f"YP{index + 1:03d}" for index, item in enumerate(items)},
    )
    application.refresh_from_db()
    return application, items


def enter(chain, item, user=None, **overrides):
    values = {
        "verification_date": TODAY,
        "conclusion": "qualified",
        "data": dict(GOOD_DATA),
        "standard_ids": [chain.standard.pk],
        **overrides,
    }
    return services.enter_record(user or chain.verifier, item.pk, **values)


def codes(excinfo):
    return [code for _, _, code in excinfo.value.errors]


def test_three_people_issue_certificate():
    chain = build_chain(instrument_count=1)
    application, [item] = received(chain)

    record = enter(chain, item)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_VERIFICATION
    services.check_record(chain.checker, record.pk)
    certificate = services.approve_record(chain.approver, record.pk)

    assert certificate.kind == Certificate.Kind.VERIFICATION
    assert (certificate.verifier_name, certificate.checker_name, certificate.approver_name) == (
        "周检",
        "吴核",
        "郑批",
    )
    assert (
        certificates.check_certificate(certificate.number, certificate.check_code).status.value
        == "AUTHENTIC"
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.COMPLETED
    record.refresh_from_db()
    assert record.status == RecordStatus.APPROVED
    assert list(record.standards.all()) == [chain.standard]


def test_failed_instrument_gets_result_notice():
    chain = build_chain(instrument_count=1)
    _, [item] = received(chain)
    record = enter(chain, item, conclusion="unqualified")
    services.check_record(chain.checker, record.pk)

    certificate = services.approve_record(chain.approver, record.pk)

    assert certificate.kind == Certificate.Kind.RESULT_NOTICE
    assert certificate.valid_until is None


def test_checker_who_is_verifier_is_refused():
    chain = build_chain(instrument_count=1)
    both = factories.business_user(chain.institution, ["verifier", "checker"], display_name="双岗")
    qualify(both, chain.item)
    _, [item] = received(chain)
    record = enter(chain, item, user=both)

    with pytest.raises(services.RecordError) as excinfo:
        services.check_record(both, record.pk)

    assert codes(excinfo) == ["same_person"]
    assert "核验员不能与检定员是同一人" in excinfo.value.errors[0][1]


def test_approver_who_checked_is_refused():
    chain = build_chain(instrument_count=1)
    both = factories.business_user(chain.institution, ["checker", "approver"], display_name="兼任")
    qualify(both, chain.item)
    _, [item] = received(chain)
    record = enter(chain, item)
    services.check_record(both, record.pk)

    with pytest.raises(services.RecordError) as excinfo:
        services.approve_record(both, record.pk)

    assert codes(excinfo) == ["same_person"]


def test_missing_required_data_point_names_field():
    chain = build_chain(instrument_count=1)
    _, [item] = received(chain)
    data = dict(GOOD_DATA)
    del data["indication_error"]

    with pytest.raises(services.RecordError) as excinfo:
        enter(chain, item, data=data)

    [(field, message, code)] = excinfo.value.errors
    assert field == "data.indication_error"
    assert "最大示值误差" in message
    assert code == "required"


def test_non_numeric_value_is_refused():
    chain = build_chain(instrument_count=1)
    _, [item] = received(chain)

    with pytest.raises(services.RecordError) as excinfo:
        enter(chain, item, data={**GOOD_DATA, "temperature": "二十度"})

    assert excinfo.value.errors[0][0] == "data.temperature"


def test_expired_standard_is_refused():
    chain = build_chain(instrument_count=1)
    expired = standard(
        chain.institution,
        chain.item,
        valid_until=TODAY - datetime.timedelta(days=1),
        name="过期的标准装置",
    )
    _, [item] = received(chain)

    with pytest.raises(services.RecordError) as excinfo:
        enter(chain, item, standard_ids=[expired.pk])

    assert codes(excinfo) == ["standard_unusable"]
    assert "过期的标准装置" in excinfo.value.errors[0][1]


def test_unqualified_verifier_is_refused():
    chain = build_chain(instrument_count=1)
    novice = factories.business_user(chain.institution, ["verifier"], display_name="新人")
    _, [item] = received(chain)

    with pytest.raises(services.RecordError) as excinfo:
        enter(chain, item, user=novice)

    assert codes(excinfo) == ["not_qualified"]
    assert "新人" in excinfo.value.errors[0][1]


def test_checker_without_permission_is_refused():
    chain = build_chain(instrument_count=1)
    _, [item] = received(chain)
    record = enter(chain, item)

    with pytest.raises(PermissionDeniedError):
        services.check_record(chain.clerk, record.pk)


def test_returned_record_can_be_corrected():
    chain = build_chain(instrument_count=1)
    _, [item] = received(chain)
    record = enter(chain, item)

    services.return_record(chain.checker, record.pk, reason="温度读数有误")
    record = enter(chain, item, data={**GOOD_DATA, "temperature": "21.0"})

    assert record.status == RecordStatus.ENTERED
    assert record.data["temperature"] == "21.0"
    assert record.return_reason == ""


def test_rare_characters_reach_certificate():
    chain = build_chain(instrument_count=1)
    chain.enterprise.name = "𠮷野家䶮餐饮有限公司"
    chain.enterprise.save()
    _, [item] = received(chain)
    record = enter(chain, item)
    services.check_record(chain.checker, record.pk)

    certificate = services.approve_record(chain.approver, record.pk)

    assert certificate.client_name == "𠮷野家䶮餐饮有限公司"


def test_next_person_gets_message():
    from business.messages.models import Message

    chain = build_chain(instrument_count=1)
    _, [item] = received(chain)
    record = enter(chain, item)
    assert Message.objects.filter(recipient=chain.checker, title__startswith="待核验").exists()

    services.check_record(chain.checker, record.pk)
    assert Message.objects.filter(recipient=chain.approver, title__startswith="待批准").exists()

    services.return_record(chain.approver, record.pk, reason="标准证书号有误")
    assert Message.objects.filter(recipient=chain.verifier, body="标准证书号有误").exists()
