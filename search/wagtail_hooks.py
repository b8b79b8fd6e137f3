from wagtail import hooks

from .schema import SearchQuery


@hooks.register("register_schema_query")
def add_search_query(query_mixins):
    query_mixins.append(SearchQuery)
