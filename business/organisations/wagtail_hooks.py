from wagtail import hooks

from .schema import RegistrationMutation, RegistrationQuery


@hooks.register("register_schema_query")
def add_registration_queries(query_mixins):
    query_mixins.append(RegistrationQuery)


@hooks.register("register_schema_mutation")
def add_registration_mutations(mutation_mixins):
    mutation_mixins.append(RegistrationMutation)
