from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "business.reference"
    label = "reference"
    verbose_name = "基础数据"

    def ready(self):
        # Connects the signals that clear the working-day cache when the calendar changes.
        from . import workdays  # noqa: F401
