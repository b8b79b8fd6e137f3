from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "platform_search"
    verbose_name = "全文检索"

    def ready(self):
        from . import signals  # noqa: F401  (connects the index update receivers)
