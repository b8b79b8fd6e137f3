"""QR labels of instruments: choosing instruments, their tokens, and the public status."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from business.access import require_permission, scoped
from business.audit import services as audit
from business.certificates.models import Certificate
from business.instruments.models import Instrument

from .models import InstrumentLabel

logger = logging.getLogger(__name__)

PERMISSION = "instruments.print_labels"
# Labels per PDF. About 300 labels render in well under a minute; larger sets are
# printed in several downloads.
MAX_LABELS = 300


class LabelError(Exception):
    """Invalid input for printing, with ``errors`` as (field, message, code) tuples."""

    def __init__(self, field: str, message: str, code: str):
        super().__init__(message)
        self.errors = [(field, message, code)]


@dataclass(frozen=True)
class InstrumentFilter:
    """The label screen's simple filter."""

    text: str = ""
    mandatory_only: bool = False


def printable_instruments(user, instrument_filter: InstrumentFilter | None = None):
    """Instruments in the user's scope that may carry a label: all but scrapped ones."""
    queryset = scoped(
        Instrument.objects.exclude(status=Instrument.Status.SCRAPPED), user, PERMISSION
    ).select_related("enterprise")
    instrument_filter = instrument_filter or InstrumentFilter()
    text = instrument_filter.text.strip()
    if text:
        queryset = queryset.filter(
            Q(name__icontains=text) | Q(serial_number__icontains=text) | Q(model__icontains=text)
        )
    if instrument_filter.mandatory_only:
        queryset = queryset.filter(catalogue_item__isnull=False)
    return queryset.order_by("name", "serial_number", "pk")


def select_instruments(user, ids: list[int] | None, instrument_filter: InstrumentFilter | None):
    """Return the instruments to print: the chosen ``ids``, or every filtered one.

    Raises LabelError when an id is outside the user's scope (reported like a missing
    instrument), when nothing is chosen, or when more than MAX_LABELS would print.
    """
    require_permission(user, PERMISSION)
    queryset = printable_instruments(user, instrument_filter if ids is None else None)
    if ids is not None:
        if not ids:
            raise LabelError("instrumentIds", "请至少选择一台器具。", "REQUIRED")
        queryset = queryset.filter(pk__in=set(ids))
        if len(ids) > MAX_LABELS:
            raise _too_many("instrumentIds", len(ids))

    instruments = list(queryset[: MAX_LABELS + 1])
    if ids is not None and len(instruments) != len(set(ids)):
        raise LabelError(
            "instrumentIds",
            "部分器具不存在、已报废或不在您的数据范围内，请刷新列表后重新选择。",
            "NOT_FOUND",
        )
    if not instruments:
        raise LabelError("filter", "没有符合筛选条件的器具，请修改筛选条件。", "EMPTY")
    if len(instruments) > MAX_LABELS:
        raise _too_many("filter", queryset.count())
    return instruments


def _too_many(field: str, count: int) -> LabelError:
    return LabelError(
        field,
        f"一次最多打印 {MAX_LABELS} 张标签，当前为 {count} 张，请缩小筛选范围或分批打印。",
        "TOO_MANY",
    )


def tokens_for(instruments) -> dict[int, str]:
    """Return each instrument's label token, creating the missing ones in one insert."""
    ids = [instrument.pk for instrument in instruments]
    tokens = dict(
        InstrumentLabel.objects.filter(instrument_id__in=ids).values_list("instrument_id", "token")
    )
    missing = [InstrumentLabel(instrument_id=pk) for pk in ids if pk not in tokens]
    if missing:
        # Two people printing the same new instrument at once: the second insert is
        # ignored and both read the token that was stored first.
        InstrumentLabel.objects.bulk_create(missing, ignore_conflicts=True)
        tokens = dict(
            InstrumentLabel.objects.filter(instrument_id__in=ids).values_list(
                "instrument_id", "token"
            )
        )
    return tokens


def status_url(token: str) -> str:
    """Return the public status address a label's QR code encodes."""
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/i/{token}"


def record_print(user, instruments, size_code: str, request_info) -> None:
    audit.record_event(
        "instrument.labels_print",
        actor=audit.business_actor(user),
        request_info=request_info,
        object_type="instrument",
        object_id=str(instruments[0].pk) if len(instruments) == 1 else f"{len(instruments)} 台",
        changes={"label_count": (None, len(instruments)), "size": (None, size_code)},
    )
    logger.info(
        "business user %s printed %d %s labels", user.pk, len(instruments), size_code
    )


@dataclass(frozen=True)
class PublicStatus:
    """Content of the public status page, without personal data or enterprise details."""

    name: str
    model: str
    status_label: str
    is_mandatory: bool
    certificate: Certificate | None
    certificate_valid: bool


def public_status(token: str, today: datetime.date | None = None) -> PublicStatus | None:
    """Return the public status of the instrument whose label carries ``token``, or None."""
    if not token or len(token) > 32:
        return None
    label = (
        InstrumentLabel.objects.filter(token=token).select_related("instrument").first()
    )
    if label is None:
        return None
    instrument = label.instrument
    today = today or timezone.localdate()

    # The latest verification certificate or result notice, as the ledger uses it; an
    # instrument that was only ever calibrated shows its latest calibration certificate.
    certificates = Certificate.objects.filter(instrument=instrument).order_by(
        "-verification_date", "-issued_at", "-pk"
    )
    certificate = (
        certificates.exclude(kind=Certificate.Kind.CALIBRATION).first() or certificates.first()
    )
    valid = bool(
        certificate
        and certificate.status == Certificate.Status.VALID
        and certificate.kind != Certificate.Kind.RESULT_NOTICE
        and (certificate.valid_until is None or certificate.valid_until >= today)
    )
    return PublicStatus(
        name=instrument.name,
        model=instrument.model,
        status_label=instrument.get_status_display(),
        is_mandatory=instrument.is_mandatory,
        certificate=certificate,
        certificate_valid=valid,
    )
