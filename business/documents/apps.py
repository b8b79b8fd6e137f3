from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "business.documents"
    label = "documents"
    verbose_name = "管理体系文件"
