from wagtail import hooks

from .schema import DocumentMutation, DocumentQuery


@hooks.register("register_schema_query")
def add_document_queries(query_mixins):
    query_mixins.append(DocumentQuery)


@hooks.register("register_schema_mutation")
def add_document_mutations(mutation_mixins):
    mutation_mixins.append(DocumentMutation)
