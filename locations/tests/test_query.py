"""The search query (locations.search.query): its rules, read from query-string text,
without HTTP; then that the locator page and the API follow the same rules."""

import html
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.core.paginator import EmptyPage

from locations import geocoding
from locations.search import BBox, Filters
from locations.search.query import (
    CLUSTERS,
    DETAIL,
    LIST,
    PAGE,
    PARAMETERS,
    POSTCODE,
    QueryError,
    SearchQuery,
)

from .factories import OutletFactory

NOW = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)  # Wednesday 12:00 WIB
KNOWN = {"service": {"topup", "esim_activation"}, "payment": {"cash", "qris"}}


def vocabulary(name):
    return KNOWN[name]


def parse(values, accepts=LIST):
    return SearchQuery.parse(values, accepts, vocabulary=vocabulary)


def errors(values, accepts=LIST) -> dict:
    with pytest.raises(QueryError) as caught:
        parse(values, accepts)
    return caught.value.errors


# --- Reading each parameter ----------------------------------------------------------------


def test_nothing_given_is_the_default_query():
    query = parse({})
    assert query == SearchQuery()
    assert (query.limit, query.page, query.country, query.open_now) == (20, 1, "ID", False)
    assert not query.has_origin


def test_every_list_parameter_is_read_into_its_type():
    query = parse(
        {
            "lat": "-6.9",
            "lng": " 107.6 ",
            "radius_km": "2.5",
            "limit": "7",
            "page": "2",
            "kind": "store, kiosk",
            "service": "topup,esim_activation",
            "payment": "qris",
            "open_now": "true",
            "at": "2026-11-25T12:00:00+07:00",
            "bbox": "107,-7,108,-6",
        }
    )
    assert (query.lat, query.lng, query.radius_km, query.limit, query.page) == (
        -6.9,
        107.6,
        2.5,
        7,
        2,
    )
    assert query.kind == {"store", "kiosk"}
    assert query.service == {"topup", "esim_activation"}
    assert query.payment == {"qris"}
    assert query.open_now is True
    assert query.at == datetime(2026, 11, 25, 12, tzinfo=timezone(timedelta(hours=7)))
    assert query.bbox == BBox(107.0, -7.0, 108.0, -6.0)


def test_a_country_is_read_in_capitals():
    assert parse({"postcode": "40115", "country": "id"}).country == "ID"


@pytest.mark.parametrize(("text", "value"), [("1", True), ("on", True), ("FALSE", False)])
def test_open_now_reads_the_usual_spellings(text, value):
    assert parse({"open_now": text}).open_now is value


def test_the_filters_are_what_the_search_index_takes():
    query = parse({"kind": "kiosk", "service": "topup", "open_now": "1", "bbox": "1,2,3,4"})
    assert query.filters() == Filters(
        kinds=frozenset({"kiosk"}),
        services=frozenset({"topup"}),
        open_now=True,
        bbox=BBox(1.0, 2.0, 3.0, 4.0),
    )


@pytest.mark.parametrize(
    ("values", "parameter"),
    [
        ({"lat": "-6.9", "lng": "107.6"}, "lat"),
        ({"postcode": "40115"}, "postcode"),
        ({"q": "Bandung"}, "q"),
        ({}, None),
    ],
)
def test_the_origin_comes_from_one_parameter(values, parameter):
    query = parse(values)
    assert query.origin_parameter == parameter
    assert query.has_origin is (parameter is not None)


# --- Ranges ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "parameter"),
    [
        ({"lat": "90.0001", "lng": "0"}, "lat"),
        ({"lat": "0", "lng": "-180.5"}, "lng"),
        ({"q": "x", "radius_km": "0"}, "radius_km"),
        ({"q": "x", "radius_km": "1000.001"}, "radius_km"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"page": "0"}, "page"),
        ({"at": "1969-12-31T23:59:59Z"}, "at"),
        ({"at": "2101-01-01T00:00:00Z"}, "at"),
        ({"q": "x" * 201}, "q"),
        ({"postcode": "1" * 11}, "postcode"),
    ],
)
def test_a_value_out_of_range_is_named(values, parameter):
    assert list(errors(values)) == [parameter]


@pytest.mark.parametrize(
    "values",
    [
        {"lat": "90", "lng": "-180"},
        {"q": "x", "radius_km": "1000"},
        {"q": "x", "radius_km": "0.001"},
        {"limit": "1"},
        {"limit": "100"},
        {"at": "1970-01-01T00:00:00Z"},
        {"at": "2100-12-31T23:59:59+07:00"},
    ],
)
def test_the_ends_of_each_range_are_inside(values):
    parse(values)


def test_a_radius_must_be_more_than_zero():
    assert errors({"q": "x", "radius_km": "0"}) == {"radius_km": ["Must be more than 0."]}


def test_an_instant_needs_an_offset():
    assert errors({"at": "2026-11-25T12:00:00"}) == {
        "at": ["Must have a UTC offset (Z or +07:00)."]
    }


@pytest.mark.parametrize("text", ["inf", "NaN", "1e309", "1_0", "٤", "0x10", "1,5", "--1"])
def test_a_number_is_finite_and_written_in_ascii_decimals(text):
    assert errors({"lat": text, "lng": "0"}) == {"lat": ["A valid number is required."]}


@pytest.mark.parametrize("text", ["1.5", "1e2", "1.0", "٤", "1_0", "9" * 40])
def test_an_integer_is_whole_ascii_digits(text):
    assert list(errors({"limit": text})) == ["limit"]


@pytest.mark.parametrize("text", ["\u0661,2,3,4", "1, 2,3,4", "1,2,3", "inf,1,2,3", "1_0,1,20,2"])
def test_a_bbox_is_four_ascii_decimal_numbers(text):
    assert errors({"bbox": text}) == {
        "bbox": ["Must be four numbers: min_lng,min_lat,max_lng,max_lat."]
    }


def test_a_bbox_s_edges_are_in_range_and_in_order():
    assert list(errors({"bbox": "108,-7,107,-6"})) == ["bbox"]
    assert list(errors({"bbox": "107,-91,108,-6"})) == ["bbox"]


def test_zoom_is_read_for_the_clusters_only():
    assert parse({"bbox": "1,2,3,4", "zoom": "22"}, CLUSTERS).zoom == 22
    assert list(errors({"bbox": "1,2,3,4", "zoom": "23"}, CLUSTERS)) == ["zoom"]
    assert list(errors({"zoom": "5"})) == ["zoom"]  # unknown to the list


# --- Vocabularies ----------------------------------------------------------------------------


def test_kinds_are_store_and_kiosk():
    assert errors({"kind": "store,shop"}) == {"kind": ["Unknown: shop. Known: kiosk, store."]}


def test_services_and_payments_are_those_the_vocabulary_knows():
    assert errors({"service": "topup,teleport", "payment": "bitcoin"}) == {
        "service": ["Unknown: teleport. Known: esim_activation, topup."],
        "payment": ["Unknown: bitcoin. Known: cash, qris."],
    }


def test_the_vocabulary_is_read_only_for_a_parameter_given():
    def nothing_known(name):
        raise AssertionError(f"asked for {name}")

    SearchQuery.parse({"kind": "store"}, vocabulary=nothing_known)


@pytest.mark.django_db
def test_the_default_vocabulary_is_the_database_s(vocabularies):
    assert SearchQuery.parse({"service": "topup", "payment": "qris"}).service == {"topup"}
    with pytest.raises(QueryError) as caught:
        SearchQuery.parse({"payment": "bitcoin"})
    assert "qris" in caught.value.errors["payment"][0]


# --- Rules between parameters ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"lat": "-6.9"}, {"lng": ["Give lat and lng together."]}),
        ({"lng": "107.6"}, {"lat": ["Give lat and lng together."]}),
        (
            {"lat": "1", "lng": "1", "q": "Bandung"},
            {"q": ["Give one origin: lat and lng, postcode, or q."]},
        ),
        (
            {"postcode": "40115", "q": "Bandung"},
            {"q": ["Give one origin: lat and lng, postcode, or q."]},
        ),
        ({"radius_km": "5"}, {"radius_km": ["Needs an origin: lat and lng, postcode, or q."]}),
    ],
)
def test_the_rules_between_parameters(values, expected):
    assert errors(values) == expected


def test_a_bad_value_is_not_also_blamed_on_the_rules_it_takes_part_in():
    assert list(errors({"lat": "abc"})) == ["lat"]
    assert list(errors({"lat": "abc", "lng": "1", "radius_km": "5"})) == ["lat"]


def test_every_wrong_parameter_is_named_in_one_error():
    assert set(errors({"kind": "shop", "limit": "0", "at": "noon", "radius_km": "5"})) == {
        "kind",
        "limit",
        "at",
        "radius_km",
    }


# --- Strict (the API) and lenient (the page) ------------------------------------------------


@pytest.mark.parametrize("name", sorted(LIST.names))
def test_in_the_api_an_empty_value_is_an_error(name):
    assert errors({name: ""}) == {name: ["Empty: give a value, or leave the parameter out."]}


def test_on_the_page_an_empty_value_is_not_given():
    assert parse(dict.fromkeys(PAGE.names, ""), PAGE) == SearchQuery()
    assert parse({"q": "  ", "radius_km": ""}, PAGE) == SearchQuery()


def test_in_the_api_an_unknown_parameter_is_named_with_the_closest_known_one():
    assert errors({"radius": "5", "lmit": "5", "utm_source": "x"}) == {
        "radius": ["Unknown parameter radius. Did you mean radius_km?"],
        "lmit": ["Unknown parameter lmit. Did you mean limit?"],
        "utm_source": [
            "Unknown parameter utm_source. Known: lat, lng, postcode, country, q, radius_km, "
            "limit, page, kind, service, payment, open_now, at, bbox."
        ],
    }


def test_each_endpoint_knows_its_own_parameters():
    assert list(errors({"lat": "1"}, DETAIL)) == ["lat"]
    assert list(errors({"at": "2026-11-25T05:00:00Z"}, POSTCODE)) == ["at"]
    assert list(errors({"bbox": "1,2,3,4", "zoom": "3", "q": "x"}, CLUSTERS)) == ["q"]


def test_on_the_page_an_unknown_parameter_is_ignored():
    assert parse({"utm_source": "newsletter", "q": "Bandung"}, PAGE) == SearchQuery(q="Bandung")


def test_on_the_page_a_bad_page_number_is_the_first_page():
    assert parse({"page": "abc"}, PAGE).page == 1
    assert list(errors({"page": "abc"})) == ["page"]


def test_required_parameters_are_named_when_missing_or_empty():
    required = ["This field is required."]
    assert errors({}, CLUSTERS) == {"bbox": required, "zoom": required}
    assert list(errors({"bbox": "", "zoom": "5"}, CLUSTERS)) == ["bbox"]


# --- The OpenAPI description comes from the same table --------------------------------------


def test_each_parameter_s_schema_states_its_rules():
    assert PARAMETERS["lat"].schema() == {
        "type": "number",
        "format": "double",
        "minimum": -90,
        "maximum": 90,
    }
    assert PARAMETERS["radius_km"].schema()["exclusiveMinimum"] is True
    assert PARAMETERS["limit"].schema() == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "default": 20,
    }
    assert PARAMETERS["country"].schema()["default"] == "ID"
    assert PARAMETERS["q"].schema()["maxLength"] == 200


# --- Running a query -------------------------------------------------------------------------


@pytest.fixture
def three(vocabularies):
    """Three stores: Bandung (AX-B), Jakarta (AX-J), Denpasar (AX-D)."""
    return {
        "AX-B": OutletFactory(code="AX-B", latitude=-6.9175, longitude=107.6191).id,
        "AX-J": OutletFactory(code="AX-J", latitude=-6.2, longitude=106.8).id,
        "AX-D": OutletFactory(code="AX-D", latitude=-8.65, longitude=115.22).id,
    }


def ids(result):
    return [hit.outlet_id for hit in result.hits]


@pytest.mark.django_db
def test_with_an_origin_the_nearest_come_first(three):
    result = SearchQuery(lat=-6.2, lng=106.8, limit=2).run(NOW)
    assert ids(result) == [three["AX-J"], three["AX-B"]]
    assert result.count == 2
    assert result.origin.source == "coordinates"
    assert result.page is None
    assert result.at == NOW


@pytest.mark.django_db
def test_a_radius_keeps_only_the_outlets_within_it(three):
    assert ids(SearchQuery(lat=-6.2, lng=106.8, radius_km=10).run(NOW)) == [three["AX-J"]]


@pytest.mark.django_db
def test_without_an_origin_a_page_of_outlets_by_code(three):
    result = SearchQuery(limit=2, page=2).run(NOW)
    assert ids(result) == [three["AX-J"]]  # AX-B, AX-D | AX-J
    assert result.count == 3
    assert result.page.number == 2
    assert result.resolution is None


@pytest.mark.django_db
def test_a_page_past_the_end_is_an_error_or_the_last_page(three):
    with pytest.raises(EmptyPage):
        SearchQuery(page=9).run(NOW)
    assert SearchQuery(page=9).run(NOW, per_page=2, clamp_page=True).page.number == 2


@pytest.mark.django_db
def test_the_query_s_instant_wins_over_now(three):
    at = datetime(2030, 1, 1, tzinfo=UTC)
    assert SearchQuery(at=at).run(NOW).at == at


def test_text_the_geocoder_cannot_read_is_a_query_error_naming_q():
    with pytest.raises(QueryError) as caught:
        SearchQuery(q="!!!").run(NOW)
    assert list(caught.value.errors) == ["q"]


@pytest.mark.django_db
def test_an_unknown_place_is_not_found(gazetteer):
    with pytest.raises(geocoding.NotFound):
        SearchQuery(q="Bandugn").run(NOW)


# --- The page and the API: one rule, two ways of showing it ---------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("values", [{"radius_km": "5"}, {"kind": "shop"}])
def test_the_page_and_the_api_refuse_a_query_with_the_same_reason(gazetteer, client, values):
    expected = errors(values)
    api = client.get("/api/v1/outlets/", values)
    page = client.get("/", values)
    assert api.status_code == page.status_code == 400
    assert json.loads(api.content) == expected
    text = html.unescape(page.content.decode())
    for name, reasons in expected.items():
        # The page gives the reason beside its field, without the parameter's name.
        assert " ".join(reasons) in text
        assert f"{name}: " not in text


@pytest.mark.django_db
@pytest.mark.parametrize("values", [{"lat": "-6.9"}, {"lat": "91", "lng": "0"}])
def test_the_page_tells_a_bad_location_in_words(gazetteer, client, values):
    assert client.get("/api/v1/outlets/", values).status_code == 400
    page = client.get("/", values)
    assert page.status_code == 400
    assert "Your location could not be read." in html.unescape(page.content.decode())


@pytest.mark.django_db
def test_on_the_page_a_typed_place_wins_over_coordinates(gazetteer, client):
    values = {"q": "Bandung", "lat": "-6.9", "lng": "107.6"}
    assert client.get("/api/v1/outlets/", values).status_code == 400
    assert client.get("/", values).status_code == 200


@pytest.mark.django_db
def test_the_page_takes_blank_fields_as_not_given_and_ignores_unknown_parameters(
    vocabularies, client
):
    OutletFactory(code="AX-1")
    blank = dict.fromkeys(("q", "lat", "lng", "kind", "service", "radius_km", "page"), "")
    response = client.get("/", blank | {"utm_source": "newsletter", "format": "json"})
    assert response.status_code == 200
    assert 'data-code="AX-1"' in response.content.decode()
