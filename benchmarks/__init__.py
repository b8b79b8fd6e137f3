"""Benchmarks that print their figures: ``make bench`` or ``python -m benchmarks``.

They run against their own database (``BENCH_DATABASE_URL``, by default a SQLite
file under var/) so that benchmark volumes never mix with demo data.
"""
