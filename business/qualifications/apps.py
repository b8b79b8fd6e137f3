from django.apps import AppConfig


class QualificationsConfig(AppConfig):
    name = "business.qualifications"
    label = "qualifications"
    verbose_name = "资质与人员资格"
