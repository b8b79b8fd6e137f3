from django.apps import AppConfig


class LookupsConfig(AppConfig):
    name = "business.lookups"
    label = "lookups"
    verbose_name = "便民服务查询"
