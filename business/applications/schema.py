"""GraphQL API of verification applications: filing, following, confirming, receiving.

Every resolver reaches applications through ``services.visible_applications`` or a
permission-scoped queryset. An enterprise reaches its own applications and an
institution those addressed to it. A regulator reaches those of its division, and an
enterprise user with the "own" scope those assigned to them. Ids are the integer
primary keys, sent as strings.
"""

import base64

import graphene
from django.db.models import Count

from business.access import has_permission, require_permission, scoped
from business.accounts.models import BusinessUser
from business.accounts.permissions import require_business_user
from business.audit import services as audit
from business.core.api.errors import FieldError, PublicError, field_errors
from business.core.api.pagination import page_arguments, page_type, paginate
from business.instruments.models import Instrument

from . import receipt, services
from .filters import ApplicationFilter
from .models import ApplicationStatus, VerificationApplication

VerificationApplicationStatus = graphene.Enum(
    "VerificationApplicationStatus",
    [(status.name, status.value) for status in ApplicationStatus],
    description="检定申请状态",
)

EVENT_LABELS = {
    "submit": "提交申请",
    "confirm_out_of_province": "监管部门同意省外送检",
    "reject_out_of_province": "监管部门不同意省外送检",
    "confirm": "机构确认预约",
    "reject": "机构拒绝预约",
    "accept": "机构受理器具",
    "start_verification": "开始检定",
    "complete": "全部出具证书",
    "assign": "分派内部任务",
}


def _channel(request) -> str:
    return "mobile" if getattr(request, "access_token", None) is not None else "pc"


def request_info(info) -> audit.RequestInfo:
    return audit.request_info_from(info.context, _channel(info.context))


def decode_id(value, noun: str = "申请") -> int:
    """Decode an integer id sent as a string; anything else is rejected."""
    text = str(value or "")
    if text.isascii() and text.isdigit() and 0 < len(text) <= 18:
        return int(text)
    raise PublicError(f"{noun}编号无效，应为正整数，请刷新后重试。", code="INVALID_ID")


class ApplicationItemType(graphene.ObjectType):
    id = graphene.ID(required=True, description="申请器具编号")
    instrument_id = graphene.ID(required=True)
    instrument_name = graphene.String(required=True, description="器具名称")
    model = graphene.String(required=True, description="型号规格")
    serial_number = graphene.String(required=True, description="出厂编号")
    manufacturer = graphene.String(required=True, description="制造单位")
    sample_number = graphene.String(required=True, description="样品编号，受理前为空")
    record_id = graphene.ID(description="检定记录编号")
    record_status_label = graphene.String(description="检定记录状态")
    certificate_number = graphene.String(description="证书编号")
    certificate_kind_label = graphene.String(description="证书类型")

    class Meta:
        name = "VerificationApplicationItem"
        description = "检定申请中的一台器具"

    @staticmethod
    def from_item(item) -> "ApplicationItemType":
        instrument = item.instrument
        record = getattr(item, "record", None)
        certificate = getattr(record, "certificate", None) if record else None
        return ApplicationItemType(
            id=str(item.pk),
            instrument_id=str(instrument.pk),
            instrument_name=instrument.name,
            model=instrument.model,
            serial_number=instrument.serial_number,
            manufacturer=instrument.manufacturer,
            sample_number=item.sample_number,
            record_id=str(record.pk) if record else None,
            record_status_label=record.get_status_display() if record else None,
            certificate_number=certificate.number if certificate else None,
            certificate_kind_label=certificate.get_kind_display() if certificate else None,
        )


class ApplicationEventType(graphene.ObjectType):
    action = graphene.String(required=True, description="操作代码")
    action_label = graphene.String(required=True, description="操作")
    to_status_label = graphene.String(required=True, description="操作后的状态")
    note = graphene.String(required=True, description="说明")
    actor_name = graphene.String(required=True, description="操作人")
    organisation_name = graphene.String(required=True, description="操作人单位")
    created_at = graphene.DateTime(required=True, description="时间")

    class Meta:
        name = "VerificationApplicationEvent"
        description = "检定申请的一条办理进度"


class ApplicationType(graphene.ObjectType):
    id = graphene.ID(required=True)
    number = graphene.String(required=True, description="申请编号")
    status = graphene.Field(VerificationApplicationStatus, required=True)
    status_label = graphene.String(required=True, description="状态")
    enterprise_name = graphene.String(required=True, description="申请单位")
    institution_id = graphene.ID(description="检定机构编号；省外机构为空")
    institution_name = graphene.String(required=True, description="检定机构名称")
    out_of_province = graphene.Boolean(required=True, description="是否省外送检")
    out_of_province_reason = graphene.String(required=True, description="省外送检理由")
    preferred_date = graphene.Date(required=True, description="期望检定日期")
    delivery_mode = graphene.String(required=True, description="检定方式代码：send 或 on_site")
    delivery_mode_label = graphene.String(required=True, description="检定方式")
    note = graphene.String(required=True, description="备注")
    submitted_by_name = graphene.String(required=True, description="申请人")
    submitted_at = graphene.DateTime(required=True, description="提交时间")
    appointment_date = graphene.Date(description="预约检定日期")
    confirmation_note = graphene.String(required=True, description="确认说明")
    rejection_reason = graphene.String(required=True, description="拒绝原因")
    regulator_comment = graphene.String(required=True, description="监管部门意见")
    received_at = graphene.DateTime(description="受理时间")
    assignee_id = graphene.ID(description="跟进人编号")
    assignee_name = graphene.String(description="跟进人")
    task_note = graphene.String(required=True, description="任务说明")
    instrument_count = graphene.Int(required=True, description="器具台数")
    items = graphene.List(
        graphene.NonNull(ApplicationItemType), required=True, description="申请的器具"
    )
    events = graphene.List(
        graphene.NonNull(ApplicationEventType), required=True, description="办理进度"
    )
    has_receipt = graphene.Boolean(required=True, description="是否可下载受理回执")

    class Meta:
        name = "VerificationApplication"
        description = "检定申请"

    @staticmethod
    def from_application(application: VerificationApplication) -> "ApplicationType":
        assignee = application.assignee
        count = getattr(application, "instrument_total", None)
        return ApplicationType(
            id=str(application.pk),
            number=application.number,
            status=ApplicationStatus(application.status).value,
            status_label=application.get_status_display(),
            enterprise_name=application.enterprise.name,
            institution_id=str(application.institution_id) if application.institution_id else None,
            institution_name=application.institution_display_name,
            out_of_province=application.out_of_province,
            out_of_province_reason=application.out_of_province_reason,
            preferred_date=application.preferred_date,
            delivery_mode=application.delivery_mode,
            delivery_mode_label=application.get_delivery_mode_display(),
            note=application.contact_note,
            submitted_by_name=application.submitted_by.display_name,
            submitted_at=application.submitted_at,
            appointment_date=application.appointment_date,
            confirmation_note=application.confirmation_note,
            rejection_reason=application.rejection_reason,
            regulator_comment=application.regulator_comment,
            received_at=application.received_at,
            assignee_id=str(assignee.pk) if assignee else None,
            assignee_name=assignee.display_name if assignee else None,
            task_note=application.task_note,
            instrument_count=count if count is not None else application.items.count(),
            has_receipt=application.status in receipt.RECEIVED_STATUSES,
            _application=application,
        )

    def __init__(self, _application=None, **kwargs):
        super().__init__(**kwargs)
        self._application = _application

    @staticmethod
    def resolve_items(root, info):
        items = root._application.items.select_related("instrument", "record__certificate")
        return [ApplicationItemType.from_item(item) for item in items]

    @staticmethod
    def resolve_events(root, info):
        return [
            ApplicationEventType(
                action=event.action,
                action_label=EVENT_LABELS.get(event.action, event.action),
                to_status_label=event.get_to_status_display(),
                note=event.note,
                actor_name=event.actor_name,
                organisation_name=event.organisation_name,
                created_at=event.created_at,
            )
            for event in root._application.events.all()
        ]


ApplicationPage = page_type(ApplicationType, "VerificationApplicationPage", "一页检定申请")


class InstitutionOption(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True, description="机构名称")

    class Meta:
        name = "CapableInstitution"
        description = "有所选器具检定授权的技术机构"


class ColleagueType(graphene.ObjectType):
    id = graphene.ID(required=True)
    display_name = graphene.String(required=True, description="姓名")

    class Meta:
        name = "ApplicationAssigneeOption"
        description = "可分派内部任务的本单位人员"


class InstrumentOption(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True, description="器具名称")
    model = graphene.String(required=True, description="型号规格")
    serial_number = graphene.String(required=True, description="出厂编号")
    catalogue_item_name = graphene.String(description="强制检定目录项目")
    delivery_mode = graphene.String(required=True, description="台账登记的检定方式代码")

    class Meta:
        name = "ApplicableInstrument"
        description = "可申请检定的在用器具"


InstrumentOptionPage = page_type(
    InstrumentOption, "ApplicableInstrumentPage", "一页可申请检定的器具"
)


class FileType(graphene.ObjectType):
    file_name = graphene.String(required=True, description="文件名")
    content_type = graphene.String(required=True, description="文件类型")
    content_base64 = graphene.String(required=True, description="文件内容的 Base64 编码")

    class Meta:
        name = "ApplicationFile"
        description = "生成的文件（受理回执、证书 PDF、导入模板）"


def _list_queryset(user, status, search, out_of_province, assigned_to_me):
    queryset = services.visible_applications(user)
    if assigned_to_me:
        queryset = queryset.filter(assignee=user)
    data = {"search": search or ""}
    if status:
        # graphene passes enum members; the filter takes their string values.
        data["status"] = [getattr(value, "value", value) for value in status]
    if out_of_province is not None:
        data["out_of_province"] = out_of_province
    filtered = ApplicationFilter(data, queryset=queryset)
    if not filtered.is_valid():
        raise PublicError("筛选条件无效，请检查状态取值。", code="INVALID_FILTER")
    return (
        filtered.qs.select_related("enterprise", "institution", "submitted_by", "assignee")
        .annotate(instrument_total=Count("items"))
        .order_by("-submitted_at", "-pk")
    )


class ApplicationQuery(graphene.ObjectType):
    verification_applications = graphene.Field(
        ApplicationPage,
        required=True,
        status=graphene.List(
            graphene.NonNull(VerificationApplicationStatus), description="状态，可多选"
        ),
        search=graphene.String(description="申请编号、申请单位或检定机构名称的一部分"),
        out_of_province=graphene.Boolean(description="只看省外（true）或省内（false）申请"),
        assigned_to_me=graphene.Boolean(description="只看分派给我的申请（我的任务）"),
        **page_arguments(),
        description="检定申请列表：企业看本单位的，技术机构看提交给本机构的，监管部门看辖区内的。",
    )
    verification_application = graphene.Field(
        ApplicationType, id=graphene.ID(required=True), description="一条检定申请及其进度"
    )
    capable_institutions = graphene.List(
        graphene.NonNull(InstitutionOption),
        required=True,
        instrument_ids=graphene.List(graphene.NonNull(graphene.ID), required=True),
        description="有所选全部器具检定授权的技术机构",
    )
    applicable_instruments = graphene.Field(
        InstrumentOptionPage,
        required=True,
        search=graphene.String(description="器具名称、型号或出厂编号的一部分"),
        **page_arguments(),
        description="本单位可申请检定的在用器具",
    )
    application_assignees = graphene.List(
        graphene.NonNull(ColleagueType), required=True, description="可分派内部任务的本单位人员"
    )
    application_receipt_pdf = graphene.Field(
        FileType, required=True, id=graphene.ID(required=True), description="受理回执 PDF"
    )

    @staticmethod
    def resolve_verification_applications(
        root,
        info,
        page,
        page_size,
        status=None,
        search=None,
        out_of_province=None,
        assigned_to_me=None,
    ):
        user = require_business_user(info)
        queryset = _list_queryset(user, status, search, out_of_province, assigned_to_me)
        result = paginate(queryset, page, page_size)
        result["items"] = [ApplicationType.from_application(row) for row in result["items"]]
        return ApplicationPage(**result)

    @staticmethod
    def resolve_verification_application(root, info, id):
        user = require_business_user(info)
        return ApplicationType.from_application(services.get_application(user, decode_id(id)))

    @staticmethod
    def resolve_capable_institutions(root, info, instrument_ids):
        user = require_business_user(info)
        require_permission(user, "applications.submit")
        ids = [decode_id(value, "器具") for value in instrument_ids]
        items = (
            scoped(Instrument.objects.all(), user, "instruments.view")
            .filter(pk__in=ids)
            .values_list("catalogue_item", flat=True)
        )
        institutions = services.capable_institutions(items)
        return [InstitutionOption(id=str(row.pk), name=row.name) for row in institutions]

    @staticmethod
    def resolve_applicable_instruments(root, info, page, page_size, search=None):
        user = require_business_user(info)
        require_permission(user, "applications.submit")
        queryset = (
            scoped(Instrument.objects.all(), user, "instruments.view")
            .filter(enterprise_id=user.organisation_id, status=Instrument.Status.IN_USE)
            .exclude(application_items__application__status__in=services.OPEN_STATUSES)
            .select_related("catalogue_item")
            .order_by("name", "pk")
        )
        if search and search.strip():
            text = search.strip()
            queryset = (
                queryset.filter(name__icontains=text)
                | queryset.filter(serial_number__icontains=text)
                | queryset.filter(model__icontains=text)
            )
        result = paginate(queryset.distinct(), page, page_size)
        result["items"] = [
            InstrumentOption(
                id=str(row.pk),
                name=row.name,
                model=row.model,
                serial_number=row.serial_number,
                catalogue_item_name=row.catalogue_item.item_name if row.catalogue_item else None,
                delivery_mode=row.delivery_mode,
            )
            for row in result["items"]
        ]
        return InstrumentOptionPage(**result)

    @staticmethod
    def resolve_application_assignees(root, info):
        user = require_business_user(info)
        require_permission(user, "applications.assign")
        colleagues = BusinessUser.objects.filter(
            organisation_id=user.organisation_id, is_active=True
        ).order_by("display_name", "pk")
        return [
            ColleagueType(id=str(colleague.pk), display_name=colleague.display_name)
            for colleague in colleagues
            if has_permission(colleague, "applications.view")
        ]

    @staticmethod
    def resolve_application_receipt_pdf(root, info, id):
        user = require_business_user(info)
        application = services.get_application(user, decode_id(id))
        try:
            pdf = receipt.render_receipt_pdf(application)
        except ValueError:
            raise PublicError("器具尚未受理，还没有受理回执。", code="NOT_RECEIVED") from None
        return FileType(
            file_name=f"受理回执-{application.number}.pdf",
            content_type="application/pdf",
            content_base64=base64.b64encode(pdf).decode("ascii"),
        )


class ApplicationPayload(graphene.ObjectType):
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    application = graphene.Field(ApplicationType)

    class Meta:
        name = "VerificationApplicationPayload"
        description = "检定申请操作的结果"


def _payload(call):
    """Run a service call and turn its ApplicationError into the payload's errors."""
    try:
        application = call()
    except services.ApplicationError as error:
        return ApplicationPayload(errors=field_errors(error.errors))
    return ApplicationPayload(errors=[], application=ApplicationType.from_application(application))


class SubmitApplicationInput(graphene.InputObjectType):
    instrument_ids = graphene.List(
        graphene.NonNull(graphene.ID), required=True, description="器具编号"
    )
    institution_id = graphene.ID(description="检定机构编号（省内）")
    preferred_date = graphene.Date(required=True, description="期望检定日期")
    delivery_mode = graphene.String(
        required=True, description="检定方式：send（送检）或 on_site（现场检定）"
    )
    out_of_province = graphene.Boolean(description="送省外国家级检定机构检定")
    external_institution_name = graphene.String(description="省外检定机构名称")
    out_of_province_reason = graphene.String(description="省外送检理由")
    note = graphene.String(description="备注")

    class Meta:
        name = "SubmitVerificationApplicationInput"
        description = "检定申请内容"


class SampleNumberInput(graphene.InputObjectType):
    item_id = graphene.ID(required=True, description="申请器具编号")
    sample_number = graphene.String(required=True, description="样品编号")

    class Meta:
        name = "ApplicationSampleNumberInput"
        description = "一台器具的样品编号"


class SubmitApplication(graphene.Mutation):
    class Arguments:
        input = SubmitApplicationInput(required=True)

    Output = ApplicationPayload

    @staticmethod
    def mutate(root, info, input):
        user = require_business_user(info)
        return _payload(
            lambda: services.submit_application(
                user,
                instrument_ids=input.instrument_ids,
                institution_id=input.institution_id,
                preferred_date=input.preferred_date,
                delivery_mode=input.delivery_mode,
                out_of_province=bool(input.out_of_province),
                external_institution_name=input.external_institution_name or "",
                out_of_province_reason=input.out_of_province_reason or "",
                note=input.note or "",
                request_info=request_info(info),
            )
        )


class AssignApplicationTask(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True)
        assignee_id = graphene.ID(required=True, description="跟进人编号")
        note = graphene.String(description="任务说明")

    Output = ApplicationPayload

    @staticmethod
    def mutate(root, info, id, assignee_id, note=""):
        user = require_business_user(info)
        application = services.get_application(user, decode_id(id), "applications.assign")
        return _payload(
            lambda: services.assign_task(
                user,
                application,
                assignee_id=assignee_id,
                note=note or "",
                request_info=request_info(info),
            )
        )


class DecideOutOfProvinceApplication(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True)
        approve = graphene.Boolean(required=True, description="true 同意，false 不同意")
        comment = graphene.String(description="意见；不同意时必填")

    Output = ApplicationPayload

    @staticmethod
    def mutate(root, info, id, approve, comment=""):
        user = require_business_user(info)
        application = services.get_application(
            user, decode_id(id), "applications.confirm_out_of_province"
        )
        return _payload(
            lambda: services.decide_out_of_province(
                user,
                application,
                approve=approve,
                comment=comment or "",
                request_info=request_info(info),
            )
        )


class ConfirmBooking(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True)
        appointment_date = graphene.Date(required=True, description="预约检定日期")
        note = graphene.String(description="确认说明")

    Output = ApplicationPayload

    @staticmethod
    def mutate(root, info, id, appointment_date, note=""):
        user = require_business_user(info)
        application = services.get_application(user, decode_id(id), "bookings.confirm")
        return _payload(
            lambda: services.confirm_booking(
                user,
                application,
                appointment_date=appointment_date,
                note=note or "",
                request_info=request_info(info),
            )
        )


class RejectBooking(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True, description="拒绝原因")

    Output = ApplicationPayload

    @staticmethod
    def mutate(root, info, id, reason):
        user = require_business_user(info)
        application = services.get_application(user, decode_id(id), "bookings.confirm")
        return _payload(
            lambda: services.reject_booking(
                user, application, reason=reason, request_info=request_info(info)
            )
        )


class ReceiveInstruments(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True)
        samples = graphene.List(graphene.NonNull(SampleNumberInput), required=True)

    Output = ApplicationPayload

    @staticmethod
    def mutate(root, info, id, samples):
        user = require_business_user(info)
        application = services.get_application(user, decode_id(id), "acceptance.receive")
        numbers = {sample.item_id: sample.sample_number for sample in samples}
        return _payload(
            lambda: services.receive_instruments(
                user, application, sample_numbers=numbers, request_info=request_info(info)
            )
        )


class ApplicationMutation(graphene.ObjectType):
    submit_verification_application = SubmitApplication.Field(description="企业提交检定申请")
    assign_application_task = AssignApplicationTask.Field(
        description="把检定申请的跟进分派给本单位人员"
    )
    decide_out_of_province_application = DecideOutOfProvinceApplication.Field(
        description="监管部门确认或不同意省外送检申请"
    )
    confirm_booking = ConfirmBooking.Field(description="技术机构确认预约")
    reject_booking = RejectBooking.Field(description="技术机构拒绝预约")
    receive_instruments = ReceiveInstruments.Field(description="技术机构受理器具并编样品编号")
