"""The instrument ledger (器具台账): every measuring instrument an enterprise owns."""

from django.db import models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition

from business.access.scope_paths import ScopePaths
from business.reference.models import Usage


class CertificateProblem(models.TextChoices):
    """State of a mandatory instrument's latest verification certificate."""

    VALID = "valid", "证书有效"
    MISSING = "missing", "无检定证书"
    VOID = "void", "最近的证书已作废"
    RESULT_NOTICE = "result_notice", "最近一次检定不合格（检定结果通知书）"
    EXPIRED = "expired", "证书已过有效期"


class CertificateState(models.TextChoices):
    """Latest verification certificate or result notice of an instrument, kept up to date
    by business.instruments.certificate_state when certificates are issued or voided."""

    NONE = "none", "无检定证书"
    VALID = "valid", "有效"
    VOID = "void", "已作废"
    RESULT_NOTICE = "result_notice", "检定结果通知书"


class InstrumentQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Insert ``objs``, first copying each enterprise's division as save() does."""
        objs = list(objs)
        missing = {obj.enterprise_id for obj in objs if obj.enterprise_division_id is None}
        if missing:
            from business.organisations.models import Organisation

            divisions = dict(Organisation.objects.filter(pk__in=missing).values_list("pk", "division_id"))
            for obj in objs:
                if obj.enterprise_division_id is None:
                    obj.enterprise_division_id = divisions.get(obj.enterprise_id)
        return super().bulk_create(objs, *args, **kwargs)

    def with_certificate_problem(self, today) -> "InstrumentQuerySet":
        """Annotate ``certificate_problem`` (a CertificateProblem value) for ``today``.

        The latest certificate is the one with the latest verification date among the
        verification certificates and result notices of the instrument. Calibration
        certificates are ignored because calibration cannot replace mandatory
        verification. A verification certificate without ``valid_until`` (catalogue
        rows verified once and scrapped when inaccurate) does not expire.
        """
        from business.certificates.models import Certificate

        latest_problem = (
            Certificate.objects.filter(
                instrument=OuterRef("pk"),
                kind__in=[Certificate.Kind.VERIFICATION, Certificate.Kind.RESULT_NOTICE],
            )
            .order_by("-verification_date", "-issued_at", "-pk")
            .annotate(
                problem=Case(
                    When(status=Certificate.Status.VOID, then=Value(CertificateProblem.VOID)),
                    When(
                        kind=Certificate.Kind.RESULT_NOTICE,
                        then=Value(CertificateProblem.RESULT_NOTICE),
                    ),
                    When(valid_until__lt=today, then=Value(CertificateProblem.EXPIRED)),
                    default=Value(CertificateProblem.VALID),
                    output_field=models.CharField(),
                )
            )
            .values("problem")[:1]
        )
        return self.annotate(
            certificate_problem=Coalesce(
                Subquery(latest_problem),
                Value(CertificateProblem.MISSING),
                output_field=models.CharField(),
            )
        )

    def mandatory_in_use(self) -> "InstrumentQuerySet":
        return self.filter(status=Instrument.Status.IN_USE, catalogue_item__isnull=False)

    def without_valid_certificate(self, today) -> "InstrumentQuerySet":
        """Filter to mandatory, in-use instruments that lack a valid certificate on ``today``.

        Flags a missing, void or expired latest certificate and a latest result
        notice (failed verification). Runs as one query with a correlated subquery,
        and each row carries the reason in ``certificate_problem``.
        """
        return (
            self.mandatory_in_use()
            .with_certificate_problem(today)
            .exclude(certificate_problem=CertificateProblem.VALID)
        )


class Instrument(FSMModelMixin, models.Model):
    # Data scope: the owning enterprise. Regulators see the instrument by the copy
    # of the enterprise's division on the instrument itself.
    scope_paths = ScopePaths(organisation=("enterprise",), division=("enterprise_division",))

    class DeliveryMode(models.TextChoices):
        SEND = "send", "送检"
        ON_SITE = "on_site", "现场检定"

    class Status(models.TextChoices):
        IN_USE = "in_use", "在用"
        DISABLED = "disabled", "停用"
        SCRAPPED = "scrapped", "报废"

    enterprise = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="使用单位",
        on_delete=models.PROTECT,
        related_name="instruments",
        limit_choices_to={"kind": "enterprise"},
    )
    # Set for instruments under mandatory verification (强制检定); empty otherwise.
    catalogue_item = models.ForeignKey(
        "reference.CatalogueItem",
        verbose_name="强制检定目录项",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instruments",
    )
    # The kind (种类) within the catalogue item, such as 电子计价秤 under 非自动衡器.
    kind = models.CharField("器具种类", max_length=100, blank=True)
    usage = models.CharField("用途", max_length=32, choices=Usage.choices, blank=True)
    name = models.CharField("器具名称", max_length=100)
    model = models.CharField("型号规格", max_length=100, blank=True)
    measuring_range = models.CharField("测量范围", max_length=100, blank=True)
    accuracy_class = models.CharField("准确度等级", max_length=50, blank=True)
    serial_number = models.CharField("出厂编号", max_length=64)
    manufacturer = models.CharField("制造单位", max_length=200, blank=True)
    installation_place = models.CharField("安装使用地点", max_length=200, blank=True)
    division = models.ForeignKey(
        "reference.Division", verbose_name="使用地行政区划", on_delete=models.PROTECT
    )
    # A copy of the enterprise's division, set on filing and kept current by
    # business.instruments.signals when the enterprise moves. Scoping through the
    # enterprises, a city's fuzzy search at 1,000,000 instruments read the whole
    # province's matches to find the city's.
    enterprise_division = models.ForeignKey(
        "reference.Division",
        verbose_name="使用单位所在行政区划",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
    )
    delivery_mode = models.CharField(
        "检定方式", max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.SEND
    )
    # Copies of the latest certificate's state and validity, so that the ledger can
    # filter flagged instruments with an index instead of a subquery per row.
    certificate_state = models.CharField(
        "最近检定证书状态",
        max_length=20,
        choices=CertificateState.choices,
        default=CertificateState.NONE,
    )
    certificate_valid_until = models.DateField("最近检定证书有效期至", null=True, blank=True)
    # Only for catalogue items verified once and replaced when their service life ends
    # (限期使用、到期轮换); the expiry warnings count down to this date.
    service_life_end = models.DateField("到期更换日期", null=True, blank=True)
    # Protected: after loading, only the transition methods below change the status.
    # Call them through business.instruments.services, which also writes the history.
    status = FSMField(
        "状态", max_length=10, choices=Status.choices, default=Status.IN_USE, protected=True
    )
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        verbose_name = "计量器具"
        verbose_name_plural = "计量器具"
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "manufacturer", "serial_number"],
                name="unique_instrument_serial_per_enterprise",
            )
        ]
        indexes = [
            models.Index(fields=["enterprise", "status"]),
            # The ledger list of one enterprise, newest first.
            models.Index(fields=["enterprise", "-id"], name="instrument_enterprise_newest"),
            # Serves the "flagged" filter (mandatory, in use, no valid certificate).
            models.Index(
                fields=["enterprise", "certificate_state", "certificate_valid_until"],
                condition=Q(status="in_use", catalogue_item__isnull=False),
                name="instrument_certificate_flag",
            ),
            models.Index(
                fields=["service_life_end"],
                condition=Q(service_life_end__isnull=False),
                name="instrument_service_life_end",
            ),
            # Narrows a regulator's ledger to the division before the rows are read.
            models.Index(fields=["enterprise_division"], name="instrument_enterprise_division"),
            # Serves without_valid_certificate() and other lists of mandatory
            # instruments in use, scoped by division or enterprise.
            models.Index(
                fields=["division", "enterprise"],
                condition=Q(status="in_use", catalogue_item__isnull=False),
                name="instrument_mandatory_in_use",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.serial_number}）"

    def save(self, *args, **kwargs):
        if self._state.adding and self.enterprise_division_id is None:
            self.enterprise_division_id = self.enterprise.division_id
        super().save(*args, **kwargs)

    @property
    def is_mandatory(self) -> bool:
        return self.catalogue_item_id is not None

    def certificate_problem_on(self, today) -> str | None:
        """Return the CertificateProblem of a mandatory instrument in use, else None.

        Reads the stored copy of the latest certificate, so it agrees with
        ``with_certificate_problem`` as long as the copy is kept up to date.
        """
        if not self.is_mandatory or self.status != self.Status.IN_USE:
            return None
        state = self.certificate_state
        if state == CertificateState.NONE:
            return CertificateProblem.MISSING
        if state == CertificateState.VOID:
            return CertificateProblem.VOID
        if state == CertificateState.RESULT_NOTICE:
            return CertificateProblem.RESULT_NOTICE
        if self.certificate_valid_until is not None and self.certificate_valid_until < today:
            return CertificateProblem.EXPIRED
        return CertificateProblem.VALID

    @transition(field=status, source=Status.IN_USE, target=Status.DISABLED)
    def disable(self) -> None:
        """Take the instrument out of use (停用) for a while."""

    @transition(field=status, source=Status.DISABLED, target=Status.IN_USE)
    def enable(self) -> None:
        """Put a disabled instrument back into use."""

    @transition(field=status, source=[Status.IN_USE, Status.DISABLED], target=Status.SCRAPPED)
    def scrap(self) -> None:
        """Scrap the instrument (报废). No transition leaves this state."""


class InstrumentStatusChange(models.Model):
    """One entry of an instrument's status history, including its filing."""

    instrument = models.ForeignKey(
        Instrument,
        verbose_name="计量器具",
        on_delete=models.PROTECT,
        related_name="status_changes",
    )
    # Empty for the entry that records the filing (备案) of the instrument.
    from_status = models.CharField(
        "原状态", max_length=10, choices=Instrument.Status.choices, blank=True
    )
    to_status = models.CharField("新状态", max_length=10, choices=Instrument.Status.choices)
    # Required for disabling and scrapping, optional for putting back into use.
    reason = models.CharField("原因", max_length=200, blank=True)
    # NOTE: plain text until business accounts exist. A foreign key can follow then.
    actor = models.CharField("操作人", max_length=200)
    changed_at = models.DateTimeField("变更时间", default=timezone.now)

    class Meta:
        verbose_name = "计量器具状态变更"
        verbose_name_plural = "计量器具状态变更"
        ordering = ["changed_at", "pk"]
        indexes = [models.Index(fields=["instrument", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.instrument_id}: {self.from_status or '-'} → {self.to_status}"
