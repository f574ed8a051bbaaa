"""The coverage screen's map in a real browser: circles for the worst postcodes, a pin for
each proposed site, popups written as text."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from locations.models import PostcodeArea

from .support import axe

pytestmark = pytest.mark.browser

COVERAGE = reverse("admin:locations_outlet_coverage")
CIRCLES = "#coverage-map path.coverage-postcode"
PINS = "#coverage-map .leaflet-marker-icon.coverage-site"
#: What axe finds in Django's own admin markup (see test_admin_map.py).
DJANGO_ADMIN_OWN = (".breadcrumbs",)


@pytest.fixture
def far_postcode(outlets):
    """A postcode far from every outlet, whose place is written as markup."""
    cache.clear()
    return PostcodeArea.objects.create(
        postcode="99999",
        latitude=-2.5,
        longitude=140.7,
        place="<img src=x onerror=alert(1)>",
        city="Kota Jayapura",
        province="Papua",
        precision="city",
    )


def test_the_map_draws_the_worst_postcodes_and_the_proposed_sites(open_page, staff, far_postcode):
    page = open_page(COVERAGE, user=staff)
    postcodes = PostcodeArea.objects.count()
    expect(page.locator(CIRCLES)).to_have_count(postcodes)
    expect(page.locator(PINS).first).to_be_visible()
    page.locator(PINS).first.dispatch_event("click")
    popup = page.locator("#coverage-map .leaflet-popup-content")
    expect(popup).to_contain_text("Proposed kiosk site 1")
    # The markup in the place's name is shown as text, never run (a dialog fails the test).
    expect(popup).to_contain_text("<img src=x onerror=alert(1)>")
    # Leaflet fades a popup in; its colours are only what they are once it is opaque.
    expect(page.locator("#coverage-map .leaflet-popup")).to_have_css("opacity", "1")
    assert axe(page, exclude=DJANGO_ADMIN_OWN) == []


def test_the_tables_answer_without_javascript(open_page, staff, far_postcode):
    page = open_page(COVERAGE, user=staff, javascript=False)
    expect(page.locator("#coverage-worst tbody tr").first).to_contain_text("99999")
    expect(page.locator("#coverage-sites tbody tr").first).to_contain_text("99999")
