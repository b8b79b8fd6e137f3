import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Start every test with empty rate-limit counters and caches."""
    from django.core.cache import cache

    from business.reference.models import forget_division_tree

    cache.clear()
    # A rolled-back test deletes its divisions without sending post_delete.
    forget_division_tree()
    yield
    cache.clear()
