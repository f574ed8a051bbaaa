"""GET /api/v1/outlets/: the nearest outlets to an origin, or every outlet by code."""

import re

import pytest
from geopy.distance import geodesic

from ..factories import OpeningRangeFactory, OutletFactory
from .support import (
    NIGHT_WIB,
    NOON_UTC,
    NOON_WIB,
    RESULT_FIELDS,
    STATUS_FIELDS,
    body,
    codes,
    weekdays_nine_to_nine,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/outlets/"


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response


# --- The answer's shape ------------------------------------------------------------------


def test_the_answer_has_count_links_origin_alternatives_message_and_results(outlets, client):
    answer = body(get(client, postcode="40115"))
    assert set(answer) == {
        "count",
        "next",
        "previous",
        "origin",
        "alternatives",
        "message",
        "results",
    }


def test_each_result_has_exactly_the_contract_fields(outlets, client):
    results = body(get(client, postcode="40115", at=NOON_WIB))["results"]
    assert results
    for result in results:
        assert set(result) == RESULT_FIELDS
        assert set(result["status"]) == STATUS_FIELDS


def test_a_result_carries_the_outlet_s_own_values(outlets, client):
    near = body(get(client, postcode="40115", limit=1))["results"][0]
    assert {key: near[key] for key in RESULT_FIELDS - {"distance_km", "status", "url"}} == {
        "code": "NEAR",
        "slug": "axis-kiosk-braga--near",
        "name": "AXIS Kiosk Braga",
        "kind": "kiosk",
        "address": "Jl. Braga No. 12",
        "city": "Bandung",
        "province": "Jawa Barat",
        "postcode": "40111",
        "country": "ID",
        "latitude": -6.915,
        "longitude": 107.61,
        "timezone": "Asia/Jakarta",
        "phone": "+62 22 4201234",
        "services": ["topup", "data_package"],
        "payment_methods": ["debit_card", "qris"],
    }


def test_the_url_is_the_absolute_address_of_the_outlet_s_page(outlets, client):
    near = body(get(client, postcode="40115", limit=1))["results"][0]
    assert near["url"] == "http://testserver/outlets/axis-kiosk-braga--near/"
    assert client.get(near["url"]).status_code == 200


# --- Origins -------------------------------------------------------------------------------


def test_coordinates_list_the_nearest_outlets_first(outlets, client):
    answer = body(get(client, lat="-6.2", lng="106.8"))
    assert [result["code"] for result in answer["results"]] == ["FAR", "NEAR", "MID"]
    assert answer["origin"] == {
        "latitude": -6.2,
        "longitude": 106.8,
        "label": "-6.20000, 106.80000",
        "source": "coordinates",
        "precision": None,
        "match": None,
        "matched": None,
    }
    assert answer["alternatives"] == []


def test_a_postcode_searches_from_the_postcode_s_point(outlets, client):
    answer = body(get(client, postcode="40115"))
    assert [result["code"] for result in answer["results"]] == ["NEAR", "MID", "FAR"]
    assert answer["origin"] == {
        "latitude": -6.9147,
        "longitude": 107.6098,
        "label": "40115 Bandung Wetan, Kota Bandung",
        "source": "postcode",
        "precision": "district",
        "match": None,
        "matched": None,
    }


def test_a_place_name_searches_from_the_place(outlets, client):
    answer = body(get(client, q="Kota Bandung"))
    assert [result["code"] for result in answer["results"]] == ["NEAR", "MID", "FAR"]
    assert answer["origin"]["source"] == "place"
    assert answer["origin"]["label"] == "Kota Bandung, Jawa Barat"


def test_an_ambiguous_place_searches_from_the_likeliest_and_lists_the_others(outlets, client):
    answer = body(get(client, q="bandung"))
    assert answer["origin"] == {
        "latitude": -6.9147,
        "longitude": 107.6098,
        "label": "Kota Bandung, Jawa Barat",
        "source": "place",
        "precision": "city",
        "match": "place",
        "matched": "bandung",
    }
    assert answer["alternatives"] == [
        {
            "latitude": -7.0251,
            "longitude": 107.5197,
            "label": "Kabupaten Bandung, Jawa Barat",
            "source": "place",
            "precision": "city",
            "match": "place",
            "matched": "bandung",
        }
    ]
    assert answer["message"] is None


def test_a_postcode_typed_as_text_searches_from_the_postcode(outlets, client):
    origin = body(get(client, q="40115"))["origin"]
    assert (origin["source"], origin["match"], origin["matched"]) == (
        "postcode",
        "postcode",
        "40115",
    )


def test_an_outlet_s_name_in_q_searches_from_that_outlet(outlets, client):
    answer = body(get(client, q="kiosk braga"))
    assert answer["origin"] == {
        "latitude": -6.915,
        "longitude": 107.61,
        "label": "AXIS Kiosk Braga, Bandung",
        "source": "place",
        "precision": None,
        "match": "outlet_name",
        "matched": "kiosk braga",
    }
    assert answer["message"] == "Matched outlet: AXIS Kiosk Braga."
    assert answer["results"][0]["code"] == "NEAR"
    assert answer["results"][0]["distance_km"] == 0


def test_an_outlet_s_street_address_in_q_searches_from_that_outlet(outlets, client):
    answer = body(get(client, q="Jalan Braga No. 12, Bandung"))
    assert (answer["origin"]["match"], answer["origin"]["label"]) == (
        "outlet_address",
        "AXIS Kiosk Braga, Bandung",
    )
    assert answer["message"] == "Matched the address of AXIS Kiosk Braga: Jl. Braga No. 12."


def test_a_permanently_closed_outlet_is_not_an_origin(outlets, client):
    OutletFactory(code="SHUT", name="AXIS Store Paskal 23", status="permanently_closed")
    response = client.get(URL, {"q": "Paskal 23"})
    assert response.status_code == 400
    assert "q" in body(response)


def test_text_only_partly_understood_says_which_part_was_not(outlets, client):
    answer = body(get(client, q="Jl. Sudirman, Bandung"))
    assert answer["origin"]["label"] == "Kota Bandung, Jawa Barat"
    assert answer["origin"]["matched"] == "Bandung"
    assert answer["message"] == (
        "Showing results near Kota Bandung, Jawa Barat; “Jl. Sudirman” was not recognised."
    )


def test_a_postcode_at_its_city_centre_is_answered_as_approximate(
    outlets, city_centre_postcode, client
):
    answer = body(get(client, postcode="40999"))
    assert answer["origin"]["precision"] == "city"
    assert answer["message"] == (
        "Showing results near 40999 Kota Bandung (approximate: city centre)."
    )


def test_the_schema_documents_the_origin_s_fields_and_their_nulls(client):
    origin = body(client.get("/api/v1/schema/", {"format": "json"}))["components"]["schemas"][
        "Origin"
    ]
    assert set(origin["properties"]) == {
        "latitude",
        "longitude",
        "label",
        "source",
        "precision",
        "match",
        "matched",
    }
    assert all(origin["properties"][name]["nullable"] for name in ("precision", "match", "matched"))


# --- Distance ------------------------------------------------------------------------------


def test_distance_is_the_geodesic_in_km_rounded_to_three_decimals(outlets, client):
    response = get(client, lat="-6.9", lng="107.6")
    answer = body(response)
    by_code = {result["code"]: result["distance_km"] for result in answer["results"]}
    assert by_code == {"NEAR": 1.993, "MID": 7.817, "FAR": 117.562}
    for result in answer["results"]:
        expected = geodesic((-6.9, 107.6), (result["latitude"], result["longitude"])).km
        assert result["distance_km"] == pytest.approx(expected, abs=0.0005)


def test_distance_is_a_json_number_with_at_most_three_decimals(outlets, client):
    text = get(client, lat="-6.9", lng="107.6").content.decode()
    distances = re.findall(r'"distance_km":([^,}]+)', text)
    assert distances and all(re.fullmatch(r"[0-9]+(\.[0-9]{1,3})?", d) for d in distances)


def test_distance_is_null_without_an_origin(outlets, client):
    results = body(get(client))["results"]
    assert [result["distance_km"] for result in results] == [None, None, None]


def test_coordinates_are_json_numbers(outlets, client):
    text = get(client, postcode="40115", limit=1).content.decode()
    assert '"latitude":-6.915,' in text and '"longitude":107.61,' in text


# --- Radius and limit ----------------------------------------------------------------------


def test_radius_keeps_only_outlets_within_that_distance(outlets, client):
    assert codes(get(client, postcode="40115", radius_km="10")) == ["NEAR", "MID"]


def test_radius_includes_an_outlet_at_the_edge(outlets, client):
    # NEAR is 1.99329 km from this point.
    assert codes(get(client, lat="-6.9", lng="107.6", radius_km="1.9933")) == ["NEAR"]
    assert codes(get(client, lat="-6.9", lng="107.6", radius_km="1.9932")) == []


def test_radius_with_nothing_inside_is_an_empty_answer(outlets, client):
    answer = body(get(client, lat="0", lng="0", radius_km="5"))
    assert answer["count"] == 0 and answer["results"] == []


def test_the_maximum_radius_is_allowed(outlets, client):
    assert codes(get(client, postcode="40115", radius_km="1000")) == ["NEAR", "MID", "FAR"]


def test_without_a_radius_the_nearest_are_listed_however_far(outlets, client):
    assert codes(get(client, lat="60", lng="-100")) == ["FAR", "NEAR", "MID"]


def test_limit_caps_the_nearest(outlets, client):
    answer = body(get(client, postcode="40115", limit="2"))
    assert [result["code"] for result in answer["results"]] == ["NEAR", "MID"]
    assert answer["count"] == 2


def test_the_default_limit_is_twenty(gazetteer, client):
    OutletFactory.create_batch(25)
    assert len(body(get(client, postcode="40115"))["results"]) == 20


def test_the_maximum_limit_is_a_hundred(gazetteer, client):
    OutletFactory.create_batch(101)
    assert len(body(get(client, postcode="40115", limit="100"))["results"]) == 100


def test_a_search_with_an_origin_is_one_page(outlets, client):
    answer = body(get(client, postcode="40115", limit="1"))
    assert answer["next"] is None and answer["previous"] is None


# --- Filters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("kiosk", ["NEAR"]), ("store", ["MID", "FAR"]), ("store,kiosk", ["NEAR", "MID", "FAR"])],
)
def test_kind_keeps_outlets_of_the_kinds_given(outlets, client, kind, expected):
    assert codes(get(client, postcode="40115", kind=kind)) == expected


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        ("topup", ["NEAR", "MID", "FAR"]),
        ("esim_activation", ["MID"]),
        ("topup,data_package", ["NEAR"]),
        ("esim_activation,data_package", []),
    ],
)
def test_service_keeps_outlets_that_offer_every_service_given(outlets, client, service, expected):
    assert codes(get(client, postcode="40115", service=service)) == expected


@pytest.mark.parametrize(
    ("payment", "expected"),
    [
        ("qris", ["NEAR", "MID"]),
        ("cash,qris", ["MID"]),
        ("cash", ["MID", "FAR"]),
        ("credit_card", []),
    ],
)
def test_payment_keeps_outlets_that_accept_every_method_given(outlets, client, payment, expected):
    assert codes(get(client, postcode="40115", payment=payment)) == expected


def test_filters_combine(outlets, client):
    assert codes(get(client, postcode="40115", kind="store", payment="cash", radius_km="50")) == [
        "MID"
    ]


@pytest.mark.parametrize("at", [NOON_WIB, NOON_UTC])
def test_open_now_keeps_outlets_open_at_the_instant_given(outlets, client, at):
    assert codes(get(client, postcode="40115", open_now="true", at=at)) == ["NEAR", "MID", "FAR"]


def test_open_now_at_night_keeps_only_the_outlet_open_around_the_clock(outlets, client):
    assert codes(get(client, postcode="40115", open_now="true", at=NIGHT_WIB)) == ["NEAR"]


def test_open_now_false_keeps_every_outlet(outlets, client):
    assert codes(get(client, postcode="40115", open_now="false", at=NIGHT_WIB)) == [
        "NEAR",
        "MID",
        "FAR",
    ]


def test_bbox_keeps_outlets_inside_the_viewport(outlets, client):
    bandung = "107.5,-7.0,107.7,-6.8"
    assert codes(get(client, postcode="40115", bbox=bandung)) == ["NEAR", "MID"]
    assert codes(get(client, bbox=bandung)) == ["MID", "NEAR"]


def test_filters_apply_without_an_origin(outlets, client):
    assert codes(get(client, kind="store")) == ["FAR", "MID"]
    assert codes(get(client, open_now="true", at=NIGHT_WIB)) == ["NEAR"]


# --- Status --------------------------------------------------------------------------------


def test_status_says_open_with_the_next_change_in_the_outlet_s_offset(outlets, client):
    mid = body(get(client, postcode="40115", kind="store", limit="1", at=NOON_UTC))["results"]
    assert mid[0]["status"] == {
        "open_now": True,
        "state": "open",
        "next_change": "2026-11-25T21:00:00+07:00",
        "label": "Open · closes 21:00 WIB",
    }


def test_status_says_closed_with_when_it_opens(outlets, client):
    [mid] = body(get(client, postcode="40115", kind="store", limit="1", at=NIGHT_WIB))["results"]
    assert mid["status"] == {
        "open_now": False,
        "state": "closed",
        "next_change": "2026-11-26T09:00:00+07:00",
        "label": "Closed · opens 09:00 WIB",
    }


def test_status_says_closing_soon_within_thirty_minutes_of_closing(outlets, client):
    at = "2026-11-25T20:30:00+07:00"
    [mid] = body(get(client, postcode="40115", kind="store", limit="1", at=at))["results"]
    assert mid["status"]["state"] == "closing_soon"
    assert mid["status"]["label"] == "Closing soon · closes 21:00 WIB"


def test_an_outlet_open_around_the_clock_never_changes(outlets, client):
    [near] = body(get(client, postcode="40115", limit="1", at=NOON_WIB))["results"]
    assert near["status"] == {
        "open_now": True,
        "state": "open",
        "next_change": None,
        "label": "Open 24 hours",
    }


def test_next_change_uses_the_offset_of_the_outlet_s_own_zone(vocabularies, client):
    weekdays_nine_to_nine(
        OutletFactory(code="BALI", latitude=-8.65, longitude=115.22, timezone="")
    )  # Denpasar: WITA
    [bali] = body(get(client, lat="-8.65", lng="115.22", at=NOON_UTC))["results"]
    assert bali["timezone"] == "Asia/Makassar"
    assert bali["status"]["next_change"] == "2026-11-25T21:00:00+08:00"
    assert bali["status"]["label"] == "Open · closes 21:00 WITA"


def test_a_temporarily_closed_outlet_is_listed_as_such(vocabularies, client):
    outlet = OutletFactory(code="PAUSED", status="temporarily_closed")
    OpeningRangeFactory(outlet=outlet, weekday=2)
    [paused] = body(get(client, lat="-6.9", lng="107.6", at=NOON_WIB))["results"]
    assert paused["status"] == {
        "open_now": False,
        "state": "temporarily_closed",
        "next_change": None,
        "label": "Temporarily closed",
    }


def test_permanently_closed_outlets_are_left_out_of_every_search(outlets, client):
    for params in ({}, {"postcode": "40115"}, {"lat": "-6.9148", "lng": "107.6099"}):
        assert "GONE" not in codes(get(client, **params))


# --- Without an origin: every outlet, by code, a page at a time ----------------------------


@pytest.fixture
def five(vocabularies):
    for code in ("E", "C", "A", "D", "B"):
        OutletFactory(code=code)


def test_without_an_origin_outlets_are_ordered_by_code(five, client):
    answer = body(get(client))
    assert [result["code"] for result in answer["results"]] == ["A", "B", "C", "D", "E"]
    assert answer["origin"] is None and answer["alternatives"] == []


def test_without_an_origin_limit_is_the_page_size(five, client):
    answer = body(get(client, limit="2"))
    assert answer["count"] == 5
    assert [result["code"] for result in answer["results"]] == ["A", "B"]
    assert answer["next"] == "http://testserver/api/v1/outlets/?limit=2&page=2"
    assert answer["previous"] is None


def test_a_middle_page_links_both_ways(five, client):
    answer = body(get(client, limit="2", page="2"))
    assert [result["code"] for result in answer["results"]] == ["C", "D"]
    assert answer["next"] == "http://testserver/api/v1/outlets/?limit=2&page=3"
    assert answer["previous"] == "http://testserver/api/v1/outlets/?limit=2&page=1"


def test_the_last_page_has_no_next(five, client):
    answer = body(get(client, limit="2", page="3"))
    assert [result["code"] for result in answer["results"]] == ["E"]
    assert answer["next"] is None


def test_page_links_keep_the_filters(five, client):
    answer = body(get(client, limit="2", kind="store"))
    assert answer["next"] == "http://testserver/api/v1/outlets/?limit=2&kind=store&page=2"


def test_a_page_beyond_the_end_is_a_json_404(five, client):
    response = client.get(URL, {"limit": "2", "page": "4"})
    assert response.status_code == 404
    assert body(response) == {"detail": "No page 4."}


def test_no_outlets_at_all_is_an_empty_first_page(vocabularies, client):
    answer = body(get(client))
    assert answer == {
        "count": 0,
        "next": None,
        "previous": None,
        "origin": None,
        "alternatives": [],
        "message": None,
        "results": [],
    }


def test_count_without_an_origin_counts_only_outlets_passing_the_filters(outlets, client):
    assert body(get(client, kind="store"))["count"] == 2
