"""GraphQL API of the instrument ledger (器具台账).

Reading needs ``instruments.view``; filing, editing, status changes and the import
need ``instruments.manage``; the export needs ``instruments.export``. Each goes through
business.access, so enterprises reach their own ledger and regulators the ledgers of
the enterprises in their division. Instrument ids are integer primary keys as strings.
"""

import base64
import binascii
import logging

import graphene
from django.db.models import Q
from django.utils import timezone

from business.access import get_in_scope, has_permission, require_permission, scoped
from business.accounts.permissions import require_business_user
from business.audit import services as audit
from business.certificates.enterprise_schema import EnterpriseCertificate
from business.certificates.models import Certificate
from business.core.api.errors import FieldError, PublicError, field_errors
from business.core.api.pagination import page_arguments, paginate
from business.reference.models import CatalogueItem, Division, Usage

from . import services
from .excel import MAX_FILE_BYTES, build_import_template, export_instruments, import_instruments
from .filters import InstrumentFilterSet
from .models import CertificateProblem, Instrument, InstrumentStatusChange

logger = logging.getLogger(__name__)

# Larger exports would keep a worker busy for minutes; users narrow the filters.
MAX_EXPORT_ROWS = 50_000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

InstrumentStatus = graphene.Enum.from_enum(
    Instrument.Status, name="InstrumentLifecycleStatus", description="器具状态"
)
DeliveryMode = graphene.Enum.from_enum(
    Instrument.DeliveryMode, name="InstrumentDeliveryMode", description="检定方式"
)
InstrumentUsage = graphene.Enum.from_enum(Usage, name="InstrumentUsage", description="用途（强管类型）")
CertificateProblemEnum = graphene.Enum.from_enum(
    CertificateProblem, name="CertificateProblem", description="强制检定证书情况"
)

# Model field names of the services' errors, and the input names the screens know.
INPUT_FIELD_NAMES = {
    "catalogue_item": "catalogueItemId",
    "division": "divisionCode",
    "serial_number": "serialNumber",
    "measuring_range": "measuringRange",
    "accuracy_class": "accuracyClass",
    "installation_place": "installationPlace",
    "delivery_mode": "deliveryMode",
    "service_life_end": "serviceLifeEnd",
}


def channel_of(request) -> str:
    return "mobile" if getattr(request, "access_token", None) is not None else "pc"


def request_info(info) -> audit.RequestInfo:
    return audit.request_info_from(info.context, channel_of(info.context))


def parse_id(value, noun: str) -> int:
    """Decode an integer id sent as a string; anything else is rejected."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and 0 < len(value) <= 18:
        return int(value)
    raise PublicError(f"{noun}编号无效，请刷新列表后重试。", code="INVALID_ID")


def _enum_value(value):
    return getattr(value, "value", value)


class DivisionOption(graphene.ObjectType):
    code = graphene.String(required=True, description="6 位行政区划代码")
    name = graphene.String(required=True, description="名称")
    level = graphene.String(required=True, description="级别：province、prefecture、county 等")

    class Meta:
        name = "DivisionChoice"
        description = "行政区划"


class CatalogueItemOption(graphene.ObjectType):
    id = graphene.ID(required=True)
    number = graphene.Int(required=True, description="目录序号")
    item_name = graphene.String(required=True, description="项目")
    kinds = graphene.List(graphene.NonNull(graphene.String), required=True, description="种类")
    usage = graphene.Field(InstrumentUsage, required=True, description="强管类型")
    verification_form = graphene.String(
        required=True, description="强制检定形式：periodic、replace 或 scrap"
    )
    verification_form_label = graphene.String(required=True, description="强制检定形式名称")

    class Meta:
        name = "CatalogueItemChoice"
        description = "强制检定目录项"

    @staticmethod
    def resolve_id(item, info):
        return str(item.pk)

    @staticmethod
    def resolve_usage(item, info):
        return str(item.usage)

    @staticmethod
    def resolve_kinds(item, info):
        from .validation import catalogue_kinds

        return catalogue_kinds(item)

    @staticmethod
    def resolve_verification_form_label(item, info):
        return item.get_verification_form_display()


class OrganisationRef(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True, description="单位名称")

    class Meta:
        description = "单位（编号和名称）"

    @staticmethod
    def resolve_id(organisation, info):
        return str(organisation.pk)


class InstrumentStatusChangeType(graphene.ObjectType):
    from_status = graphene.Field(InstrumentStatus, description="原状态；备案记录为空")
    to_status = graphene.Field(InstrumentStatus, required=True, description="新状态")
    from_status_label = graphene.String(required=True, description="原状态名称")
    to_status_label = graphene.String(required=True, description="新状态名称")
    reason = graphene.String(required=True, description="原因")
    actor = graphene.String(required=True, description="操作人")
    changed_at = graphene.DateTime(required=True, description="变更时间")

    class Meta:
        name = "InstrumentStatusChange"
        description = "器具状态变更记录"

    @staticmethod
    def resolve_from_status(change, info):
        return str(change.from_status) or None

    @staticmethod
    def resolve_to_status(change, info):
        return str(change.to_status)

    @staticmethod
    def resolve_from_status_label(change, info):
        return change.get_from_status_display() if change.from_status else ""

    @staticmethod
    def resolve_to_status_label(change, info):
        return change.get_to_status_display()


class InstrumentType(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True, description="器具名称")
    kind = graphene.String(required=True, description="器具种类")
    catalogue_item = graphene.Field(CatalogueItemOption, description="强制检定目录项；非强检为空")
    usage = graphene.Field(InstrumentUsage, description="用途；非强检为空")
    usage_label = graphene.String(required=True, description="用途名称")
    model = graphene.String(required=True, description="型号规格")
    measuring_range = graphene.String(required=True, description="测量范围")
    accuracy_class = graphene.String(required=True, description="准确度等级")
    serial_number = graphene.String(required=True, description="出厂编号")
    manufacturer = graphene.String(required=True, description="制造单位")
    installation_place = graphene.String(required=True, description="安装使用地点")
    division = graphene.Field(DivisionOption, required=True, description="使用地行政区划")
    delivery_mode = graphene.Field(DeliveryMode, required=True, description="检定方式")
    delivery_mode_label = graphene.String(required=True, description="检定方式名称")
    service_life_end = graphene.Date(description="到期更换日期（限期使用、到期轮换的器具）")
    status = graphene.Field(InstrumentStatus, required=True, description="状态")
    status_label = graphene.String(required=True, description="状态名称")
    enterprise = graphene.Field(OrganisationRef, required=True, description="使用单位")
    is_mandatory = graphene.Boolean(required=True, description="是否强制检定")
    certificate_problem = graphene.Field(
        CertificateProblemEnum, description="强检在用器具的证书情况；其他器具为空"
    )
    certificate_problem_label = graphene.String(required=True, description="证书情况说明")
    flagged = graphene.Boolean(
        required=True, description="强制检定、在用且没有有效证书（需要尽快送检）"
    )
    created_at = graphene.DateTime(required=True, description="建档时间")
    updated_at = graphene.DateTime(required=True, description="更新时间")
    status_history = graphene.List(
        graphene.NonNull(InstrumentStatusChangeType), required=True, description="状态变更历史"
    )
    certificates = graphene.List(
        graphene.NonNull(EnterpriseCertificate),
        required=True,
        description="该器具的证书，新的在前；没有证书查看权限时为空",
    )

    class Meta:
        name = "Instrument"
        description = "计量器具台账记录"

    @staticmethod
    def resolve_id(instrument, info):
        return str(instrument.pk)

    @staticmethod
    def resolve_usage(instrument, info):
        return str(instrument.usage) or None

    @staticmethod
    def resolve_status(instrument, info):
        return str(instrument.status)

    @staticmethod
    def resolve_delivery_mode(instrument, info):
        return str(instrument.delivery_mode)

    @staticmethod
    def resolve_usage_label(instrument, info):
        return instrument.get_usage_display() if instrument.usage else ""

    @staticmethod
    def resolve_delivery_mode_label(instrument, info):
        return instrument.get_delivery_mode_display()

    @staticmethod
    def resolve_status_label(instrument, info):
        return instrument.get_status_display()

    @staticmethod
    def resolve_is_mandatory(instrument, info):
        return instrument.is_mandatory

    @staticmethod
    def _problem(instrument):
        return instrument.certificate_problem_on(timezone.localdate())

    @staticmethod
    def resolve_certificate_problem(instrument, info):
        problem = InstrumentType._problem(instrument)
        return str(problem) if problem else None

    @staticmethod
    def resolve_certificate_problem_label(instrument, info):
        problem = InstrumentType._problem(instrument)
        return CertificateProblem(problem).label if problem else ""

    @staticmethod
    def resolve_flagged(instrument, info):
        problem = InstrumentType._problem(instrument)
        return problem is not None and problem != CertificateProblem.VALID

    @staticmethod
    def resolve_status_history(instrument, info):
        return InstrumentStatusChange.objects.filter(instrument=instrument).order_by(
            "changed_at", "pk"
        )

    @staticmethod
    def resolve_certificates(instrument, info):
        user = require_business_user(info)
        if not has_permission(user, "certificates.view"):
            return []
        certificates = scoped(Certificate.objects.all(), user, "certificates.view")
        return certificates.filter(instrument=instrument).order_by("-verification_date", "-pk")


# Counting stops here because a regulator's unselective query would otherwise count
# hundreds of thousands of rows for every page. 1,000 rows are 50 pages of 20, more
# than anyone pages through before narrowing the filter. At 1,000,000 instruments,
# counting to 10,000 cost a broad text search 40–100 ms per page.
MAX_COUNTED_ROWS = 1_000


class InstrumentPage(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(InstrumentType), required=True)
    total_count = graphene.Int(
        required=True, description=f"符合条件的总条数；超过 {MAX_COUNTED_ROWS:,} 条时为 {MAX_COUNTED_ROWS:,}"
    )
    total_capped = graphene.Boolean(
        required=True, description=f"符合条件的器具超过 {MAX_COUNTED_ROWS:,} 台，totalCount 只计到上限"
    )
    page = graphene.Int(required=True, description="当前页码")
    page_size = graphene.Int(required=True, description="每页条数")

    class Meta:
        description = "一页器具台账"


class InstrumentFilterInput(graphene.InputObjectType):
    status = InstrumentStatus(description="状态")
    usage = InstrumentUsage(description="用途")
    catalogue_item_id = graphene.ID(description="强制检定目录项")
    mandatory = graphene.Boolean(description="true 只看强检器具，false 只看非强检器具")
    flagged = graphene.Boolean(description="true 只看缺少有效证书的强检在用器具")
    certificate_problem = CertificateProblemEnum(description="强检在用器具的证书情况")
    division_code = graphene.String(description="使用地行政区划，含下级区划")
    delivery_mode = DeliveryMode(description="检定方式")
    enterprise_id = graphene.ID(description="使用单位（监管部门查询辖区内某企业）")
    service_life_end_before = graphene.Date(description="到期更换日期不晚于该日")
    search = graphene.String(
        description="模糊查询：器具名称、型号规格、出厂编号、制造单位或安装使用地点，空格分隔多个词"
    )

    class Meta:
        description = "器具台账查询条件，各条件同时满足"


FILTER_KEYS = {
    "catalogue_item_id": "catalogue_item",
    "division_code": "division",
    "enterprise_id": "enterprise",
}


def filter_instruments(queryset, filter_input):
    """Apply ``filter_input`` (an InstrumentFilterInput) through InstrumentFilterSet."""
    data = {}
    for key, value in dict(filter_input or {}).items():
        if value is None or value == "":
            continue
        if key in ("catalogue_item_id", "enterprise_id"):
            value = parse_id(value, "目录项" if key == "catalogue_item_id" else "单位")
        data[FILTER_KEYS.get(key, key)] = _enum_value(value)
    filterset = InstrumentFilterSet(data=data, queryset=queryset)
    if not filterset.is_valid():
        fields = "、".join(sorted(filterset.errors))
        raise PublicError(f"查询条件无效（{fields}），请检查后重试。", code="INVALID_FILTER")
    return filterset.qs


def ledger_queryset(user, permission: str = "instruments.view"):
    """Return the instruments ``user`` may see with ``permission``, scoped by business.access.

    A regulator's division scope reads the copy of the enterprise's division on
    each instrument, which PostgreSQL combines with the other indexes of a filter.
    """
    instruments = scoped(Instrument.objects.all(), user, permission)
    return instruments.select_related("catalogue_item", "division", "enterprise")


def ledger_page(instruments, page: int, page_size: int) -> InstrumentPage:
    """Cut one page of ``instruments``, newest first, and count them up to MAX_COUNTED_ROWS.

    The matching ids are read first, up to one more than MAX_COUNTED_ROWS, in
    whatever order the database finds them fastest. When that is all of them, the
    page is cut from them in Python. Only a larger result reads the page in order,
    as the newest rows then match often enough to be found quickly. Ordering a few
    hundred scattered matches in SQL made PostgreSQL walk the newest rows of the
    whole province instead (0.1 s for one county's rows at 1,000,000 instruments).
    """
    # paginate() on an empty queryset runs no query and only checks page and page size.
    paginate(Instrument.objects.none(), page, page_size)
    matching = list(instruments.order_by().values_list("pk", flat=True)[: MAX_COUNTED_ROWS + 1])
    counted = len(matching)
    start = (page - 1) * page_size
    if counted <= MAX_COUNTED_ROWS:
        page_ids = sorted(matching, reverse=True)[start : start + page_size]
    elif start < MAX_COUNTED_ROWS:
        page_ids = list(instruments.order_by("-pk").values_list("pk", flat=True)[start : start + page_size])
    else:
        page_ids = []
    # The page's rows with their related rows by id: joining the catalogue, division
    # and enterprise for every matching row before the sort was several times slower.
    rows = Instrument.objects.select_related("catalogue_item", "division", "enterprise").in_bulk(page_ids)
    return InstrumentPage(
        items=[rows[pk] for pk in page_ids],
        total_count=min(counted, MAX_COUNTED_ROWS),
        total_capped=counted > MAX_COUNTED_ROWS,
        page=page,
        page_size=page_size,
    )


class InstrumentInput(graphene.InputObjectType):
    name = graphene.String(required=True, description="器具名称")
    catalogue_item_id = graphene.ID(description="强制检定目录项；非强检器具不填")
    kind = graphene.String(description="器具种类；强检器具必填")
    usage = InstrumentUsage(description="用途；强检器具必填")
    model = graphene.String(description="型号规格")
    measuring_range = graphene.String(description="测量范围")
    accuracy_class = graphene.String(description="准确度等级")
    serial_number = graphene.String(required=True, description="出厂编号")
    manufacturer = graphene.String(description="制造单位")
    installation_place = graphene.String(description="安装使用地点")
    division_code = graphene.String(description="使用地县级行政区划代码；不填时为本单位所在县区")
    delivery_mode = DeliveryMode(description="检定方式，默认送检")
    service_life_end = graphene.Date(description="到期更换日期，仅限期使用、到期轮换的器具填写")

    class Meta:
        description = "器具备案信息"


def _model_values(input_data) -> tuple[dict, list[tuple[str, str, str]]]:
    """Turn an InstrumentInput into service field values and look-up errors."""
    values, problems = {}, []
    for key in (
        "name",
        "kind",
        "model",
        "measuring_range",
        "accuracy_class",
        "serial_number",
        "manufacturer",
        "installation_place",
    ):
        if key in input_data:
            values[key] = input_data[key] or ""
    if "usage" in input_data:
        values["usage"] = _enum_value(input_data["usage"]) or ""
    if "delivery_mode" in input_data:
        values["delivery_mode"] = (
            _enum_value(input_data["delivery_mode"]) or Instrument.DeliveryMode.SEND
        )
    if "service_life_end" in input_data:
        values["service_life_end"] = input_data["service_life_end"]

    if "catalogue_item_id" in input_data:
        item_id = input_data["catalogue_item_id"]
        values["catalogue_item"] = None
        if item_id:
            item = CatalogueItem.objects.filter(pk=parse_id(item_id, "目录项")).first()
            if item is None:
                problems.append(
                    ("catalogueItemId", "所选强制检定目录项不存在，请重新选择。", "not_found")
                )
            values["catalogue_item"] = item

    if "division_code" in input_data:
        code = (input_data["division_code"] or "").strip()
        values["division"] = None
        if code:
            division = Division.objects.filter(pk=code).first()
            if division is None:
                problems.append(
                    ("divisionCode", f"没有行政区划代码“{code}”，请从列表中选择县（市、区）。", "not_found")
                )
            values["division"] = division
    return values, problems


def _service_errors(error: services.InstrumentError) -> list[FieldError]:
    if isinstance(error, services.InstrumentValidationError):
        return field_errors(
            (INPUT_FIELD_NAMES.get(item.field, item.field), item.message, item.code)
            for item in error.errors
        )
    return field_errors([(None, error.message, error.code)])


class FileInstrument(graphene.Mutation):
    class Meta:
        name = "FileInstrumentPayload"
        description = "器具备案结果"

    class Arguments:
        input = InstrumentInput(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    instrument = graphene.Field(InstrumentType)

    @staticmethod
    def mutate(root, info, input):
        user = require_business_user(info)
        require_permission(user, "instruments.manage")
        values, problems = _model_values(dict(input))
        if problems:
            return FileInstrument(errors=field_errors(problems))
        # Without a division the service uses the enterprise's own county.
        if "division" in values and values["division"] is None:
            del values["division"]
        try:
            instrument = services.file_instrument(
                user.organisation, actor=user, request_info=request_info(info), **values
            )
        except services.InstrumentError as error:
            return FileInstrument(errors=_service_errors(error))
        return FileInstrument(errors=[], instrument=instrument)


class UpdateInstrument(graphene.Mutation):
    class Meta:
        name = "UpdateInstrumentPayload"
        description = "修改器具信息的结果"

    class Arguments:
        id = graphene.ID(required=True)
        input = InstrumentInput(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    instrument = graphene.Field(InstrumentType)

    @staticmethod
    def mutate(root, info, id, input):
        user = require_business_user(info)
        instrument = get_in_scope(
            Instrument.objects.all(), user, "instruments.manage", parse_id(id, "器具"), noun="器具"
        )
        values, problems = _model_values(dict(input))
        if problems:
            return UpdateInstrument(errors=field_errors(problems))
        if values.get("division", 1) is None:
            values["division"] = services.default_division(instrument.enterprise)
        try:
            instrument = services.update_instrument(
                instrument, actor=user, request_info=request_info(info), **values
            )
        except services.InstrumentError as error:
            return UpdateInstrument(errors=_service_errors(error))
        return UpdateInstrument(errors=[], instrument=instrument)


def _status_mutation(name: str, description: str, service, reason_required: bool):
    """Build the mutation class of one status transition (disable, enable or scrap)."""

    def mutate(root, info, id, reason=""):
        user = require_business_user(info)
        instrument = get_in_scope(
            Instrument.objects.all(), user, "instruments.manage", parse_id(id, "器具"), noun="器具"
        )
        try:
            instrument = service(
                instrument, reason or "", actor=user, request_info=request_info(info)
            )
        except services.InstrumentError as error:
            field = "reason" if error.code in ("missing_reason", "reason_too_long") else None
            return mutation(errors=field_errors([(field, error.message, error.code)]))
        return mutation(errors=[], instrument=instrument)

    arguments = type(
        "Arguments",
        (),
        {
            "id": graphene.ID(required=True),
            "reason": graphene.String(
                required=reason_required, description="原因，最多 200 个字"
            ),
        },
    )
    mutation = type(
        name,
        (graphene.Mutation,),
        {
            "Meta": type("Meta", (), {"name": f"{name}Payload", "description": description}),
            "Arguments": arguments,
            "errors": graphene.List(graphene.NonNull(FieldError), required=True),
            "instrument": graphene.Field(InstrumentType),
            "mutate": staticmethod(mutate),
        },
    )
    return mutation


DisableInstrument = _status_mutation(
    "DisableInstrument", "停用器具的结果", services.disable_instrument, True
)
EnableInstrument = _status_mutation(
    "EnableInstrument", "恢复使用的结果", services.enable_instrument, False
)
ScrapInstrument = _status_mutation(
    "ScrapInstrument", "报废器具的结果；报废后不能恢复", services.scrap_instrument, True
)


class ImportError_(graphene.ObjectType):
    row = graphene.Int(description="Excel 中的行号；整个文件的问题为空")
    column = graphene.String(required=True, description="列字母，如 H")
    header = graphene.String(required=True, description="列名")
    value = graphene.String(required=True, description="单元格内容")
    message = graphene.String(required=True, description="错误说明和修改方法")
    code = graphene.String(required=True, description="错误代码")

    class Meta:
        name = "InstrumentImportError"
        description = "导入文件中的一个错误"


def decode_upload(text: str, max_bytes: int) -> bytes:
    """Decode the base64 text of an upload after checking its length; raise PublicError."""
    if text.startswith("data:"):
        _, _, text = text.partition(",")
    compact = "".join(text.split()) if len(text) <= 2 * (max_bytes // 3 + 1) * 4 else None
    if compact is None or len(compact) > (max_bytes // 3 + 1) * 4:
        raise PublicError(
            f"文件超过 {max_bytes // (1024 * 1024)} MB 的上限，请分成几个文件上传。",
            code="FILE_TOO_LARGE",
        )
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise PublicError("文件的 Base64 编码无效，请重新选择文件上传。", code="INVALID_FILE") from None


class ImportInstruments(graphene.Mutation):
    class Meta:
        name = "ImportInstrumentsPayload"
        description = "批量导入结果：全部导入，或者列出全部错误且不导入任何一行"

    class Arguments:
        file_base64 = graphene.String(required=True, description="填写好的导入模板（.xlsx）的 Base64 编码")
        file_name = graphene.String(description="原文件名，仅供记录")

    errors = graphene.List(graphene.NonNull(ImportError_), required=True)
    created_count = graphene.Int(required=True, description="导入的器具数量；有错误时为 0")

    @staticmethod
    def mutate(root, info, file_base64, file_name=""):
        user = require_business_user(info)
        require_permission(user, "instruments.manage")
        content = decode_upload(file_base64, MAX_FILE_BYTES)
        try:
            result = import_instruments(
                user.organisation, content, actor=user, request_info=request_info(info)
            )
        except services.InstrumentError as error:
            raise PublicError(error.message, code=error.code.upper()) from None
        return ImportInstruments(
            errors=[
                ImportError_(
                    row=error.row,
                    column=error.column,
                    header=error.header,
                    value=error.value,
                    message=error.message,
                    code=error.code,
                )
                for error in result.errors
            ],
            created_count=len(result.created),
        )


class DownloadFile(graphene.ObjectType):
    file_name = graphene.String(required=True, description="建议的文件名")
    content_type = graphene.String(required=True, description="文件类型")
    content_base64 = graphene.String(required=True, description="文件内容的 Base64 编码")

    class Meta:
        description = "供浏览器保存的文件"


class ExportInstruments(graphene.Mutation):
    class Meta:
        name = "ExportInstrumentsPayload"
        description = "导出台账的结果"

    class Arguments:
        filter = InstrumentFilterInput()

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    file = graphene.Field(DownloadFile)
    row_count = graphene.Int(required=True, description="导出的器具数量")

    @staticmethod
    def mutate(root, info, filter=None):
        user = require_business_user(info)
        instruments = filter_instruments(
            scoped(Instrument.objects.all(), user, "instruments.export"), filter
        )
        row_count = instruments.count()
        if row_count > MAX_EXPORT_ROWS:
            return ExportInstruments(
                errors=field_errors(
                    [
                        (
                            None,
                            f"符合条件的器具有 {row_count:,} 台，一次最多导出 {MAX_EXPORT_ROWS:,} 台，"
                            "请增加查询条件（如区划、状态）后分批导出。",
                            "too_many_rows",
                        )
                    ]
                ),
                row_count=row_count,
            )

        content = export_instruments(instruments)
        audit.record_event(
            "instrument.export",
            actor=audit.business_actor(user),
            request_info=request_info(info),
            object_type="organisation",
            object_id=user.organisation_id,
            changes={"rows": (None, row_count), "filter": (None, _filter_summary(filter))},
        )
        logger.info("Business user %s exported %s instrument(s)", user.pk, row_count)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return ExportInstruments(
            errors=[],
            row_count=row_count,
            file=DownloadFile(
                file_name=f"器具台账-{stamp}.xlsx",
                content_type=XLSX_CONTENT_TYPE,
                content_base64=base64.b64encode(content).decode("ascii"),
            ),
        )


def _filter_summary(filter_input) -> str:
    parts = []
    for key, value in sorted(dict(filter_input or {}).items()):
        if value is not None and value != "":
            parts.append(f"{key}={_enum_value(value)}")
    return ", ".join(parts)[:500]


class LedgerQuery(graphene.ObjectType):
    instruments = graphene.Field(
        InstrumentPage,
        required=True,
        filter=InstrumentFilterInput(),
        **page_arguments(),
        description="器具台账列表，新备案的在前；企业看本单位，监管部门看辖区内企业",
    )
    instrument = graphene.Field(
        InstrumentType,
        required=True,
        id=graphene.ID(required=True),
        description="一台器具的详情；不在数据范围内时返回 NOT_FOUND",
    )
    instrument_import_template = graphene.Field(
        DownloadFile, required=True, description="器具台账批量导入模板（.xlsx）"
    )
    catalogue_items = graphene.List(
        graphene.NonNull(CatalogueItemOption),
        required=True,
        search=graphene.String(description="序号、项目或种类中的文字"),
        description="强制检定目录选择列表，最多 50 项",
    )
    # The division picker is the public ``divisions(parentCode)`` query of the
    # organisations app.
    @staticmethod
    def resolve_instruments(root, info, filter=None, page=1, page_size=20):
        user = require_business_user(info)
        instruments = filter_instruments(ledger_queryset(user), filter)
        return ledger_page(instruments, page, page_size)

    @staticmethod
    def resolve_instrument(root, info, id):
        user = require_business_user(info)
        return get_in_scope(
            ledger_queryset(user),
            user,
            "instruments.view",
            parse_id(id, "器具"),
            noun="器具",
        )

    @staticmethod
    def resolve_instrument_import_template(root, info):
        user = require_business_user(info)
        require_permission(user, "instruments.manage")
        return DownloadFile(
            file_name="器具台账导入模板.xlsx",
            content_type=XLSX_CONTENT_TYPE,
            content_base64=base64.b64encode(build_import_template()).decode("ascii"),
        )

    @staticmethod
    def resolve_catalogue_items(root, info, search=""):
        require_business_user(info)
        items = CatalogueItem.objects.order_by("number")
        text = (search or "").strip()[:50]
        if text.isdigit():
            items = items.filter(number=int(text))
        elif text:
            items = items.filter(Q(item_name__icontains=text) | Q(kinds__icontains=text))
        return items[:50]


class LedgerMutation(graphene.ObjectType):
    file_instrument = FileInstrument.Field(description="器具备案：在本单位台账中登记一台计量器具")
    update_instrument = UpdateInstrument.Field(description="修改器具信息（报废的器具不能修改）")
    disable_instrument = DisableInstrument.Field(description="停用在用器具，须填写原因")
    enable_instrument = EnableInstrument.Field(description="停用的器具恢复使用")
    scrap_instrument = ScrapInstrument.Field(description="报废器具，须填写原因；报废后不能恢复")
    import_instruments = ImportInstruments.Field(
        description="从导入模板批量备案：有任何错误时不导入任何一行，并按行、列列出全部错误"
    )
    export_instruments = ExportInstruments.Field(description="按查询条件导出器具台账（.xlsx）")
