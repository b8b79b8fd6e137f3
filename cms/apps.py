from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = "门户内容"

    def ready(self):
        from . import signals  # noqa: F401  (connects the home cache invalidation)
