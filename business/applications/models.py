"""Verification applications (检定申请): an enterprise requests an institution to verify
instruments of its ledger, and follows the request until the certificates are issued.

An application's status only changes through the transition methods below, called by
``business.applications.services``, which also write the timeline, the audit event
and the messages.
"""

from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition

from business.access.scope_paths import ScopePaths


class ApplicationStatus(models.TextChoices):
    # Only applications to an institution outside the province start here.
    PENDING_REGULATOR = "pending_regulator", "待监管部门确认"
    REGULATOR_REJECTED = "regulator_rejected", "监管部门未同意"
    # Final for an out-of-province institution that is not on the platform.
    REGULATOR_CONFIRMED = "regulator_confirmed", "监管部门已同意省外送检"
    SUBMITTED = "submitted", "待机构确认"
    CONFIRMED = "confirmed", "已确认预约"
    REJECTED = "rejected", "机构已拒绝"
    ACCEPTED = "accepted", "已受理"
    IN_VERIFICATION = "in_verification", "检定中"
    COMPLETED = "completed", "已出具证书"


class DeliveryMode(models.TextChoices):
    SEND = "send", "送检"
    ON_SITE = "on_site", "现场检定"


class VerificationApplication(FSMModelMixin, models.Model):
    """One request of an enterprise for the verification of one or more instruments."""

    # Data scope: the applying enterprise and the addressed institution both reach an
    # application. Regulators reach it by the enterprise's division. An enterprise user
    # with the "own" scope reaches only the applications assigned to them.
    scope_paths = ScopePaths(
        organisation=("enterprise", "institution"),
        division=("enterprise__division",),
        owner="assignee",
    )
    Status = ApplicationStatus

    number = models.CharField("申请编号", max_length=32, unique=True)
    enterprise = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="申请单位",
        on_delete=models.PROTECT,
        related_name="verification_applications",
        limit_choices_to={"kind": "enterprise"},
    )
    # Empty when the application goes to an institution outside the province that is
    # not on the platform; its name is then in ``external_institution_name``.
    institution = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="检定机构",
        on_delete=models.PROTECT,
        related_name="addressed_applications",
        null=True,
        blank=True,
        limit_choices_to={"kind": "institution"},
    )
    out_of_province = models.BooleanField("省外送检", default=False)
    external_institution_name = models.CharField("省外检定机构名称", max_length=200, blank=True)
    out_of_province_reason = models.TextField("省外送检理由", blank=True)
    preferred_date = models.DateField("期望检定日期")
    delivery_mode = models.CharField(
        "检定方式", max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.SEND
    )
    contact_note = models.CharField("备注", max_length=500, blank=True)
    status = FSMField(
        "状态",
        max_length=24,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        protected=True,
    )

    submitted_by = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="申请人",
        on_delete=models.PROTECT,
        related_name="submitted_applications",
    )
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    # Regulator's decision on an out-of-province application.
    regulator_decided_by = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="确认人（监管部门）",
        on_delete=models.PROTECT,
        related_name="decided_out_of_province_applications",
        null=True,
        blank=True,
    )
    regulator_decided_at = models.DateTimeField("监管部门确认时间", null=True, blank=True)
    regulator_comment = models.CharField("监管部门意见", max_length=500, blank=True)

    # Institution's booking confirmation (预约确认).
    appointment_date = models.DateField("预约检定日期", null=True, blank=True)
    confirmation_note = models.CharField("确认说明", max_length=500, blank=True)
    rejection_reason = models.CharField("拒绝原因", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="确认人（技术机构）",
        on_delete=models.PROTECT,
        related_name="decided_applications",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField("机构确认时间", null=True, blank=True)

    # Acceptance (检定受理).
    received_by = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="受理人",
        on_delete=models.PROTECT,
        related_name="received_applications",
        null=True,
        blank=True,
    )
    received_at = models.DateTimeField("受理时间", null=True, blank=True)

    # Internal task (内部任务) of the enterprise: who follows the application up.
    assignee = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="跟进人",
        on_delete=models.PROTECT,
        related_name="assigned_applications",
        null=True,
        blank=True,
    )
    task_note = models.CharField("任务说明", max_length=500, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "检定申请"
        verbose_name_plural = "检定申请"
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["enterprise", "status"]),
            models.Index(fields=["institution", "status"]),
            models.Index(fields=["status", "out_of_province"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def institution_display_name(self) -> str:
        if self.institution_id:
            return self.institution.name
        return self.external_institution_name

    @transition(
        field=status, source=ApplicationStatus.PENDING_REGULATOR, target=ApplicationStatus.SUBMITTED
    )
    def confirm_out_of_province_to_institution(self) -> None:
        """Pass an agreed out-of-province application on to its institution on the platform."""

    @transition(
        field=status,
        source=ApplicationStatus.PENDING_REGULATOR,
        target=ApplicationStatus.REGULATOR_CONFIRMED,
    )
    def confirm_out_of_province_external(self) -> None:
        """Close an agreed application whose institution is not on the platform."""

    @transition(
        field=status,
        source=ApplicationStatus.PENDING_REGULATOR,
        target=ApplicationStatus.REGULATOR_REJECTED,
    )
    def reject_out_of_province(self) -> None:
        """Close an application the regulator did not agree to send out of the province."""

    @transition(
        field=status, source=ApplicationStatus.SUBMITTED, target=ApplicationStatus.CONFIRMED
    )
    def confirm(self) -> None:
        """Mark the booking as confirmed (预约确认) by the institution."""

    @transition(field=status, source=ApplicationStatus.SUBMITTED, target=ApplicationStatus.REJECTED)
    def reject(self) -> None:
        """Mark the booking as declined by the institution."""

    @transition(field=status, source=ApplicationStatus.CONFIRMED, target=ApplicationStatus.ACCEPTED)
    def accept(self) -> None:
        """Mark the instruments as received (检定受理) with their sample numbers."""

    @transition(
        field=status, source=ApplicationStatus.ACCEPTED, target=ApplicationStatus.IN_VERIFICATION
    )
    def start_verification(self) -> None:
        """Mark the application as in verification once its first record is entered."""

    @transition(
        field=status,
        source=[ApplicationStatus.ACCEPTED, ApplicationStatus.IN_VERIFICATION],
        target=ApplicationStatus.COMPLETED,
    )
    def complete(self) -> None:
        """Close the application once every instrument has its certificate or result notice."""


class ApplicationItem(models.Model):
    """One instrument of an application, with its sample number once received."""

    application = models.ForeignKey(
        VerificationApplication,
        verbose_name="检定申请",
        on_delete=models.CASCADE,
        related_name="items",
    )
    instrument = models.ForeignKey(
        "instruments.Instrument",
        verbose_name="计量器具",
        on_delete=models.PROTECT,
        related_name="application_items",
    )
    sample_number = models.CharField("样品编号", max_length=40, blank=True)

    class Meta:
        verbose_name = "申请器具"
        verbose_name_plural = "申请器具"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "instrument"], name="unique_instrument_per_application"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.instrument_id}"


class ApplicationEvent(models.Model):
    """One entry of an application's timeline, shown to the enterprise and institution."""

    application = models.ForeignKey(
        VerificationApplication,
        verbose_name="检定申请",
        on_delete=models.CASCADE,
        related_name="events",
    )
    from_status = models.CharField(
        "原状态", max_length=24, choices=ApplicationStatus.choices, blank=True
    )
    to_status = models.CharField("新状态", max_length=24, choices=ApplicationStatus.choices)
    action = models.CharField("操作", max_length=40)
    note = models.CharField("说明", max_length=500, blank=True)
    actor = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="操作人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField("操作人姓名", max_length=100)
    organisation_name = models.CharField("操作人单位", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "检定申请进度"
        verbose_name_plural = "检定申请进度"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.action}"
