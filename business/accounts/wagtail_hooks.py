from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .schema import AccountMutation, AccountQuery
from .schema_security import AccountSecurityMutation, AccountSecurityQuery


@hooks.register("register_schema_query")
def add_account_queries(query_mixins):
    query_mixins.append(AccountQuery)
    query_mixins.append(AccountSecurityQuery)


@hooks.register("register_schema_mutation")
def add_account_mutations(mutation_mixins):
    mutation_mixins.append(AccountMutation)
    mutation_mixins.append(AccountSecurityMutation)


# --- Admin pages: TOTP for admin accounts, online business sessions --------------------


@hooks.register("register_admin_urls")
def register_security_urls():
    from django.urls import path

    from .admin_views import AdminSecondFactorView, AdminTotpSetupView, OnlineSessionsView

    return [
        path(
            "security/second-factor/",
            AdminSecondFactorView.as_view(),
            name="accounts_admin_second_factor",
        ),
        path("security/totp/", AdminTotpSetupView.as_view(), name="accounts_admin_totp_setup"),
        path(
            "security/online-sessions/",
            OnlineSessionsView.as_view(),
            name="accounts_online_sessions",
        ),
    ]


class _SecurityAdministratorMenuItem(MenuItem):
    def is_shown(self, request):
        from .admin_views import is_security_administrator

        return is_security_administrator(request.user)


@hooks.register("register_admin_menu_item")
def register_online_sessions_menu_item():
    return _SecurityAdministratorMenuItem(
        "在线用户", reverse("accounts_online_sessions"), icon_name="user", order=9000
    )


@hooks.register("register_account_menu_item")
def register_totp_account_menu_item(request):
    return {
        "url": reverse("accounts_admin_totp_setup"),
        "label": "动态口令（两步验证）",
        "help_text": "用手机验证器应用生成的 6 位数字作为登录管理后台的第二步。",
    }
