"""Benchmark of the locator's map at 100,000 outlets, in headless Chromium.

The site runs as in production: ``gunicorn axisfinder.wsgi`` (2 workers) on 127.0.0.1,
debug and throttling off, static files collected (whitenoise serves their gzipped copies)
and pages and JSON gzipped by Django. Chromium opens the locator with no search (``/``) and
after a postcode search (``/?q=40115``); measured are the time from the start of the
navigation to the first marker in the map (``#map .leaflet-marker-icon``, or the map's
``data-ready`` mark), and the bytes the page transferred until the network went quiet, as
the browser counted them on the wire (headers and compressed bodies), map tiles excluded.
Every JSON answer is read for its number of features (a cluster, a GeoJSON feature or a
list result each count one).

Baseline, in the same run, from the same server: the way store-locator plugins do it, a
page that fetches every outlet as one GeoJSON file and groups them in the browser with
Leaflet.markercluster. The bench writes that page and file among the collected static
files, so whitenoise serves and compresses them as any static file; the project has no URL
for them.

Each of the project's pages loads in a fresh browser context (cold cache), then again in
the same context (warm), RUNS times, and the table shows medians; the baseline, which takes
tens of seconds a load, loads cold, BASELINE_RUNS times, its ratio to ours being far above
the machine's noise either way. The ways take turns, so that a slow spell of the shared
machine falls on both. Tiles are
the browser tests' blank PNG, and every other host fails to resolve, so nothing leaves the
machine. (Playwright's request routing would turn the browser's cache off, so the tiles
are answered through the DevTools protocol instead.)

Targets: first markers within 1 s, 300 KB or less, no answer with more than 2,000
features, and at least 10 times faster than the all-at-once way.

The baseline's files are written in a process using the benchmark's database
(``python -m bench.map_bench baseline FOLDER``), which prints one JSON line.
"""

import base64
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from string import Template

from bench.api_bench import HOST, SERVER_ENV, gunicorn
from bench.outlets_bench import DATA, PYTHON, ROOT, database_with_outlets, run_json
from locations.tests.browser.support import BLANK_TILE, BROWSER_FLAGS

RUNS = 5
BASELINE_RUNS = 1
POSTCODE = "40115"
#: Where the baseline page opens for the postcode search: a city's streets.
POSTCODE_ZOOM = 13
BASELINE = "bench-map"  # the baseline's folder among the collected static files
TEMPLATE = Path(__file__).with_name("map_baseline.html")
#: The browser tests' flags, and every name but the local server's address fails to
#: resolve: no request leaves the machine.
CHROMIUM_ARGS = [*BROWSER_FLAGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
TARGET_MS, TARGET_KB, TARGET_FEATURES, TARGET_RATIO = 1000, 300, 2000, 10
# Set at the start of every document: the moment the first marker is in the map, and, in
# ms from the start of the navigation too, when the page's HTML started and finished
# arriving, when its DOMContentLoaded and load events began (null: not yet), and when
# its data (fetch and XHR answers) was asked for and had arrived (null: none).
FIRST_MARKER = """
(() => {
  const seen = () => document.querySelector(
    "#map .leaflet-marker-icon, #map[data-ready=true]");
  const observer = new MutationObserver(() => {
    if (!seen()) return;
    observer.disconnect();
    const marker = performance.now();
    const navigation = performance.getEntriesByType("navigation")[0];
    const data = performance.getEntriesByType("resource").filter(
      (entry) => ["fetch", "xmlhttprequest"].includes(entry.initiatorType));
    window.benchFirstMarker = {
      marker,
      first_byte: navigation.responseStart,
      html: navigation.responseEnd,
      dom_ready: navigation.domContentLoadedEventStart || null,
      loaded: navigation.loadEventStart || null,
      data_start: data.length ? Math.min(...data.map((entry) => entry.startTime)) : null,
      data_end: data.length ? Math.max(...data.map((entry) => entry.responseEnd)) : null,
    };
  });
  observer.observe(document, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["data-ready"],
  });
})();
"""


def tile_pattern(template: str) -> str:
    """A DevTools URL pattern (``*`` any text, ``?`` one character, ``\\`` escapes) for
    every tile of a Leaflet tile URL template such as ``https://x/{z}/{x}/{y}.png``."""
    parts = re.split(r"\{[^}]*\}", template)
    return "*".join(re.sub(r"([\\*?])", r"\\\1", part) for part in parts)


def features(answer) -> int:
    """How many map features a JSON answer holds: clusters in a list, a FeatureCollection's
    features, a page's results; one for anything else."""
    if isinstance(answer, list):
        return len(answer)
    if isinstance(answer, dict):
        for key in ("features", "results"):
            if isinstance(answer.get(key), list):
                return len(answer[key])
    return 1


# --- The baseline's files ---------------------------------------------------------------


def write_baseline(folder: Path) -> dict:
    """Run in a process whose DATABASE_URL holds the outlets and whose DJANGO_STATIC_ROOT is
    collected: every searchable outlet as one FeatureCollection, the page, and
    Leaflet.markercluster, in ``folder``."""
    import django

    django.setup()
    import xstatic.pkg.leaflet_markercluster as markercluster
    from django.conf import settings
    from django.templatetags.static import static
    from django.urls import reverse

    from locations.api.serializers import SLUG_MARK
    from locations.models import Outlet, PostcodeArea

    # What a plugin's popup shows (name, address, a link), for every outlet. No live
    # status: plugins ship stored fields, and working one out for 100,000 outlets would
    # take the server longer than anything measured here.
    fields = ("code", "name", "kind", "address", "city", "province", "postcode")
    url = reverse("locations:outlet", kwargs={"slug": SLUG_MARK})
    rows = (
        Outlet.objects.searchable()
        .order_by("code")
        .values_list(*fields, "slug", "latitude", "longitude")
    )
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
                "properties": {
                    **dict(zip(fields, values, strict=True)),
                    "url": url.replace(SLUG_MARK, slug),
                },
            }
            for *values, slug, latitude, longitude in rows
        ],
    }
    folder.mkdir(parents=True, exist_ok=True)
    # A .json name: whitenoise knows its media type, and compresses it.
    data = folder / "outlets.json"
    data.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")))
    for name in ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"):
        shutil.copyfile(Path(markercluster.BASE_DIR, name), folder / name)
    leaflet = settings.LEAFLET_CONFIG
    config = {
        "data": data.name,
        "tiles": settings.MAP_TILES_URL,
        "attribution": settings.MAP_ATTRIBUTION,
        "center": leaflet["DEFAULT_CENTER"],
        # Leaflet finds its marker images from its stylesheet, but not under hashed names.
        "images": static("leaflet/images/marker-icon.png").rpartition("/")[0] + "/",
        "zoom": leaflet["DEFAULT_ZOOM"],
    }
    page = Template(TEMPLATE.read_text()).substitute(
        leaflet_css=static("leaflet/leaflet.css"),
        leaflet_js=static("leaflet/leaflet.js"),
        config=json.dumps(config).replace("<", "\\u003c"),
    )
    (folder / "index.html").write_text(page)
    area = PostcodeArea.objects.lookup(POSTCODE)
    return {
        "outlets": len(collection["features"]),
        "data_bytes": data.stat().st_size,
        "postcode": [area.latitude, area.longitude],
        "tiles": settings.MAP_TILES_URL,
    }


def static_files(env: dict) -> dict:
    """Collect the static files into a fresh folder, add the baseline's files and compress
    them as collectstatic compresses the rest; the baseline's facts."""
    root = Path(env["DJANGO_STATIC_ROOT"])
    shutil.rmtree(root, ignore_errors=True)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )
    baseline = run_json(["bench.map_bench", "baseline", str(root / BASELINE)], env)
    subprocess.run(
        [PYTHON, "-m", "whitenoise.compress", "-q", str(root / BASELINE)], env=env, check=True
    )
    return baseline


# --- One page load ----------------------------------------------------------------------


def load(context, url: str, origin: str, tiles: str, read_answers: bool) -> dict:
    """Open ``url`` in a new tab of ``context``: ms to the first marker (and to the HTML and
    the data before it), and bytes from ``origin`` until the network is quiet, with each
    JSON answer's features when ``read_answers``. A page error or a failed request from
    the site ends the benchmark."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    tile = base64.b64encode(BLANK_TILE).decode()
    requests, finished, statuses, sizes, types = {}, set(), {}, {}, {}
    errors, tiles_answered = [], []
    last_event = [time.monotonic()]

    def event(handler):
        def record(params):
            last_event[0] = time.monotonic()
            handler(params)

        return record

    def sent(params):
        if params["request"]["url"].startswith(origin):
            requests[params["requestId"]] = params["request"]["url"][len(origin) :]

    def received(params):
        statuses[params["requestId"]] = params["response"]["status"]
        types[params["requestId"]] = params["response"]["mimeType"]

    def done(params):
        finished.add(params["requestId"])
        sizes[params["requestId"]] = params.get("encodedDataLength", 0)

    def answer_tile(params):
        tiles_answered.append(params["request"]["url"])
        cdp.send(
            "Fetch.fulfillRequest",
            {
                "requestId": params["requestId"],
                "responseCode": 200,
                "responseHeaders": [{"name": "Content-Type", "value": "image/png"}],
                "body": tile,
            },
        )

    cdp.on("Network.requestWillBeSent", event(sent))
    cdp.on("Network.responseReceived", event(received))
    cdp.on("Network.loadingFinished", event(done))
    cdp.on("Network.loadingFailed", event(done))
    cdp.on("Fetch.requestPaused", answer_tile)
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Buffers big enough to read the all-at-once file back.
    buffers = {"maxTotalBufferSize": 400_000_000, "maxResourceBufferSize": 200_000_000}
    cdp.send("Network.enable", buffers if read_answers else {})
    cdp.send("Fetch.enable", {"patterns": [{"urlPattern": tiles}]})
    page.goto(url, wait_until="commit")
    page.wait_for_function("window.benchFirstMarker", timeout=120_000, polling=50)
    timings = page.evaluate("window.benchFirstMarker")
    deadline = time.monotonic() + 30
    # Quiet: nothing from the site in flight, and no network event for half a second.
    while (set(requests) - finished or time.monotonic() - last_event[0] < 0.5) and (
        time.monotonic() < deadline
    ):
        page.wait_for_timeout(50)
    responses = {}
    for request_id, path in requests.items():
        status = statuses.get(request_id)
        if status is None or status >= 400:
            errors.append(f"{status or 'no answer'} for {path}")
        entry = {"bytes": sizes.get(request_id, 0), "status": status, "features": None}
        if read_answers and "json" in types.get(request_id, ""):
            body = cdp.send("Network.getResponseBody", {"requestId": request_id})
            text = base64.b64decode(body["body"]) if body["base64Encoded"] else body["body"]
            entry["features"] = features(json.loads(text))
        responses[path] = entry
    page.close()
    if errors:
        raise SystemExit(f"{url}: {'; '.join(errors)}")
    return {
        **timings,
        "bytes": sum(entry["bytes"] for entry in responses.values()),
        "responses": responses,
        "tiles": len(tiles_answered),
    }


# --- The runs -----------------------------------------------------------------------------


def measure(port: int, baseline: dict, runs: int) -> dict:
    """Every load of every page, by page, in headless Chromium."""
    from playwright.sync_api import sync_playwright

    origin = f"http://{HOST}:{port}"
    lat, lng = baseline["postcode"]
    page = f"/static/{BASELINE}/index.html"
    cases = {
        "/": ("project", "/"),
        "baseline /": ("baseline", page),
        f"/?q={POSTCODE}": ("project", f"/?q={POSTCODE}"),
        f"baseline /?q={POSTCODE}": (
            "baseline",
            f"{page}?lat={lat:.6f}&lng={lng:.6f}&zoom={POSTCODE_ZOOM}",
        ),
    }
    tiles = tile_pattern(baseline["tiles"])
    results = {name: {"cold": [], "warm": []} for name in cases}
    chromium = os.environ.get("AXISFINDER_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)

        def loads(path: str, again: bool, read_answers: bool) -> list[dict]:
            """A load of ``path`` in a fresh context (cold), then, ``again``, a second one
            in that context (warm)."""
            context = browser.new_context()
            context.add_init_script(FIRST_MARKER)
            try:
                done = [load(context, origin + path, origin, tiles, read_answers)]
                if again:
                    done.append(load(context, origin + path, origin, tiles, False))
                return done
            finally:
                context.close()

        try:
            # A first visit of each of the project's pages warms the server, and reads
            # every answer for its features.
            for name, (way, path) in cases.items():
                if way == "project":
                    results[name]["first"] = loads(path, False, True)[0]
            # The baseline's first load is read for its features.
            for run in range(runs):
                for name, (way, path) in cases.items():
                    if way == "baseline" and run >= BASELINE_RUNS:
                        continue
                    first, *again = loads(path, way == "project", run == 0 and way == "baseline")
                    results[name]["cold"].append(first)
                    results[name]["warm"].extend(again)
                    results[name].setdefault("first", first)
        finally:
            browser.close()
    return {"cases": results, "ways": {name: way for name, (way, _path) in cases.items()}}


def site(size: int) -> tuple[dict, dict]:
    """The environment of a site with ``size`` outlets and its static files collected (with
    the baseline's), and the baseline's facts: what the browser benchmarks serve."""
    env = {
        **database_with_outlets(f"map-{size}.sqlite3", size),
        **SERVER_ENV,
        "DJANGO_STATIC_ROOT": str(DATA / "map-static"),
    }
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-secret")
    return env, static_files(env)


def map_benchmark(size: int, runs: int = RUNS) -> None:
    print(f"\nMap: first markers in headless Chromium ({size:,} outlets, SQLite)")
    env, baseline = site(size)
    with gunicorn(env) as (port, _workers):
        results = measure(port, baseline, runs)
    print_results(results, baseline, runs)


# --- The table --------------------------------------------------------------------------


def median(loads: list[dict], key: str) -> float | None:
    values = [entry[key] for entry in loads if entry[key] is not None]
    return statistics.median(values) if values else None


def number(value: float | None, width: int, scale: float = 1, decimals: int = 0) -> str:
    return f"{'-':>{width}}" if value is None else f"{value / scale:{width},.{decimals}f}"


def largest(responses: dict) -> int | None:
    """The most features in one JSON answer; None when there was none."""
    counts = [entry["features"] for entry in responses.values() if entry["features"] is not None]
    return max(counts, default=None)


def print_results(results: dict, baseline: dict, runs: int) -> None:
    cases, ways = results["cases"], results["ways"]
    print(
        f"gunicorn axisfinder.wsgi (2 sync workers) on {HOST}, debug off; bytes as sent "
        f"(gzip), tiles excluded; ours: {runs} fresh contexts a page (cold), each loading it "
        f"again (warm); baseline: {BASELINE_RUNS} cold; medians."
    )
    print(
        f"Baseline: all {baseline['outlets']:,} outlets as one GeoJSON file "
        f"({baseline['data_bytes'] / 1e6:.1f} MB before compression), grouped in the browser "
        "by Leaflet.markercluster"
    )
    print(
        f"{'':28} {'first markers ms':>17} {'KB transferred':>19} {'largest answer':>15} "
        f"{'baseline':>9}"
    )
    print(
        f"{'':28} {'cold':>8} {'warm':>8} {'cold':>9} {'warm':>9} {'(features)':>15} {'/ ours':>9}"
    )

    def cold_ms(name: str) -> float:
        return median(cases[name]["cold"], "marker")

    for name, case in cases.items():
        cold = cold_ms(name)
        ratio = ""
        if ways[name] == "baseline":
            ratio = f"{cold / cold_ms(name.removeprefix('baseline ')):8.1f}x"
        print(
            f"{name if ways[name] == 'project' else '  ' + name:28} {number(cold, 8)} "
            f"{number(median(case['warm'], 'marker'), 8)} "
            f"{number(median(case['cold'], 'bytes'), 9, 1000, 1)} "
            f"{number(median(case['warm'], 'bytes'), 9, 1000, 1)} "
            f"{number(largest(case['first']['responses']), 15)} {ratio:>9}"
        )

    print("\nWhere the time goes (cold medians, ms from the start of the navigation)")
    columns = (
        ("first_byte", "HTML from"),
        ("html", "HTML in"),
        ("dom_ready", "DOM ready"),
        ("loaded", "load event"),
        ("data_start", "data asked"),
        ("data_end", "data in"),
        ("marker", "markers"),
    )
    print(f"{'':28}" + "".join(f" {title:>10}" for _key, title in columns))
    for name, case in cases.items():
        times = "".join(f" {number(median(case['cold'], key), 10)}" for key, _title in columns)
        print(f"{name:28}{times}")

    print("\nWhere the bytes go (a cold load: KB as sent, status, features of JSON answers)")
    for name, case in cases.items():
        print(f"{name} (and {case['first']['tiles']} map tiles, answered here, not counted)")
        responses = case["first"]["responses"].items()
        for path, entry in sorted(responses, key=lambda item: -item[1]["bytes"]):
            count = "" if entry["features"] is None else f"{entry['features']:,} features"
            print(f"  {entry['bytes'] / 1000:8.1f}  {entry['status']}  {path[:72]:72} {count}")

    ours = [name for name, way in ways.items() if way == "project"]
    slowest = max(cold_ms(name) for name in ours)
    heaviest = max(median(cases[name]["cold"], "bytes") for name in ours) / 1000
    most = max(largest(cases[name]["first"]["responses"]) or 0 for name in ours)
    ratio = min(cold_ms(f"baseline {name}") / cold_ms(name) for name in ours)
    print()
    for target, met, measured in (
        (f"first markers within {TARGET_MS:,} ms", slowest <= TARGET_MS, f"{slowest:,.0f} ms"),
        (f"{TARGET_KB} KB or less", heaviest <= TARGET_KB, f"{heaviest:,.1f} KB"),
        (f"no answer over {TARGET_FEATURES:,} features", most <= TARGET_FEATURES, f"{most:,}"),
        (
            f"at least {TARGET_RATIO}x faster than all at once",
            ratio >= TARGET_RATIO,
            f"{ratio:.1f}x",
        ),
    ):
        verdict = "met" if met else "MISSED"
        print(f"target: {target}: {verdict} ({measured}: the worse of the two pages, cold)")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "axisfinder.settings")
    if sys.argv[1] == "baseline":
        print(json.dumps(write_baseline(Path(sys.argv[2]))))
    else:
        raise SystemExit(f"unknown part: {sys.argv[1]}")
