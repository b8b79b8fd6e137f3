from django.apps import AppConfig


class SavedQueriesConfig(AppConfig):
    label = "savedqueries"
    name = "business.savedqueries"
    verbose_name = "常用查询条件"
