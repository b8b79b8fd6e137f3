"""GraphQL API of verification records: the samples awaiting entry, the entry form
from the record template, checking, approving (with step-up) and the certificate PDF.

Records are reached only within the user's own institution and with one of the
record permissions (records.enter, records.check, records.approve).
"""

import base64
import binascii

import graphene
from django.utils import timezone

from business.access import require_permission
from business.accounts.permissions import require_business_user
from business.accounts.stepup import require_recent_authentication
from business.applications.schema import FileType, decode_id, request_info
from business.certificates.pdf import CertificatePdfError, render_certificate_pdf
from business.core.api.errors import FieldError, PublicError, field_errors
from business.core.api.pagination import page_arguments, page_type, paginate
from business.standards.services import usable_standards_for

from . import excel, services
from .models import RecordStatus, RecordTemplate, VerificationRecord

VerificationRecordStatus = graphene.Enum(
    "VerificationRecordStatus",
    [(status.name, status.value) for status in RecordStatus],
    description="检定原始记录状态",
)
MAX_IMPORT_BASE64_LENGTH = 15 * 1024 * 1024


class TemplateFieldType(graphene.ObjectType):
    key = graphene.String(required=True, description="字段代码")
    label = graphene.String(required=True, description="名称")
    unit = graphene.String(required=True, description="单位")
    section = graphene.String(
        required=True, description="environment（环境条件）或 item（检定项目）"
    )
    item_name = graphene.String(required=True, description="所属检定项目")
    value_type = graphene.String(required=True, description="number、text 或 verdict")
    required = graphene.Boolean(required=True, description="是否必填")

    class Meta:
        name = "RecordTemplateField"
        description = "原始记录模板中的一个数据项"


class RecordTemplateType(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True, description="模板名称")
    regulation = graphene.String(required=True, description="依据规程")
    fields = graphene.List(graphene.NonNull(TemplateFieldType), required=True)

    class Meta:
        name = "RecordTemplate"
        description = "原始记录模板"

    @staticmethod
    def from_template(template: RecordTemplate) -> "RecordTemplateType":
        return RecordTemplateType(
            id=str(template.pk),
            name=template.name,
            regulation=str(template.regulation),
            fields=[
                TemplateFieldType(
                    key=field.key,
                    label=field.label,
                    unit=field.unit,
                    section=field.section,
                    item_name=field.item_name,
                    value_type=field.value_type,
                    required=field.required,
                )
                for field in template.fields.all()
            ],
        )


class StandardOption(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True, description="计量标准名称")
    certificate_number = graphene.String(required=True, description="考核证书号")
    valid_until = graphene.Date(required=True, description="有效期至")

    class Meta:
        name = "RecordStandardOption"
        description = "检定中使用的计量标准"

    @staticmethod
    def from_standard(standard) -> "StandardOption":
        return StandardOption(
            id=str(standard.pk),
            name=standard.name,
            certificate_number=standard.certificate_number,
            valid_until=standard.valid_until,
        )


class SampleType(graphene.ObjectType):
    id = graphene.ID(required=True, description="申请器具编号")
    sample_number = graphene.String(required=True, description="样品编号")
    application_number = graphene.String(required=True, description="申请编号")
    enterprise_name = graphene.String(required=True, description="送检单位")
    instrument_name = graphene.String(required=True, description="器具名称")
    model = graphene.String(required=True, description="型号规格")
    serial_number = graphene.String(required=True, description="出厂编号")
    catalogue_item_name = graphene.String(description="强制检定目录项目")
    template = graphene.Field(RecordTemplateType, description="原始记录模板；缺少规程时为空")
    standards = graphene.List(
        graphene.NonNull(StandardOption),
        required=True,
        description="今天有效、开展该项目的本机构计量标准",
    )

    class Meta:
        name = "VerificationSample"
        description = "已受理、待录入记录的样品"

    @staticmethod
    def from_item(item, with_form: bool = False) -> "SampleType":
        instrument = item.instrument
        template = None
        standards = []
        if with_form:
            regulation = services.regulation_for(instrument)
            if regulation is not None:
                template = RecordTemplateType.from_template(
                    services.template_for(regulation, item.application.institution)
                )
            if instrument.catalogue_item_id:
                standards = [
                    StandardOption.from_standard(standard)
                    for standard in usable_standards_for(
                        item.application.institution,
                        instrument.catalogue_item,
                        timezone.localdate(),
                    )
                ]
        return SampleType(
            id=str(item.pk),
            sample_number=item.sample_number,
            application_number=item.application.number,
            enterprise_name=item.application.enterprise.name,
            instrument_name=instrument.name,
            model=instrument.model,
            serial_number=instrument.serial_number,
            catalogue_item_name=instrument.catalogue_item.item_name
            if instrument.catalogue_item
            else None,
            template=template,
            standards=standards,
        )


SamplePage = page_type(SampleType, "VerificationSamplePage", "一页待录入的样品")


class DataValueType(graphene.ObjectType):
    key = graphene.String(required=True)
    label = graphene.String(required=True)
    unit = graphene.String(required=True)
    item_name = graphene.String(required=True)
    value = graphene.String(required=True)

    class Meta:
        name = "RecordDataValue"
        description = "原始记录中的一个数据"


class RecordType(graphene.ObjectType):
    id = graphene.ID(required=True)
    record_number = graphene.String(required=True, description="原始记录号")
    status = graphene.Field(VerificationRecordStatus, required=True)
    status_label = graphene.String(required=True, description="状态")
    sample_id = graphene.ID(description="申请器具（样品）编号；退回后按它重新录入")
    sample_number = graphene.String(description="样品编号")
    application_number = graphene.String(description="申请编号")
    enterprise_name = graphene.String(required=True, description="送检单位")
    instrument_name = graphene.String(required=True, description="器具名称")
    serial_number = graphene.String(required=True, description="出厂编号")
    regulation = graphene.String(description="依据规程")
    verification_date = graphene.Date(required=True, description="检定日期")
    conclusion_label = graphene.String(required=True, description="检定结论")
    place = graphene.String(required=True, description="检定地点")
    data = graphene.List(graphene.NonNull(DataValueType), required=True, description="记录数据")
    standards = graphene.List(
        graphene.NonNull(StandardOption), required=True, description="使用的计量标准"
    )
    verifier_name = graphene.String(required=True, description="检定员")
    checker_name = graphene.String(required=True, description="核验员")
    approver_name = graphene.String(required=True, description="批准人")
    conclusion = graphene.String(
        required=True, description="检定结论代码：qualified 或 unqualified"
    )
    accuracy_grade = graphene.String(required=True, description="准确度等级结论")
    verifier_id = graphene.ID(description="检定员用户编号")
    checker_id = graphene.ID(description="核验员用户编号")
    check_comment = graphene.String(required=True, description="核验意见")
    return_reason = graphene.String(required=True, description="退回原因")
    certificate_number = graphene.String(description="证书编号")
    certificate_kind_label = graphene.String(description="证书类型")
    certificate_check_code = graphene.String(description="证书校验码（印在证书上）")

    class Meta:
        name = "VerificationRecord"
        description = "检定原始记录"

    @staticmethod
    def from_record(record: VerificationRecord) -> "RecordType":
        item = record.application_item
        certificate = getattr(record, "certificate", None)
        labels = {}
        if record.template_id:
            labels = {field.key: field for field in record.template.fields.all()}
        data = [
            DataValueType(
                key=key,
                label=labels[key].label if key in labels else key,
                unit=labels[key].unit if key in labels else "",
                item_name=labels[key].item_name if key in labels else "",
                value=str(value),
            )
            for key, value in (record.data or {}).items()
        ]
        return RecordType(
            id=str(record.pk),
            record_number=record.record_number,
            status=RecordStatus(record.status).value,
            status_label=record.get_status_display(),
            sample_id=str(item.pk) if item else None,
            sample_number=item.sample_number if item else None,
            application_number=item.application.number if item else None,
            enterprise_name=record.instrument.enterprise.name,
            instrument_name=record.instrument.name,
            serial_number=record.instrument.serial_number,
            regulation=str(record.regulation) if record.regulation else None,
            verification_date=record.verification_date,
            conclusion_label=record.conclusion_text,
            conclusion=record.conclusion,
            accuracy_grade=record.accuracy_grade,
            place=record.place,
            data=data,
            standards=[
                StandardOption.from_standard(standard) for standard in record.standards.all()
            ],
            verifier_name=record.verifier_name,
            checker_name=record.checker_name,
            approver_name=record.approver_name,
            verifier_id=str(record.verifier_id) if record.verifier_id else None,
            checker_id=str(record.checker_id) if record.checker_id else None,
            check_comment=record.check_comment,
            return_reason=record.return_reason,
            certificate_number=certificate.number if certificate else None,
            certificate_kind_label=certificate.get_kind_display() if certificate else None,
            certificate_check_code=certificate.check_code if certificate else None,
        )


RecordPage = page_type(RecordType, "VerificationRecordPage", "一页检定原始记录")


def _record_queryset(user, status, search):
    queryset = services.visible_records(user).filter(template__isnull=False)
    if status:
        queryset = queryset.filter(status__in=[getattr(value, "value", value) for value in status])
    if search and search.strip():
        text = search.strip()
        queryset = queryset.filter(record_number__icontains=text) | queryset.filter(
            instrument__name__icontains=text
        )
    return (
        queryset.select_related(
            "instrument__enterprise",
            "regulation",
            "template",
            "application_item__application",
            "certificate",
        )
        .prefetch_related("template__fields", "standards")
        .order_by("-created_at", "-pk")
    )


class RecordQuery(graphene.ObjectType):
    samples_awaiting_entry = graphene.Field(
        SamplePage,
        required=True,
        **page_arguments(),
        description="本机构已受理、待录入原始记录的样品",
    )
    verification_sample = graphene.Field(
        SampleType,
        required=True,
        id=graphene.ID(required=True),
        description="一个待录入的样品，附原始记录模板和可用的计量标准",
    )
    verification_records = graphene.Field(
        RecordPage,
        required=True,
        status=graphene.List(
            graphene.NonNull(VerificationRecordStatus), description="状态，可多选"
        ),
        search=graphene.String(description="原始记录号或器具名称的一部分"),
        **page_arguments(),
        description="本机构在线录入的检定原始记录",
    )
    verification_record = graphene.Field(RecordType, required=True, id=graphene.ID(required=True))
    record_templates = graphene.List(
        graphene.NonNull(RecordTemplateType), required=True, description="本机构可用的原始记录模板"
    )
    record_import_template = graphene.Field(
        FileType,
        required=True,
        template_id=graphene.ID(required=True),
        description="检定结果批量导入模板（.xlsx）",
    )
    record_certificate_pdf = graphene.Field(
        FileType, required=True, id=graphene.ID(required=True), description="检定记录所出证书的 PDF"
    )

    @staticmethod
    def resolve_samples_awaiting_entry(root, info, page, page_size):
        user = require_business_user(info)
        result = paginate(services.samples_awaiting_entry(user), page, page_size)
        result["items"] = [SampleType.from_item(item) for item in result["items"]]
        return SamplePage(**result)

    @staticmethod
    def resolve_verification_sample(root, info, id):
        user = require_business_user(info)
        require_permission(user, "records.enter")
        return SampleType.from_item(
            services.get_sample(user, decode_id(id, "样品")), with_form=True
        )

    @staticmethod
    def resolve_verification_records(root, info, page, page_size, status=None, search=None):
        user = require_business_user(info)
        result = paginate(_record_queryset(user, status, search), page, page_size)
        result["items"] = [RecordType.from_record(record) for record in result["items"]]
        return RecordPage(**result)

    @staticmethod
    def resolve_verification_record(root, info, id):
        user = require_business_user(info)
        return RecordType.from_record(services.get_record(user, decode_id(id, "记录")))

    @staticmethod
    def resolve_record_templates(root, info):
        user = require_business_user(info)
        require_permission(user, "records.enter")
        templates = RecordTemplate.objects.filter(is_active=True).filter(
            institution__isnull=True
        ) | RecordTemplate.objects.filter(is_active=True, institution_id=user.organisation_id)
        return [
            RecordTemplateType.from_template(template)
            for template in templates.select_related("regulation")
        ]

    @staticmethod
    def resolve_record_import_template(root, info, template_id):
        user = require_business_user(info)
        require_permission(user, "records.enter")
        try:
            template = RecordTemplate.objects.get(pk=decode_id(template_id, "模板"), is_active=True)
        except RecordTemplate.DoesNotExist:
            raise PublicError("原始记录模板不存在，请刷新后重试。", code="NOT_FOUND") from None
        return FileType(
            file_name=f"检定结果导入模板-{template.regulation.code}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            content_base64=base64.b64encode(excel.build_template(template)).decode("ascii"),
        )

    @staticmethod
    def resolve_record_certificate_pdf(root, info, id):
        user = require_business_user(info)
        record = services.get_record(user, decode_id(id, "记录"))
        certificate = getattr(record, "certificate", None)
        if certificate is None:
            raise PublicError("该记录尚未出具证书。", code="NO_CERTIFICATE")
        try:
            pdf = render_certificate_pdf(certificate)
        except CertificatePdfError as error:
            raise PublicError(error.message, code="ALTERED") from None
        return FileType(
            file_name=f"{certificate.get_kind_display()}-{certificate.number}.pdf",
            content_type="application/pdf",
            content_base64=base64.b64encode(pdf).decode("ascii"),
        )


class RecordPayload(graphene.ObjectType):
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    record = graphene.Field(RecordType)

    class Meta:
        name = "VerificationRecordPayload"
        description = "检定原始记录操作的结果"


def _payload(call):
    try:
        record = call()
    except services.RecordError as error:
        return RecordPayload(errors=field_errors(error.errors))
    return RecordPayload(errors=[], record=RecordType.from_record(record))


class DataValueInput(graphene.InputObjectType):
    key = graphene.String(required=True, description="字段代码")
    value = graphene.String(required=True, description="填写的值")

    class Meta:
        name = "RecordDataValueInput"


class EnterRecordInput(graphene.InputObjectType):
    sample_id = graphene.ID(required=True, description="申请器具（样品）编号")
    verification_date = graphene.Date(required=True, description="检定日期")
    conclusion = graphene.String(
        required=True, description="qualified（合格）或 unqualified（不合格）"
    )
    accuracy_grade = graphene.String(description="准确度等级结论，如 Ⅲ级")
    place = graphene.String(description="检定地点")
    data = graphene.List(
        graphene.NonNull(DataValueInput), required=True, description="模板各数据项的值"
    )
    standard_ids = graphene.List(
        graphene.NonNull(graphene.ID), required=True, description="使用的计量标准"
    )

    class Meta:
        name = "EnterVerificationRecordInput"


class EnterRecord(graphene.Mutation):
    class Arguments:
        input = EnterRecordInput(required=True)

    Output = RecordPayload

    @staticmethod
    def mutate(root, info, input):
        user = require_business_user(info)
        return _payload(
            lambda: services.enter_record(
                user,
                decode_id(input.sample_id, "样品"),
                verification_date=input.verification_date,
                conclusion=input.conclusion,
                accuracy_grade=input.accuracy_grade or "",
                place=input.place or "",
                data={value.key: value.value for value in input.data},
                standard_ids=input.standard_ids,
                request_info=request_info(info),
            )
        )


class CheckRecord(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True)
        comment = graphene.String(description="核验意见")

    Output = RecordPayload

    @staticmethod
    def mutate(root, info, id, comment=""):
        user = require_business_user(info)
        return _payload(
            lambda: services.check_record(
                user, decode_id(id, "记录"), comment=comment or "", request_info=request_info(info)
            )
        )


class ReturnRecord(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True, description="退回原因")

    Output = RecordPayload

    @staticmethod
    def mutate(root, info, id, reason):
        user = require_business_user(info)
        return _payload(
            lambda: services.return_record(
                user, decode_id(id, "记录"), reason=reason, request_info=request_info(info)
            )
        )


class ApproveRecord(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True)

    Output = RecordPayload

    @staticmethod
    def mutate(root, info, id):
        # Approval signs a certificate, so the approver proves who they are again.
        user = require_recent_authentication(info)
        record_id = decode_id(id, "记录")

        def approve():
            services.approve_record(user, record_id, request_info=request_info(info))
            return services.get_record(user, record_id)

        return _payload(approve)


class ImportRecordsPayload(graphene.ObjectType):
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    imported_count = graphene.Int(required=True, description="导入的记录条数；有错误时为 0")

    class Meta:
        name = "ImportVerificationRecordsPayload"
        description = "批量导入检定结果的结果"


class ImportRecords(graphene.Mutation):
    class Arguments:
        template_id = graphene.ID(required=True, description="原始记录模板编号")
        file_base64 = graphene.String(
            required=True, description="填写好的 .xlsx 文件的 Base64 编码"
        )

    Output = ImportRecordsPayload

    @staticmethod
    def mutate(root, info, template_id, file_base64):
        user = require_business_user(info)
        if len(file_base64) > MAX_IMPORT_BASE64_LENGTH:
            return ImportRecordsPayload(
                imported_count=0,
                errors=[
                    FieldError(
                        field="file",
                        message="文件过大，请分成几个文件导入。",
                        code="file_too_large",
                    )
                ],
            )
        try:
            content = base64.b64decode(file_base64, validate=True)
        except (binascii.Error, ValueError):
            return ImportRecordsPayload(
                imported_count=0,
                errors=[
                    FieldError(
                        field="file",
                        message="文件内容无法读取，请重新选择文件。",
                        code="invalid_base64",
                    )
                ],
            )
        try:
            records = excel.import_results(
                user, decode_id(template_id, "模板"), content, request_info=request_info(info)
            )
        except excel.ImportRejected as error:
            return ImportRecordsPayload(
                imported_count=0,
                errors=field_errors(problem.as_field_error() for problem in error.problems),
            )
        return ImportRecordsPayload(imported_count=len(records), errors=[])


class RecordMutation(graphene.ObjectType):
    enter_verification_record = EnterRecord.Field(description="检定员录入或修改检定原始记录")
    check_verification_record = CheckRecord.Field(description="核验员核验检定原始记录")
    return_verification_record = ReturnRecord.Field(description="核验员或批准人退回检定原始记录")
    approve_verification_record = ApproveRecord.Field(
        description="批准人批准检定结果并出具证书（需重新验证身份）"
    )
    import_verification_records = ImportRecords.Field(description="从 Excel 批量录入检定结果")
