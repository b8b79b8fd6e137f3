"""Qualifications of technical institutions and their staff.

An institution verifies an instrument only within a valid metrology authorisation
(计量授权证书) whose authorised items cover it; a person verifies, checks or approves
only with a valid verifier certificate (检定员证 / 计量专业项目考核合格证) for the item.
Fee standards (收费标准) say what the institution charges per item.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models

from business.access.scope_paths import ScopePaths


class AuthorisationCertificate(models.Model):
    """A metrology authorisation (计量授权证书) held by a technical institution."""

    scope_paths = ScopePaths(organisation=("institution",))

    institution = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="技术机构",
        on_delete=models.PROTECT,
        related_name="authorisations",
        limit_choices_to={"kind": "institution"},
    )
    number = models.CharField("证书编号", max_length=64)
    issuing_authority = models.CharField("发证机关", max_length=100)
    issued_on = models.DateField("发证日期", null=True, blank=True)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期至")
    scope_text = models.TextField("授权范围说明", blank=True)
    # Revoking keeps the row (it is evidence of what was authorised when).
    is_revoked = models.BooleanField("已撤销", default=False)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "计量授权证书"
        verbose_name_plural = "计量授权证书"
        ordering = ["-valid_until", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "number"], name="unique_authorisation_number_per_institution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}（{self.institution}）"

    def clean(self):
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": "有效期至不能早于有效期起，请核对证书上的日期。"})

    def is_valid_on(self, on_date: date) -> bool:
        return not self.is_revoked and self.valid_from <= on_date <= self.valid_until


class AuthorisedItem(models.Model):
    """One line of an authorisation: what the institution may verify, and in which range.

    A line names a catalogue item, a regulation, or both. A line with only a
    regulation covers every catalogue item verified to that regulation.
    """

    scope_paths = ScopePaths(organisation=("authorisation__institution",))

    authorisation = models.ForeignKey(
        AuthorisationCertificate,
        verbose_name="授权证书",
        on_delete=models.CASCADE,
        related_name="items",
    )
    instrument_name = models.CharField(
        "计量器具名称", max_length=100, help_text="证书上列出的授权项目名称，如“非自动衡器”。"
    )
    catalogue_item = models.ForeignKey(
        "reference.CatalogueItem",
        verbose_name="强制检定目录项目",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="authorised_items",
    )
    regulation = models.ForeignKey(
        "reference.Regulation",
        verbose_name="依据规程",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="authorised_items",
    )
    measuring_range = models.CharField("测量范围", max_length=200, blank=True)
    accuracy = models.CharField("准确度等级或不确定度", max_length=200, blank=True)
    scope_note = models.CharField("授权类别与说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "授权项目"
        verbose_name_plural = "授权项目"
        ordering = ["authorisation", "id"]

    def __str__(self) -> str:
        return self.instrument_name

    def clean(self):
        if self.catalogue_item_id is None and self.regulation_id is None:
            raise ValidationError(
                {"catalogue_item": "授权项目至少应关联强制检定目录项目或依据规程之一，请选择。"}
            )


class StaffQualification(models.Model):
    """A qualification of one person: registered metrologist or verifier certificate."""

    scope_paths = ScopePaths(organisation=("user__organisation",), owner="user")

    class Kind(models.TextChoices):
        REGISTERED_METROLOGIST_1 = "registered_metrologist_1", "一级注册计量师"
        REGISTERED_METROLOGIST_2 = "registered_metrologist_2", "二级注册计量师"
        # The old 检定员证 and its successor 计量专业项目考核合格证 both prove competence
        # for named items; the platform treats them alike.
        VERIFIER_CERTIFICATE = "verifier_certificate", "检定员证（计量专业项目考核合格证）"

    user = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="qualifications",
    )
    kind = models.CharField("资格类型", max_length=30, choices=Kind.choices)
    number = models.CharField("证书编号", max_length=64)
    issuing_authority = models.CharField("发证机关", max_length=100, blank=True)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期至")
    catalogue_items = models.ManyToManyField(
        "reference.CatalogueItem",
        verbose_name="考核合格的项目",
        related_name="staff_qualifications",
        blank=True,
    )
    note = models.CharField("备注", max_length=200, blank=True)
    is_revoked = models.BooleanField("已注销", default=False)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "人员资格"
        verbose_name_plural = "人员资格"
        ordering = ["user", "-valid_until"]
        indexes = [models.Index(fields=["user", "kind", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()} {self.number}"

    def clean(self):
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": "有效期至不能早于有效期起，请核对证书上的日期。"})

    def is_valid_on(self, on_date: date) -> bool:
        return not self.is_revoked and self.valid_from <= on_date <= self.valid_until


class FeeStandard(models.Model):
    """What an institution charges for verifying one kind of instrument (收费标准)."""

    scope_paths = ScopePaths(organisation=("institution",))

    institution = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="技术机构",
        on_delete=models.PROTECT,
        related_name="fee_standards",
        limit_choices_to={"kind": "institution"},
    )
    item_name = models.CharField("收费项目", max_length=100)
    catalogue_item = models.ForeignKey(
        "reference.CatalogueItem",
        verbose_name="强制检定目录项目",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fee_standards",
    )
    unit = models.CharField("计价单位", max_length=20, default="台（件）")
    price = models.DecimalField("单价（元）", max_digits=10, decimal_places=2)
    basis = models.CharField("收费依据", max_length=200, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    valid_from = models.DateField("执行日期", null=True, blank=True)
    is_active = models.BooleanField("执行中", default=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "收费标准"
        verbose_name_plural = "收费标准"
        ordering = ["institution", "item_name"]

    def __str__(self) -> str:
        return f"{self.item_name} {self.price} 元/{self.unit}"
