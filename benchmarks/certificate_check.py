"""Public certificate check through the GraphQL endpoint, with N certificates stored.

Each request is a full POST through Django's test client: middleware, CSRF, the
GraphQL view, validation, the look-up, the SM3 digest and the SM2 verification.
The client runs in the same process, so no network time is included.
"""

import json
import random
import statistics
import time

from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings

from business.certificates.models import Certificate

QUERY = """
query CheckCertificate($number: String!, $checkCode: String!) {
  certificateCheck(number: $number, checkCode: $checkCode) {
    status
    certificate { number conclusion validUntil }
  }
}
"""


def prepare(certificates: int) -> None:
    """Top the database up to ``certificates`` stored certificates.

    The missing ones are generated in bulk (benchmarks.issuing): instruments and
    records are bulk-inserted and each certificate is issued by the real service, so
    every one carries its own SM3 digest and SM2 signature over distinct content. Only
    search indexing is switched off while generating, as the check never reads it.
    """
    call_command("migrate", verbosity=0)
    missing = certificates - Certificate.objects.count()
    if missing <= 0:
        return
    from . import issuing

    print(f"Generating {missing} certificates in bulk…", flush=True)
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


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def add_arguments(parser) -> None:
    group = parser.add_argument_group("certificate_check")
    group.add_argument("--certificates", type=int, default=20_000, help="certificates stored")
    group.add_argument("--requests", type=int, default=2_000, help="timed GraphQL requests")


def run(arguments) -> None:
    certificates, requests = arguments.certificates, arguments.requests
    prepare(certificates)
    pairs = list(Certificate.objects.values_list("number", "check_code"))
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
        f"({connection.vendor}, {len(pairs)} certificates stored)"
    )
    print(f"  requests   {requests}")
    print(f"  mean       {statistics.fmean(latencies):.2f} ms")
    print(f"  p50        {percentile(latencies, 0.50):.2f} ms")
    print(f"  p95        {percentile(latencies, 0.95):.2f} ms")
    print(f"  p99        {percentile(latencies, 0.99):.2f} ms")
