from wagtail import hooks

from .schema import SavedQueryMutation, SavedQueryQuery


@hooks.register("register_schema_query")
def add_saved_query_queries(query_mixins):
    query_mixins.append(SavedQueryQuery)


@hooks.register("register_schema_mutation")
def add_saved_query_mutations(mutation_mixins):
    mutation_mixins.append(SavedQueryMutation)
