from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "business.certificates"
    label = "certificates"
    verbose_name = "证书"
