import datetime

import pytest

from business.certificates import content, keys, services
from business.certificates.models import Certificate
from business.certificates.services import CertificateError, CheckStatus
from business.verification.models import VerificationRecord
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    return services.issue_certificate(factories.record())


def test_issue_numbers_per_institution_and_year(certificate):
    second = services.issue_certificate(
        factories.record(verifying_institution=certificate.institution)
    )

    year = certificate.issued_at.year
    assert certificate.number == f"HNJY{year}000001"
    assert second.number == f"HNJY{year}000002"


def test_issue_computes_validity_from_catalogue_cycle(certificate):
    assert certificate.kind == Certificate.Kind.VERIFICATION
    assert certificate.verification_date == datetime.date(2026, 3, 10)
    assert certificate.valid_until == datetime.date(2027, 3, 9)


def test_issue_signs_digest_of_canonical_content(certificate):
    canonical = content.canonical_content(certificate)

    assert certificate.content_digest == content.content_digest(certificate)
    assert len(certificate.content_digest) == 64
    assert keys.verify(certificate.signing_key, canonical, certificate.signature)
    assert certificate.check_code == content.check_code_for(certificate.signature)


def test_failed_verification_gives_result_notice_without_validity():
    record = factories.record(conclusion=VerificationRecord.Conclusion.UNQUALIFIED)

    certificate = services.issue_certificate(record)

    assert certificate.kind == Certificate.Kind.RESULT_NOTICE
    assert certificate.conclusion == "不合格"
    assert certificate.valid_until is None


def test_issue_twice_for_one_record_rejected(certificate):
    with pytest.raises(CertificateError) as error:
        services.issue_certificate(certificate.record)

    assert error.value.code == "already_issued"


def test_issue_with_missing_catalogue_interval_rejected():
    item = factories.catalogue_item(number=99, cycle_months=None)
    record = factories.record(verified_instrument=factories.instrument(item=item))

    with pytest.raises(CertificateError) as error:
        services.issue_certificate(record)

    assert error.value.code == "missing_interval"
    assert not Certificate.objects.exists()


def test_check_authentic(certificate):
    outcome = services.check_certificate(certificate.number, certificate.check_code)

    assert outcome.status is CheckStatus.AUTHENTIC
    assert outcome.certificate.pk == certificate.pk


def test_check_accepts_lower_case_code_and_spaces(certificate):
    outcome = services.check_certificate(
        f"  {certificate.number} ", certificate.check_code.lower()
    )

    assert outcome.status is CheckStatus.AUTHENTIC


def test_check_wrong_code_looks_like_unknown_number(certificate):
    wrong_code = "2" * 8 if certificate.check_code != "2" * 8 else "3" * 8

    wrong = services.check_certificate(certificate.number, wrong_code)
    unknown = services.check_certificate("HNJY2026999999", certificate.check_code)

    assert wrong.status is CheckStatus.NOT_FOUND
    assert unknown.status is CheckStatus.NOT_FOUND
    assert wrong.message == unknown.message


def test_check_detects_conclusion_changed_in_database(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(conclusion="0.5级合格")

    outcome = services.check_certificate(certificate.number, certificate.check_code)

    assert outcome.status is CheckStatus.ALTERED
    assert outcome.certificate is None


def test_check_detects_digest_and_content_changed_together(certificate):
    certificate.valid_until = datetime.date(2030, 1, 1)
    certificate.content_digest = content.content_digest(certificate)
    certificate.save()

    outcome = services.check_certificate(certificate.number, certificate.check_code)

    assert outcome.status is CheckStatus.ALTERED


def test_check_void_certificate(certificate):
    services.void_certificate(certificate, "检定数据录入错误，已重新出具")

    outcome = services.check_certificate(certificate.number, certificate.check_code)

    assert outcome.status is CheckStatus.VOID
    assert outcome.certificate.void_reason == "检定数据录入错误，已重新出具"


def test_void_twice_rejected(certificate):
    services.void_certificate(certificate, "录入错误")

    with pytest.raises(CertificateError) as error:
        services.void_certificate(certificate, "再次作废")

    assert error.value.code == "already_void"


def test_old_certificates_verify_after_key_rotation(certificate):
    keys.create_signing_key(certificate.institution)

    outcome = services.check_certificate(certificate.number, certificate.check_code)

    assert outcome.status is CheckStatus.AUTHENTIC
    assert keys.active_signing_key(certificate.institution) != certificate.signing_key


@pytest.mark.parametrize(
    ("number", "code", "field", "error_code"),
    [
        ("", "ABCDEFGH", "number", "required"),
        ("HNJY2026000001", "", "checkCode", "required"),
        ("证" * 10_000, "ABCDEFGH", "number", "too_long"),
        ("HNJY2026000001", "A" * 10_000, "checkCode", "invalid"),
        ("HNJY2026000001", "O0I1-?", "checkCode", "invalid"),
    ],
)
def test_check_rejects_bad_input(number, code, field, error_code):
    outcome = services.check_certificate(number, code)

    assert outcome.status is CheckStatus.INVALID
    assert (field, error_code) in [(name, code) for name, _, code in outcome.errors]


def test_issue_and_void_are_audited(certificate):
    from business.audit.models import AuditEvent

    services.void_certificate(certificate, "录入错误")

    actions = list(AuditEvent.objects.order_by("sequence").values_list("action", "object_id"))
    assert ("certificate.issue", certificate.number) in actions
    assert ("certificate.void", certificate.number) in actions
