"""The search index table: one row per searchable object, whatever the back end.

Pages with a limited readership are indexed too, with their audience, and every
query filters on the audience of the visitor who searches.

The database back ends query this table directly. The Elasticsearch back end is
filled from it, so a rebuild of either starts from the same rows.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    class Kind(models.TextChoices):
        PAGE = "page", "门户文章"
        INSTITUTION = "institution", "技术机构"
        REGULATION = "regulation", "计量技术法规"
        CERTIFICATE = "certificate", "证书"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    object_id = models.CharField("对象编号", max_length=64)
    title = models.CharField("标题", max_length=255)
    # Plain text (HTML removed) shown in snippets. It is HTML-escaped before output.
    body = models.TextField("正文", blank=True)
    # Frontend route of the object, empty while the frontend has no screen for it.
    url = models.CharField("链接", max_length=255, blank=True)
    # Portal section of a page ("notices", "disclosures"…), empty for business data.
    section = models.CharField("栏目", max_length=20, blank=True, default="")
    # Readership copied from the page (see cms.readership); business data is public.
    audience = models.CharField("查阅范围", max_length=12, default="public")
    audience_kinds = models.CharField("限定单位类型", max_length=64, blank=True, default="")
    audience_divisions = models.TextField("限定行政区划", blank=True, default="")
    updated_at = models.DateTimeField("更新时间")

    # Normalised (NFKC, lower-case) text that queries must contain. For pages,
    # institutions and regulations it is the title and body. Certificates leave it
    # empty and match on exact_key only.
    search_text = models.TextField(blank=True)
    # Normalised certificate number: certificates are found by their full number only.
    exact_key = models.CharField(max_length=64, blank=True, db_index=True)
    # Unigrams and bigrams of search_text, filled on PostgreSQL and NULL on SQLite.
    # Migration 0002 creates its GIN index on PostgreSQL only.
    search_vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = "检索条目"
        verbose_name_plural = "检索条目"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="unique_search_document")
        ]
        indexes = [
            models.Index(fields=["kind", "-updated_at"], name="search_kind_updated"),
            models.Index(fields=["section", "-updated_at"], name="search_section_updated"),
            # Newest matches of a broad query come from this index (see PostgresBackend).
            models.Index(fields=["-updated_at", "-id"], name="search_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title}"
