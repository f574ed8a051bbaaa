"""The locator's map in a real browser: markers for a search, the list and the map in step,
the open-now filter, and the map of the country that loads what its viewport shows."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from .support import map_ready, zoom_in_to_outlets

pytestmark = pytest.mark.browser

OUTLET_MARKERS = ".leaflet-marker-icon.map-outlet"
#: The states that count as open (map.js draws them filled).
OPEN_STATES = ("open", "closing_soon")


def attribute_set(locator, name: str) -> set[str]:
    return {element.get_attribute(name) for element in locator.all()}


def marker(page, code: str):
    return page.locator(f'{OUTLET_MARKERS}[data-code="{code}"]')


def result(page, code: str):
    return page.locator(f'li.result[data-code="{code}"]')


def popup(page, code: str):
    return page.locator(f'.leaflet-popup .map-popup[data-code="{code}"]')


def test_a_search_puts_one_marker_on_each_listed_outlet_and_one_on_the_searched_place(
    open_page, outlets
):
    page = map_ready(open_page("/?q=40115"))
    results = page.locator("li.result")
    markers = page.locator(OUTLET_MARKERS)
    expect(markers).to_have_count(results.count())
    assert attribute_set(markers, "data-code") == attribute_set(results, "data-code")
    for item in results.all():
        code = item.get_attribute("data-code")
        kind = item.get_attribute("data-kind")
        state = item.locator("[data-state]").get_attribute("data-state")
        open_now = state in OPEN_STATES
        point = marker(page, code)
        expect(point).to_have_attribute("data-kind", kind)
        expect(point).to_have_attribute("data-state", state)
        expect(point).to_have_class(re.compile(rf"\bmap-{kind}\b"))
        expect(point).to_have_class(re.compile(r"\bis-open\b" if open_now else r"\bis-closed\b"))
    expect(page.locator(".leaflet-marker-icon.map-origin")).to_have_count(1)
    expect(page.locator("path.map-radius")).to_have_count(0)


def test_stores_and_kiosks_open_and_closed_have_markers_of_their_own(open_page, outlets):
    page = map_ready(open_page("/?q=40115"))
    store, kiosk = marker(page, "AX-BDG-05"), marker(page, "AX-BDG-04")
    expect(store).to_have_class(re.compile(r"\bmap-store\b.*\bis-closed\b"))
    expect(store).to_have_attribute("data-state", "closed")
    expect(kiosk).to_have_class(re.compile(r"\bmap-kiosk\b.*\bis-open\b"))
    expect(kiosk).to_have_attribute("data-state", "open")
    assert store.evaluate("e => getComputedStyle(e).borderRadius") != kiosk.evaluate(
        "e => getComputedStyle(e).borderRadius"
    )
    expect(store.locator(".map-marker-badge")).to_have_count(1)  # a closed one's cross
    expect(kiosk.locator(".map-marker-badge")).to_have_count(0)


def test_a_search_within_a_radius_draws_the_circle(open_page, outlets):
    page = map_ready(open_page("/?q=40115&radius_km=10"))
    expect(page.locator("path.map-radius")).to_have_count(1)
    expect(page.locator(OUTLET_MARKERS)).to_have_count(page.locator("li.result").count())


def test_show_on_map_opens_the_outlets_popup(open_page, outlets):
    page = map_ready(open_page("/?q=40115"))
    item = result(page, "AX-BDG-04")
    item.locator("button.show-on-map").click()
    box = popup(page, "AX-BDG-04")
    expect(box).to_be_visible()
    expect(box.locator(".map-popup-name")).to_have_text("AXIS Kiosk Dago")
    expect(box.locator("[data-state]")).to_have_attribute("data-state", "open")
    expect(box.locator("[data-state]")).to_have_text(item.locator("[data-state]").inner_text())
    listed = item.locator("a.directions")
    shown = box.locator("a.directions")
    expect(shown).to_have_count(2)
    assert [a.get_attribute("href") for a in shown.all()] == [
        a.get_attribute("href") for a in listed.all()
    ]
    expect(item).to_have_class(re.compile(r"\bis-selected\b"))


def test_clicking_a_marker_selects_its_result_and_only_it(open_page, outlets):
    page = map_ready(open_page("/?q=40115"))
    marker(page, "AX-BDG-05").click()
    expect(popup(page, "AX-BDG-05")).to_be_visible()
    expect(result(page, "AX-BDG-05")).to_have_class(re.compile(r"\bis-selected\b"))
    expect(result(page, "AX-BDG-05")).to_have_attribute("aria-current", "true")
    page.keyboard.press("Escape")
    expect(popup(page, "AX-BDG-05")).to_have_count(0)
    marker(page, "AX-BDG-01").click()
    expect(result(page, "AX-BDG-01")).to_have_attribute("aria-current", "true")
    expect(result(page, "AX-BDG-05")).not_to_have_attribute("aria-current", "true")
    expect(page.locator("li.result.is-selected")).to_have_count(1)
    expect(marker(page, "AX-BDG-01")).to_have_class(re.compile(r"\bis-selected\b"))


def test_a_marker_opens_its_popup_with_enter_and_escape_closes_it(open_page, outlets):
    page = map_ready(open_page("/?q=40115"))
    point = marker(page, "AX-BDG-04")
    point.focus()
    page.keyboard.press("Enter")
    box = popup(page, "AX-BDG-04")
    expect(box).to_be_visible()
    expect(box.locator("a").first).to_be_focused()
    expect(result(page, "AX-BDG-04")).to_have_attribute("aria-current", "true")
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(point).to_be_focused()


def test_a_marker_reached_with_the_keyboard_shows_its_focus(open_page, outlets):
    page = map_ready(open_page("/?q=40115"))
    page.locator("#map").focus()
    page.keyboard.press("Tab")  # the map's first stop: a marker
    focused = page.locator(f"{OUTLET_MARKERS}:focus-visible")
    expect(focused).to_have_count(1)
    style, width = focused.evaluate(
        "e => [getComputedStyle(e).outlineStyle, parseFloat(getComputedStyle(e).outlineWidth)]"
    )
    assert style != "none" and width >= 2


def test_open_now_lists_and_marks_only_open_outlets(open_page, outlets):
    page = map_ready(open_page("/?q=40115&open_now=1"))
    codes = attribute_set(page.locator("li.result"), "data-code")
    assert "AX-BDG-04" in codes
    assert not codes & {"AX-BDG-02", "AX-BDG-03", "AX-BDG-05"}
    markers = page.locator(OUTLET_MARKERS)
    expect(markers).to_have_count(len(codes))
    expect(page.locator(f"{OUTLET_MARKERS}.is-closed")).to_have_count(0)
    assert attribute_set(markers, "data-code") == codes
    for state in page.locator("li.result [data-state]").all():
        assert state.get_attribute("data-state") in OPEN_STATES


def test_the_open_now_filter_is_applied_from_the_form(open_page, outlets):
    page = map_ready(open_page("/?q=40115"))
    before = page.locator("li.result").count()
    page.locator("details.search-filters summary").click()
    page.get_by_label("Open only").check()
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"[?&]open_now=on(&|$)"))
    assert "q=40115" in page.url
    after = page.locator("li.result")
    assert 0 < after.count() < before
    map_ready(page)
    expect(page.locator(f"{OUTLET_MARKERS}.is-closed")).to_have_count(0)


def test_the_map_of_the_country_groups_outlets_and_shows_each_when_zoomed_in(page, outlets):
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto("/")
    map_ready(page)
    assert any("/api/v1/outlets/clusters/?bbox=" in url for url in asked)
    expect(page.locator(".map-cluster[data-count]").first).to_be_visible()
    zoom_in_to_outlets(page, asked)
    assert any("/api/v1/outlets.geojson?bbox=" in url for url in asked)
    assert attribute_set(page.locator(OUTLET_MARKERS), "data-code") >= {
        "AX-BDG-01",
        "AX-BDG-02",
        "AX-BDG-03",
    }
    expect(page.locator(".map-search-area")).to_be_hidden()  # the map moved itself


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_the_country_s_first_clusters_are_asked_for_once_at_the_zoom_the_map_opens_at(
    open_page, outlets, screen
):
    # Asked for while Leaflet loads (map-prefetch.js), at the zoom fitBounds then chooses:
    # the map takes that answer and asks nothing more.
    page = open_page("/", device=screen)
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.reload()
    map_ready(page)
    page.wait_for_timeout(500)  # longer than the map waits after a move before asking
    clusters = [url for url in asked if "/api/v1/outlets/clusters/" in url]
    assert len(clusters) == 1, clusters
    country = ",".join(f"{edge:g}" for edge in settings.MAP_BOUNDS)
    assert f"bbox={country}&" in clusters[0]  # the early request's box, not the viewport's
    zoom = re.search(r"zoom=(\d+)", clusters[0]).group(1)
    # The zoom the map opened at, as its tiles' URLs say ({z}/{x}/{y}.png).
    tile = page.locator("#map .leaflet-tile-container img").first.get_attribute("src")
    assert re.search(r"/(\d+)/\d+/\d+\.png", tile).group(1) == zoom
    expect(page.locator(".map-cluster[data-count]").first).to_be_visible()


def test_search_this_area_appears_after_a_drag_and_searches_around_the_maps_centre(page, outlets):
    page.goto("/")
    map_ready(page)
    expect(page.locator(".map-search-area")).to_be_hidden()
    box = page.locator("#map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 120, y - 80, steps=8)
    page.mouse.up()
    button = page.locator(".map-search-area-button")
    expect(button).to_be_visible()
    button.click()
    page.wait_for_url(re.compile(r"/\?lat=-?\d+\.\d+&lng=\d+\.\d+&near=map$"))
    expect(page.locator(".origin")).to_contain_text("Nearest to the centre of the map")
    map_ready(page)
    expect(page.locator(".leaflet-marker-icon.map-origin")).to_have_count(1)
