from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "business.notices"
    label = "notices"
    verbose_name = "通知公告（监管部门发企业和机构）"
