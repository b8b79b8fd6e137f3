import hashlib

from django.apps import AppConfig
from django.core import checks
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    name = "business.accounts"
    label = "accounts"
    verbose_name = "业务用户"

    def ready(self):
        checks.register(check_sm3_available, checks.Tags.security)


def check_sm3_available(app_configs, **kwargs):
    """Report an error when hashlib lacks SM3, which the password hasher needs."""
    if "sm3" in hashlib.algorithms_available:
        return []
    return [
        checks.Error(
            "hashlib has no SM3, so business user passwords cannot be hashed or checked.",
            hint="Run Python against OpenSSL 1.1.1 or later built with SM3 enabled.",
            id="accounts.E001",
        )
    ]


class AdminUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with forms that reject business user names."""

    user_viewset = "business.accounts.admin_users.AdminUserViewSet"
