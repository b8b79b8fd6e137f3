"""Writing, approving, publishing and reading management-system documents.

The approver of a version is never its author. Only an approved version is
published, and publishing supersedes the previous published version. Readers see
only the published version of documents whose read roles include one of theirs,
and a document without read roles is open to everyone with documents.view.
Writers and approvers see every version of their institution's documents.
"""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from business.access import has_permission, scoped
from business.access.models import RoleAssignment
from business.audit import services as audit
from business.core.crypto import sm3

from . import uploads
from .models import DocumentVersion, ManagementDocument

logger = logging.getLogger(__name__)

MAX_FILE_NAME_LENGTH = 200


class DocumentError(Exception):
    def __init__(self, message: str, code: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


def is_editor(user) -> bool:
    return has_permission(user, "documents.manage") or has_permission(user, "documents.approve")


def visible_documents(user) -> QuerySet[ManagementDocument]:
    """Documents ``user`` may see: all of the scope for editors, else readable published ones."""
    if is_editor(user):
        permission = (
            "documents.manage" if has_permission(user, "documents.manage") else "documents.approve"
        )
        return scoped(ManagementDocument.objects.all(), user, permission)
    documents = scoped(ManagementDocument.objects.all(), user, "documents.view")
    held_roles = RoleAssignment.objects.filter(user=user).values("role_id")
    return (
        documents.filter(published_version__isnull=False, is_withdrawn=False)
        .filter(Q(readable_roles__isnull=True) | Q(readable_roles__in=held_roles))
        .distinct()
    )


def visible_versions(user, document: ManagementDocument) -> QuerySet[DocumentVersion]:
    versions = document.versions.select_related("author", "approver")
    if is_editor(user):
        return versions
    return versions.filter(pk=document.published_version_id)


def _clean_file(file_base64: str, file_name: str):
    try:
        return uploads.clean_document(uploads.decode_base64(file_base64 or ""))
    except uploads.DocumentFileError as error:
        raise DocumentError(error.message, error.code, uploads.FIELD) from None


def _display_name(file_name: str, extension: str) -> str:
    # Only the stem is kept from the browser's name, and the extension follows the content.
    stem = (file_name or "文件").replace("/", "_").replace("\\", "_").rsplit(".", 1)[
        0
    ].strip() or "文件"
    return f"{stem[: MAX_FILE_NAME_LENGTH - 10]}.{extension}"


def _event(action, user, request_info, row, changes):
    audit.record_event(
        action,
        actor=audit.business_actor(user),
        request_info=request_info,
        object_type=row._meta.model_name,
        object_id=row.pk,
        changes=changes,
    )


@transaction.atomic
def add_version(
    user,
    document,
    *,
    version: str,
    change_note: str,
    file_base64: str,
    file_name: str,
    request_info,
) -> DocumentVersion:
    version = (version or "").strip()
    if not version:
        raise DocumentError("请填写版本号，如 A/0。", "required", "version")
    if len(version) > 20:
        raise DocumentError("版本号不超过 20 个字符。", "too_long", "version")
    if document.versions.filter(version=version).exists():
        raise DocumentError(f"版本号 {version} 已存在，请填写新的版本号。", "duplicate", "version")
    cleaned = _clean_file(file_base64, file_name)
    row = DocumentVersion(
        document=document,
        version=version,
        change_note=(change_note or "").strip(),
        file_name=_display_name(file_name, cleaned.extension),
        content_type=cleaned.content_type,
        size=len(cleaned.content),
        sm3_digest=sm3.hexdigest(cleaned.content),
        author=user,
    )
    row.file.save(cleaned.random_name(), ContentFile(cleaned.content), save=False)
    row.save()
    _event(
        "document.version.create",
        user,
        request_info,
        row,
        {
            "version": (None, version),
            "document": (None, document.code),
            "sm3": (None, row.sm3_digest),
        },
    )
    logger.info("Document %s got version %s from user %s", document.pk, row.pk, user.pk)
    return row


def _locked(version: DocumentVersion) -> DocumentVersion:
    return DocumentVersion.objects.select_for_update().select_related("document").get(pk=version.pk)


@transaction.atomic
def decide(user, version, *, approve: bool, comment: str, request_info) -> DocumentVersion:
    """Approve or send back a version awaiting approval; the approver is never the author."""
    version = _locked(version)
    if version.status != DocumentVersion.Status.DRAFT:
        raise DocumentError(
            f"该版本当前状态为“{version.get_status_display()}”，只有待审批的版本可以审批。",
            "not_pending",
        )
    if version.author_id == user.pk:
        raise DocumentError(
            "不能审批自己编写的文件版本，请由其他有审批权限的人员审批。", "self_approval"
        )
    comment = (comment or "").strip()
    if not approve and not comment:
        raise DocumentError("退回时请填写审批意见，说明需要修改的内容。", "required", "comment")
    before = version.status
    version.status = DocumentVersion.Status.APPROVED if approve else DocumentVersion.Status.REJECTED
    version.approver = user
    version.decided_at = timezone.now()
    version.decision_comment = comment[:200]
    version.save(update_fields=["status", "approver", "decided_at", "decision_comment"])
    _event(
        "document.version." + ("approve" if approve else "reject"),
        user,
        request_info,
        version,
        {"status": (before, version.status)},
    )
    return version


@transaction.atomic
def publish(user, version, *, request_info) -> DocumentVersion:
    """Publish an approved version; the previous published version becomes superseded."""
    version = _locked(version)
    if version.status != DocumentVersion.Status.APPROVED:
        raise DocumentError("只有已批准的版本可以发布，请先审批。", "not_approved")
    document = ManagementDocument.objects.select_for_update().get(pk=version.document_id)
    previous = document.published_version
    if previous is not None:
        previous.status = DocumentVersion.Status.SUPERSEDED
        previous.save(update_fields=["status"])
    version.status = DocumentVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    document.published_version = version
    document.save(update_fields=["published_version"])
    _event(
        "document.version.publish",
        user,
        request_info,
        version,
        {"published_version": (previous.version if previous else None, version.version)},
    )
    return version


def can_read(user, version: DocumentVersion) -> bool:
    return visible_versions(user, version.document).filter(pk=version.pk).exists() and (
        visible_documents(user).filter(pk=version.document_id).exists()
    )


def read_file(user, version: DocumentVersion) -> bytes:
    """Return the stored bytes of ``version`` after checking its digest; call can_read first."""
    with version.file.open("rb") as stored:
        content = stored.read()
    if sm3.hexdigest(content) != version.sm3_digest:
        logger.warning("Document version %s no longer matches its digest", version.pk)
        raise DocumentError("文件内容与登记的摘要不符，可能已损坏，请联系管理员。", "altered")
    logger.info("Business user %s downloaded document version %s", user.pk, version.pk)
    return content
