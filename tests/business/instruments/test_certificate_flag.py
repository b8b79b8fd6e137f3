import datetime

import pytest

from business.certificates import services as certificate_services
from business.instruments import services
from business.instruments.models import CertificateProblem, Instrument
from business.verification.models import VerificationRecord
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def institution():
    return factories.institution()


@pytest.fixture
def issue(institution):
    def issue_for(instrument, verification_date=datetime.date(2026, 3, 10), **overrides):
        record = factories.record(
            instrument,
            institution,
            verification_date=verification_date,
            **overrides,
        )
        return certificate_services.issue_certificate(record)

    return issue_for


def flagged(today=TODAY) -> dict[int, str]:
    return {
        instrument.pk: instrument.certificate_problem
        for instrument in Instrument.objects.without_valid_certificate(today)
    }


def test_instrument_without_certificate_flagged():
    instrument = factories.instrument()

    assert flagged() == {instrument.pk: CertificateProblem.MISSING}


def test_valid_certificate_not_flagged(issue):
    instrument = factories.instrument()
    issue(instrument)  # valid until 2027-03-09

    assert flagged() == {}


def test_certificate_valid_on_its_last_day(issue):
    instrument = factories.instrument()
    issue(instrument)

    assert flagged(today=datetime.date(2027, 3, 9)) == {}
    assert flagged(today=datetime.date(2027, 3, 10)) == {
        instrument.pk: CertificateProblem.EXPIRED
    }


def test_expired_certificate_flagged(issue):
    instrument = factories.instrument()
    issue(instrument, verification_date=datetime.date(2025, 3, 10))  # until 2026-03-09

    assert flagged() == {instrument.pk: CertificateProblem.EXPIRED}


def test_void_latest_certificate_flagged(issue):
    instrument = factories.instrument()
    issue(instrument, verification_date=datetime.date(2026, 1, 5))
    latest = issue(instrument)
    certificate_services.void_certificate(latest, "检定数据录入错误")

    assert flagged() == {instrument.pk: CertificateProblem.VOID}


def test_result_notice_flagged(issue):
    instrument = factories.instrument()
    issue(instrument, verification_date=datetime.date(2026, 1, 5))
    issue(instrument, conclusion=VerificationRecord.Conclusion.UNQUALIFIED)

    assert flagged() == {instrument.pk: CertificateProblem.RESULT_NOTICE}


def test_newer_valid_certificate_clears_expired_one(issue):
    instrument = factories.instrument()
    issue(instrument, verification_date=datetime.date(2025, 3, 10))
    issue(instrument)

    assert flagged() == {}


def test_calibration_does_not_replace_verification(issue):
    instrument = factories.instrument()
    issue(
        instrument,
        kind=VerificationRecord.Kind.CALIBRATION,
        conclusion=VerificationRecord.Conclusion.NOT_APPLICABLE,
    )

    assert flagged() == {instrument.pk: CertificateProblem.MISSING}


def test_disabled_and_scrapped_instruments_excluded():
    disabled = factories.instrument()
    scrapped = factories.instrument()
    services.disable_instrument(disabled, "送修", actor=None)
    services.scrap_instrument(scrapped, "损坏", actor=None)

    assert flagged() == {}


def test_non_mandatory_instrument_excluded():
    instrument = factories.instrument()
    Instrument.objects.filter(pk=instrument.pk).update(catalogue_item=None, usage="")

    assert flagged() == {}


def test_flag_runs_one_query(issue, django_assert_num_queries):
    for _ in range(3):
        issue(factories.instrument())
    factories.instrument()
    expired = factories.instrument()
    issue(expired, verification_date=datetime.date(2024, 3, 10))

    with django_assert_num_queries(1):
        result = flagged()

    assert len(result) == 2
    assert result[expired.pk] == CertificateProblem.EXPIRED


def test_flag_combines_with_scope_filters():
    instrument = factories.instrument()
    other = factories.instrument(owner=factories.enterprise(name="另一家企业"))

    scoped = Instrument.objects.filter(enterprise=instrument.enterprise)

    assert list(scoped.without_valid_certificate(TODAY).values_list("pk", flat=True)) == [
        instrument.pk
    ]
    assert other.pk in flagged()
