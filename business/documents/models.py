"""Management-system documents of a technical institution (管理体系文件).

A document (quality manual, procedure, work instruction, record form, management
review or internal audit report …) has versions. Each version is written by one
person, approved by another person holding documents.approve, then published; the
published version is the one staff read. Per-role read permission narrows who may
read a document: no roles chosen means every user of the institution with
documents.view.
"""

from django.db import models

from business.access.scope_paths import ScopePaths
from business.organisations.models import private_storage


class ManagementDocument(models.Model):
    scope_paths = ScopePaths(organisation=("institution",))

    class Kind(models.TextChoices):
        QUALITY_MANUAL = "quality_manual", "质量手册"
        PROCEDURE = "procedure", "程序文件"
        WORK_INSTRUCTION = "work_instruction", "作业指导书"
        RECORD_FORM = "record_form", "记录表格"
        QUALITY_RECORD = "quality_record", "质量记录"
        MANAGEMENT_REVIEW = "management_review", "管理评审"
        INTERNAL_AUDIT = "internal_audit", "内部审核"
        OTHER = "other", "其他"

    institution = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="技术机构",
        on_delete=models.PROTECT,
        related_name="management_documents",
    )
    kind = models.CharField("文件类别", max_length=24, choices=Kind.choices)
    code = models.CharField("文件编号", max_length=64)
    title = models.CharField("文件名称", max_length=200)
    readable_roles = models.ManyToManyField(
        "access.Role",
        verbose_name="可查阅的角色",
        related_name="+",
        blank=True,
        help_text="不选表示本机构有“查阅管理体系文件”权限的人员都可查阅。",
    )
    published_version = models.ForeignKey(
        "DocumentVersion",
        verbose_name="现行版本",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        "accounts.BusinessUser", verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    is_withdrawn = models.BooleanField("已作废", default=False)

    class Meta:
        verbose_name = "管理体系文件"
        verbose_name_plural = "管理体系文件"
        ordering = ["institution", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "code"], name="unique_document_code_per_institution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class DocumentVersion(models.Model):
    scope_paths = ScopePaths(organisation=("document__institution",), owner="author")

    class Status(models.TextChoices):
        DRAFT = "draft", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "已退回"
        PUBLISHED = "published", "现行有效"
        SUPERSEDED = "superseded", "已被替代"

    document = models.ForeignKey(
        ManagementDocument, verbose_name="文件", on_delete=models.CASCADE, related_name="versions"
    )
    version = models.CharField("版本号", max_length=20, help_text="如 A/0、第 2 版。")
    change_note = models.TextField("修订说明", blank=True)
    file = models.FileField("文件", upload_to="management_documents/", storage=private_storage)
    file_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sm3_digest = models.CharField("SM3 摘要", max_length=64)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        "accounts.BusinessUser", verbose_name="编写人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    approver = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="审批人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_comment = models.CharField("审批意见", max_length=200, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "文件版本"
        verbose_name_plural = "文件版本"
        ordering = ["document", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "version"], name="unique_version_per_document"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document.code} {self.version}"
