import pytest

from business.certificates import services
from business.certificates.models import Certificate
from tests import factories
from tests.api.client import post

pytestmark = pytest.mark.django_db

CHECK = """
query CheckCertificate($number: String!, $checkCode: String!) {
  certificateCheck(number: $number, checkCode: $checkCode) {
    status
    message
    errors { field message code }
    certificate { number conclusion validUntil institutionName clientName statusLabel }
  }
}
"""


def check(client, number, code, **extra):
    return post(client, CHECK, {"number": number, "checkCode": code}, **extra)


@pytest.fixture
def certificate():
    return services.issue_certificate(factories.record())


def test_check_authentic_shows_public_fields(client, certificate):
    response = check(client, certificate.number, certificate.check_code)

    result = response.json()["data"]["certificateCheck"]
    assert result["status"] == "AUTHENTIC"
    assert result["certificate"]["number"] == certificate.number
    assert result["certificate"]["validUntil"] == "2027-03-09"
    assert result["certificate"]["statusLabel"] == "有效"
    assert result["errors"] == []


def test_check_never_returns_personal_names(client, certificate):
    response = check(client, certificate.number, certificate.check_code)

    body = response.content.decode()
    for name in ("张伟", "王芳", "李娜"):
        assert name not in body


def test_check_reports_altered_conclusion(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(conclusion="不合格")

    result = check(client, certificate.number, certificate.check_code).json()["data"]

    assert result["certificateCheck"]["status"] == "ALTERED"
    assert "签发后被改动" in result["certificateCheck"]["message"]
    assert result["certificateCheck"]["certificate"] is None


@pytest.mark.parametrize(
    ("number", "code", "field"),
    [("", "ABCDEFGH", "number"), ("X" * 10_000, "ABCDEFGH", "number"), ("HNJY1", "", "checkCode")],
)
def test_check_bad_input_names_field_in_chinese(client, number, code, field):
    response = check(client, number, code)

    assert response.status_code == 200
    result = response.json()["data"]["certificateCheck"]
    assert result["status"] == "INVALID"
    assert result["errors"][0]["field"] == field
    message = result["errors"][0]["message"]
    assert "证书编号" in message or "校验码" in message


def test_check_unknown_number(client):
    result = check(client, "HNJY2026000404", "ABCDEFGH").json()["data"]["certificateCheck"]

    assert result["status"] == "NOT_FOUND"
    assert "未找到" in result["message"]


def test_check_rate_limited_per_client(client, settings):
    settings.CERTIFICATE_CHECK_RATE_LIMIT = 3

    statuses = [check(client, "HNJY2026000404", "ABCDEFGH").json() for _ in range(4)]
    other_client = check(client, "HNJY2026000404", "ABCDEFGH", REMOTE_ADDR="10.0.0.8").json()

    assert all("errors" not in body for body in statuses[:3])
    assert statuses[3]["errors"][0]["message"] == "查询过于频繁，请稍后再试。"
    assert statuses[3]["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert "errors" not in other_client


def test_aliases_count_against_rate_limit(client, settings):
    settings.CERTIFICATE_CHECK_RATE_LIMIT = 3
    fields = " ".join(
        f'c{index}: certificateCheck(number: "HNJY1", checkCode: "ABCDEFGH") {{ status }}'
        for index in range(5)
    )

    body = post(client, f"{{ {fields} }}").json()

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
