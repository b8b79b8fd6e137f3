from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "business.interaction"
    label = "interaction"
    verbose_name = "互动交流"
