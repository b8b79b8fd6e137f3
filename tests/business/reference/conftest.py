import pytest

from business.reference import workdays
from business.reference.loading import load_reference_data


@pytest.fixture(autouse=True)
def _empty_workday_cache():
    """Start each test with an empty calendar cache.

    Test transactions roll back without sending delete signals, so a year cached by
    one test would otherwise leak into the next.
    """
    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.fixture
def reference_data(db):
    """Load the real files from data/reference/ and return the counts."""
    return load_reference_data()
