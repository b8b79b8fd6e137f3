"""Recording portal visits and searches, purging old data, and the report figures.

Analytics rows are statistics, not business records, so recording them writes no
audit event; purging them is logged.
"""

import datetime
import logging
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.encoding import force_bytes

from business.core import ratelimit
from business.core.crypto import sm3

from .models import Device, PageView, SearchRecord, VisitorKind, VisitorSalt

logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 180
DEFAULT_SALT_ROTATION_DAYS = 30
# Page views one client address may record per minute; more are dropped silently.
DEFAULT_RECORD_RATE_LIMIT = 120

MAX_PATH_LENGTH = 200
MAX_QUERY_LENGTH = 100

_MOBILE_AGENT = re.compile(r"Mobile|Android|iPhone|iPad|HarmonyOS", re.IGNORECASE)
# Runs of 7 or more digits may be phone, ID-card or bank numbers.
_LONG_NUMBER = re.compile(r"\d{7,}[\dXx]?")


def retention_days() -> int:
    return getattr(settings, "ANALYTICS_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)


def rotation_days() -> int:
    return getattr(settings, "ANALYTICS_SALT_ROTATION_DAYS", DEFAULT_SALT_ROTATION_DAYS)


def current_period(now: datetime.datetime) -> int:
    return now.date().toordinal() // rotation_days()


def _salt(period: int) -> str:
    row = VisitorSalt.objects.filter(period=period).first()
    if row is not None:
        return row.salt
    try:
        with transaction.atomic():
            row = VisitorSalt.objects.create(period=period, salt=secrets.token_hex(32))
    except IntegrityError:
        # Another request created the period's salt first.
        row = VisitorSalt.objects.get(period=period)
    return row.salt


def visitor_hash(address: str, now: datetime.datetime) -> str:
    """Return the HMAC-SM3 of ``address`` under the current period's salt and SECRET_KEY.

    The server secret in the key means a copy of the database alone (salts included)
    does not allow testing guessed addresses.
    """
    key = sm3.digest(force_bytes(f"analytics:{settings.SECRET_KEY}:{_salt(current_period(now))}"))
    return sm3.hmac_sm3(key, force_bytes(address)).hex()


def device_of(request) -> str:
    agent = request.META.get("HTTP_USER_AGENT", "")
    return Device.MOBILE if _MOBILE_AGENT.search(agent) else Device.DESKTOP


def visitor_kind_of(request) -> str:
    user = getattr(request, "business_user", None)
    if user is None:
        return VisitorKind.ANONYMOUS
    kind = user.organisation.kind
    return kind if kind in VisitorKind.values else VisitorKind.ANONYMOUS


@dataclass(frozen=True)
class Visitor:
    hash: str
    device: str
    kind: str
    returning: bool


def _visitor(request, now: datetime.datetime) -> Visitor:
    digest = visitor_hash(ratelimit.client_ip(request), now)
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    returning = (
        PageView.objects.filter(visitor_hash=digest, occurred_at__lt=start_of_day).exists()
        or SearchRecord.objects.filter(visitor_hash=digest, occurred_at__lt=start_of_day).exists()
    )
    return Visitor(digest, device_of(request), visitor_kind_of(request), returning)


def _within_rate(request) -> bool:
    return ratelimit.hit(
        "analytics",
        ratelimit.client_ip(request),
        limit=getattr(settings, "ANALYTICS_RECORD_RATE_LIMIT", DEFAULT_RECORD_RATE_LIMIT),
        window_seconds=60,
    )


def _tolerant(record):
    """Run ``record`` in a savepoint and log a database error instead of raising it.

    Statistics must never make a search or a page fail, for example when SQLite in the
    demo reports a locked table under concurrent requests.
    """
    try:
        with transaction.atomic():
            return record()
    except DatabaseError:
        logger.warning("Analytics record failed and was skipped", exc_info=True)
        return False


def record_page_view(request, path: str, page_id: int | None, section: str = "") -> bool:
    """Store one page view; return False when it was not stored (rate limit or error)."""
    if not _within_rate(request):
        return False
    return _tolerant(lambda: _store_page_view(request, path, page_id, section))


def _store_page_view(request, path: str, page_id: int | None, section: str) -> bool:
    now = timezone.now()
    visitor = _visitor(request, now)
    PageView.objects.create(
        occurred_at=now,
        visitor_hash=visitor.hash,
        device=visitor.device,
        visitor_kind=visitor.kind,
        returning=visitor.returning,
        path=path[:MAX_PATH_LENGTH],
        page_id=page_id,
        section=section[:20],
    )
    return True


def mask_query(query: str) -> str:
    return _LONG_NUMBER.sub("***", " ".join(query.split()))[:MAX_QUERY_LENGTH]


def record_search(request, query: str, section: str, result_count: int) -> None:
    if not _within_rate(request):
        return
    _tolerant(lambda: _store_search(request, query, section, result_count))


def _store_search(request, query: str, section: str, result_count: int) -> bool:
    now = timezone.now()
    visitor = _visitor(request, now)
    SearchRecord.objects.create(
        occurred_at=now,
        visitor_hash=visitor.hash,
        device=visitor.device,
        visitor_kind=visitor.kind,
        returning=visitor.returning,
        query=mask_query(query),
        section=section or "",
        result_count=result_count,
    )
    return True


def purge(now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete events older than the retention and salts of past rotation periods."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=retention_days())
    page_views, _ = PageView.objects.filter(occurred_at__lt=cutoff).delete()
    searches, _ = SearchRecord.objects.filter(occurred_at__lt=cutoff).delete()
    salts, _ = VisitorSalt.objects.filter(period__lt=current_period(now)).delete()
    logger.info(
        "Purged analytics before %s: %s page views, %s searches, %s salts",
        cutoff.date(), page_views, searches, salts,
    )
    return {"page_views": page_views, "searches": searches, "salts": salts}


# --- report ---------------------------------------------------------------------------


def _share(rows, labels) -> list[dict]:
    total = sum(count for _, count in rows) or 1
    return [
        {"label": labels.get(key, key), "count": count, "percent": round(count * 100 / total)}
        for key, count in rows
    ]


def report(days: int, now: datetime.datetime | None = None) -> dict:
    """Return the figures of the last ``days`` days for the admin report."""
    from wagtail.models import Page

    now = now or timezone.now()
    since = now - datetime.timedelta(days=days)
    views = PageView.objects.filter(occurred_at__gte=since)
    searches = SearchRecord.objects.filter(occurred_at__gte=since)

    daily = list(
        views.annotate(day=TruncDate("occurred_at"))
        .values("day")
        .annotate(count=Count("id"), visitors=Count("visitor_hash", distinct=True))
        .order_by("day")
    )
    peak = max((row["count"] for row in daily), default=0) or 1
    for row in daily:
        row["percent"] = round(row["count"] * 100 / peak)

    popular = list(
        views.exclude(page_id=None)
        .values("page_id")
        .annotate(count=Count("id"))
        .order_by("-count", "page_id")[:10]
    )
    titles = dict(Page.objects.filter(pk__in=[row["page_id"] for row in popular]).values_list("pk", "title"))
    for row in popular:
        row["title"] = titles.get(row["page_id"], f"已删除的页面 {row['page_id']}")

    top_paths = list(views.values("path").annotate(count=Count("id")).order_by("-count", "path")[:10])
    top_queries = list(
        searches.values("query").annotate(count=Count("id")).order_by("-count", "query")[:10]
    )
    empty_queries = list(
        searches.filter(result_count=0)
        .values("query")
        .annotate(count=Count("id"))
        .order_by("-count", "query")[:10]
    )

    return {
        "days": days,
        "page_views": views.count(),
        "visitors": views.values("visitor_hash").distinct().count(),
        "searches": searches.count(),
        "daily": daily,
        "popular_pages": popular,
        "top_paths": top_paths,
        "top_queries": top_queries,
        "empty_queries": empty_queries,
        "devices": _share(
            list(views.values_list("device").annotate(count=Count("id")).order_by("-count")),
            dict(Device.choices),
        ),
        "visitor_kinds": _share(
            list(views.values_list("visitor_kind").annotate(count=Count("id")).order_by("-count")),
            dict(VisitorKind.choices),
        ),
        "returning": _share(
            list(views.values_list("returning").annotate(count=Count("id")).order_by("-count")),
            {True: "回访访客", False: "新访客"},
        ),
    }
