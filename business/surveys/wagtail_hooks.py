from wagtail import hooks

from .schema import SurveyMutation, SurveyQuery


@hooks.register("register_schema_query")
def add_survey_queries(query_mixins):
    query_mixins.append(SurveyQuery)


@hooks.register("register_schema_mutation")
def add_survey_mutations(mutation_mixins):
    mutation_mixins.append(SurveyMutation)
