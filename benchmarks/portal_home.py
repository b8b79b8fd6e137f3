"""The portal home query through the GraphQL endpoint, with the home cache.

Each request is a full POST of the frontend's PortalHomeLayout operation through
Django's test client in this process: middleware, the GraphQL view, validation, the
readership middleware and the cached home data. The benchmark also publishes a page
and checks that the next response shows it, so a stale cache fails the run.
"""

import json
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client

from .figures import percentile

OPERATIONS = Path(settings.BASE_DIR) / "graphql" / "operations" / "portal.graphql"


def add_arguments(parser) -> None:
    group = parser.add_argument_group("portal_home")
    group.add_argument("--home-requests", type=int, default=2_000, help="timed home requests")


def prepare() -> None:
    from django.core.management import call_command

    from business.demo.generator import DemoDataGenerator
    from cms.models import HomePage

    call_command("migrate", verbosity=0)
    if not HomePage.objects.exists():
        print("Creating the demo portal pages…", flush=True)
        DemoDataGenerator(seed=1).create_portal_pages()


def _request(client, division=None) -> tuple[float, dict]:
    body = json.dumps(
        {
            "query": OPERATIONS.read_text(encoding="utf-8"),
            "operationName": "PortalHomeLayout",
            "variables": {"division": division},
        }
    )
    started = time.perf_counter()
    response = client.post("/graphql/", body, content_type="application/json")
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, response.json()


def _first_tab_titles(data: dict) -> list[str]:
    for block in data["data"]["portalHome"]["blocks"]:
        if block["kind"] == "NEWS_TABS":
            return [item["title"] for tab in block["tabs"] for item in tab["items"]]
    return []


def check_invalidation(client) -> bool:
    """Publish a new notice and return whether the next home response lists it."""
    import datetime

    from cms.models import NoticePage, SectionIndexPage

    section = SectionIndexPage.objects.filter(slug="notices").first()
    if section is None:
        return False
    title = f"基准测试通知 {time.time():.0f}"
    page = section.add_child(
        instance=NoticePage(
            title=title, slug=f"bench-{time.time_ns()}", date=datetime.date(2099, 1, 1), live=False
        )
    )
    _request(client)  # Cached before the publish.
    page.save_revision().publish()
    _, data = _request(client)
    listed = title in _first_tab_titles(data)
    page.delete()
    return listed


def run(arguments) -> None:
    from cms import home

    prepare()
    client = Client(HTTP_HOST="localhost")

    cold = []
    for _ in range(20):
        home.invalidate()
        cold.append(_request(client)[0])

    warm = [_request(client)[0] for _ in range(arguments.home_requests)]
    division = [_request(client, "410105")[0] for _ in range(min(200, arguments.home_requests))]
    fresh = check_invalidation(client)

    cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"\nPortal home through GraphQL ({connection.vendor}, cache {cache_backend})")
    print(f"  cached requests  {len(warm)}")
    print(f"  mean             {statistics.fmean(warm):.2f} ms")
    print(f"  p50              {percentile(warm, 0.50):.2f} ms")
    print(f"  p95              {percentile(warm, 0.95):.2f} ms")
    print(f"  p99              {percentile(warm, 0.99):.2f} ms")
    print(f"  division p95     {percentile(division, 0.95):.2f} ms  (410105, served by the 郑州市 home)")
    print(f"  rebuild p50      {percentile(cold, 0.50):.2f} ms  (first request after a publish)")
    print(f"  publish clears the cache: {'yes' if fresh else 'NO'}")
    if not fresh:
        raise SystemExit("The home cache was not invalidated by publishing a page.")
