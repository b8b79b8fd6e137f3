"""Portal pages edited in the Wagtail admin and read by the frontend through GraphQL.

The three news sections (notices, work updates, laws) share one abstract article
model. Each section is its own page type, so that GraphQL queries and, later,
readership rules can tell them apart.
"""

import graphene
from django.db import models
from django.utils import timezone
from grapple.models import GraphQLRichText, GraphQLString
from grapple.types.rich_text import RichText
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class ArticlePageInterface(graphene.Interface):
    """Fields every portal article carries, whatever its section."""

    date = graphene.String(required=True, description="发布日期（YYYY-MM-DD）")
    publisher = graphene.String(required=True, description="发布单位")
    summary = graphene.String(required=True, description="摘要")
    body = graphene.Field(RichText, required=True, description="正文（HTML）")
    section_name = graphene.String(required=True, description="栏目名称")


class HomePage(Page):
    """Root of the portal. The frontend renders the home screen itself."""

    introduction = models.TextField("平台简介", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    subpage_types = ["cms.SectionIndexPage"]
    max_count = 1

    graphql_fields = [GraphQLString("introduction")]

    class Meta:
        verbose_name = "门户首页"
        verbose_name_plural = "门户首页"


class SectionIndexPage(Page):
    """A news section such as 通知公告; its children are the section's articles."""

    introduction = models.TextField("栏目说明", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NoticePage", "cms.WorkUpdatePage", "cms.LawPage"]

    graphql_fields = [GraphQLString("introduction")]

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"


class ArticlePage(Page):
    date = models.DateField("发布日期", default=timezone.localdate)
    publisher = models.CharField("发布单位", max_length=100, blank=True)
    summary = models.TextField("摘要", blank=True)
    body = RichTextField("正文", blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("publisher"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
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

    section_label = ""

    @property
    def section_name(self) -> str:
        return self.section_label

    class Meta:
        abstract = True


class NoticePage(ArticlePage):
    section_label = "通知公告"

    class Meta:
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"


class WorkUpdatePage(ArticlePage):
    section_label = "工作动态"

    class Meta:
        verbose_name = "工作动态"
        verbose_name_plural = "工作动态"


class LawPage(ArticlePage):
    section_label = "法律法规"

    class Meta:
        verbose_name = "法律法规"
        verbose_name_plural = "法律法规"
