"""Searching from the visitor's location, from a place typed after it, and in Indonesian."""

import re

import pytest
from playwright.sync_api import expect

from .support import map_ready

pytestmark = pytest.mark.browser

#: Where the browser says the visitor is: central Bandung.
HERE = {"latitude": -6.92, "longitude": 107.61}
#: A coordinate as the site writes it in a URL: a dot, never a decimal comma.
COORDINATE = r"-?\d{1,3}\.\d+"


def test_use_my_location_searches_from_where_the_browser_says_the_visitor_is(open_page, outlets):
    page = open_page("/", geolocation=HERE)
    page.locator("button[data-locate]").click()
    page.wait_for_url(re.compile(r"[?&]near=me(&|$)"))
    assert re.search(r"[?&]lat=-6\.92000(&|$)", page.url)
    assert re.search(r"[?&]lng=107\.61000(&|$)", page.url)
    expect(page.locator(".origin")).to_contain_text("Nearest to your location")
    expect(page.locator("li.result").first).to_be_visible()
    start = rf"{COORDINATE},{COORDINATE}"
    for link in page.locator('a.directions[data-provider="google"]').all():
        assert re.search(
            rf"[?&]destination={start}&origin=-6\.92\d*,107\.61\d*$", link.get_attribute("href")
        )
    for link in page.locator('a.directions[data-provider="osm"]').all():
        assert re.search(rf"[?&]to={start}&from=-6\.92\d*,107\.61\d*$", link.get_attribute("href"))
    map_ready(page)
    expect(page.locator('.map-origin[data-near="me"]')).to_have_count(1)


def test_a_refused_location_says_so_and_stays_on_the_page(open_page, outlets):
    page = open_page("/")  # the browser shares no location
    page.locator("button[data-locate]").click()
    status = page.locator(".locate-status")
    expect(status).to_contain_text("Your browser did not share your location")
    expect(status).to_be_visible()
    expect(page.locator("button[data-locate]")).to_be_enabled()
    expect(page.get_by_role("searchbox")).to_be_focused()
    assert page.url.endswith("/")


def test_a_place_typed_after_a_located_search_replaces_the_location(open_page, outlets):
    page = open_page("/", geolocation=HERE)
    page.locator("button[data-locate]").click()
    page.wait_for_url(re.compile(r"near=me"))
    search = page.get_by_role("searchbox")
    search.fill("40115")
    with page.expect_navigation() as navigation:
        search.press("Enter")
    assert navigation.value.status == 200
    assert "lat=" not in page.url and "near=" not in page.url
    assert re.search(r"[?&]q=40115(&|$)", page.url)
    expect(page.locator(".origin")).to_contain_text("40115")
    expect(page.locator(".origin")).to_have_attribute("data-source", "postcode")


def test_the_locator_in_indonesian(open_page, outlets):
    page = open_page("/?q=40115", language="id")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("form.search button[type=submit].primary")).to_have_text("Cari")
    expect(page.locator("button[data-locate]")).to_have_text("Gunakan lokasi saya")
    destination = re.compile(rf"[?&]destination={COORDINATE},{COORDINATE}$")
    to = re.compile(rf"[?&]to={COORDINATE},{COORDINATE}$")
    nearest = page.locator("li.result").first.locator("a.directions").first
    expect(nearest).to_have_attribute("href", re.compile(r"destination=-6\.\d{6},107\.\d{6}$"))
    for link in page.locator('li.result a.directions[data-provider="google"]').all():
        assert destination.search(link.get_attribute("href"))
    for link in page.locator('li.result a.directions[data-provider="osm"]').all():
        assert to.search(link.get_attribute("href"))
    for item in page.locator("li.result").all():
        assert re.fullmatch(COORDINATE, item.get_attribute("data-latitude"))
        assert re.fullmatch(COORDINATE, item.get_attribute("data-longitude"))
    map_ready(page)
    page.locator('li.result[data-code="AX-BDG-04"] button.show-on-map').click()
    box = page.locator('.leaflet-popup .map-popup[data-code="AX-BDG-04"]')
    expect(box.locator(".map-popup-label")).to_have_text("Petunjuk arah")
    expect(box.locator("[data-state]")).to_have_text("Buka 24 jam")
    for link in box.locator("a.directions").all():
        assert destination.search(link.get_attribute("href")) or to.search(
            link.get_attribute("href")
        )
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("aria-label", "Perbesar")
