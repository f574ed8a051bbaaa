"""Outlet names written as markup or as the end of a <script> stay text wherever the
pages show them: the list, the map's markers and popups (from the list and from the API),
and the outlet's own page. Each test fails if anything opens a dialog (support.Watch)."""

import pytest
from playwright.sync_api import expect

from .support import map_ready, zoom_in_to_outlets

pytestmark = pytest.mark.browser

HOSTILE = ("markup", "script")


def shows_as_text(page, popup, name: str):
    expect(popup.locator(".map-popup-name")).to_have_text(name)
    expect(page.locator('img[src="x"]')).to_have_count(0)


@pytest.mark.parametrize("which", HOSTILE)
def test_popups_of_a_search_show_the_name_as_text(open_page, outlets, which):
    outlet = outlets[which]
    page = map_ready(open_page("/?q=40115"))
    popup = page.locator(f'.leaflet-popup .map-popup[data-code="{outlet.code}"]')
    page.locator(f'li.result[data-code="{outlet.code}"] button.show-on-map').click()
    shows_as_text(page, popup, outlet.name)
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    marker = page.locator(f'.map-outlet[data-code="{outlet.code}"]')
    expect(marker).to_have_attribute("title", outlet.name)
    marker.click()
    shows_as_text(page, popup, outlet.name)


def test_popups_from_the_api_show_the_name_as_text(page, outlets):
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto("/")
    map_ready(page)
    zoom_in_to_outlets(page, asked)
    for which in HOSTILE:
        outlet = outlets[which]
        marker = page.locator(f'.map-outlet[data-code="{outlet.code}"]')
        expect(marker).to_have_attribute("aria-label", f"{outlet.name}, Kiosk, Closed")
        marker.click()
        popup = page.locator(f'.leaflet-popup .map-popup[data-code="{outlet.code}"]')
        shows_as_text(page, popup, outlet.name)
        page.keyboard.press("Escape")
        expect(popup).to_have_count(0)


@pytest.mark.parametrize("which", HOSTILE)
def test_the_outlet_page_shows_the_name_as_text(open_page, outlets, which):
    outlet = outlets[which]
    page = open_page(outlet.get_absolute_url())
    expect(page.locator("h1").first).to_have_text(outlet.name)
    data = page.evaluate(
        """() => JSON.parse(
          document.querySelector('script[type="application/ld+json"]').textContent
        )"""
    )
    assert data["name"] == outlet.name
    assert page.title().startswith(outlet.name)
    expect(page.locator("#map")).to_have_attribute("data-name", outlet.name)
    marker = page.locator("#map .leaflet-marker-icon")
    expect(marker).to_have_attribute("title", outlet.name)
    marker.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup-content")).to_have_text(outlet.name)
    expect(page.locator('img[src="x"]')).to_have_count(0)
