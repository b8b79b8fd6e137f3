"""Reference data shared by the business apps.

Administrative divisions of Henan, the official holiday calendar, the verification
regulations (JJG/JJF) and the mandatory verification catalogue (强制检定目录). The
``load_reference_data`` command seeds all four from ``data/reference/``.
"""

import time
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models


class Confidence(models.TextChoices):
    """How far a row has been checked against an official source."""

    CONFIRMED = "C", "已核实"
    PARTLY_CONFIRMED = "P", "部分核实"
    UNCONFIRMED = "U", "待核实"


class DivisionLevel(models.TextChoices):
    PROVINCE = "province", "省"
    PREFECTURE = "prefecture", "地市"
    # 省直辖县级行政区划 (for Henan 419000) groups county-level cities that the
    # province administers directly. It is a code-table node, not a city.
    PREFECTURE_GROUP = "prefecture_group", "省直辖县级行政区划"
    COUNTY = "county", "县区"


class DivisionQuerySet(models.QuerySet):
    def within(self, code: str) -> "DivisionQuerySet":
        """Filter to the division ``code`` and every division below it."""
        return self.filter(code__in=Division.collect_descendant_codes(code))


class Division(models.Model):
    """Administrative division with its six-digit code (GB/T 2260, NBS statistical codes)."""

    code = models.CharField(
        "区划代码",
        max_length=6,
        primary_key=True,
        validators=[RegexValidator(r"^\d{6}$", "区划代码应为 6 位数字。")],
    )
    name = models.CharField("名称", max_length=64)
    level = models.CharField("级别", max_length=16, choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    # False for the NBS statistical zones (code with 7 in the fifth digit, such as
    # 410171 郑州经济技术开发区), which have no GB/T 2260 code.
    is_admin_division = models.BooleanField("行政区划", default=True)

    objects = DivisionQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @staticmethod
    def collect_descendant_codes(code: str) -> frozenset[str]:
        """Return ``code`` and the codes of all divisions below it.

        Data scopes ("own division and below") filter on this set, on nearly every
        request, so the tree comes from division_children(). An unknown code returns
        a set with only that code.
        """
        children = division_children()
        codes = {code}
        frontier = [code]
        while frontier:
            frontier = [child for parent in frontier for child in children.get(parent, ())]
            codes.update(frontier)
        return frozenset(codes)

    def descendant_codes(self) -> frozenset[str]:
        """Return this division's code and the codes of all divisions below it."""
        return self.collect_descendant_codes(self.code)

    @property
    def city_code(self) -> str | None:
        """Code of the prefecture-level city that this division belongs to.

        A county directly under the province (济源市 419001, parent 419000) is its own
        city, because the group 419000 is not a city. The province and the group
        itself belong to no city and return None. For a county this reads the parent
        row, one query unless the parent was loaded with select_related().
        """
        if self.level == DivisionLevel.PREFECTURE:
            return self.code
        if self.level == DivisionLevel.COUNTY:
            if self.parent is not None and self.parent.level == DivisionLevel.PREFECTURE_GROUP:
                return self.code
            return self.parent_id
        return None


class CalendarDay(models.Model):
    """Exception to the Monday–Friday working week: a public holiday or a make-up working day."""

    date = models.DateField("日期", unique=True)
    # True: a weekend day that is worked (调休上班). False: a day off.
    is_workday = models.BooleanField("调休上班", default=False)
    name = models.CharField("节日", max_length=32)
    source = models.URLField("依据（国务院办公厅通知）", max_length=500, blank=True)

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self):
        kind = "调休上班" if self.is_workday else "放假"
        return f"{self.date.isoformat()} {self.name} {kind}"

    def clean(self):
        # A make-up working day on a weekday would change nothing, so it is a data error.
        if self.is_workday and self.date is not None and self.date.weekday() < 5:
            raise ValidationError({"is_workday": "调休上班日应为周六或周日。"})


class IndustryLevel(models.TextChoices):
    SECTION = "section", "门类"
    DIVISION = "division", "大类"
    GROUP = "group", "中类"
    CLASS = "class", "小类"


class Industry(models.Model):
    """Industry of the national economy (国民经济行业分类, GB/T 4754-2017).

    The platform ships the 20 sections A–T; divisions and finer levels can be added
    below them in the admin when a screen needs them.
    """

    code = models.CharField(
        "代码",
        max_length=5,
        primary_key=True,
        validators=[RegexValidator(r"^([A-T]|\d{2,4})$", "代码应为门类字母 A–T 或 2–4 位数字。")],
    )
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=IndustryLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )

    class Meta:
        verbose_name = "国民经济行业"
        verbose_name_plural = "国民经济行业"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        if self.level == IndustryLevel.SECTION and self.parent_id:
            raise ValidationError({"parent": "门类是最高层级，不能有上级。"})
        if self.level != IndustryLevel.SECTION and not self.parent_id:
            raise ValidationError({"parent": "大类、中类和小类须选择上级。"})


class RegulationKind(models.TextChoices):
    JJG = "JJG", "检定规程"
    JJF = "JJF", "技术规范"


class Regulation(models.Model):
    """National metrology verification regulation (JJG) or technical specification (JJF)."""

    code = models.CharField(
        "编号",
        max_length=32,
        unique=True,
        help_text="例如 JJG 162-2019；年号不详时只写编号，例如 JJG 633。",
    )
    name = models.CharField("名称", max_length=128)
    kind = models.CharField("类别", max_length=3, choices=RegulationKind.choices)
    confidence = models.CharField(
        "核实程度", max_length=1, choices=Confidence.choices, default=Confidence.UNCONFIRMED
    )
    source = models.TextField("来源", blank=True)

    class Meta:
        verbose_name = "计量技术法规"
        verbose_name_plural = "计量技术法规"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        if self.code and self.kind and not self.code.startswith(self.kind):
            raise ValidationError({"kind": f"编号 {self.code} 与类别 {self.kind} 不一致。"})


class Usage(models.TextChoices):
    """Purpose for which the catalogue makes an instrument mandatory (强管类型)."""

    TRADE_SETTLEMENT = "trade_settlement", "贸易结算"
    SAFETY_PROTECTION = "safety_protection", "安全防护"
    MEDICAL_CARE = "medical_care", "医疗卫生"
    ENVIRONMENTAL_MONITORING = "environmental_monitoring", "环境监测"
    PUBLIC_STANDARD = "public_standard", "社会公用计量标准器具"
    HIGHEST_STANDARD = "highest_standard", "部门、企事业单位最高计量标准器具"


class SupervisionMethod(models.TextChoices):
    PATTERN_APPROVAL = "P", "型式批准"
    VERIFICATION = "V", "强制检定"
    BOTH = "P+V", "型式批准、强制检定"


class VerificationForm(models.TextChoices):
    PERIODIC = "periodic", "周期检定"
    REPLACE = "replace", "首次检定、限期使用、到期轮换"
    SCRAP = "scrap", "首次检定、失准报废"


class MissingIntervalError(ValueError):
    """Raised when a catalogue row needs a cycle or service life that is not recorded."""


def last_valid_day(start: date, months: int) -> date:
    """Return the last day on which a verification made on ``start`` is valid.

    Certificates commonly print the day before the anniversary: 2025-03-10 with a
    12-month cycle is valid until 2026-03-09. relativedelta clamps to the month end,
    so 2025-01-31 plus one month is 2025-02-28 and the last valid day is 2025-02-27.
    """
    return start + relativedelta(months=months) - timedelta(days=1)


class CatalogueItem(models.Model):
    """Row of the mandatory verification catalogue (实施强制管理的计量器具目录).

    Each row has at most one interval. Where the maximum interval depends on the size
    (water meters DN ≤ 25 and 25 < DN ≤ 50), the sizes are separate rows.

    NOTE: the seeded rows are a working list, not a copy of the official 2020 table.
    ``confidence`` marks how far each row has been checked, and rows marked U or P
    need an administrator's review before business rules rely on them.
    """

    number = models.PositiveIntegerField("序号", unique=True)
    item_name = models.CharField("项目", max_length=64)
    kinds = models.TextField("种类", blank=True)
    usage = models.CharField("强管类型", max_length=32, choices=Usage.choices)
    supervision_method = models.CharField(
        "监管方式", max_length=3, choices=SupervisionMethod.choices
    )
    verification_form = models.CharField(
        "强制检定形式", max_length=16, choices=VerificationForm.choices
    )
    scope = models.TextField("适用范围", blank=True)
    regulations = models.ManyToManyField(
        Regulation, verbose_name="检定规程", related_name="catalogue_items", blank=True
    )
    cycle_months = models.PositiveSmallIntegerField(
        "最长检定周期（月）", null=True, blank=True, help_text="仅周期检定的项目填写。"
    )
    service_life_months = models.PositiveSmallIntegerField(
        "使用期限（月）",
        null=True,
        blank=True,
        help_text="仅限期使用、到期轮换的项目填写，自首次检定日期起算。",
    )
    interval_note = models.TextField("周期说明", blank=True)
    confidence = models.CharField(
        "核实程度", max_length=1, choices=Confidence.choices, default=Confidence.UNCONFIRMED
    )
    source = models.TextField("来源", blank=True)
    reviewed_by_admin = models.BooleanField(
        "管理员已审核",
        default=False,
        help_text="勾选后，导入基础数据命令不再修改本行。",
    )

    class Meta:
        verbose_name = "强制检定目录"
        verbose_name_plural = "强制检定目录"
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.item_name}"

    def clean(self):
        errors = {}
        form = self.verification_form
        if form != VerificationForm.PERIODIC and self.cycle_months is not None:
            errors["cycle_months"] = "只有周期检定的项目才有检定周期。"
        if form != VerificationForm.REPLACE and self.service_life_months is not None:
            errors["service_life_months"] = "只有限期使用、到期轮换的项目才有使用期限。"
        if self.cycle_months == 0:
            errors["cycle_months"] = "检定周期应大于 0。"
        if self.service_life_months == 0:
            errors["service_life_months"] = "使用期限应大于 0。"
        if errors:
            raise ValidationError(errors)

    def valid_until(self, verification_date: date) -> date | None:
        """Return the last valid day of a verification made on ``verification_date``.

        Periodic rows count the cycle from this verification. Replace rows count the
        service life from the first verification, so pass that date. Scrap rows have no
        end date and return None. Raises MissingIntervalError when a periodic or replace
        row has no interval recorded yet.
        """
        if self.verification_form == VerificationForm.SCRAP:
            return None

        if self.verification_form == VerificationForm.PERIODIC:
            months, interval_name = self.cycle_months, "verification cycle"
        else:
            months, interval_name = self.service_life_months, "service life"
        if months is None:
            raise MissingIntervalError(
                f"Catalogue row {self.number} ({self.item_name}) has no {interval_name}. "
                "Check the regulation and set it in the admin under 基础数据."
            )
        return last_valid_day(verification_date, months)


# Maximum age in seconds of this process's copy of the division tree. Saving or
# deleting a Division clears the copy through signals, but only in the process that
# saved it. Other worker processes see the change after at most this long.
# QuerySet.update(), bulk_create() and raw SQL send no signals, so call
# forget_division_tree() after them.
DIVISION_TREE_SECONDS = 300

_division_tree: tuple[float, dict[str | None, tuple[str, ...]]] | None = None


def division_children() -> dict[str | None, tuple[str, ...]]:
    """Return the codes of each division's direct children, keyed by the parent's code."""
    global _division_tree
    now = time.monotonic()
    if _division_tree is None or now - _division_tree[0] > DIVISION_TREE_SECONDS:
        children: dict[str | None, list[str]] = {}
        for code, parent in Division.objects.order_by("code").values_list("code", "parent_id"):
            children.setdefault(parent, []).append(code)
        _division_tree = (now, {parent: tuple(codes) for parent, codes in children.items()})
    return _division_tree[1]


def forget_division_tree(**kwargs) -> None:
    global _division_tree
    _division_tree = None


models.signals.post_save.connect(forget_division_tree, sender=Division)
models.signals.post_delete.connect(forget_division_tree, sender=Division)
