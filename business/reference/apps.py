from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "business.reference"
    label = "reference"
    verbose_name = "基础数据"

    def ready(self):
        # Importing workdays connects its signal receivers, which clear the working-day
        # cache whenever a CalendarDay row is saved or deleted.
        from . import workdays  # noqa: F401
