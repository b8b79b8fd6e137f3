from django.apps import AppConfig


class ExpiryConfig(AppConfig):
    name = "business.expiry"
    label = "expiry"
    verbose_name = "到期提醒"
