"""Certificate PDFs, checked with poppler's pdftotext, pdfinfo and pdffonts.

The QR code test also needs pdftoppm and zbarimg (Debian's zbar-tools). Each test
that needs a missing binary is skipped with the binary's name.
"""

import datetime
import re
import shutil
import subprocess

import pytest
import segno
from django.core.management import CommandError, call_command
from django.test import override_settings

from business.certificates import pdf, services
from business.certificates.models import Certificate
from business.verification.models import VerificationRecord
from tests import factories

pytestmark = pytest.mark.django_db

# 𠮷 (U+20BB7, Extension B) and 䶮 (U+4DAE, Extension A) are in Noto CJK SC.
RARE_NAME_CHARACTERS = "𠮷䶮"
# 𪚥 (U+2A6A5, Extension B) is not in Noto Serif CJK SC 2.001 (Debian's
# fonts-noto-cjk 1:20220127), so it must come from HanaMinB.
CHARACTER_ONLY_IN_HANAMIN = "𪚥"


DEBIAN_PACKAGES = {
    "pdftotext": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "pdffonts": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "zbarimg": "zbar-tools",
}


def _run(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed; install the Debian package {DEBIAN_PACKAGES[tool]}")
    completed = subprocess.run(
        [tool, *args], check=True, capture_output=True, text=True, timeout=60
    )
    return completed.stdout


def _write_pdf(tmp_path, data: bytes):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(data)
    return path


def _text(tmp_path, data: bytes) -> str:
    """Return the PDF's text with all whitespace removed, so line breaks do not matter."""
    text = _run("pdftotext", "-enc", "UTF-8", str(_write_pdf(tmp_path, data)), "-")
    return re.sub(r"\s+", "", text)


def _page_count(tmp_path, data: bytes) -> int:
    info = _run("pdfinfo", str(_write_pdf(tmp_path, data)))
    return int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1))


def _embedded_fonts(tmp_path, data: bytes) -> dict[str, bool]:
    """Map each font name in the PDF, without its subset prefix, to whether it is embedded."""
    listing = _run("pdffonts", str(_write_pdf(tmp_path, data)))
    fonts = {}
    for line in listing.splitlines()[2:]:
        name = line.split()[0].split("+", 1)[-1]
        # Columns from the right: object ID (2 fields), uni, sub, emb.
        fonts[name] = line.split()[-5] == "yes"
    return fonts


def _issue(conclusion=VerificationRecord.Conclusion.QUALIFIED, kind=None, client=None, name=None):
    owner = factories.enterprise(name=client) if client else factories.enterprise()
    instrument = factories.instrument(owner=owner, name=name or "电子计价秤")
    overrides = {"conclusion": conclusion}
    if kind is not None:
        overrides["kind"] = kind
    return services.issue_certificate(factories.record(verified_instrument=instrument, **overrides))


@pytest.fixture
def certificate():
    return _issue()


def test_pdf_is_one_a4_page(certificate, tmp_path):
    data = pdf.render_certificate_pdf(certificate)

    assert data.startswith(b"%PDF-")
    assert _page_count(tmp_path, data) == 1
    info = _run("pdfinfo", str(_write_pdf(tmp_path, data)))
    assert "(A4)" in info


def test_pdf_text_has_certificate_fields(certificate, tmp_path):
    text = _text(tmp_path, pdf.render_certificate_pdf(certificate))

    assert "检定证书" in text
    assert certificate.number in text
    assert f"证书编号：{certificate.number}" in text
    assert "检定结论合格" in text
    assert certificate.check_code in text
    assert certificate.content_digest in text
    assert "第1页共1页" in text
    assert "有效期至2027年03月09日" in text
    assert "检定日期2026年03月10日" in text
    assert certificate.institution_name in text
    assert certificate.authorisation_number in text
    assert certificate.client_name in text
    assert certificate.serial_number in text
    assert certificate.record_number in text
    assert "批准人李娜" in text
    assert "核验员王芳" in text
    assert "检定员张伟" in text
    assert "SM2" in text
    assert "以下空白" in text


def test_pdf_issue_time_in_beijing_time(certificate, tmp_path):
    text = _text(tmp_path, pdf.render_certificate_pdf(certificate))

    beijing = certificate.issued_at.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    assert f"{beijing:%Y年%m月%d日%H:%M:%S}（北京时间）" in text


def test_html_converts_utc_to_beijing_time(certificate):
    certificate.issued_at = datetime.datetime(2026, 3, 10, 20, 30, tzinfo=datetime.UTC)

    html = pdf.certificate_html(certificate)

    assert "2026年03月11日 04:30:00（北京时间）" in html


def test_pdf_rare_characters_extracted(tmp_path):
    certificate = _issue(
        client=f"郑州市{RARE_NAME_CHARACTERS}商贸有限公司", name=f"{RARE_NAME_CHARACTERS}牌电子秤"
    )

    text = _text(tmp_path, pdf.render_certificate_pdf(certificate))

    assert f"郑州市{RARE_NAME_CHARACTERS}商贸有限公司" in text
    assert f"{RARE_NAME_CHARACTERS}牌电子秤" in text


def test_pdf_embeds_noto_cjk_fonts(certificate, tmp_path):
    fonts = _embedded_fonts(tmp_path, pdf.render_certificate_pdf(certificate))

    assert fonts.get("Noto-Serif-CJK-SC") is True
    assert fonts.get("Noto-Sans-CJK-SC-Bold") is True
    assert all(fonts.values()), fonts
    assert not any(name.startswith("HanaMin") for name in fonts)


def test_pdf_falls_back_to_hanamin(tmp_path):
    certificate = _issue(client=f"郑州市{CHARACTER_ONLY_IN_HANAMIN}{RARE_NAME_CHARACTERS}商行")

    data = pdf.render_certificate_pdf(certificate)

    fonts = _embedded_fonts(tmp_path, data)
    assert fonts.get("HanaMinB-Medium") is True
    assert fonts.get("Noto-Serif-CJK-SC") is True
    assert certificate.client_name in _text(tmp_path, data)


def test_pdf_qr_code_decodes_to_check_url(certificate, tmp_path):
    data = pdf.render_certificate_pdf(certificate)
    pdf_path = _write_pdf(tmp_path, data)

    _run("pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf_path), str(tmp_path / "page"))
    decoded = _run("zbarimg", "--quiet", "--raw", str(tmp_path / "page.png"))

    expected = (
        f"http://127.0.0.1:8000/certificate-check"
        f"?number={certificate.number}&code={certificate.check_code}"
    )
    assert decoded.strip() == expected


def test_html_embeds_segno_qr_svg(certificate):
    expected_url = (
        f"http://127.0.0.1:8000/certificate-check"
        f"?number={certificate.number}&code={certificate.check_code}"
    )

    html = pdf.certificate_html(certificate)

    assert pdf.public_check_url(certificate) == expected_url
    assert pdf.qr_code_svg(expected_url) in html
    qr = pdf.qr_code(expected_url)
    assert qr.error == "M"
    assert qr.matrix == segno.make(expected_url, error="m", micro=False).matrix


def test_check_url_uses_public_base_url_setting(certificate):
    with override_settings(PUBLIC_BASE_URL="https://jl.example.gov.cn/"):
        url = pdf.public_check_url(certificate)

    assert url == (
        f"https://jl.example.gov.cn/certificate-check"
        f"?number={certificate.number}&code={certificate.check_code}"
    )


def test_result_notice_has_no_validity_date(tmp_path):
    certificate = _issue(conclusion=VerificationRecord.Conclusion.UNQUALIFIED)

    text = _text(tmp_path, pdf.render_certificate_pdf(certificate))

    assert certificate.kind == Certificate.Kind.RESULT_NOTICE
    assert "检定结果通知书" in text
    assert "检定结论不合格" in text
    assert "有效期至—" in text
    assert "2027年" not in text


def test_calibration_certificate_gives_no_verdict(tmp_path):
    certificate = _issue(
        conclusion=VerificationRecord.Conclusion.NOT_APPLICABLE,
        kind=VerificationRecord.Kind.CALIBRATION,
    )

    text = _text(tmp_path, pdf.render_certificate_pdf(certificate))

    assert certificate.kind == Certificate.Kind.CALIBRATION
    assert "校准证书" in text
    assert "结论不作结论" in text
    assert "校准日期2026年03月10日" in text
    assert "校准员张伟" in text
    assert "有效期至—" in text
    assert "检定证书" not in text


def test_pdf_escapes_html_in_names(tmp_path):
    client = '<script>alert("x")</script>示例公司'
    name = "<b>电子秤</b>&amp;"
    certificate = _issue(client=client, name=name)

    html = pdf.certificate_html(certificate)
    text = _text(tmp_path, pdf.render_certificate_pdf(certificate))

    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert re.sub(r"\s+", "", client) in text
    assert name in text


def test_pdf_loads_no_external_resources(tmp_path, caplog):
    image_path = tmp_path / "image.svg"
    image_path.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')

    pdf._write_pdf(f'<img src="{image_path.as_uri()}"><img src="http://127.0.0.1:9/x.png">')

    warnings = [record.getMessage() for record in caplog.records]
    assert any("disallowed protocol" in message and "file:" in message for message in warnings)
    assert any("disallowed protocol" in message and "http:" in message for message in warnings)


def test_void_certificate_marked_void(certificate, tmp_path):
    voided = services.void_certificate(certificate, "器具信息录入错误")

    text = _text(tmp_path, pdf.render_certificate_pdf(voided))

    assert "本证书已作废" in text
    assert "作废原因：器具信息录入错误" in text


def test_altered_certificate_not_rendered(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(conclusion="0.1级合格")
    certificate.refresh_from_db()

    with pytest.raises(pdf.CertificatePdfError) as error:
        pdf.render_certificate_pdf(certificate)

    assert error.value.code == "altered"
    assert certificate.number in error.value.message


def test_command_writes_pdf(certificate, tmp_path):
    output = tmp_path / "out.pdf"

    call_command("render_certificate_pdf", certificate.number, str(output))

    assert output.read_bytes().startswith(b"%PDF-")


def test_command_unknown_number_fails(tmp_path):
    with pytest.raises(CommandError, match="not found"):
        call_command("render_certificate_pdf", "HNJY2026999999", str(tmp_path / "out.pdf"))
