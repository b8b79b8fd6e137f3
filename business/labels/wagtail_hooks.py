from wagtail import hooks

from .schema import LabelMutation, LabelQuery


@hooks.register("register_schema_query")
def add_label_queries(query_mixins):
    query_mixins.append(LabelQuery)


@hooks.register("register_schema_mutation")
def add_label_mutations(mutation_mixins):
    mutation_mixins.append(LabelMutation)
