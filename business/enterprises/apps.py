from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "business.enterprises"
    label = "enterprises"
    verbose_name = "企业信息"
