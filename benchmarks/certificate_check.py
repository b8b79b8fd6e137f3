"""Public certificate check through the GraphQL endpoint, with N certificates stored.

Each request is a full POST through Django's test client: middleware, CSRF, the
GraphQL view, validation, the look-up, the SM3 digest and the SM2 verification.
The client runs in the same process, so no network time is included.

Up to ``--check-signed`` certificates (20,000 by default) are issued by the real
service, each signed over its own content. The timed checks pick among them, and
each must return AUTHENTIC. Issuing a million through the service would take about
20 minutes on two cores, so the rest of a large table is filled by copying one
issued certificate, with its instrument and record, in SQL under new numbers
(prefix FILL). The copies bring the table and its indexes to full size. Their
signatures do not cover their numbers, so they would check as altered, and no
timed check requests them.
"""

import json
import random
import statistics
import time

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings

from business.certificates.models import Certificate
from business.instruments.models import Instrument
from business.verification.models import VerificationRecord

from .figures import percentile

QUERY = """
query CheckCertificate($number: String!, $checkCode: String!) {
  certificateCheck(number: $number, checkCode: $checkCode) {
    status
    certificate { number conclusion validUntil }
  }
}
"""


def prepare(certificates: int, signed: int) -> None:
    """Top the database up to ``certificates``, of which up to ``signed`` are really issued.

    The signed ones are generated in bulk (benchmarks.issuing): instruments and
    records are bulk-inserted and each certificate is issued by the real service, so
    every one carries its own SM3 digest and SM2 signature over distinct content. Only
    search indexing is switched off while generating, as the check never reads it.
    """
    call_command("migrate", verbosity=0)
    issued = Certificate.objects.exclude(number__startswith=FILLER_PREFIX).count()
    missing = min(signed, certificates) - issued
    if missing > 0:
        _issue(missing)
    filler = certificates - Certificate.objects.count()
    if filler > 0:
        _copy_filler(filler)


def _issue(missing: int) -> None:
    from . import issuing

    print(f"Issuing {missing} signed certificates in bulk…", flush=True)
    started = time.perf_counter()
    item, division = issuing.ensure_reference_data()

    def generate():
        done = 0
        # Up to ten institutions, so numbers and keys differ as in real data.
        parts = max(1, min(10, missing // 100_000))
        for part in range(parts):
            share = missing // parts + (missing % parts if part == 0 else 0)
            institution, enterprise = issuing.create_issuer(division, "Check")
            for start in range(0, share, 50_000):
                size = min(50_000, share - start)
                ids = issuing.bulk_records(institution, enterprise, item, division, size, first=start)
                issuing.issue_all(institution, ids, 2000)
                done += size
                print(f"  {done}/{missing} after {time.perf_counter() - started:.0f} s", flush=True)

    issuing.without_search_indexing(generate)
    elapsed = time.perf_counter() - started
    print(f"  done in {elapsed:.0f} s ({elapsed * 1000 / missing:.2f} ms per certificate)", flush=True)


FILLER_PREFIX = "FILL"
FILLER_CHUNK = 100_000


def _columns(cursor, table: str) -> list[str]:
    """Return the columns of ``table`` that an INSERT may name (not id, not generated)."""
    cursor.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name <> 'id' AND is_generated = 'NEVER' "
        "ORDER BY ordinal_position",
        [table],
    )
    return [name for (name,) in cursor.fetchall()]


def _copy_sql(table: str, columns: list[str], overrides: dict[str, str], source: str) -> str:
    """INSERT the template row ``t`` of ``table`` once per row of ``source``, with ``overrides``."""
    values = ", ".join(overrides.get(column, f"t.{column}") for column in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values} FROM {table} t, {source}"


def _copy_filler(count: int) -> None:
    """Copy the first issued certificate ``count`` times in SQL, with its instrument and record."""
    if connection.vendor != "postgresql":
        raise SystemExit("Filler certificates need PostgreSQL; use --check-signed for SQLite.")
    template = Certificate.objects.exclude(number__startswith=FILLER_PREFIX).order_by("pk").first()
    if template is None:
        raise SystemExit("No issued certificate to copy: raise --check-signed above 0.")
    instruments = Instrument._meta.db_table
    records = VerificationRecord._meta.db_table
    table = Certificate._meta.db_table
    first = Certificate.objects.filter(number__startswith=FILLER_PREFIX).count()
    print(f"Copying {count} filler certificates in SQL…", flush=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        instrument_columns = _columns(cursor, instruments)
        record_columns = _columns(cursor, records)
        certificate_columns = _columns(cursor, table)
        for start in range(first, first + count, FILLER_CHUNK):
            end = min(start + FILLER_CHUNK, first + count) - 1
            with transaction.atomic():
                cursor.execute(f"SELECT coalesce(max(id), 0) FROM {instruments}")
                (instrument_floor,) = cursor.fetchone()
                cursor.execute(f"SELECT coalesce(max(id), 0) FROM {records}")
                (record_floor,) = cursor.fetchone()
                cursor.execute(
                    _copy_sql(
                        instruments,
                        instrument_columns,
                        {"serial_number": "'FILL' || lpad(g::text, 9, '0')"},
                        "generate_series(%s, %s) AS g WHERE t.id = %s",
                    ),
                    [start, end, template.instrument_id],
                )
                cursor.execute(
                    _copy_sql(
                        records,
                        record_columns,
                        {"instrument_id": "i.id", "record_number": "'FR' || substr(i.serial_number, 5)"},
                        f"{instruments} i WHERE i.id > %s AND t.id = %s",
                    ),
                    [instrument_floor, template.record_id],
                )
                cursor.execute(
                    _copy_sql(
                        table,
                        certificate_columns,
                        {
                            "number": "'FILL' || substr(r.record_number, 3)",
                            "record_id": "r.id",
                            "instrument_id": "r.instrument_id",
                            "record_number": "r.record_number",
                        },
                        f"{records} r WHERE r.id > %s AND t.id = %s",
                    ),
                    [record_floor, template.pk],
                )
            print(f"  {end + 1 - first}/{count} after {time.perf_counter() - started:.0f} s", flush=True)
        cursor.execute(f"ANALYZE {instruments}; ANALYZE {records}; ANALYZE {table}")


def add_arguments(parser) -> None:
    group = parser.add_argument_group("certificate_check")
    group.add_argument("--certificates", type=int, default=20_000, help="certificates stored")
    group.add_argument("--requests", type=int, default=2_000, help="timed GraphQL requests")
    group.add_argument(
        "--check-signed",
        type=int,
        default=20_000,
        help="certificates issued by the real service; the rest are SQL copies",
    )


def run(arguments) -> None:
    certificates, requests = arguments.certificates, arguments.requests
    prepare(certificates, arguments.check_signed)
    pairs = list(
        Certificate.objects.exclude(number__startswith=FILLER_PREFIX).values_list("number", "check_code")
    )
    stored = Certificate.objects.count()
    sampler = random.Random(2026)
    # "testserver", the test client's default host, is not in ALLOWED_HOSTS outside tests.
    client = Client(HTTP_HOST="localhost")
    latencies = []

    with override_settings(CERTIFICATE_CHECK_RATE_LIMIT=requests * 10):
        for _ in range(requests):
            number, code = sampler.choice(pairs)
            body = json.dumps({"query": QUERY, "variables": {"number": number, "checkCode": code}})
            started = time.perf_counter()
            response = client.post("/graphql/", body, content_type="application/json")
            latencies.append((time.perf_counter() - started) * 1000)
            status = response.json()["data"]["certificateCheck"]["status"]
            if status != "AUTHENTIC":
                raise SystemExit(f"Certificate {number} checked as {status}, expected AUTHENTIC.")

    print(
        f"\nPublic certificate check through GraphQL "
        f"({connection.vendor}, {stored} certificates stored, checks drawn from the "
        f"{len(pairs)} signed by the service)"
    )
    print(f"  requests   {requests}")
    print(f"  mean       {statistics.fmean(latencies):.2f} ms")
    print(f"  p50        {percentile(latencies, 0.50):.2f} ms")
    print(f"  p95        {percentile(latencies, 0.95):.2f} ms")
    print(f"  p99        {percentile(latencies, 0.99):.2f} ms")
