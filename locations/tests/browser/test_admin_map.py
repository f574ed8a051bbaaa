"""The outlet form's map in a real browser: the pin and the coordinate fields follow each
other. The outlet shown is the one named ``<img src=x onerror=alert(1)>``, so each test
also shows that its name never runs (a dialog would fail the test)."""

import math
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .support import DEVICES, axe, screenshot

pytestmark = pytest.mark.browser

#: How the form writes a coordinate: a dot and six decimals.
COORDINATE = re.compile(r"^-?\d{1,3}\.\d{6}\Z")
#: The zoom the form opens at around a saved outlet (admin-map.js).
PIN_ZOOM = 16
#: The world's width in pixels at that zoom.
WORLD = 256 * 2**PIN_ZOOM
#: About two pixels, in degrees: a click lands on a whole pixel, the map's middle may not.
TWO_PIXELS = 2 * 360 / WORLD
PIN = "#outlet-map .leaflet-marker-icon"
#: What axe finds in Django's own admin markup (5.2), not in this project's: the
#: breadcrumbs' links differ from their text by colour alone, and the selection widget
#: (filter_horizontal) puts aria-label on a <span> without a role.
DJANGO_ADMIN_OWN = (".breadcrumbs", ".selector .search-label-icon")


def change_form(open_page, outlet, user, screen="desktop"):
    """The outlet's change form with its map drawn and scrolled into view."""
    page = open_page(
        reverse("admin:locations_outlet_change", args=[outlet.pk]), device=screen, user=user
    )
    page.locator(PIN).wait_for()
    page.locator("#outlet-map").scroll_into_view_if_needed()
    return page


@pytest.fixture
def form(open_page, outlets, staff):
    return change_form(open_page, outlets["markup"], staff)


def fields(page) -> tuple[str, str]:
    return page.input_value("#id_latitude"), page.input_value("#id_longitude")


def map_box(page) -> dict:
    return page.locator("#outlet-map").bounding_box()


def pin_in_map(page) -> tuple[float, float]:
    """Where the pin points, from the map's top left corner (filling a field may scroll
    the page). Leaflet's default icon points 12 px right of and 41 px below its corner."""
    icon = page.locator(PIN).bounding_box()
    box = map_box(page)
    return icon["x"] + 12 - box["x"], icon["y"] + 41 - box["y"]


def middle(box) -> tuple[float, float]:
    return box["width"] / 2, box["height"] / 2


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """A point's pixel on the Web Mercator map Leaflet draws at :data:`PIN_ZOOM`."""
    phi = math.radians(latitude)
    x = WORLD * (longitude + 180) / 360
    y = WORLD * (1 - math.log(math.tan(phi) + 1 / math.cos(phi)) / math.pi) / 2
    return x, y


def unproject(x: float, y: float) -> tuple[float, float]:
    latitude = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / WORLD))))
    return latitude, x / WORLD * 360 - 180


def test_form_opens_with_the_pin_at_the_outlets_coordinates(form):
    expect(form.locator("#outlet-map")).to_have_attribute("data-latitude", "-6.920100")
    expect(form.locator("#outlet-map")).to_have_attribute("data-longitude", "107.607200")
    assert pin_in_map(form) == pytest.approx(middle(map_box(form)), abs=1)


def test_clicking_the_map_puts_the_pin_there_and_fills_the_coordinates(form):
    box = map_box(form)
    form.mouse.click(box["x"] + box["width"] / 2 + 100, box["y"] + box["height"] / 2 + 50)
    latitude, longitude = fields(form)
    assert COORDINATE.match(latitude) and COORDINATE.match(longitude)
    x, y = project(-6.9201, 107.6072)
    expected = unproject(x + 100, y + 50)  # 100 px east and 50 px south of the outlet
    assert float(latitude) == pytest.approx(expected[0], abs=TWO_PIXELS)
    assert float(longitude) == pytest.approx(expected[1], abs=TWO_PIXELS)
    width, height = middle(box)
    assert pin_in_map(form) == pytest.approx((width + 100, height + 50), abs=1)


def test_dragging_the_pin_fills_the_coordinates(form):
    box = map_box(form)
    x, y = pin_in_map(form)
    grab = (box["x"] + x, box["y"] + y - 20)  # on the icon, above its point
    form.mouse.move(*grab)
    form.mouse.down()
    form.mouse.move(grab[0] - 60, grab[1] - 50, steps=8)
    form.mouse.up()
    latitude, longitude = fields(form)
    assert COORDINATE.match(latitude) and COORDINATE.match(longitude)
    assert float(latitude) > -6.9201  # dragged north
    assert float(longitude) < 107.6072  # and west
    assert pin_in_map(form) == pytest.approx((x - 60, y - 50), abs=1)
    expect(form.locator("#outlet-map")).to_have_attribute("data-latitude", latitude)


def test_typing_coordinates_moves_the_pin(form):
    x, y = pin_in_map(form)
    form.fill("#id_latitude", "-6.919100")
    form.fill("#id_longitude", "107.608200")
    before, after = project(-6.9201, 107.6072), project(-6.9191, 107.6082)
    moved = (after[0] - before[0], after[1] - before[1])  # about 47 px east and 47 px up
    assert pin_in_map(form) == pytest.approx((x + moved[0], y + moved[1]), abs=1)
    expect(form.locator("#outlet-map")).to_have_attribute("data-longitude", "107.608200")


def test_typing_coordinates_out_of_view_brings_the_pin_into_view(form):
    form.fill("#id_latitude", "-6.2")
    form.fill("#id_longitude", "106.816666")
    expect(form.locator("#outlet-map")).to_have_attribute("data-latitude", "-6.200000")
    expect(form.locator("#outlet-map")).to_have_attribute("data-longitude", "106.816666")
    form.wait_for_function(
        """() => {
          const map = document.querySelector("#outlet-map").getBoundingClientRect();
          const pin = document.querySelector("#outlet-map .leaflet-marker-icon")
            .getBoundingClientRect();
          return Math.abs(pin.left + 12 - (map.left + map.width / 2)) <= 1
            && Math.abs(pin.top + 41 - (map.top + map.height / 2)) <= 1;
        }"""
    )


def test_typing_a_latitude_out_of_range_leaves_the_pin(form):
    start = pin_in_map(form)
    form.fill("#id_latitude", "91")
    assert pin_in_map(form) == start
    expect(form.locator("#outlet-map")).to_have_attribute("data-latitude", "-6.920100")


def test_on_the_add_form_a_click_places_the_first_pin(open_page, staff):
    page = open_page(reverse("admin:locations_outlet_add"), user=staff)
    page.locator("#outlet-map.leaflet-container").wait_for()
    page.locator("#outlet-map").scroll_into_view_if_needed()
    expect(page.locator(PIN)).to_have_count(0)
    box = map_box(page)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator(PIN)).to_have_count(1)
    latitude, longitude = fields(page)
    # The middle of the default view (LEAFLET_CONFIG), at zoom 5, some 5 km a pixel.
    assert float(latitude) == pytest.approx(-2.5, abs=0.1)
    assert float(longitude) == pytest.approx(118.0, abs=0.1)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_outlet_form_fits_the_screen_and_passes_axe(open_page, outlets, staff, screen):
    page = change_form(open_page, outlets["markup"], staff, screen)
    width = DEVICES[screen]["viewport"]["width"]
    box = page.locator("#outlet-map").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert axe(page, exclude=DJANGO_ADMIN_OWN) == []
    screenshot(page, f"admin-outlet-form-{width}")
