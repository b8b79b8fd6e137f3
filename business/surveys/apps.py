from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "business.surveys"
    label = "surveys"
    verbose_name = "问卷调查"
