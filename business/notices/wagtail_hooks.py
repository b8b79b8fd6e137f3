from wagtail import hooks

from .schema import NoticeMutation, NoticeQuery


@hooks.register("register_schema_query")
def add_notice_queries(query_mixins):
    query_mixins.append(NoticeQuery)


@hooks.register("register_schema_mutation")
def add_notice_mutations(mutation_mixins):
    mutation_mixins.append(NoticeMutation)
