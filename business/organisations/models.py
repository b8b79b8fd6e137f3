"""Organisations: enterprises that own instruments, technical institutions that
verify them, and the regulators that supervise both. Each sits in a division."""

from django.core.exceptions import ValidationError
from django.db import models

from . import credit_code


def validate_credit_code(value: str) -> None:
    if not credit_code.is_valid(value):
        raise ValidationError(
            "统一社会信用代码无效：应为 18 位数字或大写字母，且最后一位校验码正确，请核对营业执照。",
            code="invalid_credit_code",
        )


class Organisation(models.Model):
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
