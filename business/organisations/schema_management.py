"""GraphQL API of organisation management for the workbench.

Regulators list organisations with ``organisations.view`` and change them with
``organisations.manage``, both within their division and below. The division
list (``divisions``) is public: the registration form's picker uses it too.
Organisation ids are plain integer primary keys sent as strings.
"""

import graphene
from django.db.models import Count

from business.access.scope import NotFoundError, require_permission, scoped
from business.accounts.permissions import require_business_user
from business.core.api.errors import FieldError, field_errors
from business.core.api.pagination import page_arguments, page_type, paginate
from business.reference.models import Division

from . import filters, management
from .models import Organisation, OrganisationAttribute
from .operators import business_operator


def channel_of(request) -> str:
    return "mobile" if getattr(request, "access_token", None) is not None else "pc"


def operator_for(info):
    user = require_business_user(info)
    return business_operator(user, info.context, channel_of(info.context))


def parse_id(value, noun: str) -> int:
    """Decode a plain integer id; anything else is reported as not found."""
    text = str(value)
    if text.isascii() and text.isdigit() and 0 < len(text) <= 18:
        return int(text)
    raise NotFoundError(noun)


class OrganisationKindEnum(graphene.Enum):
    """单位类型"""

    ENTERPRISE = Organisation.Kind.ENTERPRISE.value
    INSTITUTION = Organisation.Kind.INSTITUTION.value
    REGULATOR = Organisation.Kind.REGULATOR.value

    class Meta:
        name = "OrganisationKind"


class AttributeDataType(graphene.Enum):
    """自定义属性的数据类型"""

    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    CHOICE = "choice"


class OrganisationAttributeType(graphene.ObjectType):
    key = graphene.String(required=True, description="属性键，保存和查询属性值时使用")
    name = graphene.String(required=True, description="属性名称")
    organisation_kind = graphene.Field(
        OrganisationKindEnum, required=True, description="适用单位类型"
    )
    data_type = graphene.Field(AttributeDataType, required=True, description="数据类型")
    required = graphene.Boolean(required=True, description="是否必填")
    options = graphene.List(graphene.NonNull(graphene.String), required=True, description="可选值")

    class Meta:
        name = "OrganisationAttribute"
        description = "管理员为某类单位定义的自定义属性"

    @staticmethod
    def build(attribute: OrganisationAttribute):
        return OrganisationAttributeType(
            key=attribute.key,
            name=attribute.name,
            organisation_kind=attribute.organisation_kind,
            data_type=attribute.data_type,
            required=attribute.required,
            options=list(attribute.options),
        )


class AttributeValueType(graphene.ObjectType):
    key = graphene.String(required=True, description="属性键")
    name = graphene.String(required=True, description="属性名称")
    value = graphene.String(required=True, description="属性值，未填写时为空")

    class Meta:
        name = "OrganisationAttributeValue"
        description = "单位的一项自定义属性值"


class AttributeValueInput(graphene.InputObjectType):
    key = graphene.String(required=True, description="属性键")
    value = graphene.String(required=True, description="属性值；数字如 12.5，日期如 2026-03-01")

    class Meta:
        name = "OrganisationAttributeValueInput"
        description = "一项自定义属性值（保存或查询用）"


class DivisionNode(graphene.ObjectType):
    code = graphene.String(required=True, description="6 位行政区划代码")
    name = graphene.String(required=True, description="名称")
    level = graphene.String(
        required=True, description="级别：province、prefecture、prefecture_group、county"
    )
    has_children = graphene.Boolean(required=True, description="是否有下级区划")
    organisation_count = graphene.Int(description="直接位于该区划的单位数（仅单位树返回）")

    class Meta:
        name = "DivisionNode"
        description = "行政区划树的一个节点"


class ManagedOrganisation(graphene.ObjectType):
    id = graphene.ID(required=True, description="单位编号")
    kind = graphene.Field(OrganisationKindEnum, required=True, description="单位类型")
    name = graphene.String(required=True, description="单位名称")
    credit_code = graphene.String(required=True, description="统一社会信用代码，未填写时为空")
    division_code = graphene.String(required=True, description="所在行政区划代码")
    division_name = graphene.String(required=True, description="所在行政区划名称")
    address = graphene.String(required=True, description="地址")
    is_active = graphene.Boolean(required=True, description="是否启用；停用后该单位用户不能登录")
    user_count = graphene.Int(required=True, description="业务用户数")
    attributes = graphene.List(
        graphene.NonNull(AttributeValueType), required=True, description="自定义属性值"
    )
    created_at = graphene.DateTime(required=True, description="创建时间")

    class Meta:
        name = "ManagedOrganisation"
        description = "辖区内的单位（管理用）"


def organisation_node(organisation: Organisation, definitions_by_kind: dict) -> ManagedOrganisation:
    definitions = definitions_by_kind.get(organisation.kind, [])
    return ManagedOrganisation(
        id=str(organisation.pk),
        kind=organisation.kind,
        name=organisation.name,
        credit_code=organisation.credit_code or "",
        division_code=organisation.division_id,
        division_name=organisation.division.name,
        address=organisation.address,
        is_active=organisation.is_active,
        user_count=_user_count(organisation),
        attributes=[
            AttributeValueType(
                key=attribute.key,
                name=attribute.name,
                value=organisation.attributes.get(attribute.key, ""),
            )
            for attribute in definitions
        ],
        created_at=organisation.created_at,
    )


def _user_count(organisation: Organisation) -> int:
    # Lists annotate the count; a single organisation counts with one query.
    count = getattr(organisation, "user_count", None)
    return organisation.business_users.count() if count is None else count


def definitions_by_kind() -> dict:
    grouped: dict[str, list] = {}
    for attribute in OrganisationAttribute.objects.all():
        grouped.setdefault(attribute.organisation_kind, []).append(attribute)
    return grouped


ManagedOrganisationPage = page_type(ManagedOrganisation, "ManagedOrganisationPage", "一页单位")


class OrganisationFilterInput(graphene.InputObjectType):
    keyword = graphene.String(description="名称或统一社会信用代码中的文字")
    kind = graphene.Field(OrganisationKindEnum, description="单位类型")
    division_code = graphene.String(description="所在行政区划代码")
    include_subdivisions = graphene.Boolean(description="为 true 时包括下级区划的单位")
    is_active = graphene.Boolean(description="是否启用")
    attributes = graphene.List(
        graphene.NonNull(AttributeValueInput), description="自定义属性条件，全部满足"
    )

    class Meta:
        description = "单位列表的查询条件"


class OrganisationInput(graphene.InputObjectType):
    name = graphene.String(required=True, description="单位名称")
    credit_code = graphene.String(description="统一社会信用代码；企业必填")
    address = graphene.String(description="地址")
    attributes = graphene.List(graphene.NonNull(AttributeValueInput), description="自定义属性值")

    class Meta:
        description = "单位信息"


def _attribute_dict(values) -> dict:
    return {item.key: item.value for item in values or []}


def _kind_value(kind):
    return getattr(kind, "value", kind)


class OrganisationPayloadMixin:
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    organisation = graphene.Field(ManagedOrganisation)


class CreateOrganisation(OrganisationPayloadMixin, graphene.Mutation):
    class Meta:
        name = "CreateOrganisationPayload"
        description = "新建单位的结果"

    class Arguments:
        kind = OrganisationKindEnum(required=True, description="单位类型")
        division_code = graphene.String(required=True, description="所在行政区划代码")
        input = OrganisationInput(required=True)

    @staticmethod
    def mutate(root, info, kind, division_code, input):
        operator = operator_for(info)
        require_permission(operator.business_user, "organisations.manage")
        try:
            organisation = management.create_organisation(
                operator,
                kind=_kind_value(kind),
                name=input.name,
                division_code=division_code,
                credit_code=input.credit_code or "",
                address=input.address or "",
                attributes=_attribute_dict(input.attributes),
            )
        except management.ManagementError as error:
            return CreateOrganisation(errors=field_errors(error.errors))
        return CreateOrganisation(
            errors=[], organisation=organisation_node(organisation, definitions_by_kind())
        )


class UpdateOrganisation(OrganisationPayloadMixin, graphene.Mutation):
    class Meta:
        name = "UpdateOrganisationPayload"
        description = "修改单位的结果"

    class Arguments:
        id = graphene.ID(required=True, description="单位编号")
        input = OrganisationInput(required=True)

    @staticmethod
    def mutate(root, info, id, input):
        operator = operator_for(info)
        organisation = operator.get_organisation(parse_id(id, "单位"))
        try:
            organisation = management.update_organisation(
                operator,
                organisation,
                name=input.name,
                credit_code=input.credit_code or "",
                address=input.address or "",
                attributes=_attribute_dict(input.attributes),
            )
        except management.ManagementError as error:
            return UpdateOrganisation(errors=field_errors(error.errors))
        return UpdateOrganisation(
            errors=[], organisation=organisation_node(organisation, definitions_by_kind())
        )


class DeleteOrganisation(graphene.Mutation):
    class Meta:
        name = "DeleteOrganisationPayload"
        description = "删除单位的结果；单位仍有用户、器具、证书等数据时不能删除"

    class Arguments:
        id = graphene.ID(required=True, description="单位编号")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @staticmethod
    def mutate(root, info, id):
        operator = operator_for(info)
        organisation = operator.get_organisation(parse_id(id, "单位"))
        try:
            management.delete_organisation(operator, organisation)
        except management.ManagementError as error:
            return DeleteOrganisation(errors=field_errors(error.errors))
        return DeleteOrganisation(errors=[])


class SetOrganisationActive(OrganisationPayloadMixin, graphene.Mutation):
    class Meta:
        name = "SetOrganisationActivePayload"
        description = "启用或停用单位的结果"

    class Arguments:
        id = graphene.ID(required=True, description="单位编号")
        active = graphene.Boolean(required=True, description="true 启用，false 停用")

    @staticmethod
    def mutate(root, info, id, active):
        operator = operator_for(info)
        organisation = operator.get_organisation(parse_id(id, "单位"))
        organisation = management.set_organisation_active(operator, organisation, active)
        return SetOrganisationActive(
            errors=[], organisation=organisation_node(organisation, definitions_by_kind())
        )


class MoveOrganisations(graphene.Mutation):
    class Meta:
        name = "MoveOrganisationsPayload"
        description = "批量移动单位到另一行政区划的结果"

    class Arguments:
        ids = graphene.List(graphene.NonNull(graphene.ID), required=True, description="单位编号")
        division_code = graphene.String(required=True, description="目标行政区划代码")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    moved_count = graphene.Int(required=True, description="实际移动的单位数")

    @staticmethod
    def mutate(root, info, ids, division_code):
        operator = operator_for(info)
        try:
            moved = management.move_organisations(operator, ids, division_code)
        except management.ManagementError as error:
            return MoveOrganisations(errors=field_errors(error.errors), moved_count=0)
        return MoveOrganisations(errors=[], moved_count=moved)


def _visible_organisations(user):
    return scoped(Organisation.objects.all(), user, "organisations.view")


def _division_node(division: Division, count=None) -> DivisionNode:
    return DivisionNode(
        code=division.code,
        name=division.name,
        level=division.level,
        has_children=getattr(division, "child_count", 0) > 0,
        organisation_count=count,
    )


def _divisions_with_children(queryset):
    return queryset.annotate(child_count=Count("children")).order_by("code")


class OrganisationManagementQuery(graphene.ObjectType):
    divisions = graphene.List(
        graphene.NonNull(DivisionNode),
        required=True,
        parent_code=graphene.String(description="上级区划代码；不填时返回省级区划"),
        description="河南省行政区划的下一级列表，公开数据（注册表单的区划选择也用它）",
    )
    organisation_tree = graphene.List(
        graphene.NonNull(DivisionNode),
        required=True,
        parent_code=graphene.String(description="上级区划代码；不填时返回本人辖区的根节点"),
        description="单位树：本人辖区内的行政区划及每个区划直接包含的单位数。需要“查看辖区单位”权限。",
    )
    managed_organisations = graphene.Field(
        ManagedOrganisationPage,
        required=True,
        filter=OrganisationFilterInput(),
        **page_arguments(),
        description="辖区内的单位列表，按区划代码和名称排序。需要“查看辖区单位”权限。",
    )
    managed_organisation = graphene.Field(
        ManagedOrganisation,
        required=True,
        id=graphene.ID(required=True),
        description="辖区内的一个单位；不在辖区内时返回 NOT_FOUND",
    )
    organisation_deletion_blockers = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        id=graphene.ID(required=True),
        description="该单位仍拥有、因而不能删除它的数据，如“业务用户 3 条”；为空时可以删除",
    )
    organisation_attributes = graphene.List(
        graphene.NonNull(OrganisationAttributeType),
        required=True,
        kind=OrganisationKindEnum(description="单位类型；不填时返回全部"),
        description="管理员定义的单位自定义属性",
    )

    @staticmethod
    def resolve_divisions(root, info, parent_code=None):
        rows = Division.objects.filter(is_admin_division=True)
        rows = (
            rows.filter(parent_id=parent_code) if parent_code else rows.filter(parent__isnull=True)
        )
        return [_division_node(division) for division in _divisions_with_children(rows)]

    @staticmethod
    def resolve_organisation_tree(root, info, parent_code=None):
        user = require_business_user(info)
        visible = _visible_organisations(user)
        reachable = _reachable_codes(user)
        if parent_code:
            if reachable is not None and parent_code not in reachable:
                raise NotFoundError("行政区划")
            rows = Division.objects.filter(parent_id=parent_code)
        else:
            rows = _root_divisions(user)
        counts = dict(
            visible.filter(division__in=rows)
            .values_list("division")
            .annotate(total=Count("pk"))
            .order_by()
        )
        return [
            _division_node(division, counts.get(division.code, 0))
            for division in _divisions_with_children(rows)
            if reachable is None or division.code in reachable
        ]

    @staticmethod
    def resolve_managed_organisations(root, info, filter=None, page=1, page_size=20):
        user = require_business_user(info)
        rows = _visible_organisations(user).select_related("division")
        data = dict(filter or {})
        attribute_conditions = [
            (item.key, item.value) for item in data.pop("attributes", None) or []
        ]
        if data.get("kind") is not None:
            data["kind"] = _kind_value(data["kind"])
        rows = filters.apply(filters.OrganisationFilter, rows, data)
        rows = filters.filter_by_attributes(rows, attribute_conditions)
        rows = rows.annotate(user_count=Count("business_users")).order_by(
            "division_id", "name", "pk"
        )
        page_data = paginate(rows, page, page_size)
        definitions = definitions_by_kind()
        page_data["items"] = [organisation_node(item, definitions) for item in page_data["items"]]
        return ManagedOrganisationPage(**page_data)

    @staticmethod
    def resolve_managed_organisation(root, info, id):
        user = require_business_user(info)
        organisation = (
            _visible_organisations(user)
            .select_related("division")
            .filter(pk=parse_id(id, "单位"))
            .first()
        )
        if organisation is None:
            raise NotFoundError("单位")
        return organisation_node(organisation, definitions_by_kind())

    @staticmethod
    def resolve_organisation_deletion_blockers(root, info, id):
        operator = operator_for(info)
        organisation = operator.get_organisation(parse_id(id, "单位"))
        return management.deletion_blockers(organisation)

    @staticmethod
    def resolve_organisation_attributes(root, info, kind=None):
        require_business_user(info)
        rows = OrganisationAttribute.objects.all()
        if kind is not None:
            rows = rows.filter(organisation_kind=_kind_value(kind))
        return [OrganisationAttributeType.build(attribute) for attribute in rows]


def _root_divisions(user):
    scope = require_permission(user, "organisations.view")
    if scope == "all":
        return Division.objects.filter(parent__isnull=True)
    return Division.objects.filter(code=user.organisation.division_id)


def _reachable_codes(user):
    """Division codes the user's organisation view reaches, or None for all of them."""
    scope = require_permission(user, "organisations.view")
    if scope == "all":
        return None
    if scope == "division":
        return user.organisation.division.descendant_codes()
    return frozenset({user.organisation.division_id})


class OrganisationManagementMutation(graphene.ObjectType):
    create_organisation = CreateOrganisation.Field(description="在辖区内新建单位")
    update_organisation = UpdateOrganisation.Field(description="修改辖区内单位的信息和自定义属性")
    delete_organisation = DeleteOrganisation.Field(
        description="删除辖区内的单位；仍有用户、器具、证书、申请等数据时拒绝并列出这些数据"
    )
    set_organisation_active = SetOrganisationActive.Field(
        description="启用或停用辖区内的单位；停用后其用户不能登录"
    )
    move_organisations = MoveOrganisations.Field(description="把多个单位移到辖区内的另一行政区划")
