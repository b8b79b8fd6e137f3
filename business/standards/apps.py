from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "business.standards"
    label = "standards"
    verbose_name = "计量标准与规程库"
