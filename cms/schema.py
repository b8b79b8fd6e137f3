"""Portal queries of our own, next to grapple's generic page queries.

Section lists use a fixed sort order (grapple's ``pages`` would pass a client-chosen
``order`` string to ``order_by``), filter on readership in SQL, and return typed
fields for every section's own data. The home query returns cached plain data.
"""

import graphene
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from grapple.types.interfaces import get_page_interface
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from business.core.api.errors import PublicError
from business.core.api.pagination import page_arguments, page_type, paginate

from . import blocks, home, readership
from .guard import page_visible_to_request, visible_pages
from .models import (
    SECTION_MODELS,
    ArticlePage,
    CataloguePage,
    DisclosurePage,
    LegalEducationPage,
    PageAttachment,
    TopicPage,
)

# Most articles one request may list per section on the home page.
MAX_ARTICLES = 50

_SECTION_LABELS = {key: model.section_label for key, model in SECTION_MODELS.items()}


class ArticleSection(graphene.Enum):
    WORK_UPDATES = "work_updates"
    NOTICES = "notices"
    LAWS = "laws"
    CATALOGUES = "catalogues"
    LEGAL_EDUCATION = "legal_education"
    DISCLOSURES = "disclosures"
    TOPICS = "topics"

    @property
    def description(self):
        return _SECTION_LABELS[self.value]


def _section_value(section) -> str:
    return section.value if hasattr(section, "value") else section


def readable_articles(model, request):
    """Return the live pages of ``model`` the request's visitor may read, newest first."""
    reader = readership.reader_for_request(request)
    return (
        model.objects.live()
        .public()
        .filter(readership.audience_filter(reader))
        .order_by("-date", "-pk")
    )


def _category_label(page) -> str:
    if isinstance(page, LegalEducationPage | DisclosurePage):
        return page.get_category_display()
    return ""


# --- types ----------------------------------------------------------------------------


class Attachment(graphene.ObjectType):
    title = graphene.String(required=True, description="附件名称")
    url = graphene.String(required=True, description="下载地址；服务器按页面的查阅范围检查权限")
    file_extension = graphene.String(required=True, description="文件扩展名，例如 pdf")
    file_size = graphene.Int(description="文件大小（字节）；文件缺失时为空")

    class Meta:
        description = "页面附件"


class CatalogueEntry(graphene.ObjectType):
    code = graphene.String(required=True, description="编号")
    name = graphene.String(required=True, description="名称")
    kind_label = graphene.String(required=True, description="类别")
    status = graphene.String(required=True, description="状态代码：current、upcoming、abolished")
    status_label = graphene.String(required=True, description="状态")
    effective_date = graphene.String(description="实施日期（YYYY-MM-DD）")
    note = graphene.String(required=True, description="备注")

    class Meta:
        description = "规程规范目录中的一条"


class TopicLink(graphene.ObjectType):
    title = graphene.String(required=True)
    url = graphene.String(required=True)
    category = graphene.String(
        required=True, description="类别代码：external_system、other_province、related_site"
    )
    category_label = graphene.String(required=True, description="类别")
    description = graphene.String(required=True)

    class Meta:
        description = "专题页中的外部链接"


class PortalArticleSummary(graphene.ObjectType):
    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    date = graphene.String(required=True, description="发布日期（YYYY-MM-DD）")
    section = graphene.Field(ArticleSection, required=True)
    section_name = graphene.String(required=True)
    publisher = graphene.String(required=True)
    summary = graphene.String(required=True)
    category_label = graphene.String(required=True, description="计量普法和公示的类别，其他栏目为空")
    period_end = graphene.String(description="公示截止日期（YYYY-MM-DD），仅公示有")
    restricted = graphene.Boolean(required=True, description="是否限定了查阅范围")

    class Meta:
        description = "栏目列表中的一篇文章"

    @staticmethod
    def resolve_id(page, info):
        return page.pk

    @staticmethod
    def resolve_date(page, info):
        return page.date.isoformat()

    @staticmethod
    def resolve_section(page, info):
        return page.section_key

    @staticmethod
    def resolve_category_label(page, info):
        return _category_label(page)

    @staticmethod
    def resolve_period_end(page, info):
        value = getattr(page, "period_end", None)
        return value.isoformat() if value else None

    @staticmethod
    def resolve_restricted(page, info):
        return page.audience != readership.Audience.PUBLIC


class PortalArticle(PortalArticleSummary):
    body = graphene.String(required=True, description="正文 HTML，由编辑在后台录入")
    readership = graphene.String(required=True, description="查阅范围的文字说明")
    attachments = graphene.List(graphene.NonNull(Attachment), required=True)
    category = graphene.String(description="类别代码，仅计量普法和公示有")
    period_start = graphene.String(description="公示开始日期（YYYY-MM-DD），仅公示有")
    catalogue_entries = graphene.List(graphene.NonNull(CatalogueEntry), required=True)
    topic_links = graphene.List(graphene.NonNull(TopicLink), required=True)

    class Meta:
        description = "门户文章详情，含附件和各栏目特有的字段"

    @staticmethod
    def resolve_body(page, info):
        return expand_db_html(page.body)

    @staticmethod
    def resolve_readership(page, info):
        return page.readership_label

    @staticmethod
    def resolve_attachments(page, info):
        rows = PageAttachment.objects.filter(page_id=page.pk).select_related("document")
        attachments = []
        for row in rows.order_by("sort_order"):
            document = row.document
            try:
                size = document.get_file_size()
            except OSError:
                size = None
            attachments.append(
                Attachment(
                    title=row.display_title,
                    url=document.url,
                    file_extension=document.file_extension,
                    file_size=size,
                )
            )
        return attachments

    @staticmethod
    def resolve_category(page, info):
        return getattr(page, "category", None)

    @staticmethod
    def resolve_period_start(page, info):
        value = getattr(page, "period_start", None)
        return value.isoformat() if value else None

    @staticmethod
    def resolve_catalogue_entries(page, info):
        if not isinstance(page, CataloguePage):
            return []
        kinds, statuses = dict(blocks.CATALOGUE_KINDS), dict(blocks.CATALOGUE_STATUSES)
        entries = []
        for entry in page.entries:
            value = entry.value
            effective = value.get("effective_date")
            entries.append(
                CatalogueEntry(
                    code=value["code"],
                    name=value["name"],
                    kind_label=kinds.get(value["kind"], value["kind"]),
                    status=value["status"],
                    status_label=statuses.get(value["status"], value["status"]),
                    effective_date=effective.isoformat() if effective else None,
                    note=value.get("note") or "",
                )
            )
        return entries

    @staticmethod
    def resolve_topic_links(page, info):
        if not isinstance(page, TopicPage):
            return []
        labels = dict(blocks.LINK_CATEGORIES)
        return [
            TopicLink(
                title=link.value["title"],
                url=link.value["url"],
                category=link.value["category"],
                category_label=labels.get(link.value["category"], ""),
                description=link.value.get("description") or "",
            )
            for link in page.links
        ]


PortalArticlePage = page_type(PortalArticleSummary, "PortalArticlePage", "栏目文章的一页")


class HomeImage(graphene.ObjectType):
    url = graphene.String(required=True)
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)


class HomeSlide(graphene.ObjectType):
    title = graphene.String(required=True)
    caption = graphene.String(required=True)
    image = graphene.Field(HomeImage)
    href = graphene.String(description="点击后打开的地址；站内页面为前端路由，外部链接为完整地址")
    external = graphene.Boolean(required=True, description="是否为外部链接")


class HomeNewsItem(graphene.ObjectType):
    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    date = graphene.String(required=True)
    section = graphene.Field(ArticleSection, required=True)


class HomeNewsTab(graphene.ObjectType):
    section = graphene.Field(ArticleSection, required=True)
    title = graphene.String(required=True)
    items = graphene.List(graphene.NonNull(HomeNewsItem), required=True)


class HomeTile(graphene.ObjectType):
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    href = graphene.String()
    external = graphene.Boolean(required=True)


class HomeLink(graphene.ObjectType):
    title = graphene.String(required=True)
    href = graphene.String(required=True)
    external = graphene.Boolean(required=True)
    category = graphene.String(required=True)
    category_label = graphene.String(required=True)


class HomeBlockKind(graphene.Enum):
    BANNER = "banner"
    PICTURE = "picture"
    NEWS_TABS = "news_tabs"
    TOPIC_TILES = "topic_tiles"
    LINKS = "links"

    @property
    def description(self):
        return {
            "BANNER": "横幅轮播",
            "PICTURE": "图片位",
            "NEWS_TABS": "新闻页签",
            "TOPIC_TILES": "专题专栏",
            "LINKS": "链接组",
        }[self.name]


class HomeBlock(graphene.ObjectType):
    """One block of the home layout; only the fields of its kind are filled."""

    id = graphene.String(required=True)
    kind = graphene.Field(HomeBlockKind, required=True)
    title = graphene.String(description="专题专栏、链接组的标题；图片位的替代文字")
    position = graphene.String(description="图片位：top、middle、side、bottom")
    position_label = graphene.String()
    image = graphene.Field(HomeImage, description="图片位的图片")
    href = graphene.String(description="图片位点击后打开的地址")
    external = graphene.Boolean()
    slides = graphene.List(graphene.NonNull(HomeSlide))
    tabs = graphene.List(graphene.NonNull(HomeNewsTab))
    tiles = graphene.List(graphene.NonNull(HomeTile))
    links = graphene.List(graphene.NonNull(HomeLink))


class HomeDivision(graphene.ObjectType):
    code = graphene.String(required=True, description="区划代码")
    name = graphene.String(required=True)


class PortalHome(graphene.ObjectType):
    title = graphene.String(required=True)
    introduction = graphene.String(required=True)
    division = graphene.Field(HomeDivision, description="显示的是这一地区的首页；全省首页为空")
    divisions = graphene.List(
        graphene.NonNull(HomeDivision), required=True, description="单独安排了首页的地区"
    )
    blocks = graphene.List(graphene.NonNull(HomeBlock), required=True)

    class Meta:
        description = "门户首页：编辑安排的区块，只含公开内容"


_division_code = RegexValidator(r"^\d{6}$")


class PortalQuery(graphene.ObjectType):
    articles = graphene.List(
        graphene.NonNull(get_page_interface),
        required=True,
        section=graphene.Argument(ArticleSection, required=True),
        limit=graphene.Int(default_value=8, description=f"条数，最多 {MAX_ARTICLES}"),
        description="某一栏目中当前访客可以查阅的已发布文章，按发布日期从新到旧排列。",
    )
    article_list = graphene.Field(
        PortalArticlePage,
        required=True,
        section=graphene.Argument(ArticleSection, required=True),
        **page_arguments(),
        description="栏目文章列表：当前访客可以查阅的已发布文章，按发布日期从新到旧分页。",
    )
    portal_article = graphene.Field(
        PortalArticle,
        id=graphene.ID(required=True),
        description="一篇文章的详情；未发布、已过期或当前访客无权查阅时为空。",
    )
    portal_home = graphene.Field(
        PortalHome,
        division=graphene.String(description="6 位区划代码；为空时显示全省首页"),
        description="门户首页的区块。指定地区而该地区没有单独的首页时，依次使用上级地区或全省的首页。",
    )

    @staticmethod
    def resolve_articles(root, info, section, limit):
        model = SECTION_MODELS[_section_value(section)]
        limit = max(1, min(limit, MAX_ARTICLES))
        return visible_pages(readable_articles(model, info.context)[:limit], info.context)

    @staticmethod
    def resolve_article_list(root, info, section, page, page_size):
        model = SECTION_MODELS[_section_value(section)]
        return PortalArticlePage(**paginate(readable_articles(model, info.context), page, page_size))

    @staticmethod
    def resolve_portal_article(root, info, id):
        try:
            page_id = int(id)
        except (TypeError, ValueError):
            return None
        page = Page.objects.filter(pk=page_id).specific().first()
        if not isinstance(page, ArticlePage) or not page_visible_to_request(page, info.context):
            return None
        return page

    @staticmethod
    def resolve_portal_home(root, info, division=None):
        if division:
            try:
                _division_code(division)
            except ValidationError:
                raise PublicError(
                    f"区划代码“{division[:20]}”无效：应为 6 位数字，例如 410100。", code="INVALID_DIVISION"
                ) from None
        return home.home_data(division or None)

