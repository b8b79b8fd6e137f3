from wagtail import hooks

from .schema import AccessQuery


@hooks.register("register_schema_query")
def add_access_queries(query_mixins):
    query_mixins.append(AccessQuery)


@hooks.register("register_admin_viewset")
def register_role_admin():
    from .admin import RoleViewSet

    return RoleViewSet("roles_admin")
