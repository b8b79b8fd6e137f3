"""Reissuing a certificate (重新签发) after it was voided.

Reissue never voids anything by itself: the wrong certificate is voided first, with
its reason (services.void_certificate), and the reissue then issues a new certificate
from a new verification record and links it to the voided one through
``Certificate.replaces``. The public check of the voided certificate names the new
number, and the new certificate's PDF names the one it replaces.

The link is not part of the signed content (content.SIGNED_FIELDS), which stays the
same for all certificates; it is metadata shown beside the signed fields.
"""

import logging

from django.db import transaction

from business.audit import services as audit
from business.verification.models import VerificationRecord

from . import services
from .models import Certificate
from .services import CertificateError

logger = logging.getLogger(__name__)

REISSUE_SUFFIX = "-R"


def check_reissuable(voided: Certificate) -> None:
    """Raise CertificateError unless ``voided`` may be replaced by a new certificate."""
    if voided.status != Certificate.Status.VOID:
        raise CertificateError(
            f"证书 {voided.number} 仍然有效：请先填写原因将其作废，再重新签发。",
            code="not_void",
        )
    replacement = Certificate.objects.filter(replaces=voided).only("number").first()
    if replacement is not None:
        raise CertificateError(
            f"证书 {voided.number} 已重新签发为 {replacement.number}，不能再次重新签发；"
            f"如新证书也有误，请作废 {replacement.number} 后对它重新签发。",
            code="already_reissued",
        )


def next_record_number(voided: Certificate) -> str:
    """Return the record number of the copy: the old number with -R1, -R2 … appended."""
    base = voided.record_number.split(REISSUE_SUFFIX)[0]
    taken = set(
        VerificationRecord.objects.filter(
            institution_id=voided.institution_id, record_number__startswith=base + REISSUE_SUFFIX
        ).values_list("record_number", flat=True)
    )
    serial = 1
    while f"{base}{REISSUE_SUFFIX}{serial}" in taken:
        serial += 1
    return f"{base}{REISSUE_SUFFIX}{serial}"


def copy_record(
    record: VerificationRecord, record_number: str, **corrections
) -> VerificationRecord:
    """Save a copy of ``record`` under ``record_number`` with ``corrections`` applied.

    Only concrete fields are copied, and unique ones are left empty.
    """
    # TODO: copy many-to-many data (standards used, data points) once verification
    # records carry them; the verification app should then offer its own copy.
    values = {}
    for field in record._meta.concrete_fields:
        if field.primary_key or getattr(field, "auto_now_add", False):
            continue
        if getattr(field, "auto_now", False):
            continue
        if field.unique:
            # A one-to-one link (such as the application's sample) stays with the original
            # record, so the copy leaves it empty where the field allows that.
            if field.null:
                values[field.attname] = None
            continue
        values[field.attname] = getattr(record, field.attname)
    values.update(record_number=record_number, **corrections)
    return VerificationRecord.objects.create(**values)


@transaction.atomic
def reissue_certificate(
    voided: Certificate,
    record: VerificationRecord | None = None,
    *,
    corrections: dict | None = None,
    actor: audit.Actor = audit.SYSTEM_ACTOR,
    request_info: audit.RequestInfo = audit.SYSTEM_REQUEST,
) -> Certificate:
    """Issue a new certificate that replaces the voided certificate ``voided``.

    ``record`` is the corrected verification record to issue from; it must be of the
    same instrument and institution and have no certificate yet. Without it, the
    voided certificate's record is copied under a new record number, with
    ``corrections`` (a dict of record fields) applied. The new certificate takes the
    ledger's current data, so a corrected instrument name or serial number appears on it.
    """
    voided = Certificate.objects.select_for_update().get(pk=voided.pk)
    check_reissuable(voided)
    if record is None:
        original = VerificationRecord.objects.get(pk=voided.record_id)
        record = copy_record(original, next_record_number(voided), **(corrections or {}))
    elif (
        record.instrument_id != voided.instrument_id
        or record.institution_id != voided.institution_id
    ):
        raise CertificateError(
            "重新签发所用的检定记录应与被作废的证书属于同一器具和同一技术机构，请重新选择。",
            code="record_mismatch",
        )
    record = VerificationRecord.objects.select_related(
        "instrument__enterprise", "instrument__catalogue_item", "regulation", "institution"
    ).get(pk=record.pk)
    certificate = services.issue_certificate(record, actor=actor, request_info=request_info)
    certificate.replaces = voided
    certificate.save(update_fields=["replaces"])
    audit.record_event(
        "certificate.reissue",
        actor=actor,
        request_info=request_info,
        object_type="certificate",
        object_id=certificate.number,
        changes={"replaces": (None, voided.number)},
    )
    logger.info("Reissued certificate %s as %s", voided.number, certificate.number)
    return certificate


@transaction.atomic
def void_and_reissue(
    certificate: Certificate,
    reason: str,
    *,
    corrections: dict | None = None,
    actor: audit.Actor = audit.SYSTEM_ACTOR,
    request_info: audit.RequestInfo = audit.SYSTEM_REQUEST,
) -> Certificate:
    """Void ``certificate`` with ``reason`` and reissue it in one step; both or neither happen."""
    voided = services.void_certificate(certificate, reason, actor=actor, request_info=request_info)
    return reissue_certificate(
        voided, corrections=corrections, actor=actor, request_info=request_info
    )
