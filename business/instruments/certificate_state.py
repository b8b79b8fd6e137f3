"""Keeping each instrument's copy of its latest certificate state up to date.

The ledger filters "flagged" instruments (mandatory, in use, no valid certificate) on
Instrument.certificate_state and certificate_valid_until. Issuing sends
``certificates_issued`` (certificates are bulk-inserted), and voiding saves the row,
so both refresh the copies here, inside the certificate's transaction.
"""

from django.db.models import Case, CharField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save

from business.certificates.models import Certificate
from business.certificates.signals import certificates_issued

from .models import CertificateState, Instrument

CHUNK_SIZE = 500


def latest_certificates():
    """Return the certificates of OuterRef("pk"), latest verification first."""
    return Certificate.objects.filter(
        instrument=OuterRef("pk"),
        kind__in=[Certificate.Kind.VERIFICATION, Certificate.Kind.RESULT_NOTICE],
    ).order_by("-verification_date", "-issued_at", "-pk")


def refresh_certificate_state(instrument_ids) -> None:
    """Copy the latest certificate's state and validity onto the given instruments."""
    latest = latest_certificates()
    state = latest.annotate(
        state=Case(
            When(status=Certificate.Status.VOID, then=Value(CertificateState.VOID)),
            When(kind=Certificate.Kind.RESULT_NOTICE, then=Value(CertificateState.RESULT_NOTICE)),
            default=Value(CertificateState.VALID),
            output_field=CharField(),
        )
    ).values("state")[:1]
    ids = sorted(set(instrument_ids))
    for start in range(0, len(ids), CHUNK_SIZE):
        Instrument.objects.filter(pk__in=ids[start : start + CHUNK_SIZE]).update(
            certificate_state=Coalesce(
                Subquery(state), Value(CertificateState.NONE), output_field=CharField()
            ),
            certificate_valid_until=Subquery(latest.values("valid_until")[:1]),
        )


def _on_issued(sender, certificates, **kwargs) -> None:
    refresh_certificate_state(certificate.instrument_id for certificate in certificates)


def _on_saved(sender, instance, created, **kwargs) -> None:
    refresh_certificate_state([instance.instrument_id])


def connect() -> None:
    certificates_issued.connect(_on_issued, dispatch_uid="instruments.certificate_state.issued")
    post_save.connect(_on_saved, sender=Certificate, dispatch_uid="instruments.certificate_state.saved")
