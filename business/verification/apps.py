from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "business.verification"
    label = "verification"
    verbose_name = "检定"
