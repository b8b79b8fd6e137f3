"""Entering, checking and approving verification records online.

A record goes entered → checked → approved. The verifier (检定员), checker (核验员)
and approver (批准人) are three different business users of the institution, each
with the matching permission and qualified for the instrument's catalogue item on
the verification date. Approval issues the certificate (a verification certificate
when the instrument passed, a result notice when it failed) through
business.certificates.services.
"""

import datetime
import logging
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from business.access import NotFoundError, has_permission, require_permission, scoped
from business.applications import notifications
from business.applications import services as applications
from business.applications.models import ApplicationItem, ApplicationStatus
from business.audit import services as audit
from business.certificates import services as certificates
from business.messages.models import Message
from business.messages.services import notify
from business.qualifications.services import is_qualified
from business.standards import services as standards
from business.standards.models import MeasurementStandard

from .models import RecordStatus, RecordTemplate, TemplateField, VerificationRecord

logger = logging.getLogger(__name__)

RECORD_LINK = "/workbench/records/{id}"
RECORD_PERMISSIONS = ("records.enter", "records.check", "records.approve")
ENTRY_STATUSES = (ApplicationStatus.ACCEPTED, ApplicationStatus.IN_VERIFICATION)
MAX_TEXT_LENGTH = 500
MAX_VALUE_LENGTH = 100
MAX_STANDARDS = 20
VERDICT_VALUES = {"合格": "合格", "不合格": "不合格", "qualified": "合格", "unqualified": "不合格"}

# The generic form used for a regulation that has no template of its own yet:
# (section, item, key, label, unit, type, required).
GENERIC_TEMPLATE_FIELDS = [
    ("environment", "", "temperature", "温度", "℃", "number", True),
    ("environment", "", "humidity", "相对湿度", "%RH", "number", True),
    ("item", "外观检查", "appearance", "外观检查结果", "", "verdict", True),
    ("item", "示值误差", "indication_error", "最大示值误差", "", "number", True),
    ("item", "示值误差", "max_permissible_error", "最大允许误差", "", "number", True),
    ("item", "重复性", "repeatability", "重复性", "", "number", False),
]


class RecordError(Exception):
    """Rejected input or a broken rule; ``errors`` contains (field, message, code) tuples."""

    def __init__(self, errors: list[tuple[str | None, str, str]]):
        super().__init__("".join(message for _, message, _ in errors))
        self.errors = errors


def _fail(field: str | None, message: str, code: str):
    raise RecordError([(field, message, code)])


def _name(user) -> str:
    return user.display_name or user.username


# ---------------------------------------------------------------------------
# Reading


def visible_records(user):
    """Records of the user's institution that they may see with any record permission."""
    held = [permission for permission in RECORD_PERMISSIONS if has_permission(user, permission)]
    if not held:
        require_permission(user, "records.enter")
    return scoped(VerificationRecord.objects.all(), user, held[0]).filter(
        institution_id=user.organisation_id
    )


def get_record(user, pk, permission: str | None = None) -> VerificationRecord:
    queryset = (
        scoped(VerificationRecord.objects.all(), user, permission).filter(
            institution_id=user.organisation_id
        )
        if permission
        else visible_records(user)
    )
    try:
        return queryset.select_related(
            "instrument__catalogue_item",
            "instrument__enterprise",
            "institution",
            "template",
            "regulation",
            "application_item__application",
            "verifier",
            "checker",
            "approver",
        ).get(pk=pk)
    except (VerificationRecord.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("检定记录") from None


def samples_awaiting_entry(user):
    """Received samples of the user's institution that have no record yet."""
    require_permission(user, "records.enter")
    return (
        ApplicationItem.objects.filter(
            application__institution_id=user.organisation_id,
            application__status__in=ENTRY_STATUSES,
            record__isnull=True,
        )
        .exclude(sample_number="")
        .select_related("instrument__catalogue_item", "application__enterprise")
        .order_by("application__received_at", "pk")
    )


def get_sample(user, item_id) -> ApplicationItem:
    try:
        return (
            ApplicationItem.objects.filter(
                application__institution_id=user.organisation_id,
                application__status__in=ENTRY_STATUSES,
            )
            .exclude(sample_number="")
            .select_related("instrument__catalogue_item", "instrument__enterprise", "application")
            .get(pk=int(item_id))
        )
    except (ApplicationItem.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("样品") from None


def regulation_for(instrument):
    """Return the first regulation the catalogue lists for the instrument's item, or None."""
    item = instrument.catalogue_item
    if item is None:
        return None
    return item.regulations.order_by("code").first()


def template_for(regulation, institution) -> RecordTemplate:
    """Return the institution's active template for ``regulation``, else the shared one.

    A regulation without any template gets the generic template (environment, visual
    check, indication error, repeatability), created on first use.
    """
    templates = RecordTemplate.objects.filter(regulation=regulation, is_active=True)
    own = templates.filter(institution=institution).order_by("-pk").first()
    if own is not None:
        return own
    shared = templates.filter(institution__isnull=True).order_by("-pk").first()
    if shared is not None:
        return shared
    return create_generic_template(regulation)


@transaction.atomic
def create_generic_template(regulation) -> RecordTemplate:
    template = RecordTemplate.objects.create(
        regulation=regulation, name=f"{regulation.name}检定原始记录"
    )
    TemplateField.objects.bulk_create(
        TemplateField(
            template=template,
            section=section,
            item_name=item,
            key=key,
            label=label,
            unit=unit,
            value_type=value_type,
            required=required,
            position=position,
        )
        for position, (section, item, key, label, unit, value_type, required) in enumerate(
            GENERIC_TEMPLATE_FIELDS
        )
    )
    logger.info("Created generic record template %s for regulation %s", template.pk, regulation.pk)
    return template


# ---------------------------------------------------------------------------
# Rules


def check_qualified(user, instrument, on_date: datetime.date, role: str) -> None:
    """Raise RecordError unless ``user`` has a valid verifier certificate for the item."""
    item = instrument.catalogue_item
    if item is None:
        # TODO: check non-mandatory instruments once qualifications cover regulations
        # without a catalogue item.
        return
    if not is_qualified(user, item, on_date):
        _fail(
            None,
            f"{role}{_name(user)}在 {on_date.isoformat()} 没有“{item.item_name}”有效的检定员证，"
            f"不能担任该记录的{role}。请由持证人员办理，或先在人员资格中登记有效证书。",
            "not_qualified",
        )


def standard_problems(standard_ids, on_date: datetime.date) -> list[str]:
    """Why any of the measurement standards cannot be used on ``on_date`` (empty: all usable)."""
    return [problem.message for problem in standards.problems_on(standard_ids, on_date)]


def _clean_value(field: TemplateField, raw) -> str:
    text = "" if raw is None else str(raw).strip()
    if not text:
        return ""
    label = field.label
    if len(text) > MAX_VALUE_LENGTH:
        _fail(f"data.{field.key}", f"“{label}”最多 {MAX_VALUE_LENGTH} 个字符，请缩短。", "too_long")
    if field.value_type == TemplateField.ValueType.NUMBER:
        try:
            number = Decimal(text)
        except InvalidOperation:
            _fail(
                f"data.{field.key}", f"“{label}”应填写数字，现为“{text}”，请修改。", "not_a_number"
            )
        if not number.is_finite():
            _fail(f"data.{field.key}", f"“{label}”应填写有限的数字，请修改。", "not_a_number")
    if field.value_type == TemplateField.ValueType.VERDICT:
        if text not in VERDICT_VALUES:
            _fail(
                f"data.{field.key}", f"“{label}”应填写“合格”或“不合格”，请修改。", "invalid_verdict"
            )
        text = VERDICT_VALUES[text]
    return text


def clean_data(template: RecordTemplate, data: dict | None) -> dict[str, str]:
    """Check the entered values against the template; list every problem at once."""
    data = data or {}
    fields = list(template.fields.all())
    known = {field.key for field in fields}
    errors = []
    for key in sorted(set(data) - known):
        errors.append(
            (f"data.{key}", f"模板中没有字段“{key}”，请刷新页面后重新录入。", "unknown_field")
        )
    cleaned = {}
    for field in fields:
        try:
            value = _clean_value(field, data.get(field.key))
        except RecordError as error:
            errors.extend(error.errors)
            continue
        if not value and field.required:
            unit = f"（{field.unit}）" if field.unit else ""
            where = f"检定项目“{field.item_name}”的" if field.item_name else "环境条件"
            errors.append(
                (
                    f"data.{field.key}",
                    f"缺少必填数据：请填写{where}“{field.label}”{unit}。",
                    "required",
                )
            )
            continue
        if value:
            cleaned[field.key] = value
    if errors:
        raise RecordError(errors)
    return cleaned


def _clean_date(verification_date, received_at) -> datetime.date:
    if verification_date is None:
        _fail("verificationDate", "请填写检定日期。", "required")
    if verification_date > timezone.localdate():
        _fail("verificationDate", "检定日期不能晚于今天，请修改。", "in_future")
    if received_at and verification_date < timezone.localtime(received_at).date():
        _fail("verificationDate", "检定日期不能早于器具受理日期，请修改。", "before_receipt")
    return verification_date


def _clean_standards(user, standard_ids, on_date) -> list[MeasurementStandard]:
    ids = []
    for value in standard_ids or []:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            _fail("standardIds", "计量标准编号无效，请重新选择。", "invalid_id")
    ids = list(dict.fromkeys(ids))
    if not ids:
        _fail("standardIds", "请选择本次检定使用的计量标准。", "required")
    if len(ids) > MAX_STANDARDS:
        _fail("standardIds", f"一条记录最多选择 {MAX_STANDARDS} 项计量标准。", "too_many")
    rows = list(MeasurementStandard.objects.filter(pk__in=ids, institution_id=user.organisation_id))
    if len(rows) != len(ids):
        _fail("standardIds", "所选计量标准不存在或不属于本机构，请重新选择。", "not_found")
    problems = standard_problems(ids, on_date)
    if problems:
        raise RecordError([("standardIds", message, "standard_unusable") for message in problems])
    return rows


def _tell_institution(record, permission: str, title: str) -> None:
    """Send the record's next step to the institution's users with ``permission``."""
    recipients = notifications.holders([record.institution_id], permission)
    body = f"原始记录 {record.record_number}"
    notify(recipients, Message.Kind.TASK, title, body, RECORD_LINK.format(id=record.pk))


def _record_event(action: str, record, user, request_info, changes) -> None:
    audit.record_event(
        f"record.{action}",
        actor=audit.business_actor(user),
        request_info=request_info,
        object_type="verification_record",
        object_id=record.record_number,
        changes=changes,
    )


# ---------------------------------------------------------------------------
# Entering, checking, approving


@transaction.atomic
def enter_record(
    user,
    item_id,
    *,
    verification_date,
    conclusion: str,
    data: dict,
    standard_ids,
    accuracy_grade: str = "",
    place: str = "",
    request_info: audit.RequestInfo = audit.SYSTEM_REQUEST,
) -> VerificationRecord:
    """Enter (or correct after it was sent back) the record of a received sample."""
    require_permission(user, "records.enter")
    item = get_sample(user, item_id)
    application = item.application
    instrument = item.instrument
    existing = (
        VerificationRecord.objects.select_for_update(of=("self",))
        .filter(application_item=item)
        .first()
    )
    if existing is not None and (
        existing.status != RecordStatus.ENTERED or existing.verifier_id != user.pk
    ):
        _fail(None, "该样品已有检定记录，只有退回后由原检定员修改。", "already_entered")

    regulation = regulation_for(instrument)
    if regulation is None:
        _fail(
            None,
            f"器具“{instrument}”没有对应的检定规程，无法选择原始记录模板，请联系管理员补全强制检定目录。",
            "missing_regulation",
        )
    template = template_for(regulation, application.institution)
    verification_date = _clean_date(verification_date, application.received_at)
    if conclusion not in (
        VerificationRecord.Conclusion.QUALIFIED,
        VerificationRecord.Conclusion.UNQUALIFIED,
    ):
        _fail("conclusion", "请选择检定结论：合格或不合格。", "required")
    accuracy_grade = (accuracy_grade or "").strip()[:50]
    place = (place or "").strip()
    if len(place) > 200:
        _fail("place", "检定地点最多 200 个字符，请缩短。", "too_long")
    cleaned = clean_data(template, data)
    used_standards = _clean_standards(user, standard_ids, verification_date)
    check_qualified(user, instrument, verification_date, "检定员")

    record = existing or VerificationRecord(
        instrument=instrument,
        institution=application.institution,
        application_item=item,
        record_number=f"JL-{item.sample_number}",
        status=RecordStatus.ENTERED,
    )
    record.regulation = regulation
    record.template = template
    record.verification_date = verification_date
    record.conclusion = conclusion
    record.accuracy_grade = accuracy_grade
    record.place = place or (
        "现场" if application.delivery_mode == "on_site" else application.institution.name
    )
    record.data = cleaned
    record.verifier = user
    record.verifier_name = _name(user)
    record.return_reason = ""
    record.save()
    record.standards.set(used_standards)

    _record_event(
        "enter",
        record,
        user,
        request_info,
        {
            "status": (None, RecordStatus.ENTERED),
            "conclusion": (None, conclusion),
            "sample": (None, item.sample_number),
        },
    )
    applications.note_record_entered(application.pk, user)
    _tell_institution(
        record, "records.check", f"待核验：{instrument.name}（样品 {item.sample_number}）"
    )
    logger.info("Record %s entered for sample %s by user %s", record.pk, item.pk, user.pk)
    return record


def _lock_record(user, record_id, permission) -> VerificationRecord:
    record = get_record(user, record_id, permission)
    return (
        VerificationRecord.objects.select_for_update(of=("self",))
        .select_related(
            "instrument__catalogue_item",
            "institution",
            "verifier",
            "checker",
            "application_item__application",
        )
        .get(pk=record.pk)
    )


@transaction.atomic
def check_record(
    user, record_id, *, comment: str = "", request_info: audit.RequestInfo = audit.SYSTEM_REQUEST
) -> VerificationRecord:
    """Mark an entered record as checked. The verifier may not check their own record."""
    record = _lock_record(user, record_id, "records.check")
    if record.status != RecordStatus.ENTERED:
        _fail(
            None,
            f"记录 {record.record_number} 当前为“{record.get_status_display()}”，不能核验。",
            "invalid_status",
        )
    if record.verifier_id == user.pk:
        _fail(
            None,
            "核验员不能与检定员是同一人：您录入了这条记录，请由另一位核验员核验。",
            "same_person",
        )
    check_qualified(user, record.instrument, record.verification_date, "核验员")
    comment = (comment or "").strip()[:MAX_TEXT_LENGTH]

    record.mark_checked()
    record.checker = user
    record.checker_name = _name(user)
    record.checked_at = timezone.now()
    record.check_comment = comment
    record.save()
    _record_event(
        "check",
        record,
        user,
        request_info,
        {"status": (RecordStatus.ENTERED, RecordStatus.CHECKED)},
    )
    _tell_institution(record, "records.approve", f"待批准：{record.instrument.name}")
    return record


@transaction.atomic
def return_record(
    user, record_id, *, reason: str, request_info: audit.RequestInfo = audit.SYSTEM_REQUEST
) -> VerificationRecord:
    """Send a record back to its verifier with a reason (checker or approver)."""
    permission = "records.approve" if has_permission(user, "records.approve") else "records.check"
    record = _lock_record(user, record_id, permission)
    reason = (reason or "").strip()
    if not reason:
        _fail("reason", "请填写退回原因，告诉检定员需要修改什么。", "required")
    if len(reason) > MAX_TEXT_LENGTH:
        _fail("reason", f"退回原因最多 {MAX_TEXT_LENGTH} 个字符，请缩短。", "too_long")
    if (
        record.status not in (RecordStatus.ENTERED, RecordStatus.CHECKED)
        or record.verifier_id == user.pk
    ):
        _fail(None, f"记录 {record.record_number} 当前不能由您退回。", "invalid_status")

    previous = record.status
    record.send_back()
    record.return_reason = reason
    record.checker = None
    record.checker_name = ""
    record.checked_at = None
    record.save()
    _record_event(
        "return",
        record,
        user,
        request_info,
        {"status": (previous, RecordStatus.ENTERED), "reason": (None, reason)},
    )
    if record.verifier is not None:
        notify(
            [record.verifier],
            Message.Kind.TASK,
            f"原始记录被退回：{record.record_number}",
            reason,
            RECORD_LINK.format(id=record.pk),
        )
    return record


@transaction.atomic
def approve_record(user, record_id, *, request_info: audit.RequestInfo = audit.SYSTEM_REQUEST):
    """Approve a checked record and issue its certificate.

    Returns the certificate. The caller makes sure the user re-authenticated
    recently (step-up), because approval signs a certificate.
    """
    record = _lock_record(user, record_id, "records.approve")
    if record.status != RecordStatus.CHECKED:
        _fail(
            None,
            f"记录 {record.record_number} 当前为“{record.get_status_display()}”，须先核验再批准。",
            "invalid_status",
        )
    if user.pk in (record.verifier_id, record.checker_id):
        _fail(None, "批准人不能与检定员或核验员是同一人，请由另一位批准人批准。", "same_person")
    check_qualified(user, record.instrument, record.verification_date, "批准人")
    problems = standard_problems(
        list(record.standards.values_list("pk", flat=True)), record.verification_date
    )
    if problems:
        raise RecordError([(None, message, "standard_unusable") for message in problems])

    record.mark_approved()
    record.approver = user
    record.approver_name = _name(user)
    record.approved_at = timezone.now()
    record.save()
    _record_event(
        "approve",
        record,
        user,
        request_info,
        {"status": (RecordStatus.CHECKED, RecordStatus.APPROVED)},
    )
    try:
        certificate = certificates.issue_certificate(
            record, actor=audit.business_actor(user), request_info=request_info
        )
    except certificates.CertificateError as error:
        raise RecordError([(None, error.message, error.code)]) from None
    if record.application_item_id:
        applications.note_certificate_issued(
            record.application_item.application_id, user, certificate
        )
    logger.info(
        "Record %s approved by user %s, certificate %s", record.pk, user.pk, certificate.number
    )
    return certificate
