"""Benchmark of the locator's first view on a slow connection, in headless Chromium.

The site runs as in production (``gunicorn axisfinder.wsgi``, debug off, static files
collected and compressed, 100,000 outlets), and Chromium emulates "Slow 3G" as its
DevTools name it: 2 s of latency and 50,000 bytes a second each way. A search page
(``/?q=40115``) and an outlet page open from an empty cache; measured are the time from the
start of the navigation to the results list painted (the first frame after the first
result is in the document; the outlet's name for its page), and the bytes received by
then, as the browser counted them (headers and compressed bodies; the page itself counted
whole even when the list paints before its end).

Baseline, in the same run: the page's own HTML, the least any page must wait for: the time
to its last byte. The list should paint within a few tenths of a second of it, with
nothing else fetched before.

Targets: the list painted within 3 s, under 100 KB before it.
"""

import json
import os
import statistics
import urllib.request
from urllib.parse import urlsplit

from bench.api_bench import HOST, gunicorn
from bench.map_bench import CHROMIUM_ARGS, site, tile_pattern

RUNS = 3
SLOW_3G = {
    "offline": False,
    "latency": 2000,
    "downloadThroughput": 50_000,
    "uploadThroughput": 50_000,
}
#: The page records when its list (or an outlet page's name) first painted.
PAINTED = """
(() => {
  const look = () => {
    if (document.querySelector("li.result, article.outlet h1")) {
      requestAnimationFrame(() => { window.benchPainted = performance.now(); });
    } else {
      requestAnimationFrame(look);
    }
  };
  requestAnimationFrame(look);
})();
"""
#: Bytes received by the list's paint: every resource finished by then, and the page.
BYTES_BEFORE = """
(painted) => {
  const page = performance.getEntriesByType("navigation")[0];
  const before = performance.getEntriesByType("resource")
    .filter((entry) => entry.responseEnd <= painted);
  return {
    page_ms: page.responseEnd,
    bytes: page.transferSize + before.reduce((sum, entry) => sum + entry.transferSize, 0),
    fetched: before.map((entry) => entry.name.replace(location.origin, "")),
  };
}
"""


def first_view(browser, url: str, tiles: str) -> dict:
    """One load of ``url`` from an empty cache under Slow 3G."""
    context = browser.new_context(service_workers="block")
    context.add_init_script(PAINTED)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    # Map tiles are not the list's business: refused at once, never fetched.
    page.route(tiles, lambda route: route.abort())
    try:
        page.goto(url, wait_until="commit", timeout=120_000)
        page.wait_for_function("() => window.benchPainted", timeout=120_000, polling=50)
        painted = page.evaluate("window.benchPainted")
        before = page.evaluate(BYTES_BEFORE, painted)
        return {"painted_ms": painted, **before}
    finally:
        context.close()


def slow_benchmark(size: int, runs: int = RUNS) -> None:
    from playwright.sync_api import sync_playwright

    print(f"\nFirst view on Slow 3G (2 s latency, 50 KB/s), headless Chromium, {size:,} outlets")
    env, baseline = site(size)
    tiles = tile_pattern(baseline["tiles"])
    chromium = os.environ.get("AXISFINDER_CHROMIUM", "/usr/bin/chromium")
    results = {}
    with gunicorn(env) as (port, _workers):
        origin = f"http://{HOST}:{port}"
        outlet = outlet_page(origin)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                for path in ("/?q=40115", outlet):
                    first_view(browser, origin + path, tiles)  # the server warmed
                    results[path] = [first_view(browser, origin + path, tiles) for _ in range(runs)]
            finally:
                browser.close()
    print(f"{'page':34} {'HTML done':>10} {'list painted':>13} {'KB by then':>11}  fetched before")
    for path, loads in results.items():
        page_ms = statistics.median(load["page_ms"] for load in loads)
        painted = statistics.median(load["painted_ms"] for load in loads)
        kilobytes = statistics.median(load["bytes"] for load in loads) / 1000
        fetched = sorted({name for load in loads for name in load["fetched"]})
        shown = path if len(path) <= 34 else path[:31] + "..."
        print(
            f"{shown:34} {page_ms / 1000:9.2f}s {painted / 1000:12.2f}s {kilobytes:10.1f}  "
            f"{', '.join(fetched) or 'nothing'}"
        )
    medians = [
        (
            statistics.median(load["painted_ms"] for load in loads),
            statistics.median(load["bytes"] for load in loads),
        )
        for loads in results.values()
    ]
    met = all(painted <= 3000 and received < 100_000 for painted, received in medians)
    verdict = "met" if met else "MISSED"
    print(f"targets (list painted within 3 s, under 100 KB before it): {verdict}")


def outlet_page(origin: str) -> str:
    """The path of the page of the outlet nearest the searched postcode."""
    with urllib.request.urlopen(f"{origin}/api/v1/outlets/?postcode=40115&limit=1") as answer:
        return urlsplit(json.load(answer)["results"][0]["url"]).path
