from wagtail import hooks

from .schema import LedgerMutation, LedgerQuery


@hooks.register("register_schema_query")
def add_ledger_queries(query_mixins):
    query_mixins.append(LedgerQuery)


@hooks.register("register_schema_mutation")
def add_ledger_mutations(mutation_mixins):
    mutation_mixins.append(LedgerMutation)
