"""Expiry warnings: due dates of in-use instruments, the daily job and the home-screen counts.

An instrument's due date is the valid-until date of its latest verification
certificate (the same latest certificate that the ledger's certificate problem uses).
For an instrument whose catalogue row is "first verification, limited use, replaced
when due" (首次检定、限期使用、到期轮换) it is the end of its service life when recorded.
Each in-use instrument with a due date falls into at most one band: overdue, or the
smallest lead time that still reaches its due date.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from business.access import scoped
from business.access.models import Role, RoleAssignment
from business.audit import services as audit
from business.certificates.models import Certificate
from business.instruments.models import Instrument
from business.messages.models import Message
from business.reference.models import VerificationForm

from .bulk import insert_ignoring_conflicts
from .models import OVERDUE, ExpiryWarning, ExpiryWarningSettings

logger = logging.getLogger(__name__)

RECIPIENT_PERMISSION = "instruments.view"
# Path of the ledger's instrument screen in the frontend, linked from each message.
INSTRUMENT_LINK = "/workbench/ledger/{id}"
# Instruments read and warned per transaction by the daily job.
DEFAULT_BATCH_SIZE = 5000
MESSAGE_COLUMNS = ["recipient_id", "kind", "title", "body", "link", "dedupe_key", "created_at"]
WARNING_COLUMNS = ["instrument_id", "due_date", "lead_days", "recipient_count", "sent_at"]

SOURCE_CERTIFICATE = "certificate"
SOURCE_SERVICE_LIFE = "service_life"
# Instrument.certificate_state when the latest certificate is a valid verification certificate.
CERTIFICATE_STATE_VALID = "valid"


def has_service_life_end() -> bool:
    """Return whether the ledger records the end of an instrument's service life.

    TODO: drop this check once Instrument.service_life_end exists in every
    installation; until then "replace" instruments are warned from their certificate.
    """
    return any(field.name == "service_life_end" for field in Instrument._meta.get_fields())


def current_thresholds() -> list[int]:
    """Return the administrator's lead times, largest first, then OVERDUE when enabled."""
    return ExpiryWarningSettings.load().thresholds()


def _certificate_due_date():
    # The due date is valid_until of the latest verification certificate or result
    # notice, and only when that latest one is a valid verification certificate.
    # After a failed verification or a voided certificate there is no due date to warn
    # of, because the ledger already flags the instrument as lacking a valid certificate.
    latest = (
        Certificate.objects.filter(
            instrument=OuterRef("pk"),
            kind__in=[Certificate.Kind.VERIFICATION, Certificate.Kind.RESULT_NOTICE],
        )
        .order_by("-verification_date", "-issued_at", "-pk")
        .annotate(
            due=Case(
                When(
                    status=Certificate.Status.VALID,
                    kind=Certificate.Kind.VERIFICATION,
                    then=F("valid_until"),
                ),
                default=Value(None),
                output_field=models.DateField(),
            )
        )
        .values("due")[:1]
    )
    return Subquery(latest, output_field=models.DateField())


def has_certificate_copy() -> bool:
    """Return whether the ledger keeps a copy of each instrument's latest certificate state.

    TODO: drop this check and the subquery path once Instrument.certificate_state is
    in every installation.
    """
    return any(field.name == "certificate_state" for field in Instrument._meta.get_fields())


def _certificate_due():
    if not has_certificate_copy():
        return _certificate_due_date()
    # The ledger's copy follows the same rule as the subquery (latest verification
    # certificate or result notice, valid and not void), without a look-up per row.
    return Case(
        When(certificate_state=CERTIFICATE_STATE_VALID, then=F("certificate_valid_until")),
        default=Value(None),
        output_field=models.DateField(),
    )


def with_due_date(queryset):
    """Annotate ``due_date`` and ``due_source`` (SOURCE_CERTIFICATE or SOURCE_SERVICE_LIFE)."""
    certificate_due = _certificate_due()
    if not has_service_life_end():
        return queryset.annotate(due_date=certificate_due, due_source=Value(SOURCE_CERTIFICATE))

    replaced = Q(
        catalogue_item__verification_form=VerificationForm.REPLACE,
        service_life_end__isnull=False,
    )
    return queryset.annotate(
        due_date=Case(
            When(replaced, then=F("service_life_end")),
            default=certificate_due,
            output_field=models.DateField(),
        ),
        due_source=Case(
            When(replaced, then=Value(SOURCE_SERVICE_LIFE)),
            default=Value(SOURCE_CERTIFICATE),
            output_field=models.CharField(),
        ),
    )


def band_of(due_date: datetime.date, today: datetime.date, thresholds: list[int]) -> int | None:
    """Return the band of ``due_date`` on ``today``: OVERDUE, the smallest lead time reaching it, or None."""
    days_left = (due_date - today).days
    if days_left < 0:
        return OVERDUE if OVERDUE in thresholds else None
    reaching = [lead for lead in thresholds if lead != OVERDUE and days_left <= lead]
    return min(reaching) if reaching else None


def band_label(band: int, thresholds: list[int]) -> str:
    """Chinese name of a band, such as "8–15 天内到期" or "已过期"."""
    if band == OVERDUE:
        return "已过期"
    smaller = [day for day in thresholds if OVERDUE < day < band]
    if not smaller:
        return f"{band} 天内到期"
    return f"{max(smaller) + 1}–{band} 天内到期"


@dataclass(frozen=True)
class BandCount:
    band: int
    label: str
    count: int


def expiry_summary(user, today: datetime.date | None = None) -> list[BandCount]:
    """Count the in-use instruments in each band that ``user`` may see with instruments.view.

    Enterprise users count their own ledger, regulators their division. One query
    groups the instruments by due date, and band_of sorts the dates into bands, so the
    home screen and the daily job share one rule.
    """
    today = today or timezone.localdate()
    thresholds = current_thresholds()
    horizon = today + datetime.timedelta(days=max(thresholds))
    instruments = scoped(
        Instrument.objects.filter(status=Instrument.Status.IN_USE), user, "instruments.view"
    )
    per_date = (
        with_due_date(instruments)
        .filter(due_date__lte=horizon)
        .values("due_date")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(thresholds, 0)
    for row in per_date:
        band = band_of(row["due_date"], today, thresholds)
        if band is not None:
            counts[band] += row["count"]
    return [
        BandCount(band=band, label=band_label(band, thresholds), count=counts[band])
        for band in thresholds
    ]


def recipients_by_enterprise() -> dict[int, list[int]]:
    """Map each active enterprise to its active users holding instruments.view.

    Roles are few, so their permission lists are read in Python; the users come from
    one query over role assignments.
    """
    role_ids = [
        role.pk
        for role in Role.objects.only("pk", "permissions")
        if RECIPIENT_PERMISSION in (role.permissions or [])
    ]
    rows = (
        RoleAssignment.objects.filter(
            role_id__in=role_ids,
            user__is_active=True,
            user__organisation__kind="enterprise",
            user__organisation__is_active=True,
        )
        .values_list("user__organisation_id", "user_id")
        .distinct()
    )
    recipients: dict[int, set[int]] = {}
    for organisation_id, user_id in rows:
        recipients.setdefault(organisation_id, set()).add(user_id)
    return {organisation_id: sorted(users) for organisation_id, users in recipients.items()}


@dataclass
class JobResult:
    instruments: int = 0
    messages: int = 0
    without_recipients: int = 0


def due_instruments(today: datetime.date, thresholds: list[int]):
    """In-use instruments whose due date falls within the largest lead time, or has passed.

    Rows are ``(id, enterprise_id, name, serial_number, due_date, due_source)``
    ordered by id, so the job can read them in keyset pages. The band is worked out in
    Python (band_of): as a SQL CASE it repeated the due-date subquery once per branch,
    and the query took about three times as long on PostgreSQL with 50,000 instruments.
    """
    horizon = today + datetime.timedelta(days=max(thresholds))
    instruments = with_due_date(Instrument.objects.filter(status=Instrument.Status.IN_USE))
    return (
        instruments.filter(due_date__lte=horizon)
        .order_by("pk")
        .values_list("pk", "enterprise_id", "name", "serial_number", "due_date", "due_source")
    )


def send_expiry_warnings(
    today: datetime.date | None = None, batch_size: int = DEFAULT_BATCH_SIZE
) -> JobResult:
    """Deliver every pending expiry warning: one message per instrument, band and recipient.

    Reads due instruments in keyset pages of ``batch_size``. Each page costs one query
    for the warnings already sent and two bulk inserts in one transaction, whatever
    the number of instruments. A second run on the same day sends nothing, and the
    messages' dedupe keys stop duplicates even if two runs overlap.
    """
    today = today or timezone.localdate()
    thresholds = current_thresholds()
    recipients = recipients_by_enterprise()
    due = due_instruments(today, thresholds)
    result = JobResult()
    logger.info("expiry warnings for %s started, thresholds %s", today, thresholds)

    last_id = 0
    while True:
        page = list(due.filter(pk__gt=last_id)[:batch_size])
        if not page:
            break
        last_id = page[-1][0]
        pending = _pending(page, today, thresholds)
        if pending:
            _deliver(pending, recipients, thresholds, result)

    _record_run(today, result)
    logger.info(
        "expiry warnings for %s finished: %d instruments, %d messages, %d without recipients",
        today,
        result.instruments,
        result.messages,
        result.without_recipients,
    )
    return result


def _pending(page, today, thresholds) -> list[tuple]:
    """Return the page's rows that are in a band not yet warned of, with the band appended."""
    sent = set(
        ExpiryWarning.objects.filter(instrument_id__in=[row[0] for row in page]).values_list(
            "instrument_id", "due_date", "lead_days"
        )
    )
    pending = []
    for row in page:
        instrument_id, due_date = row[0], row[4]
        band = band_of(due_date, today, thresholds)
        if band is not None and (instrument_id, due_date, band) not in sent:
            pending.append((*row, band))
    return pending


@transaction.atomic
def _deliver(pending, recipients, thresholds, result: JobResult) -> None:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    messages = []
    warnings = []
    for instrument_id, enterprise_id, name, serial, due_date, source, band in pending:
        users = recipients.get(enterprise_id, [])
        if not users:
            result.without_recipients += 1
        title, body = _message_text(name, serial, due_date, source, band, thresholds)
        key = f"expiry:{instrument_id}:{due_date:%Y%m%d}:{band}"
        link = INSTRUMENT_LINK.format(id=instrument_id)
        messages.extend(
            (user_id, Message.Kind.EXPIRY.value, title, body, link, key, now) for user_id in users
        )
        due = connection.ops.adapt_datefield_value(due_date)
        warnings.append((instrument_id, due, band, len(users), now))

    insert_ignoring_conflicts(Message, MESSAGE_COLUMNS, messages)
    insert_ignoring_conflicts(ExpiryWarning, WARNING_COLUMNS, warnings)
    result.instruments += len(warnings)
    result.messages += len(messages)


def _message_text(name, serial, due_date, source, band, thresholds) -> tuple[str, str]:
    what = "使用期限" if source == SOURCE_SERVICE_LIFE else "检定证书有效期"
    date_text = f"{due_date.year}年{due_date.month}月{due_date.day}日"
    if band == OVERDUE:
        title = f"{name}（出厂编号 {serial}）{what}已届满"
        action = "请立即停止使用并安排检定或更换。" if source == SOURCE_CERTIFICATE else "请立即停用并更换。"
        body = f"该器具的{what}至 {date_text}，已经到期。{action}"
    else:
        title = f"{name}（出厂编号 {serial}）{what}将于 {date_text} 到期"
        action = "请及时申请检定。" if source == SOURCE_CERTIFICATE else "请及时安排更换。"
        body = f"该器具的{what}至 {date_text}（{band_label(band, thresholds)}）。{action}"
    return title[:200], body


def _record_run(today, result: JobResult) -> None:
    audit.record_event(
        "expiry.warnings_sent",
        actor=audit.SYSTEM_ACTOR,
        request_info=audit.SYSTEM_REQUEST,
        object_type="expiry_job",
        object_id=today.isoformat(),
        changes={
            "instruments": (None, result.instruments),
            "messages": (None, result.messages),
        },
    )
