"""The locator page: search by postcode, place or location, with filters, rendered by the server."""

import datetime
import re

import pytest
from django.urls import reverse

from .factories import OpeningRangeFactory, OutletFactory

pytestmark = pytest.mark.django_db

URL = reverse("locations:locator")


def codes(response) -> list[str]:
    return re.findall(r'class="result" data-code="([^"]+)"', response.content.decode())


def always_open(outlet):
    for weekday in range(7):
        OpeningRangeFactory(
            outlet=outlet, weekday=weekday, opens=datetime.time(0), closes=datetime.time(0)
        )
    return outlet


@pytest.fixture
def bandung(gazetteer):
    """Three outlets at growing distances from postcode 40115 (Bandung)."""
    always_open(OutletFactory(code="NEAR", latitude=-6.915, longitude=107.61, kind="kiosk"))
    OutletFactory(code="MID", latitude=-6.95, longitude=107.65, services=["esim_activation"])
    OutletFactory(code="FAR", latitude=-6.2, longitude=106.8)


def test_without_a_search_every_outlet_is_listed_by_code(bandung, client):
    response = client.get(URL)
    assert response.status_code == 200
    assert codes(response) == ["FAR", "MID", "NEAR"]


def test_a_postcode_lists_the_nearest_outlets_first_with_distances(bandung, client):
    response = client.get(URL, {"q": "40115"})
    html = response.content.decode()
    assert codes(response) == ["NEAR", "MID", "FAR"]
    assert "40115 Bandung Wetan" in html
    assert 'data-source="postcode"' in html
    assert ">40 m<" in html  # NEAR is 39.9 m from the postcode's point


def test_a_place_name_searches_from_the_likeliest_place_and_offers_the_others(bandung, client):
    html = client.get(URL, {"q": "bandung"}).content.decode()
    assert "Nearest to Kota Bandung" in html
    assert 'class="alternatives"' in html
    assert "Kabupaten Bandung" in html


def test_an_outlet_named_in_the_text_is_the_origin_and_the_page_says_so(bandung, client):
    OutletFactory(
        code="GI",
        name="AXIS Store Grand Indonesia",
        address="Grand Indonesia East Mall Lt. 3",
        city="Jakarta Pusat",
        latitude=-6.1951,
        longitude=106.8213,
    )
    response = client.get(URL, {"q": "grand indonesia"})
    html = response.content.decode()
    assert codes(response)[0] == "GI"
    assert '<p class="notice" role="status">Matched outlet: AXIS Store Grand Indonesia.</p>' in html
    assert 'data-match="outlet_name"' in html
    assert "Nearest to AXIS Store Grand Indonesia, Jakarta Pusat" in html


def test_the_part_of_the_text_not_used_is_shown(bandung, client):
    html = client.get(URL, {"q": "Jl. Sudirman, Bandung"}).content.decode()
    assert (
        "Showing results near Kota Bandung, Jawa Barat; “Jl. Sudirman” was not recognised." in html
    )
    assert 'data-match="place"' in html


def test_the_part_of_the_text_not_used_is_escaped(bandung, client):
    html = client.get(URL, {"q": "<b>Dago</b>, Bandung"}).content.decode()
    assert "“&lt;b&gt;Dago&lt;/b&gt;” was not recognised." in html
    assert "<b>Dago</b>" not in html.split("</form>", 1)[1]


def test_a_postcode_at_its_city_centre_is_shown_as_approximate(
    bandung, city_centre_postcode, client
):
    html = client.get(URL, {"q": "40999"}).content.decode()
    assert "Showing results near 40999 Kota Bandung (approximate: city centre)." in html
    assert 'data-precision="city"' in html


def test_the_message_is_shown_in_the_page_s_language(bandung, client):
    OutletFactory(code="GI", name="AXIS Store Grand Indonesia")
    html = client.get(URL, {"q": "Grand Indonesia"}, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Cocok dengan gerai: AXIS Store Grand Indonesia." in html


def test_my_location_searches_from_coordinates(bandung, client):
    response = client.get(URL, {"lat": "-6.2", "lng": "106.8"})
    assert codes(response)[0] == "FAR"
    assert 'data-source="coordinates"' in response.content.decode()


def test_filters_apply_to_a_search(bandung, client):
    assert codes(client.get(URL, {"q": "40115", "kind": "kiosk"})) == ["NEAR"]
    assert codes(client.get(URL, {"q": "40115", "service": "esim_activation"})) == ["MID"]
    assert codes(client.get(URL, {"q": "40115", "open_now": "1"})) == ["NEAR"]
    assert codes(client.get(URL, {"q": "40115", "radius_km": "10"})) == ["NEAR", "MID"]


def test_filters_apply_to_the_list_without_a_search(bandung, client):
    assert codes(client.get(URL, {"open_now": "1"})) == ["NEAR"]
    assert codes(client.get(URL, {"kind": "store"})) == ["FAR", "MID"]


def test_an_unknown_postcode_is_not_found_with_nearby_postcodes(bandung, client):
    response = client.get(URL, {"q": "40116"})
    html = response.content.decode()
    assert response.status_code == 200
    assert codes(response) == []
    assert "40116" in html
    assert "q=40115" in html and "q=40117" in html


def test_an_unknown_place_suggests_close_names(bandung, client):
    html = client.get(URL, {"q": "Bandugn"}).content.decode()
    assert 'class="not-found"' in html
    assert "Bandung" in html


def test_a_radius_with_nothing_inside_says_so(bandung, client):
    response = client.get(URL, {"lat": "0", "lng": "0", "radius_km": "5"})
    assert codes(response) == []
    assert "No outlet matches" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lat": "-6.2"}, "lng"),
        ({"lng": "106.8"}, "lat"),
        ({"lat": "91", "lng": "0"}, "lat"),
        ({"lat": "nan", "lng": "0"}, "lat"),
        ({"q": "40115", "radius_km": "-1"}, "radius_km"),
        ({"q": "40115", "radius_km": "5000"}, "radius_km"),
        ({"kind": "shop"}, "kind"),
        ({"service": "teleport"}, "service"),
        ({"q": "x" * 201}, "q"),
        ({"q": "40115", "lat": "1", "lng": "1"}, "q"),
    ],
)
def test_a_malformed_query_is_a_400_naming_the_parameter(bandung, client, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert f"{field}: " in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1e9"])
def test_any_page_number_answers(bandung, client, page):
    assert client.get(URL, {"page": page}).status_code == 200


def test_a_search_keeps_its_state_in_the_form(bandung, client):
    html = client.get(URL, {"q": "40115", "kind": "kiosk", "open_now": "1"}).content.decode()
    assert 'value="40115"' in html
    assert '<option value="kiosk" selected>' in html
    assert 'name="open_now" checked' in html or "checked" in html


def test_a_search_page_costs_a_fixed_number_of_queries(
    bandung, client, django_assert_max_num_queries
):
    client.get(URL, {"q": "40115"})  # builds the search index
    with django_assert_max_num_queries(8):
        client.get(URL, {"q": "40115"})


@pytest.mark.parametrize(
    ("km", "text"),
    [(0.0399, "40 m"), (0.994, "990 m"), (1.04, "1.0 km"), (12.345, "12.3 km"), (412.6, "413 km")],
)
def test_distances_read_as_a_person_needs_them(km, text):
    from locations.templatetags.locator import distance

    assert distance(km) == text
