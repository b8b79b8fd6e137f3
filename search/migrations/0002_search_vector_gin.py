"""GIN index on the gram tsvector, on PostgreSQL (and KingbaseES) only.

SQLite has no GIN indexes and its back end does not use the column, so the
operation does nothing there.
"""

from django.db import migrations

INDEX_NAME = "search_vector_gin"
TABLE = "platform_search_searchdocument"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX {INDEX_NAME} ON {TABLE} USING gin (search_vector)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("platform_search", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
