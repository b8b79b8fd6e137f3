from wagtail import hooks

from .schema import ApplicationMutation, ApplicationQuery


@hooks.register("register_schema_query")
def add_application_queries(query_mixins):
    query_mixins.append(ApplicationQuery)


@hooks.register("register_schema_mutation")
def add_application_mutations(mutation_mixins):
    mutation_mixins.append(ApplicationMutation)
