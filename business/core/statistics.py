"""Element frequencies of indexed array and tsvector columns, from PostgreSQL's statistics.

A gram index, such as portal search's, helps only for rare terms. For a term in a
large share of the rows, PostgreSQL builds a bitmap of every
matching row before returning the first one. Reading the newest rows in order and
testing each finds a page of matches within a few hundred rows. The planner
cannot tell the two cases apart well (it multiplies the guesses for conditions that
depend on each other), so callers ask how common each gram is and leave the index
out for common ones.

ANALYZE keeps the most common elements of such a column with the share of rows that
contain each. An element missing from the list is rarer than every listed one.
"""

import time

from django.db import connection

# Seconds for which one process reuses the frequencies it read. ANALYZE refreshes
# them only after many rows change, so re-reading them more often gains nothing.
STATISTICS_SECONDS = 600

_cache: dict[tuple[str, str], tuple[float, dict[str, float]]] = {}


def element_frequencies(table: str, column: str) -> dict[str, float]:
    """Return {element: share of rows containing it} for the most common elements of ``column``.

    Empty on other databases than PostgreSQL and before the first ANALYZE.
    """
    if connection.vendor != "postgresql":
        return {}
    now = time.monotonic()
    cached = _cache.get((table, column))
    if cached and now - cached[0] < STATISTICS_SECONDS:
        return cached[1]

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = %s AND attname = %s",
            [table, column],
        )
        row = cursor.fetchone()
    frequencies = {}
    if row and row[0]:
        # The frequencies list ends with three summary values after one per element.
        frequencies = dict(zip(row[0], row[1][: len(row[0])], strict=True))
    _cache[(table, column)] = (now, frequencies)
    return frequencies


def forget() -> None:
    """Drop the frequencies read so far, so the next call reads pg_stats again."""
    _cache.clear()
