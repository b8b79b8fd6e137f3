from wagtail import hooks

from .schema import AccessQuery


@hooks.register("register_schema_query")
def add_access_queries(query_mixins):
    query_mixins.append(AccessQuery)


@hooks.register("register_admin_viewset")
def register_role_admin():
    from .admin import RoleViewSet

    return RoleViewSet("roles_admin")


@hooks.register("register_admin_urls")
def register_grant_urls():
    from django.urls import path

    from .grants import grant_edit_view, grant_list_view

    return [
        path("business-user-grants/", grant_list_view, name="access_grants"),
        path("business-user-grants/<int:user_id>/", grant_edit_view, name="access_grant_edit"),
    ]


@hooks.register("register_admin_menu_item")
def register_grant_menu_item():
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    from .admin import is_security_administrator

    class SecurityAdministratorMenuItem(MenuItem):
        def is_shown(self, request):
            return is_security_administrator(request.user)

    return SecurityAdministratorMenuItem(
        "业务用户授权", reverse("access_grants"), icon_name="key", order=910
    )
