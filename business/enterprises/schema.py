"""GraphQL API of enterprise information (企业信息维护).

Profile and attachments: ``organisation.view`` to read, ``organisation.edit`` to change.
Training records follow the same permissions. Maintenance records belong to the
instruments, so they need ``instruments.view`` and ``instruments.manage``. Attachment
files are downloaded from ``views.attachment_download``.
"""

import graphene
from django.db.models import Q

from business.access import get_in_scope, has_permission, scoped
from business.accounts.permissions import require_business_user
from business.core import masking
from business.core.api.errors import FieldError, PublicError, field_errors
from business.core.api.pagination import page_arguments, page_type, paginate
from business.instruments.models import Instrument
from business.instruments.schema import parse_id, request_info
from business.organisations.models import Organisation

from . import services, uploads
from .models import Attachment, AttachmentVersion, MaintenanceRecord, TrainingRecord

AttachmentCategory = graphene.Enum.from_enum(
    Attachment.Category, name="AttachmentCategory", description="附件类别"
)
MaintenanceKind = graphene.Enum.from_enum(
    MaintenanceRecord.Kind, name="MaintenanceKind", description="维护保养类别"
)

# Model field names of service errors, and the input names of the screens.
INPUT_FIELD_NAMES = {
    "legal_representative": "legalRepresentative",
    "contact_name": "contactName",
    "contact_phone": "contactPhone",
    "business_scope": "businessScope",
    "metrology_officer": "metrologyOfficer",
    "trainee_name": "traineeName",
    "start_date": "startDate",
    "certificate_number": "certificateNumber",
    "performed_on": "performedOn",
    "performed_by": "performedBy",
}


def _errors(error: services.EnterpriseInfoError) -> list[FieldError]:
    return field_errors(
        (INPUT_FIELD_NAMES.get(field, field) if field else None, message, code)
        for field, message, code in error.errors
    )


def attachment_url(version: AttachmentVersion) -> str:
    return f"/downloads/attachments/{version.pk}/"


class AttachmentVersionType(graphene.ObjectType):
    id = graphene.ID(required=True)
    number = graphene.Int(required=True, description="版本号，从 1 开始")
    content_type = graphene.String(required=True, description="文件类型")
    size = graphene.Int(required=True, description="大小（字节）")
    original_name = graphene.String(required=True, description="上传时的文件名")
    uploaded_by = graphene.String(required=True, description="上传人")
    uploaded_at = graphene.DateTime(required=True, description="上传时间")
    download_url = graphene.String(required=True, description="下载地址（需登录）")

    class Meta:
        name = "AttachmentVersion"
        description = "附件的一个版本"

    @staticmethod
    def resolve_id(version, info):
        return str(version.pk)

    @staticmethod
    def resolve_uploaded_by(version, info):
        user = version.uploaded_by
        return (user.display_name or user.username) if user is not None else ""

    @staticmethod
    def resolve_download_url(version, info):
        return attachment_url(version)


class AttachmentType(graphene.ObjectType):
    id = graphene.ID(required=True)
    category = graphene.Field(AttachmentCategory, required=True, description="类别")
    category_label = graphene.String(required=True, description="类别名称")
    title = graphene.String(required=True, description="名称")
    created_at = graphene.DateTime(required=True, description="首次上传时间")
    current = graphene.Field(AttachmentVersionType, required=True, description="当前版本")
    versions = graphene.List(
        graphene.NonNull(AttachmentVersionType), required=True, description="全部版本，新的在前"
    )

    class Meta:
        name = "EnterpriseAttachment"
        description = "企业附件"

    @staticmethod
    def resolve_id(attachment, info):
        return str(attachment.pk)

    @staticmethod
    def resolve_category(attachment, info):
        return str(attachment.category)

    @staticmethod
    def resolve_category_label(attachment, info):
        return attachment.get_category_display()

    @staticmethod
    def resolve_versions(attachment, info):
        return sorted(attachment.versions.all(), key=lambda version: -version.number)

    @staticmethod
    def resolve_current(attachment, info):
        return max(attachment.versions.all(), key=lambda version: version.number)


class EnterpriseProfileType(graphene.ObjectType):
    organisation_id = graphene.ID(required=True)
    name = graphene.String(required=True, description="单位名称（变更须经监管部门审核，此处不能修改）")
    credit_code = graphene.String(required=True, description="统一社会信用代码")
    division_name = graphene.String(required=True, description="所在行政区划")
    address = graphene.String(required=True, description="地址")
    legal_representative = graphene.String(required=True, description="法定代表人")
    contact_name = graphene.String(required=True, description="联系人")
    contact_phone = graphene.String(required=True, description="联系电话（有编辑权限时显示完整号码）")
    industry = graphene.String(required=True, description="所属行业")
    business_scope = graphene.String(required=True, description="经营范围")
    metrology_officer = graphene.String(required=True, description="计量管理负责人")
    can_edit = graphene.Boolean(required=True, description="当前用户能否编辑")
    attachments = graphene.List(graphene.NonNull(AttachmentType), required=True, description="附件")

    class Meta:
        name = "EnterpriseProfile"
        description = "企业信息"


def _profile_type(organisation, user) -> EnterpriseProfileType:
    profile = services.profile_of(organisation)
    can_edit = has_permission(user, "organisation.edit")
    phone = profile.contact_phone or ""
    # Only editors see the full number, so that they can correct it.
    shown_phone = phone
    if phone and not can_edit:
        shown_phone = masking.mask_phone(phone)
    attachments = (
        Attachment.objects.filter(organisation=organisation, is_deleted=False)
        .prefetch_related("versions__uploaded_by")
        .order_by("category", "pk")
    )
    return EnterpriseProfileType(
        organisation_id=str(organisation.pk),
        name=organisation.name,
        credit_code=organisation.credit_code or "",
        division_name=organisation.division.name,
        address=organisation.address,
        legal_representative=profile.legal_representative,
        contact_name=profile.contact_name,
        contact_phone=shown_phone,
        industry=profile.industry,
        business_scope=profile.business_scope,
        metrology_officer=profile.metrology_officer,
        can_edit=can_edit,
        attachments=list(attachments),
    )


def _own_organisation(user, permission: str):
    """Return the user's organisation after checking ``permission`` covers it."""
    return get_in_scope(
        Organisation.objects.select_related("division"), user, permission, user.organisation_id, noun="单位"
    )


class EnterpriseProfileInput(graphene.InputObjectType):
    address = graphene.String(description="地址")
    legal_representative = graphene.String(description="法定代表人")
    contact_name = graphene.String(description="联系人")
    contact_phone = graphene.String(description="联系电话")
    industry = graphene.String(description="所属行业")
    business_scope = graphene.String(description="经营范围")
    metrology_officer = graphene.String(description="计量管理负责人")

    class Meta:
        description = "企业信息中可由企业修改的项"


class UpdateEnterpriseProfile(graphene.Mutation):
    class Meta:
        name = "UpdateEnterpriseProfilePayload"
        description = "保存企业信息的结果"

    class Arguments:
        input = EnterpriseProfileInput(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    profile = graphene.Field(EnterpriseProfileType)

    @staticmethod
    def mutate(root, info, input):
        user = require_business_user(info)
        organisation = _own_organisation(user, "organisation.edit")
        values = {key: value for key, value in dict(input).items() if value is not None}
        address = values.pop("address", None)
        try:
            services.update_profile(
                organisation, actor=user, request_info=request_info(info), address=address, **values
            )
        except services.EnterpriseInfoError as error:
            return UpdateEnterpriseProfile(errors=_errors(error))
        organisation.refresh_from_db()
        return UpdateEnterpriseProfile(errors=[], profile=_profile_type(organisation, user))


def _decode(file_base64: str):
    try:
        return uploads.decode_base64(file_base64), None
    except uploads.AttachmentFileError as error:
        return None, field_errors([(uploads.FIELD, error.message, error.code)])


class UploadAttachment(graphene.Mutation):
    class Meta:
        name = "UploadAttachmentPayload"
        description = "上传附件的结果"

    class Arguments:
        category = AttachmentCategory(required=True)
        title = graphene.String(required=True, description="附件名称")
        file_base64 = graphene.String(
            required=True,
            description=f"文件的 Base64 编码：JPEG、PNG 或 PDF，不超过 {uploads.MAX_ATTACHMENT_MEGABYTES} MB",
        )
        file_name = graphene.String(description="原文件名，仅供记录，不用来判断类型")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    attachment = graphene.Field(AttachmentType)

    @staticmethod
    def mutate(root, info, category, title, file_base64, file_name=""):
        user = require_business_user(info)
        organisation = _own_organisation(user, "organisation.edit")
        content, errors = _decode(file_base64)
        if errors:
            return UploadAttachment(errors=errors)
        try:
            attachment = services.add_attachment(
                organisation,
                category=getattr(category, "value", category),
                title=title,
                content=content,
                original_name=file_name or "",
                actor=user,
                request_info=request_info(info),
            )
        except services.EnterpriseInfoError as error:
            return UploadAttachment(errors=_errors(error))
        return UploadAttachment(errors=[], attachment=attachment)


def _attachment_in_scope(user, attachment_id, permission: str) -> Attachment:
    return get_in_scope(
        Attachment.objects.filter(is_deleted=False),
        user,
        permission,
        parse_id(attachment_id, "附件"),
        noun="附件",
    )


class ReplaceAttachment(graphene.Mutation):
    class Meta:
        name = "ReplaceAttachmentPayload"
        description = "替换附件的结果：新文件成为当前版本，旧版本保留"

    class Arguments:
        id = graphene.ID(required=True)
        file_base64 = graphene.String(required=True, description="新文件的 Base64 编码")
        file_name = graphene.String(description="原文件名")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    attachment = graphene.Field(AttachmentType)

    @staticmethod
    def mutate(root, info, id, file_base64, file_name=""):
        user = require_business_user(info)
        attachment = _attachment_in_scope(user, id, "organisation.edit")
        content, errors = _decode(file_base64)
        if errors:
            return ReplaceAttachment(errors=errors)
        try:
            services.replace_attachment(
                attachment,
                content=content,
                original_name=file_name or "",
                actor=user,
                request_info=request_info(info),
            )
        except services.EnterpriseInfoError as error:
            return ReplaceAttachment(errors=_errors(error))
        return ReplaceAttachment(errors=[], attachment=Attachment.objects.get(pk=attachment.pk))


class DeleteAttachment(graphene.Mutation):
    class Meta:
        name = "DeleteAttachmentPayload"
        description = "删除附件的结果（历史版本仍保存）"

    class Arguments:
        id = graphene.ID(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @staticmethod
    def mutate(root, info, id):
        user = require_business_user(info)
        attachment = _attachment_in_scope(user, id, "organisation.edit")
        services.delete_attachment(attachment, actor=user, request_info=request_info(info))
        return DeleteAttachment(errors=[])


# Training records


class TrainingRecordType(graphene.ObjectType):
    id = graphene.ID(required=True)
    trainee_name = graphene.String(required=True, description="姓名")
    course = graphene.String(required=True, description="培训内容")
    organiser = graphene.String(required=True, description="培训机构")
    start_date = graphene.Date(required=True, description="培训日期")
    hours = graphene.Float(description="学时")
    certificate_number = graphene.String(required=True, description="培训证书编号")
    notes = graphene.String(required=True, description="备注")

    class Meta:
        name = "TrainingRecord"
        description = "人员培训记录"

    @staticmethod
    def resolve_id(record, info):
        return str(record.pk)

    @staticmethod
    def resolve_hours(record, info):
        return float(record.hours) if record.hours is not None else None


TrainingRecordPage = page_type(TrainingRecordType, "TrainingRecordPage", "一页培训记录")


class TrainingRecordInput(graphene.InputObjectType):
    trainee_name = graphene.String(required=True, description="姓名")
    course = graphene.String(required=True, description="培训内容")
    organiser = graphene.String(description="培训机构")
    start_date = graphene.Date(required=True, description="培训日期")
    hours = graphene.Float(description="学时")
    certificate_number = graphene.String(description="培训证书编号")
    notes = graphene.String(description="备注")

    class Meta:
        description = "培训记录"


def _training_in_scope(user, record_id, permission) -> TrainingRecord:
    return get_in_scope(
        TrainingRecord.objects.all(), user, permission, parse_id(record_id, "培训记录"), noun="培训记录"
    )


class SaveTrainingRecord(graphene.Mutation):
    class Meta:
        name = "SaveTrainingRecordPayload"
        description = "新增或修改培训记录的结果"

    class Arguments:
        id = graphene.ID(description="修改时填写记录编号，新增时不填")
        input = TrainingRecordInput(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    record = graphene.Field(TrainingRecordType)

    @staticmethod
    def mutate(root, info, input, id=None):
        user = require_business_user(info)
        values = dict(input)
        try:
            if id:
                record = services.update_training_record(
                    _training_in_scope(user, id, "organisation.edit"),
                    actor=user,
                    request_info=request_info(info),
                    **values,
                )
            else:
                organisation = _own_organisation(user, "organisation.edit")
                record = services.create_training_record(
                    organisation, actor=user, request_info=request_info(info), **values
                )
        except services.EnterpriseInfoError as error:
            return SaveTrainingRecord(errors=_errors(error))
        return SaveTrainingRecord(errors=[], record=record)


class DeleteTrainingRecord(graphene.Mutation):
    class Meta:
        name = "DeleteTrainingRecordPayload"
        description = "删除培训记录的结果"

    class Arguments:
        id = graphene.ID(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @staticmethod
    def mutate(root, info, id):
        user = require_business_user(info)
        record = _training_in_scope(user, id, "organisation.edit")
        services.delete_training_record(record, actor=user, request_info=request_info(info))
        return DeleteTrainingRecord(errors=[])


# Maintenance records


class MaintenanceRecordType(graphene.ObjectType):
    id = graphene.ID(required=True)
    instrument_id = graphene.ID(required=True)
    instrument_name = graphene.String(required=True, description="器具名称")
    serial_number = graphene.String(required=True, description="出厂编号")
    kind = graphene.Field(MaintenanceKind, required=True, description="类别")
    kind_label = graphene.String(required=True, description="类别名称")
    performed_on = graphene.Date(required=True, description="日期")
    performed_by = graphene.String(required=True, description="执行人")
    description = graphene.String(required=True, description="内容")
    result = graphene.String(required=True, description="结果")

    class Meta:
        name = "MaintenanceRecord"
        description = "器具维护保养记录"

    @staticmethod
    def resolve_id(record, info):
        return str(record.pk)

    @staticmethod
    def resolve_instrument_id(record, info):
        return str(record.instrument_id)

    @staticmethod
    def resolve_instrument_name(record, info):
        return record.instrument.name

    @staticmethod
    def resolve_serial_number(record, info):
        return record.instrument.serial_number

    @staticmethod
    def resolve_kind(record, info):
        return str(record.kind)

    @staticmethod
    def resolve_kind_label(record, info):
        return record.get_kind_display()


MaintenanceRecordPage = page_type(MaintenanceRecordType, "MaintenanceRecordPage", "一页维护保养记录")


class MaintenanceRecordInput(graphene.InputObjectType):
    instrument_id = graphene.ID(required=True, description="计量器具")
    kind = MaintenanceKind(required=True, description="类别")
    performed_on = graphene.Date(required=True, description="日期")
    performed_by = graphene.String(required=True, description="执行人")
    description = graphene.String(required=True, description="内容")
    result = graphene.String(description="结果")

    class Meta:
        description = "维护保养记录"


def _maintenance_in_scope(user, record_id, permission) -> MaintenanceRecord:
    return get_in_scope(
        MaintenanceRecord.objects.select_related("instrument"),
        user,
        permission,
        parse_id(record_id, "维护保养记录"),
        noun="维护保养记录",
    )


class SaveMaintenanceRecord(graphene.Mutation):
    class Meta:
        name = "SaveMaintenanceRecordPayload"
        description = "新增或修改维护保养记录的结果"

    class Arguments:
        id = graphene.ID(description="修改时填写记录编号，新增时不填")
        input = MaintenanceRecordInput(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    record = graphene.Field(MaintenanceRecordType)

    @staticmethod
    def mutate(root, info, input, id=None):
        user = require_business_user(info)
        values = dict(input)
        values["kind"] = getattr(values["kind"], "value", values["kind"])
        instrument = get_in_scope(
            Instrument.objects.all(),
            user,
            "instruments.manage",
            parse_id(values.pop("instrument_id"), "器具"),
            noun="器具",
        )
        try:
            if id:
                record = _maintenance_in_scope(user, id, "instruments.manage")
                if record.instrument_id != instrument.pk:
                    raise PublicError(
                        "维护保养记录不能改到另一台器具上，请删除后重新登记。", code="INVALID_ARGUMENT"
                    )
                record = services.update_maintenance_record(
                    record, actor=user, request_info=request_info(info), **values
                )
            else:
                record = services.create_maintenance_record(
                    instrument, actor=user, request_info=request_info(info), **values
                )
        except services.EnterpriseInfoError as error:
            return SaveMaintenanceRecord(errors=_errors(error))
        return SaveMaintenanceRecord(errors=[], record=record)


class DeleteMaintenanceRecord(graphene.Mutation):
    class Meta:
        name = "DeleteMaintenanceRecordPayload"
        description = "删除维护保养记录的结果"

    class Arguments:
        id = graphene.ID(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @staticmethod
    def mutate(root, info, id):
        user = require_business_user(info)
        record = _maintenance_in_scope(user, id, "instruments.manage")
        services.delete_maintenance_record(record, actor=user, request_info=request_info(info))
        return DeleteMaintenanceRecord(errors=[])


class EnterpriseQuery(graphene.ObjectType):
    enterprise_profile = graphene.Field(
        EnterpriseProfileType, required=True, description="本单位的企业信息和附件"
    )
    training_records = graphene.Field(
        TrainingRecordPage,
        required=True,
        search=graphene.String(description="姓名或培训内容中的文字"),
        **page_arguments(),
        description="本单位人员培训记录，新的在前",
    )
    maintenance_records = graphene.Field(
        MaintenanceRecordPage,
        required=True,
        instrument_id=graphene.ID(description="只看这台器具的记录"),
        search=graphene.String(description="器具名称、出厂编号或内容中的文字"),
        **page_arguments(),
        description="本单位器具的维护保养记录，新的在前",
    )

    @staticmethod
    def resolve_enterprise_profile(root, info):
        user = require_business_user(info)
        organisation = _own_organisation(user, "organisation.view")
        return _profile_type(organisation, user)

    @staticmethod
    def resolve_training_records(root, info, search="", page=1, page_size=20):
        user = require_business_user(info)
        records = scoped(TrainingRecord.objects.all(), user, "organisation.view")
        text = (search or "").strip()[:50]
        if text:
            records = records.filter(Q(trainee_name__icontains=text) | Q(course__icontains=text))
        return TrainingRecordPage(**paginate(records.order_by("-start_date", "-pk"), page, page_size))

    @staticmethod
    def resolve_maintenance_records(root, info, instrument_id=None, search="", page=1, page_size=20):
        user = require_business_user(info)
        records = scoped(
            MaintenanceRecord.objects.select_related("instrument"), user, "instruments.view"
        )
        if instrument_id:
            records = records.filter(instrument_id=parse_id(instrument_id, "器具"))
        text = (search or "").strip()[:50]
        if text:
            records = records.filter(
                Q(instrument__name__icontains=text)
                | Q(instrument__serial_number__icontains=text)
                | Q(description__icontains=text)
            )
        return MaintenanceRecordPage(
            **paginate(records.order_by("-performed_on", "-pk"), page, page_size)
        )


class EnterpriseMutation(graphene.ObjectType):
    update_enterprise_profile = UpdateEnterpriseProfile.Field(description="保存企业信息")
    upload_attachment = UploadAttachment.Field(description="上传企业附件（按文件内容检查类型和大小）")
    replace_attachment = ReplaceAttachment.Field(description="上传附件的新版本，旧版本保留")
    delete_attachment = DeleteAttachment.Field(description="删除附件")
    save_training_record = SaveTrainingRecord.Field(description="新增或修改培训记录")
    delete_training_record = DeleteTrainingRecord.Field(description="删除培训记录")
    save_maintenance_record = SaveMaintenanceRecord.Field(description="新增或修改维护保养记录")
    delete_maintenance_record = DeleteMaintenanceRecord.Field(description="删除维护保养记录")
