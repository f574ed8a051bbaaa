"""Browsing by province and city: the provinces with their counts, a province's cities, a
city's outlets with their status now, and the way back up from an outlet's page."""

import re

import pytest
from django.urls import reverse

from locations import places
from locations.models import Outlet

from .factories import OpeningRangeFactory, OutletFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread():
    """Outlets in two provinces, one city written two ways, one permanently closed."""
    bandung = [
        OutletFactory(
            code=f"AX-BDG-{n:02}",
            name=f"AXIS Kiosk Bandung {n:02}",
            kind="kiosk",
            province="Jawa Barat",
            city="Kota Bandung",
        )
        for n in range(23)
    ]
    OutletFactory(code="AX-BDG-99", province="JAWA BARAT", city="Kota  Bandung")
    OutletFactory(code="AX-BGR-01", province="Jawa Barat", city="Kota Bogor")
    OutletFactory(code="AX-SBY-01", province="Jawa Timur", city="Kota Surabaya")
    OutletFactory(
        code="AX-SBY-02", province="Jawa Timur", city="Kota Surabaya", status="permanently_closed"
    )
    for weekday in range(7):
        OpeningRangeFactory(outlet=bandung[0], weekday=weekday)
    return bandung


def codes(response) -> list[str]:
    return re.findall(r'<li class="result" data-code="([^"]+)"', response.content.decode())


def test_place_slugs_never_hold_the_outlet_pages_mark():
    assert places.place_slug("Kota  Bandung") == "kota-bandung"
    assert places.place_slug("D.I. Yogyakarta") == "di-yogyakarta"
    assert places.place_slug("Nusa Tenggara -- Barat") == "nusa-tenggara-barat"


def test_the_provinces_with_their_outlets(client, spread):
    html = client.get("/outlets/").content.decode()
    listed = re.findall(r'<li data-place="([^"]+)"><a href="([^"]+)">([^<]+)</a>', html)
    assert listed == [
        ("jawa-barat", "/outlets/jawa-barat/", "Jawa Barat"),
        ("jawa-timur", "/outlets/jawa-timur/", "Jawa Timur"),
    ]
    assert "25 outlets" in html  # Jawa Barat, both spellings
    assert "1 outlet<" in html  # Jawa Timur: the closed one is not counted


def test_a_province_lists_its_cities(client, spread):
    html = client.get(reverse("locations:province", args=["jawa-barat"])).content.decode()
    cities = re.findall(r'<li data-place="([^"]+)"><a href="([^"]+)">', html)
    assert cities == [
        ("kota-bandung", "/outlets/jawa-barat/kota-bandung/"),
        ("kota-bogor", "/outlets/jawa-barat/kota-bogor/"),
    ]
    assert "24 outlets" in html


def test_a_city_lists_its_outlets_a_page_at_a_time_with_their_status(client, spread):
    url = reverse("locations:city", args=["jawa-barat", "kota-bandung"])
    first = client.get(url)
    assert first.status_code == 200
    assert len(codes(first)) == 20
    rest = codes(client.get(url, {"page": 2}))
    assert len(rest) == 4
    assert set(codes(first)) | set(rest) == {o.code for o in spread} | {"AX-BDG-99"}
    html = first.content.decode()
    assert re.search(r'data-state="(open|closing_soon|opening_soon|closed)"', html)
    assert 'href="/outlets/jawa-barat/"' in html  # the breadcrumbs


@pytest.mark.parametrize(
    "url",
    ["/outlets/bali/", "/outlets/jawa-barat/kota-denpasar/", "/outlets/jawa-timur/kota-bandung/"],
)
def test_unknown_places_are_not_found(client, spread, url):
    assert client.get(url).status_code == 404


def test_an_outlet_page_leads_back_up_and_is_never_taken_for_a_place(client, spread):
    outlet = spread[0]
    assert "--" in outlet.slug
    html = client.get(outlet.get_absolute_url()).content.decode()
    trail = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.DOTALL).group(0)
    assert re.findall(r'href="([^"]+)"', trail) == [
        "/outlets/",
        "/outlets/jawa-barat/",
        "/outlets/jawa-barat/kota-bandung/",
    ]


def test_browse_pages_in_indonesian(client, spread):
    client.cookies["django_language"] = "id"
    html = client.get("/outlets/jawa-barat/").content.decode()
    assert "Gerai AXIS di Jawa Barat" in html
    assert "24 gerai" in html


def test_a_city_page_reads_a_fixed_number_of_queries(client, spread, django_assert_max_num_queries):
    for outlet in spread[:10]:
        outlet.closed_on_public_holidays = True
        outlet.save()
    with django_assert_max_num_queries(12):
        client.get(reverse("locations:city", args=["jawa-barat", "kota-bandung"]))


def sitemap_locations(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def test_the_sitemap_lists_every_page_and_each_answers(client, spread):
    sections = sitemap_locations(client, "/sitemap.xml")
    assert sections and all(re.search(r"/sitemap-\w+\.xml", url) for url in sections)
    pages = []
    for section in sections:
        pages += sitemap_locations(client, section.removeprefix("http://testserver"))
    paths = [url.removeprefix("http://testserver") for url in pages]
    assert "/" in paths and "/outlets/" in paths
    assert "/outlets/jawa-barat/" in paths and "/outlets/jawa-barat/kota-bandung/" in paths
    closed = [o for o in Outlet.objects.all() if o.status == "permanently_closed"]
    assert closed and all(o.get_absolute_url() not in paths for o in closed)
    assert len([p for p in paths if "--" in p]) == Outlet.objects.searchable().count()
    for path in paths:
        assert client.get(path).status_code == 200, path
    xml = client.get(sections[-1].removeprefix("http://testserver")).content.decode()
    assert "<lastmod>" in xml


def test_robots_names_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text


def test_a_closed_outlets_page_says_so_and_leads_to_the_nearest_open_ones(client, spread):
    Outlet.objects.filter(code="AX-SBY-02").update(latitude=-7.2625, longitude=112.7383)
    closed = Outlet.objects.get(code="AX-SBY-02")
    near = OutletFactory(
        code="AX-SBY-03",
        city="Kota Surabaya",
        province="Jawa Timur",
        latitude=closed.latitude + 0.01,
        longitude=closed.longitude,
    )
    html = client.get(closed.get_absolute_url()).content.decode()
    assert "This outlet has closed for good." in html
    instead = re.search(r'<ul class="instead">(.*?)</ul>', html, re.DOTALL).group(1)
    listed = re.findall(r'<li data-code="([^"]+)"><a href="([^"]+)"', instead)
    assert len(listed) == 5
    assert listed[0] == (near.code, near.get_absolute_url())
    assert closed.code not in [code for code, _ in listed]
    # An open outlet's page has no such section.
    assert "closed for good" not in client.get(near.get_absolute_url()).content.decode()
