"""GraphQL API of institution qualifications and the public capability look-up.

Authorisation certificates, staff qualifications and fee standards need a signed-in
institution user with qualifications.view (lists) or qualifications.manage (changes);
regulators with qualifications.view see those of their division. ``capabilities``
is public: anyone may see what each institution is authorised to verify.
"""

from decimal import Decimal, InvalidOperation

import graphene
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from business.access import scoped
from business.accounts.models import BusinessUser
from business.core import ratelimit
from business.core.api.errors import FieldError, PublicError, RateLimitedError, field_errors
from business.core.api.pagination import page_arguments, page_type, paginate
from business.reference.models import CatalogueItem, Regulation

from . import api
from .filters import (
    AuthorisationFilter,
    CapabilityFilter,
    FeeStandardFilter,
    StaffQualificationFilter,
)
from .models import AuthorisationCertificate, AuthorisedItem, FeeStandard, StaffQualification

VIEW = "qualifications.view"
MANAGE = "qualifications.manage"
MAX_ITEMS_PER_AUTHORISATION = 200
MAX_OPTIONS = 50

ValidityFilter = graphene.Enum(
    "ValidityFilter",
    [("VALID", "valid"), ("EXPIRING", "expiring"), ("EXPIRED", "expired"), ("REVOKED", "revoked")],
    description="有效状态：VALID 有效、EXPIRING 90 天内到期、EXPIRED 已过期、REVOKED 已撤销或注销",
)

StaffQualificationKind = graphene.Enum(
    "StaffQualificationKind",
    [(kind.name, kind.value) for kind in StaffQualification.Kind],
    description="人员资格类型：REGISTERED_METROLOGIST_1 一级注册计量师、REGISTERED_METROLOGIST_2 "
    "二级注册计量师、VERIFIER_CERTIFICATE 检定员证（计量专业项目考核合格证）",
)


class CatalogueItemOption(graphene.ObjectType):
    id = graphene.ID(required=True, description="目录项目编号")
    number = graphene.Int(required=True, description="目录序号")
    item_name = graphene.String(required=True, description="项目名称")
    kinds = graphene.String(required=True, description="种类")

    class Meta:
        description = "强制检定目录项目（选择用）"

    @staticmethod
    def of(item: CatalogueItem) -> "CatalogueItemOption":
        return CatalogueItemOption(
            id=str(item.pk), number=item.number, item_name=item.item_name, kinds=item.kinds
        )


class RegulationOption(graphene.ObjectType):
    id = graphene.ID(required=True, description="规程编号（内部）")
    code = graphene.String(required=True, description="规程号，如 JJG 539-2016")
    name = graphene.String(required=True, description="规程名称")

    class Meta:
        description = "计量技术法规（选择用）"

    @staticmethod
    def of(regulation: Regulation) -> "RegulationOption":
        return RegulationOption(id=str(regulation.pk), code=regulation.code, name=regulation.name)


class StaffOption(graphene.ObjectType):
    id = graphene.ID(required=True, description="人员编号")
    display_name = graphene.String(required=True, description="姓名")
    username = graphene.String(required=True, description="用户名")

    class Meta:
        description = "本机构人员（选择用）"


class AuthorisedItemType(graphene.ObjectType):
    id = graphene.ID(required=True)
    instrument_name = graphene.String(required=True, description="计量器具名称")
    catalogue_item = graphene.Field(CatalogueItemOption, description="强制检定目录项目")
    regulation = graphene.Field(RegulationOption, description="依据规程")
    measuring_range = graphene.String(required=True, description="测量范围")
    accuracy = graphene.String(required=True, description="准确度等级或不确定度")
    scope_note = graphene.String(required=True, description="授权类别与说明")

    class Meta:
        name = "AuthorisedItem"
        description = "授权项目"

    @staticmethod
    def of(item: AuthorisedItem) -> "AuthorisedItemType":
        return AuthorisedItemType(
            id=str(item.pk),
            instrument_name=item.instrument_name,
            catalogue_item=CatalogueItemOption.of(item.catalogue_item)
            if item.catalogue_item
            else None,
            regulation=RegulationOption.of(item.regulation) if item.regulation else None,
            measuring_range=item.measuring_range,
            accuracy=item.accuracy,
            scope_note=item.scope_note,
        )


class AuthorisationType(graphene.ObjectType):
    id = graphene.ID(required=True)
    institution_name = graphene.String(required=True, description="技术机构")
    number = graphene.String(required=True, description="证书编号")
    issuing_authority = graphene.String(required=True, description="发证机关")
    issued_on = graphene.Date(description="发证日期")
    valid_from = graphene.Date(required=True, description="有效期起")
    valid_until = graphene.Date(required=True, description="有效期至")
    scope_text = graphene.String(required=True, description="授权范围说明")
    is_revoked = graphene.Boolean(required=True, description="已撤销")
    is_valid = graphene.Boolean(required=True, description="今天是否有效")
    items = graphene.List(
        graphene.NonNull(AuthorisedItemType), required=True, description="授权项目"
    )

    class Meta:
        name = "Authorisation"
        description = "计量授权证书"

    @staticmethod
    def of(row: AuthorisationCertificate) -> "AuthorisationType":
        return AuthorisationType(
            id=str(row.pk),
            institution_name=row.institution.name,
            number=row.number,
            issuing_authority=row.issuing_authority,
            issued_on=row.issued_on,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            scope_text=row.scope_text,
            is_revoked=row.is_revoked,
            is_valid=row.is_valid_on(timezone.localdate()),
            items=[AuthorisedItemType.of(item) for item in row.items.all()],
        )


class StaffQualificationType(graphene.ObjectType):
    id = graphene.ID(required=True)
    user = graphene.Field(StaffOption, required=True, description="人员")
    kind = graphene.Field(StaffQualificationKind, required=True, description="资格类型")
    kind_label = graphene.String(required=True, description="资格类型名称")
    number = graphene.String(required=True, description="证书编号")
    issuing_authority = graphene.String(required=True, description="发证机关")
    valid_from = graphene.Date(required=True, description="有效期起")
    valid_until = graphene.Date(required=True, description="有效期至")
    catalogue_items = graphene.List(
        graphene.NonNull(CatalogueItemOption), required=True, description="考核合格的项目"
    )
    note = graphene.String(required=True, description="备注")
    is_revoked = graphene.Boolean(required=True, description="已注销")
    is_valid = graphene.Boolean(required=True, description="今天是否有效")

    class Meta:
        name = "StaffQualification"
        description = "人员资格"

    @staticmethod
    def of(row: StaffQualification) -> "StaffQualificationType":
        return StaffQualificationType(
            id=str(row.pk),
            user=StaffOption(
                id=str(row.user_id), display_name=row.user.display_name, username=row.user.username
            ),
            kind=row.kind,
            kind_label=row.get_kind_display(),
            number=row.number,
            issuing_authority=row.issuing_authority,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            catalogue_items=[CatalogueItemOption.of(item) for item in row.catalogue_items.all()],
            note=row.note,
            is_revoked=row.is_revoked,
            is_valid=row.is_valid_on(timezone.localdate()),
        )


class FeeStandardType(graphene.ObjectType):
    id = graphene.ID(required=True)
    item_name = graphene.String(required=True, description="收费项目")
    catalogue_item = graphene.Field(CatalogueItemOption, description="强制检定目录项目")
    unit = graphene.String(required=True, description="计价单位")
    price = graphene.String(required=True, description="单价（元），两位小数，如 30.00")
    basis = graphene.String(required=True, description="收费依据")
    note = graphene.String(required=True, description="备注")
    valid_from = graphene.Date(description="执行日期")
    is_active = graphene.Boolean(required=True, description="执行中")

    class Meta:
        name = "FeeStandard"
        description = "收费标准"

    @staticmethod
    def of(row: FeeStandard) -> "FeeStandardType":
        return FeeStandardType(
            id=str(row.pk),
            item_name=row.item_name,
            catalogue_item=CatalogueItemOption.of(row.catalogue_item)
            if row.catalogue_item
            else None,
            unit=row.unit,
            price=f"{row.price:.2f}",
            basis=row.basis,
            note=row.note,
            valid_from=row.valid_from,
            is_active=row.is_active,
        )


class CapabilityType(graphene.ObjectType):
    id = graphene.ID(required=True, description="授权项目编号")
    institution_id = graphene.ID(required=True, description="技术机构编号")
    institution_name = graphene.String(required=True, description="技术机构")
    division_name = graphene.String(required=True, description="机构所在地区")
    authorisation_number = graphene.String(required=True, description="计量授权证书编号")
    valid_until = graphene.Date(required=True, description="授权有效期至")
    instrument_name = graphene.String(required=True, description="计量器具名称")
    catalogue_item = graphene.Field(CatalogueItemOption, description="强制检定目录项目")
    regulation = graphene.Field(RegulationOption, description="依据规程")
    measuring_range = graphene.String(required=True, description="测量范围")
    accuracy = graphene.String(required=True, description="准确度等级或不确定度")

    class Meta:
        name = "Capability"
        description = "技术机构的一项授权检定能力（公开信息）"

    @staticmethod
    def of(item: AuthorisedItem) -> "CapabilityType":
        authorisation = item.authorisation
        institution = authorisation.institution
        return CapabilityType(
            id=str(item.pk),
            institution_id=str(institution.pk),
            institution_name=institution.name,
            division_name=institution.division.name,
            authorisation_number=authorisation.number,
            valid_until=authorisation.valid_until,
            instrument_name=item.instrument_name,
            catalogue_item=CatalogueItemOption.of(item.catalogue_item)
            if item.catalogue_item
            else None,
            regulation=RegulationOption.of(item.regulation) if item.regulation else None,
            measuring_range=item.measuring_range,
            accuracy=item.accuracy,
        )


AuthorisationPage = page_type(AuthorisationType, "AuthorisationPage", "一页计量授权证书")
StaffQualificationPage = page_type(StaffQualificationType, "StaffQualificationPage", "一页人员资格")
FeeStandardPage = page_type(FeeStandardType, "FeeStandardPage", "一页收费标准")
CapabilityPage = page_type(CapabilityType, "CapabilityPage", "一页检定能力")


class AuthorisationFilterInput(graphene.InputObjectType):
    keyword = graphene.String(description="证书编号、发证机关或授权项目（器具名称、规程）")
    validity = graphene.Field(ValidityFilter, description="有效状态")


class StaffQualificationFilterInput(graphene.InputObjectType):
    keyword = graphene.String(description="姓名或证书编号")
    kind = graphene.Field(StaffQualificationKind, description="资格类型")
    user_id = graphene.ID(description="人员编号")
    catalogue_item_id = graphene.ID(description="目录项目编号")
    validity = graphene.Field(ValidityFilter, description="有效状态")


class FeeStandardFilterInput(graphene.InputObjectType):
    keyword = graphene.String(description="收费项目、目录项目或收费依据")
    active_only = graphene.Boolean(description="只看执行中的")


class CapabilityFilterInput(graphene.InputObjectType):
    keyword = graphene.String(
        description="任意关键词：器具、项目、规程、测量范围、机构或地区，空格分隔多个词"
    )
    instrument_name = graphene.String(description="器具名称（模糊）")
    catalogue_item_id = graphene.ID(description="强制检定目录项目编号")
    division_code = graphene.String(description="地区的行政区划代码，包括下级地区")
    institution_id = graphene.ID(description="技术机构编号")
    institution_name = graphene.String(description="机构名称（模糊）")
    measuring_range = graphene.String(description="测量范围（模糊），如 30 kg")


def _filter_data(filter_input, enums=()) -> dict:
    """Convert a GraphQL filter input to FilterSet data with snake_case keys, enum values and checked text."""
    data = {}
    for name, value in (filter_input or {}).items():
        if value is None or value == "":
            continue
        if hasattr(value, "value"):
            value = value.value
        if isinstance(value, str):
            value = api.keyword(value, api.camel(name))
        if name.endswith("_id"):
            value = api.parse_id(value, api.camel(name))
        data[name] = value
    return data


def _filtered(filterset_class, data, queryset):
    filterset = filterset_class(data, queryset=queryset)
    if not filterset.is_valid():
        raise PublicError("查询条件无效，请检查后重试。", code="INVALID_FILTER")
    return filterset.qs


class AuthorisedItemInput(graphene.InputObjectType):
    instrument_name = graphene.String(required=True, description="计量器具名称")
    catalogue_item_id = graphene.ID(description="强制检定目录项目编号")
    regulation_id = graphene.ID(description="依据规程编号")
    measuring_range = graphene.String(description="测量范围")
    accuracy = graphene.String(description="准确度等级或不确定度")
    scope_note = graphene.String(description="授权类别与说明")


class AuthorisationInput(graphene.InputObjectType):
    id = graphene.ID(description="修改时填写；新增时留空")
    number = graphene.String(required=True, description="证书编号")
    issuing_authority = graphene.String(required=True, description="发证机关")
    issued_on = graphene.Date(description="发证日期")
    valid_from = graphene.Date(required=True, description="有效期起")
    valid_until = graphene.Date(required=True, description="有效期至")
    scope_text = graphene.String(description="授权范围说明")
    is_revoked = graphene.Boolean(description="已撤销")
    items = graphene.List(
        graphene.NonNull(AuthorisedItemInput), required=True, description="授权项目（整体替换）"
    )


class StaffQualificationInput(graphene.InputObjectType):
    id = graphene.ID(description="修改时填写；新增时留空")
    user_id = graphene.ID(required=True, description="本机构人员编号")
    kind = graphene.Field(StaffQualificationKind, required=True, description="资格类型")
    number = graphene.String(required=True, description="证书编号")
    issuing_authority = graphene.String(description="发证机关")
    valid_from = graphene.Date(required=True, description="有效期起")
    valid_until = graphene.Date(required=True, description="有效期至")
    catalogue_item_ids = graphene.List(
        graphene.NonNull(graphene.ID), description="考核合格的目录项目编号（检定员证必填）"
    )
    note = graphene.String(description="备注")
    is_revoked = graphene.Boolean(description="已注销")


class FeeStandardInput(graphene.InputObjectType):
    id = graphene.ID(description="修改时填写；新增时留空")
    item_name = graphene.String(required=True, description="收费项目")
    catalogue_item_id = graphene.ID(description="强制检定目录项目编号")
    unit = graphene.String(description="计价单位，默认“台（件）”")
    price = graphene.String(required=True, description="单价（元），如 30 或 30.50")
    basis = graphene.String(description="收费依据")
    note = graphene.String(description="备注")
    valid_from = graphene.Date(description="执行日期")
    is_active = graphene.Boolean(description="执行中")


def catalogue_items_by_ids(values, field: str) -> tuple[list[CatalogueItem], list]:
    ids = [api.parse_id(value, field, "目录项目") for value in values or []]
    items = list(CatalogueItem.objects.filter(pk__in=ids))
    if len(items) != len(set(ids)):
        return items, [(field, "所选强制检定目录项目不存在，请重新选择。", "NOT_FOUND")]
    return items, []


def _optional_row(model, value, field: str, noun: str):
    """(row or None, problems) for an optional reference id."""
    row_id = api.optional_id(value, field, noun)
    if row_id is None:
        return None, []
    row = model.objects.filter(pk=row_id).first()
    if row is None:
        return None, [(field, f"所选{noun}不存在，请重新选择。", "NOT_FOUND")]
    return row, []


def _price(value, problems) -> Decimal | None:
    """Parse a price in yuan with at most two decimals; problems get a field error otherwise."""
    try:
        price = Decimal((value or "").strip())
    except InvalidOperation:
        price = None
    if (
        price is None
        or not price.is_finite()
        or price < 0
        or price != price.quantize(Decimal("0.01"))
    ):
        problems.append(
            ("price", "单价应为不小于 0 的金额（元），最多两位小数，如 30 或 30.50。", "INVALID")
        )
        return None
    if price >= Decimal("100000000"):
        problems.append(("price", "单价过大，请核对金额（单位为元）。", "INVALID"))
        return None
    return price


def _text(value) -> str:
    return (value or "").strip()


class SaveAuthorisation(graphene.Mutation):
    class Meta:
        name = "SaveAuthorisationPayload"
        description = "保存计量授权证书的结果"

    class Arguments:
        input = AuthorisationInput(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    authorisation = graphene.Field(AuthorisationType)

    @staticmethod
    def mutate(root, info, input):
        user = api.current_user(info, MANAGE)
        if input.get("id"):
            row = api.load(AuthorisationCertificate, user, MANAGE, input["id"], "授权证书")
        else:
            row = AuthorisationCertificate(institution=api.own_institution(user))
        fields = [
            "number",
            "issuing_authority",
            "issued_on",
            "valid_from",
            "valid_until",
            "scope_text",
            "is_revoked",
        ]
        before = api.snapshot(row, fields) if row.pk else {}
        row.number = _text(input["number"])
        row.issuing_authority = _text(input["issuing_authority"])
        row.issued_on = input.get("issued_on")
        row.valid_from = input["valid_from"]
        row.valid_until = input["valid_until"]
        row.scope_text = _text(input.get("scope_text"))
        row.is_revoked = bool(input.get("is_revoked"))

        problems = []
        item_inputs = input["items"]
        if len(item_inputs) > MAX_ITEMS_PER_AUTHORISATION:
            problems.append(
                ("items", f"一张证书最多 {MAX_ITEMS_PER_AUTHORISATION} 个授权项目。", "TOO_MANY")
            )
        items = []
        for index, item_input in enumerate(item_inputs[:MAX_ITEMS_PER_AUTHORISATION]):
            prefix = f"items.{index}"
            catalogue_item, found = _optional_row(
                CatalogueItem,
                item_input.get("catalogue_item_id"),
                f"{prefix}.catalogueItemId",
                "目录项目",
            )
            problems += found
            regulation, found = _optional_row(
                Regulation, item_input.get("regulation_id"), f"{prefix}.regulationId", "规程"
            )
            problems += found
            item = AuthorisedItem(
                instrument_name=_text(item_input["instrument_name"]),
                catalogue_item=catalogue_item,
                regulation=regulation,
                measuring_range=_text(item_input.get("measuring_range")),
                accuracy=_text(item_input.get("accuracy")),
                scope_note=_text(item_input.get("scope_note")),
            )
            try:
                item.full_clean(exclude=["authorisation"])
            except ValidationError as error:
                problems += [
                    (f"{prefix}.{field}" if field else prefix, message, code)
                    for field, message, code in api.validation_problems(error)
                ]
            items.append(item)
        try:
            row.full_clean(exclude=["institution"], validate_unique=False)
        except ValidationError as error:
            problems += api.validation_problems(error)
        duplicate = AuthorisationCertificate.objects.filter(
            institution=row.institution, number=row.number
        ).exclude(pk=row.pk)
        if row.number and duplicate.exists():
            problems.append(
                ("number", f"证书编号 {row.number} 已登记，请核对或修改原记录。", "DUPLICATE")
            )

        if problems:
            return SaveAuthorisation(errors=field_errors(problems), authorisation=None)

        with transaction.atomic():
            created = row.pk is None
            row.save()
            row.items.all().delete()
            for item in items:
                item.authorisation = row
            AuthorisedItem.objects.bulk_create(items)
            changes = api.changes_between(before, api.snapshot(row, fields))
            changes["items"] = (None, len(items))
            api.audit_event(
                info,
                user,
                "qualification.authorisation." + ("create" if created else "update"),
                row,
                changes,
            )
        return SaveAuthorisation(
            errors=[], authorisation=AuthorisationType.of(_authorisations().get(pk=row.pk))
        )


class SaveStaffQualification(graphene.Mutation):
    class Meta:
        name = "SaveStaffQualificationPayload"
        description = "保存人员资格的结果"

    class Arguments:
        input = StaffQualificationInput(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    qualification = graphene.Field(StaffQualificationType)

    @staticmethod
    def mutate(root, info, input):
        user = api.current_user(info, MANAGE)
        institution = api.own_institution(user)
        if input.get("id"):
            row = api.load(StaffQualification, user, MANAGE, input["id"], "人员资格")
        else:
            row = StaffQualification()
        fields = [
            "user",
            "kind",
            "number",
            "issuing_authority",
            "valid_from",
            "valid_until",
            "note",
            "is_revoked",
        ]
        before = api.snapshot(row, fields) if row.pk else {}
        problems = []
        holder_id = api.parse_id(input["user_id"], "userId", "人员")
        holder = BusinessUser.objects.filter(pk=holder_id, organisation=institution).first()
        if holder is None:
            problems.append(("userId", "请选择本机构的人员。", "NOT_FOUND"))
        else:
            row.user = holder
        kind = input["kind"]
        row.kind = kind.value if hasattr(kind, "value") else kind
        row.number = _text(input["number"])
        row.issuing_authority = _text(input.get("issuing_authority"))
        row.valid_from = input["valid_from"]
        row.valid_until = input["valid_until"]
        row.note = _text(input.get("note"))
        row.is_revoked = bool(input.get("is_revoked"))
        items, found = catalogue_items_by_ids(input.get("catalogue_item_ids"), "catalogueItemIds")
        problems += found
        if row.kind == StaffQualification.Kind.VERIFIER_CERTIFICATE and not items and not found:
            problems.append(
                ("catalogueItemIds", "检定员证请至少选择一个考核合格的项目。", "REQUIRED")
            )
        try:
            row.full_clean(exclude=["user"])
        except ValidationError as error:
            problems += api.validation_problems(error)

        if problems:
            return SaveStaffQualification(errors=field_errors(problems), qualification=None)

        with transaction.atomic():
            created = row.pk is None
            row.save()
            row.catalogue_items.set(items)
            changes = api.changes_between(before, api.snapshot(row, fields))
            changes["catalogue_items"] = (None, sorted(item.pk for item in items))
            api.audit_event(
                info,
                user,
                "qualification.staff." + ("create" if created else "update"),
                row,
                changes,
            )
        row = (
            StaffQualification.objects.select_related("user")
            .prefetch_related("catalogue_items")
            .get(pk=row.pk)
        )
        return SaveStaffQualification(errors=[], qualification=StaffQualificationType.of(row))


class SaveFeeStandard(graphene.Mutation):
    class Meta:
        name = "SaveFeeStandardPayload"
        description = "保存收费标准的结果"

    class Arguments:
        input = FeeStandardInput(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    fee_standard = graphene.Field(FeeStandardType)

    @staticmethod
    def mutate(root, info, input):
        user = api.current_user(info, MANAGE)
        if input.get("id"):
            row = api.load(FeeStandard, user, MANAGE, input["id"], "收费标准")
        else:
            row = FeeStandard(institution=api.own_institution(user))
        fields = [
            "item_name",
            "catalogue_item",
            "unit",
            "price",
            "basis",
            "note",
            "valid_from",
            "is_active",
        ]
        before = api.snapshot(row, fields) if row.pk else {}
        problems = []
        row.catalogue_item, found = _optional_row(
            CatalogueItem, input.get("catalogue_item_id"), "catalogueItemId", "目录项目"
        )
        problems += found
        row.item_name = _text(input["item_name"])
        row.unit = _text(input.get("unit")) or "台（件）"
        row.price = _price(input["price"], problems)
        row.basis = _text(input.get("basis"))
        row.note = _text(input.get("note"))
        row.valid_from = input.get("valid_from")
        row.is_active = input.get("is_active", True) is not False
        try:
            row.full_clean(exclude=["institution"] + (["price"] if row.price is None else []))
        except ValidationError as error:
            problems += api.validation_problems(error)

        if problems:
            return SaveFeeStandard(errors=field_errors(problems), fee_standard=None)

        with transaction.atomic():
            created = row.pk is None
            row.save()
            api.audit_event(
                info,
                user,
                "qualification.fee." + ("create" if created else "update"),
                row,
                api.changes_between(before, api.snapshot(row, fields)),
            )
        return SaveFeeStandard(errors=[], fee_standard=FeeStandardType.of(row))


def delete_row(info, model, value, noun: str, permission: str, action: str):
    """Delete one row in the user's scope; refused with a field error when others refer to it."""
    user = api.current_user(info, permission)
    row = api.load(model, user, permission, value, noun)
    try:
        with transaction.atomic():
            api.audit_event(info, user, action, row, {"deleted": (str(row), None)})
            row.delete()
    except ProtectedError:
        return [("id", f"该{noun}仍被其他记录引用，不能删除；可改为停用或撤销。", "PROTECTED")]
    return []


class DeleteResult(graphene.ObjectType):
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    ok = graphene.Boolean(required=True, description="是否已删除")

    class Meta:
        description = "删除的结果"


def _delete_field(model, noun, permission, action, description):
    def resolve(root, info, id):
        problems = delete_row(info, model, id, noun, permission, action)
        return DeleteResult(errors=field_errors(problems), ok=not problems)

    return graphene.Field(
        DeleteResult,
        required=True,
        id=graphene.ID(required=True),
        description=description,
        resolver=resolve,
    )


def _authorisations():
    return AuthorisationCertificate.objects.select_related("institution").prefetch_related(
        "items__catalogue_item", "items__regulation"
    )


def _check_public_rate(info) -> None:
    allowed = ratelimit.hit(
        "capabilities",
        ratelimit.client_ip(info.context),
        limit=settings.CAPABILITY_RATE_LIMIT,
        window_seconds=settings.CAPABILITY_RATE_WINDOW_SECONDS,
    )
    if not allowed:
        raise RateLimitedError()


def capability_queryset(on_date=None):
    """Authorised items of valid authorisations of active institutions: the public capability list."""
    on_date = on_date or timezone.localdate()
    return AuthorisedItem.objects.filter(
        authorisation__is_revoked=False,
        authorisation__valid_from__lte=on_date,
        authorisation__valid_until__gte=on_date,
        authorisation__institution__is_active=True,
        authorisation__institution__kind="institution",
    ).select_related("authorisation__institution__division", "catalogue_item", "regulation")


class QualificationQuery(graphene.ObjectType):
    authorisations = graphene.Field(
        AuthorisationPage,
        required=True,
        filter=AuthorisationFilterInput(),
        **page_arguments(),
        description="计量授权证书列表（本机构；监管部门为本辖区）",
    )
    staff_qualifications = graphene.Field(
        StaffQualificationPage,
        required=True,
        filter=StaffQualificationFilterInput(),
        **page_arguments(),
        description="人员资格列表",
    )
    fee_standards = graphene.Field(
        FeeStandardPage,
        required=True,
        filter=FeeStandardFilterInput(),
        **page_arguments(),
        description="收费标准列表",
    )
    qualification_staff_options = graphene.List(
        graphene.NonNull(StaffOption),
        required=True,
        keyword=graphene.String(),
        description="本机构人员（登记人员资格时选择）",
    )
    catalogue_item_options = graphene.List(
        graphene.NonNull(CatalogueItemOption),
        required=True,
        keyword=graphene.String(),
        description=f"强制检定目录项目（按序号或名称模糊查找，最多 {MAX_OPTIONS} 条），无需登录",
    )
    regulation_options = graphene.List(
        graphene.NonNull(RegulationOption),
        required=True,
        keyword=graphene.String(),
        description=f"计量技术法规（按规程号或名称模糊查找，最多 {MAX_OPTIONS} 条），无需登录",
    )
    capabilities = graphene.Field(
        CapabilityPage,
        required=True,
        filter=CapabilityFilterInput(),
        **page_arguments(),
        description="检定能力查询：各技术机构现行有效的授权项目，按器具、目录项目、地区（含下级）、"
        "机构和测量范围模糊组合查询，无需登录，按客户端地址限制查询频率",
    )

    @staticmethod
    def resolve_authorisations(root, info, page, page_size, filter=None):
        user = api.current_user(info, VIEW)
        rows = scoped(_authorisations(), user, VIEW)
        rows = _filtered(AuthorisationFilter, _filter_data(filter), rows)
        result = paginate(rows.order_by("-valid_until", "pk"), page, page_size)
        result["items"] = [AuthorisationType.of(row) for row in result["items"]]
        return AuthorisationPage(**result)

    @staticmethod
    def resolve_staff_qualifications(root, info, page, page_size, filter=None):
        user = api.current_user(info, VIEW)
        rows = scoped(
            StaffQualification.objects.select_related("user").prefetch_related("catalogue_items"),
            user,
            VIEW,
        )
        rows = _filtered(StaffQualificationFilter, _filter_data(filter), rows)
        result = paginate(
            rows.order_by("user__display_name", "-valid_until", "pk"), page, page_size
        )
        result["items"] = [StaffQualificationType.of(row) for row in result["items"]]
        return StaffQualificationPage(**result)

    @staticmethod
    def resolve_fee_standards(root, info, page, page_size, filter=None):
        user = api.current_user(info, VIEW)
        rows = scoped(FeeStandard.objects.select_related("catalogue_item"), user, VIEW)
        rows = _filtered(FeeStandardFilter, _filter_data(filter), rows)
        result = paginate(rows.order_by("item_name", "pk"), page, page_size)
        result["items"] = [FeeStandardType.of(row) for row in result["items"]]
        return FeeStandardPage(**result)

    @staticmethod
    def resolve_qualification_staff_options(root, info, keyword=None):
        user = api.current_user(info, MANAGE)
        text = api.keyword(keyword)
        users = BusinessUser.objects.filter(organisation=user.organisation, is_active=True)
        if text:
            users = users.filter(display_name__icontains=text)
        return [
            StaffOption(id=str(row.pk), display_name=row.display_name, username=row.username)
            for row in users.order_by("display_name", "pk")[:MAX_OPTIONS]
        ]

    @staticmethod
    def resolve_catalogue_item_options(root, info, keyword=None):
        text = api.keyword(keyword)
        items = CatalogueItem.objects.all()
        if text.isdigit():
            items = items.filter(number=int(text))
        elif text:
            items = items.filter(item_name__icontains=text) | items.filter(kinds__icontains=text)
        return [CatalogueItemOption.of(item) for item in items.order_by("number")[:MAX_OPTIONS]]

    @staticmethod
    def resolve_regulation_options(root, info, keyword=None):
        text = api.keyword(keyword)
        rows = Regulation.objects.all()
        if text:
            rows = rows.filter(code__icontains=text) | rows.filter(name__icontains=text)
        return [RegulationOption.of(row) for row in rows.order_by("code")[:MAX_OPTIONS]]

    @staticmethod
    def resolve_capabilities(root, info, page, page_size, filter=None):
        _check_public_rate(info)
        rows = _filtered(CapabilityFilter, _filter_data(filter), capability_queryset())
        result = paginate(
            rows.order_by("authorisation__institution__name", "instrument_name", "pk"),
            page,
            page_size,
        )
        result["items"] = [CapabilityType.of(item) for item in result["items"]]
        return CapabilityPage(**result)


class QualificationMutation(graphene.ObjectType):
    save_authorisation = SaveAuthorisation.Field(description="新增或修改计量授权证书及其授权项目")
    save_staff_qualification = SaveStaffQualification.Field(description="新增或修改人员资格")
    save_fee_standard = SaveFeeStandard.Field(description="新增或修改收费标准")
    delete_authorisation = _delete_field(
        AuthorisationCertificate,
        "授权证书",
        MANAGE,
        "qualification.authorisation.delete",
        "删除计量授权证书",
    )
    delete_staff_qualification = _delete_field(
        StaffQualification, "人员资格", MANAGE, "qualification.staff.delete", "删除人员资格"
    )
    delete_fee_standard = _delete_field(
        FeeStandard, "收费标准", MANAGE, "qualification.fee.delete", "删除收费标准"
    )
