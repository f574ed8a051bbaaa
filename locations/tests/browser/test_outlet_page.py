"""An outlet's page in a real browser: its name, its map, its structured data, its week."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def braga(open_page, outlets):
    return open_page(outlets["braga"].get_absolute_url())


def test_the_first_heading_is_the_outlets_name(braga):
    expect(braga.locator("h1").first).to_have_text("AXIS Store Braga")


def test_the_map_has_one_marker_the_keyboard_reaches(braga):
    marker = braga.locator("#map.map-small .leaflet-marker-icon")
    expect(marker).to_have_count(1)
    expect(marker).to_have_attribute("tabindex", "0")
    braga.locator("#map").focus()  # the map itself, then the next stop: its marker
    braga.keyboard.press("Tab")
    expect(marker).to_be_focused()
    braga.keyboard.press("Enter")
    expect(braga.locator(".leaflet-popup-content")).to_have_text("AXIS Store Braga")


def test_the_structured_data_parses_as_a_store_with_its_place(braga):
    data = braga.evaluate(
        """() => JSON.parse(
          document.querySelector('script[type="application/ld+json"]').textContent
        )"""
    )
    assert data["@type"] in ("Store", "LocalBusiness", ["Store", "LocalBusiness"])
    assert data["name"] == "AXIS Store Braga"
    assert data["geo"]["@type"] == "GeoCoordinates"
    assert float(data["geo"]["latitude"]) == -6.917464
    assert float(data["geo"]["longitude"]) == 107.619123
    assert len(data["openingHoursSpecification"]) >= 1


def test_the_coming_week_has_seven_days(braga):
    days = braga.locator("table.hours.week tr[data-date]")
    expect(days).to_have_count(7)
    dates = [day.get_attribute("data-date") for day in days.all()]
    assert dates == sorted(dates) and len(set(dates)) == 7
    expect(braga.locator('table.hours.week tr[aria-current="date"]')).to_have_count(1)


def test_the_directions_lead_to_the_outlet(braga):
    links = braga.locator("a.directions")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_have_attribute(
        "href", "https://www.google.com/maps/dir/?api=1&destination=-6.917464,107.619123"
    )
    expect(links.nth(1)).to_have_attribute(
        "href", "https://www.openstreetmap.org/directions?to=-6.917464,107.619123"
    )
    expect(links.first).to_have_text(re.compile("Google Maps"))
