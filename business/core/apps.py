from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "business.core"
    label = "business_core"
    verbose_name = "基础设施"
