import io

import pytest
from django.core.management import call_command

from business.demo.generator import DemoDataGenerator


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Keep the demo's banner images out of var/media."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def portal(db):
    """The demo portal pages, indexed."""
    DemoDataGenerator(seed=1).create_portal_pages()
    call_command("rebuild_search_index", kind=["page"], stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _database_backend(settings):
    """Use the database back end unless a test selects Elasticsearch itself."""
    settings.SEARCH_BACKEND = "database"
