"""Errors: a 400 names each wrong parameter; every 4xx under /api/ has a JSON body."""

import pytest

from ..factories import OutletFactory
from .support import LIST_PARAMETERS, body

pytestmark = pytest.mark.django_db

LIST = "/api/v1/outlets/"
GEOJSON = "/api/v1/outlets.geojson"
CLUSTERS = "/api/v1/outlets/clusters/"
DETAIL = "/api/v1/outlets/AX-1/"
POSTCODE = "/api/v1/postcodes/40115/"
SCHEMA = "/api/v1/schema/"
DOCS = "/api/v1/docs/"
ENDPOINTS = [LIST, GEOJSON, CLUSTERS, DETAIL, POSTCODE, SCHEMA, DOCS]

NON_FINITE = ["NaN", "nan", "inf", "-inf", "Infinity", "1e309", "-1e309", "abc", "1,5", "\x00"]
AT_COORDINATES = {"lat": "-6.9", "lng": "107.6"}


def assert_names(response, parameter):
    """A 400 whose JSON names ``parameter`` alone, with at least one reason in words."""
    assert response.status_code == 400, response.content
    answer = body(response)
    assert list(answer) == [parameter]
    assert answer[parameter] and all(isinstance(r, str) and r for r in answer[parameter])


# --- 400: each wrong parameter named -------------------------------------------------------

LIST_ERRORS = [
    *(({"lat": value, "lng": "107.6"}, "lat") for value in [*NON_FINITE, "90.0001", "-91"]),
    *(({"lat": "-6.9", "lng": value}, "lng") for value in [*NON_FINITE, "180.0001", "-181"]),
    *(
        ({**AT_COORDINATES, "radius_km": value}, "radius_km")
        for value in [*NON_FINITE, "0", "-0", "-1", "1000.001", "5000"]
    ),
    ({"radius_km": "5"}, "radius_km"),
    ({"lat": "-6.9"}, "lng"),
    ({"lng": "107.6"}, "lat"),
    ({**AT_COORDINATES, "postcode": "40115"}, "postcode"),
    ({**AT_COORDINATES, "q": "bandung"}, "q"),
    ({"postcode": "40115", "q": "bandung"}, "q"),
    ({"postcode": "40116"}, "postcode"),
    ({"postcode": "abc"}, "postcode"),
    ({"postcode": "1" * 11}, "postcode"),
    ({"q": "Bandugn"}, "q"),
    ({"q": "   "}, "q"),
    ({"q": "x" * 201}, "q"),
    ({"country": "IDN", "postcode": "40115"}, "country"),
    ({"kind": "shop"}, "kind"),
    ({"kind": "store,shop"}, "kind"),
    ({"kind": "STORE"}, "kind"),
    ({"service": "teleport"}, "service"),
    ({"service": "topup,teleport"}, "service"),
    ({"payment": "bitcoin"}, "payment"),
    ({"open_now": "maybe"}, "open_now"),
    ({"at": "2026-11-25T12:00:00"}, "at"),
    ({"at": "2026-11-25"}, "at"),
    ({"at": "yesterday"}, "at"),
    ({"at": "2026-13-01T00:00:00Z"}, "at"),
    ({"at": "2026-11-25T25:00:00+07:00"}, "at"),
    ({"at": "2026-11-25T12:00:00 07:00"}, "at"),  # a "+" sent unescaped reads as a space
    ({"at": "1969-12-31T23:59:59Z"}, "at"),
    ({"at": "2101-01-01T00:00:00Z"}, "at"),
    ({"at": "9999-12-31T23:59:59-23:59"}, "at"),
    ({"at": "0001-01-01T00:00:00+14:00"}, "at"),
    ({"bbox": "107,-7,108"}, "bbox"),
    ({"bbox": "107,-7,108,-6,0"}, "bbox"),
    ({"bbox": "a,b,c,d"}, "bbox"),
    ({"bbox": "NaN,-7,108,-6"}, "bbox"),
    ({"bbox": "107,-7,inf,-6"}, "bbox"),
    ({"bbox": "107,-6,108,-7"}, "bbox"),  # south above north
    ({"bbox": "108,-7,107,-6"}, "bbox"),  # west east of east
    ({"bbox": "-181,-7,108,-6"}, "bbox"),
    ({"bbox": "107,-91,108,-6"}, "bbox"),
    ({"bbox": "1" * 10_000}, "bbox"),
    *(({"limit": value}, "limit") for value in ["0", "101", "-1", "abc", "1.5", "1e2"]),
    *(({"page": value}, "page") for value in ["0", "-1", "abc", "1.5"]),
    *(
        ({name: "\x00"}, name)
        for name in ("q", "postcode", "kind", "service", "payment", "at", "bbox", "limit")
    ),
    ({"service": "a" * 10_000}, "service"),
    ({"kind": "store," * 2_000 + "x"}, "kind"),
]


@pytest.mark.parametrize(("params", "parameter"), LIST_ERRORS)
def test_a_wrong_list_parameter_is_a_400_naming_it(gazetteer, client, params, parameter):
    assert_names(client.get(LIST, params), parameter)


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"lat": "-6.9"}, "Give lat and lng together."),
        ({"postcode": "40115", "q": "bandung"}, "Give one origin: lat and lng, postcode, or q."),
        ({"radius_km": "5"}, "Needs an origin: lat and lng, postcode, or q."),
        ({"at": "2026-11-25T12:00:00"}, "Must have a UTC offset (Z or +07:00)."),
        ({"lat": "inf", "lng": "0"}, "A valid number is required."),
        ({"postcode": "40116"}, "No postcode 40116 in Indonesia. Nearby postcodes: 40115, 40117."),
        ({"kind": "shop"}, "Unknown: shop. Known: kiosk, store."),
    ],
)
def test_a_400_gives_the_reason_in_words(gazetteer, client, params, reason):
    assert reason in next(iter(body(client.get(LIST, params)).values()))


def test_every_wrong_parameter_is_named_at_once(gazetteer, client):
    response = client.get(LIST, {"kind": "shop", "limit": "0", "at": "noon"})
    assert response.status_code == 400
    assert set(body(response)) == {"kind", "limit", "at"}


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"bbox": "95,-11,120,6"}, "zoom"),
        ({"bbox": "95,-11,120,6", "zoom": "-1"}, "zoom"),
        ({"bbox": "95,-11,120,6", "zoom": "23"}, "zoom"),
        ({"bbox": "95,-11,120,6", "zoom": "abc"}, "zoom"),
        ({"bbox": "95,-11,120,6", "zoom": "1.5"}, "zoom"),
        ({"zoom": "5"}, "bbox"),
        ({"bbox": "95,6,120,-11", "zoom": "5"}, "bbox"),
        ({"bbox": "95,-11,120", "zoom": "5"}, "bbox"),
        ({"bbox": "95,-11,120,6", "zoom": "5", "kind": "shop"}, "kind"),
        ({"bbox": "95,-11,120,6", "zoom": "5", "service": "teleport"}, "service"),
        ({"bbox": "95,-11,120,6", "zoom": "5", "payment": "bitcoin"}, "payment"),
        ({"bbox": "95,-11,120,6", "zoom": "5", "at": "2026-11-25T12:00"}, "at"),
        ({"bbox": "95,-11,120,6", "zoom": "5", "open_now": "maybe"}, "open_now"),
    ],
)
def test_a_wrong_clusters_parameter_is_a_400_naming_it(vocabularies, client, params, parameter):
    assert_names(client.get(CLUSTERS, params), parameter)


def test_clusters_need_both_bbox_and_zoom(vocabularies, client):
    response = client.get(CLUSTERS)
    assert response.status_code == 400
    assert body(response) == {
        "bbox": ["This field is required."],
        "zoom": ["This field is required."],
    }


@pytest.mark.parametrize("at", ["2026-11-25T12:00:00", "noon", "\x00", "2101-01-01T00:00Z"])
def test_a_wrong_at_on_the_detail_is_a_400_naming_it(vocabularies, client, at):
    assert_names(client.get(DETAIL, {"at": at}), "at")


# --- 400: an empty value, or a parameter the endpoint does not take ---------------------------

#: Each endpoint's parameters (README, "JSON API"), with a valid value of each.
VALID = {
    "lat": "-6.9",
    "lng": "107.6",
    "postcode": "40115",
    "country": "ID",
    "q": "bandung",
    "radius_km": "5",
    "limit": "5",
    "page": "1",
    "kind": "store",
    "service": "topup",
    "payment": "cash",
    "open_now": "true",
    "at": "2026-11-25T12:00:00+07:00",
    "bbox": "95,-11,120,6",
    "zoom": "5",
}
TAKES = {
    LIST: LIST_PARAMETERS,
    GEOJSON: LIST_PARAMETERS,
    CLUSTERS: {"kind", "service", "payment", "open_now", "at", "bbox", "zoom"},
    DETAIL: {"at"},
    POSTCODE: {"country"},
}
EMPTY_CASES = [(path, name) for path, names in TAKES.items() for name in sorted(names)]


def with_empty(path, name):
    """A query that would answer 200 (clusters need bbox and zoom) but for ``name`` empty."""
    params = {"bbox": VALID["bbox"], "zoom": VALID["zoom"]} if path == CLUSTERS else {}
    return params | {name: ""}


@pytest.mark.parametrize(("path", "name"), EMPTY_CASES)
def test_an_empty_value_is_a_400_naming_the_parameter(gazetteer, client, path, name):
    response = client.get(path, with_empty(path, name))
    assert_names(response, name)
    assert body(response)[name] == ["Empty: give a value, or leave the parameter out."]


@pytest.mark.parametrize("value", [" ", "   ", "\t"])
def test_a_value_of_spaces_is_empty_too(gazetteer, client, value):
    assert_names(client.get(LIST, {"lat": value, "lng": "107.6"}), "lat")


@pytest.mark.parametrize("value", [",", ", ,"])
def test_a_list_of_no_slugs_is_empty_too(vocabularies, client, value):
    assert_names(client.get(LIST, {"kind": value}), "kind")


@pytest.mark.parametrize(
    ("path", "name", "reason"),
    [
        (LIST, "radius", "Unknown parameter radius. Did you mean radius_km?"),
        (LIST, "lmit", "Unknown parameter lmit. Did you mean limit?"),
        (LIST, "LAT", "Unknown parameter LAT. Did you mean lat?"),
        (GEOJSON, "services", "Unknown parameter services. Did you mean service?"),
        (CLUSTERS, "zom", "Unknown parameter zom. Did you mean zoom?"),
        (DETAIL, "att", "Unknown parameter att. Did you mean at?"),
        (POSTCODE, "countr", "Unknown parameter countr. Did you mean country?"),
    ],
)
def test_an_unknown_parameter_is_a_400_suggesting_the_closest_name(
    gazetteer, client, path, name, reason
):
    params = {"bbox": VALID["bbox"], "zoom": VALID["zoom"]} if path == CLUSTERS else {}
    response = client.get(path, params | {name: "5"})
    assert_names(response, name)
    assert body(response)[name] == [reason]


def test_an_unknown_parameter_with_no_close_name_lists_the_known_ones(gazetteer, client):
    response = client.get(DETAIL, {"colour": "red"})
    assert body(response) == {"colour": ["Unknown parameter colour. Known: at."]}


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (CLUSTERS, "lat"),
        (CLUSTERS, "limit"),
        (DETAIL, "open_now"),
        (POSTCODE, "postcode"),
        (POSTCODE, "at"),
    ],
)
def test_a_parameter_of_another_endpoint_is_unknown_here(gazetteer, client, path, name):
    params = {"bbox": VALID["bbox"], "zoom": VALID["zoom"]} if path == CLUSTERS else {}
    assert_names(client.get(path, params | {name: VALID[name]}), name)


@pytest.mark.parametrize("path", [LIST, GEOJSON, CLUSTERS, DETAIL, POSTCODE])
def test_format_is_unknown_where_the_endpoint_has_one_format(vocabularies, client, path):
    # These endpoints answer in one format whatever is asked (see FirstRenderer); only the
    # schema reads ?format= (below).
    params = {"bbox": VALID["bbox"], "zoom": VALID["zoom"]} if path == CLUSTERS else {}
    assert_names(client.get(path, params | {"format": "json"}), "format")


def test_a_value_without_a_name_is_a_400(gazetteer, client):
    response = client.get(f"{LIST}?postcode=40115&=5")
    assert body(response) == {"": ["A value without a parameter name."]}


def test_an_unknown_parameter_is_named_with_the_other_wrong_ones(gazetteer, client):
    response = client.get(LIST, {"colour": "red", "lat": "", "kind": "shop"})
    assert set(body(response)) == {"colour", "lat", "kind"}


@pytest.mark.parametrize(("path", "names"), TAKES.items())
def test_every_parameter_an_endpoint_takes_is_accepted(gazetteer, client, path, names):
    OutletFactory(code="AX-1", services=["topup"], payment_methods=["cash"])
    one_origin = names - {"postcode", "q"}  # lat and lng stand for the origin
    assert client.get(path, {name: VALID[name] for name in one_origin}).status_code == 200


# --- Every 4xx under /api/ is JSON -----------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/",
        "/api/v1/",
        "/api/v2/x",
        "/api/v2/outlets/",
        "/api/v1/outlets/AX-1/hours/",
        "/api/v1/stores/",
        "/api/v1/postcodes/",
        "/api/v1/outlets.json",
    ],
)
def test_an_unknown_path_under_api_is_a_json_404_naming_it(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert body(response) == {"detail": f"No such API endpoint: {path}"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/outlets",
        "/api/v1/outlets/clusters",
        "/api/v1/outlets/AX-1",
        "/api/v1/postcodes/40115",
        "/api/v1/schema",
    ],
)
def test_a_path_missing_its_final_slash_is_a_404_pointing_at_the_right_one(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert body(response) == {"detail": f"No such API endpoint. Did you mean {path}/?"}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_method_other_than_get_is_a_json_405(vocabularies, client, path, method):
    response = getattr(client, method)(path, {}, content_type="application/json")
    assert response.status_code == 405
    assert response["Allow"] == ("GET, HEAD" if path == DOCS else "GET, HEAD, OPTIONS")
    assert body(response) == {"detail": f'Method "{method.upper()}" not allowed.'}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_any_method_on_an_unknown_path_is_a_json_404(client, method):
    response = getattr(client, method)("/api/v2/outlets/")
    assert response.status_code == 404
    assert "detail" in body(response)


def test_options_on_the_documentation_is_a_json_405(client):
    response = client.options(DOCS)
    assert response.status_code == 405
    assert "detail" in body(response)


@pytest.mark.parametrize("path", [LIST, GEOJSON, CLUSTERS, DETAIL, POSTCODE])
def test_head_answers_like_get_without_a_body(vocabularies, client, path):
    response = client.head(path)
    assert response.status_code == client.get(path).status_code
    assert response.content == b""


def test_the_schema_in_a_format_it_does_not_have_is_a_json_404(client):
    response = client.get(SCHEMA, {"format": "xml"})
    assert response.status_code == 404
    assert "detail" in body(response)


def test_the_schema_for_an_accept_it_cannot_meet_is_a_json_406(client):
    response = client.get(SCHEMA, HTTP_ACCEPT="image/png")
    assert response.status_code == 406
    assert "detail" in body(response)


def test_the_list_ignores_accept_rather_than_refusing(vocabularies, client):
    response = client.get(LIST, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
