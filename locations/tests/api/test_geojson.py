"""GET /api/v1/outlets.geojson: the list's query as an RFC 7946 FeatureCollection."""

import json
from urllib.parse import urlencode

import pytest

from .support import NIGHT_WIB, NOON_WIB, body

pytestmark = pytest.mark.django_db

URL = "/api/v1/outlets.geojson"


def collection(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def test_the_answer_is_sent_as_application_geo_json(outlets, client):
    assert client.get(URL)["Content-Type"] == "application/geo+json"


def test_the_answer_is_a_feature_collection_of_points(outlets, client):
    answer = collection(client, postcode="40115")
    assert answer["type"] == "FeatureCollection"
    assert [feature["type"] for feature in answer["features"]] == ["Feature"] * 3
    assert {feature["geometry"]["type"] for feature in answer["features"]} == {"Point"}


def test_coordinates_are_longitude_then_latitude(outlets, client):
    features = collection(client, postcode="40115")["features"]
    assert [feature["geometry"]["coordinates"] for feature in features] == [
        [107.61, -6.915],
        [107.65, -6.95],
        [106.8, -6.2],
    ]


def test_each_feature_is_identified_by_the_outlet_code(outlets, client):
    features = collection(client, postcode="40115")["features"]
    assert [feature["id"] for feature in features] == ["NEAR", "MID", "FAR"]


@pytest.mark.parametrize(
    "params",
    [
        {"postcode": "40115", "at": NOON_WIB},
        {"lat": "-6.2", "lng": "106.8", "radius_km": "500", "kind": "store", "at": NOON_WIB},
        {"q": "bandung", "service": "topup", "payment": "qris", "at": NOON_WIB},
        {"open_now": "true", "at": NIGHT_WIB},
        {"bbox": "107.5,-7.0,107.7,-6.8", "at": NOON_WIB},
        {"limit": "2", "page": "2", "at": NOON_WIB},
    ],
)
def test_feature_properties_are_the_list_s_results(outlets, client, params):
    listed = body(client.get("/api/v1/outlets/", params))
    features = collection(client, **params)["features"]
    assert [feature["properties"] for feature in features] == listed["results"]


def page_link(number):
    query = urlencode({"limit": 1, "page": number, "at": NOON_WIB})
    return f"http://testserver/api/v1/outlets.geojson?{query}"


def test_the_collection_carries_the_list_s_count_links_and_origin(outlets, client):
    params = {"limit": "1", "page": "2", "at": NOON_WIB}
    listed = body(client.get("/api/v1/outlets/", params))
    answer = collection(client, **params)
    assert answer["count"] == listed["count"] == 3
    assert answer["origin"] is None
    assert answer["next"] == page_link(3)
    assert answer["previous"] == page_link(1)


def test_the_origin_is_given_with_a_search(outlets, client):
    assert collection(client, postcode="40115")["origin"]["source"] == "postcode"


def test_permanently_closed_outlets_are_left_out(outlets, client):
    features = collection(client, lat="-6.9148", lng="107.6099")["features"]
    assert "GONE" not in [feature["id"] for feature in features]


def test_no_match_is_an_empty_collection(outlets, client):
    answer = collection(client, lat="0", lng="0", radius_km="1")
    assert answer["type"] == "FeatureCollection" and answer["features"] == []


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"lat": "1"}, "lng"),
        ({"kind": "shop"}, "kind"),
        ({"at": "2026-11-25T12:00:00"}, "at"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"postcode": "40116"}, "postcode"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_a_wrong_parameter_is_the_same_400_as_the_list(outlets, client, params, parameter):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert body(response) == body(client.get("/api/v1/outlets/", params))
    assert list(body(response)) == [parameter]


def test_a_page_beyond_the_end_is_a_json_404(outlets, client):
    response = client.get(URL, {"page": "2"})
    assert response.status_code == 404
    assert body(response) == {"detail": "No page 2."}
