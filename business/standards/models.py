"""Measurement standards of technical institutions, their equipment, and the regulation library.

A verification may only use standards whose assessment certificate (计量标准考核证书)
and whose equipment's traceability certificates (检定/校准证书) are valid on the
verification date; ``services.check_standards_usable`` enforces that.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models

from business.access.scope_paths import ScopePaths


class MeasurementStandard(models.Model):
    """A measurement standard (计量标准) with its assessment certificate."""

    scope_paths = ScopePaths(organisation=("institution",))

    class Category(models.TextChoices):
        PUBLIC = "public", "社会公用计量标准"
        DEPARTMENT_HIGHEST = "department_highest", "部门最高计量标准"
        ENTERPRISE_HIGHEST = "enterprise_highest", "企事业单位最高计量标准"
        WORKING = "working", "工作计量标准"

    institution = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="建标单位",
        on_delete=models.PROTECT,
        related_name="measurement_standards",
    )
    name = models.CharField("计量标准名称", max_length=100)
    code = models.CharField("计量标准代码", max_length=32, blank=True)
    category = models.CharField(
        "类别", max_length=24, choices=Category.choices, default=Category.PUBLIC
    )
    certificate_number = models.CharField("计量标准考核证书号", max_length=64)
    issuing_authority = models.CharField("发证机关", max_length=100, blank=True)
    valid_from = models.DateField("有效期起", null=True, blank=True)
    valid_until = models.DateField("有效期至")
    measuring_range = models.CharField("测量范围", max_length=200, blank=True)
    uncertainty = models.CharField("不确定度或准确度等级或最大允许误差", max_length=200, blank=True)
    catalogue_items = models.ManyToManyField(
        "reference.CatalogueItem",
        verbose_name="开展的检定项目",
        related_name="measurement_standards",
        blank=True,
    )
    regulations = models.ManyToManyField(
        "reference.Regulation",
        verbose_name="依据的规程规范",
        related_name="measurement_standards",
        blank=True,
    )
    storage_place = models.CharField("存放地点", max_length=100, blank=True)
    is_retired = models.BooleanField("已撤销", default=False)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "计量标准"
        verbose_name_plural = "计量标准"
        ordering = ["institution", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "certificate_number"],
                name="unique_standard_certificate_per_institution",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_number}）"

    def clean(self):
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": "有效期至不能早于有效期起，请核对考核证书。"})

    def is_valid_on(self, on_date: date) -> bool:
        if self.is_retired or self.valid_until < on_date:
            return False
        return self.valid_from is None or self.valid_from <= on_date


class StandardEquipment(models.Model):
    """A standard instrument (标准器) or auxiliary equipment (配套设备) and its traceability."""

    scope_paths = ScopePaths(organisation=("institution",))

    class Role(models.TextChoices):
        STANDARD = "standard", "标准器"
        AUXILIARY = "auxiliary", "配套设备"

    institution = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="技术机构",
        on_delete=models.PROTECT,
        related_name="standard_equipment",
    )
    standard = models.ForeignKey(
        MeasurementStandard,
        verbose_name="所属计量标准",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="equipment",
    )
    role = models.CharField("类别", max_length=12, choices=Role.choices, default=Role.STANDARD)
    name = models.CharField("设备名称", max_length=100)
    model = models.CharField("型号规格", max_length=100, blank=True)
    serial_number = models.CharField("出厂编号", max_length=64, blank=True)
    manufacturer = models.CharField("制造单位", max_length=200, blank=True)
    measuring_range = models.CharField("测量范围", max_length=200, blank=True)
    uncertainty = models.CharField("不确定度或准确度等级或最大允许误差", max_length=200, blank=True)
    traceability_certificate_number = models.CharField("溯源证书号", max_length=64, blank=True)
    traceability_institution = models.CharField("溯源机构", max_length=200, blank=True)
    traced_on = models.DateField("检定/校准日期", null=True, blank=True)
    due_on = models.DateField("有效期至（下次溯源日期）")
    is_retired = models.BooleanField("已停用", default=False)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "标准设备"
        verbose_name_plural = "标准设备"
        ordering = ["institution", "due_on", "name"]
        indexes = [models.Index(fields=["institution", "due_on"])]

    def __str__(self) -> str:
        return f"{self.name} {self.serial_number}".strip()

    def is_valid_on(self, on_date: date) -> bool:
        return not self.is_retired and on_date <= self.due_on


class RegulationStatus(models.TextChoices):
    IN_FORCE = "in_force", "现行有效"
    SUPERSEDED = "superseded", "已被代替"
    ABOLISHED = "abolished", "已废止"
    FORTHCOMING = "forthcoming", "即将实施"


class RegulationLibraryEntry(models.Model):
    """Status of a regulation or specification in the library (规程库).

    Kept beside reference.Regulation, which has no status of its own: one entry per
    regulation, with when it took effect and what replaced it.
    """

    regulation = models.OneToOneField(
        "reference.Regulation",
        verbose_name="规程规范",
        on_delete=models.CASCADE,
        related_name="library_entry",
    )
    status = models.CharField(
        "状态", max_length=12, choices=RegulationStatus.choices, default=RegulationStatus.IN_FORCE
    )
    published_on = models.DateField("发布日期", null=True, blank=True)
    effective_on = models.DateField("实施日期", null=True, blank=True)
    superseded_by = models.ForeignKey(
        "reference.Regulation",
        verbose_name="代替它的规程",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes_entries",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "规程库条目"
        verbose_name_plural = "规程库"
        ordering = ["regulation__code"]

    def __str__(self) -> str:
        return f"{self.regulation} {self.get_status_display()}"

    def clean(self):
        if self.superseded_by_id and self.superseded_by_id == self.regulation_id:
            raise ValidationError({"superseded_by": "规程不能被自身代替，请选择新版规程。"})
        if self.status == RegulationStatus.SUPERSEDED and not self.superseded_by_id:
            raise ValidationError({"superseded_by": "状态为“已被代替”时，请选择代替它的规程。"})
