"""The instrument's stored copy of its latest certificate follows issuing and voiding,
and agrees with the subquery-based with_certificate_problem()."""

import datetime

import pytest

from business.certificates import services as certificates
from business.instruments.filters import flagged_condition
from business.instruments.models import CertificateProblem, CertificateState, Instrument
from tests import factories

pytestmark = pytest.mark.django_db


def stored(instrument) -> Instrument:
    return Instrument.objects.get(pk=instrument.pk)


def test_issue_and_void_update_the_copy():
    instrument = factories.instrument()
    today = datetime.date(2026, 4, 1)
    assert stored(instrument).certificate_state == CertificateState.NONE
    assert Instrument.objects.filter(flagged_condition(today)).count() == 1

    certificate = certificates.issue_certificate(factories.record(instrument))

    row = stored(instrument)
    assert row.certificate_state == CertificateState.VALID
    assert row.certificate_valid_until == certificate.valid_until
    assert row.certificate_problem_on(today) == CertificateProblem.VALID
    assert Instrument.objects.filter(flagged_condition(today)).count() == 0

    certificates.void_certificate(certificate, "录入错误")
    assert stored(instrument).certificate_state == CertificateState.VOID
    assert Instrument.objects.filter(flagged_condition(today)).count() == 1


def test_copy_agrees_with_subquery():
    instrument = factories.instrument()
    certificate = certificates.issue_certificate(factories.record(instrument))
    later = certificate.valid_until + datetime.timedelta(days=1)

    for today in (certificate.verification_date, later):
        expected = (
            Instrument.objects.with_certificate_problem(today)
            .values_list("certificate_problem", flat=True)
            .get(pk=instrument.pk)
        )
        assert stored(instrument).certificate_problem_on(today) == expected
