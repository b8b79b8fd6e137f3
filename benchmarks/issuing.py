"""Issuing certificates: sign and store N certificates, then render one PDF on first download.

The instruments and verification records are bulk-inserted first and not timed. The
timed part is ``business.certificates.services.issue_certificates`` in batches, the
same call the approval step makes: number reservation, snapshot, SM3 digest, SM2
signature, bulk insert, the issued signal (search indexing) and one audit event per
batch. The process is single-threaded, so the throughput is per core.

The PDF is rendered on the first download and cached in private storage
(business.certificates.downloads.certificate_pdf_bytes); the benchmark times one first
download and one cached download.
"""

import datetime
import time

from django.core.management import call_command
from django.db import connection, transaction

from business.certificates import keys, services
from business.instruments.models import Instrument
from business.organisations.models import Organisation
from business.reference.models import CatalogueItem, Division
from business.verification.models import VerificationRecord

BATCH_SIZE = 1000


def add_arguments(parser) -> None:
    group = parser.add_argument_group("issuing")
    group.add_argument(
        "--issuing-certificates", type=int, default=10_000, help="certificates to issue"
    )
    group.add_argument(
        "--issuing-batch", type=int, default=BATCH_SIZE, help="certificates per issuing call"
    )


def ensure_reference_data() -> tuple[CatalogueItem, Division]:
    if not CatalogueItem.objects.filter(
        cycle_months__isnull=False, verification_form="periodic"
    ).exists():
        call_command("load_reference_data", verbosity=0)
    item = CatalogueItem.objects.filter(
        verification_form="periodic", cycle_months__isnull=False
    ).order_by("number")[0]
    division = Division.objects.filter(level="county").order_by("code")[0]
    return item, division


def create_issuer(division, label: str) -> tuple[Organisation, Organisation]:
    """Create a new institution (with a signing key) and an enterprise for one benchmark run."""
    run = Organisation.objects.filter(name__startswith=f"{label}技术机构").count() + 1
    institution = Organisation.objects.create(
        kind=Organisation.Kind.INSTITUTION,
        name=f"{label}技术机构{run}",
        division=division,
        certificate_prefix=f"{label[:2].upper()}{run:04d}",
        authorisation_number=f"（豫）法计（2026）{run:05d}号",
    )
    keys.create_signing_key(institution)
    enterprise = Organisation.objects.create(
        kind=Organisation.Kind.ENTERPRISE, name=f"{label}企业{run}", division=division
    )
    return institution, enterprise


def bulk_records(
    institution, enterprise, item, division, count: int, *, first: int = 0
) -> list[int]:
    """Insert ``count`` instruments and finished verification records; return the record ids."""
    regulation = item.regulations.order_by("code").first()
    record_ids = []
    for start in range(0, count, 5000):
        size = min(5000, count - start)
        instruments = Instrument.objects.bulk_create(
            Instrument(
                enterprise=enterprise,
                catalogue_item=item,
                usage=item.usage,
                name=item.item_name,
                model=f"M{(first + start + offset) % 900 + 100}",
                serial_number=f"BN{institution.pk:04d}{first + start + offset:09d}",
                manufacturer="示例计量器具有限公司",
                division=division,
            )
            for offset in range(size)
        )
        records = VerificationRecord.objects.bulk_create(
            VerificationRecord(
                instrument=instrument,
                institution=institution,
                regulation=regulation,
                record_number=f"BJ{first + start + offset:09d}",
                verification_date=datetime.date(2026, 11, 2)
                - datetime.timedelta(days=(start + offset) % 300),
                conclusion=VerificationRecord.Conclusion.QUALIFIED,
                verifier_name="张伟",
                checker_name="王芳",
                approver_name="李娜",
            )
            for offset, instrument in enumerate(instruments)
        )
        record_ids += [record.pk for record in records]
    return record_ids


def issue_all(institution, record_ids: list[int], batch: int) -> list[float]:
    """Issue certificates for ``record_ids`` in batches; return the seconds of each batch."""
    timings = []
    for start in range(0, len(record_ids), batch):
        ids = record_ids[start : start + batch]
        records = list(
            VerificationRecord.objects.select_related(
                "instrument__enterprise", "instrument__catalogue_item", "regulation", "institution"
            ).filter(pk__in=ids)
        )
        started = time.perf_counter()
        with transaction.atomic():
            services.issue_certificates(institution, records)
        timings.append(time.perf_counter() - started)
    return timings


def without_search_indexing(action):
    """Run ``action`` with the receivers of certificates_issued disconnected."""
    from business.certificates.signals import certificates_issued

    receivers = certificates_issued.receivers[:]
    certificates_issued.receivers.clear()
    certificates_issued.sender_receivers_cache.clear()
    try:
        return action()
    finally:
        certificates_issued.receivers[:] = receivers
        certificates_issued.sender_receivers_cache.clear()


def run(arguments) -> None:
    count, batch = arguments.issuing_certificates, arguments.issuing_batch
    call_command("migrate", verbosity=0)
    item, division = ensure_reference_data()
    institution, enterprise = create_issuer(division, "Issue")
    started = time.perf_counter()
    record_ids = bulk_records(institution, enterprise, item, division, count)
    prepared = time.perf_counter() - started

    # Signing alone, for comparison with the whole issuing step.
    signing_key = keys.active_signing_key(institution)
    sample = 200
    started = time.perf_counter()
    for index in range(sample):
        keys.sign(signing_key, f"benchmark content {index}".encode())
    sign_ms = (time.perf_counter() - started) * 1000 / sample

    # The first half is issued as the platform runs. The second half runs with search
    # indexing (a receiver of certificates_issued in the search app) switched off, to show its share.
    half = len(record_ids) // 2
    total = sum(issue_all(institution, record_ids[:half], batch))
    without_index = sum(
        without_search_indexing(lambda: issue_all(institution, record_ids[half:], batch))
    )

    from business.certificates import downloads
    from business.certificates.models import Certificate
    from business.organisations.models import PrivateStorage

    certificate = Certificate.objects.filter(institution=institution).order_by("number").first()
    # Another benchmark database may have left a cached file under the same number.
    storage = PrivateStorage()
    if storage.exists(downloads.cached_pdf_name(certificate)):
        storage.delete(downloads.cached_pdf_name(certificate))
    started = time.perf_counter()
    first_pdf = downloads.certificate_pdf_bytes(certificate)
    first_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    cached_pdf = downloads.certificate_pdf_bytes(certificate)
    cached_ms = (time.perf_counter() - started) * 1000
    assert first_pdf == cached_pdf

    print(f"\nIssuing certificates ({connection.vendor}, one process = one core)")
    print(f"  records prepared    {count} in {prepared:.1f} s (not timed below)")
    print(f"  issued              {half} in {total:.1f} s, batches of {batch}")
    print(f"  throughput          {half / total:.0f} certificates/s per core")
    print(
        f"  per certificate     {total * 1000 / half:.2f} ms (SM2 signature alone {sign_ms:.2f} ms)"
    )
    rest = len(record_ids) - half
    print(
        f"  without search index {rest / without_index:.0f} certificates/s per core "
        f"({without_index * 1000 / rest:.2f} ms each)"
    )
    print(f"  PDF first download  {first_ms:.0f} ms (render and cache, {len(first_pdf)} bytes)")
    print(f"  PDF cached download {cached_ms:.1f} ms")
