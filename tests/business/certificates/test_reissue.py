"""Voiding and reissuing (重新签发), the public check of a reissued certificate, and the
institution's certificate template in the PDF, including rare characters."""

import re
import shutil
import subprocess

import pytest

from business.certificates import pdf, reissue, services
from business.certificates.models import Certificate
from business.certificates.services import CertificateError, CheckStatus
from business.certtemplates.models import CertificateTemplate
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    return services.issue_certificate(factories.record())


def test_voiding_twice_refused(certificate):
    services.void_certificate(certificate, "器具出厂编号录入错误")
    with pytest.raises(CertificateError) as raised:
        services.void_certificate(certificate, "再次作废")
    assert raised.value.code == "already_void"


def test_reissue_needs_a_voided_certificate(certificate):
    with pytest.raises(CertificateError) as raised:
        reissue.reissue_certificate(certificate)
    assert raised.value.code == "not_void"
    assert Certificate.objects.count() == 1


def test_reissue_links_new_certificate_and_voids_nothing(certificate):
    voided = services.void_certificate(certificate, "器具出厂编号录入错误")
    instrument = certificate.instrument
    instrument.serial_number = "SN-CORRECTED"
    instrument.save()

    new = reissue.reissue_certificate(voided)

    assert new.replaces == voided
    assert new.status == Certificate.Status.VALID
    assert new.number != voided.number
    assert new.serial_number == "SN-CORRECTED"
    assert new.record.record_number == f"{voided.record_number}-R1"
    assert services.is_intact(new)
    voided.refresh_from_db()
    assert voided.status == Certificate.Status.VOID
    assert voided.reissued_as == new


def test_reissue_twice_refused(certificate):
    voided = services.void_certificate(certificate, "录入错误")
    new = reissue.reissue_certificate(voided)
    with pytest.raises(CertificateError) as raised:
        reissue.reissue_certificate(voided)
    assert raised.value.code == "already_reissued"
    assert new.number in raised.value.message
    # The replacement can itself be voided and reissued, with the next record number.
    services.void_certificate(new, "再次更正")
    newer = reissue.reissue_certificate(new)
    assert newer.record.record_number.endswith("-R2")


def test_void_and_reissue_rolls_back_together(certificate):
    institution = certificate.institution
    institution.certificate_prefix = ""
    institution.save()
    with pytest.raises(CertificateError):
        reissue.void_and_reissue(certificate, "录入错误")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_reissue_with_record_of_other_instrument_refused(certificate):
    voided = services.void_certificate(certificate, "录入错误")
    other = factories.record(verifying_institution=certificate.institution)
    with pytest.raises(CertificateError) as raised:
        reissue.reissue_certificate(voided, other)
    assert raised.value.code == "record_mismatch"


CHECK = """query($number: String!, $code: String!) {
  certificateCheck(number: $number, checkCode: $code) {
    status certificate { number statusLabel reissuedAsNumber replacesNumber }
  }
}"""


def test_public_check_of_voided_certificate_names_the_new_number(client, certificate):
    from tests.api.client import data, post

    voided = services.void_certificate(certificate, "录入错误")
    new = reissue.reissue_certificate(voided)

    result = data(post(client, CHECK, {"number": voided.number, "code": voided.check_code}))
    check = result["certificateCheck"]
    assert check["status"] == CheckStatus.VOID.value
    assert check["certificate"]["reissuedAsNumber"] == new.number

    result = data(post(client, CHECK, {"number": new.number, "code": new.check_code}))
    assert result["certificateCheck"]["status"] == "AUTHENTIC"
    assert result["certificateCheck"]["certificate"]["replacesNumber"] == voided.number


def _pdf_tool(tool, *args):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed; install the Debian package poppler-utils")
    return subprocess.run(
        [tool, *args], check=True, capture_output=True, text=True, timeout=60
    ).stdout


def _pdf_text_and_fonts(tmp_path, data):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(data)
    text = re.sub(r"\s+", "", _pdf_tool("pdftotext", "-enc", "UTF-8", str(path), "-"))
    fonts = _pdf_tool("pdffonts", str(path))
    return text, fonts


def test_template_fields_and_rare_client_name_in_pdf(tmp_path):
    owner = factories.enterprise(name="𠮷䶮计量器具有限公司")
    record = factories.record(verified_instrument=factories.instrument(owner=owner))
    CertificateTemplate.objects.create(
        institution=record.institution,
        kind=Certificate.Kind.VERIFICATION,
        name="检定证书（2026 版）",
        title="检定证书",
        address="郑州市金水区花园路 21 号",
        post_code="450008",
        phone="0371-65000000",
        statement="本证书仅对所检计量器具在检定时的状态负责。",
        end_mark="以下空白",
    )
    certificate = services.issue_certificate(record)

    text, fonts = _pdf_text_and_fonts(tmp_path, pdf.render_certificate_pdf(certificate))

    assert "𠮷䶮计量器具有限公司" in text
    assert "地址：郑州市金水区花园路21号" in text
    assert "邮政编码：450008" in text
    assert "声明：本证书仅对所检计量器具在检定时的状态负责。" in text
    assert certificate.number in text
    assert "Noto-Serif-CJK-SC" in fonts or "Noto-Sans-CJK-SC" in fonts
    assert "Pages:           1" in _pdf_tool("pdfinfo", str(tmp_path / "certificate.pdf"))
    for line in fonts.splitlines()[2:]:
        assert line.split()[-5] == "yes", f"font not embedded: {line}"


def test_reissued_pdf_names_the_replaced_certificate(certificate, tmp_path):
    voided = services.void_certificate(certificate, "录入错误")
    new = reissue.reissue_certificate(voided)
    text, _ = _pdf_text_and_fonts(tmp_path, pdf.render_certificate_pdf(new))
    assert f"代替已作废的证书{voided.number}" in text


def test_default_layout_unchanged_without_template(certificate):
    assert pdf._layout(certificate) == (pdf.DEFAULT_TEMPLATE_NAME, {})
