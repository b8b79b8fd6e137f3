import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Start every test with empty rate-limit counters and caches."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
