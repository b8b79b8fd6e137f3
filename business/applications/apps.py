from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "business.applications"
    label = "applications"
    verbose_name = "检定申请"
