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
from business.organisations.models import Organisation

QUERY = """
query CheckCertificate($number: String!, $checkCode: String!) {
  certificateCheck(number: $number, checkCode: $checkCode) {
    status
    certificate { number conclusion validUntil }
  }
}
"""


def prepare(certificates: int) -> None:
    call_command("migrate", verbosity=0)
    stored = Certificate.objects.count()
    if stored >= certificates:
        return
    if Organisation.objects.exists():
        raise SystemExit(
            f"The benchmark database contains {stored} certificates, fewer than {certificates}. "
            "Delete it (or point BENCH_DATABASE_URL at an empty database) and run again."
        )
    print(f"Generating {certificates} certificates (about 7 ms each)…", flush=True)
    started = time.perf_counter()
    call_command("load_reference_data", verbosity=0)
    call_command(
        "generate_demo_data",
        enterprises=max(1, certificates // 100),
        instruments=certificates,
        certificates=certificates,
        verbosity=0,
    )
    print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)


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
