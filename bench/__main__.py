"""``make bench``: run every benchmark and print its table.

Each benchmark measures the project's way and a baseline in the same run, on the same
machine, and prints medians and ratios: the machine is shared and noisy, so a lone
absolute time means little.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench-data"
BENCHMARKS = ["import", "status", "gazetteer", "search", "freshness", "api", "map", "slow"]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--only",
        choices=BENCHMARKS,
        action="append",
        help="run only these",
    )
    parser.add_argument(
        "--outlets", type=int, default=100_000, help="outlets to generate (default 100000)"
    )
    args = parser.parse_args(argv)
    DATA.mkdir(exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "axisfinder.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{DATA / 'bench.sqlite3'}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bench import (
        api_bench,
        freshness_bench,
        gazetteer_bench,
        map_bench,
        outlets_bench,
        search_bench,
        slow_bench,
    )

    selected = args.only or BENCHMARKS
    if "import" in selected:
        outlets_bench.import_benchmark(args.outlets)
    if "status" in selected:
        outlets_bench.status_benchmark(args.outlets)
    if "gazetteer" in selected:
        gazetteer_bench.gazetteer_benchmark()
    if "search" in selected:
        sizes = [size for size in search_bench.SIZES if size < args.outlets] + [args.outlets]
        search_bench.search_benchmark(sizes=sizes)
    if "freshness" in selected:
        freshness_bench.freshness_benchmark(args.outlets)
    if "api" in selected:
        api_bench.api_benchmark(args.outlets)
    if "map" in selected:
        map_bench.map_benchmark(args.outlets)
    if "slow" in selected:
        slow_bench.slow_benchmark(args.outlets)


if __name__ == "__main__":
    main()
