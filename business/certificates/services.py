"""Issuing, voiding and publicly checking certificates.

These functions are the only way certificates change. GraphQL resolvers, the admin,
management commands and the demo data generator all call them.
"""

import enum
import hmac
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from business.audit import services as audit
from business.reference.models import MissingIntervalError
from business.verification.models import VerificationRecord

from . import content, keys
from .models import Certificate, CertificateSequence
from .signals import certificates_issued

logger = logging.getLogger(__name__)

MAX_NUMBER_LENGTH = 32
MAX_CHECK_CODE_LENGTH = content.CHECK_CODE_LENGTH


class CertificateError(Exception):
    """A rule of certificate issuing was broken; the message is shown to the user."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def certificate_kind_for(record: VerificationRecord) -> str:
    if record.kind == VerificationRecord.Kind.CALIBRATION:
        return Certificate.Kind.CALIBRATION
    if record.conclusion == VerificationRecord.Conclusion.QUALIFIED:
        return Certificate.Kind.VERIFICATION
    return Certificate.Kind.RESULT_NOTICE


def valid_until_for(record: VerificationRecord):
    """Last day the certificate is valid, or None when it carries no such date.

    Only a passed verification of an instrument in the mandatory catalogue gets a
    date, computed from the catalogue's maximum interval or service life. Result
    notices and calibration certificates carry none.
    """
    if certificate_kind_for(record) != Certificate.Kind.VERIFICATION:
        return None
    catalogue_item = record.instrument.catalogue_item
    if catalogue_item is None:
        # TODO: take the interval from the regulation for non-mandatory instruments
        # once regulations carry their cycle.
        return None
    try:
        return catalogue_item.valid_until(record.verification_date)
    except MissingIntervalError:
        raise CertificateError(
            f"强制检定目录“{catalogue_item}”尚未填写检定周期或使用期限，"
            "请管理员在基础数据中补全后再出具证书。",
            code="missing_interval",
        ) from None


def _reserve_numbers(institution, year: int, count: int) -> list[str]:
    """Reserve ``count`` consecutive certificate numbers of ``institution`` in ``year``."""
    sequence, _ = CertificateSequence.objects.select_for_update().get_or_create(
        institution=institution, year=year
    )
    first = sequence.last_serial + 1
    sequence.last_serial += count
    sequence.save(update_fields=["last_serial"])
    prefix = institution.certificate_prefix
    return [f"{prefix}{year}{serial:06d}" for serial in range(first, first + count)]


def _snapshot(record: VerificationRecord, number: str, issued_at, signing_key) -> Certificate:
    institution = record.institution
    instrument = record.instrument
    return Certificate(
        number=number,
        kind=certificate_kind_for(record),
        record=record,
        institution=institution,
        instrument=instrument,
        institution_name=institution.name,
        authorisation_number=institution.authorisation_number,
        client_name=instrument.enterprise.name,
        instrument_name=instrument.name,
        model=instrument.model,
        serial_number=instrument.serial_number,
        manufacturer=instrument.manufacturer,
        regulation=str(record.regulation) if record.regulation else "",
        record_number=record.record_number,
        conclusion=record.conclusion_text,
        verification_date=record.verification_date,
        valid_until=valid_until_for(record),
        verifier_name=record.verifier_name,
        checker_name=record.checker_name,
        approver_name=record.approver_name,
        issued_at=issued_at,
        signing_key=signing_key,
    )


def _sign(certificate: Certificate, signing_key) -> None:
    certificate.content_digest = content.content_digest(certificate)
    certificate.signature = keys.sign(signing_key, content.canonical_content(certificate))
    certificate.check_code = content.check_code_for(certificate.signature)


@transaction.atomic
def issue_certificate(
    record: VerificationRecord,
    *,
    actor: audit.Actor = audit.SYSTEM_ACTOR,
    request_info: audit.RequestInfo = audit.SYSTEM_REQUEST,
) -> Certificate:
    """Create, sign and store the certificate of a finished verification record."""
    return issue_certificates(
        record.institution, [record], actor=actor, request_info=request_info
    )[0]


@transaction.atomic
def issue_certificates(
    institution,
    records: list[VerificationRecord],
    *,
    actor: audit.Actor = audit.SYSTEM_ACTOR,
    request_info: audit.RequestInfo = audit.SYSTEM_REQUEST,
) -> list[Certificate]:
    """Create, sign and store the certificates of finished records of one institution.

    The numbers are reserved as one block and the rows written in bulk, so batch
    issuing and benchmark data cost one signature per certificate and few queries.
    Load the records with their instrument, enterprise, catalogue item and
    regulation (select_related) to avoid a query per record.
    """
    if any(record.institution_id != institution.pk for record in records):
        raise ValueError("every record must belong to the issuing institution")
    if Certificate.objects.filter(record__in=records).exists():
        raise CertificateError("该检定记录已出具证书，不能重复出具。", code="already_issued")
    if not institution.certificate_prefix:
        raise CertificateError(
            "技术机构未设置证书编号前缀，请先在机构信息中填写。", code="missing_prefix"
        )
    signing_key = keys.active_signing_key(institution)
    if signing_key is None:
        raise CertificateError("技术机构尚无签名密钥，请先生成密钥。", code="missing_signing_key")

    issued_at = timezone.now().replace(microsecond=0)
    numbers = _reserve_numbers(institution, timezone.localdate(issued_at).year, len(records))
    certificates = [
        _snapshot(record, number, issued_at, signing_key)
        for record, number in zip(records, numbers, strict=True)
    ]
    for certificate in certificates:
        _sign(certificate, signing_key)
    Certificate.objects.bulk_create(certificates, batch_size=1000)
    certificates_issued.send(sender=Certificate, certificates=certificates)
    if certificates:
        # One event per issuing action: a batch is one decision by one person.
        audit.record_event(
            "certificate.issue",
            actor=actor,
            request_info=request_info,
            object_type="certificate",
            object_id=numbers[0] if len(numbers) == 1 else f"{numbers[0]}..{numbers[-1]}",
            changes={"count": (None, len(certificates)), "institution": (None, institution.pk)},
        )

    logger.info(
        "Issued %s certificate(s) %s to %s for institution %s",
        len(certificates), numbers[0] if numbers else "-", numbers[-1] if numbers else "-",
        institution.pk,
    )
    return certificates


@transaction.atomic
def void_certificate(
    certificate: Certificate,
    reason: str,
    *,
    actor: audit.Actor = audit.SYSTEM_ACTOR,
    request_info: audit.RequestInfo = audit.SYSTEM_REQUEST,
) -> Certificate:
    reason = reason.strip()
    if not reason:
        raise CertificateError("请填写作废原因。", code="missing_reason")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == Certificate.Status.VOID:
        raise CertificateError("该证书已作废，不能重复作废。", code="already_void")

    certificate.status = Certificate.Status.VOID
    certificate.void_reason = reason
    certificate.voided_at = timezone.now()
    certificate.save(update_fields=["status", "void_reason", "voided_at"])
    audit.record_event(
        "certificate.void",
        actor=actor,
        request_info=request_info,
        object_type="certificate",
        object_id=certificate.number,
        changes={
            "status": (Certificate.Status.VALID, Certificate.Status.VOID),
            "reason": (None, reason),
        },
    )
    logger.info("Voided certificate %s", certificate.number)
    return certificate


class CheckStatus(enum.Enum):
    AUTHENTIC = "AUTHENTIC"
    VOID = "VOID"
    ALTERED = "ALTERED"
    NOT_FOUND = "NOT_FOUND"
    INVALID = "INVALID"


CHECK_MESSAGES = {
    CheckStatus.AUTHENTIC: "证书真实有效：证书内容与签发时的电子签名一致。",
    CheckStatus.VOID: "该证书已被签发机构作废，不能作为有效证明。",
    CheckStatus.ALTERED: "证书内容在签发后被改动，与电子签名不符，请勿采信，并联系签发机构核实。",
    CheckStatus.NOT_FOUND: "未找到与该证书编号和校验码相符的证书，请核对证书上印制的编号和校验码。",
    CheckStatus.INVALID: "输入有误，请按提示修改后重新查询。",
}


@dataclass
class CheckOutcome:
    status: CheckStatus
    certificate: Certificate | None = None
    errors: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def message(self) -> str:
        return CHECK_MESSAGES[self.status]


def _validate_check_input(number: str, check_code: str) -> list[tuple[str, str, str]]:
    """Return (field, message, code) for each unusable input value."""
    errors = []
    if not number:
        errors.append(("number", "请输入证书编号。", "required"))
    elif len(number) > MAX_NUMBER_LENGTH:
        errors.append(
            ("number", f"证书编号不超过 {MAX_NUMBER_LENGTH} 个字符，请核对后重新输入。", "too_long")
        )
    if not check_code:
        errors.append(("checkCode", "请输入证书上印制的校验码。", "required"))
    elif len(check_code) > MAX_CHECK_CODE_LENGTH or any(
        char not in content.CHECK_CODE_ALPHABET for char in check_code
    ):
        errors.append(
            (
                "checkCode",
                f"校验码为 {content.CHECK_CODE_LENGTH} 位字母或数字，请按证书上印制的内容输入。",
                "invalid",
            )
        )
    return errors


def is_intact(certificate: Certificate) -> bool:
    """Return whether the stored content still matches its digest and signature."""
    if content.content_digest(certificate) != certificate.content_digest:
        return False
    return keys.verify(
        certificate.signing_key,
        content.canonical_content(certificate),
        certificate.signature,
    )


def check_certificate(number: str, check_code: str) -> CheckOutcome:
    """Check a certificate number and its printed check code for the public.

    A wrong check code returns the same result as an unknown number, so the check does
    not reveal which certificate numbers exist.
    """
    number = number.strip()
    check_code = check_code.strip().upper()

    errors = _validate_check_input(number, check_code)
    if errors:
        return CheckOutcome(CheckStatus.INVALID, errors=errors)

    certificate = (
        Certificate.objects.select_related("signing_key").filter(number=number).first()
    )
    if certificate is None or not hmac.compare_digest(certificate.check_code, check_code):
        return CheckOutcome(CheckStatus.NOT_FOUND)

    if not is_intact(certificate):
        logger.warning("Certificate %s failed its integrity check", certificate.number)
        # The stored fields cannot be trusted, so none of them are shown.
        return CheckOutcome(CheckStatus.ALTERED)
    if certificate.status == Certificate.Status.VOID:
        return CheckOutcome(CheckStatus.VOID, certificate)
    return CheckOutcome(CheckStatus.AUTHENTIC, certificate)
