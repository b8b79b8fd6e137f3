"""Rules on measurement standards that verification relies on."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import MeasurementStandard, RegulationLibraryEntry, RegulationStatus, StandardEquipment


@dataclass(frozen=True)
class StandardProblem:
    """Reason a standard cannot be used on a date. ``message`` is shown to the user."""

    standard_id: int
    message: str
    code: str


class StandardUnusableError(ValueError):
    """Raised by check_standards_usable; ``problems`` lists every reason."""

    def __init__(self, problems: list[StandardProblem]):
        super().__init__("".join(problem.message for problem in problems))
        self.problems = problems
        self.code = problems[0].code


def problems_on(standards, on_date: date) -> list[StandardProblem]:
    """List why any of ``standards`` (MeasurementStandard rows or ids) is unusable on ``on_date``.

    A standard is unusable when its assessment certificate is expired, not yet valid
    or retired, or when one of its standard instruments (标准器) is past its
    traceability due date. An empty list means all may be used.
    """
    ids = [getattr(standard, "pk", standard) for standard in standards]
    rows = MeasurementStandard.objects.filter(pk__in=ids).prefetch_related("equipment")
    problems = []
    for standard in rows:
        if standard.is_retired:
            problems.append(
                StandardProblem(
                    standard.pk, f"计量标准“{standard.name}”已撤销，不能使用。", "retired"
                )
            )
            continue
        if not standard.is_valid_on(on_date):
            problems.append(
                StandardProblem(
                    standard.pk,
                    f"计量标准“{standard.name}”的考核证书（{standard.certificate_number}）"
                    f"有效期至 {standard.valid_until.isoformat()}，检定日期 {on_date.isoformat()} "
                    "不在有效期内，请选用有效的计量标准或先办理复查考核。",
                    "standard_expired",
                )
            )
            continue
        for equipment in standard.equipment.all():
            if equipment.role == StandardEquipment.Role.STANDARD and not equipment.is_valid_on(
                on_date
            ):
                problems.append(
                    StandardProblem(
                        standard.pk,
                        f"计量标准“{standard.name}”的标准器“{equipment.name}”溯源有效期至 "
                        f"{equipment.due_on.isoformat()}，已过期或停用，请先送检或校准。",
                        "equipment_overdue",
                    )
                )
    missing = set(ids) - {standard.pk for standard in rows}
    for standard_id in sorted(missing):
        problems.append(
            StandardProblem(standard_id, "所选计量标准不存在，请重新选择。", "not_found")
        )
    return problems


def check_standards_usable(standards, on_date: date) -> None:
    """Raise StandardUnusableError listing every problem when a standard is unusable."""
    problems = problems_on(standards, on_date)
    if problems:
        raise StandardUnusableError(problems)


def expired_standards(institution, on_date: date | None = None) -> QuerySet[MeasurementStandard]:
    """Unretired standards of ``institution`` whose assessment certificate has expired."""
    on_date = on_date or timezone.localdate()
    return MeasurementStandard.objects.filter(
        institution=institution, is_retired=False, valid_until__lt=on_date
    )


def equipment_due(institution, within_days: int = 30, on_date: date | None = None):
    """Unretired equipment of ``institution`` due for traceability within ``within_days``."""
    on_date = on_date or timezone.localdate()
    return StandardEquipment.objects.filter(
        institution=institution, is_retired=False, due_on__lte=on_date + timedelta(days=within_days)
    )


def usable_standards_for(
    institution, catalogue_item, on_date: date
) -> QuerySet[MeasurementStandard]:
    """Valid standards of ``institution`` that list ``catalogue_item`` (for record pickers)."""
    return MeasurementStandard.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on_date),
        institution=institution,
        is_retired=False,
        valid_until__gte=on_date,
        catalogue_items=catalogue_item,
    )


def regulation_status(regulation) -> str:
    """Return the library status of ``regulation``. Regulations not in the library count as in force."""
    entry = RegulationLibraryEntry.objects.filter(regulation=regulation).first()
    return entry.status if entry else RegulationStatus.IN_FORCE
