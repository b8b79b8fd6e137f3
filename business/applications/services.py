"""Verification applications from filing to certificate.

These functions are the only way an application changes. Each one checks the actor's
permission and data scope, changes the rows in one transaction, writes the timeline
entry and the audit event, and sends the messages. GraphQL resolvers only parse
input and map ApplicationError to the payload's ``errors``.
"""

import datetime
import logging
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from business.access import NotFoundError, has_permission, require_permission, scoped
from business.access.scope import scope_filter
from business.accounts.models import BusinessUser
from business.audit import services as audit
from business.instruments.models import Instrument
from business.organisations.models import Organisation
from business.qualifications.services import institutions_capable_of

from . import notifications
from .models import (
    ApplicationEvent,
    ApplicationItem,
    ApplicationStatus,
    DeliveryMode,
    VerificationApplication,
)

logger = logging.getLogger(__name__)

MAX_INSTRUMENTS = 200
MAX_TEXT_LENGTH = 500
MAX_NAME_LENGTH = 200
MAX_SAMPLE_NUMBER_LENGTH = ApplicationItem._meta.get_field("sample_number").max_length
# How far ahead an enterprise may ask for a verification date.
MAX_DAYS_AHEAD = 366

# Permissions that let a user see applications, each with the user's own data scope.
VIEW_PERMISSIONS = (
    "applications.view",
    "bookings.confirm",
    "acceptance.receive",
    "applications.confirm_out_of_province",
)
# Statuses in which an instrument is still part of a running application.
OPEN_STATUSES = (
    ApplicationStatus.PENDING_REGULATOR,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.CONFIRMED,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.IN_VERIFICATION,
)


class ApplicationError(Exception):
    """Rejected input or a broken rule; ``errors`` contains (field, message, code) tuples."""

    def __init__(self, errors: list[tuple[str | None, str, str]]):
        super().__init__("".join(message for _, message, _ in errors))
        self.errors = errors


def _fail(field: str | None, message: str, code: str):
    raise ApplicationError([(field, message, code)])


# ---------------------------------------------------------------------------
# Reading


def visible_applications(user):
    """Applications ``user`` may see with any of VIEW_PERMISSIONS, in that permission's scope.

    Raises PermissionDeniedError for "applications.view" when the user has none of them.
    """
    condition = None
    for permission in VIEW_PERMISSIONS:
        if not has_permission(user, permission):
            continue
        scope = require_permission(user, permission)
        part = scope_filter(user, scope, VerificationApplication.scope_paths)
        if part is None:
            return VerificationApplication.objects.all()
        condition = part if condition is None else condition | part
    if condition is None:
        require_permission(user, "applications.view")
    return VerificationApplication.objects.filter(condition)


def get_application(user, pk, permission: str | None = None) -> VerificationApplication:
    """Return application ``pk`` if ``user`` reaches it (with ``permission`` when given)."""
    queryset = (
        scoped(VerificationApplication.objects.all(), user, permission)
        if permission
        else visible_applications(user)
    )
    try:
        return queryset.select_related(
            "enterprise__division", "institution", "submitted_by", "assignee"
        ).get(pk=pk)
    except (VerificationApplication.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("检定申请") from None


def capable_institutions(catalogue_items: Iterable, division=None):
    """Active institutions authorised for every mandatory catalogue item given.

    Non-mandatory instruments (no catalogue item) do not narrow the choice.
    """
    institutions = Organisation.objects.filter(kind=Organisation.Kind.INSTITUTION, is_active=True)
    for item in {item for item in catalogue_items if item is not None}:
        institutions = institutions.filter(pk__in=institutions_capable_of(item, division=division))
    return institutions.order_by("name", "pk")


# ---------------------------------------------------------------------------
# Helpers for the state changes


def _clean_text(
    value: str | None, field: str, label: str, *, required: bool, max_length: int = MAX_TEXT_LENGTH
) -> str:
    text = (value or "").strip()
    if required and not text:
        _fail(field, f"请填写{label}。", "required")
    if len(text) > max_length:
        _fail(field, f"{label}最多 {max_length} 个字符，现有 {len(text)} 个，请缩短。", "too_long")
    return text


def _lock(application: VerificationApplication) -> VerificationApplication:
    return (
        VerificationApplication.objects.select_for_update(of=("self",))
        .select_related("enterprise__division", "institution", "submitted_by", "assignee")
        .get(pk=application.pk)
    )


def _require_status(application, allowed, action: str) -> None:
    if application.status not in allowed:
        _fail(
            None,
            f"申请 {application.number} 当前状态为“{application.get_status_display()}”，"
            f"不能{action}，请刷新后查看最新状态。",
            "invalid_status",
        )


def _record(
    application,
    user,
    action: str,
    from_status: str,
    note: str = "",
    request_info: audit.RequestInfo = audit.SYSTEM_REQUEST,
    changes=None,
) -> None:
    """Write the timeline entry and the audit event of one change."""
    ApplicationEvent.objects.create(
        application=application,
        from_status=from_status,
        to_status=application.status,
        action=action,
        note=note[:MAX_TEXT_LENGTH],
        actor=user,
        actor_name=(user.display_name or user.username) if user else "系统",
        organisation_name=user.organisation.name if user else "",
    )
    audit.record_event(
        f"application.{action}",
        actor=audit.business_actor(user) if user else audit.SYSTEM_ACTOR,
        request_info=request_info,
        object_type="verification_application",
        object_id=application.number,
        changes={"status": (from_status or None, application.status), **(changes or {})},
    )


def _new_number() -> str:
    return f"TMP{uuid.uuid4().hex[:20]}"


# ---------------------------------------------------------------------------
# Enterprise: submit and assign


def _clean_instruments(user, instrument_ids) -> list[Instrument]:
    ids = []
    for value in instrument_ids or []:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            _fail("instrumentIds", "器具编号无效，请刷新台账后重新选择。", "invalid_id")
    ids = list(dict.fromkeys(ids))
    if not ids:
        _fail("instrumentIds", "请至少选择一台要检定的器具。", "required")
    if len(ids) > MAX_INSTRUMENTS:
        _fail("instrumentIds", f"一次申请最多 {MAX_INSTRUMENTS} 台器具，请分几次申请。", "too_many")

    instruments = list(
        scoped(Instrument.objects.all(), user, "instruments.view")
        .filter(pk__in=ids, enterprise_id=user.organisation_id)
        .select_related("catalogue_item")
    )
    if len(instruments) != len(ids):
        _fail("instrumentIds", "所选器具不存在或不属于本单位台账，请刷新后重新选择。", "not_found")
    for instrument in instruments:
        if instrument.status != Instrument.Status.IN_USE:
            _fail(
                "instrumentIds",
                f"器具“{instrument}”状态为“{instrument.get_status_display()}”，只能为在用器具申请检定。",
                "instrument_not_in_use",
            )
    busy = (
        ApplicationItem.objects.filter(
            instrument__in=instruments, application__status__in=OPEN_STATUSES
        )
        .select_related("instrument", "application")
        .first()
    )
    if busy is not None:
        _fail(
            "instrumentIds",
            f"器具“{busy.instrument}”已在办理中的申请 {busy.application.number} 中，"
            "请等该申请办结后再申请。",
            "instrument_busy",
        )
    return instruments


def _clean_preferred_date(value) -> datetime.date:
    if value is None:
        _fail("preferredDate", "请选择期望检定日期。", "required")
    today = timezone.localdate()
    if value < today:
        _fail("preferredDate", "期望检定日期不能早于今天，请重新选择。", "in_past")
    if value > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        _fail(
            "preferredDate",
            f"期望检定日期最多选在 {MAX_DAYS_AHEAD} 天以内，请重新选择。",
            "too_far",
        )
    return value


@transaction.atomic
def submit_application(
    user: BusinessUser,
    *,
    instrument_ids,
    preferred_date,
    delivery_mode: str,
    institution_id=None,
    out_of_province: bool = False,
    external_institution_name: str = "",
    out_of_province_reason: str = "",
    note: str = "",
    request_info: audit.RequestInfo = audit.SYSTEM_REQUEST,
) -> VerificationApplication:
    """File an application of the user's enterprise for ``instrument_ids``.

    Within the province the application names an institution on the platform that is
    authorised for every mandatory instrument and goes to it for confirmation. An
    application to a national institution outside the province names it in
    ``external_institution_name``, gives a reason and goes to the regulator first.
    """
    require_permission(user, "applications.submit")
    enterprise = user.organisation
    if enterprise.kind != Organisation.Kind.ENTERPRISE:
        _fail(None, "只有企业（使用单位）可以提交检定申请。", "not_enterprise")

    instruments = _clean_instruments(user, instrument_ids)
    preferred_date = _clean_preferred_date(preferred_date)
    if delivery_mode not in DeliveryMode.values:
        _fail("deliveryMode", "请选择检定方式：送检或现场检定。", "invalid_choice")
    note = _clean_text(note, "note", "备注", required=False)

    institution = None
    reason = ""
    external_name = ""
    # NOTE: organisations carry no "national institution" flag, so an institution
    # outside the province is named in free text and never chosen from the platform.
    if out_of_province:
        external_name = _clean_text(
            external_institution_name,
            "externalInstitutionName",
            "省外检定机构名称",
            required=True,
            max_length=MAX_NAME_LENGTH,
        )
        reason = _clean_text(
            out_of_province_reason, "outOfProvinceReason", "省外送检理由", required=True
        )
        status = ApplicationStatus.PENDING_REGULATOR
    else:
        if not institution_id:
            _fail("institutionId", "请选择检定机构。", "required")
        capable = capable_institutions(instrument.catalogue_item for instrument in instruments)
        try:
            institution = capable.get(pk=int(institution_id))
        except (Organisation.DoesNotExist, ValueError, TypeError):
            _fail(
                "institutionId",
                "所选检定机构不存在、已停用，或没有所选器具的检定授权，请从可选机构中重新选择。",
                "institution_not_capable",
            )
        status = ApplicationStatus.SUBMITTED

    application = VerificationApplication(
        number=_new_number(),
        enterprise=enterprise,
        institution=institution,
        out_of_province=out_of_province,
        external_institution_name=external_name,
        out_of_province_reason=reason,
        preferred_date=preferred_date,
        delivery_mode=delivery_mode,
        contact_note=note,
        submitted_by=user,
        status=status,
    )
    application.save()
    application.number = f"SQ{timezone.localdate():%Y%m%d}{application.pk:06d}"
    VerificationApplication.objects.filter(pk=application.pk).update(number=application.number)
    ApplicationItem.objects.bulk_create(
        [
            ApplicationItem(application=application, instrument=instrument)
            for instrument in instruments
        ]
    )
    _record(
        application,
        user,
        "submit",
        "",
        note or reason,
        request_info,
        changes={"instruments": (None, len(instruments))},
    )

    if out_of_province:
        notifications.to_regulators(
            application,
            f"省外送检申请待确认：{enterprise.name}",
            f"申请 {application.number}，拟送 {external_name} 检定，理由：{reason}",
        )
    else:
        notifications.to_institution(
            application,
            "bookings.confirm",
            f"新的检定预约：{enterprise.name}",
            notifications.BOOKINGS_LINK,
            f"申请 {application.number}，器具 {len(instruments)} 台，期望日期 {preferred_date.isoformat()}。",
        )
    logger.info("Application %s submitted by user %s", application.pk, user.pk)
    return application


@transaction.atomic
def assign_task(
    user: BusinessUser,
    application: VerificationApplication,
    *,
    assignee_id,
    note: str = "",
    request_info: audit.RequestInfo = audit.SYSTEM_REQUEST,
) -> VerificationApplication:
    """Give the follow-up of an application to a colleague of the same enterprise."""
    require_permission(user, "applications.assign")
    application = get_application(user, application.pk, "applications.assign")
    if application.enterprise_id != user.organisation_id:
        raise NotFoundError("检定申请")
    note = _clean_text(note, "note", "任务说明", required=False)
    try:
        assignee = BusinessUser.objects.get(
            pk=int(assignee_id), organisation_id=user.organisation_id, is_active=True
        )
    except (BusinessUser.DoesNotExist, ValueError, TypeError):
        _fail(
            "assigneeId", "所选人员不存在或不是本单位的在用账号，请重新选择。", "invalid_assignee"
        )
    if not has_permission(assignee, "applications.view"):
        _fail(
            "assigneeId",
            f"{assignee.display_name}没有“查看检定申请”的权限，请先为其分配角色。",
            "assignee_without_permission",
        )

    application = _lock(application)
    previous = application.assignee_id
    application.assignee = assignee
    application.task_note = note
    application.save(update_fields=["assignee", "task_note", "updated_at"])
    _record(
        application,
        user,
        "assign",
        application.status,
        f"分派给 {assignee.display_name}" + (f"：{note}" if note else ""),
        request_info,
        changes={"assignee": (previous, assignee.pk)},
    )
    notifications.to_assignee(
        application,
        f"新任务：跟进检定申请 {application.number}",
        note or "请跟进该检定申请的办理进度。",
    )
    return application


# ---------------------------------------------------------------------------
# Regulator: out-of-province applications


@transaction.atomic
def decide_out_of_province(
    user: BusinessUser,
    application: VerificationApplication,
    *,
    approve: bool,
    comment: str = "",
    request_info: audit.RequestInfo = audit.SYSTEM_REQUEST,
) -> VerificationApplication:
    """Confirm or reject an application to an institution outside the province."""
    application = get_application(user, application.pk, "applications.confirm_out_of_province")
    comment = _clean_text(
        comment, "comment", "不同意的理由" if not approve else "意见", required=not approve
    )
    application = _lock(application)
    _require_status(application, [ApplicationStatus.PENDING_REGULATOR], "确认省外送检")

    previous = application.status
    if not approve:
        application.reject_out_of_province()
    elif application.institution_id:
        application.confirm_out_of_province_to_institution()
    else:
        application.confirm_out_of_province_external()
    application.regulator_decided_by = user
    application.regulator_decided_at = timezone.now()
    application.regulator_comment = comment
    application.save()
    action = "confirm_out_of_province" if approve else "reject_out_of_province"
    _record(application, user, action, previous, comment, request_info)

    verdict = "已同意" if approve else "未同意"
    notifications.to_enterprise(
        application,
        f"省外送检申请{verdict}：{application.number}",
        f"{user.organisation.name}{verdict}送 {application.external_institution_name} 检定。"
        + (f"意见：{comment}" if comment else ""),
    )
    return application


# ---------------------------------------------------------------------------
# Institution: booking confirmation and acceptance


@transaction.atomic
def confirm_booking(
    user: BusinessUser,
    application: VerificationApplication,
    *,
    appointment_date,
    note: str = "",
    request_info: audit.RequestInfo = audit.SYSTEM_REQUEST,
) -> VerificationApplication:
    """Accept the booking (预约确认) with the date the instruments are expected or visited."""
    application = get_application(user, application.pk, "bookings.confirm")
    if application.institution_id != user.organisation_id:
        raise NotFoundError("检定申请")
    if appointment_date is None:
        _fail("appointmentDate", "请填写预约检定日期。", "required")
    if appointment_date < timezone.localdate():
        _fail("appointmentDate", "预约检定日期不能早于今天，请重新选择。", "in_past")
    note = _clean_text(note, "note", "确认说明", required=False)

    application = _lock(application)
    _require_status(application, [ApplicationStatus.SUBMITTED], "确认预约")
    previous = application.status
    application.confirm()
    application.appointment_date = appointment_date
    application.confirmation_note = note
    application.decided_by = user
    application.decided_at = timezone.now()
    application.save()
    _record(
        application,
        user,
        "confirm",
        previous,
        f"预约日期 {appointment_date.isoformat()}" + (f"；{note}" if note else ""),
        request_info,
    )

    notifications.to_enterprise(
        application,
        f"检定预约已确认：{application.number}",
        f"{application.institution.name}确认于 {appointment_date.isoformat()} 检定。{note}",
    )
    notifications.to_institution(
        application,
        "acceptance.receive",
        f"待受理：{application.enterprise.name}",
        notifications.ACCEPTANCE_LINK,
        f"申请 {application.number}，预约日期 {appointment_date.isoformat()}。",
    )
    return application


@transaction.atomic
def reject_booking(
    user: BusinessUser,
    application: VerificationApplication,
    *,
    reason: str,
    request_info: audit.RequestInfo = audit.SYSTEM_REQUEST,
) -> VerificationApplication:
    """Decline the booking with a reason the enterprise reads."""
    application = get_application(user, application.pk, "bookings.confirm")
    if application.institution_id != user.organisation_id:
        raise NotFoundError("检定申请")
    reason = _clean_text(reason, "reason", "拒绝原因", required=True)

    application = _lock(application)
    _require_status(application, [ApplicationStatus.SUBMITTED], "拒绝预约")
    previous = application.status
    application.reject()
    application.rejection_reason = reason
    application.decided_by = user
    application.decided_at = timezone.now()
    application.save()
    _record(application, user, "reject", previous, reason, request_info)

    notifications.to_enterprise(
        application,
        f"检定预约未被接受：{application.number}",
        f"{application.institution.name}的答复：{reason}",
    )
    return application


def _clean_sample_numbers(application, sample_numbers: dict) -> dict[int, str]:
    """Check one sample number per item, unique within the institution; list every problem."""
    items = {item.pk: item for item in application.items.all()}
    cleaned = {}
    errors = []
    for raw_id, raw_number in (sample_numbers or {}).items():
        try:
            item_id = int(raw_id)
        except (TypeError, ValueError):
            item_id = None
        if item_id not in items:
            errors.append(
                ("sampleNumbers", "样品对应的器具不属于该申请，请刷新后重试。", "invalid_item")
            )
            continue
        cleaned[item_id] = (raw_number or "").strip()

    for item_id, item in items.items():
        number = cleaned.get(item_id, "")
        field = f"sampleNumbers.{item_id}"
        if not number:
            errors.append((field, f"请填写器具“{item.instrument}”的样品编号。", "required"))
        elif len(number) > MAX_SAMPLE_NUMBER_LENGTH:
            errors.append(
                (field, f"样品编号最多 {MAX_SAMPLE_NUMBER_LENGTH} 个字符，请缩短。", "too_long")
            )

    numbers = [number for number in cleaned.values() if number]
    duplicates = sorted({number for number in numbers if numbers.count(number) > 1})
    for number in duplicates:
        errors.append(
            ("sampleNumbers", f"样品编号 {number} 重复，每台器具的样品编号应不同。", "duplicate")
        )

    taken = (
        ApplicationItem.objects.filter(
            application__institution_id=application.institution_id, sample_number__in=numbers
        )
        .exclude(application=application)
        .values_list("sample_number", flat=True)
    )
    for number in sorted(set(taken)):
        errors.append(
            ("sampleNumbers", f"样品编号 {number} 已被本机构其他申请使用，请换一个。", "taken")
        )
    if errors:
        raise ApplicationError(errors)
    return cleaned


@transaction.atomic
def receive_instruments(
    user: BusinessUser,
    application: VerificationApplication,
    *,
    sample_numbers: dict,
    request_info: audit.RequestInfo = audit.SYSTEM_REQUEST,
) -> VerificationApplication:
    """Take the instruments in (检定受理) and give each a sample number.

    ``sample_numbers`` maps each ApplicationItem id to its sample number.
    """
    application = get_application(user, application.pk, "acceptance.receive")
    if application.institution_id != user.organisation_id:
        raise NotFoundError("检定申请")
    application = _lock(application)
    _require_status(application, [ApplicationStatus.CONFIRMED], "受理")
    cleaned = _clean_sample_numbers(application, sample_numbers)

    items = list(application.items.all())
    for item in items:
        item.sample_number = cleaned[item.pk]
    ApplicationItem.objects.bulk_update(items, ["sample_number"])
    previous = application.status
    application.accept()
    application.received_by = user
    application.received_at = timezone.now()
    application.save()
    _record(application, user, "accept", previous, f"受理器具 {len(items)} 台", request_info)

    notifications.to_enterprise(
        application,
        f"器具已受理：{application.number}",
        f"{application.institution.name}已受理 {len(items)} 台器具，可下载受理回执。",
    )
    notifications.to_institution(
        application,
        "records.enter",
        f"待检定：{application.enterprise.name}",
        notifications.RECORDS_LINK,
        f"申请 {application.number} 的 {len(items)} 台器具已受理。",
    )
    return application


# ---------------------------------------------------------------------------
# Called by business.verification.services as records move on


def note_record_entered(application_id: int, user) -> None:
    """Move an accepted application to "in verification" with its first record."""
    application = VerificationApplication.objects.select_for_update(of=("self",)).get(
        pk=application_id
    )
    if application.status != ApplicationStatus.ACCEPTED:
        return
    previous = application.status
    application.start_verification()
    application.save()
    _record(application, user, "start_verification", previous, "开始录入检定原始记录")
    notifications.to_enterprise(application, f"器具检定中：{application.number}")


def note_certificate_issued(application_id: int, user, certificate) -> None:
    """Tell the enterprise about the certificate; complete the application with its last one."""
    application = (
        VerificationApplication.objects.select_for_update(of=("self",))
        .select_related("enterprise", "institution", "submitted_by", "assignee")
        .get(pk=application_id)
    )
    open_items = application.items.filter(
        Q(record__isnull=True) | Q(record__certificate__isnull=True)
    )
    notifications.to_enterprise(
        application,
        f"已出具{certificate.get_kind_display()}：{certificate.number}",
        f"器具“{certificate.instrument_name}”（出厂编号 {certificate.serial_number}）"
        f"检定结论：{certificate.conclusion}。",
    )
    if open_items.exists() or application.status not in (
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.IN_VERIFICATION,
    ):
        return
    previous = application.status
    application.complete()
    application.save()
    _record(application, user, "complete", previous, "全部器具已出具证书")
