"""Certificates become searchable by number as soon as they are issued."""

import pytest

from business.certificates import services
from search import service
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_issued_certificate_found_by_number():
    certificate = services.issue_certificate(factories.record())

    results = service.search(certificate.number)

    assert [item.title for item in results.items] == [certificate.number]
