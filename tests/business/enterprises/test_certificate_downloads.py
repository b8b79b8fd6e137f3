"""The enterprise's certificates: list, detail and the scoped, cached PDF download."""

import pytest

from business.certificates import services
from business.certificates.downloads import cached_pdf_name
from business.organisations.models import PrivateStorage
from tests import factories
from tests.api.client import bearer, data, error_codes, post

pytestmark = pytest.mark.django_db

LIST = """query L($filter: CertificateFilterInput) {
  myCertificates(filter: $filter) { totalCount items { id number pdfUrl instrumentName } } }"""
DETAIL = "query D($id: ID!) { myCertificate(id: $id) { number verifierName } }"


@pytest.fixture
def enterprise():
    return factories.enterprise()


@pytest.fixture
def institution():
    return factories.institution()


@pytest.fixture
def certificate(enterprise, institution):
    record = factories.record(factories.instrument(owner=enterprise), institution)
    return services.issue_certificate(record)


def test_list_own_certificates_only(client, enterprise, institution, certificate):
    other = factories.instrument(owner=factories.enterprise(name="别家"))
    services.issue_certificate(factories.record(other, institution))
    user = factories.business_user(enterprise, roles=["enterprise_metrologist"])

    page = data(post(client, LIST, {}, **bearer(user)))["myCertificates"]

    assert page["totalCount"] == 1
    assert page["items"][0]["number"] == certificate.number
    searched = data(post(client, LIST, {"filter": {"search": "不存在"}}, **bearer(user)))
    assert searched["myCertificates"]["totalCount"] == 0


def test_detail_out_of_scope_not_found(client, certificate):
    stranger = factories.business_user(factories.enterprise(name="别家"), roles=["enterprise_metrologist"])

    response = post(client, DETAIL, {"id": str(certificate.pk)}, **bearer(stranger))

    assert error_codes(response) == ["NOT_FOUND"]


def test_pdf_download_cached(client, enterprise, certificate):
    user = factories.business_user(enterprise, roles=["enterprise_metrologist"])
    url = f"/downloads/certificates/{certificate.pk}/pdf/"

    response = client.get(url, **bearer(user))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert PrivateStorage().exists(cached_pdf_name(certificate))
    stranger = factories.business_user(factories.enterprise(name="别家"), roles=["enterprise_metrologist"])
    assert client.get(url, **bearer(stranger)).status_code == 404
