from wagtail import hooks

from .schema import StandardMutation, StandardQuery


@hooks.register("register_schema_query")
def add_standard_queries(query_mixins):
    query_mixins.append(StandardQuery)


@hooks.register("register_schema_mutation")
def add_standard_mutations(mutation_mixins):
    mutation_mixins.append(StandardMutation)
