"""Portal queries of our own, next to grapple's generic page queries.

The home page lists each news section with a fixed sort order. Grapple's ``pages``
query would pass a client-chosen ``order`` string straight to ``order_by``.
"""

import graphene
from grapple.types.interfaces import get_page_interface

from .models import LawPage, NoticePage, WorkUpdatePage

# Most articles one request may list per section.
MAX_ARTICLES = 50


class ArticleSection(graphene.Enum):
    NOTICES = "notices"
    WORK_UPDATES = "work_updates"
    LAWS = "laws"

    @property
    def description(self):
        return {"NOTICES": "通知公告", "WORK_UPDATES": "工作动态", "LAWS": "法律法规"}[self.name]


SECTION_MODELS = {
    ArticleSection.NOTICES.value: NoticePage,
    ArticleSection.WORK_UPDATES.value: WorkUpdatePage,
    ArticleSection.LAWS.value: LawPage,
}


class PortalQuery(graphene.ObjectType):
    articles = graphene.List(
        graphene.NonNull(get_page_interface),
        required=True,
        section=graphene.Argument(ArticleSection, required=True),
        limit=graphene.Int(default_value=8, description=f"条数，最多 {MAX_ARTICLES}"),
        description="某一栏目已发布的文章，按发布日期从新到旧排列。",
    )

    @staticmethod
    def resolve_articles(root, info, section, limit):
        model = SECTION_MODELS[section.value]
        limit = max(1, min(limit, MAX_ARTICLES))
        return list(model.objects.live().public().order_by("-date", "-id")[:limit])
