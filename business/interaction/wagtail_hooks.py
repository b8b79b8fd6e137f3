from wagtail import hooks

from .schema import InteractionMutation, InteractionQuery


@hooks.register("register_schema_query")
def add_interaction_queries(query_mixins):
    query_mixins.append(InteractionQuery)


@hooks.register("register_schema_mutation")
def add_interaction_mutations(mutation_mixins):
    mutation_mixins.append(InteractionMutation)
