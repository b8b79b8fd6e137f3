"""GraphQL API of QR labels: the label screen's instrument list, the PDF, the public status.

Instrument ids are the plain integer primary keys, sent as strings.
"""

import base64

import graphene
from django.conf import settings

from business.access import require_permission
from business.accounts.permissions import require_business_user
from business.audit import services as audit
from business.core import ratelimit
from business.core.api.errors import FieldError, RateLimitedError, field_errors
from business.core.api.pagination import page_arguments, page_type, paginate

from . import pdf, services
from .sheets import SIZES

LabelSizeEnum = graphene.Enum(
    "LabelSize",
    [(code.upper(), code) for code in SIZES],
    description="标签尺寸：" + "、".join(f"{code.upper()} {size.label}" for code, size in SIZES.items()),
)


class LabelInstrument(graphene.ObjectType):
    id = graphene.ID(required=True, description="器具编号")
    name = graphene.String(required=True, description="器具名称")
    model = graphene.String(required=True, description="型号规格")
    serial_number = graphene.String(required=True, description="出厂编号")
    status_label = graphene.String(required=True, description="状态")
    is_mandatory = graphene.Boolean(required=True, description="是否强制检定")

    class Meta:
        description = "可打印标签的器具"

    @staticmethod
    def from_instrument(instrument) -> "LabelInstrument":
        return LabelInstrument(
            id=str(instrument.pk),
            name=instrument.name,
            model=instrument.model,
            serial_number=instrument.serial_number,
            status_label=instrument.get_status_display(),
            is_mandatory=instrument.is_mandatory,
        )


LabelInstrumentPage = page_type(LabelInstrument, "LabelInstrumentPage", "一页可打印标签的器具")


class LabelSizeOption(graphene.ObjectType):
    size = graphene.Field(LabelSizeEnum, required=True)
    label = graphene.String(required=True, description="尺寸的中文说明，例如“50×30 毫米”")
    per_sheet = graphene.Int(required=True, description="每张 A4 纸可排的标签数")

    class Meta:
        description = "一种标签尺寸"


class LabelFilterInput(graphene.InputObjectType):
    text = graphene.String(description="按器具名称、型号规格或出厂编号模糊查找")
    mandatory_only = graphene.Boolean(description="只要强制检定的器具")

    class Meta:
        description = "标签打印的器具筛选条件"


class PublicCertificateSummary(graphene.ObjectType):
    number = graphene.String(required=True, description="证书编号")
    kind_label = graphene.String(required=True, description="证书类型")
    conclusion = graphene.String(required=True, description="结论")
    valid_until = graphene.Date(description="有效期至；没有有效期时为 null")
    institution_name = graphene.String(required=True, description="出具证书的技术机构")
    status_label = graphene.String(required=True, description="证书状态")

    class Meta:
        description = "器具最近一份证书的公开信息"


class InstrumentStatus(graphene.ObjectType):
    name = graphene.String(required=True, description="器具名称")
    model = graphene.String(required=True, description="型号规格")
    status_label = graphene.String(required=True, description="器具状态：在用、停用或报废")
    is_mandatory = graphene.Boolean(required=True, description="是否属于强制检定")
    certificate = graphene.Field(PublicCertificateSummary, description="最近一份证书，没有时为 null")
    certificate_valid = graphene.Boolean(
        required=True, description="最近的证书今天是否有效（未作废、未过期、不是检定结果通知书）"
    )

    class Meta:
        description = "扫描器具标签二维码看到的公开状态，不含任何个人信息"


def _instrument_ids(values) -> list[int] | None:
    ids = []
    for value in values:
        if not (isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18):
            return None
        ids.append(int(value))
    return ids


def _filter(value) -> services.InstrumentFilter:
    if value is None:
        return services.InstrumentFilter()
    return services.InstrumentFilter(
        text=(value.text or "")[:100], mandatory_only=bool(value.mandatory_only)
    )


class PrintInstrumentLabels(graphene.Mutation):
    class Meta:
        name = "PrintInstrumentLabelsPayload"
        description = "标签 PDF"

    class Arguments:
        size = LabelSizeEnum(required=True, description="标签尺寸")
        instrument_ids = graphene.List(
            graphene.NonNull(graphene.ID),
            description="要打印的器具编号；不传时打印符合 filter 的全部器具。"
            f"一次最多 {services.MAX_LABELS} 张",
        )
        filter = LabelFilterInput(description="不传 instrumentIds 时使用的筛选条件")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    file_name = graphene.String(description="建议的文件名")
    content_base64 = graphene.String(description="PDF 文件内容的 Base64 编码")
    label_count = graphene.Int(required=True, description="标签张数")

    @staticmethod
    def mutate(root, info, size, instrument_ids=None, filter=None):
        user = require_business_user(info)
        require_permission(user, services.PERMISSION)
        size_code = getattr(size, "value", size)

        ids = None
        if instrument_ids is not None:
            ids = _instrument_ids(instrument_ids)
            if ids is None:
                problem = ("instrumentIds", "器具编号无效，请刷新列表后重新选择。", "INVALID_ID")
                return PrintInstrumentLabels(errors=field_errors([problem]), label_count=0)
        try:
            instruments = services.select_instruments(user, ids, _filter(filter))
        except services.LabelError as error:
            return PrintInstrumentLabels(errors=field_errors(error.errors), label_count=0)

        tokens = services.tokens_for(instruments)
        content = pdf.render_labels_pdf(instruments, tokens, SIZES[size_code])
        channel = "mobile" if getattr(info.context, "access_token", None) is not None else "pc"
        services.record_print(
            user, instruments, size_code, audit.request_info_from(info.context, channel)
        )
        return PrintInstrumentLabels(
            errors=[],
            file_name=f"器具标签-{SIZES[size_code].width_mm}x{SIZES[size_code].height_mm}.pdf",
            content_base64=base64.b64encode(content).decode("ascii"),
            label_count=len(instruments),
        )


class LabelQuery(graphene.ObjectType):
    label_instruments = graphene.Field(
        LabelInstrumentPage,
        required=True,
        filter=LabelFilterInput(),
        **page_arguments(),
        description="当前用户可打印标签的器具（不含已报废的），按名称排序。需要“打印器具二维码标签”权限。",
    )
    label_sizes = graphene.List(
        graphene.NonNull(LabelSizeOption), required=True, description="可选的标签尺寸"
    )
    instrument_status = graphene.Field(
        InstrumentStatus,
        token=graphene.String(required=True, description="标签二维码中的令牌"),
        description="公开查询：按标签二维码中的令牌返回器具的检定状态；令牌无效时为 null。"
        "按客户端地址限制查询频率。",
    )

    @staticmethod
    def resolve_label_instruments(root, info, filter=None, page=1, page_size=20):
        user = require_business_user(info)
        queryset = services.printable_instruments(user, _filter(filter))
        result = paginate(queryset, page, page_size)
        result["items"] = [LabelInstrument.from_instrument(item) for item in result["items"]]
        return LabelInstrumentPage(**result)

    @staticmethod
    def resolve_label_sizes(root, info):
        return [
            LabelSizeOption(size=code, label=size.label, per_sheet=size.per_sheet)
            for code, size in SIZES.items()
        ]

    @staticmethod
    def resolve_instrument_status(root, info, token):
        # Shares the certificate check's limit: both are public look-ups by printed code.
        allowed = ratelimit.hit(
            "instrument-status",
            ratelimit.client_ip(info.context),
            limit=settings.CERTIFICATE_CHECK_RATE_LIMIT,
            window_seconds=settings.CERTIFICATE_CHECK_RATE_WINDOW_SECONDS,
        )
        if not allowed:
            raise RateLimitedError()
        status = services.public_status(token)
        if status is None:
            return None
        certificate = status.certificate
        summary = None
        if certificate is not None:
            summary = PublicCertificateSummary(
                number=certificate.number,
                kind_label=certificate.get_kind_display(),
                conclusion=certificate.conclusion,
                valid_until=certificate.valid_until,
                institution_name=certificate.institution_name,
                status_label=certificate.get_status_display(),
            )
        return InstrumentStatus(
            name=status.name,
            model=status.model,
            status_label=status.status_label,
            is_mandatory=status.is_mandatory,
            certificate=summary,
            certificate_valid=status.certificate_valid,
        )


class LabelMutation(graphene.ObjectType):
    print_instrument_labels = PrintInstrumentLabels.Field(
        description="生成所选器具的二维码标签 PDF（A4 排版）"
    )
