"""Applications from submission to acceptance, with their permission and state rules."""

import datetime

import pytest
from django.utils import timezone

from business.access import NotFoundError, PermissionDeniedError
from business.applications import services
from business.applications.models import ApplicationStatus
from business.audit.models import AuditEvent
from business.messages.models import Message
from tests import factories
from tests.business.verification.helpers import build_chain

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def submit(chain, **overrides):
    values = {
        "instrument_ids": [instrument.pk for instrument in chain.instruments],
        "preferred_date": TOMORROW,
        "delivery_mode": "send",
        "institution_id": chain.institution.pk,
        **overrides,
    }
    return services.submit_application(chain.applicant, **values)


def error_fields(excinfo):
    return [field for field, _, _ in excinfo.value.errors]


def test_submit_goes_to_institution():
    chain = build_chain()

    application = submit(chain)

    assert application.status == ApplicationStatus.SUBMITTED
    assert application.number.startswith("SQ")
    assert application.items.count() == 2
    assert Message.objects.filter(recipient=chain.clerk, title__contains="新的检定预约").exists()
    assert AuditEvent.objects.filter(action="application.submit").exists()


def test_submit_rejects_incapable_institution():
    chain = build_chain()
    other = factories.institution(name="未获授权的计量所", prefix="WSQ")

    with pytest.raises(services.ApplicationError) as excinfo:
        submit(chain, institution_id=other.pk)

    assert error_fields(excinfo) == ["institutionId"]


def test_submit_rejects_past_date_and_foreign_instrument():
    chain = build_chain()
    foreign = factories.instrument(owner=factories.enterprise(name="另一家企业"))

    with pytest.raises(services.ApplicationError) as excinfo:
        submit(chain, preferred_date=timezone.localdate() - datetime.timedelta(days=1))
    assert error_fields(excinfo) == ["preferredDate"]

    with pytest.raises(services.ApplicationError) as excinfo:
        submit(chain, instrument_ids=[foreign.pk])
    assert error_fields(excinfo) == ["instrumentIds"]


def test_instrument_in_open_application_is_refused():
    chain = build_chain()
    submit(chain)

    with pytest.raises(services.ApplicationError) as excinfo:
        submit(chain, instrument_ids=[chain.instruments[0].pk])

    assert excinfo.value.errors[0][2] == "instrument_busy"


def test_confirm_reject_and_receive():
    chain = build_chain()
    application = submit(chain)

    application = services.confirm_booking(
        chain.clerk, application, appointment_date=TOMORROW, note="上午送到"
    )
    assert application.status == ApplicationStatus.CONFIRMED
    with pytest.raises(services.ApplicationError):
        services.reject_booking(chain.clerk, application, reason="太忙")

    items = list(application.items.all())
    with pytest.raises(services.ApplicationError) as excinfo:
        services.receive_instruments(
            chain.clerk, application, sample_numbers={items[0].pk: "YP-1", items[1].pk: "YP-1"}
        )
    assert excinfo.value.errors[0][2] == "duplicate"

    application = services.receive_instruments(
        chain.clerk, application, sample_numbers={items[0].pk: "YP-1", items[1].pk: "YP-2"}
    )
    assert application.status == ApplicationStatus.ACCEPTED
    assert sorted(application.items.values_list("sample_number", flat=True)) == ["YP-1", "YP-2"]
    assert list(application.events.values_list("action", flat=True)) == [
        "submit",
        "confirm",
        "accept",
    ]


def test_reject_needs_reason_and_tells_enterprise():
    chain = build_chain()
    application = submit(chain)

    with pytest.raises(services.ApplicationError) as excinfo:
        services.reject_booking(chain.clerk, application, reason=" ")
    assert error_fields(excinfo) == ["reason"]

    application = services.reject_booking(chain.clerk, application, reason="该型号需现场检定")
    assert application.status == ApplicationStatus.REJECTED
    assert Message.objects.filter(
        recipient=chain.applicant, body__contains="该型号需现场检定"
    ).exists()


def test_enterprise_cannot_confirm_booking():
    chain = build_chain()
    application = submit(chain)

    with pytest.raises(PermissionDeniedError):
        services.confirm_booking(chain.applicant, application, appointment_date=TOMORROW)


def test_other_institution_cannot_see_application():
    chain = build_chain()
    application = submit(chain)
    stranger = factories.business_user(
        factories.institution(name="别的机构", prefix="BDJG"), ["institution_clerk"]
    )

    with pytest.raises(NotFoundError):
        services.confirm_booking(stranger, application, appointment_date=TOMORROW)
    assert not services.visible_applications(stranger).exists()


def test_out_of_province_goes_to_regulator():
    chain = build_chain()

    with pytest.raises(services.ApplicationError) as excinfo:
        submit(
            chain,
            institution_id=None,
            out_of_province=True,
            external_institution_name="中国计量科学研究院",
        )
    assert error_fields(excinfo) == ["outOfProvinceReason"]

    application = submit(
        chain,
        institution_id=None,
        out_of_province=True,
        external_institution_name="中国计量科学研究院",
        out_of_province_reason="省内无此项目的授权",
    )
    assert application.status == ApplicationStatus.PENDING_REGULATOR
    assert Message.objects.filter(recipient=chain.regulator_user).exists()
    assert services.visible_applications(chain.regulator_user).filter(pk=application.pk).exists()

    with pytest.raises(services.ApplicationError):
        services.decide_out_of_province(chain.regulator_user, application, approve=False)
    application = services.decide_out_of_province(
        chain.regulator_user, application, approve=True, comment="同意"
    )
    assert application.status == ApplicationStatus.REGULATOR_CONFIRMED


def test_assigned_task_is_visible_to_staff_member():
    chain = build_chain()
    application = submit(chain)
    assert not services.visible_applications(chain.staff_member).exists()

    services.assign_task(
        chain.applicant, application, assignee_id=chain.staff_member.pk, note="跟进送检"
    )

    assert list(services.visible_applications(chain.staff_member)) == [application]
    assert Message.objects.filter(recipient=chain.staff_member, kind="task").exists()
