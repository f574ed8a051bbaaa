"""Benchmark of the offline gazetteer: postcode look-up and place search, as the locator
and the API call them (``locations.geocoding``), on the loaded fixture.

Target: a postcode look-up in 1 ms or less. Baseline in the same run: the same look-up
through the ORM without the (country, postcode) index, i.e. a table scan.
"""

import contextlib
import json
import random
import sys

from bench.outlets_bench import ROOT, fresh_database, run_json, summary, timed


def measure() -> dict:
    import django

    django.setup()
    from django.conf import settings

    settings.GEOCODER = "offline"
    from locations import geocoding
    from locations.models import Place, PostcodeArea

    rng = random.Random(5)
    codes = rng.sample(list(PostcodeArea.objects.values_list("postcode", flat=True)), 1000)
    names = rng.sample(sorted(set(Place.objects.values_list("name", flat=True))), 300)
    # People type names in any case, with or without the qualifier.
    typed = [
        name.upper() if n % 3 == 0 else name.lower().removeprefix("kota ")
        for n, name in enumerate(names)
    ]
    misspelt = [name[:-2] + name[-1:] + name[-2] for name in names[:50] if len(name) > 4]

    def unknown(text):
        with contextlib.suppress(geocoding.NotFound):
            geocoding.find_place(text)

    def scan(code):
        # The same question without the index: every row read and compared.
        return next(
            (
                row
                for row in PostcodeArea.objects.values_list("postcode", "latitude", "longitude")
                if row[0] == code
            ),
            None,
        )

    for code in codes[:20]:
        geocoding.lookup_postcode(code)
    results = {
        "postcodes": PostcodeArea.objects.count(),
        "places": Place.objects.values("name", "city", "province").distinct().count(),
        "postcode": summary(timed(geocoding.lookup_postcode, [(c,) for c in codes])),
        "place": summary(timed(geocoding.find_place, [(t,) for t in typed])),
        "misspelt": summary(timed(unknown, [(m,) for m in misspelt])),
        "scan": summary(timed(scan, [(c,) for c in codes[:30]])),
    }
    return results


def gazetteer_benchmark() -> None:
    results = run_json(["bench.gazetteer_bench"], fresh_database("gazetteer.sqlite3"))
    print(
        f"\nOffline gazetteer ({results['postcodes']:,} postcodes, "
        f"{results['places']:,} places; SQLite)"
    )
    print(f"{'':48} {'median ms':>10} {'p95 ms':>8} {'n':>6}")
    for key, label in (
        ("postcode", "postcode look-up (geocoding.lookup_postcode)"),
        ("place", "place search, any case, with or without Kota"),
        ("misspelt", "misspelt place: not found, with suggestions"),
        ("scan", "baseline: postcode by scanning every row"),
    ):
        row = results[key]
        print(f"{label:48} {row['median'] * 1000:10.3f} {row['p95'] * 1000:8.3f} {row['n']:6}")
    print(
        f"index vs scan: {results['scan']['median'] / results['postcode']['median']:,.0f}x; "
        "target: a postcode look-up in 1 ms or less"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(json.dumps(measure()))
