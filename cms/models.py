"""Portal pages edited in the Wagtail admin and read by the frontend through GraphQL.

Every content section (notices, work updates, laws, regulation catalogues, legal
education, public disclosures, topic columns) has its own page type under a
SectionIndexPage. They share one abstract article model that carries the
readership (``cms.readership``) and the attachments. The home page holds a
StreamField layout that editors arrange, plus optional layouts per division.
"""

import graphene
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from grapple.models import GraphQLRichText, GraphQLString
from grapple.types.rich_text import RichText
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from . import blocks, readership
from .readership import Audience


class ArticlePageInterface(graphene.Interface):
    """Fields every portal article carries, whatever its section."""

    date = graphene.String(required=True, description="发布日期（YYYY-MM-DD）")
    publisher = graphene.String(required=True, description="发布单位")
    summary = graphene.String(required=True, description="摘要")
    body = graphene.Field(RichText, required=True, description="正文（HTML）")
    section_name = graphene.String(required=True, description="栏目名称")


def _division_choices():
    """Return the divisions editors may choose, indented by level, province first."""
    from business.reference.models import Division

    indent = {"province": "", "prefecture": "　", "prefecture_group": "　", "county": "　　"}
    rows = Division.objects.filter(is_admin_division=True).order_by("code")
    return [(row.code, f"{indent.get(row.level, '')}{row.code} {row.name}") for row in rows]


class ReadershipPageForm(WagtailAdminPageForm):
    """Page form that edits the packed kind and division lists as multiple choices."""

    audience_kinds = forms.MultipleChoiceField(
        label="单位类型",
        choices=readership.ORGANISATION_KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选表示不限单位类型。",
    )
    audience_divisions = forms.MultipleChoiceField(
        label="行政区划（含下级）",
        choices=_division_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text="按住 Ctrl 可多选；选地市即包括其下各县区。不选表示不限区划。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not self.is_bound:
            self.initial["audience_kinds"] = readership.unpack_codes(self.instance.audience_kinds)
            self.initial["audience_divisions"] = readership.unpack_codes(
                self.instance.audience_divisions
            )

    def clean_audience_kinds(self):
        return readership.pack_codes(self.cleaned_data.get("audience_kinds") or [])

    def clean_audience_divisions(self):
        return readership.pack_codes(self.cleaned_data.get("audience_divisions") or [])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("audience") == Audience.RESTRICTED and not (
            cleaned.get("audience_kinds") or cleaned.get("audience_divisions")
        ):
            self.add_error(
                "audience",
                "选择“指定单位类型或行政区划”时，请至少勾选一种单位类型或选择一个行政区划；"
                "不限范围请选“登录用户”。",
            )
        return cleaned


class ReadershipMixin(models.Model):
    """Readership fields of a content page; see ``cms.readership`` for the rule."""

    audience = models.CharField(
        "查阅范围", max_length=12, choices=Audience.choices, default=Audience.PUBLIC
    )
    # Comma-wrapped lists such as ",enterprise,institution,"; empty means no limit.
    audience_kinds = models.CharField("限定单位类型", max_length=64, blank=True, default="")
    audience_divisions = models.TextField("限定行政区划", blank=True, default="")

    readership_panels = [
        MultiFieldPanel(
            [FieldPanel("audience"), FieldPanel("audience_kinds"), FieldPanel("audience_divisions")],
            heading="发放查阅范围",
            help_text="“公开”的内容人人可见；其余内容只有符合范围的登录用户能在门户和检索中看到。",
        )
    ]

    def readable_by(self, reader: readership.Reader) -> bool:
        return readership.allows(
            self.audience, self.audience_kinds, self.audience_divisions, reader
        )

    @property
    def readership_label(self) -> str:
        return readership.describe(self.audience, self.audience_kinds, self.audience_divisions)

    class Meta:
        abstract = True


class PageAttachment(Orderable):
    """A document (附件) attached to a content page, listed under its body."""

    page = ParentalKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="文件", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(
        "显示名称", max_length=120, blank=True, help_text="留空时显示文件标题。"
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"

    @property
    def display_title(self) -> str:
        return self.title or self.document.title


class HomePage(Page):
    """Root of the portal. Editors arrange its blocks; divisions may have their own set."""

    introduction = models.TextField("平台简介", blank=True)
    layout = StreamField(
        blocks.HomeLayoutBlock(),
        verbose_name="首页布局",
        blank=True,
        help_text="从上到下排列横幅、图片位、新闻页签、专题专栏和链接组。",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("layout"),
        InlinePanel(
            "division_layouts",
            label="地方首页",
            help_text="为某个地市（或县区）单独安排首页；访客切换到该地区时显示，未设置的地区显示上面的全省首页。",
        ),
    ]
    subpage_types = ["cms.SectionIndexPage"]
    max_count = 1

    graphql_fields = [GraphQLString("introduction")]

    class Meta:
        verbose_name = "门户首页"
        verbose_name_plural = "门户首页"


class DivisionHomeLayout(Orderable):
    """The home blocks shown to visitors who chose one division."""

    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="division_layouts")
    division = models.ForeignKey(
        "reference.Division",
        verbose_name="行政区划",
        on_delete=models.PROTECT,
        related_name="+",
    )
    layout = StreamField(blocks.HomeLayoutBlock(), verbose_name="首页布局", blank=True)

    panels = [FieldPanel("division"), FieldPanel("layout")]

    class Meta(Orderable.Meta):
        verbose_name = "地方首页"
        verbose_name_plural = "地方首页"
        constraints = [
            models.UniqueConstraint(fields=["page", "division"], name="one_home_layout_per_division")
        ]


class SectionIndexPage(Page):
    """A portal section such as 通知公告; its children are the section's pages."""

    introduction = models.TextField("栏目说明", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = [
        "cms.NoticePage",
        "cms.WorkUpdatePage",
        "cms.LawPage",
        "cms.CataloguePage",
        "cms.LegalEducationPage",
        "cms.DisclosurePage",
        "cms.TopicPage",
    ]

    graphql_fields = [GraphQLString("introduction")]

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"


class ArticlePage(ReadershipMixin, Page):
    date = models.DateField("发布日期", default=timezone.localdate)
    publisher = models.CharField("发布单位", max_length=100, blank=True)
    summary = models.TextField("摘要", blank=True)
    body = RichTextField("正文", blank=True)

    base_form_class = ReadershipPageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("publisher"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    attachment_panels = [InlinePanel("attachments", label="附件", heading="附件")]
    parent_page_types = ["cms.SectionIndexPage"]
    subpage_types = []

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    graphql_interfaces = (ArticlePageInterface,)
    graphql_fields = [
        GraphQLString("date", required=True),
        GraphQLString("publisher", required=True),
        GraphQLString("summary", required=True),
        GraphQLRichText("body", required=True),
        GraphQLString("section_name", required=True),
    ]

    # Section key used by the API and the search index, and the section's name.
    section_key = ""
    section_label = ""

    @property
    def section_name(self) -> str:
        return self.section_label

    def extra_search_text(self) -> list[str]:
        """Texts of the page type's own fields that search should also find."""
        return []

    class Meta:
        abstract = True


def _article_panels(*extra):
    """Content panels of an article type: shared fields, its own fields, attachments, readership."""
    return [
        *ArticlePage.content_panels,
        *extra,
        *ArticlePage.attachment_panels,
        *ArticlePage.readership_panels,
    ]


class NoticePage(ArticlePage):
    section_key = "notices"
    section_label = "通知公告"
    content_panels = _article_panels()

    class Meta:
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"


class WorkUpdatePage(ArticlePage):
    section_key = "work_updates"
    section_label = "工作动态"
    content_panels = _article_panels()

    class Meta:
        verbose_name = "工作动态"
        verbose_name_plural = "工作动态"


class LawPage(ArticlePage):
    section_key = "laws"
    section_label = "法律法规"
    content_panels = _article_panels()

    class Meta:
        verbose_name = "法律法规"
        verbose_name_plural = "法律法规"


class CataloguePage(ArticlePage):
    """A catalogue of regulations and specifications (规程规范目录), one row per document."""

    entries = StreamField(
        [("entry", blocks.CatalogueEntryBlock())],
        verbose_name="目录条目",
        blank=True,
    )

    section_key = "catalogues"
    section_label = "规程规范目录"
    content_panels = _article_panels(FieldPanel("entries"))

    class Meta:
        verbose_name = "规程规范目录"
        verbose_name_plural = "规程规范目录"

    def extra_search_text(self) -> list[str]:
        return [f"{entry.value['code']} {entry.value['name']}" for entry in self.entries]


class LegalEducationPage(ArticlePage):
    """An article of the legal education column (计量普法)."""

    class Category(models.TextChoices):
        INTERPRETATION = "interpretation", "法规解读"
        CASE = "case", "典型案例"
        KNOWLEDGE = "knowledge", "计量知识"
        CAMPAIGN = "campaign", "普法活动"

    category = models.CharField(
        "类别", max_length=20, choices=Category.choices, default=Category.KNOWLEDGE
    )

    section_key = "legal_education"
    section_label = "计量普法"
    content_panels = _article_panels(FieldPanel("category"))
    graphql_fields = [*ArticlePage.graphql_fields, GraphQLString("category")]

    class Meta:
        verbose_name = "计量普法"
        verbose_name_plural = "计量普法"


class DisclosurePage(ArticlePage):
    """A public disclosure (公示): approvals, inspection results and the like, with its period."""

    class Category(models.TextChoices):
        APPROVAL = "approval", "行政许可"
        INSPECTION = "inspection", "监督检查结果"
        AUTHORISATION = "authorisation", "计量授权"
        ASSESSMENT = "assessment", "考核结果"
        OTHER = "other", "其他"

    category = models.CharField(
        "公示类别", max_length=20, choices=Category.choices, default=Category.OTHER
    )
    period_start = models.DateField("公示开始日期", null=True, blank=True)
    period_end = models.DateField("公示截止日期", null=True, blank=True)

    section_key = "disclosures"
    section_label = "公示公告"
    content_panels = _article_panels(
        FieldPanel("category"), FieldPanel("period_start"), FieldPanel("period_end")
    )
    graphql_fields = [
        *ArticlePage.graphql_fields,
        GraphQLString("category"),
        GraphQLString("period_start"),
        GraphQLString("period_end"),
    ]

    class Meta:
        verbose_name = "公示公告"
        verbose_name_plural = "公示公告"

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "公示截止日期不能早于开始日期，请检查两个日期。"})


class TopicPage(ArticlePage):
    """A topic column page (专题专栏) with links to external systems and other provinces' sites."""

    links = StreamField(
        [("link", blocks.TopicLinkBlock())],
        verbose_name="相关链接",
        blank=True,
    )

    section_key = "topics"
    section_label = "专题专栏"
    content_panels = _article_panels(FieldPanel("links"))

    class Meta:
        verbose_name = "专题专栏"
        verbose_name_plural = "专题专栏"

    def extra_search_text(self) -> list[str]:
        return [link.value["title"] for link in self.links]


# Every content page type by its section key, in the order the portal lists them.
SECTION_MODELS: dict[str, type[ArticlePage]] = {
    model.section_key: model
    for model in (
        WorkUpdatePage,
        NoticePage,
        LawPage,
        CataloguePage,
        LegalEducationPage,
        DisclosurePage,
        TopicPage,
    )
}
