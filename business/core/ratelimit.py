"""Fixed-window rate limits kept in the Django cache.

With Redis configured the counters are shared by every worker. With the in-process
cache of the demo and the tests each process counts on its own, which is enough there.
"""

import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """Return the client address, taking the proxy's header only when configured."""
    if settings.CLIENT_IP_HEADER:
        forwarded = request.META.get(settings.CLIENT_IP_HEADER, "")
        first = forwarded.split(",")[0].strip()
        if first:
            return first
    return request.META.get("REMOTE_ADDR", "")


def hit(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request for ``key`` and return whether it is within the limit."""
    window = int(time.time() // window_seconds)
    cache_key = f"ratelimit:{scope}:{key}:{window}"

    # add() is atomic in Redis and LocMem, so two workers cannot both create the key.
    if cache.add(cache_key, 1, timeout=window_seconds + 1):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # The key expired between add() and incr(); this request opens a new window.
        cache.set(cache_key, 1, timeout=window_seconds + 1)
        return True
    return count <= limit
