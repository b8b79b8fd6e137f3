from wagtail import hooks

from .schema import EnterpriseMutation, EnterpriseQuery


@hooks.register("register_schema_query")
def add_enterprise_queries(query_mixins):
    query_mixins.append(EnterpriseQuery)


@hooks.register("register_schema_mutation")
def add_enterprise_mutations(mutation_mixins):
    mutation_mixins.append(EnterpriseMutation)
