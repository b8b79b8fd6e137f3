"""Run the benchmarks and print their figures.

    python -m benchmarks                      # every benchmark at its default size
    python -m benchmarks certificate_check    # only the named ones
    python -m benchmarks certificate_check --certificates 100000

Each benchmark is a module in this package with ``add_arguments(parser)`` and
``run(arguments)``; list it in BENCHMARKS. Options of all benchmarks are accepted
together, so one command line can size several of them.
"""

import argparse
import importlib
import os
import sys
from pathlib import Path

# Module names, in the order they run.
BENCHMARKS = [
    "certificate_check",
    "expiry",
    "accounts",
    "ledger",
    "issuing",
    "search",
    "portal_home",
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default: all of {BENCHMARKS})")

    base_dir = Path(__file__).resolve().parent.parent
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{base_dir / 'var' / 'bench.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(base_dir))

    import django

    django.setup()

    modules = {name: importlib.import_module(f"benchmarks.{name}") for name in BENCHMARKS}
    for module in modules.values():
        module.add_arguments(parser)
    arguments = parser.parse_args()

    unknown = [name for name in arguments.names if name not in modules]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    for name in arguments.names or BENCHMARKS:
        print(f"\n== {name} ==", flush=True)
        modules[name].run(arguments)


main()
