"""The installable web app: its manifest and icons, the service worker the site serves,
the banner a stored copy shows, and the page for what is not stored."""

import json
import re
import struct
import zlib
from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse

from locations import hours, offline
from locations.build import icons
from locations.templatetags import locator

from .factories import OutletFactory

pytestmark = pytest.mark.django_db


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", data[16:24])


def test_the_manifest_names_the_app_its_start_its_scope_and_its_icons(client):
    response = client.get(reverse("locations:manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["short_name"] == "axisfinder"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert sizes == {(f"{s}x{s}", p) for s in (192, 512) for p in ("any", "maskable")}
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png"
        width = int(icon["sizes"].split("x")[0])
        assert png_size(icons.path(width).read_bytes()) == (width, width)


def test_the_manifest_speaks_the_pages_language(client):
    client.cookies["django_language"] = "id"
    manifest = json.loads(client.get(reverse("locations:manifest")).content)
    assert manifest["lang"] == "id"
    assert "toko" in manifest["name"].lower() or "gerai" in manifest["name"].lower()


def test_the_icons_are_the_ones_the_project_draws():
    assert icons.path(192).read_bytes() == icons.png(192)


def test_an_icons_pin_is_white_on_purple_and_inside_the_maskable_circle():
    size = 192
    rows = zlib.decompress(icons.png(size)[icons.png(size).index(b"IDAT") + 4 : -16])
    stride = 1 + 4 * size

    def colour(x, y):
        start = y * stride + 1 + 4 * x
        return tuple(rows[start : start + 3])

    assert colour(2, 2) == icons.PURPLE  # a corner
    assert colour(size // 2, int(size * 0.27)) == icons.WHITE  # the head
    assert colour(size // 2, int(size * 0.47)) == icons.PURPLE  # the hole
    # Every white pixel lies within 40% of the width from the centre.
    for y in range(size):
        for x in range(size):
            if colour(x, y) != icons.PURPLE:
                assert (x + 0.5 - size / 2) ** 2 + (y + 0.5 - size / 2) ** 2 <= (0.4 * size) ** 2


def test_every_page_links_the_manifest_and_registers_the_worker(client):
    outlet = OutletFactory()
    for url in (reverse("locations:locator"), outlet.get_absolute_url(), "/?q=Bandung"):
        html = client.get(url).content.decode()
        assert '<link rel="manifest" href="/manifest.webmanifest">' in html
        assert re.search(r'<script src="[^"]*offline[^"]*\.js" data-worker="/sw.js" defer>', html)


def test_a_page_from_the_server_has_the_stored_copy_banner_hidden(client):
    html = client.get(reverse("locations:locator")).content.decode()
    hidden = r'<p class="stored-copy" role="status" hidden data-copy-taken="([^"]+)">'
    banner = re.search(hidden, html)
    assert banner, "the service worker shows the banner by rewriting exactly this"
    assert "data-stored-at" not in html
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", banner.group(1))


def test_the_worker_is_served_from_the_root_never_cached_with_its_configuration(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    config = json.loads(re.search(r"const CONFIG = (\{.*?\n\});", script, re.DOTALL).group(1))
    assert config == json.loads(json.dumps(offline.worker_config()))
    assert config["shell"][:2] == ["/", "/offline/"]
    assert config["outlet_prefix"] == "/outlets/"
    # The banner the worker rewrites is the one pages carry.
    assert '<p class="stored-copy" role="status" hidden data-copy-taken=' in script


def test_a_new_set_of_static_files_is_a_new_version(monkeypatch, settings):
    storage = type("Storage", (), {"hashed_files": {"locations/site.css": "site.1.css"}})
    monkeypatch.setattr(offline, "staticfiles_storage", storage)
    first = offline.version()
    storage.hashed_files = {"locations/site.css": "site.2.css"}
    assert offline.version() != first
    storage.hashed_files = {"locations/site.css": "site.1.css"}
    assert offline.version() == first


def test_the_offline_page_lists_what_is_stored_by_script(client):
    response = client.get(reverse("locations:offline"))
    assert response.status_code == 200
    assert b"data-stored-pages" in response.content


def decoded(attributes: str) -> dict:
    values = dict(re.findall(r' data-([a-z-]+)="([^"]*)"', attributes))
    edges, total = [], 0
    for step in values["open"].split():
        total += int(step)
        edges.append(total)
    values["intervals"] = list(zip(edges[::2], edges[1::2], strict=True))
    return values


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"])
def test_a_status_carries_the_open_intervals_of_the_next_30_days(monkeypatch, zone):
    start = datetime(2026, 12, 21, 3, 0, 0, tzinfo=UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: start)
    weekly = tuple(hours.WeeklyRange(day, time(22), time(2)) for day in range(6))
    schedule = hours.compile_schedule(hours.Hours(weekly=weekly), zone)
    values = decoded(locator.open_hours_data(schedule))
    assert values["from"] == str(int(start.timestamp()))
    assert values["until"] == str(int((start + timedelta(days=30)).timestamp()))
    assert values["zone"] == zone
    assert values["zone-label"] == hours.zone_label(zone)
    expected = [
        (int(a.timestamp()), int(b.timestamp())) for a, b in hours.open_intervals(schedule, start)
    ]
    assert values["intervals"] == expected
    assert len(expected) > 20


def test_a_closed_outlet_carries_no_intervals(monkeypatch):
    weekly = tuple(hours.WeeklyRange(day, time(9), time(17)) for day in range(7))
    closed = hours.compile_schedule(
        hours.Hours(weekly=weekly), "Asia/Jakarta", hours.TEMPORARILY_CLOSED
    )
    assert locator.open_hours_data(closed) == ""


def test_outlets_sharing_a_schedule_share_its_intervals_within_a_second(monkeypatch):
    start = datetime(2026, 12, 21, 3, 0, 0, tzinfo=UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: start)
    weekly = tuple(hours.WeeklyRange(day, time(9), time(17)) for day in range(7))
    first = hours.compile_schedule(hours.Hours(weekly=weekly), "Asia/Jakarta")
    other = hours.compile_schedule(hours.Hours(weekly=weekly[:5]), "Asia/Jakarta")
    assert locator.open_hours_data(first) is locator.open_hours_data(first)
    assert decoded(locator.open_hours_data(other)) != decoded(locator.open_hours_data(first))


def test_nothing_but_the_html_stands_before_the_results(client):
    OutletFactory(latitude=-6.917, longitude=107.619)
    response = client.get("/?lat=-6.9&lng=107.6")
    html = response.content.decode()
    before = html[: html.index('<ol class="results">')]
    # No style sheet to fetch and no script that stops the parser before the list.
    assert not re.search(r'<link[^>]+rel="stylesheet"', before)
    for script in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", before):
        assert re.search(r"\b(defer|async)\b", script), script
    # The style is in the page, allowed by the policy's nonce.
    style = re.search(r'<style nonce="([^"]+)">(.+?)</style>', before, re.DOTALL)
    assert style is not None and ".result" in style.group(2)
    assert f"'nonce-{style.group(1)}'" in response["Content-Security-Policy"].split("style-src")[1]
    # Leaflet's style sheet and script come after the list.
    after = html[html.index('<ol class="results">') :]
    assert "leaflet.css" in after and "leaflet.js" in after
