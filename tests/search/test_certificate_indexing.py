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


def test_save_documents_upserts_and_keeps_last_repeat():
    import datetime

    from django.utils import timezone

    from search import indexing
    from search.backends.base import DocumentData
    from search.models import SearchDocument

    def document(title: str) -> DocumentData:
        return DocumentData(
            kind="regulation", object_id="JJG 539", title=title, body="", url="",
            updated_at=timezone.now() - datetime.timedelta(days=1), searchable=[title],
        )

    indexing.save_documents([document("数字指示秤")])
    indexing.save_documents([document("旧名称"), document("数字指示秤检定规程")])

    rows = SearchDocument.objects.filter(kind="regulation", object_id="JJG 539")
    assert rows.count() == 1
    assert rows.get().title == "数字指示秤检定规程"
    assert "检定规程" in rows.get().search_text
