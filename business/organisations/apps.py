from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "business.organisations"
    label = "organisations"
    verbose_name = "组织机构"
