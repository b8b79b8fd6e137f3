"""Verification and calibration records made by technical institutions."""

from django.db import models

from business.access.scope_paths import ScopePaths


class VerificationRecord(models.Model):

    scope_paths = ScopePaths(
        organisation=("instrument__enterprise", "institution"),
        division=("instrument__enterprise__division",),
    )
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

    @property
    def conclusion_text(self) -> str:
        """The verdict as printed on the certificate, e.g. "0.5级合格"."""
        label = self.get_conclusion_display()
        if self.conclusion == self.Conclusion.QUALIFIED and self.accuracy_grade:
            return f"{self.accuracy_grade}{label}"
        return label
