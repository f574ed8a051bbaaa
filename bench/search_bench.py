"""Benchmark of the nearest-outlet search, against the two usual ways of doing it.

For 1,000, 10,000 and 100,000 generated outlets clustered around Indonesian cities, from
many origins near them: the 10 nearest within 25 km, the 20 nearest with no radius, and the
same with ``open_now``. Baselines, in the same run and on the same database:
(a) geopy ``geodesic`` to every row, sorted (the tutorial approach);
(b) a full-scan SQL haversine, ``ORDER BY distance LIMIT n`` (WP Store Locator's approach).

Targets at 100,000 outlets (SQLite, exact answers): a median of 0.5 ms or less for the
search, ``open_now`` adding no more than the search itself, at least 10,000 times faster
than (a).

Each size runs in its own process (``python -m bench.search_bench SIZE QUERIES``) on its
own database, and prints one JSON line that the parent turns into the table.
"""

import json
import os
import random
import sys
import time
from datetime import UTC, datetime

from bench.outlets_bench import DATA, ROOT, database_with_outlets, run_json, summary, timed

SIZES = (1_000, 10_000, 100_000)
# Wednesday 2026-11-25, 20:30 WIB: offices have closed, malls are closing, kiosks open late.
EVENING = datetime(2026, 11, 25, 13, 30, tzinfo=UTC)
CASES = (
    ("10 nearest within 25 km", 10, 25.0, False),
    ("20 nearest, no radius", 20, None, False),
    ("10 nearest within 25 km, open now", 10, 25.0, True),
    ("20 nearest, no radius, open now", 20, None, True),
)
HAVERSINE = """
    SELECT id, distance FROM (
        SELECT id, 12742.0176 * asin(sqrt(
            power(sin(radians(latitude - %s) / 2), 2)
            + cos(radians(%s)) * cos(radians(latitude))
              * power(sin(radians(longitude - %s) / 2), 2)
        )) AS distance
        FROM locations_outlet WHERE status <> 'permanently_closed'
    ) AS ranked {where} ORDER BY distance LIMIT %s
"""


def origins(rows, count: int, seed: int = 11) -> list[tuple[float, float]]:
    """Where people search from: near outlets (they cluster where people live), a fifth of
    them farther out in the country."""
    rng = random.Random(seed)
    points = []
    for n in range(count):
        lat, lng = rng.choice(rows)
        spread = 0.5 if n % 5 == 0 else 0.05
        points.append((lat + rng.gauss(0, spread), lng + rng.gauss(0, spread)))
    return points


def measure(size: int, queries: int) -> dict:
    """Run in a process whose DATABASE_URL holds ``size`` outlets."""
    import django

    django.setup()
    from django.db import connection
    from geopy.distance import geodesic

    from locations import search
    from locations.models import Outlet
    from locations.search import Filters

    rows = list(Outlet.objects.searchable().values_list("latitude", "longitude"))
    points = origins(rows, queries)
    started = time.perf_counter()
    search.current_index()
    build_seconds = time.perf_counter() - started

    results = {"size": size, "build_seconds": build_seconds, "cases": {}}
    for label, limit, radius, open_now in CASES:
        filters = Filters(open_now=open_now)

        def ours(lat, lng, limit=limit, radius=radius, filters=filters):
            return search.current_index().nearest(
                lat, lng, limit=limit, radius_km=radius, filters=filters, at=EVENING
            )

        def with_rows(lat, lng, limit=limit, radius=radius, filters=filters):
            hits = search.nearest(
                lat, lng, limit=limit, radius_km=radius, filters=filters, at=EVENING
            )
            return Outlet.objects.for_hits(hits, EVENING)

        for lat, lng in points[:20]:  # warm up caches before timing
            ours(lat, lng)
        case = {"ours": summary(timed(ours, points)), "rows": summary(timed(with_rows, points))}
        if not open_now:

            def geodesic_all(lat, lng, limit=limit, radius=radius):
                # (a) The tutorial approach: every row, a geodesic each, sorted.
                ranked = sorted(
                    (geodesic((lat, lng), (row_lat, row_lng)).km, pk)
                    for pk, row_lat, row_lng in Outlet.objects.searchable().values_list(
                        "pk", "latitude", "longitude"
                    )
                )
                if radius is not None:
                    ranked = [entry for entry in ranked if entry[0] <= radius]
                return ranked[:limit]

            def haversine_sql(lat, lng, limit=limit, radius=radius):
                # (b) A full-scan spherical distance in SQL, sorted by the database.
                where = "" if radius is None else f"WHERE distance <= {radius}"
                with connection.cursor() as cursor:
                    cursor.execute(HAVERSINE.format(where=where), [lat, lat, lng, limit])
                    return cursor.fetchall()

            slow = points[: max(3, min(len(points), 100_000 // size * 3))]
            case["geodesic_all"] = summary(timed(geodesic_all, slow))
            case["haversine_sql"] = summary(timed(haversine_sql, points[:50]))
        results["cases"][label] = case
    return results


def search_benchmark(queries: int = 200, sizes=SIZES) -> None:
    print("\nNearest-outlet search (SQLite; generated outlets around Indonesian cities)")
    print(f"open now at {EVENING:%Y-%m-%d %H:%M} UTC (20:30 WIB); {queries} origins per size")
    for size in sizes:
        env = database_with_outlets(f"search-{size}.sqlite3", size)
        print_size(run_json(["bench.search_bench", str(size), str(queries)], env))


def print_size(results: dict) -> None:
    size = results["size"]
    print(f"\n{size:,} outlets (index built in {results['build_seconds']:.2f} s)")
    print(
        f"{'':36} {'ours ms':>8} {'p95':>7} {'+rows ms':>9} "
        f"{'(a) geodesic ms':>16} {'(b) SQL ms':>11} {'vs (a)':>9} {'vs (b)':>7}"
    )
    plain = {}
    for label, case in results["cases"].items():
        ours = case["ours"]["median"] * 1000
        rows = case["rows"]["median"] * 1000
        line = f"{label:36} {ours:8.3f} {case['ours']['p95'] * 1000:7.3f} {rows:9.3f}"
        if "geodesic_all" in case:
            plain[label] = ours
            a = case["geodesic_all"]["median"] * 1000
            b = case["haversine_sql"]["median"] * 1000
            line += f" {a:16.1f} {b:11.2f} {a / ours:8,.0f}x {b / ours:6,.0f}x"
        else:
            base = plain.get(label.replace(", open now", ""))
            if base:
                line += f"   open_now adds {ours - base:+.3f} ms ({ours / base:.2f}x the search)"
        print(line)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "axisfinder.settings")
    DATA.mkdir(exist_ok=True)
    print(json.dumps(measure(int(sys.argv[1]), int(sys.argv[2]))))
