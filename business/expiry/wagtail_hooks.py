from wagtail import hooks

from .schema import ExpiryQuery


@hooks.register("register_schema_query")
def add_expiry_queries(query_mixins):
    query_mixins.append(ExpiryQuery)
