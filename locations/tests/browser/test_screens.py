"""The locator and an outlet's page on a small phone (360 px) and a laptop (1280 px): no
serious or critical accessibility violation (axe-core), nothing wider than the screen,
targets big enough for a finger, the map below the list on the phone and beside it on the
laptop. Each test saves what the screen shows in browser-screenshots/ for a person to look
at."""

import pytest
from playwright.sync_api import expect

from .support import DEVICES, axe, map_ready, screenshot

pytestmark = pytest.mark.browser

SCREENS = ("phone", "desktop")
#: The smallest target a finger hits reliably (WCAG 2.5.5), in CSS pixels.
TARGET = 44


def width(screen: str) -> int:
    return DEVICES[screen]["viewport"]["width"]


def fits_the_screen(page, screen: str):
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= width(screen), "the page scrolls sideways"


def large_enough(locator):
    """Each visible element ``locator`` finds is at least :data:`TARGET` px high."""
    boxes = [element.bounding_box() for element in locator.all() if element.is_visible()]
    assert boxes, "nothing to measure"
    for box in boxes:
        assert box["height"] >= TARGET, box


def map_beside_or_below_the_list(page, screen: str):
    """On the phone the map comes after the list; on the laptop they sit side by side."""
    finder = page.locator("section.finder").bounding_box()
    area = page.locator("#map").bounding_box()
    if screen == "phone":
        assert area["y"] >= finder["y"] + finder["height"]
        assert area["width"] <= width(screen)
    else:
        assert area["x"] >= finder["x"] + finder["width"]
        assert area["y"] < finder["y"] + finder["height"]


def the_forms_targets_are_large_enough(page):
    large_enough(page.locator("form.search button[type=submit].primary"))
    large_enough(page.locator("button[data-locate]"))
    large_enough(page.locator("form.language button"))


@pytest.mark.parametrize("screen", SCREENS)
def test_the_locator(open_page, outlets, screen):
    page = map_ready(open_page("/", device=screen))
    expect(page.locator(".map-cluster").first).to_be_visible()
    fits_the_screen(page, screen)
    the_forms_targets_are_large_enough(page)
    map_beside_or_below_the_list(page, screen)
    assert axe(page) == []
    screenshot(page, f"locator-{width(screen)}")


@pytest.mark.parametrize("screen", SCREENS)
def test_a_search_and_a_popup(open_page, outlets, screen):
    page = map_ready(open_page("/?q=40115", device=screen))
    first = page.locator("li.result").first
    expect(first).to_be_in_viewport()  # without scrolling
    name = first.locator(".name").bounding_box()
    assert name["y"] + name["height"] <= DEVICES[screen]["viewport"]["height"]
    fits_the_screen(page, screen)
    the_forms_targets_are_large_enough(page)
    large_enough(page.locator("button.show-on-map"))
    map_beside_or_below_the_list(page, screen)
    assert axe(page) == []
    screenshot(page, f"search-{width(screen)}")

    first.locator("button.show-on-map").click()
    popup = page.locator(".leaflet-popup .map-popup")
    expect(popup).to_be_in_viewport()
    # Leaflet fades a popup in: its colours are its own only once the fading ends.
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    fits_the_screen(page, screen)
    assert axe(page) == []
    screenshot(page, f"search-popup-{width(screen)}")


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("language", ["id", "zh-hans"])
@pytest.mark.parametrize("name, path", [("locator", "/"), ("search", "/?q=40115")])
def test_the_locator_in_indonesian_and_chinese(open_page, outlets, screen, language, name, path):
    page = map_ready(open_page(path, language=language, device=screen))
    fits_the_screen(page, screen)
    the_forms_targets_are_large_enough(page)
    screenshot(page, f"{name}-{language}-{width(screen)}")


@pytest.mark.parametrize("language", ["id", "zh-hans"])
def test_an_outlet_page_in_indonesian_and_chinese(open_page, outlets, language):
    page = open_page(outlets["braga"].get_absolute_url(), language=language, device="phone")
    expect(page.locator("#map .leaflet-marker-icon")).to_be_visible()
    fits_the_screen(page, "phone")
    large_enough(page.locator("form.language button"))
    screenshot(page, f"outlet-{language}-360")


@pytest.mark.parametrize("screen", SCREENS)
def test_an_outlet_page(open_page, outlets, screen):
    page = open_page(outlets["braga"].get_absolute_url(), device=screen)
    expect(page.locator("#map .leaflet-marker-icon")).to_be_visible()
    fits_the_screen(page, screen)
    large_enough(page.locator("form.language button"))
    assert axe(page) == []
    screenshot(page, f"outlet-{width(screen)}")
