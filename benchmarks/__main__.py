"""Run the benchmarks and print their figures.

    python -m benchmarks [--certificates N] [--requests N]
"""

import argparse
import os
import sys
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--certificates", type=int, default=20_000, help="certificates stored")
    parser.add_argument("--requests", type=int, default=2_000, help="timed GraphQL requests")
    arguments = parser.parse_args()

    base_dir = Path(__file__).resolve().parent.parent
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{base_dir / 'var' / 'bench.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(base_dir))

    import django

    django.setup()

    from . import certificate_check

    certificate_check.run(certificates=arguments.certificates, requests=arguments.requests)


main()
