"""GraphQL API of portal search: the public ``search`` query."""

import graphene
from django.conf import settings

from business.analytics import services as analytics
from business.core import ratelimit
from business.core.api.errors import FieldError, RateLimitedError
from cms.readership import reader_for_request
from cms.schema import ArticleSection

from . import service
from .backends.base import MAX_LIMIT, MAX_OFFSET, TOTAL_CAP
from .models import SearchDocument

# Searches allowed per client address per window, until settings define their own.
DEFAULT_RATE_LIMIT = 60
DEFAULT_RATE_WINDOW_SECONDS = 60


class SearchKind(graphene.Enum):
    PAGE = SearchDocument.Kind.PAGE.value
    INSTITUTION = SearchDocument.Kind.INSTITUTION.value
    REGULATION = SearchDocument.Kind.REGULATION.value
    CERTIFICATE = SearchDocument.Kind.CERTIFICATE.value

    @property
    def description(self):
        return SearchDocument.Kind(self.value).label


class SearchResultItem(graphene.ObjectType):
    kind = graphene.Field(SearchKind, required=True)
    title = graphene.String(required=True, description="标题（纯文本）")
    highlighted_title = graphene.String(
        required=True, description="标题的 HTML，已转义，检索词用 <mark> 标出"
    )
    url = graphene.String(description="前端页面地址；尚无对应页面时为空")
    snippet = graphene.String(
        required=True, description="正文摘录的 HTML，已转义，检索词用 <mark> 标出"
    )
    section = graphene.Field(ArticleSection, description="门户文章所属栏目；其他类型为空")


class SearchResultPage(graphene.ObjectType):
    total = graphene.Int(required=True, description=f"结果总数，最多计到 {TOTAL_CAP}")
    total_is_capped = graphene.Boolean(
        required=True, description=f"结果超过 {TOTAL_CAP} 条时为真，应显示为“{TOTAL_CAP}+”"
    )
    items = graphene.List(graphene.NonNull(SearchResultItem), required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class SearchQuery(graphene.ObjectType):
    search = graphene.Field(
        SearchResultPage,
        required=True,
        query=graphene.String(
            required=True, description="检索词，1–200 个字符；以空格分隔的多个词须同时出现"
        ),
        kind=graphene.Argument(SearchKind, description="只检索这一类；为空时检索全部"),
        section=graphene.Argument(ArticleSection, description="只检索这一栏目的门户文章"),
        limit=graphene.Int(default_value=service.DEFAULT_LIMIT, description=f"条数，最多 {MAX_LIMIT}"),
        offset=graphene.Int(default_value=0, description=f"跳过的条数，最多 {MAX_OFFSET}"),
        description=(
            "全站检索：门户文章、技术机构、计量技术法规，以及按完整证书编号查找证书。"
            "只返回当前访客有权查阅的文章。输入有误时在 errors 中说明；按客户端地址限制查询频率。"
        ),
    )

    @staticmethod
    def resolve_search(
        root, info, query: str, kind=None, section=None, limit=service.DEFAULT_LIMIT, offset=0
    ):
        allowed = ratelimit.hit(
            "search",
            ratelimit.client_ip(info.context),
            limit=getattr(settings, "SEARCH_RATE_LIMIT", DEFAULT_RATE_LIMIT),
            window_seconds=getattr(settings, "SEARCH_RATE_WINDOW_SECONDS", DEFAULT_RATE_WINDOW_SECONDS),
        )
        if not allowed:
            raise RateLimitedError()

        kind_value = kind.value if kind is not None and hasattr(kind, "value") else kind
        section_value = section.value if section is not None and hasattr(section, "value") else section
        try:
            results = service.search(
                query,
                kind=kind_value,
                limit=limit,
                offset=offset,
                section=section_value,
                reader=reader_for_request(info.context),
            )
        except service.SearchQueryError as error:
            return SearchResultPage(
                total=0,
                total_is_capped=False,
                items=[],
                errors=[FieldError(field=error.field, message=error.message, code=error.code)],
            )
        # Only the first page of a search counts as one search in the statistics.
        if offset == 0:
            analytics.record_search(info.context, query, section_value or kind_value or "", results.total)
        return SearchResultPage(
            total=results.total,
            total_is_capped=results.total_is_capped,
            items=[
                SearchResultItem(
                    kind=item.kind,
                    title=item.title,
                    highlighted_title=item.highlighted_title,
                    url=item.url or None,
                    snippet=item.snippet,
                    section=item.section or None,
                )
                for item in results.items
            ],
            errors=[],
        )
