from django.apps import AppConfig


class LabelsConfig(AppConfig):
    name = "business.labels"
    label = "labels"
    verbose_name = "器具二维码标签"
