from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "business.access"
    label = "access"
    verbose_name = "角色与数据范围"
