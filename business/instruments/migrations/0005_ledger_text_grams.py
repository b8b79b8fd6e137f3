"""Character grams of the ledger's searchable text with a GIN index, on PostgreSQL only.

The fuzzy search box of the ledger (business.instruments.filters) matches a term
anywhere inside five text fields. An ILIKE scan reads a regulator's whole division;
the index narrows the rows to those that hold every character pair of the term, and
a substring test rechecks only them. The functions are plain PL/pgSQL, so no
extension is needed (pg_trgm cannot serve one- and two-character Chinese terms).

The grams live in a stored generated column, kept current by PostgreSQL on every
insert, update and COPY. An expression index alone would do without the column, but
where the planner reads rows in id order instead of through the index, it would run
the gram function on every row it reads. The column is not on the Django model.

SQLite has no GIN indexes; there the filter keeps the ILIKE alone.
"""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION instrument_grams(value text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    grams text[] := '{}';
    size int := length(value);
BEGIN
    FOR i IN 1..size LOOP
        grams := grams || substr(value, i, 1);
        IF i < size THEN
            grams := grams || substr(value, i, 2);
        END IF;
    END LOOP;
    RETURN grams;
END
$$;

CREATE OR REPLACE FUNCTION instrument_query(term text) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    grams text[] := '{}';
BEGIN
    IF length(term) = 1 THEN
        grams := ARRAY[term];
    ELSE
        FOR i IN 1..length(term) - 1 LOOP
            grams := grams || substr(term, i, 2);
        END LOOP;
    END IF;
    -- Quoted lexemes joined by AND; quotes and backslashes inside are escaped.
    RETURN array_to_string(
        array(
            SELECT '''' || replace(replace(gram, '\', '\\'), '''', '''''') || ''''
            FROM unnest(grams) AS gram
        ),
        ' & '
    )::tsquery;
END
$$;
"""

COLUMN_AND_INDEX = """
ALTER TABLE instruments_instrument ADD COLUMN search_grams tsvector GENERATED ALWAYS AS (
    array_to_tsvector(instrument_grams(lower(
        name || ' ' || model || ' ' || serial_number || ' ' || manufacturer || ' ' || installation_place
    )))
) STORED;
CREATE INDEX instrument_search_grams ON instruments_instrument USING gin (search_grams);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS)
        schema_editor.execute(COLUMN_AND_INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE instruments_instrument DROP COLUMN IF EXISTS search_grams")
        schema_editor.execute("DROP FUNCTION IF EXISTS instrument_query(text)")
        schema_editor.execute("DROP FUNCTION IF EXISTS instrument_grams(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("instruments", "0004_certificate_state_copy"),
    ]

    operations = [migrations.RunPython(create, drop)]
