"""Public reference lists of the convenience look-ups (便民服务) that no business model holds.

Portal editors maintain them in the Wagtail admin (snippets). Only public facts are
kept: names, employers, products, approval numbers. No phone or ID-card number.
"""

from django.db import models


class InstitutionProfile(models.Model):
    """Public service details of a technical institution: verification, calibration, scope."""

    institution = models.OneToOneField(
        "organisations.Organisation",
        verbose_name="技术机构",
        on_delete=models.CASCADE,
        related_name="lookup_profile",
        limit_choices_to={"kind": "institution"},
    )
    offers_verification = models.BooleanField("开展法定计量检定", default=True)
    offers_calibration = models.BooleanField("开展校准服务", default=False)
    service_scope = models.TextField("服务范围", blank=True)
    service_phone = models.CharField("业务咨询电话（单位座机）", max_length=30, blank=True)

    class Meta:
        verbose_name = "技术机构服务信息"
        verbose_name_plural = "技术机构服务信息"

    def __str__(self) -> str:
        return str(self.institution)


class CommitteeExpert(models.Model):
    name = models.CharField("姓名", max_length=50)
    committee = models.CharField("所属技术委员会", max_length=100)
    specialty = models.CharField("专业领域", max_length=100)
    employer = models.CharField("工作单位", max_length=200)
    title = models.CharField("职称", max_length=50, blank=True)
    is_active = models.BooleanField("在任", default=True)

    class Meta:
        verbose_name = "技术委员会专家"
        verbose_name_plural = "技术委员会专家"
        ordering = ["committee", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.committee}）"


class Manufacturer(models.Model):
    name = models.CharField("企业名称", max_length=200)
    division = models.ForeignKey(
        "reference.Division", verbose_name="所在地", on_delete=models.PROTECT, related_name="+"
    )
    products = models.CharField("主要计量器具产品", max_length=300)
    pattern_approval_numbers = models.CharField("型式批准证书号", max_length=300, blank=True)

    class Meta:
        verbose_name = "计量器具生产企业"
        verbose_name_plural = "计量器具生产企业"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class SelfDeclaration(models.Model):
    """A prepackaged-goods producer's self-declaration of metrological assurance capability."""

    class Status(models.TextChoices):
        VALID = "valid", "有效"
        REVOKED = "revoked", "已注销"

    enterprise_name = models.CharField("企业名称", max_length=200)
    division = models.ForeignKey(
        "reference.Division", verbose_name="所在地", on_delete=models.PROTECT, related_name="+"
    )
    products = models.CharField("定量包装商品", max_length=300)
    declaration_number = models.CharField("声明编号", max_length=50, unique=True)
    declared_on = models.DateField("声明日期")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.VALID)

    class Meta:
        verbose_name = "定量包装商品自我声明"
        verbose_name_plural = "定量包装商品自我声明"
        ordering = ["-declared_on", "pk"]

    def __str__(self) -> str:
        return f"{self.enterprise_name} {self.declaration_number}"
