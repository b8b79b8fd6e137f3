"""Verification and calibration records made by technical institutions.

A record entered on the platform follows a record template of its regulation and
passes three hands: the verifier enters it, the checker checks it and the approver
approves it, which issues the certificate. Records loaded in bulk (demo data, older
imports) arrive already approved and carry only the three names.
"""

from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel

from business.access.scope_paths import ScopePaths


class RecordStatus(models.TextChoices):
    ENTERED = "entered", "待核验"
    CHECKED = "checked", "待批准"
    APPROVED = "approved", "已批准"


class RecordTemplate(ClusterableModel):
    """The form of an original record (原始记录) for one regulation."""

    scope_paths = ScopePaths(organisation=("institution",))

    regulation = models.ForeignKey(
        "reference.Regulation",
        verbose_name="依据规程",
        on_delete=models.PROTECT,
        related_name="record_templates",
    )
    # Empty for templates every institution may use; set for an institution's own.
    institution = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="技术机构",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="record_templates",
    )
    name = models.CharField("模板名称", max_length=100)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    panels = [
        FieldPanel("regulation"),
        FieldPanel("institution"),
        FieldPanel("name"),
        FieldPanel("is_active"),
        InlinePanel("fields", label="数据项", min_num=1),
    ]

    class Meta:
        verbose_name = "原始记录模板"
        verbose_name_plural = "原始记录模板"
        ordering = ["regulation__code", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class TemplateField(models.Model):
    """One value a record template requires: an environmental condition or a data point
    of a verification item."""

    class Section(models.TextChoices):
        ENVIRONMENT = "environment", "环境条件"
        ITEM = "item", "检定项目"

    class ValueType(models.TextChoices):
        NUMBER = "number", "数值"
        TEXT = "text", "文字"
        VERDICT = "verdict", "合格/不合格"

    template = ParentalKey(
        RecordTemplate, verbose_name="模板", on_delete=models.CASCADE, related_name="fields"
    )
    section = models.CharField("部分", max_length=12, choices=Section.choices)
    # Verification item (检定项目) the data point belongs to, e.g. 示值误差; empty for
    # environmental conditions.
    item_name = models.CharField("检定项目", max_length=60, blank=True)
    # Identifier of the value in the record's data and the column header of imports.
    key = models.SlugField("字段代码", max_length=40)
    label = models.CharField("名称", max_length=60)
    unit = models.CharField("单位", max_length=20, blank=True)
    value_type = models.CharField(
        "数据类型", max_length=10, choices=ValueType.choices, default=ValueType.NUMBER
    )
    required = models.BooleanField("必填", default=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    panels = [
        FieldPanel("section"),
        FieldPanel("item_name"),
        FieldPanel("key"),
        FieldPanel("label"),
        FieldPanel("unit"),
        FieldPanel("value_type"),
        FieldPanel("required"),
        FieldPanel("position"),
    ]

    class Meta:
        verbose_name = "原始记录模板字段"
        verbose_name_plural = "原始记录模板字段"
        ordering = ["template", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "key"], name="unique_field_key_per_template"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}（{self.unit}）" if self.unit else self.label


class VerificationRecord(FSMModelMixin, models.Model):
    scope_paths = ScopePaths(
        organisation=("instrument__enterprise", "institution"),
        division=("instrument__enterprise__division",),
    )
    Status = RecordStatus

    class Kind(models.TextChoices):
        VERIFICATION = "verification", "检定"
        CALIBRATION = "calibration", "校准"

    class Conclusion(models.TextChoices):
        QUALIFIED = "qualified", "合格"
        UNQUALIFIED = "unqualified", "不合格"
        # Calibration gives data and uncertainty, not a pass or fail verdict.
        NOT_APPLICABLE = "not_applicable", "不作结论"

    instrument = models.ForeignKey(
        "instruments.Instrument",
        verbose_name="计量器具",
        on_delete=models.PROTECT,
        related_name="verification_records",
    )
    institution = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="技术机构",
        on_delete=models.PROTECT,
        related_name="verification_records",
        limit_choices_to={"kind": "institution"},
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.VERIFICATION)
    regulation = models.ForeignKey(
        "reference.Regulation",
        verbose_name="依据规程",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    record_number = models.CharField("原始记录号", max_length=64)
    verification_date = models.DateField("检定日期")
    conclusion = models.CharField("检定结论", max_length=20, choices=Conclusion.choices)
    # Printed before the verdict when the regulation grades the instrument, e.g. "0.5级".
    accuracy_grade = models.CharField("准确度等级结论", max_length=50, blank=True)
    verifier_name = models.CharField("检定员", max_length=50)
    checker_name = models.CharField("核验员", max_length=50)
    approver_name = models.CharField("批准人", max_length=50)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    # Online entry. Bulk-loaded records keep the defaults: approved, no template.
    status = FSMField(
        "状态",
        max_length=10,
        choices=RecordStatus.choices,
        default=RecordStatus.APPROVED,
        protected=True,
    )
    application_item = models.OneToOneField(
        "applications.ApplicationItem",
        verbose_name="申请器具（样品）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="record",
    )
    template = models.ForeignKey(
        RecordTemplate,
        verbose_name="原始记录模板",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    place = models.CharField("检定地点", max_length=200, blank=True)
    # Values of the template's fields by key, as entered (numbers as strings).
    data = models.JSONField("记录数据", default=dict, blank=True)
    standards = models.ManyToManyField(
        "standards.MeasurementStandard",
        verbose_name="使用的计量标准",
        related_name="verification_records",
        blank=True,
    )
    verifier = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="检定员（用户）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entered_records",
    )
    checker = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="核验员（用户）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checked_records",
    )
    approver = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="批准人（用户）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_records",
    )
    checked_at = models.DateTimeField("核验时间", null=True, blank=True)
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    check_comment = models.CharField("核验意见", max_length=500, blank=True)
    # Why a checker or approver sent the record back; cleared when it is entered again.
    return_reason = models.CharField("退回原因", max_length=500, blank=True)

    class Meta:
        verbose_name = "检定记录"
        verbose_name_plural = "检定记录"
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "record_number"], name="unique_record_number_per_institution"
            )
        ]

    def __str__(self) -> str:
        return self.record_number

    @transition(field=status, source=RecordStatus.ENTERED, target=RecordStatus.CHECKED)
    def mark_checked(self) -> None:
        """Mark the record as checked by the checker (核验员)."""

    @transition(field=status, source=RecordStatus.CHECKED, target=RecordStatus.APPROVED)
    def mark_approved(self) -> None:
        """Mark the record as approved by the approver (批准人), which issues the certificate."""

    @transition(
        field=status,
        source=[RecordStatus.ENTERED, RecordStatus.CHECKED],
        target=RecordStatus.ENTERED,
    )
    def send_back(self) -> None:
        """The checker or approver returns the record to the verifier for correction."""

    @property
    def conclusion_text(self) -> str:
        """The verdict as printed on the certificate, e.g. "0.5级合格"."""
        label = self.get_conclusion_display()
        if self.conclusion == self.Conclusion.QUALIFIED and self.accuracy_grade:
            return f"{self.accuracy_grade}{label}"
        return label
