from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "business.audit"
    label = "audit"
    verbose_name = "安全审计"

    def ready(self) -> None:
        # A malformed audit or field key must stop the start-up, not the first
        # business action that needs it.
        from business.core.crypto import keyring

        keyring.check_settings()
