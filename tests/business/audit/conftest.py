import pytest

from .helpers import AUDIT_KEY


@pytest.fixture(autouse=True)
def _fixed_audit_key(settings):
    """Use a known audit MAC key, independent of the developer's var/secrets."""
    settings.AUDIT_MAC_KEY = AUDIT_KEY
