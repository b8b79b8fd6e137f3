"""Full-text search over portal pages and business data.

TODO: build the search service (PostgreSQL bigram index by default, Elasticsearch
through elasticsearch.dsl when configured). Until then Wagtail's database backend
serves the admin's own search.
"""
