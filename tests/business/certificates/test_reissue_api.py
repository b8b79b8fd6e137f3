import pytest

from business.certificates import services
from business.certificates.models import Certificate
from business.certtemplates.models import CertificateTemplate
from tests import factories
from tests.api.client import bearer, data, error_codes, post

pytestmark = pytest.mark.django_db

VOID = """mutation($number: String!, $reason: String!) {
  voidCertificate(number: $number, reason: $reason) { errors { field code message } number statusLabel }
}"""
REISSUE = """mutation($number: String!, $reason: String) {
  reissueCertificate(number: $number, reason: $reason) { errors { field code message } number }
}"""
TEMPLATE = """mutation($input: CertificateTemplateInput!) {
  saveCertificateTemplate(input: $input) { errors { field code } template { id title statement isActive } }
}"""


@pytest.fixture
def certificate():
    return services.issue_certificate(factories.record())


def test_approver_voids_once_then_reissues(client, certificate):
    approver = factories.business_user(certificate.institution, roles=["approver"])
    result = data(
        post(client, VOID, {"number": certificate.number, "reason": ""}, **bearer(approver))
    )
    assert [e["field"] for e in result["voidCertificate"]["errors"]] == ["reason"]
    result = data(
        post(client, VOID, {"number": certificate.number, "reason": "录入错误"}, **bearer(approver))
    )
    assert result["voidCertificate"]["statusLabel"] == "已作废"
    result = data(
        post(client, VOID, {"number": certificate.number, "reason": "再次"}, **bearer(approver))
    )
    assert [e["code"] for e in result["voidCertificate"]["errors"]] == ["ALREADY_VOID"]

    result = data(post(client, REISSUE, {"number": certificate.number}, **bearer(approver)))
    new_number = result["reissueCertificate"]["number"]
    assert Certificate.objects.get(number=new_number).replaces == certificate


def test_void_and_reissue_in_one_step(client, certificate):
    approver = factories.business_user(certificate.institution, roles=["approver"])
    result = data(
        post(
            client,
            REISSUE,
            {"number": certificate.number, "reason": "出厂编号错误"},
            **bearer(approver),
        )
    )
    assert result["reissueCertificate"]["errors"] == []
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VOID


def test_other_institution_and_enterprise_cannot_void(client, certificate):
    other = factories.business_user(
        factories.institution(name="另一机构", prefix="LYJG"), roles=["approver"]
    )
    assert error_codes(
        post(client, VOID, {"number": certificate.number, "reason": "x"}, **bearer(other))
    ) == ["NOT_FOUND"]
    owner = factories.business_user(certificate.instrument.enterprise, roles=["enterprise_admin"])
    assert error_codes(
        post(client, VOID, {"number": certificate.number, "reason": "x"}, **bearer(owner))
    ) == ["FORBIDDEN"]
    clerk = factories.business_user(certificate.institution, roles=["institution_clerk"])
    assert error_codes(
        post(client, VOID, {"number": certificate.number, "reason": "x"}, **bearer(clerk))
    ) == ["FORBIDDEN"]


def test_templates_one_active_per_kind(client):
    admin = factories.business_user(factories.institution(), roles=["institution_admin"])
    first = data(
        post(
            client,
            TEMPLATE,
            {"input": {"kind": "VERIFICATION", "name": "2025 版"}},
            **bearer(admin),
        )
    )
    template = first["saveCertificateTemplate"]["template"]
    assert template["title"] == "检定证书"
    assert template["statement"]
    data(
        post(
            client,
            TEMPLATE,
            {"input": {"kind": "VERIFICATION", "name": "2026 版"}},
            **bearer(admin),
        )
    )
    assert CertificateTemplate.objects.filter(is_active=True).count() == 1
    assert CertificateTemplate.objects.get(is_active=True).name == "2026 版"
    bad = data(
        post(
            client,
            TEMPLATE,
            {"input": {"kind": "CALIBRATION", "name": "x", "postCode": "45"}},
            **bearer(admin),
        )
    )
    assert [e["field"] for e in bad["saveCertificateTemplate"]["errors"]] == ["postCode"]
