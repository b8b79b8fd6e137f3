"""GraphQL: what the signed-in business user may do, so the frontend can build its menu.

The menu is a convenience only; every resolver checks permission and scope itself.
"""

import graphene

from business.accounts.permissions import require_business_user

from .scope import access_for


class PermissionGrant(graphene.ObjectType):
    code = graphene.String(required=True, description="权限代码")
    scope = graphene.String(
        required=True, description="数据范围：own 本人、organisation 本单位、division 本辖区及下级、all 全部"
    )

    class Meta:
        description = "当前用户拥有的一项权限及其数据范围"


class MyAccess(graphene.ObjectType):
    roles = graphene.List(graphene.NonNull(graphene.String), required=True, description="角色名称")
    permissions = graphene.List(graphene.NonNull(PermissionGrant), required=True)
    organisation_kind = graphene.String(
        required=True, description="所在单位类型：enterprise、institution 或 regulator"
    )

    class Meta:
        description = "当前用户的角色和权限"


class AccessQuery(graphene.ObjectType):
    my_access = graphene.Field(MyAccess, required=True, description="当前登录用户的角色和权限")

    def resolve_my_access(root, info):
        user = require_business_user(info)
        access = access_for(user)
        return MyAccess(
            roles=access.role_names,
            permissions=[
                PermissionGrant(code=code, scope=str(scope))
                for code, scope in sorted(access.scopes.items())
            ],
            organisation_kind=user.organisation.kind,
        )
