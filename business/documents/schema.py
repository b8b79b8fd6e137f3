"""GraphQL API of management-system documents.

``managementDocuments`` lists what the user may see (services.visible_documents).
Writers (documents.manage) create documents and upload versions. Approvers
(documents.approve) approve or send back and publish, but never their own versions.
``documentFile`` returns a readable version's file as Base64 after the same checks.
"""

import base64

import graphene
from django.db import transaction

from business.access import NotFoundError
from business.access.models import Role
from business.audit import services as audit
from business.core.api.errors import FieldError, PublicError, field_errors
from business.core.api.pagination import page_arguments, page_type, paginate
from business.qualifications import api
from business.qualifications.filters import terms_filter

from . import services, uploads
from .models import DocumentVersion, ManagementDocument

DocumentKind = graphene.Enum(
    "ManagementDocumentKind",
    [(kind.name, kind.value) for kind in ManagementDocument.Kind],
    description="文件类别：QUALITY_MANUAL 质量手册、PROCEDURE 程序文件、WORK_INSTRUCTION 作业指导书、"
    "RECORD_FORM 记录表格、QUALITY_RECORD 质量记录、MANAGEMENT_REVIEW 管理评审、"
    "INTERNAL_AUDIT 内部审核、OTHER 其他",
)
VersionStatus = graphene.Enum(
    "DocumentVersionStatus",
    [(status.name, status.value) for status in DocumentVersion.Status],
    description="版本状态：DRAFT 待审批、APPROVED 已批准、REJECTED 已退回、"
    "PUBLISHED 现行有效、SUPERSEDED 已被替代",
)


class RoleOption(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True, description="角色名称")

    class Meta:
        description = "业务角色（选择查阅权限用）"


class DocumentVersionType(graphene.ObjectType):
    id = graphene.ID(required=True)
    version = graphene.String(required=True, description="版本号")
    change_note = graphene.String(required=True, description="修订说明")
    file_name = graphene.String(required=True, description="文件名")
    content_type = graphene.String(required=True, description="文件类型")
    size = graphene.Int(required=True, description="大小（字节）")
    sm3_digest = graphene.String(required=True, description="文件的 SM3 摘要")
    status = graphene.Field(VersionStatus, required=True)
    status_label = graphene.String(required=True, description="状态名称")
    author_name = graphene.String(required=True, description="编写人")
    created_at = graphene.DateTime(required=True, description="提交时间")
    approver_name = graphene.String(description="审批人")
    decided_at = graphene.DateTime(description="审批时间")
    decision_comment = graphene.String(required=True, description="审批意见")
    published_at = graphene.DateTime(description="发布时间")

    class Meta:
        name = "DocumentVersion"
        description = "管理体系文件的一个版本"

    @staticmethod
    def of(row: DocumentVersion) -> "DocumentVersionType":
        return DocumentVersionType(
            id=str(row.pk),
            version=row.version,
            change_note=row.change_note,
            file_name=row.file_name,
            content_type=row.content_type,
            size=row.size,
            sm3_digest=row.sm3_digest,
            status=row.status,
            status_label=row.get_status_display(),
            author_name=row.author.display_name,
            created_at=row.created_at,
            approver_name=row.approver.display_name if row.approver_id else None,
            decided_at=row.decided_at,
            decision_comment=row.decision_comment,
            published_at=row.published_at,
        )


class ManagementDocumentType(graphene.ObjectType):
    id = graphene.ID(required=True)
    kind = graphene.Field(DocumentKind, required=True)
    kind_label = graphene.String(required=True, description="文件类别名称")
    code = graphene.String(required=True, description="文件编号")
    title = graphene.String(required=True, description="文件名称")
    readable_roles = graphene.List(
        graphene.NonNull(RoleOption), required=True, description="可查阅的角色，空为全部"
    )
    published_version = graphene.Field(DocumentVersionType, description="现行版本")
    versions = graphene.List(
        graphene.NonNull(DocumentVersionType), required=True, description="可见的全部版本"
    )
    is_withdrawn = graphene.Boolean(required=True, description="已作废")

    class Meta:
        name = "ManagementDocument"
        description = "管理体系文件"

    @staticmethod
    def of(row: ManagementDocument, user) -> "ManagementDocumentType":
        versions = list(services.visible_versions(user, row))
        published = next((v for v in versions if v.pk == row.published_version_id), None)
        return ManagementDocumentType(
            id=str(row.pk),
            kind=row.kind,
            kind_label=row.get_kind_display(),
            code=row.code,
            title=row.title,
            readable_roles=[
                RoleOption(id=str(role.pk), name=role.name) for role in row.readable_roles.all()
            ],
            published_version=DocumentVersionType.of(published) if published else None,
            versions=[DocumentVersionType.of(version) for version in versions],
            is_withdrawn=row.is_withdrawn,
        )


ManagementDocumentPage = page_type(
    ManagementDocumentType, "ManagementDocumentPage", "一页管理体系文件"
)


class ManagementDocumentFilterInput(graphene.InputObjectType):
    keyword = graphene.String(description="文件编号或名称")
    kind = graphene.Field(DocumentKind, description="文件类别")
    pending_only = graphene.Boolean(description="只看有待审批版本的文件")


class ManagementDocumentInput(graphene.InputObjectType):
    id = graphene.ID(description="修改时填写；新增时留空")
    kind = graphene.Field(DocumentKind, required=True, description="文件类别")
    code = graphene.String(required=True, description="文件编号")
    title = graphene.String(required=True, description="文件名称")
    readable_role_ids = graphene.List(
        graphene.NonNull(graphene.ID), description="可查阅的角色，空为全部"
    )
    is_withdrawn = graphene.Boolean(description="已作废")


class DocumentFile(graphene.ObjectType):
    file_name = graphene.String(required=True)
    content_type = graphene.String(required=True)
    content_base64 = graphene.String(required=True, description="文件内容的 Base64 编码")

    class Meta:
        description = "下载的文件"


def _request_info(info):
    return audit.request_info_from(info.context, api.channel(info))


def _error_payload(payload_class, error: services.DocumentError):
    return payload_class(errors=field_errors([(error.field, error.message, error.code.upper())]))


def _version_in_scope(user, value) -> DocumentVersion:
    version_id = api.parse_id(value, "versionId", "文件版本")
    version = (
        DocumentVersion.objects.select_related("document", "author", "approver")
        .filter(pk=version_id)
        .first()
    )
    if (
        version is None
        or not services.visible_documents(user).filter(pk=version.document_id).exists()
    ):
        raise NotFoundError("文件版本")
    return version


class SaveManagementDocument(graphene.Mutation):
    class Meta:
        name = "SaveManagementDocumentPayload"
        description = "保存管理体系文件信息的结果"

    class Arguments:
        input = ManagementDocumentInput(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    document = graphene.Field(ManagementDocumentType)

    @staticmethod
    def mutate(root, info, input):
        user = api.current_user(info, "documents.manage")
        if input.get("id"):
            row = api.load(
                ManagementDocument, user, "documents.manage", input["id"], "管理体系文件"
            )
        else:
            row = ManagementDocument(institution=api.own_institution(user), created_by=user)
        fields = ["kind", "code", "title", "is_withdrawn"]
        before = api.snapshot(row, fields) if row.pk else {}
        kind = input["kind"]
        row.kind = kind.value if hasattr(kind, "value") else kind
        row.code = (input["code"] or "").strip()
        row.title = (input["title"] or "").strip()
        row.is_withdrawn = bool(input.get("is_withdrawn"))
        problems = []
        if not row.code:
            problems.append(("code", "请填写文件编号，如 HNJY-QM-01。", "REQUIRED"))
        elif len(row.code) > 64:
            problems.append(("code", "文件编号不超过 64 个字符。", "TOO_LONG"))
        if not row.title:
            problems.append(("title", "请填写文件名称。", "REQUIRED"))
        elif len(row.title) > 200:
            problems.append(("title", "文件名称不超过 200 个字。", "TOO_LONG"))
        if (
            row.code
            and ManagementDocument.objects.filter(institution=row.institution, code=row.code)
            .exclude(pk=row.pk)
            .exists()
        ):
            problems.append(("code", f"文件编号 {row.code} 已存在，请换一个编号。", "DUPLICATE"))
        role_ids = [
            api.parse_id(value, "readableRoleIds", "角色")
            for value in input.get("readable_role_ids") or []
        ]
        roles = list(Role.objects.filter(pk__in=role_ids, organisation_kind="institution"))
        if len(roles) != len(set(role_ids)):
            problems.append(
                ("readableRoleIds", "所选角色不存在或不适用于技术机构，请重新选择。", "NOT_FOUND")
            )

        if problems:
            return SaveManagementDocument(errors=field_errors(problems), document=None)

        with transaction.atomic():
            created = row.pk is None
            row.save()
            row.readable_roles.set(roles)
            changes = api.changes_between(before, api.snapshot(row, fields))
            changes["readable_roles"] = (None, sorted(role.code for role in roles))
            api.audit_event(
                info, user, "document." + ("create" if created else "update"), row, changes
            )
        return SaveManagementDocument(errors=[], document=ManagementDocumentType.of(row, user))


class UploadDocumentVersion(graphene.Mutation):
    class Meta:
        name = "UploadDocumentVersionPayload"
        description = "上传文件新版本的结果（新版本待审批）"

    class Arguments:
        document_id = graphene.ID(required=True)
        version = graphene.String(required=True, description="版本号，如 A/0")
        change_note = graphene.String(description="修订说明")
        file_name = graphene.String(required=True, description="原文件名（只用于显示）")
        file_base64 = graphene.String(
            required=True,
            description="文件内容的 Base64 编码：PDF、.docx 或 .xlsx，"
            f"不超过 {uploads.MAX_DOCUMENT_MEGABYTES} MB",
        )

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    version = graphene.Field(DocumentVersionType)

    @staticmethod
    def mutate(root, info, document_id, version, file_name, file_base64, change_note=None):
        user = api.current_user(info, "documents.manage")
        document = api.load(
            ManagementDocument, user, "documents.manage", document_id, "管理体系文件"
        )
        try:
            row = services.add_version(
                user,
                document,
                version=version,
                change_note=change_note or "",
                file_base64=file_base64,
                file_name=file_name,
                request_info=_request_info(info),
            )
        except services.DocumentError as error:
            return _error_payload(UploadDocumentVersion, error)
        return UploadDocumentVersion(errors=[], version=DocumentVersionType.of(row))


class DecideDocumentVersion(graphene.Mutation):
    class Meta:
        name = "DecideDocumentVersionPayload"
        description = "审批文件版本的结果"

    class Arguments:
        version_id = graphene.ID(required=True)
        approve = graphene.Boolean(required=True, description="true 批准，false 退回")
        comment = graphene.String(description="审批意见，退回时必填")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    version = graphene.Field(DocumentVersionType)

    @staticmethod
    def mutate(root, info, version_id, approve, comment=None):
        user = api.current_user(info, "documents.approve")
        version = _version_in_scope(user, version_id)
        try:
            row = services.decide(
                user,
                version,
                approve=approve,
                comment=comment or "",
                request_info=_request_info(info),
            )
        except services.DocumentError as error:
            return _error_payload(DecideDocumentVersion, error)
        return DecideDocumentVersion(errors=[], version=DocumentVersionType.of(row))


class PublishDocumentVersion(graphene.Mutation):
    class Meta:
        name = "PublishDocumentVersionPayload"
        description = "发布文件版本的结果"

    class Arguments:
        version_id = graphene.ID(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    version = graphene.Field(DocumentVersionType)

    @staticmethod
    def mutate(root, info, version_id):
        user = api.current_user(info, "documents.approve")
        version = _version_in_scope(user, version_id)
        try:
            row = services.publish(user, version, request_info=_request_info(info))
        except services.DocumentError as error:
            return _error_payload(PublishDocumentVersion, error)
        return PublishDocumentVersion(errors=[], version=DocumentVersionType.of(row))


class DocumentQuery(graphene.ObjectType):
    management_documents = graphene.Field(
        ManagementDocumentPage,
        required=True,
        filter=ManagementDocumentFilterInput(),
        **page_arguments(),
        description="管理体系文件列表：查阅人员只看到有权查阅的现行文件，编写和审批人员看到全部版本",
    )
    document_file = graphene.Field(
        DocumentFile,
        required=True,
        version_id=graphene.ID(required=True),
        description="下载有权查阅的文件版本",
    )
    document_role_options = graphene.List(
        graphene.NonNull(RoleOption),
        required=True,
        description="技术机构可用的角色（设置查阅权限用）",
    )

    @staticmethod
    def resolve_management_documents(root, info, page, page_size, filter=None):
        user = api.current_user(info, "documents.view")
        rows = services.visible_documents(user).prefetch_related("readable_roles")
        filter = filter or {}
        text = api.keyword(filter.get("keyword"))
        if text:
            rows = terms_filter(rows, text, ["code", "title"])
        if filter.get("kind"):
            kind = filter["kind"]
            rows = rows.filter(kind=kind.value if hasattr(kind, "value") else kind)
        if filter.get("pending_only"):
            rows = rows.filter(versions__status=DocumentVersion.Status.DRAFT).distinct()
        result = paginate(rows.order_by("kind", "code", "pk"), page, page_size)
        result["items"] = [ManagementDocumentType.of(row, user) for row in result["items"]]
        return ManagementDocumentPage(**result)

    @staticmethod
    def resolve_document_file(root, info, version_id):
        user = api.current_user(info, "documents.view")
        version = _version_in_scope(user, version_id)
        if not services.visible_versions(user, version.document).filter(pk=version.pk).exists():
            raise NotFoundError("文件版本")
        try:
            content = services.read_file(user, version)
        except services.DocumentError as error:
            raise PublicError(error.message, code=error.code.upper()) from None
        return DocumentFile(
            file_name=version.file_name,
            content_type=version.content_type,
            content_base64=base64.b64encode(content).decode("ascii"),
        )

    @staticmethod
    def resolve_document_role_options(root, info):
        api.current_user(info, "documents.manage")
        return [
            RoleOption(id=str(role.pk), name=role.name)
            for role in Role.objects.filter(organisation_kind="institution").order_by("code")
        ]


class DocumentMutation(graphene.ObjectType):
    save_management_document = SaveManagementDocument.Field(
        description="新建或修改管理体系文件信息"
    )
    upload_document_version = UploadDocumentVersion.Field(description="上传文件的新版本")
    decide_document_version = DecideDocumentVersion.Field(
        description="批准或退回文件版本（不能审批自己编写的）"
    )
    publish_document_version = PublishDocumentVersion.Field(description="发布已批准的文件版本")
