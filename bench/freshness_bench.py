"""Benchmark: searches while outlets change, at 100,000 outlets.

Two searching threads run nearest-20 searches from random origins without pause, in one
process (as a threaded worker would); a third thread watches a spot where no outlet is.
Another process (as the admin or a command would) then moves one outlet to that spot and
notes when its write committed. Measured: the slowest search in the 5 s after the write
(and until the watcher saw it, when that takes longer), its p99, and how long after the
commit the watcher first saw the moved outlet.

Cases, each in a fresh searching process on the same database:

- **one-outlet edit** (ours): the changed outlet is reloaded and layered over the index.
- **one-outlet edit, rebuilt inline** (baseline: the previous design): any write makes
  the next search rebuild the whole index on the request path.
- **bulk change** (an import of many outlets, a holiday): a full rebuild in a background
  thread while the searches keep the previous index.

Targets: the slowest search in the 5 s after a one-outlet edit under 50 ms; the edit
visible in searches at most 1 s after it was saved.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench-data"
PYTHON = sys.executable
SPOT = (-5.5, 128.0)  # the Banda Sea (plus one degree north per case): no outlets there
AFTER_SECONDS = 5.0
CASES = (
    ("one-outlet edit (ours)", "patch"),
    ("one-outlet edit, rebuilt inline (baseline)", "inline"),
    ("bulk change, rebuilt in the background", "bulk"),
)

WRITER = """
import sys, time, django
django.setup()
from django.db import transaction
from locations.models import Outlet, SearchChange
outlet = Outlet.objects.filter(status="active").order_by("code")[{case}]
with transaction.atomic():  # as an import writes: the outlets, then one change for all
    outlet.latitude, outlet.longitude = {lat}, {lng}
    outlet.save()
    if "{mode}" != "patch":
        SearchChange.objects.record()  # anything may have changed
print(outlet.code, time.time())
"""


def measure(mode: str, case: int) -> dict:
    """Run in a process whose DATABASE_URL holds the outlets."""
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from locations import search
    from locations.models import Outlet
    from locations.search import live

    if mode == "inline":  # the previous design: every write rebuilds, in the request
        live.MAX_LAYERED = 0
        live.INLINE_REBUILD_BELOW = 10**9
    rows = list(Outlet.objects.searchable().values_list("latitude", "longitude"))
    rng = random.Random(5)
    origins = [rng.choice(rows) for _ in range(2000)]
    started = time.perf_counter()
    search.current_index()
    build_seconds = time.perf_counter() - started
    at = timezone.now()
    spot = (SPOT[0] + case, SPOT[1])
    timings: list[tuple[float, float]] = []  # (wall clock at start, seconds)
    seen: list[tuple[str, float]] = []
    stop = threading.Event()

    def searcher(seed):
        n = seed
        try:
            while not stop.is_set():
                lat, lng = origins[n % len(origins)]
                n += 7
                began = time.time()
                tick = time.perf_counter()
                search.nearest(lat, lng, limit=20, at=at)
                timings.append((began, time.perf_counter() - tick))
        finally:
            connection.close()

    def watcher():
        try:
            while not stop.is_set():
                hits = search.nearest(*spot, limit=1, at=at)
                if hits and hits[0].distance_km == 0:
                    seen.append((hits[0].code, time.time()))
                    return
                time.sleep(0.01)
        finally:
            connection.close()

    threads = [threading.Thread(target=searcher, args=(n,)) for n in range(2)]
    threads.append(threading.Thread(target=watcher))
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    writer = subprocess.run(
        [PYTHON, "-c", WRITER.format(lat=spot[0], lng=spot[1], mode=mode, case=case)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    code, saved_at = writer[0], float(writer[1])
    # Searches go on for 5 s after the write, and until the watcher has seen it (a large
    # rebuild takes longer), 60 s at most.
    time.sleep(AFTER_SECONDS)
    deadline = time.time() + 60
    while not seen and time.time() < deadline:
        time.sleep(0.1)
    end = time.time()
    stop.set()
    for thread in threads:
        thread.join()
    # Every search running at any moment of that span.
    after = sorted(s for began, s in timings if began + s > saved_at and began < end)
    before = sorted(s for began, s in timings if began + s <= saved_at)
    return {
        "mode": mode,
        "size": len(rows),
        "build_seconds": build_seconds,
        "searches_after": len(after),
        "median_before_ms": statistics.median(before) * 1000,
        "p99_before_ms": before[int(len(before) * 0.99)] * 1000,
        "max_before_ms": before[-1] * 1000,
        "median_after_ms": statistics.median(after) * 1000,
        "p99_after_ms": after[int(len(after) * 0.99)] * 1000,
        "max_after_ms": after[-1] * 1000,
        "visible_after_s": (seen[0][1] - saved_at) if seen and seen[0][0] == code else None,
    }


def freshness_benchmark(count: int) -> None:
    from bench.outlets_bench import database_with_outlets, run_json

    print(f"\nSearches while outlets change ({count:,} outlets, SQLite, 2 searching threads)")
    print(f"{'':44} {'median ms':>9} {'p99 ms':>7} {'slowest ms':>10} {'visible after':>14}")
    env = database_with_outlets(f"freshness-{count}.sqlite3", count)
    for case, (label, mode) in enumerate(CASES):
        result = run_json(["bench.freshness_bench", mode, str(case)], env)
        visible = result["visible_after_s"]
        shown = "never" if visible is None else f"{visible * 1000:,.0f} ms"
        print(
            f"{label:44} {result['median_after_ms']:9.3f} {result['p99_after_ms']:7.2f} "
            f"{result['max_after_ms']:10.1f} {shown:>14}"
        )
    print(f"(searches before the write: median {result['median_before_ms']:.3f} ms)")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "axisfinder.settings")
    print(json.dumps(measure(sys.argv[1], int(sys.argv[2]))))
