"""The pages by place in a browser: a city's outlets on the locator's map, with markers in
step with the list, on a phone in Chinese and Indonesian; axe-core on the province list and
a city's page."""

import pytest
from playwright.sync_api import expect

from locations.places import place_slug

from .support import DEVICES, axe, map_ready, screenshot

pytestmark = pytest.mark.browser


def city_path(outlet) -> str:
    return f"/outlets/{place_slug(outlet.province)}/{place_slug(outlet.city)}/"


def fits_the_screen(page, device):
    width = DEVICES[device]["viewport"]["width"]
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width


@pytest.mark.parametrize("language", ["zh-hans", "id"])
def test_a_city_s_map_marks_each_listed_outlet(open_page, outlets, language):
    page = map_ready(open_page(city_path(outlets["braga"]), language=language, device="phone"))
    codes = page.locator("li.result").evaluate_all("items => items.map(i => i.dataset.code)")
    assert sorted(codes) == ["AX-BDG-01", "AX-BDG-02", "AX-BDG-03", "AX-BDG-04", "AX-BDG-05"]
    # Markers are elements a keyboard reaches, one per listed outlet, named as text.
    markers = page.locator("#map .map-marker")
    expect(markers).to_have_count(len(codes))
    labels = markers.evaluate_all("ms => ms.map(m => m.getAttribute('aria-label'))")
    assert any("<img src=x onerror=alert(1)>" in label for label in labels)
    assert page.locator("#map img[src=x]").count() == 0
    # No searched point on a city's map.
    assert page.locator("#map .map-origin").count() == 0
    fits_the_screen(page, "phone")
    assert page.locator("html").get_attribute("lang") == language
    screenshot(page, f"city-{language}-360")

    # "Show on map" opens the outlet's popup, in view.
    braga = page.locator('li.result[data-code="AX-BDG-01"]')
    braga.locator("button.show-on-map").click()
    popup = page.locator(".leaflet-popup .map-popup")
    expect(popup).to_be_in_viewport()
    expect(popup).to_contain_text("AXIS Store Braga")


def test_the_province_list_and_a_city_page_pass_axe(open_page, outlets):
    page = open_page("/outlets/", language="zh-hans", device="phone")
    expect(page.locator("h1")).to_be_visible()
    fits_the_screen(page, "phone")
    assert axe(page) == []
    page = map_ready(open_page(city_path(outlets["braga"]), device="desktop"))
    expect(page.locator("#map .map-marker").first).to_be_visible()
    assert axe(page) == []
    screenshot(page, "city-1280")
