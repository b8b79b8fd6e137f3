from wagtail import hooks

from .schema import PortalQuery


@hooks.register("register_schema_query")
def add_portal_queries(query_mixins):
    query_mixins.append(PortalQuery)
