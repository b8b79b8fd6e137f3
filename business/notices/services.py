"""Drafting, publishing and reading notices, with the readership rule in one place."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from business.access import has_permission, require_permission, scoped
from business.access.models import DataScope
from business.access.scope import NotFoundError
from business.accounts.models import BusinessUser
from business.audit import services as audit
from business.messages.models import Message
from business.messages.services import notify
from business.organisations.models import Organisation
from business.reference.models import Division

from . import attachments
from .models import TITLE_MAX_LENGTH, Notice, NoticeAttachment, NoticeReceipt

logger = logging.getLogger(__name__)

BODY_MAX_LENGTH = 20000
READ_PERMISSION = "messages.view"


class NoticeError(Exception):
    def __init__(self, errors: list[tuple[str, str, str]]):
        super().__init__("; ".join(message for _, message, _ in errors))
        self.errors = errors


# --- Readership ----------------------------------------------------------------------------


def _ancestor_codes(division: Division) -> list[str]:
    """Return the codes of ``division`` and every division above it (one query per level)."""
    codes = []
    current = division
    while current is not None:
        codes.append(current.code)
        current = current.parent
    return codes


def readable_notices(user):
    """Return the published notices ``user`` may read.

    A notice is readable when it is addressed to the kind of the user's organisation
    and the organisation's division is the notice's division or lies below it.
    """
    require_permission(user, READ_PERMISSION)
    organisation = user.organisation
    published = Notice.objects.filter(
        status=Notice.Status.PUBLISHED,
        target_division__in=_ancestor_codes(organisation.division),
    )
    if organisation.kind == Organisation.Kind.ENTERPRISE:
        return published.filter(for_enterprises=True)
    if organisation.kind == Organisation.Kind.INSTITUTION:
        return published.filter(for_institutions=True)
    return Notice.objects.none()


def get_readable(user, pk) -> Notice:
    try:
        return readable_notices(user).get(pk=pk)
    except (Notice.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("通知") from None


def recipients(notice: Notice):
    """Return the active business users who may read ``notice``."""
    codes = Division.collect_descendant_codes(notice.target_division_id)
    return BusinessUser.objects.filter(
        is_active=True,
        organisation__is_active=True,
        organisation__kind__in=notice.reader_kinds(),
        organisation__division__in=codes,
    )


# --- Publishing ----------------------------------------------------------------------------


def managed_notices(user):
    return scoped(Notice.objects.all(), user, "notices.publish")


def get_managed(user, pk) -> Notice:
    try:
        return managed_notices(user).get(pk=pk)
    except (Notice.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("通知") from None


def _check_fields(user, title, body, for_enterprises, for_institutions, division_code):
    problems = []
    title = (title or "").strip()
    body = (body or "").strip()
    if not title or len(title) > TITLE_MAX_LENGTH:
        problems.append(("title", f"请填写标题（最多 {TITLE_MAX_LENGTH} 字）。", "invalid_title"))
    if not body or len(body) > BODY_MAX_LENGTH:
        problems.append(("body", f"请填写正文（最多 {BODY_MAX_LENGTH} 字）。", "invalid_body"))
    if not for_enterprises and not for_institutions:
        problems.append(("readers", "请至少选择一类接收单位：企业或技术机构。", "required"))
    division = Division.objects.filter(code=(division_code or "").strip()).first()
    scope = require_permission(user, "notices.publish")
    if division is None:
        problems.append(("targetDivisionCode", "请选择发放范围（行政区划）。", "required"))
    elif (
        scope != DataScope.ALL
        and division.code not in user.organisation.division.descendant_codes()
    ):
        problems.append(
            (
                "targetDivisionCode",
                "发放范围只能是本部门辖区或其下级区划，请重新选择。",
                "out_of_scope",
            )
        )
    return problems, title, body, division


@transaction.atomic
def save_notice(
    user,
    *,
    notice: Notice | None,
    title,
    body,
    for_enterprises,
    for_institutions,
    target_division_code,
    request_info,
) -> Notice:
    """Create a draft (``notice`` None) or change a draft."""
    if notice is not None and notice.status != Notice.Status.DRAFT:
        raise NoticeError([("id", "通知已发布，不能再修改。", "not_draft")])
    problems, title, body, division = _check_fields(
        user, title, body, for_enterprises, for_institutions, target_division_code
    )
    if problems:
        raise NoticeError(problems)
    creating = notice is None
    if creating:
        notice = Notice(publisher=user.organisation, created_by=user)
    notice.title = title
    notice.body = body
    notice.for_enterprises = bool(for_enterprises)
    notice.for_institutions = bool(for_institutions)
    notice.target_division = division
    notice.save()
    audit.record_event(
        "notice.create" if creating else "notice.update",
        actor=audit.business_actor(user),
        request_info=request_info,
        object_type="notice",
        object_id=notice.pk,
        changes={"title": (None, notice.title), "target_division": (None, division.code)},
    )
    return notice


@transaction.atomic
def add_attachment(notice: Notice, user, *, file_name: str, content_base64: str, request_info):
    if notice.status != Notice.Status.DRAFT:
        raise NoticeError([("id", "通知已发布，不能再添加附件。", "not_draft")])
    if notice.attachments.count() >= attachments.MAX_ATTACHMENTS:
        raise NoticeError(
            [("file", f"一条通知最多 {attachments.MAX_ATTACHMENTS} 个附件。", "too_many")]
        )
    try:
        checked = attachments.check(attachments.decode(content_base64 or ""), file_name)
    except attachments.AttachmentError as error:
        raise NoticeError([("file", error.message, error.code)]) from None

    attachment = NoticeAttachment(
        notice=notice,
        file_name=checked.file_name,
        content_type=checked.content_type,
        size=len(checked.content),
    )
    attachment.file.save(checked.random_name(), ContentFile(checked.content), save=False)
    attachment.save()
    audit.record_event(
        "notice.attach",
        actor=audit.business_actor(user),
        request_info=request_info,
        object_type="notice",
        object_id=notice.pk,
        changes={"attachment": (None, checked.file_name)},
    )
    return attachment


@transaction.atomic
def publish_notice(notice: Notice, user, *, request_info) -> Notice:
    """Publish a draft and send a message to every reader."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != Notice.Status.DRAFT:
        raise NoticeError([("id", "只有草稿可以发布。", "not_draft")])
    notice.status = Notice.Status.PUBLISHED
    notice.published_at = timezone.now()
    notice.save(update_fields=["status", "published_at"])
    audit.record_event(
        "notice.publish",
        actor=audit.business_actor(user),
        request_info=request_info,
        object_type="notice",
        object_id=notice.pk,
        changes={"status": (Notice.Status.DRAFT, Notice.Status.PUBLISHED)},
    )
    transaction.on_commit(lambda: _notify_readers(notice))
    return notice


def _notify_readers(notice: Notice) -> None:
    sent = notify(
        recipients(notice),
        Message.Kind.NOTICE,
        notice.title,
        f"{notice.publisher.name}发布了新通知，请及时阅读。",
        link=f"/workbench/notices/inbox?id={notice.pk}",
        dedupe_key=f"notice:{notice.pk}",
    )
    logger.info("notice %s published, %d messages sent", notice.pk, sent)


@transaction.atomic
def withdraw_notice(notice: Notice, user, *, request_info) -> Notice:
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != Notice.Status.PUBLISHED:
        raise NoticeError([("id", "只有已发布的通知可以撤回。", "not_published")])
    notice.status = Notice.Status.WITHDRAWN
    notice.save(update_fields=["status"])
    audit.record_event(
        "notice.withdraw",
        actor=audit.business_actor(user),
        request_info=request_info,
        object_type="notice",
        object_id=notice.pk,
        changes={"status": (Notice.Status.PUBLISHED, Notice.Status.WITHDRAWN)},
    )
    return notice


@transaction.atomic
def mark_read(notice: Notice, user, *, request_info) -> NoticeReceipt:
    """Leave the user's read receipt on ``notice``; the first reading is audited."""
    receipt, created = NoticeReceipt.objects.get_or_create(notice=notice, reader=user)
    if created:
        audit.record_event(
            "notice.read",
            actor=audit.business_actor(user),
            request_info=request_info,
            object_type="notice",
            object_id=notice.pk,
        )
        logger.info("notice %s read by business user %s", notice.pk, user.pk)
    return receipt


def attachment_for(user, attachment_id) -> NoticeAttachment:
    """Return an attachment the user may download: as a reader or as the publisher."""
    attachment = NoticeAttachment.objects.select_related("notice").filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFoundError("附件")
    notice_id = attachment.notice_id
    if (
        has_permission(user, "notices.publish")
        and managed_notices(user).filter(pk=notice_id).exists()
    ):
        return attachment
    if readable_notices(user).filter(pk=notice_id).exists():
        return attachment
    raise NotFoundError("附件")
