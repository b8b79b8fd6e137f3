from wagtail import hooks

from .schema import QualificationMutation, QualificationQuery


@hooks.register("register_schema_query")
def add_qualification_queries(query_mixins):
    query_mixins.append(QualificationQuery)


@hooks.register("register_schema_mutation")
def add_qualification_mutations(mutation_mixins):
    mutation_mixins.append(QualificationMutation)
