"""Portal hooks: GraphQL queries, and the readership check on Wagtail's own views.

Wagtail's page and document views under /cms/ and /documents/ would otherwise serve
restricted or unpublished content to anyone with the address.
"""

from django.http import Http404
from django.utils.html import escape
from wagtail import hooks
from wagtail.rich_text.pages import PageLinkHandler

from .guard import page_visible_to_request, visible_documents
from .schema import PortalQuery


@hooks.register("register_schema_query")
def add_portal_queries(query_mixins):
    query_mixins.append(PortalQuery)


def _is_editor(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))


@hooks.register("before_serve_page")
def check_page_readership(page, request, serve_args, serve_kwargs):
    if not page_visible_to_request(page, request):
        raise Http404("页面不存在或无权查阅。")


@hooks.register("before_serve_document")
def check_document_readership(document, request):
    # Editors open attachments from the admin before the page is published.
    if _is_editor(request):
        return None
    if not visible_documents([document], request):
        raise Http404("文件不存在或无权查阅。")
    return None


class PortalPageLinkHandler(PageLinkHandler):
    """Render internal page links in rich text as frontend routes (/articles/12).

    Wagtail's own handler writes the page's Wagtail URL, which the frontend does not
    serve. A link to a page without a frontend screen stays an <a> without href.
    """

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        from .home import page_route

        links = []
        for page in cls.get_many(attrs_list):
            route = page_route(page) if page is not None else None
            links.append(f'<a href="{escape(route)}">' if route else "<a>")
        return links


# order=10 runs after Wagtail's core hook, which registers its own "page" link handler.
@hooks.register("register_rich_text_features", order=10)
def use_frontend_page_links(features):
    features.register_link_type(PortalPageLinkHandler)
