"""The instrument ledger (器具台账): every measuring instrument an enterprise owns."""

from django.db import models

from business.reference.models import Usage


class Instrument(models.Model):
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
    delivery_mode = models.CharField(
        "检定方式", max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.SEND
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.IN_USE)
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "计量器具"
        verbose_name_plural = "计量器具"
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "manufacturer", "serial_number"],
                name="unique_instrument_serial_per_enterprise",
            )
        ]
        indexes = [models.Index(fields=["enterprise", "status"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.serial_number}）"

    @property
    def is_mandatory(self) -> bool:
        return self.catalogue_item_id is not None
