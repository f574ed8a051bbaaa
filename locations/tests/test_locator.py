"""The locator page: search by postcode, place or location, with filters, rendered by the server."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from locations.templatetags.locator import today_hours

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
    ("params", "field", "words"),
    [
        ({"lat": "-6.2"}, "lng", "Your location could not be read"),
        ({"lng": "106.8"}, "lat", "Your location could not be read"),
        ({"lat": "91", "lng": "0"}, "lat", "Your location could not be read"),
        ({"lat": "nan", "lng": "0"}, "lat", "Your location could not be read"),
        ({"q": "40115", "radius_km": "-1"}, "radius_km", "Must be more than 0"),
        ({"q": "40115", "radius_km": "5000"}, "radius_km", "less than or equal to 1000"),
        ({"kind": "shop"}, "kind", "Unknown: shop"),
        ({"service": "teleport"}, "service", "Unknown: teleport"),
        ({"q": "x" * 201}, "q", "no more than 200 characters"),
        ({"when": "on"}, "on", "Choose a date and time"),
        ({"when": "on", "on": "yesterday"}, "on", "Enter a valid date/time"),
    ],
)
def test_a_malformed_query_is_a_400_in_words(bandung, client, params, field, words):
    response = client.get(URL, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html
    # Told in words beside the field, not as "name: message" (the page's style apart).
    assert f"{field}: " not in re.sub(r"<style\b.*?</style>", "", html, flags=re.DOTALL)
    if field not in ("lat", "lng"):
        assert f'id="id_{field}_error"' in html or 'aria-invalid="true"' in html


def test_a_typed_place_replaces_a_located_point(bandung, client):
    response = client.get(URL, {"q": "40115", "lat": "1", "lng": "1", "near": "me"})
    assert response.status_code == 200
    assert codes(response)[0] == "NEAR"
    assert "40115" in response.content.decode().split('class="origin"')[1][:400]


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


# --- The main path, as a new visitor takes it ------------------------------------------------

NOW = datetime.datetime(2026, 11, 30, 3, 0, tzinfo=datetime.UTC)  # Monday 10:00 WIB


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr("locations.views.timezone.now", lambda: NOW)


def test_a_located_search_is_labelled_your_location(bandung, client):
    html = client.get(URL, {"lat": "-6.9", "lng": "107.6", "near": "me"}).content.decode()
    assert "Nearest to your location" in html
    assert "-6.9, 107.6" not in html


def test_a_search_from_the_map_says_so(bandung, client):
    html = client.get(URL, {"lat": "-6.9", "lng": "107.6", "near": "map"}).content.decode()
    assert "Nearest to the centre of the map" in html


def test_directions_start_from_the_visitor_s_own_point(bandung, client):
    html = client.get(URL, {"lat": "-6.9", "lng": "107.6", "near": "me"}).content.decode()
    assert (
        "https://www.google.com/maps/dir/?api=1&amp;destination=-6.915000,107.610000"
        "&amp;origin=-6.900000,107.600000" in html
    )
    assert "https://www.openstreetmap.org/directions?to=-6.915000,107.610000" in html
    # From a typed place, directions start wherever the visitor is.
    html = client.get(URL, {"q": "40115"}).content.decode()
    assert "destination=-6.915000,107.610000&amp;origin" not in html


def test_coordinates_are_written_with_a_dot_in_indonesian(bandung, client):
    html = client.get(URL, {"q": "40115"}, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'lang="id"' in html
    assert "to=-6.915000,107.610000" in html
    assert 'data-latitude="-6.915000" data-longitude="107.610000"' in html
    assert not re.search(r"to=-?\d+,\d+%2C", html)


def test_results_far_away_are_set_apart(bandung, client):
    response = client.get(URL, {"q": "40115"})
    html = response.content.decode()
    assert codes(response) == ["NEAR", "MID", "FAR"]
    heading = html.index("Nearest outside 25 km")
    assert html.index('data-code="MID"') < heading < html.index('data-code="FAR"')
    assert re.search(r'data-code="FAR"[^>]*data-far', html)


def test_only_far_results_say_none_is_near(bandung, client):
    html = client.get(URL, {"q": "40115", "kind": "store", "service": ""}).content.decode()
    assert "MID" in html  # 6 km: near
    html = client.get(URL, {"lat": "-8.65", "lng": "115.2"}).content.decode()
    assert "No outlet within 25 km. The nearest are further away:" in html
    assert "Nearest outside 25 km" not in html


def test_more_results_keep_the_state(bandung, client):
    for number in range(25):
        OutletFactory(code=f"X{number:02d}", latitude=-6.9 - number / 1000, longitude=107.6)
    response = client.get(URL, {"q": "40115", "kind": "store"})
    assert len(codes(response)) == 20
    html = response.content.decode()
    more = re.search(r'<p class="more"><a href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "q=40115" in more and "kind=store" in more and "limit=40" in more
    assert len(codes(client.get(URL + more))) == 27  # 25 new stores, MID and FAR


@pytest.mark.parametrize(
    ("params", "ways"),
    [
        ({"lat": "0", "lng": "0", "radius_km": "5"}, ["radius_km=20", "Search at any distance"]),
        ({"q": "40115", "kind": "kiosk", "service": "esim_activation"}, ["Show stores and kiosks"]),
        ({"open_now": "1", "kind": "store"}, ["Include closed outlets", "Show stores and kiosks"]),
    ],
)
def test_every_empty_answer_says_so_and_offers_a_way_on(bandung, client, params, ways):
    response = client.get(URL, params)
    html = response.content.decode()
    assert response.status_code == 200
    assert codes(response) == []
    assert 'class="empty"' in html
    for way in ways:
        assert way in html


def test_open_at_this_evening_is_19_00_in_the_searched_place_s_zone(bandung, client, frozen):
    html = client.get(URL, {"q": "40115", "when": "evening"}).content.decode()
    assert "Open or closed at Mon 30 Nov, 19:00 WIB" in html
    config = json.loads(re.search(r'id="map-config"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert "at=2026-11-30T19%3A00%3A00%2B07%3A00" in config["filters"]
    # The page's statuses are those of that instant: MID (Monday hours) is closed then.
    assert codes(client.get(URL, {"q": "40115", "when": "evening", "open_now": "1"})) == ["NEAR"]


def test_a_chosen_date_and_time_is_read_in_the_place_s_zone(bandung, client, frozen):
    html = client.get(URL, {"q": "40115", "when": "on", "on": "2026-12-01T08:30"}).content.decode()
    config = json.loads(re.search(r'id="map-config"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert "at=2026-12-01T08%3A30%3A00%2B07%3A00" in config["filters"]


def test_the_map_comes_after_the_list_and_leaflet_not_from_head(bandung, client):
    html = client.get(URL, {"q": "40115"}).content.decode()
    head, body = html.split("</head>", 1)
    assert "leaflet" not in head.lower()
    assert body.index('class="results"') < body.index('id="map"') < body.index("leaflet.js")
    config = json.loads(re.search(r'id="map-config"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert config["origin"]["latitude"] == pytest.approx(-6.92, abs=0.01)
    assert config["api"]["clusters"] == "/api/v1/outlets/clusters/"


def test_a_hostile_name_is_text_in_the_page_and_in_the_map_config(bandung, client):
    OutletFactory(code="EVIL", name="</script><img src=x onerror=alert(1)>", latitude=-6.92)
    html = client.get(URL, {"q": "40115"}).content.decode()
    assert "<img src=x" not in html
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_footer_credits_the_map_and_the_data(client, db):
    html = client.get(URL).content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]
    for credit in ("OpenStreetMap", "GeoNames", "CC BY 4.0", "ODbL"):
        assert credit in footer
    assert 'rel="icon"' in html


def test_language_buttons_are_named_in_their_own_language(client, db):
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'lang="en"' in html and ">English<" in html
    assert 'lang="id"' in html and ">Bahasa Indonesia<" in html


@pytest.mark.parametrize(
    ("spans", "text"),
    [
        ((), "Closed today"),
        (((0, 86400),), "Open 24 hours today"),
        (((0, 43200), (43200, 90000)), "Open 24 hours today"),
        (((8 * 3600, 22 * 3600),), "Today 08:00–22:00"),
        (((0, 12 * 3600), (13 * 3600, 86400)), "Today 00:00–12:00, 13:00–24:00"),
    ],
)
def test_today_s_hours_in_a_result(spans, text):
    assert today_hours(spans) == text
