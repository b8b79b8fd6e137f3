from django.apps import AppConfig


class CertTemplatesConfig(AppConfig):
    name = "business.certtemplates"
    label = "certtemplates"
    verbose_name = "证书模板"
