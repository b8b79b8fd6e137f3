"""GraphQL API of business-user management for organisation administrators.

Needs ``users.manage``; its data scope decides which users and organisations are
reached (an enterprise administrator: the own enterprise; a regulator
administrator: the organisations of its division and below). Initial and reset
passwords are returned once, in the payload, and never again.
"""

import graphene
from django.db.models import Count, Prefetch
from django.utils import timezone

from business.access.models import Role, RoleAssignment
from business.access.scope import require_permission
from business.core.api.errors import FieldError, field_errors
from business.core.api.pagination import page_arguments, page_type, paginate

from . import filters, management, staff
from .schema_management import (
    ManagedOrganisation,
    OrganisationKindEnum,
    definitions_by_kind,
    operator_for,
    organisation_node,
    parse_id,
)


class RoleRef(graphene.ObjectType):
    id = graphene.ID(required=True, description="角色编号")
    code = graphene.String(required=True, description="角色代码")
    name = graphene.String(required=True, description="角色名称")
    organisation_kind = graphene.Field(
        OrganisationKindEnum, required=True, description="适用单位类型"
    )
    description = graphene.String(required=True, description="说明")

    class Meta:
        name = "AssignableRole"
        description = "可分配给用户的角色"

    @staticmethod
    def build(role: Role):
        return RoleRef(
            id=str(role.pk),
            code=role.code,
            name=role.name,
            organisation_kind=role.organisation_kind,
            description=role.description,
        )


class ManagedBusinessUser(graphene.ObjectType):
    id = graphene.ID(required=True, description="用户编号")
    username = graphene.String(required=True, description="用户名")
    display_name = graphene.String(required=True, description="姓名")
    organisation_id = graphene.ID(required=True, description="所属单位编号")
    organisation_name = graphene.String(required=True, description="所属单位名称")
    organisation_kind = graphene.Field(
        OrganisationKindEnum, required=True, description="所属单位类型"
    )
    is_active = graphene.Boolean(required=True, description="是否启用")
    locked = graphene.Boolean(required=True, description="是否因连续登录失败被锁定")
    must_change_password = graphene.Boolean(
        required=True, description="是否须修改初始密码或重置后的密码"
    )
    last_login_at = graphene.DateTime(description="最近登录时间")
    created_at = graphene.DateTime(required=True, description="创建时间")
    roles = graphene.List(graphene.NonNull(RoleRef), required=True, description="角色")

    class Meta:
        name = "ManagedBusinessUser"
        description = "单位的业务用户（管理用，不含密码和联系方式）"


def user_node(user, now=None) -> ManagedBusinessUser:
    now = now or timezone.now()
    assignments = getattr(user, "prefetched_assignments", None)
    if assignments is None:
        assignments = list(user.role_assignments.select_related("role"))
    return ManagedBusinessUser(
        id=str(user.pk),
        username=user.username,
        display_name=user.display_name,
        organisation_id=str(user.organisation_id),
        organisation_name=user.organisation.name,
        organisation_kind=user.organisation.kind,
        is_active=user.is_active,
        locked=user.is_locked(now),
        must_change_password=user.must_change_password,
        last_login_at=user.last_login_at,
        created_at=user.created_at,
        roles=[RoleRef.build(assignment.role) for assignment in assignments],
    )


ManagedBusinessUserPage = page_type(ManagedBusinessUser, "ManagedBusinessUserPage", "一页业务用户")


class BusinessUserFilterInput(graphene.InputObjectType):
    keyword = graphene.String(description="用户名或姓名中的文字")
    organisation_id = graphene.ID(description="所属单位编号")
    is_active = graphene.Boolean(description="是否启用")
    locked = graphene.Boolean(description="是否被锁定")
    role_id = graphene.ID(description="持有的角色编号")

    class Meta:
        description = "业务用户列表的查询条件"


class UserPayload:
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    user = graphene.Field(ManagedBusinessUser)


class CreateBusinessUser(UserPayload, graphene.Mutation):
    class Meta:
        name = "CreateBusinessUserPayload"
        description = "新建业务用户的结果"

    class Arguments:
        organisation_id = graphene.ID(required=True, description="所属单位编号")
        username = graphene.String(required=True, description="登录用户名")
        display_name = graphene.String(required=True, description="姓名")
        role_ids = graphene.List(graphene.NonNull(graphene.ID), description="角色编号")

    initial_password = graphene.String(
        description="一次性初始密码，只返回这一次；请当面或通过可靠渠道告知用户，首次登录须修改"
    )

    @staticmethod
    def mutate(root, info, organisation_id, username, display_name, role_ids=None):
        operator = operator_for(info)
        try:
            created = staff.create_user(
                operator,
                organisation_id=parse_id(organisation_id, "单位"),
                username=username,
                display_name=display_name,
                role_ids=role_ids or [],
            )
        except management.ManagementError as error:
            return CreateBusinessUser(errors=field_errors(error.errors))
        return CreateBusinessUser(
            errors=[], user=user_node(created.user), initial_password=created.initial_password
        )


class UpdateBusinessUser(UserPayload, graphene.Mutation):
    class Meta:
        name = "UpdateBusinessUserPayload"
        description = "修改业务用户的结果"

    class Arguments:
        id = graphene.ID(required=True, description="用户编号")
        display_name = graphene.String(required=True, description="姓名")

    @staticmethod
    def mutate(root, info, id, display_name):
        operator = operator_for(info)
        user = operator.get_user(parse_id(id, "用户"))
        try:
            user = staff.update_user(operator, user, display_name=display_name)
        except management.ManagementError as error:
            return UpdateBusinessUser(errors=field_errors(error.errors))
        return UpdateBusinessUser(errors=[], user=user_node(user))


class SetBusinessUserActive(UserPayload, graphene.Mutation):
    class Meta:
        name = "SetBusinessUserActivePayload"
        description = "启用或停用业务用户的结果"

    class Arguments:
        id = graphene.ID(required=True, description="用户编号")
        active = graphene.Boolean(
            required=True, description="true 启用，false 停用（立即结束其全部登录）"
        )

    @staticmethod
    def mutate(root, info, id, active):
        operator = operator_for(info)
        user = staff.set_user_active(operator, operator.get_user(parse_id(id, "用户")), active)
        return SetBusinessUserActive(errors=[], user=user_node(user))


class ResetBusinessUserPassword(UserPayload, graphene.Mutation):
    class Meta:
        name = "ResetBusinessUserPasswordPayload"
        description = "重置业务用户密码的结果"

    class Arguments:
        id = graphene.ID(required=True, description="用户编号")

    initial_password = graphene.String(description="新的一次性密码，只返回这一次；用户登录后须修改")

    @staticmethod
    def mutate(root, info, id):
        operator = operator_for(info)
        user = operator.get_user(parse_id(id, "用户"))
        try:
            reset = staff.reset_user_password(operator, user)
        except management.ManagementError as error:
            return ResetBusinessUserPassword(errors=field_errors(error.errors))
        return ResetBusinessUserPassword(
            errors=[], user=user_node(reset.user), initial_password=reset.initial_password
        )


class UnlockBusinessUser(UserPayload, graphene.Mutation):
    class Meta:
        name = "UnlockBusinessUserPayload"
        description = "解除业务用户登录锁定的结果"

    class Arguments:
        id = graphene.ID(required=True, description="用户编号")

    @staticmethod
    def mutate(root, info, id):
        operator = operator_for(info)
        user = staff.unlock_user(operator, operator.get_user(parse_id(id, "用户")))
        return UnlockBusinessUser(errors=[], user=user_node(user))


class AssignBusinessUserRoles(UserPayload, graphene.Mutation):
    class Meta:
        name = "AssignBusinessUserRolesPayload"
        description = "分配角色的结果"

    class Arguments:
        id = graphene.ID(required=True, description="用户编号")
        role_ids = graphene.List(
            graphene.NonNull(graphene.ID), required=True, description="用户应持有的全部角色编号"
        )

    @staticmethod
    def mutate(root, info, id, role_ids):
        operator = operator_for(info)
        user = operator.get_user(parse_id(id, "用户"))
        try:
            user = staff.assign_roles(operator, user, role_ids)
        except management.ManagementError as error:
            return AssignBusinessUserRoles(errors=field_errors(error.errors))
        return AssignBusinessUserRoles(errors=[], user=user_node(user))


class MoveBusinessUsers(graphene.Mutation):
    class Meta:
        name = "MoveBusinessUsersPayload"
        description = "批量移动业务用户到另一单位的结果"

    class Arguments:
        ids = graphene.List(graphene.NonNull(graphene.ID), required=True, description="用户编号")
        organisation_id = graphene.ID(required=True, description="目标单位编号，须与原单位同类")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    moved_count = graphene.Int(required=True, description="实际移动的用户数")

    @staticmethod
    def mutate(root, info, ids, organisation_id):
        operator = operator_for(info)
        try:
            moved = staff.move_users(operator, ids, parse_id(organisation_id, "单位"))
        except management.ManagementError as error:
            return MoveBusinessUsers(errors=field_errors(error.errors), moved_count=0)
        return MoveBusinessUsers(errors=[], moved_count=moved)


def _filter_data(filter) -> dict:
    data = dict(filter or {})
    for key, noun in (("organisation_id", "单位"), ("role_id", "角色")):
        if data.get(key) is not None:
            data[key] = parse_id(data[key], noun)
    return data


class UserManagementQuery(graphene.ObjectType):
    managed_business_users = graphene.Field(
        ManagedBusinessUserPage,
        required=True,
        filter=BusinessUserFilterInput(),
        **page_arguments(),
        description="可管理的业务用户列表（需要“管理本单位用户”权限，按数据范围过滤），新建的在前",
    )
    managed_business_user = graphene.Field(
        ManagedBusinessUser,
        required=True,
        id=graphene.ID(required=True),
        description="一个可管理的业务用户",
    )
    assignable_roles = graphene.List(
        graphene.NonNull(RoleRef),
        required=True,
        organisation_id=graphene.ID(required=True, description="用户所属单位编号"),
        description="可分配给该单位用户的角色（只含该单位类型的角色）",
    )
    user_organisations = graphene.List(
        graphene.NonNull(ManagedOrganisation),
        required=True,
        keyword=graphene.String(description="单位名称中的文字"),
        description="可在其中新建用户或把用户移入的单位（最多 50 个，按名称排序）",
    )

    @staticmethod
    def resolve_managed_business_users(root, info, filter=None, page=1, page_size=20):
        operator = operator_for(info)
        require_permission(operator.business_user, "users.manage")
        rows = (
            operator.users()
            .select_related("organisation")
            .prefetch_related(
                Prefetch(
                    "role_assignments",
                    queryset=RoleAssignment.objects.select_related("role"),
                    to_attr="prefetched_assignments",
                )
            )
        )
        rows = filters.apply(filters.BusinessUserFilter, rows, _filter_data(filter))
        page_data = paginate(rows.order_by("-created_at", "-pk"), page, page_size)
        now = timezone.now()
        page_data["items"] = [user_node(user, now) for user in page_data["items"]]
        return ManagedBusinessUserPage(**page_data)

    @staticmethod
    def resolve_managed_business_user(root, info, id):
        operator = operator_for(info)
        return user_node(operator.get_user(parse_id(id, "用户")))

    @staticmethod
    def resolve_assignable_roles(root, info, organisation_id):
        operator = operator_for(info)
        organisation = operator.get_user_organisation(parse_id(organisation_id, "单位"))
        return [RoleRef.build(role) for role in staff.assignable_roles(operator, organisation)]

    @staticmethod
    def resolve_user_organisations(root, info, keyword=None):
        operator = operator_for(info)
        rows = (
            operator.user_organisations()
            .select_related("division")
            .filter(is_active=True)
            .annotate(user_count=Count("business_users"))
        )
        if keyword and keyword.strip():
            rows = rows.filter(name__icontains=keyword.strip()[:100])
        definitions = definitions_by_kind()
        return [organisation_node(row, definitions) for row in rows.order_by("name", "pk")[:50]]


class UserManagementMutation(graphene.ObjectType):
    create_business_user = CreateBusinessUser.Field(description="新建业务用户，返回一次性初始密码")
    update_business_user = UpdateBusinessUser.Field(description="修改业务用户的姓名")
    set_business_user_active = SetBusinessUserActive.Field(description="启用或停用业务用户")
    reset_business_user_password = ResetBusinessUserPassword.Field(
        description="重置业务用户的密码，返回一次性新密码"
    )
    unlock_business_user = UnlockBusinessUser.Field(description="解除业务用户的登录锁定")
    assign_business_user_roles = AssignBusinessUserRoles.Field(description="设置业务用户的角色")
    move_business_users = MoveBusinessUsers.Field(description="把多个业务用户移到另一同类单位")
