from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "business.analytics"
    label = "analytics"
    verbose_name = "门户统计"
