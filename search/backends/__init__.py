"""Choose the search back end from settings.

``SEARCH_BACKEND`` is "database" (the default) or "elasticsearch"; when it is unset
and ``ELASTICSEARCH_URL`` is set, Elasticsearch is used. The database back end uses
the gram index on PostgreSQL and plain substring matching on SQLite.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from .base import SearchBackend

BACKEND_NAMES = ("database", "elasticsearch")


def backend_name() -> str:
    name = getattr(settings, "SEARCH_BACKEND", None)
    if not name:
        name = "elasticsearch" if getattr(settings, "ELASTICSEARCH_URL", "") else "database"
    if name not in BACKEND_NAMES:
        raise ImproperlyConfigured(
            f"SEARCH_BACKEND must be one of {', '.join(BACKEND_NAMES)}, not {name!r}."
        )
    return name


def get_backend() -> SearchBackend:
    if backend_name() == "elasticsearch":
        from .elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend.from_settings()

    from .database import DatabaseBackend, PostgresBackend

    if connection.vendor == "postgresql":
        return PostgresBackend()
    return DatabaseBackend()
