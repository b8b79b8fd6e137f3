"""GraphQL API of measurement standards, standard equipment and the regulation library.

Lists need standards.view and reach the user's scope (own institution; a regulator's
division); changes need standards.manage. The regulation library is shared by all
institutions: every user with standards.view reads it, and standards.manage may
record a regulation's status (audited).
"""

import graphene
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from business.access import scoped
from business.core.api.errors import FieldError, field_errors
from business.core.api.pagination import page_arguments, page_type, paginate
from business.qualifications import api
from business.qualifications.schema import (
    CatalogueItemOption,
    RegulationOption,
    ValidityFilter,
    _delete_field,
    _filter_data,
    _filtered,
    _optional_row,
    _text,
    catalogue_items_by_ids,
)
from business.reference.models import Regulation

from .filters import MeasurementStandardFilter, RegulationLibraryFilter, StandardEquipmentFilter
from .models import MeasurementStandard, RegulationLibraryEntry, RegulationStatus, StandardEquipment

VIEW = "standards.view"
MANAGE = "standards.manage"

StandardCategory = graphene.Enum(
    "StandardCategory",
    [(choice.name, choice.value) for choice in MeasurementStandard.Category],
    description="计量标准类别：PUBLIC 社会公用、DEPARTMENT_HIGHEST 部门最高、"
    "ENTERPRISE_HIGHEST 企事业单位最高、WORKING 工作计量标准",
)
EquipmentRole = graphene.Enum(
    "EquipmentRole",
    [(choice.name, choice.value) for choice in StandardEquipment.Role],
    description="设备类别：STANDARD 标准器、AUXILIARY 配套设备",
)
RegulationStatusEnum = graphene.Enum(
    "RegulationStatus",
    [(choice.name, choice.value) for choice in RegulationStatus],
    description="规程状态：IN_FORCE 现行有效、SUPERSEDED 已被代替、ABOLISHED 已废止、FORTHCOMING 即将实施",
)


class MeasurementStandardType(graphene.ObjectType):
    id = graphene.ID(required=True)
    institution_name = graphene.String(required=True, description="建标单位")
    name = graphene.String(required=True, description="计量标准名称")
    code = graphene.String(required=True, description="计量标准代码")
    category = graphene.Field(StandardCategory, required=True, description="类别")
    category_label = graphene.String(required=True, description="类别名称")
    certificate_number = graphene.String(required=True, description="计量标准考核证书号")
    issuing_authority = graphene.String(required=True, description="发证机关")
    valid_from = graphene.Date(description="有效期起")
    valid_until = graphene.Date(required=True, description="有效期至")
    measuring_range = graphene.String(required=True, description="测量范围")
    uncertainty = graphene.String(required=True, description="不确定度或准确度等级或最大允许误差")
    storage_place = graphene.String(required=True, description="存放地点")
    catalogue_items = graphene.List(graphene.NonNull(CatalogueItemOption), required=True)
    regulations = graphene.List(graphene.NonNull(RegulationOption), required=True)
    is_retired = graphene.Boolean(required=True, description="已撤销")
    is_valid = graphene.Boolean(required=True, description="今天是否可用（考核证书有效且未撤销）")
    equipment_count = graphene.Int(required=True, description="设备数量")

    class Meta:
        name = "MeasurementStandard"
        description = "计量标准"

    @staticmethod
    def of(row: MeasurementStandard) -> "MeasurementStandardType":
        return MeasurementStandardType(
            id=str(row.pk),
            institution_name=row.institution.name,
            name=row.name,
            code=row.code,
            category=row.category,
            category_label=row.get_category_display(),
            certificate_number=row.certificate_number,
            issuing_authority=row.issuing_authority,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            measuring_range=row.measuring_range,
            uncertainty=row.uncertainty,
            storage_place=row.storage_place,
            catalogue_items=[CatalogueItemOption.of(item) for item in row.catalogue_items.all()],
            regulations=[RegulationOption.of(item) for item in row.regulations.all()],
            is_retired=row.is_retired,
            is_valid=row.is_valid_on(timezone.localdate()),
            equipment_count=len(row.equipment.all()),
        )


class StandardEquipmentType(graphene.ObjectType):
    id = graphene.ID(required=True)
    standard_id = graphene.ID(description="所属计量标准编号")
    standard_name = graphene.String(description="所属计量标准")
    role = graphene.Field(EquipmentRole, required=True, description="类别")
    role_label = graphene.String(required=True, description="类别名称")
    name = graphene.String(required=True, description="设备名称")
    model = graphene.String(required=True, description="型号规格")
    serial_number = graphene.String(required=True, description="出厂编号")
    manufacturer = graphene.String(required=True, description="制造单位")
    measuring_range = graphene.String(required=True, description="测量范围")
    uncertainty = graphene.String(required=True, description="不确定度或准确度等级或最大允许误差")
    traceability_certificate_number = graphene.String(required=True, description="溯源证书号")
    traceability_institution = graphene.String(required=True, description="溯源机构")
    traced_on = graphene.Date(description="检定/校准日期")
    due_on = graphene.Date(required=True, description="有效期至（下次溯源日期）")
    is_retired = graphene.Boolean(required=True, description="已停用")
    is_valid = graphene.Boolean(required=True, description="今天是否在溯源有效期内")

    class Meta:
        name = "StandardEquipment"
        description = "标准器或配套设备"

    @staticmethod
    def of(row: StandardEquipment) -> "StandardEquipmentType":
        return StandardEquipmentType(
            id=str(row.pk),
            standard_id=str(row.standard_id) if row.standard_id else None,
            standard_name=row.standard.name if row.standard_id else None,
            role=row.role,
            role_label=row.get_role_display(),
            name=row.name,
            model=row.model,
            serial_number=row.serial_number,
            manufacturer=row.manufacturer,
            measuring_range=row.measuring_range,
            uncertainty=row.uncertainty,
            traceability_certificate_number=row.traceability_certificate_number,
            traceability_institution=row.traceability_institution,
            traced_on=row.traced_on,
            due_on=row.due_on,
            is_retired=row.is_retired,
            is_valid=row.is_valid_on(timezone.localdate()),
        )


class RegulationLibraryItemType(graphene.ObjectType):
    id = graphene.ID(required=True, description="规程编号（内部）")
    code = graphene.String(required=True, description="规程号")
    name = graphene.String(required=True, description="名称")
    kind_label = graphene.String(required=True, description="类别")
    status = graphene.Field(RegulationStatusEnum, required=True, description="状态")
    status_label = graphene.String(required=True, description="状态名称")
    published_on = graphene.Date(description="发布日期")
    effective_on = graphene.Date(description="实施日期")
    superseded_by = graphene.Field(RegulationOption, description="代替它的规程")
    note = graphene.String(required=True, description="说明")

    class Meta:
        name = "RegulationLibraryItem"
        description = "规程库中的一部规程或规范"

    @staticmethod
    def of(regulation: Regulation) -> "RegulationLibraryItemType":
        entry = getattr(regulation, "library_entry", None)
        status = entry.status if entry else RegulationStatus.IN_FORCE
        return RegulationLibraryItemType(
            id=str(regulation.pk),
            code=regulation.code,
            name=regulation.name,
            kind_label=regulation.get_kind_display(),
            status=status,
            status_label=RegulationStatus(status).label,
            published_on=entry.published_on if entry else None,
            effective_on=entry.effective_on if entry else None,
            superseded_by=RegulationOption.of(entry.superseded_by)
            if entry and entry.superseded_by
            else None,
            note=entry.note if entry else "",
        )


MeasurementStandardPage = page_type(
    MeasurementStandardType, "MeasurementStandardPage", "一页计量标准"
)
StandardEquipmentPage = page_type(StandardEquipmentType, "StandardEquipmentPage", "一页标准设备")
RegulationLibraryPage = page_type(RegulationLibraryItemType, "RegulationLibraryPage", "一页规程库")


class MeasurementStandardFilterInput(graphene.InputObjectType):
    keyword = graphene.String(description="名称、证书号、代码或测量范围")
    validity = graphene.Field(ValidityFilter, description="有效状态（REVOKED 为已撤销）")
    catalogue_item_id = graphene.ID(description="开展的目录项目编号")


class StandardEquipmentFilterInput(graphene.InputObjectType):
    keyword = graphene.String(description="名称、型号、出厂编号或溯源证书号")
    standard_id = graphene.ID(description="所属计量标准编号")
    role = graphene.Field(EquipmentRole, description="类别")
    validity = graphene.Field(ValidityFilter, description="溯源状态（REVOKED 为已停用）")


class RegulationLibraryFilterInput(graphene.InputObjectType):
    keyword = graphene.String(description="规程号或名称")
    kind = graphene.String(description="类别：JJG 或 JJF")
    status = graphene.Field(RegulationStatusEnum, description="状态")


class MeasurementStandardInput(graphene.InputObjectType):
    id = graphene.ID(description="修改时填写；新增时留空")
    name = graphene.String(required=True, description="计量标准名称")
    code = graphene.String(description="计量标准代码")
    category = graphene.Field(StandardCategory, description="类别，默认社会公用")
    certificate_number = graphene.String(required=True, description="计量标准考核证书号")
    issuing_authority = graphene.String(description="发证机关")
    valid_from = graphene.Date(description="有效期起")
    valid_until = graphene.Date(required=True, description="有效期至")
    measuring_range = graphene.String(description="测量范围")
    uncertainty = graphene.String(description="不确定度或准确度等级或最大允许误差")
    storage_place = graphene.String(description="存放地点")
    catalogue_item_ids = graphene.List(
        graphene.NonNull(graphene.ID), description="开展的目录项目编号"
    )
    regulation_ids = graphene.List(graphene.NonNull(graphene.ID), description="依据的规程编号")
    is_retired = graphene.Boolean(description="已撤销")


class StandardEquipmentInput(graphene.InputObjectType):
    id = graphene.ID(description="修改时填写；新增时留空")
    standard_id = graphene.ID(description="所属计量标准编号")
    role = graphene.Field(EquipmentRole, description="类别，默认标准器")
    name = graphene.String(required=True, description="设备名称")
    model = graphene.String(description="型号规格")
    serial_number = graphene.String(description="出厂编号")
    manufacturer = graphene.String(description="制造单位")
    measuring_range = graphene.String(description="测量范围")
    uncertainty = graphene.String(description="不确定度或准确度等级或最大允许误差")
    traceability_certificate_number = graphene.String(description="溯源证书号")
    traceability_institution = graphene.String(description="溯源机构")
    traced_on = graphene.Date(description="检定/校准日期")
    due_on = graphene.Date(required=True, description="有效期至（下次溯源日期）")
    is_retired = graphene.Boolean(description="已停用")


class RegulationStatusInput(graphene.InputObjectType):
    regulation_id = graphene.ID(required=True, description="规程编号（内部）")
    status = graphene.Field(RegulationStatusEnum, required=True, description="状态")
    published_on = graphene.Date(description="发布日期")
    effective_on = graphene.Date(description="实施日期")
    superseded_by_id = graphene.ID(description="代替它的规程编号，状态为已被代替时必填")
    note = graphene.String(description="说明")


def _enum_value(value, default):
    if value is None:
        return default
    return value.value if hasattr(value, "value") else value


def _regulations_by_ids(values, field):
    ids = [api.parse_id(value, field, "规程") for value in values or []]
    rows = list(Regulation.objects.filter(pk__in=ids))
    if len(rows) != len(set(ids)):
        return rows, [(field, "所选规程不存在，请重新选择。", "NOT_FOUND")]
    return rows, []


def _standards():
    return MeasurementStandard.objects.select_related("institution").prefetch_related(
        "catalogue_items", "regulations", "equipment"
    )


class SaveMeasurementStandard(graphene.Mutation):
    class Meta:
        name = "SaveMeasurementStandardPayload"
        description = "保存计量标准的结果"

    class Arguments:
        input = MeasurementStandardInput(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    standard = graphene.Field(MeasurementStandardType)

    @staticmethod
    def mutate(root, info, input):
        user = api.current_user(info, MANAGE)
        if input.get("id"):
            row = api.load(MeasurementStandard, user, MANAGE, input["id"], "计量标准")
        else:
            row = MeasurementStandard(institution=api.own_institution(user))
        fields = [
            "name",
            "code",
            "category",
            "certificate_number",
            "issuing_authority",
            "valid_from",
            "valid_until",
            "measuring_range",
            "uncertainty",
            "storage_place",
            "is_retired",
        ]
        before = api.snapshot(row, fields) if row.pk else {}

        for name in (
            "name",
            "code",
            "certificate_number",
            "issuing_authority",
            "measuring_range",
            "uncertainty",
            "storage_place",
        ):
            setattr(row, name, _text(input.get(name)))
        row.category = _enum_value(input.get("category"), MeasurementStandard.Category.PUBLIC)
        row.valid_from = input.get("valid_from")
        row.valid_until = input["valid_until"]
        row.is_retired = bool(input.get("is_retired"))
        items, problems = catalogue_items_by_ids(
            input.get("catalogue_item_ids"), "catalogueItemIds"
        )
        regulations, found = _regulations_by_ids(input.get("regulation_ids"), "regulationIds")
        problems += found
        try:
            row.full_clean(exclude=["institution"], validate_unique=False)
        except ValidationError as error:
            problems += api.validation_problems(error)
        duplicate = MeasurementStandard.objects.filter(
            institution=row.institution, certificate_number=row.certificate_number
        ).exclude(pk=row.pk)
        if row.certificate_number and duplicate.exists():
            problems.append(
                (
                    "certificateNumber",
                    f"考核证书号 {row.certificate_number} 已登记，请核对。",
                    "DUPLICATE",
                )
            )
        if problems:
            return SaveMeasurementStandard(errors=field_errors(problems), standard=None)

        with transaction.atomic():
            created = row.pk is None
            row.save()
            row.catalogue_items.set(items)
            row.regulations.set(regulations)
            api.audit_event(
                info,
                user,
                "standard." + ("create" if created else "update"),
                row,
                api.changes_between(before, api.snapshot(row, fields)),
            )
        return SaveMeasurementStandard(
            errors=[], standard=MeasurementStandardType.of(_standards().get(pk=row.pk))
        )


class SaveStandardEquipment(graphene.Mutation):
    class Meta:
        name = "SaveStandardEquipmentPayload"
        description = "保存标准设备的结果"

    class Arguments:
        input = StandardEquipmentInput(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    equipment = graphene.Field(StandardEquipmentType)

    @staticmethod
    def mutate(root, info, input):
        user = api.current_user(info, MANAGE)
        if input.get("id"):
            row = api.load(StandardEquipment, user, MANAGE, input["id"], "标准设备")
        else:
            row = StandardEquipment(institution=api.own_institution(user))
        fields = [
            "standard",
            "role",
            "name",
            "model",
            "serial_number",
            "manufacturer",
            "measuring_range",
            "uncertainty",
            "traceability_certificate_number",
            "traceability_institution",
            "traced_on",
            "due_on",
            "is_retired",
        ]
        before = api.snapshot(row, fields) if row.pk else {}

        problems = []
        standard_id = api.optional_id(input.get("standard_id"), "standardId", "计量标准")
        row.standard = None
        if standard_id is not None:
            row.standard = MeasurementStandard.objects.filter(
                pk=standard_id, institution_id=row.institution_id
            ).first()
            if row.standard is None:
                problems.append(("standardId", "请选择本机构的计量标准。", "NOT_FOUND"))
        for name in (
            "name",
            "model",
            "serial_number",
            "manufacturer",
            "measuring_range",
            "uncertainty",
            "traceability_certificate_number",
            "traceability_institution",
        ):
            setattr(row, name, _text(input.get(name)))
        row.role = _enum_value(input.get("role"), StandardEquipment.Role.STANDARD)
        row.traced_on = input.get("traced_on")
        row.due_on = input["due_on"]
        row.is_retired = bool(input.get("is_retired"))
        if row.traced_on and row.due_on and row.due_on < row.traced_on:
            problems.append(("dueOn", "有效期至不能早于检定/校准日期，请核对溯源证书。", "INVALID"))
        try:
            row.full_clean(exclude=["institution", "standard"])
        except ValidationError as error:
            problems += api.validation_problems(error)
        if problems:
            return SaveStandardEquipment(errors=field_errors(problems), equipment=None)

        with transaction.atomic():
            created = row.pk is None
            row.save()
            api.audit_event(
                info,
                user,
                "standard.equipment." + ("create" if created else "update"),
                row,
                api.changes_between(before, api.snapshot(row, fields)),
            )
        return SaveStandardEquipment(errors=[], equipment=StandardEquipmentType.of(row))


class SaveRegulationStatus(graphene.Mutation):
    class Meta:
        name = "SaveRegulationStatusPayload"
        description = "登记规程状态的结果"

    class Arguments:
        input = RegulationStatusInput(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    regulation = graphene.Field(RegulationLibraryItemType)

    @staticmethod
    def mutate(root, info, input):
        user = api.current_user(info, MANAGE)
        problems = []
        regulation, found = _optional_row(
            Regulation, input["regulation_id"], "regulationId", "规程"
        )
        problems += found
        successor, found = _optional_row(
            Regulation, input.get("superseded_by_id"), "supersededById", "代替规程"
        )
        problems += found
        if problems:
            return SaveRegulationStatus(errors=field_errors(problems), regulation=None)

        entry = RegulationLibraryEntry.objects.filter(
            regulation=regulation
        ).first() or RegulationLibraryEntry(regulation=regulation)
        fields = ["status", "published_on", "effective_on", "superseded_by", "note"]
        before = api.snapshot(entry, fields) if entry.pk else {}
        entry.status = _enum_value(input["status"], RegulationStatus.IN_FORCE)
        entry.published_on = input.get("published_on")
        entry.effective_on = input.get("effective_on")
        entry.superseded_by = successor
        entry.note = _text(input.get("note"))
        try:
            entry.full_clean(exclude=["regulation"], validate_unique=False)
        except ValidationError as error:
            problems += api.validation_problems(error, {"superseded_by": "supersededById"})
        if problems:
            return SaveRegulationStatus(errors=field_errors(problems), regulation=None)

        with transaction.atomic():
            entry.save()
            api.audit_event(
                info,
                user,
                "standard.regulation.status",
                entry,
                api.changes_between(before, api.snapshot(entry, fields)),
            )
        regulation = Regulation.objects.select_related("library_entry__superseded_by").get(
            pk=regulation.pk
        )
        return SaveRegulationStatus(errors=[], regulation=RegulationLibraryItemType.of(regulation))


class StandardQuery(graphene.ObjectType):
    measurement_standards = graphene.Field(
        MeasurementStandardPage,
        required=True,
        filter=MeasurementStandardFilterInput(),
        **page_arguments(),
        description="计量标准列表",
    )
    standard_equipment = graphene.Field(
        StandardEquipmentPage,
        required=True,
        filter=StandardEquipmentFilterInput(),
        **page_arguments(),
        description="标准设备列表（按溯源到期日排序）",
    )
    regulation_library = graphene.Field(
        RegulationLibraryPage,
        required=True,
        filter=RegulationLibraryFilterInput(),
        **page_arguments(),
        description="规程库：计量检定规程和技术规范及其现行状态",
    )

    @staticmethod
    def resolve_measurement_standards(root, info, page, page_size, filter=None):
        user = api.current_user(info, VIEW)
        rows = _filtered(
            MeasurementStandardFilter, _filter_data(filter), scoped(_standards(), user, VIEW)
        )
        result = paginate(rows.order_by("valid_until", "pk"), page, page_size)
        result["items"] = [MeasurementStandardType.of(row) for row in result["items"]]
        return MeasurementStandardPage(**result)

    @staticmethod
    def resolve_standard_equipment(root, info, page, page_size, filter=None):
        user = api.current_user(info, VIEW)
        rows = scoped(StandardEquipment.objects.select_related("standard"), user, VIEW)
        rows = _filtered(StandardEquipmentFilter, _filter_data(filter), rows)
        result = paginate(rows.order_by("due_on", "pk"), page, page_size)
        result["items"] = [StandardEquipmentType.of(row) for row in result["items"]]
        return StandardEquipmentPage(**result)

    @staticmethod
    def resolve_regulation_library(root, info, page, page_size, filter=None):
        api.current_user(info, VIEW)
        rows = Regulation.objects.select_related("library_entry__superseded_by")
        rows = _filtered(RegulationLibraryFilter, _filter_data(filter), rows)
        result = paginate(rows.order_by("code"), page, page_size)
        result["items"] = [RegulationLibraryItemType.of(row) for row in result["items"]]
        return RegulationLibraryPage(**result)


class StandardMutation(graphene.ObjectType):
    save_measurement_standard = SaveMeasurementStandard.Field(description="新增或修改计量标准")
    save_standard_equipment = SaveStandardEquipment.Field(description="新增或修改标准器或配套设备")
    save_regulation_status = SaveRegulationStatus.Field(description="登记规程的现行状态")
    delete_measurement_standard = _delete_field(
        MeasurementStandard,
        "计量标准",
        MANAGE,
        "standard.delete",
        "删除计量标准（仍有设备时不能删除）",
    )
    delete_standard_equipment = _delete_field(
        StandardEquipment, "标准设备", MANAGE, "standard.equipment.delete", "删除标准设备"
    )
