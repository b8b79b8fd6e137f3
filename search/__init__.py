"""Full-text search over portal pages and business data.

``search.service.search`` is the entry point. The SearchDocument table contains one row
per public object and is kept current by the receivers in ``search.signals``. Queries
go to the PostgreSQL gram index, to a substring match on SQLite, or to Elasticsearch
when ``SEARCH_BACKEND`` or ``ELASTICSEARCH_URL`` selects it. Wagtail's own database
search backend still serves the admin's page search.
"""
