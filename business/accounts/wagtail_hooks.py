from wagtail import hooks

from .schema import AccountMutation, AccountQuery


@hooks.register("register_schema_query")
def add_account_queries(query_mixins):
    query_mixins.append(AccountQuery)


@hooks.register("register_schema_mutation")
def add_account_mutations(mutation_mixins):
    mutation_mixins.append(AccountMutation)
