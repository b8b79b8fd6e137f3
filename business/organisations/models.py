"""Organisations: enterprises that own instruments, technical institutions that
verify them, and the regulators that supervise both. Each sits in a division."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.functions import Lower

from business.access.scope_paths import ScopePaths
from business.accounts.models import USERNAME_MAX_LENGTH
from business.core.crypto.fields import BlindIndexField, EncryptedTextField
from business.core.validators import normalise_mobile_number

from . import credit_code


def validate_credit_code(value: str) -> None:
    if not credit_code.is_valid(value):
        raise ValidationError(
            "统一社会信用代码无效：应为 18 位数字或大写字母，且最后一位校验码正确，请核对营业执照。",
            code="invalid_credit_code",
        )



class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, read from the settings on each use, with no URL."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private files have no public URL")


def private_storage():
    return PrivateStorage()

class Organisation(models.Model):

    scope_paths = ScopePaths(organisation=("pk",), division=("division",))
    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", "企业（使用单位）"
        INSTITUTION = "institution", "技术机构"
        REGULATOR = "regulator", "监管部门"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    name = models.CharField("名称", max_length=200)
    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
    )
    division = models.ForeignKey(
        "reference.Division", verbose_name="所在行政区划", on_delete=models.PROTECT
    )
    address = models.CharField("地址", max_length=200, blank=True)
    # Technical institutions print these on their certificates.
    authorisation_number = models.CharField("计量授权证书号", max_length=64, blank=True)
    certificate_prefix = models.CharField(
        "证书编号前缀",
        max_length=12,
        blank=True,
        help_text="技术机构证书编号的前缀，如 HNJY，编号格式为 前缀+年份+6 位序号。",
    )
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # Values of the administrator-defined attributes of this kind of organisation,
    # keyed by OrganisationAttribute.key and stored as normalised text (see attributes.py).
    attributes = models.JSONField("自定义属性", default=dict, blank=True)

    class Meta:
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"
        indexes = [models.Index(fields=["kind", "division"])]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_prefix"],
                condition=~models.Q(certificate_prefix=""),
                name="unique_certificate_prefix",
            )
        ]

    def __str__(self) -> str:
        return self.name


class EnterpriseRegistration(models.Model):
    """An enterprise's request to join the platform, reviewed by the regulator of its division.

    The enterprise and its first business user exist only after approval, so the
    desired user name cannot sign in while the request is pending or rejected.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "已驳回"

    enterprise_name = models.CharField("企业名称", max_length=200)
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, validators=[validate_credit_code]
    )
    division = models.ForeignKey(
        "reference.Division",
        verbose_name="所在县区",
        on_delete=models.PROTECT,
        related_name="enterprise_registrations",
    )
    address = models.CharField("地址", max_length=200)
    contact_name = models.CharField("联系人姓名", max_length=50)
    contact_phone = EncryptedTextField("联系人手机号码")
    contact_phone_index = BlindIndexField(
        source="contact_phone", normaliser=normalise_mobile_number
    )
    username = models.CharField("申请的用户名", max_length=USERNAME_MAX_LENGTH)
    # Hash made by make_password with the platform's first hasher. Cleared once the
    # request is decided, because no later step reads it.
    password_hash = models.CharField("密码哈希", max_length=128, blank=True)
    # Stored outside MEDIA_ROOT, which the web server may serve publicly: the scans
    # are shown only to the reviewing regulator.
    licence_file = models.FileField(
        "营业执照扫描件", upload_to="registration_licences/", storage=private_storage
    )
    licence_content_type = models.CharField("营业执照文件类型", max_length=40)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reviewer = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="审核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_registrations",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)
    organisation = models.OneToOneField(
        Organisation,
        verbose_name="审核通过后创建的企业",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registration",
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "企业注册申请"
        verbose_name_plural = "企业注册申请"
        indexes = [models.Index(fields=["status", "division", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=models.Q(status="pending"),
                name="unique_pending_registration_credit_code",
                violation_error_message="该统一社会信用代码已有待审核的注册申请，请等待审核结果。",
            ),
            models.UniqueConstraint(
                Lower("username"),
                condition=models.Q(status="pending"),
                name="unique_pending_registration_username",
                violation_error_message="该用户名已被另一份待审核的注册申请使用，请换一个。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_name}（{self.get_status_display()}）"


class OrganisationAttribute(models.Model):
    """An attribute that administrators add to one kind of organisation.

    Values live in ``Organisation.attributes`` under ``key``. The key is derived from
    the primary key, so renaming an attribute keeps its values. It starts with a
    letter because JSON look-ups treat an all-digit key as an array index.
    """

    class DataType(models.TextChoices):
        TEXT = "text", "文本"
        NUMBER = "number", "数字"
        DATE = "date", "日期"
        CHOICE = "choice", "选项"

    organisation_kind = models.CharField(
        "适用单位类型", max_length=20, choices=Organisation.Kind.choices
    )
    name = models.CharField("属性名称", max_length=50)
    data_type = models.CharField(
        "数据类型", max_length=10, choices=DataType.choices, default=DataType.TEXT
    )
    required = models.BooleanField("必填", default=False)
    options = models.JSONField(
        "可选值",
        default=list,
        blank=True,
        help_text="数据类型为“选项”时填写，每个可选值一项。",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "单位自定义属性"
        verbose_name_plural = "单位自定义属性"
        ordering = ["organisation_kind", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_kind", "name"],
                name="unique_attribute_name_per_kind",
                violation_error_message="同一单位类型下已有同名属性，请换一个名称。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_organisation_kind_display()} · {self.name}"

    @property
    def key(self) -> str:
        return f"a{self.pk}"

    def clean(self):
        super().clean()
        options = self.options if isinstance(self.options, list) else None
        if options is None or any(not isinstance(item, str) for item in options):
            raise ValidationError({"options": "可选值应为文本列表，请每行填写一个可选值。"})
        cleaned = [item.strip() for item in options if item.strip()]
        if self.data_type == self.DataType.CHOICE and not cleaned:
            raise ValidationError({"options": "数据类型为“选项”时，至少填写一个可选值。"})
        if len(set(cleaned)) != len(cleaned):
            raise ValidationError({"options": "可选值不能重复，请删除重复的项。"})
        self.options = cleaned if self.data_type == self.DataType.CHOICE else []
