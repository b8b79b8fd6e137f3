from wagtail import hooks

from .schema import MessageMutation, MessageQuery


@hooks.register("register_schema_query")
def add_message_queries(query_mixins):
    query_mixins.append(MessageQuery)


@hooks.register("register_schema_mutation")
def add_message_mutations(mutation_mixins):
    mutation_mixins.append(MessageMutation)
